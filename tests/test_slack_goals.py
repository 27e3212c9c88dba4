"""/tweetstats goals end to end: the modal opened through the served app, and its submissions saved in the store."""

import json
import logging
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.commands import Command
from bot.goals_modal import GOALS_CALLBACK_ID, TARGET_ACTION_ID
from metrics import accounts
from metrics.goal_store import goal_versions, set_goals, settings_from
from metrics.goals import GOALS
from metrics.periods import date_range, last_days
from metrics.report import build_report
from metrics.store import Store
from metrics.writer import delete_account
from slack_fixtures import ADMIN, NOW, sample_runner, start_http_bot
from slack_requests import LIBRARIAN, command_body, send_action, send_command, view_submission_payload
from slack_server import BOT_TOKEN

UTC = ZoneInfo("UTC")
HANDLE = "NorthbrookHSL"


def run_command(bot, text: str, user_id: str = ADMIN) -> dict:
    fields = command_body(text, bot.slack.response_url(), user_id=user_id)
    answer = send_command(bot.url, fields)
    assert (answer.status, answer.body) == (200, "")
    return fields


def open_form(bot, text: str = f"goals @{HANDLE}") -> dict:
    """Run the command as an admin and return the view that views.open received."""
    run_command(bot, text)
    bot.slack.wait_for("/api/views.open")
    return bot.slack.opened_views[0]


def submit(bot, view: dict, typed: dict[str, str | None] | None = None, user_id: str = ADMIN) -> dict:
    """Submit the form with ``typed`` in place of the shown text; return the acknowledgement's JSON."""
    answer = send_action(bot.url, view_submission_payload(view, typed, user_id=user_id))
    assert answer.status == 200
    return answer.json()


def reply_text(bot) -> str:
    return bot.slack.wait_for("/webhook/command")[0].body["text"]


def versions(db_path) -> list:
    with Store(db_path) as store:
        account = accounts.find_account(store.db, HANDLE)
        return goal_versions(store.db, account.id) if account else []


def view_text(view: dict) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def inputs_of(view: dict) -> dict[str, dict]:
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


def store_goals(db_path, targets: dict) -> None:
    """Store goals that started long before NOW, as an earlier save would have."""
    with Store(db_path) as store, store.write() as db:
        account = accounts.find_account(db, HANDLE)
        set_goals(db, account, targets, NOW.replace(year=2025), "cli", NOW.replace(year=2025))


def test_form_shows_goals_in_force(bot):
    store_goals(bot.db_path, {"response_rate": 0.8, "engagement_per_tweet": 2.0, "listening_share": None})

    fields = run_command(bot, f"goals @{HANDLE}")

    opened = bot.slack.wait_for("/api/views.open")[0].body
    view = bot.slack.opened_views[0]
    assert opened["trigger_id"] == fields["trigger_id"]
    assert view["callback_id"] == GOALS_CALLBACK_ID
    inputs = inputs_of(view)
    assert list(inputs) == [spec.name for spec in GOALS]
    initial = {name: block["element"].get("initial_value") for name, block in inputs.items()}
    assert initial == {"response_rate": "80%", "median_response_minutes": "24h", "unanswered_after_day": "0",
                       "linking_share": "25%", "listening_share": None, "promoting_share": "50%",
                       "tweets_per_week": "3", "engagement_per_tweet": "2", "followers_growth_per_month": None}
    assert all(block["optional"] is True for block in inputs.values())
    assert all(block["element"]["action_id"] == TARGET_ACTION_ID for block in inputs.values())
    assert bot.slack.received("/webhook/command") == []


def test_form_labels_and_hints(bot):
    view = open_form(bot)

    inputs = inputs_of(view)
    assert inputs["response_rate"]["label"]["text"] == "Response rate, at least (%)"
    assert inputs["median_response_minutes"]["label"]["text"] == "Median reply time, at most (time)"
    assert inputs["tweets_per_week"]["label"]["text"] == "Tweets per week, at least (number)"
    response_hint = inputs["response_rate"]["hint"]["text"]
    assert "The default is 90%" in response_hint
    assert "Leave the field empty for no goal" in response_hint
    assert "There is no goal by default" in inputs["engagement_per_tweet"]["hint"]["text"]
    assert f"@{HANDLE}" in view_text(view)


