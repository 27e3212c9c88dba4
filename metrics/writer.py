"""Every write of tweets, mentions and snapshots: the importers and the poller call these.

Writes are upserts keyed by X's ids, so writing the same data twice changes
nothing. A count that the new data lacks (NULL) never overwrites a known one.
"""

import sqlite3
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from metrics.accounts import Account
from metrics.errors import AccountConflict
from metrics.tweets import Tweet, classify_kind

UPSERT_TWEET = """
INSERT INTO tweets (
    id, account_id, created_at, kind, text, lang, in_reply_to_status_id, in_reply_to_user_id,
    referenced_id, conversation_id, edit_group, likes, retweets, replies, quotes, impressions, source
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET
    created_at = excluded.created_at,
    kind = excluded.kind,
    text = excluded.text,
    lang = coalesce(excluded.lang, lang),
    in_reply_to_status_id = coalesce(excluded.in_reply_to_status_id, in_reply_to_status_id),
    in_reply_to_user_id = coalesce(excluded.in_reply_to_user_id, in_reply_to_user_id),
    referenced_id = coalesce(excluded.referenced_id, referenced_id),
    conversation_id = coalesce(excluded.conversation_id, conversation_id),
    edit_group = coalesce(excluded.edit_group, edit_group),
    likes = coalesce(excluded.likes, likes),
    retweets = coalesce(excluded.retweets, retweets),
    replies = coalesce(excluded.replies, replies),
    quotes = coalesce(excluded.quotes, quotes),
    impressions = coalesce(excluded.impressions, impressions)
"""
TWEET_COLUMNS = (
    "id, account_id, created_at, kind, text, lang, in_reply_to_status_id, in_reply_to_user_id, "
    "referenced_id, conversation_id, edit_group, likes, retweets, replies, quotes, impressions, source"
)
# The SET clause of UPSERT_TWEET, shared with the copy from a staging file.
UPSERT_TWEET_SET = UPSERT_TWEET[UPSERT_TWEET.index("ON CONFLICT"):]
INSERT_LINK = "INSERT OR REPLACE INTO links (tweet_id, position, expanded_url, domain) VALUES (?, ?, ?, ?)"
INSERT_HASHTAG = "INSERT OR IGNORE INTO hashtags (tweet_id, tag) VALUES (?, ?)"

UPSERT_MENTION = """
INSERT INTO mentions (
    id, account_id, author_id, author_handle, created_at, text, lang, in_reply_to_status_id,
    is_question, question_reason, source
) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (id, account_id) DO UPDATE SET
    author_id = coalesce(excluded.author_id, author_id),
    author_handle = coalesce(excluded.author_handle, author_handle),
    created_at = excluded.created_at,
    text = excluded.text,
    lang = coalesce(excluded.lang, lang),
    in_reply_to_status_id = coalesce(excluded.in_reply_to_status_id, in_reply_to_status_id),
    is_question = excluded.is_question,
    question_reason = excluded.question_reason
"""

# The first reply of the account to each mention answers it. Mention ids and
# reply ids are time-ordered snowflakes, so the smallest reply id is the first.
LINK_ANSWERS = """
UPDATE mentions SET
    answered_by = (
        SELECT t.id FROM tweets t
        WHERE t.in_reply_to_status_id = mentions.id AND t.account_id = mentions.account_id
          AND t.deleted_at IS NULL
        ORDER BY t.id LIMIT 1
    ),
    answered_at = (
        SELECT t.created_at FROM tweets t
        WHERE t.in_reply_to_status_id = mentions.id AND t.account_id = mentions.account_id
          AND t.deleted_at IS NULL
        ORDER BY t.id LIMIT 1
    )
WHERE account_id = ?
"""


@dataclass
class TweetRows:
    """The rows of a batch of tweets for the tweets, links and hashtags tables, with their kinds."""

    tweets: list[tuple] = field(default_factory=list)
    links: list[tuple] = field(default_factory=list)
    hashtags: list[tuple] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)


ANSWER_EXISTS = """EXISTS (
    SELECT 1 FROM tweets t
    WHERE t.in_reply_to_status_id = mentions.id AND t.account_id = mentions.account_id AND t.deleted_at IS NULL
)"""


def tweet_rows(account: Account, tweets: Iterable[Tweet], source: str) -> TweetRows:
    """Classify the account's tweets and build their rows, without touching the database."""
    rows = TweetRows()
    for tweet in tweets:
        kind = classify_kind(tweet, account.user_id, account.handle)
        rows.kinds[kind] += 1
        rows.tweets.append((
            tweet.id, account.id, tweet.created_at, kind, tweet.text, tweet.lang,
            tweet.in_reply_to_status_id, tweet.in_reply_to_user_id, tweet.referenced_id,
            tweet.conversation_id, tweet.edit_group, tweet.likes, tweet.retweets, tweet.replies,
            tweet.quotes, tweet.impressions, source,
        ))
        for position, link in enumerate(tweet.links):
            rows.links.append((tweet.id, position, link.expanded_url, link.domain))
        for tag in tweet.hashtags:
            rows.hashtags.append((tweet.id, tag))
    return rows


