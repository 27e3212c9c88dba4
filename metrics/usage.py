"""Usage of the X API by the poller: requests, and resources read and billed, per UTC day and kind.

X bills each resource read (a post, a user) once per UTC day, however often it
is read that day (X's pricing page calls this a soft guarantee). A read is
"billed" here when its resource was not read before the same UTC day. The kinds
follow X's price list: reads of the tracked accounts' own posts, reads of other
people's posts (mentions), and user lookups.
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
    """Requests, reads and billed reads of one calendar month (UTC), per kind."""

    month: str
    requests: dict[str, int]
    reads: dict[str, int]
    billed: dict[str, int]

    @property
    def total_reads(self) -> int:
        return sum(self.reads.values())

    @property
    def total_billed(self) -> int:
        return sum(self.billed.values())

    @property
    def total_requests(self) -> int:
        return sum(self.requests.values())

    def cost(self, prices: dict[str, float]) -> float:
        """Estimate the month's cost in US dollars: billed reads at the given price per read of each kind."""
        return sum(self.billed[kind] * prices.get(kind, 0.0) for kind in KINDS)


def record_request(db: sqlite_utils.Database, day: date, kind: str, resource_ids: list[int]) -> int:
    """Count one request and the resources it read on a UTC day. Returns how many of them are billed.

    Also deletes the ids read before ``day``, which no longer matter for billing.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown usage kind {kind!r}: expected one of {', '.join(KINDS)}")
    today = day.isoformat()
    db.execute("DELETE FROM api_reads WHERE day < ?", [today])
    before = db.conn.total_changes
    db.conn.executemany("INSERT OR IGNORE INTO api_reads (day, kind, resource_id) VALUES (?, ?, ?)",
                        [(today, kind, resource_id) for resource_id in resource_ids])
    billed = db.conn.total_changes - before
    db.execute(
        """INSERT INTO api_usage (day, kind, requests, reads, billed) VALUES (?, ?, 1, ?, ?)
           ON CONFLICT (day, kind) DO UPDATE SET requests = requests + 1, reads = reads + excluded.reads,
                                                 billed = billed + excluded.billed""",
        [today, kind, len(resource_ids), billed],
    )
    return billed


def month_usage(db: sqlite_utils.Database, day: date) -> MonthUsage:
    """Sum the usage of the calendar month that contains ``day``."""
    month = day.strftime("%Y-%m")
    requests = dict.fromkeys(KINDS, 0)
    reads = dict.fromkeys(KINDS, 0)
    billed = dict.fromkeys(KINDS, 0)
    rows = db.execute(
        """SELECT kind, sum(requests), sum(reads), sum(billed) FROM api_usage
           WHERE substr(day, 1, 7) = ? GROUP BY kind""",
        [month],
    )
    for kind, kind_requests, kind_reads, kind_billed in rows:
        requests[kind] = kind_requests
        reads[kind] = kind_reads
        billed[kind] = kind_billed
    return MonthUsage(month, requests, reads, billed)
