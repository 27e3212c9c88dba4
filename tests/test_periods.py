"""Report periods: names, ranges, previous periods and bad input."""

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from metrics.errors import UsageError
from metrics.periods import parse_period, report_zone

UTC = ZoneInfo("UTC")
TODAY = date(2026, 12, 4)  # a Friday


@pytest.mark.parametrize("text, since, until", [
    ("7d", date(2026, 11, 28), date(2026, 12, 5)),
    ("30d", date(2026, 11, 5), date(2026, 12, 5)),
    ("90d", date(2026, 9, 6), date(2026, 12, 5)),
    ("1d", date(2026, 12, 4), date(2026, 12, 5)),
    ("week", date(2026, 11, 23), date(2026, 11, 30)),
    ("month", date(2026, 11, 1), date(2026, 12, 1)),
    ("quarter", date(2026, 7, 1), date(2026, 10, 1)),
    ("year", date(2025, 1, 1), date(2026, 1, 1)),
    ("2026-01-01..2026-03-31", date(2026, 1, 1), date(2026, 4, 1)),
    (" Month ", date(2026, 11, 1), date(2026, 12, 1)),
])
def test_period_bounds(text, since, until):
    period = parse_period(text, TODAY, UTC)
    assert (period.since, period.until) == (since, until)


@pytest.mark.parametrize("text, since, until", [
    ("7d", date(2026, 11, 21), date(2026, 11, 28)),
    ("week", date(2026, 11, 16), date(2026, 11, 23)),
    ("month", date(2026, 10, 1), date(2026, 11, 1)),
    ("quarter", date(2026, 4, 1), date(2026, 7, 1)),
    ("year", date(2024, 1, 1), date(2025, 1, 1)),
    ("2026-01-01..2026-03-31", date(2025, 10, 1), date(2026, 1, 1)),
    ("2026-02-01..2026-02-28", date(2026, 1, 1), date(2026, 2, 1)),
    ("2026-01-01..2026-12-31", date(2025, 1, 1), date(2026, 1, 1)),
    ("2026-01-05..2026-01-11", date(2025, 12, 29), date(2026, 1, 5)),
    ("2026-01-15..2026-02-14", date(2025, 12, 15), date(2026, 1, 15)),
])
def test_previous_period(text, since, until):
    previous = parse_period(text, TODAY, UTC).previous()
    assert (previous.since, previous.until) == (since, until)


def test_previous_quarter_across_year():
    period = parse_period("quarter", date(2026, 2, 10), UTC)
    assert (period.since, period.until) == (date(2025, 10, 1), date(2026, 1, 1))
    assert period.previous().since == date(2025, 7, 1)


def test_month_in_january():
    period = parse_period("month", date(2026, 1, 15), UTC)
    assert (period.since, period.until) == (date(2025, 12, 1), date(2026, 1, 1))


@pytest.mark.parametrize("text, message", [
    ("fortnight", "'fortnight' is not a period"),
    ("0d", "out of range"),
    ("9999d", "out of range"),
    ("2026-03-31..2026-01-01", "ends (2026-01-01) before it starts"),
    ("2026-02-30..2026-03-01", "'2026-02-30' is not a valid date"),
    ("", "is not a period"),
])
def test_bad_period(text, message):
    with pytest.raises(UsageError, match=re.escape(message)):
        parse_period(text, TODAY, UTC)


def test_zone_from_environment(monkeypatch):
    monkeypatch.setenv("TWEETSTATS_TIMEZONE", "America/Toronto")
    assert report_zone().key == "America/Toronto"


def test_bad_zone_named(monkeypatch):
    monkeypatch.setenv("TWEETSTATS_TIMEZONE", "Mars/Olympus")
    with pytest.raises(UsageError, match="Mars/Olympus"):
        report_zone()
