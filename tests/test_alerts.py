"""Alerts about unanswered questions: triggers, quiet hours, reminders, buttons and updates in place.

The store is built per test with a few mentions; Slack is the local server;
time moves with time-machine, never by sleeping.
"""

import json
import logging
from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
import time_machine
from slack_sdk import WebClient

from bot.alerts import (ANSWERED_ACTION_ID, MAX_SHOWN, NOT_QUESTION_ACTION_ID, OPEN_ACTION_ID, AlertSender,
                        encode_mark_value, read_mark_value, render_alert)
from bot.blocks import MAX_BLOCKS, MAX_BUTTON_VALUE
from metrics import accounts, alerts, unanswered
from metrics.alerts import AlertSettings, in_quiet_hours, parse_quiet_hours, plan_alert
from metrics.errors import UsageError
from metrics.store import Store
from metrics.writer import link_answers
from slack_requests import action_payload
from slack_server import BOT_TOKEN

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
HANDLE = "TestHealthLib"
CHANNEL = "C0ALERTS"
LIBRARIAN = "U0LIBRARIAN"
FIRST_MENTION = 1_990_000_000_000_000_000
PRIVATE_TEXT = "Is my rash a sign of measles?"


@pytest.fixture
def account(db_path):
    with Store(db_path) as store, store.write() as db:
        return accounts.add_account(db, HANDLE)


def add_question(db_path, account, age: timedelta, *, now: datetime = NOW, text: str = "When do you open?") -> int:
    """Store an unanswered question asked ``age`` before ``now``. Returns its mention id."""
    with Store(db_path) as store, store.write() as db:
        count = db.execute("SELECT count(*) FROM mentions").fetchone()[0]
        mention_id = FIRST_MENTION + count
        db.execute(
            """INSERT INTO mentions (id, account_id, author_id, author_handle, created_at, text, is_question,
                                     question_reason, source) VALUES (?, ?, ?, ?, ?, ?, 1, 'question mark', 'api')""",
            [mention_id, account.id, 42 + count, f"reader{count}", alerts.format_time(now - age), text],
        )
    return mention_id


def answer_on_x(db_path, account, mention_id: int, at: datetime) -> None:
    """Store the account's reply to a mention and link it, as a poll does."""
    with Store(db_path) as store, store.write() as db:
        db.execute(
            """INSERT INTO tweets (id, account_id, created_at, kind, text, in_reply_to_status_id, source)
               VALUES (?, ?, ?, 'reply', 'Here is the answer', ?, 'api')""",
            [mention_id + 500_000, account.id, alerts.format_time(at), mention_id],
        )
        link_answers(db, account)


def plan(db_path, account, now: datetime = NOW, settings: AlertSettings = AlertSettings()):
    with Store(db_path) as store:
        return plan_alert(store.db, account, now, settings)


@pytest.fixture
def sender(slack, db_path, account):
    notices: list[str] = []

    def make(settings: AlertSettings = AlertSettings(), default_channel: str | None = CHANNEL) -> AlertSender:
        client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
        return AlertSender(client, db_path, settings, default_channel, notices.append)

    make.notices = notices
    return make


def posts(slack) -> list[dict]:
    return [request.body for request in slack.received("/api/chat.postMessage")]


def updates(slack) -> list[dict]:
    return [request.body for request in slack.received("/api/chat.update")]


def blocks_of(body: dict) -> list[dict]:
    blocks = body["blocks"]
    return json.loads(blocks) if isinstance(blocks, str) else blocks


def buttons_of(body: dict) -> list[dict]:
    return [element for block in blocks_of(body) if block["type"] == "actions" for element in block["elements"]]


def click(sender: AlertSender, action_id: str, value: str, user_id: str = LIBRARIAN) -> None:
    """Send a block_actions payload of the alert message to the handler, as the Bolt listener does."""
    payload = action_payload(value, "http://127.0.0.1:9/unused", action_id=action_id, user_id=user_id)
    payload["container"] = {"type": "message", "message_ts": "1764504000.000100", "channel_id": CHANNEL,
                            "is_ephemeral": False}
    sender.handle_action(payload, payload["actions"][0])


