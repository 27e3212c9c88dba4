"""``tweetstats run`` as a user starts it: a real process, settings from the environment, stopped by SIGTERM."""

import io
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_app
from bot.config import SlackSettings
from bot.server import HttpServer, SecretFilter, guard_logs
from slack_fixtures import sample_runner
from slack_requests import command_body, send_command
from slack_server import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET
from socket_server import SocketModeServer

SECRETS = (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET)


class Process:
    """A running ``tweetstats run``, its stderr read line by line on a thread."""

    def __init__(self, environment: dict[str, str], folder: Path, *arguments: str) -> None:
        command = [sys.executable, "-c", "from bot.cli import main; main()", "run", *arguments]
        self.popen = subprocess.Popen(command, env=environment, cwd=folder, stderr=subprocess.PIPE, text=True)
        self.lines: list[str] = []
        self._changed = threading.Condition()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.popen.stderr:
            with self._changed:
                self.lines.append(line)
                self._changed.notify_all()

    def wait_for_line(self, pattern: str, timeout: float = 20.0) -> re.Match:
        with self._changed:
            found = self._changed.wait_for(lambda: self._search(pattern) or self.popen.poll() is not None, timeout)
            match = self._search(pattern)
        assert match, f"no line matching {pattern!r}; stderr so far:\n{''.join(self.lines)}"
        assert found
        return match

    def _search(self, pattern: str) -> re.Match | None:
        return re.search(pattern, "".join(self.lines))

    def stop(self) -> int:
        self.popen.send_signal(signal.SIGTERM)
        code = self.popen.wait(timeout=20)
        with self._changed:
            self._changed.wait_for(lambda: self._search("tweetstats stopped"), 5)
        return code

    @property
    def stderr(self) -> str:
        return "".join(self.lines)


def environment(db_path: Path, **settings: str) -> dict[str, str]:
    """A minimal environment: no proxies and none of the developer's Slack settings."""
    inherited = {name: os.environ[name] for name in ("PATH", "HOME", "LANG", "SYSTEMROOT") if name in os.environ}
    return {**inherited, "PYTHONPATH": str(Path(__file__).parent.parent), "TWEETSTATS_DB": str(db_path),
            "TWEETSTATS_TIMEZONE": "UTC", **settings}


def run_once(tmp_path: Path, db_path: Path, **settings: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-c", "from bot.cli import main; main()", "run"]
    return subprocess.run(command, env=environment(db_path, **settings), cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)


def test_http_mode_replies_and_stops(slack, sample_db, tmp_path):
    process = Process(environment(sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                                  SLACK_API_URL=slack.api_url), tmp_path, "--port", "0")
    try:
        url = process.wait_for_line(r"serves Slack's requests at (http://127\.0\.0\.1:\d+/slack/events)")[1]
        answer = send_command(url, command_body("@NorthbrookHSL 30d", slack.response_url()))
        reply = slack.wait_for("/webhook/command")[0].body
    finally:
        code = process.stop()

    assert answer.status == 200
    assert reply["blocks"][0]["text"]["text"].startswith("@NorthbrookHSL · ")
    assert code == 0
    assert "tweetstats stopped." in process.stderr
    assert not any(secret in process.stderr for secret in SECRETS)


def test_socket_mode_connects_and_answers(slack, sample_db, tmp_path):
    sockets = SocketModeServer().start()
    slack.socket_url = sockets.url
    process = Process(environment(sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN,
                                  SLACK_API_URL=slack.api_url), tmp_path)
    try:
        process.wait_for_line("connected to Slack in Socket Mode")
        sockets.push({"envelope_id": "e1", "type": "slash_commands", "accepts_response_payload": True,
                      "payload": command_body("accounts", slack.response_url())})
        ack = sockets.wait_for_ack("e1")
        reply = slack.wait_for("/webhook/command")[0].body
    finally:
        code = process.stop()
        sockets.stop()

    assert ack["envelope_id"] == "e1"
    assert "@NorthbrookHSL" in reply["text"]
    assert code == 0
    assert not any(secret in process.stderr for secret in SECRETS)


@pytest.mark.parametrize("settings, message", [
    ({}, "SLACK_BOT_TOKEN is missing"),
    ({"SLACK_BOT_TOKEN": "xoxp-not-a-bot-token"}, "SLACK_BOT_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET is missing"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-in-the-wrong-place"}, "SLACK_APP_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": "slack.com/api"},
     "SLACK_API_URL='slack.com/api' is not an http(s) URL"),
])
def test_bad_settings_stop_the_start_with_one_line(slack, sample_db, tmp_path, settings, message):
    result = run_once(tmp_path, sample_db, **settings)

    assert result.returncode == 1
    assert result.stderr.startswith("Error: " + message)
    assert result.stderr.count("\n") == 1
    assert not any(value in result.stderr for value in settings.values() if value.startswith(("xox", "xapp")))


def test_rejected_token_stops_start(slack, sample_db, tmp_path):
    wrong = "xoxb-1111-2222-revokedtoken"

    result = run_once(tmp_path, sample_db, SLACK_BOT_TOKEN=wrong, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                      SLACK_API_URL=slack.api_url)

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("Error: Slack rejected SLACK_BOT_TOKEN (invalid_auth)")
    assert wrong not in result.stderr


def test_unreachable_slack_stops_start(slack, sample_db, tmp_path):
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    # Nothing listens on the port once the socket is closed.

    result = run_once(tmp_path, sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                      SLACK_API_URL=f"http://127.0.0.1:{port}/api/")

    assert result.returncode == 1
    last_line = result.stderr.splitlines()[-1]
    assert last_line.startswith(f"Error: could not reach Slack's Web API at http://127.0.0.1:{port}/api/")


def test_debug_logs_of_every_library_carry_no_secret(slack, sample_db):
    """Even at DEBUG, with Bolt, slack_sdk and waitress logging, no token or secret reaches a handler."""
    captured = io.StringIO()
    handler = logging.StreamHandler(captured)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        guard_logs(SECRETS)
        settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=slack.api_url,
                                 admins=("U0ADMIN",))
        app = build_app(settings, sample_db, ZoneInfo("UTC"), runner=sample_runner(sample_db))
        server = HttpServer(app, "127.0.0.1", 0)
        server.start_in_thread()
        for text in ("@NorthbrookHSL 30d", "export", "track @PeerLibrary"):
            send_command(server.url, command_body(text, slack.response_url(), user_id="U0ADMIN"))
        slack.wait_for("/webhook/command", 2)
        slack.wait_for("/api/files.completeUploadExternal")
        logging.getLogger("tweetstats.test").debug("a token in a message: %s", BOT_TOKEN)
        server.close()
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)

    text = captured.getvalue()
    assert "DEBUG" in text
    assert "a token in a message: [redacted]" in text
    assert not any(secret in text for secret in SECRETS)


