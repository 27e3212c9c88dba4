"""The weekly digest: when it is due, once per period across restarts, and its delivery to the local Slack."""

import json
import re
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

from bot.config import ConfigError, DigestSettings, load_digest_settings
from bot.digest import DigestSender
from metrics import accounts
from metrics.digests import DAY_NAMES, due_digests, parse_schedule
from metrics.errors import UsageError
from metrics.store import Store
from slack_fixtures import ADMIN, start_http_bot
from slack_requests import command_body, send_command
from slack_server import BOT_TOKEN, UPLOADED_FILE_ID

TORONTO = ZoneInfo("America/Toronto")
# Monday 2026-11-30, 09:00 in Toronto: the digest of the week of 2026-11-23 is due.
DUE = datetime(2026, 11, 30, 9, 0, tzinfo=TORONTO)
CHANNEL = "C0DIGEST"


@pytest.mark.parametrize("text, weekday, at", [
    ("mon 09:00", 0, "09:00"), ("Friday 16:30", 4, "16:30"), ("  SUN 7:05 ", 6, "07:05"), ("wed 00:00", 2, "00:00"),
])
def test_schedule_is_read(text, weekday, at):
    schedule = parse_schedule(text, TORONTO)

    assert schedule.weekday == weekday
    assert schedule.at.strftime("%H:%M") == at


@pytest.mark.parametrize("text", ["mo 09:00", "monday", "mon 25:00", "mon 9:60", "funday 09:00", ""])
def test_bad_schedule_is_named(text):
    with pytest.raises(UsageError, match="is not a weekly schedule"):
        parse_schedule(text, TORONTO)


def test_bad_digest_settings_name_the_variable():
    with pytest.raises(ConfigError, match="TWEETSTATS_DIGEST_SCHEDULE"):
        load_digest_settings({"TWEETSTATS_DIGEST_SCHEDULE": "soon"}, TORONTO)
    with pytest.raises(ConfigError, match="TWEETSTATS_DIGEST_CHANNEL='general' is not a Slack channel"):
        load_digest_settings({"TWEETSTATS_DIGEST_CHANNEL": "general"}, TORONTO)


@pytest.mark.parametrize("now, week", [
    (DUE - timedelta(minutes=1), "2026-11-16"),
    (DUE, "2026-11-23"),
    (DUE + timedelta(days=6, hours=23), "2026-11-23"),
    (DUE + timedelta(days=7), "2026-11-30"),
    # The Sunday when clocks went back in Toronto, 2026-11-01.
    (datetime(2026, 11, 2, 9, 0, tzinfo=TORONTO), "2026-10-26"),
])
def test_weekly_digest_covers_the_last_full_week(now, week):
    (weekly,) = due_digests(now, parse_schedule("mon 09:00", TORONTO), monthly=False)

    assert weekly.period.since.isoformat() == week
    assert (weekly.period.until - weekly.period.since).days == 7


def test_monthly_digest_is_due_on_the_first_weekday():
    # 2026-08-01 is a Saturday, so August's first weekday is Monday 2026-08-03.
    now = datetime(2026, 8, 3, 9, 0, tzinfo=TORONTO)

    weekly, monthly = due_digests(now, parse_schedule("mon 09:00", TORONTO), monthly=True)

    assert monthly.due_at == now
    assert monthly.period.since.isoformat() == "2026-07-01"
    assert monthly.period.until.isoformat() == "2026-08-01"
    assert DAY_NAMES[weekly.due_at.weekday()] == "monday"


@pytest.fixture
def sender(slack, sample_db):
    """A digest sender posting to the local Slack, with the sample library tracked."""
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    notices = []
    settings = DigestSettings(CHANNEL, parse_schedule("mon 09:00", TORONTO), monthly=False)

    def make() -> DigestSender:
        return DigestSender(client, sample_db, settings, lambda message: notices.append(message) or True)

    make.notices = notices
    return make


def posts(slack) -> list[dict]:
    return slack.received("/api/chat.postMessage")


def test_digest_is_posted_once_with_its_chart(sender, slack):
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        sender().send_due()
        sender().send_due()

    (post,) = posts(slack)
    blocks = json.loads(post.body["blocks"]) if isinstance(post.body["blocks"], str) else post.body["blocks"]
    assert post.body["channel"] == CHANNEL
    assert blocks[0]["text"]["text"] == "Weekly digest · @NorthbrookHSL · 2026-11-23 to 2026-11-29"
    assert "Unanswered questions now:" in json.dumps(blocks)
    complete = slack.wait_for("/api/files.completeUploadExternal")[0].body
    upload = json.loads(complete["files"])[0]
    assert upload["id"] == UPLOADED_FILE_ID
    assert upload["title"].startswith("@NorthbrookHSL")
    assert "Tweets per day and followers for @NorthbrookHSL" in slack.received(
        "/api/files.getUploadURLExternal")[0].body["alt_txt"]
    assert slack.received(f"/upload/{UPLOADED_FILE_ID}")[0].body.startswith(b"\x89PNG")


def test_digest_opens_with_goals(sender, slack):
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        sender().send_due()

    (post,) = posts(slack)
    blocks = json.loads(post.body["blocks"]) if isinstance(post.body["blocks"], str) else post.body["blocks"]
    statuses = [field["text"].split("\n")[2] for field in blocks[1]["fields"]]
    emoji_ranks = {":x:": 0, ":large_yellow_circle:": 1, ":grey_question:": 2, ":white_check_mark:": 3}
    ranks = [emoji_ranks[status.split()[0]] for status in statuses]
    assert re.fullmatch(r"\*Goals\* · \d of \d goals met\.( \(\d without data\))?",
                        blocks[1]["text"]["text"])
    assert ranks[0] == 0
    assert ranks == sorted(ranks)
    assert post.body["text"].split("\n")[1].startswith("Goals: ")