def open_alert_row(db_path, account):
    with Store(db_path) as store:
        return alerts.open_alert(store.db, account.id)


# Quiet hours.

@pytest.mark.parametrize("text, start, end", [
    ("20:00-08:00", time(20), time(8)), (" 7:30 - 9:05 ", time(7, 30), time(9, 5)), ("00:00-23:59", time(0),
                                                                                       time(23, 59)),
])
def test_quiet_hours_are_read(text, start, end):
    assert parse_quiet_hours(text) == (start, end)


def test_empty_quiet_hours_mean_none():
    assert parse_quiet_hours("  ") is None


@pytest.mark.parametrize("text", ["20:00", "8pm-8am", "25:00-08:00", "20:00-08:60", "20:00-20:00", "soon"])
def test_bad_quiet_hours_are_named(text):
    with pytest.raises(UsageError, match=f"'{text}'"):
        parse_quiet_hours(text)


def test_quiet_hours_span_midnight_in_zone():
    toronto = ZoneInfo("America/Toronto")
    settings = AlertSettings(quiet=(time(20), time(8)), zone=toronto)

    assert in_quiet_hours(datetime(2026, 11, 30, 22, 0, tzinfo=toronto), settings)
    assert in_quiet_hours(datetime(2026, 12, 1, 7, 59, tzinfo=toronto), settings)
    assert not in_quiet_hours(datetime(2026, 12, 1, 8, 0, tzinfo=toronto), settings)
    assert not in_quiet_hours(datetime(2026, 11, 30, 19, 59, tzinfo=toronto), settings)
    # 17:00 UTC is 12:00 in Toronto.
    assert not in_quiet_hours(datetime(2026, 11, 30, 17, 0, tzinfo=timezone.utc), settings)


# Plans on the store.

def test_plan_waits_below_threshold(db_path, account):
    add_question(db_path, account, timedelta(hours=1))
    add_question(db_path, account, timedelta(hours=2))

    assert plan(db_path, account).action == alerts.NOTHING


def test_plan_posts_at_threshold(db_path, account):
    for hours in (1, 2, 3):
        add_question(db_path, account, timedelta(hours=hours))

    result = plan(db_path, account)

    assert result.action == alerts.POST
    assert len(result.new) == 3
    assert result.reason == "the threshold is reached"


def test_plan_posts_for_old_question(db_path, account):
    add_question(db_path, account, timedelta(hours=24))

    result = plan(db_path, account)

    assert result.action == alerts.POST
    assert result.reason == "the oldest is past the maximum age"
    assert plan(db_path, account, NOW - timedelta(minutes=1)).action == alerts.NOTHING


def test_plan_leaves_out_the_old_backlog(db_path, account):
    for days in (8, 9, 30):
        add_question(db_path, account, timedelta(days=days))
    recent = add_question(db_path, account, timedelta(days=2))

    result = plan(db_path, account)

    assert result.action == alerts.POST
    assert [question.id for question in result.new] == [recent]


def test_plan_honours_settings(db_path, account):
    add_question(db_path, account, timedelta(hours=2))

    assert plan(db_path, account, settings=AlertSettings(threshold=1)).action == alerts.POST
    assert plan(db_path, account, settings=AlertSettings(max_age=timedelta(hours=2))).action == alerts.POST


def test_plan_ignores_answered_and_marked(db_path, account):
    first = add_question(db_path, account, timedelta(hours=30))
    second = add_question(db_path, account, timedelta(hours=30))
    answer_on_x(db_path, account, first, NOW - timedelta(hours=1))
    with Store(db_path) as store, store.write() as db:
        alerts.mark_question(db, account.id, second, alerts.NOT_QUESTION, LIBRARIAN, NOW)

    assert plan(db_path, account).action == alerts.NOTHING


