"""/tweetstats end to end: signed HTTP requests to the served app, replies read off the local Slack server."""

import csv
import time
import io
import json

import pytest

from bot.blocks import MAX_BLOCKS, read_share_value
from metrics import accounts
from metrics.store import Store
from slack_fixtures import ADMIN, start_http_bot
from slack_requests import (CHANNEL, LIBRARIAN, action_payload, command_body, post, send_action, send_command,
                            signed_headers)
from slack_server import UPLOADED_FILE_ID


def run_command(bot, text: str, **options):
    """Send /tweetstats TEXT. Return the HTTP response (the ack) and the fields sent."""
    fields = command_body(text, bot.slack.response_url(), **options)
    return send_command(bot.url, fields), fields


def reply_to(bot, count: int = 1) -> dict:
    """Wait for the count-th post to the response_url and return its JSON body."""
    return bot.slack.wait_for("/webhook/command", count)[count - 1].body


def all_text(message: dict) -> str:
    """The fallback text and every text in the blocks, joined, for searching."""
    return message.get("text", "") + "\n" + json.dumps(message.get("blocks", []), ensure_ascii=False)


def test_report_is_acked_empty_then_sent_privately(bot):
    answer, _ = run_command(bot, "@NorthbrookHSL 30d")

    assert (answer.status, answer.body) == (200, "")
    reply = reply_to(bot)
    assert reply["response_type"] == "ephemeral"
    assert reply["blocks"][0]["text"]["text"] == "@NorthbrookHSL · 2026-11-01 to 2026-11-30"
    assert "Listening (retweets and quotes)" in all_text(reply)
    assert reply["text"].startswith("@NorthbrookHSL · 2026-11-01 to 2026-11-30")
    share = reply["blocks"][-1]["elements"][0]
    assert share["action_id"] == "share_report"
    assert read_share_value(share["value"])[0] == "NorthbrookHSL"


def test_empty_command_reports_last_7_days(bot):
    run_command(bot, "")

    assert reply_to(bot)["blocks"][0]["text"]["text"] == "@NorthbrookHSL · 2026-11-24 to 2026-11-30"


@pytest.mark.parametrize("text, header", [
    ("month @NorthbrookHSL", "@NorthbrookHSL · 2026-10-01 to 2026-10-31"),
    ("@northbrookhsl week", "@NorthbrookHSL · 2026-11-23 to 2026-11-29"),
    ("quarter", "@NorthbrookHSL · 2026-07-01 to 2026-09-30"),
    ("2026-03-01..2026-03-31 @NorthbrookHSL", "@NorthbrookHSL · 2026-03-01 to 2026-03-31"),
    ("<https://x.com/NorthbrookHSL|x.com/NorthbrookHSL> 90d", "@NorthbrookHSL · 2026-09-02 to 2026-11-30"),
])
def test_handle_and_period_in_any_order(bot, text, header):
    run_command(bot, text)

    assert reply_to(bot)["blocks"][0]["text"]["text"] == header


def test_top_lists_the_best_tweets_linked(bot):
    run_command(bot, "top @NorthbrookHSL 30d")

    reply = reply_to(bot)
    assert reply["blocks"][0]["text"]["text"] == "Top tweets of @NorthbrookHSL · 2026-11-01 to 2026-11-30"
    listed = reply["blocks"][1]["text"]["text"]
    items = listed.split("\n\n")
    assert len(items) == 10
    assert all(item.startswith(f"{rank}. <https://x.com/NorthbrookHSL/status/") for rank, item in enumerate(items, 1))


def test_questions_lists_the_oldest_unanswered_first(bot):
    run_command(bot, "questions")

    reply = reply_to(bot)
    with Store(bot.db_path) as store:
        total = store.db.execute(
            "SELECT count(*) FROM mentions WHERE is_question = 1 AND answered_by IS NULL").fetchone()[0]
        oldest = store.db.execute(
            "SELECT id FROM mentions WHERE is_question = 1 AND answered_by IS NULL ORDER BY created_at LIMIT 1"
        ).fetchone()[0]
    listed = "\n\n".join(block["text"]["text"] for block in reply["blocks"] if block["type"] == "section")
    assert listed.count("|open on X>") == min(total, 20)
    assert listed.index(f"/status/{oldest}|open on X>") < listed.index("|open on X>") + 40
    assert f"{total} unanswered in all" in all_text(reply)


