"""Socket Mode end to end: the app connects through apps.connections.open to a local WebSocket server."""

from zoneinfo import ZoneInfo

import pytest

from bot.app import build_app
from bot.config import SlackSettings
from bot.server import connect_socket_mode
from slack_fixtures import sample_runner
from slack_requests import command_body
from slack_server import APP_TOKEN, BOT_TOKEN
from socket_server import SocketModeServer


@pytest.fixture
def socket_bot(slack, sample_db):
    sockets = SocketModeServer().start()
    slack.socket_url = sockets.url
    settings = SlackSettings(bot_token=BOT_TOKEN, app_token=APP_TOKEN, api_url=slack.api_url)
    app = build_app(settings, sample_db, ZoneInfo("UTC"), runner=sample_runner(sample_db))
    handler = connect_socket_mode(app, APP_TOKEN)
    assert sockets.connected.wait(10)
    yield sockets
    handler.close()
    sockets.stop()


def home_opened(event_id: str, retry: int = 0, user: str = "U0LIBRARIAN") -> dict:
    envelope = {
        "envelope_id": f"envelope-{event_id}-{retry}", "type": "events_api", "accepts_response_payload": False,
        "retry_attempt": retry, "retry_reason": "timeout" if retry else "",
        "payload": {"type": "event_callback", "team_id": "T0LIBRARY", "api_app_id": "A0TWEETSTATS",
                    "event_id": event_id, "event_time": 1764504000,
                    "event": {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                              "event_ts": "1764504000.000100"}},
    }
    return envelope


def test_socket_mode_command_gets_reply(socket_bot, slack):
    payload = command_body("@NorthbrookHSL 30d", slack.response_url())
    socket_bot.push({"envelope_id": "e-command-1", "type": "slash_commands", "accepts_response_payload": True,
                     "payload": payload})

    ack = socket_bot.wait_for_ack("e-command-1")
    reply = slack.wait_for("/webhook/command")[0].body

    assert ack == {"envelope_id": "e-command-1"}
    assert reply["blocks"][0]["text"]["text"] == "@NorthbrookHSL · 2026-11-01 to 2026-11-30"
    assert [request.path for request in slack.received("/api/apps.connections.open")] == ["/api/apps.connections.open"]


def test_socket_mode_help_in_ack(socket_bot, slack):
    socket_bot.push({"envelope_id": "e-help", "type": "slash_commands", "accepts_response_payload": True,
                     "payload": command_body("help", slack.response_url())})

    ack = socket_bot.wait_for_ack("e-help")

    assert "/tweetstats compare @a @b [period]" in ack["payload"]["text"]


def test_retried_event_publishes_once(socket_bot, slack):
    socket_bot.push(home_opened("Ev0HOME1"))
    socket_bot.push(home_opened("Ev0HOME1", retry=1))
    socket_bot.wait_for_ack("envelope-Ev0HOME1-0")
    socket_bot.wait_for_ack("envelope-Ev0HOME1-1")
    # The retry was skipped before its ack; a second publish for it would have started by now.
    socket_bot.push(home_opened("Ev0HOME2", user="U0OTHER"))

    published = slack.wait_for("/api/views.publish", 2)

    assert sorted(request.body["user_id"] for request in published) == ["U0LIBRARIAN", "U0OTHER"]
    assert published[0].body["view"]["type"] == "home"
