"""tweetstats poll, status and accounts add/remove from the shell, and the scheduler beside the Slack app."""

import logging
import os
import signal
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import cli
from bot.config import load_x_settings
from bot.scheduler import PollScheduler
from metrics.accounts import find_account, track_account
from metrics.store import Store
from poll_fixtures import ASKER_ID, HANDLE, PROXY_VARIABLES, USER_ID, add_tweets
from x_server import BEARER_TOKEN, XServer


@pytest.fixture
def x(monkeypatch):
    for name in PROXY_VARIABLES + ("X_BEARER_TOKEN", "X_API_URL", "SLACK_BOT_TOKEN", "TWEETSTATS_ADMIN_CHANNEL",
                                   "TWEETSTATS_MONTHLY_READ_BUDGET"):
        monkeypatch.delenv(name, raising=False)
    server = XServer().start()
    server.add_user(HANDLE, USER_ID, followers=1200)
    server.add_user("curious_reader", ASKER_ID)
    yield server
    server.stop()


@pytest.fixture
def shell(x, db_path, monkeypatch):
    """Run tweetstats with the local X API's settings."""
    monkeypatch.setenv("X_BEARER_TOKEN", BEARER_TOKEN)
    monkeypatch.setenv("X_API_URL", x.api_url)

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)

    return invoke


def recent(days: float) -> datetime:
    return datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=days)


def test_accounts_add_then_poll_once(shell, x):
    add_tweets(x, 12, recent(2))
    add_tweets(x, 2, recent(1), author=ASKER_ID, mention=True, text="@NorthbrookHSL where is it {number}?")

    added = shell("accounts", "add", "@NorthbrookHSL")
    polled = shell("poll", "--once")

    assert added.output == "@NorthbrookHSL is now tracked.\n"
    assert "@NorthbrookHSL: 12 new tweets, 2 new mentions" in polled.output
    assert polled.exit_code == 0


def test_status_shows_usage_and_cost(shell, x):
    add_tweets(x, 12, recent(2))
    shell("accounts", "add", "@NorthbrookHSL")
    shell("poll", "--once")

    result = shell("status")

    assert "4 requests, 14 reads, 13 billed, about $0.02" in result.output
    assert "own posts: 1 requests, 12 reads, 12 billed" in result.output
    assert "users: 2 requests, 2 reads, 1 billed" in result.output
    assert "@NorthbrookHSL: last polled" in result.output


def test_accounts_remove_keeps_history(shell, x, db_path):
    add_tweets(x, 3, recent(1))
    shell("accounts", "add", "@NorthbrookHSL")
    shell("poll", "--once")

    removed = shell("accounts", "remove", "@NorthbrookHSL")
    polled = shell("poll", "--once")

    assert "is no longer tracked" in removed.output
    assert "0 requests" in polled.output
    with Store(db_path) as store:
        assert store.db.execute("SELECT count(*) FROM tweets").fetchone()[0] == 3
        assert not find_account(store.db, HANDLE).tracked


def test_poll_without_token_names_the_variable(shell, monkeypatch):
    monkeypatch.delenv("X_BEARER_TOKEN")
    shell("accounts", "add", "@NorthbrookHSL")

    result = shell("poll", "--once")

    assert result.exit_code == 1
    assert result.output.startswith("Error: X_BEARER_TOKEN is missing")


