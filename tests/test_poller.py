"""The poller against a local X API v2 server, through tweepy's own HTTP code."""

import io
import logging
from datetime import timedelta

import pytest

from metrics import pollstate, usage
from metrics.accounts import find_account, track_account
from metrics.poller import PollerBusy, poll_lock
from poll_fixtures import ASKER_ID, HANDLE, NOW, PROXY_VARIABLES, USER_ID, add_tweets, open_rig
from x_server import BEARER_TOKEN, XServer, make_tweet, snowflake


@pytest.fixture
def x(monkeypatch):
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    server = XServer().start()
    yield server
    server.stop()


@pytest.fixture
def rig(x, db_path):
    opened = open_rig(x, db_path)
    yield opened
    opened.store.close()


def test_first_poll_reads_the_backfill_window(rig):
    add_tweets(rig.x, 5, NOW - timedelta(days=10), step=timedelta(hours=1))
    add_tweets(rig.x, 30, NOW - timedelta(days=3))
    add_tweets(rig.x, 4, NOW - timedelta(days=2), author=ASKER_ID, mention=True, text="@NorthbrookHSL are you open {number}?")

    result = rig.poll()

    assert result.accounts[0].new_tweets == 30
    assert result.accounts[0].new_mentions == 4
    assert rig.count("mentions", "is_question = 1") == 4
    assert rig.count("follower_snapshots", "followers = 1200") == 1
    assert find_account(rig.store.db, HANDLE).user_id == USER_ID
    tweets_request = rig.x.received(f"/2/users/{USER_ID}/tweets")[0]
    assert tweets_request.query["start_time"] == "2026-11-23T12:00:00Z"
    assert tweets_request.query["max_results"] == "100"


def test_second_poll_with_nothing_new_makes_three_requests(rig):
    add_tweets(rig.x, 10, NOW - timedelta(days=1))
    rig.poll()
    tweets_before = rig.count("tweets")
    requests_before = len(rig.x.requests)
    rig.clock.advance(minutes=15)

    result = rig.poll()

    assert len(rig.x.requests) - requests_before == 3
    assert result.requests == 3
    assert result.reads == 1
    assert rig.count("tweets") == tweets_before
    assert rig.count("follower_snapshots") == 1


def test_next_poll_reads_only_newer_tweets(rig):
    first = add_tweets(rig.x, 10, NOW - timedelta(days=1))
    rig.poll()
    rig.clock.advance(minutes=15)
    add_tweets(rig.x, 3, NOW + timedelta(minutes=1), text="Newer {number}")

    result = rig.poll()

    assert result.accounts[0].new_tweets == 3
    since = rig.x.received(f"/2/users/{USER_ID}/tweets")[-1].query["since_id"]
    assert since == max((tweet["id"] for tweet in first), key=int)
    assert "start_time" not in rig.x.received(f"/2/users/{USER_ID}/tweets")[-1].query


def test_timeline_is_read_in_pages_of_100(rig):
    add_tweets(rig.x, 250, NOW - timedelta(days=2), step=timedelta(minutes=1))

    result = rig.poll()

    assert result.accounts[0].new_tweets == 250
    assert rig.x.count(f"/2/users/{USER_ID}/tweets") == 3


def test_reply_to_a_question_marks_it_answered(rig):
    asked_at = NOW - timedelta(hours=5)
    question = make_tweet(snowflake(asked_at), ASKER_ID, "@NorthbrookHSL Do you have UpToDate access?", asked_at)
    rig.x.add_mention(USER_ID, question)
    answered_at = asked_at + timedelta(minutes=42)
    reply = make_tweet(snowflake(answered_at), USER_ID, "@curious_reader Yes, with your library card", answered_at,
                       kind="reply", referenced_id=question["id"], in_reply_to_user_id=ASKER_ID)
    rig.x.add_tweet(USER_ID, reply)

    rig.poll()

    answered_by, answered = rig.store.db.execute(
        "SELECT answered_by, answered_at FROM mentions WHERE id = ?", [int(question["id"])]).fetchone()
    assert answered_by == int(reply["id"])
    assert answered == "2026-11-30T07:42:00Z"


def test_metrics_refresh_once_per_utc_day(rig):
    tweets = add_tweets(rig.x, 120, NOW - timedelta(days=3), step=timedelta(minutes=10))
    rig.poll()
    rig.x.tweets[tweets[0]["id"]]["public_metrics"]["like_count"] = 99
    rig.clock.advance(days=1)

    first = rig.poll()
    rig.clock.advance(hours=1)
    second = rig.poll()

    assert first.accounts[0].refreshed == 120
    assert rig.x.count("/2/tweets") == 2
    assert second.accounts[0].refreshed == 0
    likes = rig.store.db.execute("SELECT likes FROM tweets WHERE id = ?", [int(tweets[0]["id"])]).fetchone()[0]
    assert likes == 99