def test_form_metadata_names_account(bot):
    view = open_form(bot, "goals")

    metadata = json.loads(view["private_metadata"])
    with Store(bot.db_path) as store:
        account = accounts.find_account(store.db, HANDLE)
    assert metadata["account_id"] == account.id
    assert metadata["handle"] == HANDLE


def test_non_admin_gets_no_form(bot):
    run_command(bot, f"goals @{HANDLE}", user_id=LIBRARIAN)

    text = reply_text(bot)
    assert "only the admins named in the bot's settings can use `/tweetstats goals`" in text
    assert bot.slack.received("/api/views.open") == []


def test_unknown_account_gets_no_form(bot):
    run_command(bot, "goals @NoSuchLibrary")

    text = reply_text(bot)
    assert "no account @NoSuchLibrary in the store" in text
    assert bot.slack.received("/api/views.open") == []


def test_expired_trigger_asks_to_retry(bot, caplog):
    bot.slack.failures["views.open"] = "expired_trigger_id"

    run_command(bot, f"goals @{HANDLE}")

    text = reply_text(bot)
    assert "expired_trigger_id" in text
    assert "Try the command again" in text
    assert f"`/tweetstats goals @{HANDLE}`" in text
    assert "views.open of the goals form of @NorthbrookHSL failed for user U0ADMIN: expired_trigger_id" in caplog.text
    assert bot.slack.opened_views == []


def test_valid_values_store_new_versions(bot, caplog):
    caplog.set_level(logging.INFO, logger="bot.goal_listeners")
    view = open_form(bot)

    answer = submit(bot, view, {"response_rate": "50%", "tweets_per_week": "5", "median_response_minutes": "2d"})

    assert answer["response_action"] == "update"
    text = view_text(answer["view"])
    assert "Changed from now on: Response rate, Median reply time, Tweets per week" in text
    assert "Response rate: at least 50% _(changed)_" in text
    assert "External-link share: at least 25%" in text
    stored = {version.name: version for version in versions(bot.db_path)}
    assert sorted(stored) == ["median_response_minutes", "response_rate", "tweets_per_week"]
    assert stored["response_rate"].target == 0.5
    assert stored["median_response_minutes"].target == 2 * 24 * 60
    assert stored["tweets_per_week"].target == 5
    assert stored["response_rate"].set_by == ADMIN
    assert stored["response_rate"].effective_from == "2026-11-30T12:00:00Z"
    assert ("user U0ADMIN changed goals of @NorthbrookHSL: response_rate=50%, median_response_minutes=2d, "
            "tweets_per_week=5") in caplog.text


def test_saved_goals_judge_later_reports(bot):
    view = open_form(bot)

    submit(bot, view, {"response_rate": "50%", "engagement_per_tweet": "4"})

    with Store(bot.db_path) as store:
        account = accounts.find_account(store.db, HANDLE)
        recent = build_report(store.db, account, last_days(7, NOW.date(), UTC))
        october = build_report(store.db, account, date_range(date(2026, 10, 1), date(2026, 10, 31), UTC))
    recent_targets = {goal.name: goal.target for goal in recent.goals}
    october_targets = {goal.name: goal.target for goal in october.goals}
    assert recent_targets["response_rate"] == 0.5
    assert recent_targets["engagement_per_tweet"] == 4
    assert october_targets["response_rate"] == 0.9
    assert "engagement_per_tweet" not in october_targets


