"""Run a parsed /tweetstats command against the store and return the message to send.

Nothing here talks to Slack: the listeners in ``bot.listeners`` acknowledge the
request, check admin rights, then call these methods and deliver what they
return. Each call opens the store in the calling thread, because Bolt runs
listeners on a pool of threads and a SQLite connection belongs to one thread.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from bot import replies
from bot.blocks import ReportMessage, escape_mrkdwn, period_days, render_report_blocks
from bot.commands import Command
from bot.render import freshness_line, render_csv, render_status_lines
from bot.progress import summary_line
from bot.scorecard import render_scorecard
from metrics import accounts as account_store
from metrics import alerts, figures, goal_store, pollstate, unanswered
from metrics.accounts import Account
from metrics.goal_store import GoalSetting
from metrics.errors import UsageError
from metrics.periods import Period, date_range, last_days
from metrics.poller import PollSettings
from metrics.report import build_report, find_top_tweets
from metrics.scorecard import build_scorecard
from metrics.status import poller_status
from metrics.store import Store

logger = logging.getLogger(__name__)

# How many unanswered questions and top tweets one reply lists.
QUESTIONS_SHOWN = 20
TOP_TWEETS_SHOWN = 10
HOME_PERIOD_DAYS = 30
TRACK_REPLIES = {
    "added": "@{handle} is now tracked. The poller reads it from X from its next cycle, and its older history "
             "comes from its archive with `tweetstats import`.",
    "resumed": "@{handle} is tracked again.",
    "unchanged": "@{handle} is already tracked, so nothing changed.",
}
RESUMED_REPLY = "@{handle} was stopped after an X API error; the poller reads it again from its next cycle."
# The commands that ``_change_account`` runs. Every other admin command has a listener of its own.
ACCOUNT_CHANGES = ("track", "untrack", "own-domain", "alerts")


@dataclass
class UploadFile:
    """A file to upload to the channel: the CSV meeting pack, or the scorecard image with its alt text."""

    filename: str
    title: str
    content: str | bytes
    alt_text: str | None = None


@dataclass
class Reply:
    """The message to send back, and for export and scorecard the file to upload with it."""

    message: ReportMessage
    file: UploadFile | None = None


@dataclass
class AccountGoals:
    """An account's goal settings from now on, and the names of the goals a save just changed."""

    account: Account
    settings: dict[str, GoalSetting]
    changed: tuple[str, ...] = ()