def test_next_week_brings_the_next_digest(sender, slack):
    with time_machine.travel(DUE, tick=False):
        sender().send_due()
    with time_machine.travel(DUE + timedelta(days=7), tick=False):
        sender().send_due()

    headers = [json.dumps(post.body["blocks"]) for post in posts(slack)]
    assert len(headers) == 2
    assert "2026-11-30 to 2026-12-06" in headers[1]


def test_missed_digest_is_sent_within_the_grace(sender, slack):
    with time_machine.travel(DUE + timedelta(hours=11), tick=False):
        sender().send_due()

    assert len(posts(slack)) == 1


def test_digest_too_late_is_skipped_and_logged(sender, slack, caplog):
    with caplog.at_level(logging.WARNING), time_machine.travel(DUE + timedelta(hours=25), tick=False):
        sender().send_due()

    assert posts(slack) == []
    assert "skipped the weekly digest of @NorthbrookHSL for 2026-11-23" in caplog.text
    assert "past the 24 h grace" in caplog.text


@pytest.mark.parametrize("error", ["not_in_channel", "channel_not_found", "is_archived"])
def test_rejected_post_notifies_admins_once(sender, slack, sample_db, caplog, error):
    with Store(sample_db) as store, store.write() as db:
        accounts.add_account(db, "PeerLibrary")
    slack.next_failures["chat.postMessage"] = [error]

    with caplog.at_level(logging.ERROR), time_machine.travel(DUE, tick=False):
        running = sender()
        running.send_due()
        running.send_due()

    assert len(posts(slack)) == 2
    assert len(sender.notices) == 1
    assert f"Slack said {error}" in sender.notices[0]
    assert f"to {CHANNEL} failed: {error}" in caplog.text


def test_rate_limited_post_is_retried(sender, slack):
    slack.next_failures["chat.postMessage"] = ["ratelimited"]

    with time_machine.travel(DUE, tick=False):
        sender().send_due()

    assert len(posts(slack)) == 2
    assert len(slack.received("/api/files.completeUploadExternal")) == 1


def test_transient_failure_is_tried_again_next_check(sender, slack, caplog):
    slack.next_failures["chat.postMessage"] = ["internal_error"]

    with caplog.at_level(logging.ERROR), time_machine.travel(DUE, tick=False):
        sender().send_due()
    with time_machine.travel(DUE + timedelta(minutes=1), tick=False):
        sender().send_due()

    assert len(posts(slack)) == 2
    assert "it is tried again in a minute" in caplog.text


def record_sending_digest(db_path) -> None:
    """Record this week's digest as being sent, as a crash during its post leaves it."""
    from metrics.digests import SENDING, record_digest

    (due,) = due_digests(DUE, parse_schedule("mon 09:00", TORONTO), monthly=False)
    with Store(db_path) as store, store.write() as db:
        account = accounts.require_account(db, "NorthbrookHSL")
        record_digest(db, due, CHANNEL, account.id, SENDING, "2026-11-30T14:00:00Z")


def test_interrupted_post_is_reported_not_repeated(sender, slack, sample_db, caplog):
    record_sending_digest(sample_db)

    with caplog.at_level(logging.WARNING), time_machine.travel(DUE + timedelta(hours=1), tick=False):
        sender().send_due()

    assert posts(slack) == []
    assert "was interrupted while being posted" in caplog.text


def test_digest_now_posts_at_once(slack, sample_db):
    settings = DigestSettings(None, parse_schedule("mon 09:00", TORONTO))
    running, server = start_http_bot(slack, sample_db, digest=settings)
    try:
        send_command(running.url, command_body("digest now", slack.response_url(), user_id=ADMIN))
        reply = slack.wait_for("/webhook/command")[0].body
    finally:
        server.close()

    (post,) = posts(slack)
    assert post.body["channel"] == "C0GENERAL"
    assert "The current digest is posted to this channel" in reply["text"]


def test_digest_now_is_for_admins(bot, slack):
    send_command(bot.url, command_body("digest now", slack.response_url()))

    assert "Sorry, only" in slack.wait_for("/webhook/command")[0].body["text"]
    assert posts(slack) == []


def test_failure_before_posting_leaves_it_to_retry(sender, slack, sample_db, monkeypatch):
    import bot.digest

    def broken_chart(series, handle):
        raise RuntimeError("no fonts")

    with time_machine.travel(DUE, tick=False):
        monkeypatch.setattr(bot.digest, "render_activity_chart", broken_chart)
        with pytest.raises(RuntimeError):
            sender().send_due()
        monkeypatch.undo()
        sender().send_due()

    assert len(posts(slack)) == 1


def test_rejected_digest_is_tried_again_after_restart(sender, slack):
    slack.next_failures["chat.postMessage"] = ["not_in_channel"]

    with time_machine.travel(DUE, tick=False):
        running = sender()
        running.send_due()
        running.send_due()
    with time_machine.travel(DUE + timedelta(hours=1), tick=False):
        sender().send_due()

    assert len(posts(slack)) == 2
    assert slack.received("/api/files.completeUploadExternal")


def test_interrupted_post_is_reported_once(sender, slack, sample_db, caplog):
    record_sending_digest(sample_db)

    with caplog.at_level(logging.WARNING), time_machine.travel(DUE + timedelta(hours=1), tick=False):
        sender().send_due()
        sender().send_due()

    assert caplog.text.count("was interrupted while being posted") == 1
    assert posts(slack) == []