def test_compare_shows_two_accounts_side_by_side(bot, slack):
    with Store(bot.db_path) as store, store.write() as db:
        accounts.add_account(db, "PeerLibrary")

    run_command(bot, "compare @NorthbrookHSL @PeerLibrary month")

    reply = reply_to(bot)
    assert reply["blocks"][0]["text"]["text"] == "@NorthbrookHSL and @PeerLibrary · 2026-10-01 to 2026-10-31"
    text = all_text(reply)
    assert "All tweets: @NorthbrookHSL 76 (-42), @PeerLibrary 0 (+0)" in reply["text"]
    assert "@PeerLibrary: 0 (+0)" in text


def test_compare_names_each_account_goals(bot, slack):
    with Store(bot.db_path) as store, store.write() as db:
        accounts.add_account(db, "PeerLibrary")

    run_command(bot, "compare @NorthbrookHSL @PeerLibrary month")

    text = reply_to(bot)["text"]
    assert "Goals of @NorthbrookHSL: 4 of 7 goals met." in text
    assert "Goals of @PeerLibrary: no data for the 7 goals." in text


def test_report_shows_goals_after_the_period(bot):
    run_command(bot, "@NorthbrookHSL month")

    goals = reply_to(bot)["blocks"][2]
    assert goals["text"]["text"] == "*Goals* · 4 of 7 goals met."
    assert len(goals["fields"]) == 7


def test_export_uploads_the_csv_in_three_steps(bot, slack):
    run_command(bot, "export @NorthbrookHSL month")

    complete = slack.wait_for("/api/files.completeUploadExternal")[0].body
    requested = slack.received("/api/files.getUploadURLExternal")[0].body
    uploaded = slack.received(f"/upload/{UPLOADED_FILE_ID}")[0].body
    assert requested["filename"] == "tweetstats-NorthbrookHSL-2026-10-01-to-2026-10-31.csv"
    assert int(requested["length"]) == len(uploaded)
    assert complete["channel_id"] == CHANNEL
    assert json.loads(complete["files"])[0]["id"] == UPLOADED_FILE_ID
    rows = list(csv.reader(io.StringIO(uploaded.decode("utf-8-sig"))))
    assert rows[0][:2] == ["account", "since"]
    assert ["@NorthbrookHSL", "2026-10-01", "2026-10-31"] == rows[1][:3]
    assert ["Tweets", "All tweets"] in [row[5:7] for row in rows]


def test_export_without_bot_in_channel(bot, slack):
    slack.failures["files.completeUploadExternal"] = "not_in_channel"

    run_command(bot, "export")

    reply = reply_to(bot)
    assert reply["response_type"] == "ephemeral"
    assert "not_in_channel" in reply["text"]
    assert "/invite @tweetstats" in reply["text"]


def test_accounts_lists_each_account(bot):
    run_command(bot, "accounts")

    text = all_text(reply_to(bot))
    assert "@NorthbrookHSL" in text
    assert "northbrook-hsl.example" in text
    assert "data until 2026-11-30" in text


@pytest.mark.parametrize("text", ["help", "HELP"])
def test_help_answers_in_the_ack(bot, text):
    answer, _ = run_command(bot, text)

    assert answer.status == 200
    assert "/tweetstats compare @a @b [period]" in answer.json()["text"]
    assert bot.slack.received("/webhook/command") == []


@pytest.mark.parametrize("text, named", [
    ("lastweek", "'lastweek'"),
    ("@NorthbrookHSL 7d 30d", "two periods"),
    ("compare @NorthbrookHSL", "compare needs two accounts"),
    ("track", "track takes one @handle"),
    ("2026-02-30..2026-03-01", "2026-02-30"),
])
def test_garbled_command_names_the_word(bot, text, named):
    answer, _ = run_command(bot, text)

    reply = answer.json()
    assert named in reply["text"]
    assert "*Usage*" in reply["text"]


def test_unknown_account_is_named_with_the_stored_ones(bot):
    run_command(bot, "@NoSuchLibrary")

    text = reply_to(bot)["text"]
    assert "@NoSuchLibrary" in text
    assert "@NorthbrookHSL" in text
    assert "Traceback" not in text


