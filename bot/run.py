"""``tweetstats run``: start the Slack app and keep it running until stopped.

The click command lives in ``bot.cli``, which imports this module only when the
command runs, so that other commands start without Bolt.
"""

import logging
import os
import signal
import threading
from pathlib import Path

import click

from bot.alerts import AlertSender
from bot.app import build_app, make_slack_client
from bot.config import load_alert_settings, load_digest_settings, load_slack_settings, load_x_settings
from bot.digest import DigestSender
from bot.handlers import CommandRunner
from bot.scheduler import PollScheduler, slack_notifier
from bot.server import HttpServer, connect_socket_mode, guard_logs
from metrics import periods
from metrics.accounts import list_accounts
from metrics.digests import DAY_NAMES
from metrics.store import Store

logger = logging.getLogger(__name__)


def start(db_path: Path, host: str, port: int) -> None:
    """Check the settings, open the store, then serve Slack until stopped. Raises ConfigError on a bad setting."""
    settings = load_slack_settings(os.environ)
    x_settings = load_x_settings(os.environ, require_token=False)
    zone = periods.report_zone()
    digest_settings = load_digest_settings(os.environ, zone)
    alert_config = load_alert_settings(os.environ, zone)
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    guard_logs((settings.bot_token, settings.app_token or "", settings.signing_secret or "",
                x_settings.bearer_token or ""))

    with Store(db_path) as store:
        stored = [account.handle.lower() for account in list_accounts(store.db)]
    logger.info("accounts in store %s: %d", db_path.resolve(), len(stored))
    if not stored:
        logger.warning("the store %s has no accounts yet: import an archive, or track one with "
                       "/tweetstats track @handle", db_path.resolve())
    default = settings.default_account
    if default and default.lower() not in stored:
        logger.warning("TWEETSTATS_DEFAULT_ACCOUNT @%s is not in the store %s: /tweetstats without a handle "
                       "and the App Home show an error until it is imported or tracked", default, db_path.resolve())

    runner = CommandRunner(db_path, zone, settings.default_account, poll_settings=x_settings.poll,
                           polling=x_settings.bearer_token is not None)
    client = make_slack_client(settings)
    notify = slack_notifier(client, x_settings.admin_channel)
    digest_sender = DigestSender(client, db_path, digest_settings, notify)
    alert_settings, alert_channel = alert_config
    alert_sender = AlertSender(client, db_path, alert_settings, alert_channel, notify)
    app = build_app(settings, db_path, zone, runner=runner, client=client, digest_sender=digest_sender,
                    alert_sender=alert_sender)
    poller = start_schedules(db_path, x_settings, notify, digest_sender, alert_sender)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        if settings.socket_mode:
            run_socket_mode(app, settings.app_token)
        else:
            run_http(app, host, port)
    finally:
        if poller is not None:
            poller.stop()
    click.echo("tweetstats stopped.", err=True)


def start_schedules(db_path: Path, x_settings, notify, digest_sender: DigestSender,
                    alert_sender: AlertSender) -> PollScheduler | None:
    """Start polling X, posting digests and checking alerts, each when its settings allow.

    Returns the scheduler, or None when there is nothing to schedule.
    """
    polling = x_settings if x_settings.bearer_token else None
    digest_settings = digest_sender.settings
    if polling is None:
        logger.warning("X_BEARER_TOKEN is not set, so nothing is polled from X: the figures come from imports only")
    if digest_settings.channel is None:
        logger.info("TWEETSTATS_DIGEST_CHANNEL is not set, so no weekly digest is posted")
    if alert_sender.default_channel is None:
        logger.info("TWEETSTATS_ALERT_CHANNEL is not set: alerts go only to channels set with /tweetstats alerts")
    if polling is None and digest_settings.channel is None and alert_sender.default_channel is None:
        return None
    scheduler = PollScheduler(db_path, polling, notify)
    scheduler.add_alerts(alert_sender)
    logger.info("checking alerts %s", "after each poll" if polling else "every 15 minutes and at start")
    if digest_settings.channel is not None:
        scheduler.add_digests(digest_sender)
        logger.info("posting the digest to %s at %s", digest_settings.channel, digest_schedule_text(digest_settings))
    scheduler.start()
    return scheduler


def digest_schedule_text(settings) -> str:
    schedule = settings.schedule
    text = f"{DAY_NAMES[schedule.weekday].capitalize()} {schedule.at:%H:%M} ({schedule.zone.key})"
    return text + (", and monthly on the first weekday of the month at the same time" if settings.monthly else "")


def run_socket_mode(app, app_token: str) -> None:
    handler = connect_socket_mode(app, app_token)
    if handler.client.is_connected():
        click.echo("tweetstats is connected to Slack in Socket Mode. Stop it with Ctrl+C.", err=True)
    else:
        click.echo("tweetstats could not connect to Slack yet and keeps trying. Check this machine's network "
                   "and proxy settings. Stop it with Ctrl+C.", err=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        handler.close()


def run_http(app, host: str, port: int) -> None:
    server = HttpServer(app, host, port)
    click.echo(f"tweetstats serves Slack's requests at {server.url}. Stop it with Ctrl+C.", err=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