def test_plan_waits_in_quiet_hours(db_path, account):
    settings = AlertSettings(quiet=(time(20), time(8)), zone=ZoneInfo("UTC"))
    add_question(db_path, account, timedelta(hours=30), now=NOW)

    quiet = plan(db_path, account, datetime(2026, 11, 30, 23, 0, tzinfo=timezone.utc), settings)
    after = plan(db_path, account, datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc), settings)

    assert quiet.action == alerts.NOTHING
    assert quiet.reason == "quiet hours"
    assert after.action == alerts.POST


# The store's unanswered questions.

def test_marked_questions_leave_unanswered_list(db_path, account):
    unmarked_id = add_question(db_path, account, timedelta(hours=3))
    marked = add_question(db_path, account, timedelta(hours=2))
    false_positive = add_question(db_path, account, timedelta(hours=1))
    with Store(db_path) as store, store.write() as db:
        alerts.mark_question(db, account.id, marked, alerts.ANSWERED, LIBRARIAN, NOW)
        alerts.mark_question(db, account.id, false_positive, alerts.NOT_QUESTION, LIBRARIAN, NOW)
        count = unanswered.count_unanswered(db, account.id)
        listed = [question.id for question in unanswered.list_unanswered(db, account.id, 10)]
        fp_since_before = alerts.false_positive_count(db, NOW - timedelta(days=30))
        fp_since_after = alerts.false_positive_count(db, NOW + timedelta(minutes=1))
        fp_of_account = alerts.false_positive_count(db, NOW - timedelta(days=30), account.id)

    assert count == 1
    assert listed == [unmarked_id]
    assert fp_since_before == 1
    assert fp_since_after == 0
    assert fp_of_account == 1


def test_first_mark_is_kept(db_path, account):
    mention = add_question(db_path, account, timedelta(hours=3))
    with Store(db_path) as store, store.write() as db:
        first = alerts.mark_question(db, account.id, mention, alerts.ANSWERED, "U0FIRST", NOW)
        second = alerts.mark_question(db, account.id, mention, alerts.NOT_QUESTION, "U0SECOND", NOW)
        row = db.execute("SELECT mark, marked_by, marked_at FROM question_marks").fetchone()

    assert first is True
    assert second is False
    assert row == ("answered", "U0FIRST", "2026-11-30T12:00:00Z")


def test_mark_of_unknown_mention_is_rejected(db_path, account):
    with Store(db_path) as store, store.write() as db:
        with pytest.raises(UsageError, match="is not stored"):
            alerts.mark_question(db, account.id, 123, alerts.ANSWERED, LIBRARIAN, NOW)
        with pytest.raises(UsageError, match="'maybe' is not a question mark"):
            alerts.mark_question(db, account.id, 123, "maybe", LIBRARIAN, NOW)


def test_account_channel_overrides_default(db_path, account):
    with Store(db_path) as store, store.write() as db:
        before = alerts.alert_channel(db, account, CHANNEL)
        alerts.set_alert_channel(db, account, "#health-desk")
        after = alerts.alert_channel(db, account, CHANNEL)
        alerts.set_alert_channel(db, account, "C0OTHER")
        changed = alerts.alert_channel(db, account, None)

    assert before == CHANNEL
    assert after == "#health-desk"
    assert changed == "C0OTHER"


# Rendering.

