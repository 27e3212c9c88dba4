"""The poller's status for ``tweetstats status`` and ``/tweetstats status``: usage, cost, pauses and stops."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from metrics import alerts, pollstate, usage
from metrics.accounts import list_accounts
from metrics.poller import PAUSED_UNTIL, STOPPED, PollSettings
from metrics.tweets import format_time


@dataclass(frozen=True)
class AccountStatus:
    handle: str
    tracked: bool
    last_poll: str | None
    stopped: str | None


@dataclass(frozen=True)
class PollerStatus:
    month: usage.MonthUsage
    cost: float
    budget: int | None
    paused_until: str | None
    accounts: list[AccountStatus]
    # Questions marked "Not a question" in alerts in the last 30 days: false positives of the question rules.
    false_positives: int = 0


def poller_status(db: sqlite_utils.Database, now: datetime, settings: PollSettings) -> PollerStatus:
    """Gather this month's requests, reads and estimated cost, and each account's polling state at ``now`` (UTC)."""
    month = usage.month_usage(db, now.date())
    stopped = pollstate.list_state(db, STOPPED)
    accounts = []
    for account in list_accounts(db):
        last_poll = db.execute("SELECT max(updated_at) FROM cursors WHERE account_id = ?", [account.id]).fetchone()[0]
        accounts.append(AccountStatus(account.handle, account.tracked, last_poll,
                                      stopped.get(STOPPED + str(account.id))))
    paused_until = pollstate.read_state(db, PAUSED_UNTIL)
    if paused_until is not None and paused_until <= format_time(now):
        paused_until = None
    false_positives = alerts.false_positive_count(db, now - timedelta(days=30))
    return PollerStatus(month, month.cost(settings.prices), settings.monthly_read_budget, paused_until, accounts,
                        false_positives)