def test_secret_filter_redacts_tracebacks_too():
    secret_filter = SecretFilter(("signing-secret-value",))
    try:
        raise RuntimeError(f"failed with {BOT_TOKEN} and signing-secret-value")
    except RuntimeError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "oops", None, sys.exc_info())

    secret_filter.filter(record)

    assert BOT_TOKEN not in record.exc_text
    assert "signing-secret-value" not in record.exc_text
    assert "[redacted]" in record.exc_text


def test_rejected_app_token_stops_start(slack, sample_db, tmp_path):
    wrong = "xapp-1-A0001-3333-revokedtoken"

    result = run_once(tmp_path, sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=wrong,
                      SLACK_API_URL=slack.api_url)

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith("Error: Slack rejected SLACK_APP_TOKEN (invalid_auth)")
    assert "Traceback" not in result.stderr
    assert wrong not in result.stderr


def test_port_in_use_stops_start(slack, sample_db, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        command = [sys.executable, "-c", "from bot.cli import main; main()", "run", "--port", str(port)]
        settings = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                    "SLACK_API_URL": slack.api_url}
        result = subprocess.run(command, env=environment(sample_db, **settings), cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)

    assert result.returncode == 1
    assert result.stderr.splitlines()[-1].startswith(f"Error: cannot listen on 127.0.0.1:{port}")


def test_start_warns_of_unknown_default_account(slack, sample_db, tmp_path):
    process = Process(environment(sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                                  SLACK_API_URL=slack.api_url, TWEETSTATS_DEFAULT_ACCOUNT="@NoSuchLibrary"),
                      tmp_path, "--port", "0")
    try:
        process.wait_for_line("serves Slack's requests at")
    finally:
        process.stop()

    assert "TWEETSTATS_DEFAULT_ACCOUNT @NoSuchLibrary is not in the store" in process.stderr
    assert "As you gave `client`" not in process.stderr


def test_bad_signature_log_omits_request(slack, sample_db, tmp_path):
    process = Process(environment(sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                                  SLACK_API_URL=slack.api_url), tmp_path, "--port", "0")
    try:
        url = process.wait_for_line(r"serves Slack's requests at (http://\S+/slack/events)")[1]
        fields = command_body("30d", slack.response_url("secret-path"))
        answer = send_command(url, fields, secret="not-the-signing-secret")
        process.wait_for_line("rejected a request with an invalid or expired signature")
    finally:
        process.stop()

    assert answer.status == 401
    assert "check SLACK_SIGNING_SECRET" in process.stderr
    assert "secret-path" not in process.stderr
    assert "response_url" not in process.stderr


def test_run_polls_x_beside_the_app(slack, sample_db, tmp_path):
    from poll_fixtures import USER_ID
    from x_server import BEARER_TOKEN as X_TOKEN
    from x_server import XServer

    x = XServer().start()
    x.add_user("NorthbrookHSL", USER_ID, followers=1300)
    process = Process(environment(sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                                  SLACK_API_URL=slack.api_url, X_BEARER_TOKEN=X_TOKEN, X_API_URL=x.api_url,
                                  TWEETSTATS_ADMIN_CHANNEL="C0ADMIN"), tmp_path, "--port", "0")
    try:
        process.wait_for_line(r"poll: 1 accounts, \d+ new tweets")
    finally:
        code = process.stop()
        x.stop()

    assert code == 0
    assert "polling stopped" in process.stderr
    assert x.count(f"/2/users/{USER_ID}/tweets") == 1
    assert X_TOKEN not in process.stderr


def test_run_posts_a_due_digest(slack, sample_db, tmp_path):
    from datetime import datetime, timedelta, timezone

    from metrics.digests import DAY_NAMES

    due = datetime.now(timezone.utc) - timedelta(hours=1)
    schedule = f"{DAY_NAMES[due.weekday()][:3]} {due:%H:%M}"
    process = Process(environment(sample_db, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SIGNING_SECRET,
                                  SLACK_API_URL=slack.api_url, TWEETSTATS_DIGEST_CHANNEL="C0DIGEST",
                                  TWEETSTATS_DIGEST_SCHEDULE=schedule), tmp_path, "--port", "0")
    try:
        process.wait_for_line("posted the weekly digest of @NorthbrookHSL")
    finally:
        code = process.stop()

    assert code == 0
    assert f"posting the digest to C0DIGEST at {schedule[:3].capitalize()}" in process.stderr
    assert slack.received("/api/chat.postMessage")[0].body["channel"] == "C0DIGEST"