def test_alert_lists_each_question_with_buttons(account):
    questions = [unanswered.Question(FIRST_MENTION + index, f"reader{index}", "2026-11-29T12:00:00Z",
                                     "Do you have <b>books</b> & journals?") for index in range(3)]

    message = render_alert(account, questions, 3, NOW)

    blocks = message.blocks
    assert blocks[0]["text"]["text"] == "Unanswered questions to @TestHealthLib"
    assert "*3 waiting*, the oldest 24 h old." in blocks[1]["text"]["text"]
    assert "*@reader0* · 24 h old\nDo you have &lt;b&gt;books&lt;/b&gt; &amp; journals?" == blocks[2]["text"]["text"]
    actions = blocks[3]
    assert [button["action_id"] for button in actions["elements"]] == [
        OPEN_ACTION_ID, ANSWERED_ACTION_ID, NOT_QUESTION_ACTION_ID]
    assert actions["elements"][0]["url"] == f"https://x.com/reader0/status/{FIRST_MENTION}"
    assert read_mark_value(actions["elements"][1]["value"]) == (account.id, FIRST_MENTION)
    assert "books" not in message.text


def test_alert_keeps_within_block_limit(account):
    long_text = "Where can I find " + "very " * 100 + "old maps?"
    questions = [unanswered.Question(FIRST_MENTION + index, None, "2026-11-29T12:00:00Z", long_text)
                 for index in range(MAX_SHOWN + 10)]

    message = render_alert(account, questions, len(questions), NOW)

    assert len(message.blocks) <= MAX_BLOCKS
    sections = [block for block in message.blocks if block["type"] == "section"][1:]
    assert len(sections) == MAX_SHOWN
    assert all(len(section["text"]["text"].split("\n", 1)[1]) <= 140 for section in sections)
    assert "10 more wait" in json.dumps(message.blocks[-1])
    assert "an unknown user" in sections[0]["text"]["text"]


def test_all_answered_alert_has_no_buttons(account):
    message = render_alert(account, [], 4, NOW)

    assert message.blocks[0]["text"]["text"] == "All answered · @TestHealthLib"
    assert "All 4 questions of this alert to @TestHealthLib are answered or marked." in message.text
    assert all(block["type"] != "actions" for block in message.blocks)


def test_mark_value_round_trips_within_limit():
    value = encode_mark_value(7, 2**63 - 1)

    assert len(value) <= MAX_BUTTON_VALUE
    assert read_mark_value(value) == (7, 2**63 - 1)


@pytest.mark.parametrize("value", ["", "{}", '{"account":"7","mention":1}', "[1,2]", "not json"])
def test_bad_mark_value_is_rejected(value):
    with pytest.raises(ValueError, match="invalid mark button value"):
        read_mark_value(value)


# Delivery to the local Slack.

def test_threshold_posts_one_alert(sender, slack, db_path, account):
    for hours in (1, 2, 3):
        add_question(db_path, account, timedelta(hours=hours))

    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()
        sender().check_alerts()

    (post,) = posts(slack)
    assert post["channel"] == CHANNEL
    assert len([button for button in buttons_of(post) if button["action_id"] == ANSWERED_ACTION_ID]) == 3
    assert updates(slack) == []
    alert = open_alert_row(db_path, account)
    assert alert.ts is not None
    assert alert.channel == CHANNEL


def test_old_question_posts_alert(sender, slack, db_path, account):
    add_question(db_path, account, timedelta(hours=23))

    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        sender().check_alerts()

    (post,) = posts(slack)
    assert "the oldest 24 h old" in post["text"]


def test_no_channel_means_no_alert(sender, slack, db_path, account):
    for hours in (1, 2, 3):
        add_question(db_path, account, timedelta(hours=hours))

    with time_machine.travel(NOW, tick=False):
        sender(default_channel=None).check_alerts()

    assert posts(slack) == []
    assert open_alert_row(db_path, account) is None


def test_account_channel_receives_alert(sender, slack, db_path, account):
    add_question(db_path, account, timedelta(hours=30))
    with Store(db_path) as store, store.write() as db:
        alerts.set_alert_channel(db, account, "#health-desk")

    with time_machine.travel(NOW, tick=False):
        sender(default_channel=None).check_alerts()

    (post,) = posts(slack)
    assert post["channel"] == "#health-desk"
    # chat.update needs the channel id that Slack returned.
    assert open_alert_row(db_path, account).channel == "CHEALTHDESK"


