"""The poller's SQL: cursors, named state, follower snapshots and the daily metrics refresh."""

from datetime import date

import sqlite_utils

from metrics.accounts import Account

TWEETS_CURSOR = "tweets_since_id"
MENTIONS_CURSOR = "mentions_since_id"


def read_cursor(db: sqlite_utils.Database, account: Account, name: str) -> int | None:
    row = db.execute("SELECT value FROM cursors WHERE account_id = ? AND name = ?", [account.id, name]).fetchone()
    return int(row[0]) if row else None


def write_cursor(db: sqlite_utils.Database, account: Account, name: str, value: int, moment: str) -> None:
    """Move a cursor forward to ``value`` (never back) and record the poll's time."""
    db.execute(
        """INSERT INTO cursors (account_id, name, value, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (account_id, name) DO UPDATE SET
               value = CASE WHEN CAST(excluded.value AS INTEGER) > CAST(value AS INTEGER)
                            THEN excluded.value ELSE value END,
               updated_at = excluded.updated_at""",
        [account.id, name, str(value), moment],
    )


def touch_cursor(db: sqlite_utils.Database, account: Account, name: str, moment: str) -> None:
    """Record that a poll found nothing newer than the cursor, so the data is current up to ``moment``."""
    db.execute("UPDATE cursors SET updated_at = ? WHERE account_id = ? AND name = ?", [moment, account.id, name])


def read_state(db: sqlite_utils.Database, name: str) -> str | None:
    row = db.execute("SELECT value FROM poller_state WHERE name = ?", [name]).fetchone()
    return row[0] if row else None


def write_state(db: sqlite_utils.Database, name: str, value: str, moment: str) -> None:
    db.execute(
        """INSERT INTO poller_state (name, value, updated_at) VALUES (?, ?, ?)
           ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""",
        [name, value, moment],
    )


def delete_state(db: sqlite_utils.Database, name: str) -> None:
    db.execute("DELETE FROM poller_state WHERE name = ?", [name])


def list_state(db: sqlite_utils.Database, prefix: str) -> dict[str, str]:
    rows = db.execute("SELECT name, value FROM poller_state WHERE substr(name, 1, ?) = ?", [len(prefix), prefix])
    return dict(rows.fetchall())


def extend_coverage(db: sqlite_utils.Database, account: Account, start: str, end: str, source: str) -> None:
    """Record mention coverage from ``start`` to ``end``, extending the span that ends at ``start`` if there is one."""
    cursor = db.execute(
        'UPDATE mention_coverage SET "end" = ? WHERE account_id = ? AND source = ? AND "end" = ?',
        [end, account.id, source, start],
    )
    if cursor.rowcount == 0:
        db.execute(
            'INSERT OR IGNORE INTO mention_coverage (account_id, start, "end", source) VALUES (?, ?, ?, ?)',
            [account.id, start, end, source],
        )


def coverage_end(db: sqlite_utils.Database, account: Account, source: str) -> str | None:
    row = db.execute('SELECT max("end") FROM mention_coverage WHERE account_id = ? AND source = ?',
                     [account.id, source]).fetchone()
    return row[0] if row else None


def resume_account(db: sqlite_utils.Database, account: Account) -> bool:
    """Let the poller read an account it stopped after a 401 or 403. Returns whether it had stopped."""
    cursor = db.execute("DELETE FROM poller_state WHERE name = ?", [f"stopped:{account.id}"])
    db.execute("DELETE FROM poller_state WHERE name = ?", [f"notice:denied:{account.id}"])
    return cursor.rowcount > 0


def drop_earlier_versions(db: sqlite_utils.Database, account: Account, tweet_ids: list[int]) -> None:
    """Delete stored versions of edited tweets that a newer version replaces.

    A version stored before its tweet was edited has no edit group yet, so it
    is found by id, from the newer version's edit history.
    """
    db.conn.executemany("DELETE FROM tweets WHERE account_id = ? AND id = ?",
                        [(account.id, tweet_id) for tweet_id in tweet_ids])


def mark_metrics_read(db: sqlite_utils.Database, tweet_ids: list[int], moment: str) -> None:
    db.conn.executemany("UPDATE tweets SET metrics_at = ? WHERE id = ?", [(moment, tweet_id) for tweet_id in tweet_ids])


def tweets_to_refresh(db: sqlite_utils.Database, account: Account, since: str, today: date) -> list[int]:
    """Return the account's tweets created since ``since`` whose metrics were not read on the UTC day ``today``."""
    rows = db.execute(
        """SELECT id FROM tweets
           WHERE account_id = ? AND created_at >= ? AND deleted_at IS NULL
             AND (metrics_at IS NULL OR metrics_at < ?)
           ORDER BY id""",
        [account.id, since, today.isoformat()],
    )
    return [row[0] for row in rows]


def update_metrics(db: sqlite_utils.Database, rows: list[tuple], moment: str) -> None:
    """Store refreshed public metrics. Each row is (likes, retweets, replies, quotes, impressions, tweet id)."""
    db.conn.executemany(
        """UPDATE tweets SET likes = coalesce(?, likes), retweets = coalesce(?, retweets),
               replies = coalesce(?, replies), quotes = coalesce(?, quotes),
               impressions = coalesce(?, impressions), metrics_at = ?
           WHERE id = ?""",
        [(*row[:5], moment, row[5]) for row in rows],
    )


def latest_snapshot(db: sqlite_utils.Database, account: Account) -> tuple | None:
    """Return the newest follower snapshot as (taken_at, followers, following, tweets, listed)."""
    return db.execute(
        """SELECT taken_at, followers, following, tweets, listed FROM follower_snapshots
           WHERE account_id = ? ORDER BY taken_at DESC LIMIT 1""",
        [account.id],
    ).fetchone()


def tracked_accounts(db: sqlite_utils.Database) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM accounts WHERE tracked = 1 ORDER BY handle")]
