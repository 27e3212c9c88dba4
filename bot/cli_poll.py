"""``tweetstats poll`` and ``tweetstats status``: read X from the shell, and see what it cost."""

import logging
import os
import signal
from datetime import datetime, timezone
from pathlib import Path

import click

logger = logging.getLogger(__name__)


@click.command(short_help="Read new tweets and mentions from the X API.")
@click.option("--once", is_flag=True, help="Run one cycle and exit, for cron; without it, poll until stopped.")
@click.pass_obj
def poll(db_path: Path, once: bool) -> None:
    """Read the tracked accounts' new tweets, mentions and follower counts from the X API.

    Needs X_BEARER_TOKEN. Each tweet is read once: the next cycle starts where the
    last one ended. Notices (a usage cap, the read budget, an account X denies) go
    to TWEETSTATS_ADMIN_CHANNEL when SLACK_BOT_TOKEN is set too, and to the log.
    With SLACK_BOT_TOKEN, alerts about unanswered questions are checked after each
    poll as well; their buttons work while 'tweetstats run' is running.
    """
    from bot.alerts import AlertSender
    from bot.cli import open_store
    from bot.config import load_alert_settings, load_x_settings
    from bot.render import plural
    from bot.scheduler import PollScheduler, poll_once, slack_notifier
    from bot.server import guard_logs
    from metrics import periods

    settings = load_x_settings(os.environ, require_token=True)
    alert_settings, alert_channel = load_alert_settings(os.environ, periods.report_zone())
    guard_logs((settings.bearer_token, os.environ.get("SLACK_BOT_TOKEN", "")))
    client = _admin_client()
    notify = slack_notifier(client, settings.admin_channel)
    alert_sender = AlertSender(client, db_path, alert_settings, alert_channel, notify) if client else None
    with open_store(db_path, must_exist=True):
        pass
    if once:
        result = poll_once(db_path, settings, notify)
        if alert_sender is not None:
            alert_sender.check_alerts()
        for outcome in result.accounts:
            if outcome.error:
                click.echo(f"@{outcome.handle}: {outcome.error}", err=True)
            else:
                click.echo(f"@{outcome.handle}: {plural(outcome.new_tweets, 'new tweet')}, "
                           f"{plural(outcome.new_mentions, 'new mention')}")
        click.echo(f"{plural(result.requests, 'request')}, {plural(result.reads, 'read')} "
                   f"({result.billed:,} billed).")
        if result.stopped:
            click.echo(f"Stopped early: {result.stopped}", err=True)
        if result.stopped or any(outcome.error for outcome in result.accounts):
            # A non-zero status lets cron report that the cycle did not read everything.
            click.get_current_context().exit(1)
        return
    logging.getLogger().setLevel(min(logging.getLogger().level, logging.INFO))
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    scheduler = PollScheduler(db_path, settings, notify)
    if alert_sender is not None:
        scheduler.add_alerts(alert_sender)
    scheduler.start()
    click.echo(f"Polling X every {plural(settings.poll.interval_minutes, 'minute')}. Stop with Ctrl+C.", err=True)
    try:
        scheduler.stopping.wait()
    except KeyboardInterrupt:
        pass
    finally:
        scheduler.stop()
    click.echo("Polling stopped.", err=True)


@click.command(short_help="Show X API requests, reads and cost this month, and the poller's state.")
@click.pass_obj
def status(db_path: Path) -> None:
    """Show this month's X API requests and reads per kind, their estimated cost, and each account's polling state.

    Prices come from TWEETSTATS_PRICE_OWN_READ, TWEETSTATS_PRICE_POST_READ and
    TWEETSTATS_PRICE_USER_READ (US dollars per resource read); X changes them.
    """
    from bot.cli import open_store
    from bot.config import load_x_settings
    from bot.render import render_status_lines
    from metrics.status import poller_status

    settings = load_x_settings(os.environ, require_token=False)
    with open_store(db_path, must_exist=True) as store:
        current = poller_status(store.db, datetime.now(timezone.utc), settings.poll)
    for line in render_status_lines(current, polling=settings.bearer_token is not None):
        click.echo(line)


def _admin_client():
    """Return a Slack client for notices when SLACK_BOT_TOKEN is set, else None."""
    from slack_sdk import WebClient

    from bot.config import load_notice_client_settings

    token, api_url = load_notice_client_settings(os.environ)
    if token is None:
        return None
    return WebClient(token=token, base_url=api_url or WebClient.BASE_URL)
