"""What the poller asked of the X API: requests and resources read per UTC day and kind, and their cost.

X bills each resource read (a post, a user), de-duplicated within a UTC day.
The kinds follow its price list: reads of the tracked accounts' own posts,
reads of other people's posts (mentions), and user lookups.
"""

from dataclasses import dataclass
from datetime import date

import sqlite_utils

OWN_POSTS = "own posts"
OTHER_POSTS = "other posts"
USERS = "users"
KINDS = (OWN_POSTS, OTHER_POSTS, USERS)

# Defaults from X's pay-per-use price list of 2026-08 (docs.x.com, Pricing): $0.001 per
# owned read, $0.005 per post read, $0.010 per user read. X changes them, so each is a setting.
DEFAULT_PRICES = {OWN_POSTS: 0.001, OTHER_POSTS: 0.005, USERS: 0.010}


@dataclass(frozen=True)
class MonthUsage:
    """Requests and reads of one calendar month (UTC), per kind."""

    month: str
    requests: dict[str, int]
    reads: dict[str, int]

    @property
    def total_reads(self) -> int:
        return sum(self.reads.values())

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    def cost(self, prices: dict[str, float]) -> float:
        """Estimate the month's cost in US dollars at the given price per read of each kind."""
        return sum(self.reads[kind] * prices.get(kind, 0.0) for kind in KINDS)


def record_usage(db: sqlite_utils.Database, day: date, kind: str, requests: int, reads: int) -> None:
    """Add requests and reads to a UTC day's count for one kind."""
    if kind not in KINDS:
        raise ValueError(f"unknown usage kind {kind!r}: expected one of {', '.join(KINDS)}")
    db.execute(
        """INSERT INTO api_usage (day, kind, requests, reads) VALUES (?, ?, ?, ?)
           ON CONFLICT (day, kind) DO UPDATE SET requests = requests + excluded.requests,
                                                 reads = reads + excluded.reads""",
        [day.isoformat(), kind, requests, reads],
    )


def month_usage(db: sqlite_utils.Database, day: date) -> MonthUsage:
    """Sum the usage of the calendar month that contains ``day``."""
    month = day.strftime("%Y-%m")
    requests = dict.fromkeys(KINDS, 0)
    reads = dict.fromkeys(KINDS, 0)
    rows = db.execute(
        "SELECT kind, sum(requests), sum(reads) FROM api_usage WHERE substr(day, 1, 7) = ? GROUP BY kind", [month]
    )
    for kind, kind_requests, kind_reads in rows:
        requests[kind] = kind_requests
        reads[kind] = kind_reads
    return MonthUsage(month, requests, reads)