def test_alert_is_updated_in_place_until_all_answered(sender, slack, db_path, account):
    ids = [add_question(db_path, account, timedelta(hours=hours)) for hours in (3, 2, 1)]
    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()
    ts = open_alert_row(db_path, account).ts

    answer_on_x(db_path, account, ids[0], NOW + timedelta(minutes=10))
    with time_machine.travel(NOW + timedelta(minutes=15), tick=False):
        sender().check_alerts()
        sender().check_alerts()
    answer_on_x(db_path, account, ids[1], NOW + timedelta(minutes=20))
    answer_on_x(db_path, account, ids[2], NOW + timedelta(minutes=25))
    with time_machine.travel(NOW + timedelta(minutes=30), tick=False):
        sender().check_alerts()

    assert len(posts(slack)) == 1
    first, last = updates(slack)
    assert first["ts"] == ts
    assert first["channel"] == CHANNEL
    assert "*2 waiting*" in json.dumps(blocks_of(first))
    assert "1 of the 3 in this alert answered or marked" in json.dumps(blocks_of(first))
    assert last["ts"] == ts
    assert "All 3 questions of this alert" in last["text"]
    assert open_alert_row(db_path, account) is None


def test_new_burst_after_close_leaves_old_questions(sender, slack, db_path, account):
    first = add_question(db_path, account, timedelta(hours=30))
    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()
    answer_on_x(db_path, account, first, NOW + timedelta(minutes=5))
    newer = [add_question(db_path, account, timedelta(hours=1), now=NOW + timedelta(hours=1)) for _ in range(3)]

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        sender().check_alerts()

    assert len(posts(slack)) == 2
    assert "All 1 questions" in updates(slack)[0]["text"]
    second_values = [button["value"] for button in buttons_of(posts(slack)[1]) if "value" in button]
    assert {read_mark_value(value)[1] for value in second_values} == set(newer)


def test_no_duplicate_after_restart(sender, slack, db_path, account):
    for hours in (1, 2, 3):
        add_question(db_path, account, timedelta(hours=hours))
    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()

    # A new sender, as after a restart of the bot, over the same store.
    with time_machine.travel(NOW + timedelta(minutes=15), tick=False):
        sender().check_alerts()

    assert len(posts(slack)) == 1
    assert updates(slack) == []


def test_new_question_brings_reminder_in_thread(sender, slack, db_path, account):
    for hours in (1, 2, 3):
        add_question(db_path, account, timedelta(hours=hours))
    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()
    alert = open_alert_row(db_path, account)
    newcomer = add_question(db_path, account, timedelta(minutes=5), now=NOW + timedelta(hours=1))

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        sender().check_alerts()
        sender().check_alerts()

    first, reminder = posts(slack)
    assert reminder["thread_ts"] == alert.ts
    assert reminder["reply_broadcast"] in (True, "true", "1", 1)
    assert "*Reminder:* 1 new questions to @TestHealthLib. 4 wait in all" in reminder["text"]
    (update,) = updates(slack)
    assert "*4 waiting*" in json.dumps(blocks_of(update))
    assert str(newcomer) in json.dumps(blocks_of(update))


def test_reminder_after_remind_period_without_progress(sender, slack, db_path, account):
    ids = [add_question(db_path, account, timedelta(hours=hours)) for hours in (1, 2, 3, 4)]
    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()
    with time_machine.travel(NOW + timedelta(hours=23, minutes=59), tick=False):
        sender().check_alerts()
    assert len(posts(slack)) == 1

    with time_machine.travel(NOW + timedelta(hours=24), tick=False):
        sender().check_alerts()
    assert len(posts(slack)) == 2
    assert "still wait" in posts(slack)[1]["text"]
    assert "with no progress in 24 h" in posts(slack)[1]["text"]
    # The reminder also refreshes the ages in the alert.
    assert len(updates(slack)) == 1

    # A reply on X at +30 h is progress: the next reminder waits 24 h from it.
    answer_on_x(db_path, account, ids[0], NOW + timedelta(hours=30))
    with time_machine.travel(NOW + timedelta(hours=48), tick=False):
        sender().check_alerts()
    assert len(posts(slack)) == 2
    assert len(updates(slack)) == 2
    with time_machine.travel(NOW + timedelta(hours=54), tick=False):
        sender().check_alerts()
    assert len(posts(slack)) == 3