@pytest.mark.parametrize("name, value, message", [
    ("TWEETSTATS_POLL_MINUTES", "0", "TWEETSTATS_POLL_MINUTES='0' is below 1"),
    ("TWEETSTATS_MONTHLY_READ_BUDGET", "lots", "is not a whole number of reads"),
    ("TWEETSTATS_PRICE_POST_READ", "five cents", "is not a number"),
    ("TWEETSTATS_ADMIN_CHANNEL", "general", "is not a Slack channel"),
    ("X_API_URL", "api.x.com", "is not an http(s) URL"),
])
def test_bad_poll_settings_are_named(name, value, message):
    with pytest.raises(Exception, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_x_settings({"X_BEARER_TOKEN": BEARER_TOKEN, name: value}, require_token=True)


def test_scheduler_polls_at_start_and_stops(x, db_path, caplog):
    add_tweets(x, 4, recent(1))
    with Store(db_path) as store, store.write() as db:
        track_account(db, HANDLE)
    settings = load_x_settings({"X_BEARER_TOKEN": BEARER_TOKEN, "X_API_URL": x.api_url}, require_token=True)
    scheduler = PollScheduler(db_path, settings, lambda message: None)
    (job,) = scheduler.scheduler.get_jobs()

    with caplog.at_level(logging.INFO):
        scheduler.start()
        x.wait_for(f"/2/users/{USER_ID}", 2)
        deadline = time.monotonic() + 10
        while "poll: 1 accounts" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.01)
        scheduler.stop()

    assert "poll: 1 accounts, 4 new tweets, 0 new mentions" in caplog.text
    assert "polling stopped" in caplog.text
    assert job.max_instances == 1
    assert job.coalesce is True
    assert job.trigger.interval == timedelta(minutes=15)


def test_poll_runs_until_sigterm(x, db_path, tmp_path):
    add_tweets(x, 3, recent(1))
    with Store(db_path) as store, store.write() as db:
        track_account(db, HANDLE)
    environment = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(Path(__file__).parent.parent),
                   "X_BEARER_TOKEN": BEARER_TOKEN, "X_API_URL": x.api_url, "TWEETSTATS_DB": str(db_path)}
    process = subprocess.Popen([sys.executable, "-c", "from bot.cli import main; main()", "poll"], cwd=tmp_path,
                               env=environment, stderr=subprocess.PIPE, text=True)
    x.wait_for(f"/2/users/{USER_ID}", 2)
    process.send_signal(signal.SIGTERM)
    stderr = process.communicate(timeout=30)[1]

    assert process.returncode == 0
    assert "Polling X every 15 minutes" in stderr
    assert stderr.rstrip().endswith("Polling stopped.")
    assert BEARER_TOKEN not in stderr


def test_poll_stopped_early_exits_nonzero(shell, x):
    add_tweets(x, 3, recent(1))
    shell("accounts", "add", "@NorthbrookHSL")
    x.fail_next("/2/users/by/username", "rate_limit", reset_in=3600)

    result = shell("poll", "--once")

    assert result.exit_code == 1
    assert "Stopped early: @NorthbrookHSL: user @NorthbrookHSL: rate limited by the X API" in result.stderr


def test_status_hides_a_pause_that_ended(shell, x, db_path):
    from metrics import pollstate

    shell("accounts", "add", "@NorthbrookHSL")
    with Store(db_path) as store, store.write() as db:
        pollstate.write_state(db, "paused_until", "2026-01-01T00:00:00Z", "2025-12-31T00:00:00Z")

    result = shell("status")

    assert "paused" not in result.output
    assert "@NorthbrookHSL: not polled yet" in result.output


def test_checks_run_after_each_poll(x, db_path):
    import threading

    with Store(db_path) as store, store.write() as db:
        track_account(db, HANDLE)
    settings = load_x_settings({"X_BEARER_TOKEN": BEARER_TOKEN, "X_API_URL": x.api_url}, require_token=True)
    scheduler = PollScheduler(db_path, settings, lambda message: False)
    checked = threading.Event()
    scheduler.after_poll.append(checked.set)

    scheduler.start()
    ran = checked.wait(10)
    scheduler.stop()

    assert ran
    assert x.count(f"/2/users/{USER_ID}") >= 1


def test_poll_once_checks_alerts_with_slack(shell, x, slack, monkeypatch):
    from slack_server import BOT_TOKEN as SLACK_TOKEN

    monkeypatch.setenv("SLACK_BOT_TOKEN", SLACK_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", slack.api_url)
    monkeypatch.setenv("TWEETSTATS_ALERT_CHANNEL", "C0ALERTS")
    add_tweets(x, 3, recent(1), author=ASKER_ID, mention=True, text="@NorthbrookHSL are you open on day {number}?")
    shell("accounts", "add", "@NorthbrookHSL")

    result = shell("poll", "--once")

    assert result.exit_code == 0
    (alert,) = slack.received("/api/chat.postMessage")
    assert alert.body["channel"] == "C0ALERTS"