def test_refresh_days_zero_turns_refresh_off(rig):
    add_tweets(rig.x, 5, NOW - timedelta(days=1))
    rig.poll()
    rig.clock.advance(days=1)

    rig.poll(refresh_days=0)

    assert rig.x.count("/2/tweets") == 0


def test_usage_is_counted_per_day_and_kind(rig):
    add_tweets(rig.x, 12, NOW - timedelta(days=1))
    add_tweets(rig.x, 2, NOW - timedelta(hours=3), author=ASKER_ID, mention=True, text="@NorthbrookHSL hi {number}")

    rig.poll()

    month = usage.month_usage(rig.store.db, NOW.date())
    assert month.reads == {usage.OWN_POSTS: 12, usage.OTHER_POSTS: 2, usage.USERS: 2}
    assert month.billed == {usage.OWN_POSTS: 12, usage.OTHER_POSTS: 2, usage.USERS: 1}
    assert month.requests == {usage.OWN_POSTS: 1, usage.OTHER_POSTS: 1, usage.USERS: 2}
    assert month.cost(usage.DEFAULT_PRICES) == pytest.approx(12 * 0.001 + 2 * 0.005 + 1 * 0.010)


def test_same_day_rereads_not_billed(rig):
    add_tweets(rig.x, 3, NOW - timedelta(days=1))
    rig.poll()
    rig.clock.advance(minutes=15)
    rig.poll()
    rig.clock.advance(days=1)

    next_day = rig.poll()

    first_day = usage.month_usage(rig.store.db, NOW.date())
    assert first_day.reads[usage.USERS] == 3
    assert first_day.billed[usage.USERS] == 1
    assert next_day.billed == 1 + 3


def test_budget_stops_polling_and_notifies_once(rig):
    add_tweets(rig.x, 10, NOW - timedelta(days=1))

    first = rig.poll(monthly_read_budget=8)
    second = rig.poll(monthly_read_budget=8)

    assert "of the 8 billed reads of this month's budget are used" in first.stopped
    assert "of the 8 billed reads of this month's budget are used" in second.stopped
    assert len(rig.notices) == 1
    assert "TWEETSTATS_MONTHLY_READ_BUDGET" in rig.notices[0]
    assert rig.x.received(f"/2/users/{USER_ID}/tweets")[0].query["max_results"] == "7"
    assert rig.count("tweets") == 0


def test_budget_with_room_reads_everything(rig):
    add_tweets(rig.x, 10, NOW - timedelta(days=1))

    result = rig.poll(monthly_read_budget=20)

    assert result.stopped is None
    assert result.accounts[0].new_tweets == 10
    assert rig.x.received(f"/2/users/{USER_ID}/tweets")[0].query["max_results"] == "19"


def test_short_rate_limit_is_waited_out(rig):
    add_tweets(rig.x, 5, NOW - timedelta(days=1))
    rig.x.fail_next(f"/2/users/{USER_ID}/tweets", "rate_limit", reset_in=120)

    result = rig.poll()

    assert result.stopped is None
    assert result.accounts[0].new_tweets == 5
    assert len(rig.sleeps.pauses) == 1


def test_long_rate_limit_skips_the_cycle(rig):
    add_tweets(rig.x, 5, NOW - timedelta(days=1))
    rig.x.fail_next(f"/2/users/{USER_ID}/tweets", "rate_limit", reset_in=3600)

    stopped = rig.poll()
    resumed = rig.poll()

    assert "polling resumes at" in stopped.stopped
    assert rig.sleeps.pauses == []
    assert resumed.accounts[0].new_tweets == 5


def test_usage_cap_pauses_polling_and_notifies(rig):
    rig.x.fail_next(f"/2/users/{USER_ID}/tweets", "usage_cap", reset_in=86400)

    capped = rig.poll()
    paused = rig.poll()

    assert "usage cap" in capped.stopped
    assert "paused until" in paused.stopped
    assert len(rig.notices) == 1
    assert rig.x.count(f"/2/users/{USER_ID}/tweets") == 1


def test_server_errors_are_retried_with_backoff(rig):
    add_tweets(rig.x, 5, NOW - timedelta(days=1))
    rig.x.fail_next(f"/2/users/{USER_ID}/tweets", "server_error", count=2)

    result = rig.poll()

    assert result.accounts[0].new_tweets == 5
    assert len(rig.sleeps.pauses) == 2
    assert 2.0 <= rig.sleeps.pauses[0] < 4.0
    assert 4.0 <= rig.sleeps.pauses[1] < 8.0


def test_timeout_is_retried(rig):
    add_tweets(rig.x, 5, NOW - timedelta(days=1))
    rig.x.fail_next(f"/2/users/{USER_ID}/mentions", "timeout", delay=1.5)

    result = rig.poll()

    assert result.accounts[0].error is None
    assert len(rig.sleeps.pauses) == 1