@pytest.mark.parametrize("name, typed, expected", [
    ("response_rate", "150%", ["'150%' is out of range", "percentage", "from 0% to 100%"]),
    ("response_rate", "90", ["'90' is out of range", "type the % sign"]),
    ("response_rate", "-5%", ["'-5%' is out of range", "percentage"]),
    ("median_response_minutes", "3 weeks", ["'3 weeks' is not a time in minutes", "24h"]),
    ("unanswered_after_day", "-1", ["'-1' is out of range", "whole number of questions"]),
    ("unanswered_after_day", "1.5", ["'1.5' is not a whole number of questions"]),
    ("tweets_per_week", "three", ["'three' is not a number of tweets"]),
])
def test_invalid_value_names_field(bot, name, typed, expected):
    view = open_form(bot)

    answer = submit(bot, view, {name: typed, "linking_share": "30%"})

    assert answer["response_action"] == "errors"
    assert list(answer["errors"]) == [name]
    for part in expected:
        assert part in answer["errors"][name]
    assert versions(bot.db_path) == []


def test_every_invalid_field_gets_message(bot):
    view = open_form(bot)

    answer = submit(bot, view, {"response_rate": "150%", "tweets_per_week": "-3"})

    assert answer["response_action"] == "errors"
    assert sorted(answer["errors"]) == ["response_rate", "tweets_per_week"]
    assert versions(bot.db_path) == []


def test_empty_field_turns_goal_off(bot):
    view = open_form(bot)

    answer = submit(bot, view, {"response_rate": None, "tweets_per_week": "  "})

    assert answer["response_action"] == "update"
    assert "Response rate: off _(changed)_" in view_text(answer["view"])
    stored = versions(bot.db_path)
    assert [(version.name, version.target) for version in stored] == [("response_rate", None),
                                                                      ("tweets_per_week", None)]
    with Store(bot.db_path) as store:
        account = accounts.find_account(store.db, HANDLE)
        report = build_report(store.db, account, last_days(7, NOW.date(), UTC))
    assert "response_rate" not in [goal.name for goal in report.goals]


def test_off_goal_can_be_switched_on(bot):
    view = open_form(bot)

    submit(bot, view, {"followers_growth_per_month": "1%"})

    assert [(version.name, version.target) for version in versions(bot.db_path)] == [
        ("followers_growth_per_month", 0.01)]


def test_unchanged_values_write_no_version(bot, caplog):
    caplog.set_level(logging.INFO, logger="bot.goal_listeners")
    store_goals(bot.db_path, {"response_rate": 1 / 3})
    view = open_form(bot)
    before = versions(bot.db_path)

    answer = submit(bot, view)

    assert answer["response_action"] == "update"
    assert "Nothing changed" in view_text(answer["view"])
    assert versions(bot.db_path) == before
    assert "user U0ADMIN saved the goals of @NorthbrookHSL without a change" in caplog.text


def test_same_target_retyped_writes_nothing(bot):
    view = open_form(bot)

    answer = submit(bot, view, {"response_rate": "90.0%", "median_response_minutes": "24h"})

    assert answer["response_action"] == "update"
    assert versions(bot.db_path) == []


def test_default_word_restores_default(bot):
    store_goals(bot.db_path, {"response_rate": 0.5})
    view = open_form(bot)

    submit(bot, view, {"response_rate": "default"})

    assert [version.target for version in versions(bot.db_path)] == [0.5, 0.9]


def test_untouched_field_keeps_other_admins_change(bot):
    view = open_form(bot)
    with Store(bot.db_path) as store, store.write() as db:
        account = accounts.find_account(db, HANDLE)
        set_goals(db, account, {"tweets_per_week": 7.0}, NOW, "U0OTHER", NOW)

    submit(bot, view, {"response_rate": "80%"})

    with Store(bot.db_path) as store:
        settings = settings_from(store.db, accounts.find_account(store.db, HANDLE).id, NOW)
    assert settings["tweets_per_week"].target == 7
    assert settings["response_rate"].target == 0.8


def test_non_admin_submission_is_rejected(bot):
    view = open_form(bot)

    answer = submit(bot, view, {"response_rate": "50%"}, user_id=LIBRARIAN)

    assert answer["response_action"] == "update"
    assert "only the admins named in the bot's settings can use `/tweetstats goals`" in view_text(answer["view"])
    assert versions(bot.db_path) == []


