"""The scorecard model: a report's goals with their history, and how the period's questions were answered.

``bot.scorecard`` draws it as a one-page image. Each goal's history covers the
12 periods ending with the report's, each the ``Period.previous()`` of the
next, with the target in force at each period's end.
"""

from dataclasses import dataclass

import sqlite_utils

from metrics import figures
from metrics.accounts import Account
from metrics.goal_store import targets_in_force
from metrics.goals import SPECS
from metrics.periods import Period
from metrics.report import Report, build_report, compute_figures, goal_values

HISTORY_PERIODS = 12


@dataclass(frozen=True)
class GoalHistory:
    """One goal's figure and target in each period of ``Scorecard.periods``, oldest first.

    A value is None where the data cannot give the figure, or where the period
    ends before the account's earliest stored data. A target is None where
    the goal was off.
    """

    name: str
    values: list[float | None]
    targets: list[float | None]


@dataclass
class Scorecard:
    """A report with the history of each goal it judges and its questions by response time.

    ``periods`` lists up to HISTORY_PERIODS periods, oldest first, ending with
    the report's. ``history`` has one entry per goal in ``report.goals``, in
    the same order. ``response_times`` is None when the store has no mention
    data for the period.
    """

    report: Report
    periods: list[Period]
    history: list[GoalHistory]
    response_times: figures.ResponseTimes | None

    @property
    def top_tweet(self) -> figures.TopTweet | None:
        tweets = self.report.current.top_tweets
        return tweets[0] if tweets else None


def build_scorecard(db: sqlite_utils.Database, account: Account, period: Period) -> Scorecard:
    """Build the report for ``period``, each goal's values over the 12 periods ending with it, and the response times."""
    report = build_report(db, account, period)
    periods = history_periods(period, HISTORY_PERIODS)
    values = _values_by_period(db, account, report, periods)
    targets = [targets_in_force(db, account.id, each.end()) for each in periods]
    history = [GoalHistory(goal.name, [period_values[goal.name] for period_values in values],
                           [period_targets.get(goal.name) for period_targets in targets])
               for goal in report.goals]
    since, until = period.utc_bounds()
    times = figures.response_times(db, {"account": account.id, "since": since, "until": until})
    return Scorecard(report, periods, history, times)


def history_periods(period: Period, count: int) -> list[Period]:
    """Return ``count`` periods ending with ``period``, oldest first, each the ``previous()`` of the next.

    The list is shorter when an earlier period would start before year 1.
    """
    periods = [period]
    while len(periods) < count:
        try:
            periods.append(periods[-1].previous())
        except (OverflowError, ValueError):
            break
    return periods[::-1]


def _values_by_period(db: sqlite_utils.Database, account: Account, report: Report,
                      periods: list[Period]) -> list[dict[str, float | None]]:
    """Return the goal values of each period, reusing the report's figures for its period and the one before."""
    data_since = figures.data_since(db, account.id)
    stored = (data_since, figures.data_until(db, account.id))
    known = {report.current.since: report.current, report.previous.since: report.previous}
    values = []
    for period in periods:
        if data_since is None or period.utc_bounds()[1] <= data_since:
            values.append(dict.fromkeys(SPECS, None))
            continue
        current = known.get(period.start()) or compute_figures(db, account, period)
        values.append(goal_values(current, stored))
    return values