def test_retries_are_bounded(rig):
    rig.x.fail_next(f"/2/users/{USER_ID}/tweets", "server_error", count=10)

    result = rig.poll()

    assert "failed 4 times" in result.accounts[0].error
    assert rig.x.count(f"/2/users/{USER_ID}/tweets") == 4


def test_denied_account_stops_and_others_go_on(rig):
    rig.x.add_user("PeerLibrary", 1460000000000000002)
    with rig.store.write() as db:
        track_account(db, "PeerLibrary")
    rig.x.fail_next(f"/2/users/{USER_ID}/tweets", "forbidden", problem="not-authorized-for-resource")

    first = rig.poll()
    second = rig.poll()

    outcomes = {outcome.handle: outcome for outcome in first.accounts}
    assert "HTTP 403" in outcomes[HANDLE].error
    assert outcomes["PeerLibrary"].error is None
    assert "not polled since" in second.accounts[0].error
    assert second.accounts[1].error is None
    assert len(rig.notices) == 1
    with rig.store.write() as db:
        assert pollstate.resume_account(db, find_account(db, HANDLE))
    assert [outcome.error for outcome in rig.poll().accounts] == [None, None]


def test_partial_errors_keep_the_good_data(rig, caplog):
    tweets = add_tweets(rig.x, 3, NOW - timedelta(days=1))
    rig.poll()
    rig.x.hidden_ids.add(tweets[1]["id"])
    rig.clock.advance(days=1)

    with caplog.at_level(logging.WARNING):
        result = rig.poll()

    assert result.accounts[0].refreshed == 2
    assert f"Not Found Error for tweet {tweets[1]['id']}" in caplog.text


def test_spec_metric_names_are_read(x, db_path):
    x.metric_names = "spec"
    rig = open_rig(x, db_path)
    add_tweets(x, 3, NOW - timedelta(days=1))

    rig.poll()

    assert rig.count("tweets", "retweets IS NOT NULL") == 3
    assert rig.count("follower_snapshots", "tweets = 5000") == 1
    rig.store.close()


def test_unknown_handle_is_reported(rig):
    with rig.store.write() as db:
        track_account(db, "NoSuchLibrary")

    result = rig.poll()

    outcomes = {outcome.handle: outcome for outcome in result.accounts}
    assert "X has no user @NoSuchLibrary" in outcomes["NoSuchLibrary"].error
    assert outcomes[HANDLE].error is None


def test_no_token_in_any_log(rig):
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    add_tweets(rig.x, 3, NOW - timedelta(days=1))
    rig.x.fail_next(f"/2/users/{USER_ID}/mentions", "server_error")
    try:
        rig.poll()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)

    assert "retry 1 of 3" in captured.getvalue()
    assert BEARER_TOKEN not in captured.getvalue()


def test_second_poller_is_refused(db_path):
    with poll_lock(db_path):
        with pytest.raises(PollerBusy, match="another tweetstats process is polling"):
            with poll_lock(db_path):
                pass


def test_edited_tweet_replaces_its_first_version(rig):
    posted_at = NOW - timedelta(hours=3)
    first = make_tweet(snowflake(posted_at), USER_ID, "Workshop at 2pm", posted_at, likes=2)
    rig.x.add_tweet(USER_ID, first)
    rig.poll()
    edited_at = posted_at + timedelta(minutes=10)
    second = make_tweet(snowflake(edited_at), USER_ID, "Workshop at 3pm", posted_at, likes=2)
    second["edit_history_tweet_ids"] = [first["id"], second["id"]]
    rig.x.add_tweet(USER_ID, second)
    rig.clock.advance(minutes=15)

    rig.poll()

    stored = rig.store.db.execute("SELECT id, text, edit_group FROM tweets").fetchall()
    assert stored == [(int(second["id"]), "Workshop at 3pm", int(first["id"]))]


@pytest.mark.parametrize("fault", ["unauthorized", "forbidden"])
def test_rejected_token_stops_cycle_until_it_works(rig, fault):
    rig.x.add_user("PeerLibrary", 1460000000000000002)
    with rig.store.write() as db:
        track_account(db, "PeerLibrary")
    rig.x.fail_next(f"/2/users/{USER_ID}", fault, count=2)

    rejected = rig.poll()
    again = rig.poll()
    fixed = rig.poll()
    rig.x.fail_next(f"/2/users/{USER_ID}", fault)
    rejected_later = rig.poll()

    assert f"HTTP {401 if fault == 'unauthorized' else 403}" in rejected.stopped
    assert len(rejected.accounts) == 1
    assert again.stopped is not None
    assert [outcome.error for outcome in fixed.accounts] == [None, None]
    assert rejected_later.stopped is not None
    assert len(rig.notices) == 2
    assert "X_BEARER_TOKEN" in rig.notices[0]
