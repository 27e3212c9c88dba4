"""Post the weekly (and monthly) digest to Slack: each tracked account's figures, with a chart.

``DigestSender.send_due`` runs every minute. It posts each digest whose time
has come once per period, channel and account, recording it in the store
before posting, so that neither a restart nor a second process posts it twice.
A digest missed while the bot was down goes out when it is less than the grace
period late, and is otherwise skipped and logged.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.blocks import ReportMessage, escape_mrkdwn, fit_blocks, period_days, render_report_blocks
from bot.chart import Chart, render_activity_chart
from bot.config import DigestSettings
from bot.render import freshness_line
from bot.replies import format_age
from metrics import digests, unanswered
from metrics.accounts import Account, list_accounts
from metrics.digests import DueDigest
from metrics.periods import Period
from metrics.report import build_report
from metrics.series import daily_series
from metrics.store import Store
from metrics.tweets import format_time

logger = logging.getLogger(__name__)

# Slack errors that retrying does not mend: the bot cannot post in the channel.
CHANNEL_ERRORS = ("not_in_channel", "channel_not_found", "is_archived", "restricted_action", "invalid_channel")
CHART_WEEKS = 12
# A digest recorded as being sent for longer than this was cut off by a crash.
INTERRUPTED_AFTER = timedelta(minutes=10)


class DigestSender:
    """Post digests to ``settings.channel`` through ``client``. ``notify`` reports failures to the admin channel."""

    def __init__(self, client: WebClient, db_path: Path, settings: DigestSettings, notify: Callable[[str], bool],
                 clock: Callable[[], datetime] | None = None) -> None:
        self.client = client
        self.db_path = db_path
        self.settings = settings
        self.notify = notify
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._checked_interrupted = False

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.schedule.zone

    def send_due(self) -> None:
        """Post every digest that is due and not yet posted, for every tracked account."""
        channel = self.settings.channel
        if channel is None:
            return
        now = self.clock()
        with Store(self.db_path) as store:
            if not self._checked_interrupted:
                self._report_interrupted(store, now)
                # Once per process: after a restart, perhaps with the bot now invited, rejected digests still
                # within their grace period are tried again.
                with store.write() as db:
                    digests.forget_failed_digests(db)
            accounts = [account for account in list_accounts(store.db) if account.tracked]
        failures: dict[str, list[str]] = {}
        for due in digests.due_digests(now, self.settings.schedule, self.settings.monthly):
            for account in accounts:
                error = self._send_scheduled(due, account, channel, now)
                if error:
                    failures.setdefault(error, []).append("@" + account.handle)
        for error, handles in failures.items():
            self.notify(f"tweetstats could not post the digest of {', '.join(handles)} to {channel}: Slack said "
                        f"{error}. Invite the bot to the channel (/invite @tweetstats), or set "
                        "TWEETSTATS_DIGEST_CHANNEL to one it can post in.")

    def send_now(self, channel: str, kind: str = digests.WEEKLY) -> list[str]:
        """Post the current digest of every tracked account to ``channel`` at once, without recording it.

        Returns the Slack errors of the posts that failed.
        """
        today = self.clock().astimezone(self.zone).date()
        period = digests.current_digest(today, self.zone, kind)
        with Store(self.db_path) as store:
            accounts = [account for account in list_accounts(store.db) if account.tracked]
        errors = []
        for account in accounts:
            try:
                self._post(channel, account, self._prepare(account, kind, period))
            except SlackApiError as error:
                code = error.response.get("error", "unknown")
                logger.error("posting the digest of @%s to %s failed: %s", account.handle, channel, code)
                errors.append(code)
        return errors

    def _send_scheduled(self, due: DueDigest, account: Account, channel: str, now: datetime) -> str | None:
        """Post one due digest unless it was handled before. Returns Slack's error when the channel rejected it."""
        moment = format_time(now)
        with Store(self.db_path) as store:
            if digests.digest_state(store.db, due, channel, account.id) is not None:
                return None
        # Build everything before the digest is recorded as being sent, so that a failure here
        # leaves it to be tried again at the next check.
        prepared = self._prepare(account, due.kind, due.period)
        with Store(self.db_path) as store, store.write() as db:
            if digests.digest_state(db, due, channel, account.id) is not None:
                return None
            late = now - due.due_at
            if late > self.settings.grace:
                digests.record_digest(db, due, channel, account.id, digests.SKIPPED, moment,
                                      f"{late.total_seconds() / 3600:.0f} h late")
                logger.warning("skipped the %s digest of @%s for %s: it was due at %s, %.0f h ago, past the %.0f h "
                               "grace (TWEETSTATS_DIGEST_GRACE_HOURS)", due.kind, account.handle, due.period.since,
                               due.due_at.isoformat(), late.total_seconds() / 3600,
                               self.settings.grace.total_seconds() / 3600)
                return None
            digests.record_digest(db, due, channel, account.id, digests.SENDING, moment)
        try:
            ts = self._post(channel, account, prepared)
        except SlackApiError as error:
            return self._record_failure(due, account, channel, error.response.get("error", "unknown"))
        with Store(self.db_path) as store, store.write() as db:
            digests.record_digest(db, due, channel, account.id, digests.SENT, format_time(self.clock()), ts)
        logger.info("posted the %s digest of @%s for %s to %s", due.kind, account.handle, due.period.since, channel)
        return None

    def _record_failure(self, due: DueDigest, account: Account, channel: str, code: str) -> str | None:
        """Record a failed post: final when the channel rejects the bot, retried at the next tick otherwise."""
        with Store(self.db_path) as store, store.write() as db:
            if code in CHANNEL_ERRORS:
                digests.record_digest(db, due, channel, account.id, digests.FAILED,
                                      format_time(self.clock()), code)
            else:
                digests.forget_digest(db, due, channel, account.id)
        retry = ("; invite the bot with /invite @tweetstats, or set another TWEETSTATS_DIGEST_CHANNEL, and it is "
                 "tried again when tweetstats restarts" if code in CHANNEL_ERRORS else "; it is tried again in a minute")
        logger.error("posting the %s digest of @%s to %s failed: %s%s", due.kind, account.handle, channel, code, retry)
        return code if code in CHANNEL_ERRORS else None

    def _prepare(self, account: Account, kind: str, period: Period) -> tuple[ReportMessage, Chart]:
        """Build the digest message and render its chart, before anything is posted."""
        with Store(self.db_path) as store:
            message = self._message(store, account, kind, period)
            first = period.until - timedelta(weeks=CHART_WEEKS)
            series = daily_series(store.db, account.id, first, period.last_day, self.zone)
        return message, render_activity_chart(series, account.handle)

    def _post(self, channel: str, account: Account, prepared: tuple[ReportMessage, Chart]) -> str:
        """Post the digest message, then upload its chart. Returns the message's timestamp."""
        message, chart = prepared
        posted = self.client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks,
                                              unfurl_links=False, unfurl_media=False)
        try:
            self.client.files_upload_v2(channel=posted["channel"], file=chart.png, title=chart.title,
                                        filename=f"{account.handle}-12-weeks.png", alt_txt=chart.alt_text)
        except SlackApiError as error:
            # The figures went out in the message, so a missing chart is logged, not retried.
            logger.error("uploading the digest chart of @%s to %s failed: %s", account.handle, posted["channel"],
                         error.response.get("error", "unknown"))
        return posted["ts"]

    def _message(self, store: Store, account: Account, kind: str, period: Period) -> ReportMessage:
        report = build_report(store.db, account, period)
        waiting = unanswered.list_unanswered(store.db, account.id, 1)
        count = unanswered.count_unanswered(store.db, account.id)
        return render_digest(report, kind, count, waiting[0].created_at if waiting else None, self.clock())

    def _report_interrupted(self, store: Store, now: datetime) -> None:
        """Log, once, each digest that a crash left half-sent. It is not sent again."""
        self._checked_interrupted = True
        with store.write() as db:
            rows = digests.mark_interrupted_digests(db, format_time(now - INTERRUPTED_AFTER))
        for kind, period_start, channel, account_id in rows:
            logger.warning("the %s digest for %s of account %s to %s was interrupted while being posted; it may "
                           "or may not have reached the channel, and is not posted again", kind, period_start,
                           account_id, channel)


def render_digest(report, kind: str, unanswered_count: int, oldest: str | None, now: datetime) -> ReportMessage:
    """Render a digest: a digest header, the goals (missed ones first), the report's figures, the questions waiting now."""
    message = render_report_blocks(report, freshness=freshness_line(report, now), share_button=False,
                                   goals_first=True)
    first, last = period_days(report.current)
    title = f"{kind.capitalize()} digest · @{report.account.handle} · {first} to {last}"
    blocks = [dict(message.blocks[0], text={"type": "plain_text", "text": title[:150]}), *message.blocks[1:]]
    waiting = f"*Unanswered questions now:* {unanswered_count}"
    if oldest:
        waiting += f", the oldest {format_age(oldest, now)} old"
    blocks.insert(len(blocks) - 1, {"type": "section", "text": {"type": "mrkdwn", "text": waiting}})
    # The report's own first line names the account and period again, which the title already does.
    figures = message.text.split("\n", 1)[-1]
    text = f"{escape_mrkdwn(title)}\n{figures}\nUnanswered questions now: {unanswered_count}"
    return ReportMessage(text=text, blocks=fit_blocks(blocks))
