"""Run the X API poller and the digest: a poll on demand, or both on APScheduler's schedule.

Notices (a usage cap, the read budget, an account X denies, a digest a channel
rejects) go to the Slack admin channel when one is set, and to the log always.
"""

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from apscheduler.schedulers.background import BackgroundScheduler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.config import XSettings
from bot.alerts import AlertSender
from bot.digest import DigestSender
from metrics.poller import CycleResult, Poller, PollerBusy, poll_lock
from metrics.source import PollStopped
from metrics.store import Store
from metrics.xclient import make_client
from metrics.xsource import XSource

logger = logging.getLogger(__name__)

POLL_JOB = "poll"
DIGEST_JOB = "digest"
ALERT_JOB = "alerts"
# How often alerts are checked when nothing is polled (after imports only).
ALERT_CHECK_MINUTES = 15
# How often the digest job looks for a digest that is due.
DIGEST_CHECK_SECONDS = 60


def slack_notifier(client: WebClient | None, channel: str | None) -> Callable[[str], bool]:
    """Return a function that posts a notice to the admin channel and returns whether it was posted."""

    def notify(message: str) -> bool:
        if client is None or channel is None:
            logger.info("no Slack admin channel is set (SLACK_BOT_TOKEN and TWEETSTATS_ADMIN_CHANNEL), so the "
                        "notice went to the log only")
            return False
        try:
            client.chat_postMessage(channel=channel, text=message)
        except SlackApiError as error:
            logger.error("posting a notice to the admin channel %s failed: %s", channel,
                         error.response.get("error", "unknown"))
            return False
        return True

    return notify


def poll_once(db_path: Path, settings: XSettings, notify: Callable[[str], bool],
              stopping: threading.Event | None = None) -> CycleResult:
    """Poll every tracked account once. Raises PollerBusy when another process is polling the store.

    Setting ``stopping`` cuts short a wait for a rate limit to reset.
    """
    stopping = stopping or threading.Event()

    def sleep(seconds: float) -> None:
        if stopping.wait(seconds):
            raise PollStopped("tweetstats is stopping, so the poll stopped while waiting")

    with poll_lock(db_path), Store(db_path) as store:
        client = make_client(settings.bearer_token, settings.api_url)
        source = XSource(client, max_wait=settings.poll.interval_minutes * 60, sleep=sleep)
        return Poller(store, source, settings.poll, notify).poll_cycle()


class PollScheduler:
    """Poll now, then every TWEETSTATS_POLL_MINUTES: one cycle at a time, missed runs coalesced."""

    def __init__(self, db_path: Path, settings: XSettings | None, notify: Callable[[str], bool]) -> None:
        """Schedule polls with ``settings``; with None, only the jobs added later run (the digest)."""
        # APScheduler logs every run at INFO; the poller logs its own summary of each.
        logging.getLogger("apscheduler").setLevel(logging.WARNING)
        self.scheduler = BackgroundScheduler(timezone=timezone.utc)
        self.stopping = threading.Event()
        self.interval = settings.poll.interval_minutes if settings else None
        # Run after each poll cycle, such as the alert check.
        self.after_poll: list[Callable[[], None]] = []
        if settings is None:
            return
        self.scheduler.add_job(
            run_scheduled_cycle, "interval", minutes=self.interval, id=POLL_JOB,
            args=(db_path, settings, notify, self.stopping, self.after_poll),
            next_run_time=datetime.now(timezone.utc), max_instances=1, coalesce=True,
            # A run that starts late, within half an interval, still runs; a later one waits for the next.
            misfire_grace_time=self.interval * 30,
        )

    def add_alerts(self, sender: AlertSender) -> None:
        """Also check alerts: after each poll, or every 15 minutes when nothing is polled."""
        if self.interval:
            self.after_poll.append(sender.check_alerts)
            return
        self.scheduler.add_job(run_alert_check, "interval", minutes=ALERT_CHECK_MINUTES, id=ALERT_JOB,
                               args=(sender,), next_run_time=datetime.now(timezone.utc), max_instances=1,
                               coalesce=True, misfire_grace_time=ALERT_CHECK_MINUTES * 60)

    def add_digests(self, sender: DigestSender) -> None:
        """Also post due digests: checked at start, then every minute."""
        self.scheduler.add_job(
            run_digest_check, "interval", seconds=DIGEST_CHECK_SECONDS, id=DIGEST_JOB, args=(sender,),
            next_run_time=datetime.now(timezone.utc), max_instances=1, coalesce=True,
            misfire_grace_time=DIGEST_CHECK_SECONDS,
        )

    def start(self) -> None:
        self.scheduler.start()
        if self.interval:
            logger.info("polling X every %d minutes", self.interval)

    def stop(self) -> None:
        """Stop scheduling, cut short a wait for a rate limit, and wait for a cycle under way to end."""
        self.stopping.set()
        self.scheduler.shutdown(wait=True)
        logger.info("polling stopped" if self.interval else "the digest schedule stopped")


def run_scheduled_cycle(db_path: Path, settings: XSettings, notify: Callable[[str], bool],
                        stopping: threading.Event, after_poll: list[Callable[[], None]] = ()) -> None:
    """Run one cycle for the scheduler, then the checks that follow it, logging instead of raising."""
    try:
        poll_once(db_path, settings, notify, stopping)
    except PollerBusy as error:
        logger.warning("poll skipped: %s", error)
    except Exception:
        logger.exception("the poll cycle failed; the next one runs in %d minutes", settings.poll.interval_minutes)
    for check in after_poll:
        try:
            check()
        except Exception:
            logger.exception("the check after the poll failed; it runs again after the next poll")


def run_alert_check(sender: AlertSender) -> None:
    """Check alerts for the scheduler, logging instead of raising, so that the next check still runs."""
    try:
        sender.check_alerts()
    except Exception:
        logger.exception("the alert check failed; the next one runs in %d minutes", ALERT_CHECK_MINUTES)


def run_digest_check(sender: DigestSender) -> None:
    """Post the digests that are due, logging instead of raising, so that the next check still runs."""
    try:
        sender.send_due()
    except Exception:
        logger.exception("the digest check failed; the next one runs in %d seconds", DIGEST_CHECK_SECONDS)