def test_deleted_account_gets_error_view(bot):
    view = open_form(bot)
    with Store(bot.db_path) as store, store.write() as db:
        delete_account(db, accounts.find_account(db, HANDLE))

    answer = submit(bot, view, {"response_rate": "50%"})

    assert answer["response_action"] == "update"
    text = view_text(answer["view"])
    assert "@NorthbrookHSL is no longer in the store, so no goal was saved" in text
    with Store(bot.db_path) as store:
        assert store.db.execute("SELECT count(*) FROM goals").fetchone()[0] == 0


@pytest.mark.parametrize("metadata", ["", "not json", "[1, 2]", '{"handle": "NorthbrookHSL"}',
                                      '{"account_id": "1", "handle": "NorthbrookHSL"}',
                                      '{"account_id": 1, "handle": "<@U0ADMIN>"}'])
def test_damaged_metadata_gets_error_view(bot, metadata):
    view = {**open_form(bot), "private_metadata": metadata}

    answer = submit(bot, view, {"response_rate": "50%"})

    assert answer["response_action"] == "update"
    assert "Run `/tweetstats goals` again" in view_text(answer["view"])
    assert versions(bot.db_path) == []


def test_runner_never_runs_goals(sample_db):
    runner = sample_runner(sample_db)

    with pytest.raises(ValueError, match="no branch for /tweetstats goals"):
        runner.run(Command("goals", (HANDLE,)), ADMIN)

    assert versions(sample_db) == []


@pytest.fixture
def workspace_bot(slack, sample_db):
    """The app with TWEETSTATS_ADMINS empty, so that Slack's users.info decides who is an admin."""
    slack.users.update({"U0OWNER": {"is_owner": True}, LIBRARIAN: {}})
    running, server = start_http_bot(slack, sample_db, admins=())
    yield running
    server.close()


def test_workspace_owner_saves_goals(workspace_bot):
    fields = command_body(f"goals @{HANDLE}", workspace_bot.slack.response_url(), user_id="U0OWNER")
    send_command(workspace_bot.url, fields)
    workspace_bot.slack.wait_for("/api/views.open")

    answer = submit(workspace_bot, workspace_bot.slack.opened_views[0], {"response_rate": "75%"}, user_id="U0OWNER")

    assert answer["response_action"] == "update"
    assert [version.target for version in versions(workspace_bot.db_path)] == [0.75]
    checked = [request.body["user"] for request in workspace_bot.slack.received("/api/users.info")]
    assert checked == ["U0OWNER", "U0OWNER"]


def test_users_info_failure_rejects_submission(workspace_bot):
    fields = command_body(f"goals @{HANDLE}", workspace_bot.slack.response_url(), user_id="U0OWNER")
    send_command(workspace_bot.url, fields)
    workspace_bot.slack.wait_for("/api/views.open")
    workspace_bot.slack.failures["users.info"] = "missing_scope"

    answer = submit(workspace_bot, workspace_bot.slack.opened_views[0], {"response_rate": "75%"}, user_id="U0OWNER")

    assert answer["response_action"] == "update"
    assert "could not check whether you are a workspace admin" in view_text(answer["view"])
    assert versions(workspace_bot.db_path) == []


@pytest.mark.parametrize("arguments, message", [
    ({"trigger_id": "", "view": {"type": "modal", "title": {"type": "plain_text", "text": "Goals"},
                                 "blocks": [{"type": "divider"}]}}, "missing required field: trigger_id"),
    ({"trigger_id": "1.2.abc"}, "missing required field: view"),
    ({"trigger_id": "1.2.abc", "view": {"type": "modal", "title": {"type": "plain_text", "text": "x" * 25},
                                        "blocks": [{"type": "divider"}]}}, "title must be 1 to 24 characters"),
])
def test_stand_in_checks_views_open(slack, arguments, message):
    client = WebClient(token=BOT_TOKEN, base_url=slack.api_url)

    with pytest.raises(SlackApiError) as raised:
        client.api_call("views.open", json=arguments)

    assert raised.value.response["error"] == "invalid_arguments"
    assert raised.value.response["response_metadata"]["messages"] == [f"[ERROR] {message}"]
    assert slack.opened_views == []
