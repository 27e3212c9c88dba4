"""The scorecard model read from hand-built stores: each goal's history and the questions by response time.

tests/scorecard_stores.py describes the stores.
"""

from datetime import date

import pytest
import time_machine

from metrics import accounts
from metrics.figures import DELAY_LIMITS_MINUTES
from metrics.periods import date_range, last_days
from metrics.report import build_report
from metrics.scorecard import HISTORY_PERIODS, build_scorecard, history_periods
from scorecard_stores import (ACCOUNT_USER_ID, MONTH_DAYS, NOVEMBER, NOW, TWEETS_PER_MONTH, UTC, StoreBuilder,
                              empty_card, partial_card, utc, year_card)


@pytest.fixture
def partial(store):
    return partial_card(store)


def test_history_has_twelve_months_oldest_first(partial):
    assert HISTORY_PERIODS == 12
    assert [period.label for period in partial.periods] == [
        "December 2025", "January 2026", "February 2026", "March 2026", "April 2026", "May 2026", "June 2026",
        "July 2026", "August 2026", "September 2026", "October 2026", "November 2026"]


def test_history_follows_report_goals(partial):
    assert [history.name for history in partial.history] == [goal.name for goal in partial.report.goals]


def test_history_before_data_is_empty(partial):
    tweets = next(history for history in partial.history if history.name == "tweets_per_week")
    goal = next(goal for goal in partial.report.goals if goal.name == "tweets_per_week")
    expected = [None] * 6 + [TWEETS_PER_MONTH[month] * 7 / MONTH_DAYS[month] for month in range(6, 11)]
    # November has 8 replies too: to 7 of its questions, and to October's last question.
    assert tweets.values[:11] == pytest.approx(expected)
    assert tweets.values[11] == pytest.approx((TWEETS_PER_MONTH[11] + 8) * 7 / 30)
    assert tweets.values[11] == goal.value


def test_history_without_mention_data(partial):
    unanswered = next(history for history in partial.history if history.name == "unanswered_after_day")
    rate = next(history for history in partial.history if history.name == "response_rate")
    assert unanswered.values == [None] * 9 + [0, 0, 3]
    assert rate.values[:10] == [None] * 10
    assert rate.values[10] == 1.0
    assert rate.values[11] == pytest.approx(8 / 9)


def test_history_targets_follow_versions(partial):
    tweets = next(history for history in partial.history if history.name == "tweets_per_week")
    listening = next(history for history in partial.history if history.name == "listening_share")
    assert tweets.targets == [3.0] * 9 + [5.0] * 3
    assert listening.targets == [0.10] * 3 + [None] * 4 + [0.2] * 5


def test_response_times_by_bucket(partial):
    times = partial.response_times
    assert DELAY_LIMITS_MINUTES == (60, 240, 1440, 4320)
    assert times.on_x == (2, 2, 1, 1, 1)
    assert times.another_way == 1
    assert times.not_answered == 1


def test_response_times_match_report(partial):
    responsiveness = partial.report.current.responsiveness
    times = partial.response_times
    assert times.questions == responsiveness.questions
    assert sum(times.on_x) + times.another_way == responsiveness.answered


def test_response_times_without_mention_data(store):
    with store.write() as db:
        account = accounts.add_account(db, "TestHealthLib", ACCOUNT_USER_ID)
        StoreBuilder(db, account).tweet(utc("2026-11-03T10:00:00"))

    card = build_scorecard(store.db, account, NOVEMBER)

    assert card.response_times is None


def test_top_tweet_is_the_reports_first(partial):
    assert partial.top_tweet == partial.report.current.top_tweets[0]


def test_history_periods_of_30_days():
    period = last_days(30, date(2026, 11, 28), UTC)

    periods = history_periods(period, 12)

    assert len(periods) == 12
    assert periods[-1] == period
    assert all(earlier == later.previous() for earlier, later in zip(periods, periods[1:]))
    assert {each.days for each in periods} == {30}
    assert periods[0].since == date(2025, 12, 4)


def test_history_stops_at_year_one():
    period = date_range(date(3, 1, 1), date(3, 12, 31), UTC)

    periods = history_periods(period, 12)

    assert [each.since.year for each in periods] == [1, 2, 3]


def test_no_data_account(store):
    card = empty_card(store)

    assert card.response_times is None
    assert card.top_tweet is None
    assert all(value is None for history in card.history for value in history.values)


def test_year_of_data_fills_history(store):
    card = year_card(store)

    assert len(card.report.goals) == 9
    for history in card.history:
        if history.name in ("median_response_minutes", "response_rate", "tweets_per_week", "listening_share"):
            assert None not in history.values, history.name


def test_report_of_card_is_the_report(partial, store):
    with time_machine.travel(NOW, tick=False):
        report = build_report(store.db, partial.report.account, NOVEMBER)

    assert [goal.to_dict() for goal in report.goals] == [goal.to_dict() for goal in partial.report.goals]
