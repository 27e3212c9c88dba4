"""Fixtures for the Slack app tests: the sample store, the local Slack server, the app served over HTTP."""

import shutil
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.app import build_app, make_slack_client
from bot.alerts import AlertSender
from bot.digest import DigestSender
from bot.config import DigestSettings, SlackSettings
from metrics.alerts import AlertSettings
from bot.handlers import CommandRunner
from bot.server import HttpServer
from metrics import accounts, sample
from metrics.importer import import_path
from metrics.store import Store
from slack_server import BOT_TOKEN, SIGNING_SECRET, SlackServer

# "Now" in the tests: noon on the sample's last day, so that 7d and 30d cover stored data.
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
ADMIN = "U0ADMIN"
ALERT_CHANNEL = "C0ALERTS"
# Variables that Bolt, slack_sdk or urllib read on their own.
OUTSIDE_SETTINGS = ("SLACK_BOT_TOKEN", "SLACK_APP_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CLIENT_ID",
                    "SLACK_CLIENT_SECRET", "SLACK_VERIFICATION_TOKEN", "SLACK_API_URL", "TWEETSTATS_ADMINS",
                    "TWEETSTATS_DEFAULT_ACCOUNT", "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
                    "ALL_PROXY", "all_proxy", "NO_PROXY", "no_proxy")


@dataclass
class RunningBot:
    url: str
    slack: SlackServer
    db_path: Path


def clear_slack_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in OUTSIDE_SETTINGS:
        monkeypatch.delenv(name, raising=False)


def build_sample_store(path: Path) -> Path:
    """Import the bundled sample archive and mentions, with the sample's own domain set."""
    with Store(path) as store:
        for source in (sample.ARCHIVE_PATH, sample.MENTIONS_PATH):
            import_path(store, source, "@" + sample.HANDLE)
        with store.write() as db:
            account = accounts.require_account(db, sample.HANDLE)
            for domain in sample.OWN_DOMAINS:
                accounts.add_own_domain(db, account, domain)
    return path


def copy_store(template: Path, folder: Path) -> Path:
    target = folder / "tweetstats.db"
    shutil.copyfile(template, target)
    return target


def sample_runner(db_path: Path, default_account: str | None = None) -> CommandRunner:
    return CommandRunner(db_path, ZoneInfo("UTC"), default_account, clock=lambda: NOW)


def start_http_bot(slack: SlackServer, db_path: Path, *, admins: tuple[str, ...] = (ADMIN,),
                   default_account: str | None = None,
                   digest: DigestSettings | None = None,
                   alerts: AlertSettings | None = None) -> tuple[RunningBot, HttpServer]:
    """Serve the app over HTTP; with ``digest`` or ``alerts`` settings, its digest or alert buttons work too."""
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=slack.api_url,
                             admins=admins, default_account=default_account)
    client = make_slack_client(settings)
    digest_sender = DigestSender(client, db_path, digest, lambda message: False) if digest else None
    alert_sender = AlertSender(client, db_path, alerts, ALERT_CHANNEL, lambda message: False) if alerts else None
    app = build_app(settings, db_path, ZoneInfo("UTC"), runner=sample_runner(db_path, default_account),
                    client=client, digest_sender=digest_sender, alert_sender=alert_sender)
    server = HttpServer(app, "127.0.0.1", 0)
    server.start_in_thread()
    return RunningBot(server.url, slack, db_path), server