def test_quiet_hours_delay_alert(sender, slack, db_path, account):
    toronto = ZoneInfo("America/Toronto")
    settings = AlertSettings(quiet=(time(20), time(8)), zone=toronto)
    evening = datetime(2026, 11, 30, 21, 0, tzinfo=toronto)
    for hours in (1, 2, 3):
        add_question(db_path, account, timedelta(hours=hours), now=evening)

    with time_machine.travel(evening, tick=False):
        sender(settings).check_alerts()
    with time_machine.travel(datetime(2026, 12, 1, 7, 59, tzinfo=toronto), tick=False):
        sender(settings).check_alerts()
    assert posts(slack) == []

    with time_machine.travel(datetime(2026, 12, 1, 8, 0, tzinfo=toronto), tick=False):
        sender(settings).check_alerts()
    assert len(posts(slack)) == 1


def test_quiet_hours_delay_reminder_not_update(sender, slack, db_path, account):
    settings = AlertSettings(quiet=(time(20), time(8)), zone=ZoneInfo("UTC"))
    ids = [add_question(db_path, account, timedelta(hours=hours)) for hours in (1, 2, 3)]
    with time_machine.travel(NOW, tick=False):
        sender(settings).check_alerts()
    night = datetime(2026, 11, 30, 22, 0, tzinfo=timezone.utc)
    add_question(db_path, account, timedelta(minutes=1), now=night)
    answer_on_x(db_path, account, ids[0], night)

    with time_machine.travel(night, tick=False):
        sender(settings).check_alerts()
    assert len(posts(slack)) == 1
    assert "*2 waiting*" in json.dumps(blocks_of(updates(slack)[0]))

    with time_machine.travel(datetime(2026, 12, 1, 8, 0, tzinfo=timezone.utc), tick=False):
        sender(settings).check_alerts()
    assert len(posts(slack)) == 2
    assert "1 new questions" in posts(slack)[1]["text"]


def test_rejected_post_is_retried_and_notified_once(sender, slack, db_path, account, caplog):
    add_question(db_path, account, timedelta(hours=30), text=PRIVATE_TEXT)
    slack.next_failures["chat.postMessage"] = ["not_in_channel", "not_in_channel"]

    alert_sender = sender()
    with caplog.at_level(logging.INFO), time_machine.travel(NOW, tick=False):
        alert_sender.check_alerts()
        alert_sender.check_alerts()
        alert_sender.check_alerts()

    assert len(posts(slack)) == 3
    assert len(sender.notices) == 1
    assert "Slack said not_in_channel" in sender.notices[0]
    assert "failed to post the alert of @TestHealthLib in C0ALERTS: not_in_channel" in caplog.text
    assert open_alert_row(db_path, account).ts is not None
    assert "measles" not in caplog.text
    assert "measles" not in sender.notices[0]


def test_interrupted_post_is_not_repeated(sender, slack, db_path, account, caplog):
    mention = add_question(db_path, account, timedelta(hours=30))
    with Store(db_path) as store, store.write() as db:
        alerts.start_alert(db, account.id, CHANNEL, [mention], NOW - timedelta(minutes=5))

    with caplog.at_level(logging.WARNING), time_machine.travel(NOW, tick=False):
        sender().check_alerts()

    assert posts(slack) == []
    assert "was interrupted while being posted" in caplog.text
    assert open_alert_row(db_path, account) is None