def write_rows(db: sqlite_utils.Database, rows: TweetRows) -> None:
    """Upsert built rows: tweets first, so their links and hashtags have a parent.

    Raises AccountConflict when a tweet is already stored for another account,
    since the upsert would otherwise leave it there silently.
    """
    if rows.tweets:
        _check_owner(db, rows.tweets[0][1], [row[0] for row in rows.tweets])
    db.conn.executemany(UPSERT_TWEET, rows.tweets)
    db.conn.executemany(INSERT_LINK, rows.links)
    db.conn.executemany(INSERT_HASHTAG, rows.hashtags)


class StagingFile:
    """A private SQLite file that one parser process fills with rows, copied into the store afterwards.

    It has no journal and no durability, because it is scratch: a failed import
    discards it. ``copy_staging_file`` moves its rows into the store in SQL.
    """

    def __init__(self, path: Path) -> None:
        self.connection = sqlite3.connect(path, isolation_level=None)
        self.connection.execute("PRAGMA journal_mode = OFF")
        self.connection.execute("PRAGMA synchronous = OFF")
        self.connection.execute(f"CREATE TABLE tweets ({TWEET_COLUMNS.replace('id, ', 'id INTEGER PRIMARY KEY, ', 1)})")
        self.connection.execute("CREATE TABLE links (tweet_id, position, expanded_url, domain)")
        self.connection.execute("CREATE TABLE hashtags (tweet_id, tag)")
        self.connection.execute("BEGIN")

    def write(self, rows: TweetRows) -> None:
        placeholders = ", ".join("?" * 17)
        # A tweet listed twice keeps its last row, as the upsert into the store would.
        self.connection.executemany(f"INSERT OR REPLACE INTO tweets VALUES ({placeholders})", rows.tweets)
        self.connection.executemany("INSERT INTO links VALUES (?, ?, ?, ?)", rows.links)
        self.connection.executemany("INSERT INTO hashtags VALUES (?, ?)", rows.hashtags)

    def close(self) -> None:
        if self.connection.in_transaction:
            self.connection.execute("COMMIT")
        self.connection.close()

    def __enter__(self) -> "StagingFile":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def copy_staging_file(db: sqlite_utils.Database, path: Path, alias: str) -> None:
    """Copy a staging file's rows into the store, inside the caller's transaction.

    The file stays attached as ``alias`` until the caller's transaction ends,
    because SQLite cannot detach a database that the open transaction has read.
    Raises AccountConflict when a tweet is already stored for another account.
    """
    db.execute(f"ATTACH DATABASE ? AS {alias}", [str(path)])
    conflict = db.execute(
        f"""SELECT a.handle, count(*) FROM {alias}.tweets s
            JOIN tweets t ON t.id = s.id JOIN accounts a ON a.id = t.account_id
            WHERE t.account_id != s.account_id GROUP BY a.handle ORDER BY count(*) DESC LIMIT 1"""
    ).fetchone()
    if conflict:
        raise AccountConflict(*conflict)
    # "WHERE true" lets SQLite parse the ON CONFLICT clause after a SELECT.
    db.execute(f"INSERT INTO tweets ({TWEET_COLUMNS}) SELECT {TWEET_COLUMNS} FROM {alias}.tweets WHERE true "
               + UPSERT_TWEET_SET)
    db.execute(f"INSERT OR REPLACE INTO links (tweet_id, position, expanded_url, domain) "
               f"SELECT tweet_id, position, expanded_url, domain FROM {alias}.links")
    db.execute(f"INSERT OR IGNORE INTO hashtags (tweet_id, tag) SELECT tweet_id, tag FROM {alias}.hashtags")


def _check_owner(db: sqlite_utils.Database, account_id: int, tweet_ids: list[int]) -> None:
    placeholders = ", ".join("?" * len(tweet_ids))
    conflict = db.execute(
        f"""SELECT a.handle, count(*) FROM tweets t JOIN accounts a ON a.id = t.account_id
            WHERE t.id IN ({placeholders}) AND t.account_id != ? GROUP BY a.handle ORDER BY count(*) DESC LIMIT 1""",
        [*tweet_ids, account_id],
    ).fetchone()
    if conflict:
        raise AccountConflict(*conflict)


def count_stored(db: sqlite_utils.Database, account: Account) -> tuple[int, int]:
    """Return how many tweets and mentions the store has for the account."""
    return (
        db.execute("SELECT count(*) FROM tweets WHERE account_id = ?", [account.id]).fetchone()[0],
        db.execute("SELECT count(*) FROM mentions WHERE account_id = ?", [account.id]).fetchone()[0],
    )


def delete_account(db: sqlite_utils.Database, account: Account) -> dict[str, int]:
    """Delete an account and everything stored for it. Returns how many tweets and mentions went with it."""
    counts = {
        "tweets": db.execute("SELECT count(*) FROM tweets WHERE account_id = ?", [account.id]).fetchone()[0],
        "mentions": db.execute("SELECT count(*) FROM mentions WHERE account_id = ?", [account.id]).fetchone()[0],
    }
    # Foreign keys cascade the delete to tweets, links, hashtags, mentions and the rest.
    db.execute("DELETE FROM accounts WHERE id = ?", [account.id])
    return counts


