"""Daily series of an account's activity, for charts.

A day is a local calendar day in the report's time zone, from one local
midnight to the next, so a day across a daylight saving change lasts 23 or 25
hours. Each series is one SQL query over every day, not one query per day.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from metrics.tweets import format_time

# The days as a table of (position, since, until) in the store's UTC text,
# built from one JSON array of the local midnights from ``first`` to the day
# after ``last``.
DAYS_CTE = """WITH bounds AS (
    SELECT key AS position, value AS since, lead(value) OVER (ORDER BY key) AS until
    FROM json_each(:midnights)
), days AS (SELECT position, since, until FROM bounds WHERE until IS NOT NULL)"""


@dataclass(frozen=True)
class DailySeries:
    """One value per local day: ``days[i]`` had ``tweets[i]`` tweets and ended with ``followers[i]`` followers.

    ``followers[i]`` is None when no follower count was stored before the end of that day.
    """

    days: list[date]
    tweets: list[int]
    followers: list[int | None]


def daily_series(db: sqlite_utils.Database, account_id: int, first: date, last: date, zone: ZoneInfo) -> DailySeries:
    """Read tweets per day and followers at the end of each day, from ``first`` to ``last`` included.

    Tweets are every tweet the account posted, retweets included (the report's
    "All tweets"), except deleted ones. Followers are those of the latest
    snapshot with a follower count taken before the next local midnight, so a
    count is carried forward over days without a snapshot, however old it is.
    Raises ValueError when ``last`` is before ``first``.
    """
    if last < first:
        raise ValueError(f"the series ends ({last}) before it starts ({first}): give the earlier date first")
    days = [first + timedelta(days=offset) for offset in range((last - first).days + 1)]
    params = {"account": account_id, "midnights": json.dumps(_utc_midnights(days, zone))}
    return DailySeries(days=days, tweets=_tweets_per_day(db, params), followers=_followers_per_day(db, params))


def _utc_midnights(days: list[date], zone: ZoneInfo) -> list[str]:
    """Return the local midnight starting each day and the one ending the last day, as the store's UTC text."""
    starts = days + [days[-1] + timedelta(days=1)]
    return [format_time(datetime.combine(day, time(0), zone)) for day in starts]


def _tweets_per_day(db: sqlite_utils.Database, params: dict) -> list[int]:
    rows = db.execute(
        f"""{DAYS_CTE}
            SELECT d.position, count(t.id) FROM days d
            LEFT JOIN tweets t ON t.account_id = :account AND t.created_at >= d.since AND t.created_at < d.until
                                  AND t.deleted_at IS NULL
            GROUP BY d.position ORDER BY d.position""",
        params,
    )
    return [count for _, count in rows]


def _followers_per_day(db: sqlite_utils.Database, params: dict) -> list[int | None]:
    rows = db.execute(
        f"""{DAYS_CTE}
            SELECT d.position, (
                SELECT s.followers FROM follower_snapshots s
                WHERE s.account_id = :account AND s.taken_at < d.until AND s.followers IS NOT NULL
                ORDER BY s.taken_at DESC LIMIT 1
            ) FROM days d ORDER BY d.position""",
        params,
    )
    return [followers for _, followers in rows]