def test_deleted_alert_message_closes_burst(sender, slack, db_path, account):
    ids = [add_question(db_path, account, timedelta(hours=hours)) for hours in (1, 2, 3)]
    with time_machine.travel(NOW, tick=False):
        sender().check_alerts()
    answer_on_x(db_path, account, ids[0], NOW + timedelta(minutes=1))
    slack.next_failures["chat.update"] = ["message_not_found"]

    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        sender().check_alerts()

    assert open_alert_row(db_path, account) is None
    assert len(posts(slack)) == 1


# Buttons.

def posted_alert(sender, slack, db_path, account, count: int = 3):
    ids = [add_question(db_path, account, timedelta(hours=hours), text=PRIVATE_TEXT) for hours in range(1, count + 1)]
    alert_sender = sender(AlertSettings(threshold=count))
    with time_machine.travel(NOW, tick=False):
        alert_sender.check_alerts()
    return alert_sender, ids


def test_mark_answered_button_records_and_updates(sender, slack, db_path, account, caplog):
    alert_sender, ids = posted_alert(sender, slack, db_path, account)
    value = next(button["value"] for button in buttons_of(posts(slack)[0])
                 if button["action_id"] == ANSWERED_ACTION_ID)

    with caplog.at_level(logging.INFO), time_machine.travel(NOW + timedelta(hours=2), tick=False):
        click(alert_sender, ANSWERED_ACTION_ID, value)

    mention_id = read_mark_value(value)[1]
    with Store(db_path) as store:
        row = store.db.execute("SELECT mark, marked_by, marked_at FROM question_marks WHERE mention_id = ?",
                               [mention_id]).fetchone()
    assert row == ("answered", LIBRARIAN, "2026-11-30T14:00:00Z")
    (update,) = updates(slack)
    assert update["ts"] == open_alert_row(db_path, account).ts
    assert "*2 waiting*" in json.dumps(blocks_of(update))
    assert str(mention_id) not in json.dumps(blocks_of(update))
    assert f"user {LIBRARIAN} marked mention {mention_id} of @TestHealthLib as answered" in caplog.text
    assert "measles" not in caplog.text


def test_not_question_button_counts_false_positive(sender, slack, db_path, account):
    alert_sender, ids = posted_alert(sender, slack, db_path, account)

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        click(alert_sender, NOT_QUESTION_ACTION_ID, encode_mark_value(account.id, ids[1]))

    with Store(db_path) as store:
        count = alerts.false_positive_count(store.db, NOW - timedelta(days=7))
        remaining = unanswered.count_unanswered(store.db, account.id)
    assert count == 1
    assert remaining == 2
    assert len(updates(slack)) == 1


def test_marking_last_question_closes_alert(sender, slack, db_path, account):
    alert_sender, ids = posted_alert(sender, slack, db_path, account, count=1)
    (mention_id,) = ids

    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        click(alert_sender, ANSWERED_ACTION_ID, encode_mark_value(account.id, mention_id))
        alert_sender.check_alerts()

    (update,) = updates(slack)
    assert "All 1 questions of this alert" in update["text"]
    assert open_alert_row(db_path, account) is None
    assert len(posts(slack)) == 1


def test_open_on_x_button_changes_nothing(sender, slack, db_path, account):
    alert_sender, ids = posted_alert(sender, slack, db_path, account)

    click(alert_sender, OPEN_ACTION_ID, "")

    assert updates(slack) == []
    with Store(db_path) as store:
        assert store.db.execute("SELECT count(*) FROM question_marks").fetchone()[0] == 0


def test_unreadable_button_value_is_logged(sender, slack, db_path, account, caplog):
    alert_sender, ids = posted_alert(sender, slack, db_path, account)

    with caplog.at_level(logging.WARNING):
        click(alert_sender, ANSWERED_ACTION_ID, "garbage")
        click(alert_sender, ANSWERED_ACTION_ID, encode_mark_value(account.id, 5))

    assert f"a {ANSWERED_ACTION_ID} button from user {LIBRARIAN} carried an unreadable value" in caplog.text
    assert f"user {LIBRARIAN} marked mention 5 of account {account.id}, which is not stored" in caplog.text
    assert updates(slack) == []