def test_admin_tracks_untracks_and_sets_an_own_domain(bot):
    run_command(bot, "track @PeerLibrary", user_id=ADMIN)
    assert "@PeerLibrary is now tracked" in reply_to(bot, 1)["text"]
    run_command(bot, "untrack @NorthbrookHSL", user_id=ADMIN)
    assert "@NorthbrookHSL is no longer tracked" in reply_to(bot, 2)["text"]
    run_command(bot, "own-domain @NorthbrookHSL https://guides.northbrook.example/a", user_id=ADMIN)
    assert "guides.northbrook.example" in reply_to(bot, 3)["text"]
    run_command(bot, "untrack @NorthbrookHSL", user_id=ADMIN)
    assert "@NorthbrookHSL was not tracked, so nothing changed" in reply_to(bot, 4)["text"]
    run_command(bot, "track @PeerLibrary", user_id=ADMIN)
    assert "@PeerLibrary is already tracked" in reply_to(bot, 5)["text"]
    with Store(bot.db_path) as store:
        listed = {account.handle: account for account in accounts.list_accounts(store.db)}
    assert listed["PeerLibrary"].tracked
    assert not listed["NorthbrookHSL"].tracked
    assert "guides.northbrook.example" in listed["NorthbrookHSL"].own_domains


def test_non_admin_track_is_rejected(bot):
    run_command(bot, "track @PeerLibrary", user_id=LIBRARIAN)

    assert "only the admins named in the bot's settings can use `/tweetstats track`" in reply_to(bot)["text"]
    with Store(bot.db_path) as store:
        assert [account.handle for account in accounts.list_accounts(store.db)] == ["NorthbrookHSL"]


def test_share_button_posts_the_report_for_everyone(bot):
    run_command(bot, "@NorthbrookHSL month")
    value = reply_to(bot)["blocks"][-1]["elements"][0]["value"]

    answer = send_action(bot.url, action_payload(value, bot.slack.response_url("action")))

    assert answer.status == 200
    shared, removed = bot.slack.wait_for("/webhook/action", 2)
    assert shared.body["response_type"] == "in_channel"
    assert shared.body["replace_original"] is False
    assert shared.body["blocks"][0]["text"]["text"] == "@NorthbrookHSL · 2026-10-01 to 2026-10-31"
    assert shared.body["blocks"][-1]["elements"][-1]["text"] == f"Shared by <@{LIBRARIAN}>"
    assert all(block["type"] != "actions" for block in shared.body["blocks"])
    assert removed.body["delete_original"] is True


def test_share_after_response_url_expired(bot):
    run_command(bot, "@NorthbrookHSL month")
    value = reply_to(bot)["blocks"][-1]["elements"][0]["value"]
    bot.slack.webhook_status = 404

    send_action(bot.url, action_payload(value, bot.slack.response_url("action")))

    posted = bot.slack.wait_for("/api/chat.postMessage")[0].body
    assert posted["channel"] == CHANNEL
    assert posted["blocks"][0]["text"]["text"] == "@NorthbrookHSL · 2026-10-01 to 2026-10-31"


def test_share_where_bot_cannot_post(bot):
    run_command(bot, "@NorthbrookHSL month")
    value = reply_to(bot)["blocks"][-1]["elements"][0]["value"]
    bot.slack.webhook_status = 404
    bot.slack.failures["chat.postMessage"] = "not_in_channel"

    send_action(bot.url, action_payload(value, bot.slack.response_url("action")))

    ephemeral = bot.slack.wait_for("/api/chat.postEphemeral")[0].body
    assert ephemeral["user"] == LIBRARIAN
    assert "not_in_channel" in ephemeral["text"]


def test_share_with_damaged_value(bot):
    send_action(bot.url, action_payload("not json", bot.slack.response_url("action")))

    reply = bot.slack.wait_for("/webhook/action")[0].body
    assert reply["response_type"] == "ephemeral"
    assert "Run the command again" in reply["text"]


def test_retried_command_posts_once(bot):
    fields = command_body("@NorthbrookHSL 30d", bot.slack.response_url())

    first = send_command(bot.url, fields)
    second = send_command(bot.url, fields, extra_headers={"x-slack-retry-num": "1",
                                                          "x-slack-retry-reason": "http_timeout"})

    assert (first.status, second.status) == (200, 200)
    reply_to(bot)
    # The retry is acknowledged at once, so a second reply would have arrived by the
    # time a third, distinct command's reply does.
    run_command(bot, "accounts")
    assert len(bot.slack.wait_for("/webhook/command", 2)) == 2
    assert "Accounts" in reply_to(bot, 2)["text"]


@pytest.mark.parametrize("case", ["bad", "missing", "stale"])
def test_bad_signature_gets_401(bot, case):
    fields = command_body("@NorthbrookHSL", bot.slack.response_url())
    from urllib.parse import urlencode

    body = urlencode(fields)
    headers = signed_headers(body)
    if case == "bad":
        headers = signed_headers(body, secret="not-the-secret")
    elif case == "missing":
        del headers["x-slack-signature"], headers["x-slack-request-timestamp"]
    else:
        headers = signed_headers(body, timestamp=int(headers["x-slack-request-timestamp"]) - 600)

    answer = post(bot.url, body, headers)

    assert answer.status == 401
    run_command(bot, "accounts")
    assert len(bot.slack.wait_for("/webhook/command")) == 1
    assert "Accounts" in reply_to(bot)["text"]