class CommandRunner:
    """A runner of parsed commands against the store at ``db_path``.

    ``default_account`` is TWEETSTATS_DEFAULT_ACCOUNT; without it the only
    stored account is the default. ``clock`` returns the current UTC time, so
    tests can set "today".
    """

    def __init__(self, db_path: Path, zone: ZoneInfo, default_account: str | None = None,
                 clock: Callable[[], datetime] | None = None, poll_settings: PollSettings | None = None,
                 polling: bool = False) -> None:
        self.db_path = db_path
        self.zone = zone
        self.default_account = default_account
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.poll_settings = poll_settings or PollSettings()
        self.polling = polling

    def today(self) -> date:
        return self.clock().astimezone(self.zone).date()

    def run(self, command: Command, user_id: str) -> Reply:
        """Run a parsed command. Raises UsageError with a message for the user when it cannot."""
        action = command.action
        with Store(self.db_path) as store:
            if action == "report":
                return Reply(self._report_message(store, command.handles, command.period))
            if action == "top":
                return Reply(self._top_tweets(store, command.handles, command.period))
            if action == "questions":
                return Reply(self._questions(store, command.handles))
            if action == "compare":
                reports = [build_report(store.db, self._account(store, handle), command.period)
                           for handle in command.handles]
                return Reply(replies.render_comparison(*reports))
            if action == "export":
                return self._export(store, command.handles, command.period)
            if action == "scorecard":
                return self._scorecard(store, command.handles, command.period)
            if action == "accounts":
                return Reply(self._accounts(store))
            if action == "status":
                current = poller_status(store.db, self.clock(), self.poll_settings)
                lines = [escape_mrkdwn(line) for line in render_status_lines(current, self.polling)]
                return Reply(replies.render_notice("*X API and polling*\n" + "\n".join(lines)))
            if action in ACCOUNT_CHANGES:
                return Reply(self._change_account(store, command, user_id))
        raise ValueError(f"CommandRunner.run has no branch for /tweetstats {action}")

    def share(self, handle: str, first: date, last: date, user_id: str) -> ReportMessage:
        """Rebuild a shared report for the channel, saying who shared it."""
        period = date_range(first, last, self.zone)
        with Store(self.db_path) as store:
            report = build_report(store.db, self._account(store, handle), period)
        return render_report_blocks(report, freshness=freshness_line(report, self.clock()), share_button=False,
                                    shared_by=user_id)

    def home(self) -> ReportMessage:
        """Build the App Home tab: the default account's last 30 days, or how to start when there is none."""
        with Store(self.db_path) as store:
            try:
                account = self._account(store, None)
            except UsageError as error:
                return replies.render_notice(f"*tweetstats*\n{error}")
            report = build_report(store.db, account, last_days(HOME_PERIOD_DAYS, self.today(), self.zone))
        return render_report_blocks(report, freshness=freshness_line(report, self.clock()), share_button=False)

    def goals_in_force(self, handle: str | None) -> AccountGoals:
        """Return the goals of the named account, or the default one, from now on. Raises UsageError."""
        with Store(self.db_path) as store:
            account = self._account(store, handle)
            return AccountGoals(account, goal_store.settings_from(store.db, account.id, self.clock()))

    def save_goals(self, account_id: int, handle: str, targets: dict[str, float | None | str],
                   user_id: str) -> AccountGoals | None:
        """Store the targets from now on, a new version only for each goal whose target changes.

        ``targets`` are as ``goal_store.set_goals`` takes them. Returns None when
        the account is no longer in the store under that id and handle.
        """
        now = self.clock()
        with Store(self.db_path) as store, store.write() as db:
            account = account_store.find_account(db, handle)
            if account is None or account.id != account_id:
                return None
            changed = goal_store.set_goals(db, account, targets, now, user_id, now)
            settings = goal_store.settings_from(db, account.id, now)
        return AccountGoals(account, settings, tuple(changed))

    def _report_message(self, store: Store, handles: tuple[str, ...], period: Period) -> ReportMessage:
        report = build_report(store.db, self._account(store, _first(handles)), period)
        return render_report_blocks(report, freshness=freshness_line(report, self.clock()))

    def _top_tweets(self, store: Store, handles: tuple[str, ...], period: Period) -> ReportMessage:
        account = self._account(store, _first(handles))
        first, last = period.since, period.last_day
        tweets = find_top_tweets(store.db, account, period, TOP_TWEETS_SHOWN)
        return replies.render_top_tweets(account, first.isoformat(), last.isoformat(), tweets)

    def _questions(self, store: Store, handles: tuple[str, ...]) -> ReportMessage:
        account = self._account(store, _first(handles))
        questions = unanswered.list_unanswered(store.db, account.id, QUESTIONS_SHOWN)
        total = unanswered.count_unanswered(store.db, account.id)
        return replies.render_questions(account, questions, total, self.clock())

    def _export(self, store: Store, handles: tuple[str, ...], period: Period) -> Reply:
        report = build_report(store.db, self._account(store, _first(handles)), period)
        first, last = period_days(report.current)
        name = f"tweetstats-{report.account.handle}-{first}-to-{last}.csv"
        title = f"@{report.account.handle} · {first} to {last}"
        message = replies.render_notice(f"The meeting pack for {title} is attached as {name}.")
        return Reply(message, UploadFile(name, title, render_csv(report)))

    def _scorecard(self, store: Store, handles: tuple[str, ...], period: Period) -> Reply:
        card = build_scorecard(store.db, self._account(store, _first(handles)), period)
        drawn = render_scorecard(card)
        message = replies.render_notice(f"{drawn.title}: {summary_line(card.report.goals)}.")
        return Reply(message, UploadFile(drawn.filename, drawn.title, drawn.content, drawn.alt_text))

    def _accounts(self, store: Store) -> ReportMessage:
        listed = [(account, figures.data_until(store.db, account.id))
                  for account in account_store.list_accounts(store.db)]
        return replies.render_accounts(listed)

    def _change_account(self, store: Store, command: Command, user_id: str) -> ReportMessage:
        """Run track, untrack or own-domain. The caller has checked that the user is an admin."""
        handle = command.handles[0]
        with store.write() as db:
            if command.action == "track":
                account, change = account_store.track_account(db, handle)
                text = TRACK_REPLIES[change].format(handle=account.handle)
                if pollstate.resume_account(db, account):
                    text = RESUMED_REPLY.format(handle=account.handle)
            elif command.action == "untrack":
                account = self._account(store, handle)
                was_tracked = account.tracked
                account = account_store.untrack_account(db, account)
                text = (f"@{account.handle} is no longer tracked. Its stored history stays for reports, and "
                        f"`/tweetstats track @{account.handle}` tracks it again.")
                if not was_tracked:
                    text = f"@{account.handle} was not tracked, so nothing changed."
            elif command.action == "alerts":
                account = self._account(store, handle)
                alerts.set_alert_channel(db, account, command.channel)
                channel_link = command.channel
                if not channel_link.startswith("#"):
                    channel_link = f"<#{channel_link}>"
                text = (f"Alerts about @{account.handle}'s unanswered questions now go to {channel_link}. "
                        "Invite the bot there with `/invite @tweetstats` if it is not a member. An alert already "
                        "open stays where it is.")
            else:
                account = account_store.add_own_domain(db, self._account(store, handle), command.domain)
                text = f"@{account.handle} own domains: {', '.join(account.own_domains)}."
        logger.info("user %s ran %s on @%s", user_id, command.action, account.handle)
        return replies.render_notice(text)

    def _account(self, store: Store, handle: str | None) -> Account:
        """Find the named account, or the default one. Raises UsageError saying what to type instead."""
        listed = account_store.list_accounts(store.db)
        names = ", ".join("@" + account.handle for account in listed)
        if handle is None:
            handle = self.default_account
        if handle is not None:
            account = account_store.find_account(store.db, handle)
            if account is None:
                known = f"stored accounts: {names}" if listed else "no account is stored yet"
                raise UsageError(f"no account @{handle} in the store ({known}). "
                                 f"An admin can add it with /tweetstats track @{handle}")
            return account
        if len(listed) == 1:
            return listed[0]
        if not listed:
            raise UsageError("no account is stored yet. An admin can add one with /tweetstats track @handle, "
                             "or import an archive with tweetstats import ARCHIVE.zip")
        raise UsageError(f"several accounts are stored ({names}): name one, as in /tweetstats @{listed[0].handle}, "
                         "or set TWEETSTATS_DEFAULT_ACCOUNT")


def _first(handles: tuple[str, ...]) -> str | None:
    return handles[0] if handles else None

