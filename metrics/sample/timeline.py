"""Dates and posting rhythm of the sample year, archive time formats and snowflake ids."""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

YEAR_START = datetime(2025, 12, 1, tzinfo=timezone.utc)
GENERATION_TIME = datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)

# Snowflake ids store milliseconds since this epoch (2010-11-04T01:42:54.657Z) in their
# bits above 22. The low 22 bits are a machine id and a sequence number.
TWITTER_EPOCH_MS = 1288834974657
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

# strftime("%a %b") follows the locale, and the archive always uses English names.
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Relative posting volume: quiet over the holidays and in summer, busy at term starts
# and in October (Open Access Week).
MONTH_ACTIVITY = {
    12: 0.7, 1: 1.15, 2: 1.0, 3: 1.2, 4: 1.0, 5: 0.9,
    6: 0.75, 7: 0.55, 8: 0.6, 9: 1.35, 10: 1.25, 11: 1.0,
}
LIBRARY_WEEKDAY_ACTIVITY = (1.1, 1.2, 1.2, 1.1, 0.8, 0.12, 0.08)
MENTION_WEEKDAY_ACTIVITY = (1.1, 1.2, 1.2, 1.1, 0.9, 0.5, 0.45)
LIBRARY_POSTS_PER_DAY = 2.0
MENTIONS_PER_DAY = 0.72

# Library posting hours in UTC: 13:00 to 22:30 is 8:00 to 17:30 in Toronto in winter.
WORK_DAY_SECONDS = (13 * 3600, 22 * 3600 + 1800)
# Community users post from 11:00 UTC to 03:00 UTC the next day.
USER_DAY_SECONDS = (11 * 3600, 27 * 3600)


class SnowflakeFactory:
    """Make unique X snowflake ids whose timestamp bits match a given moment."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def make_id(self, moment: datetime) -> int:
        elapsed_ms = to_epoch_ms(moment) - TWITTER_EPOCH_MS
        if elapsed_ms < 0:
            raise ValueError(f"snowflake ids start at 2010-11-04, got {moment.isoformat()}")
        while True:
            candidate = (elapsed_ms << 22) | self._rng.getrandbits(22)
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate


def to_epoch_ms(moment: datetime) -> int:
    return (moment - UNIX_EPOCH) // timedelta(milliseconds=1)


def format_archive_time(moment: datetime) -> str:
    """Format a UTC time like the archive's ``created_at``: ``Thu Nov 03 08:50:26 +0000 2022``."""
    weekday = WEEKDAY_NAMES[moment.weekday()]
    month = MONTH_NAMES[moment.month - 1]
    return f"{weekday} {month} {moment.day:02d} {moment:%H:%M:%S} +0000 {moment.year}"


def format_iso_time(moment: datetime) -> str:
    """Format a UTC time with milliseconds, like ``2026-03-04T15:20:11.000Z``."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def pick_moment(rng: random.Random, day: datetime, seconds_range: tuple[int, int]) -> datetime:
    seconds = rng.randint(*seconds_range)
    return day + timedelta(seconds=seconds, milliseconds=rng.randint(0, 999))


def draw_poisson(rng: random.Random, mean: float) -> int:
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def iterate_days(start: datetime, end: datetime) -> Iterator[datetime]:
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)