def test_button_through_bolt_marks_and_updates(slack, db_path, account):
    from slack_fixtures import start_http_bot
    from slack_requests import send_action

    ids = [add_question(db_path, account, timedelta(hours=hours)) for hours in (1, 2, 3)]
    running, server = start_http_bot(slack, db_path, alerts=AlertSettings())
    try:
        with time_machine.travel(NOW, tick=False):
            sender_client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)
            AlertSender(sender_client, db_path, AlertSettings(), CHANNEL, lambda message: False).check_alerts()
        (post,) = posts(slack)
        button = next(button for button in buttons_of(post) if button["action_id"] == NOT_QUESTION_ACTION_ID)
        payload = action_payload(button["value"], slack.response_url("action"), action_id=NOT_QUESTION_ACTION_ID)
        payload["container"] = {"type": "message", "message_ts": "1764504000.000100", "channel_id": CHANNEL,
                                "is_ephemeral": False}
        answer = send_action(running.url, payload)
        slack.wait_for("/api/chat.update")
    finally:
        server.close()

    assert answer.status == 200
    with Store(db_path) as store:
        marks = store.db.execute("SELECT mention_id, mark, marked_by FROM question_marks").fetchall()
    assert marks == [(ids[2], alerts.NOT_QUESTION, LIBRARIAN)]


def test_alerts_command_sets_the_channel(slack, sample_db):
    from slack_fixtures import ADMIN, start_http_bot
    from slack_requests import command_body, send_command

    running, server = start_http_bot(slack, sample_db)
    try:
        send_command(running.url, command_body("alerts @NorthbrookHSL <#C0REFDESK|reference-desk>",
                                               slack.response_url(), user_id=ADMIN))
        reply = slack.wait_for("/webhook/command")[0].body
    finally:
        server.close()

    assert "now go to <#C0REFDESK>" in reply["text"]
    with Store(sample_db) as store:
        account = accounts.require_account(store.db, "NorthbrookHSL")
        assert alerts.alert_channel(store.db, account, None) == "C0REFDESK"


def test_scheduler_checks_alerts_without_polling(slack, db_path, account):
    from bot.scheduler import PollScheduler

    for hours in (1, 2, 3):
        add_question(db_path, account, timedelta(hours=hours))
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)

    with time_machine.travel(NOW, tick=True):
        scheduler = PollScheduler(db_path, None, lambda message: False)
        scheduler.add_alerts(AlertSender(client, db_path, AlertSettings(), CHANNEL, lambda message: False))
        scheduler.start()
        slack.wait_for("/api/chat.postMessage")
        scheduler.stop()

    assert len(posts(slack)) == 1


def test_marks_change_the_report_figures(db_path, account):
    from metrics.figures import responsiveness

    ids = [add_question(db_path, account, timedelta(hours=hours)) for hours in (5, 6, 7, 8)]
    answer_on_x(db_path, account, ids[0], NOW - timedelta(hours=4))
    with Store(db_path) as store, store.write() as db:
        alerts.mark_question(db, account.id, ids[1], alerts.ANSWERED, LIBRARIAN, NOW)
        alerts.mark_question(db, account.id, ids[2], alerts.NOT_QUESTION, LIBRARIAN, NOW)
        db.execute("INSERT INTO mention_coverage (account_id, start, end, source) VALUES (?, ?, ?, 'poll')",
                   [account.id, "2026-11-29T00:00:00Z", "2026-11-30T12:00:00Z"])
        params = {"account": account.id, "since": "2026-11-30T00:00:00Z", "until": "2026-12-01T00:00:00Z"}
        figures = responsiveness(db, params)

    assert figures.questions == 3
    assert figures.answered == 2
    assert figures.response_rate == pytest.approx(2 / 3)
    assert figures.median_response_minutes == 60.0