def detach_staging_file(db: sqlite_utils.Database, alias: str) -> None:
    db.execute(f"DETACH DATABASE {alias}")


def write_tweets(
    db: sqlite_utils.Database, account: Account, tweets: Iterable[Tweet], source: str
) -> Counter[str]:
    """Upsert the account's own tweets with their links and hashtags. Returns the count of each kind."""
    rows = tweet_rows(account, tweets, source)
    write_rows(db, rows)
    return rows.kinds


def write_latest_versions(
    db: sqlite_utils.Database, account: Account, versions: Iterable[Tweet], source: str
) -> tuple[Counter[str], int]:
    """Store the latest version of each edited tweet and drop older versions.

    ``versions`` contains one tweet per edit group, the one with the highest id seen
    in this import. A newer version already stored wins over it. Returns the kinds
    written and how many stored or given versions were dropped.
    """
    by_group = {tweet.edit_group: tweet for tweet in versions}
    stored = _newest_stored_versions(db, list(by_group))
    dropped = 0
    latest = []
    for group, tweet in by_group.items():
        if stored.get(group, 0) > tweet.id:
            dropped += 1
        else:
            latest.append(tweet)
    # rowcount sums the deleted tweets only, not the links and hashtags deleted with them.
    cursor = db.conn.executemany("DELETE FROM tweets WHERE edit_group = ? AND id < ?",
                                 [(tweet.edit_group, tweet.id) for tweet in latest])
    dropped += max(cursor.rowcount, 0)
    return write_tweets(db, account, latest, source), dropped


def _newest_stored_versions(db: sqlite_utils.Database, groups: list[int]) -> dict[int, int]:
    """Return the highest stored tweet id of each edit group that has one."""
    newest = {}
    # SQLite limits the parameters of one statement; 500 stays well under it.
    for start in range(0, len(groups), 500):
        chunk = groups[start:start + 500]
        placeholders = ", ".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT edit_group, max(id) FROM tweets WHERE edit_group IN ({placeholders}) GROUP BY edit_group", chunk
        )
        newest.update(dict(rows.fetchall()))
    return newest


def mark_deleted(db: sqlite_utils.Database, account: Account, tweet_ids: Iterable[int], deleted_at: str) -> None:
    """Mark stored tweets as deleted, which leaves them out of every figure."""
    db.conn.executemany(
        "UPDATE tweets SET deleted_at = coalesce(deleted_at, ?) WHERE id = ? AND account_id = ?",
        [(deleted_at, tweet_id, account.id) for tweet_id in tweet_ids],
    )


def write_mention(
    db: sqlite_utils.Database, account: Account, tweet: Tweet, is_question: bool, reason: str, source: str
) -> None:
    db.execute(UPSERT_MENTION, [
        tweet.id, account.id, tweet.author_id, tweet.author_handle, tweet.created_at, tweet.text,
        tweet.lang, tweet.in_reply_to_status_id, int(is_question), reason, source,
    ])


def link_answers(db: sqlite_utils.Database, account: Account) -> None:
    db.execute(LINK_ANSWERS, [account.id])


def link_new_answers(db: sqlite_utils.Database, account: Account) -> None:
    """Link the account's unanswered mentions to a stored reply to them, leaving every other row alone."""
    db.execute(LINK_ANSWERS.replace("WHERE account_id = ?", "WHERE account_id = ? AND answered_by IS NULL AND "
                                    + ANSWER_EXISTS), [account.id])


def write_follower_snapshot(
    db: sqlite_utils.Database, account: Account, taken_at: str, counts: dict[str, int | None], source: str
) -> None:
    """Upsert the follower counts at one moment. ``counts`` has followers, following, tweets, listed."""
    db.execute(
        """INSERT INTO follower_snapshots (account_id, taken_at, followers, following, tweets, listed, source)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (account_id, taken_at) DO UPDATE SET
               followers = coalesce(excluded.followers, followers),
               following = coalesce(excluded.following, following),
               tweets = coalesce(excluded.tweets, tweets),
               listed = coalesce(excluded.listed, listed)""",
        [account.id, taken_at, counts.get("followers"), counts.get("following"),
         counts.get("tweets"), counts.get("listed"), source],
    )


def record_import(
    db: sqlite_utils.Database, account: Account, source: str, name: str, generated_at: str,
    imported_at: str, tweets: int, mentions: int,
) -> None:
    """Record an import once: the same file imported again keeps its first row."""
    db.execute(
        """INSERT OR IGNORE INTO imports (account_id, source, name, generated_at, imported_at, tweets, mentions)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        [account.id, source, name, generated_at, imported_at, tweets, mentions],
    )


def record_mention_coverage(db: sqlite_utils.Database, account: Account, start: str, end: str, source: str) -> None:
    """Record that the store contains every mention of the account fetched between two times."""
    db.execute(
        "INSERT OR IGNORE INTO mention_coverage (account_id, start, end, source) VALUES (?, ?, ?, ?)",
        [account.id, start, end, source],
    )
