"""Report periods: ``[since, until)`` between local midnights in the report's time zone."""

import os
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from metrics.errors import UsageError

PERIOD_NAMES = ("7d", "30d", "90d", "week", "month", "quarter", "year")
PERIOD_HELP = "7d, 30d, 90d (or any Nd), week, month, quarter, year, or YYYY-MM-DD..YYYY-MM-DD"
# Maximum period length in days: ten years, far beyond any archive's use.
MAX_DAYS = 3660
DAYS = re.compile(r"(\d{1,4})d")
RANGE = re.compile(r"(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})")


@dataclass(frozen=True)
class Period:
    """Local dates ``since`` (included) to ``until`` (excluded) in a time zone.

    ``unit`` is days, week, month, quarter, year or range. A calendar unit's
    previous period is the calendar unit before; any other period's is the
    period of equal length just before it.
    """

    since: date
    until: date
    zone: ZoneInfo
    unit: str
    label: str

    @property
    def days(self) -> int:
        return (self.until - self.since).days

    @property
    def last_day(self) -> date:
        """The last day included: the day before ``until``."""
        return self.until - timedelta(days=1)

    def start(self) -> datetime:
        return datetime.combine(self.since, time(0), self.zone)

    def end(self) -> datetime:
        return datetime.combine(self.until, time(0), self.zone)

    def utc_bounds(self) -> tuple[str, str]:
        """Return the bounds as the store's UTC text, for SQL comparisons."""
        return _utc_text(self.start()), _utc_text(self.end())

    def previous(self) -> "Period":
        if self.unit == "week":
            return calendar_period("week", self.since - timedelta(days=1), self.zone, previous=False)
        if self.unit in ("month", "quarter", "year"):
            return calendar_period(self.unit, self.since - timedelta(days=1), self.zone, previous=False)
        months = _whole_months(self.since, self.until)
        if months:
            # A range of whole calendar months (a quarter typed as dates) is
            # compared with the same number of months before it.
            since = _add_months(self.since, -months)
            return Period(since, self.since, self.zone, self.unit, f"{since} to {self.since - timedelta(days=1)}")
        since = self.since - timedelta(days=self.days)
        return Period(since, self.since, self.zone, self.unit, f"{since} to {self.since - timedelta(days=1)}")


def report_zone() -> ZoneInfo:
    """Return the zone named by TWEETSTATS_TIMEZONE (default UTC), or raise UsageError."""
    name = os.environ.get("TWEETSTATS_TIMEZONE", "").strip() or "UTC"
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(
            f"TWEETSTATS_TIMEZONE={name!r} is not a time zone name: use one such as America/Toronto or UTC"
        ) from None


def parse_period(text: str, today: date, zone: ZoneInfo) -> Period:
    """Read a period name or range relative to ``today``. Raises UsageError naming the value."""
    value = text.strip().lower()
    days = DAYS.fullmatch(value)
    if days:
        return last_days(int(days[1]), today, zone)
    if value in ("week", "month", "quarter", "year"):
        return calendar_period(value, today, zone, previous=True)
    dates = RANGE.fullmatch(value)
    if dates:
        return date_range(parse_date(dates[1]), parse_date(dates[2]), zone)
    raise UsageError(f"'{text}' is not a period: use {PERIOD_HELP}")


def last_days(count: int, today: date, zone: ZoneInfo) -> Period:
    """Return the ``count`` days ending with today, today included."""
    if not 1 <= count <= MAX_DAYS:
        raise UsageError(f"'{count}d' is out of range: use between 1d and {MAX_DAYS}d")
    until = today + timedelta(days=1)
    return Period(until - timedelta(days=count), until, zone, "days", f"last {count} days")


def date_range(first: date, last: date, zone: ZoneInfo) -> Period:
    """Return the period from ``first`` to ``last``, both days included."""
    if last < first:
        raise UsageError(f"the period ends ({last}) before it starts ({first}): give the earlier date first")
    if (last - first).days >= MAX_DAYS:
        raise UsageError(f"the period from {first} to {last} is longer than {MAX_DAYS} days")
    return Period(first, last + timedelta(days=1), zone, "range", f"{first} to {last}")


def calendar_period(unit: str, day: date, zone: ZoneInfo, previous: bool) -> Period:
    """Return the calendar week (Monday first), month, quarter or year containing ``day``.

    With ``previous`` it is the last full one before the one containing ``day``.
    """
    if unit == "week":
        since = day - timedelta(days=day.weekday())
        if previous:
            since -= timedelta(days=7)
        until = since + timedelta(days=7)
        year, week, _ = since.isocalendar()
        return Period(since, until, zone, unit, f"week of {since} ({year}-W{week:02d})")
    if unit == "month":
        since = day.replace(day=1)
        if previous:
            since = (since - timedelta(days=1)).replace(day=1)
        until = (since + timedelta(days=32)).replace(day=1)
        return Period(since, until, zone, unit, since.strftime("%B %Y"))
    if unit == "quarter":
        since = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
        if previous:
            since = date(since.year - 1, 10, 1) if since.month == 1 else date(since.year, since.month - 3, 1)
        until = date(since.year + 1, 1, 1) if since.month == 10 else date(since.year, since.month + 3, 1)
        return Period(since, until, zone, unit, f"{since.year} Q{(since.month - 1) // 3 + 1}")
    if unit == "year":
        year = day.year - 1 if previous else day.year
        return Period(date(year, 1, 1), date(year + 1, 1, 1), zone, unit, str(year))
    raise ValueError(f"unknown calendar unit {unit!r}")


def _whole_months(since: date, until: date) -> int:
    """Return the number of calendar months from ``since`` to ``until`` when both are 1st days, else 0."""
    if since.day != 1 or until.day != 1:
        return 0
    return (until.year - since.year) * 12 + until.month - since.month


def _add_months(day: date, months: int) -> date:
    """Return the 1st of the month ``months`` away from ``day``'s month (``day`` is a 1st)."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def today_in(zone: ZoneInfo) -> date:
    return datetime.now(zone).date()


def parse_date(text: str) -> date:
    """Read a YYYY-MM-DD date typed by a user. Raises UsageError naming the value."""
    value = text.strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        raise UsageError(f"'{text}' is not a date: use YYYY-MM-DD, as in 2026-03-31")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"'{text}' is not a valid date: use YYYY-MM-DD, as in 2026-03-31") from None


def _utc_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