def test_long_list_fits_slack_limits(bot):
    with Store(bot.db_path) as store, store.write() as db:
        for number in range(1500):
            accounts.add_account(db, f"Library{number:04d}", display_name="Branch library of the health region " * 2)

    run_command(bot, "accounts")

    reply = reply_to(bot)
    sections = [block["text"]["text"] for block in reply["blocks"] if block["type"] == "section"]
    assert len(reply["blocks"]) == MAX_BLOCKS
    assert max(len(text) for text in sections) <= 3000
    assert "blocks were left out" in reply["blocks"][-1]["elements"][0]["text"]
    assert len(reply["text"]) <= 40000
    assert reply["text"].endswith("…")


def home_event(user: str = LIBRARIAN) -> dict:
    return {"token": "legacy-verification-token", "team_id": "T0LIBRARY", "api_app_id": "A0TWEETSTATS",
            "type": "event_callback", "event_id": f"Ev{time.monotonic_ns()}", "event_time": 1764504000,
            "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                      "event_ts": "1764504000.000100"}}


def send_event(bot, event: dict):
    body = json.dumps(event)
    headers = {**signed_headers(body), "content-type": "application/json"}
    return post(bot.url, body, headers)


def test_app_home_shows_last_30_days(bot):
    answer = send_event(bot, home_event())

    assert answer.status == 200
    published = bot.slack.wait_for("/api/views.publish")[0].body
    assert published["user_id"] == LIBRARIAN
    assert published["view"]["type"] == "home"
    assert published["view"]["blocks"][0]["text"]["text"] == "@NorthbrookHSL · 2026-11-01 to 2026-11-30"
    assert published["view"]["blocks"][2]["text"]["text"].startswith("*Goals* · ")
    assert all(block["type"] != "actions" for block in published["view"]["blocks"])


def test_app_home_without_default_account(bot):
    with Store(bot.db_path) as store, store.write() as db:
        accounts.add_account(db, "PeerLibrary")

    send_event(bot, home_event())

    text = json.dumps(bot.slack.wait_for("/api/views.publish")[0].body["view"])
    assert "several accounts are stored" in text
    assert "TWEETSTATS_DEFAULT_ACCOUNT" in text


@pytest.fixture
def workspace_bot(slack, sample_db):
    """The app with TWEETSTATS_ADMINS empty, so that Slack's users.info decides who is an admin."""
    slack.users.update({"U0OWNER": {"is_owner": True}, "U0WSADMIN": {"is_admin": True}, LIBRARIAN: {}})
    running, server = start_http_bot(slack, sample_db, admins=())
    yield running
    server.close()


@pytest.mark.parametrize("user_id, allowed", [("U0OWNER", True), ("U0WSADMIN", True), (LIBRARIAN, False)])
def test_workspace_admins_and_owners_may_track(workspace_bot, user_id, allowed):
    run_command(workspace_bot, "track @PeerLibrary", user_id=user_id)

    text = reply_to(workspace_bot)["text"]
    assert ("@PeerLibrary is now tracked" in text) is allowed
    assert ("only workspace admins and owners" in text) is not allowed
    assert workspace_bot.slack.received("/api/users.info")[0].body["user"] == user_id


def test_users_info_failure_rejects(workspace_bot, slack):
    slack.failures["users.info"] = "missing_scope"

    run_command(workspace_bot, "untrack @NorthbrookHSL", user_id="U0OWNER")

    text = reply_to(workspace_bot)["text"]
    assert "missing_scope" in text
    assert "TWEETSTATS_ADMINS" in text
    with Store(workspace_bot.db_path) as store:
        assert accounts.list_accounts(store.db)[0].tracked


def test_rejected_reply_is_logged(bot, caplog):
    bot.slack.webhook_status = 404

    run_command(bot, "accounts")

    bot.slack.wait_for("/webhook/command")
    deadline = time.monotonic() + 5
    while "rejected a reply" not in caplog.text and time.monotonic() < deadline:
        time.sleep(0.01)
    assert "the response_url rejected a reply: HTTP 404" in caplog.text


def test_status_shows_month_usage(bot):
    run_command(bot, "status")

    text = reply_to(bot)["text"]
    assert "X API use in 2026-11 (UTC): 0 requests, 0 reads" in text
    assert "Polling is off: X_BEARER_TOKEN is not set." in text
