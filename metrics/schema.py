"""The store's schema, as an ordered list of migrations.

Each migration takes the schema from version N-1 to N and runs inside one
transaction with the ``PRAGMA user_version`` update, so a crash leaves the file at
either version. Append new migrations; never edit one that has shipped.

X ids (tweets and users) are stored as INTEGER: they fit SQLite's signed 64-bit
integers and must never pass through a float. Times are UTC text in the form
``YYYY-MM-DDTHH:MM:SSZ``, which sorts and compares as time.
"""

from collections.abc import Callable

import sqlite_utils

Migration = Callable[[sqlite_utils.Database], None]


def create_core_tables(db: sqlite_utils.Database) -> None:
    """Create the version 1 schema: accounts, tweets, links, hashtags, mentions, snapshots."""
    statements = [
        """CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            user_id INTEGER UNIQUE,
            handle TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT,
            added_at TEXT NOT NULL
        )""",
        """CREATE TABLE own_domains (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            domain TEXT NOT NULL,
            PRIMARY KEY (account_id, domain)
        )""",
        # kind is one of original, reply, thread, retweet, quote. Engagement
        # columns are NULL where the source does not provide the figure.
        """CREATE TABLE tweets (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            lang TEXT,
            in_reply_to_status_id INTEGER,
            in_reply_to_user_id INTEGER,
            referenced_id INTEGER,
            conversation_id INTEGER,
            edit_group INTEGER,
            likes INTEGER,
            retweets INTEGER,
            replies INTEGER,
            quotes INTEGER,
            impressions INTEGER,
            source TEXT NOT NULL,
            deleted_at TEXT
        )""",
        "CREATE INDEX tweets_by_account_time ON tweets (account_id, created_at, kind)",
        """CREATE INDEX tweets_by_reply_target ON tweets (in_reply_to_status_id)
            WHERE in_reply_to_status_id IS NOT NULL""",
        "CREATE INDEX tweets_by_edit_group ON tweets (edit_group) WHERE edit_group IS NOT NULL",
        """CREATE TABLE links (
            tweet_id INTEGER NOT NULL REFERENCES tweets(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            expanded_url TEXT NOT NULL,
            domain TEXT NOT NULL,
            PRIMARY KEY (tweet_id, position)
        ) WITHOUT ROWID""",
        """CREATE TABLE hashtags (
            tweet_id INTEGER NOT NULL REFERENCES tweets(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (tweet_id, tag)
        ) WITHOUT ROWID""",
        # Tweets by others that mention a tracked account. answered_by is the
        # account's first reply to the mention.
        """CREATE TABLE mentions (
            id INTEGER NOT NULL,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            author_id INTEGER,
            author_handle TEXT,
            created_at TEXT NOT NULL,
            text TEXT NOT NULL,
            lang TEXT,
            in_reply_to_status_id INTEGER,
            is_question INTEGER NOT NULL,
            question_reason TEXT NOT NULL,
            answered_by INTEGER,
            answered_at TEXT,
            source TEXT NOT NULL,
            PRIMARY KEY (id, account_id)
        )""",
        "CREATE INDEX mentions_by_account_time ON mentions (account_id, created_at)",
        """CREATE TABLE follower_snapshots (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            taken_at TEXT NOT NULL,
            followers INTEGER,
            following INTEGER,
            tweets INTEGER,
            listed INTEGER,
            source TEXT NOT NULL,
            PRIMARY KEY (account_id, taken_at)
        )""",
        """CREATE TABLE cursors (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (account_id, name)
        )""",
        # One row per imported file or archive. Re-importing the same one keeps
        # the first row, so an import that adds nothing changes nothing.
        """CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            name TEXT NOT NULL,
            generated_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            tweets INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            UNIQUE (account_id, source, name, generated_at)
        )""",
    ]
    for statement in statements:
        db.execute(statement)


def add_mention_coverage(db: sqlite_utils.Database) -> None:
    """Record which spans of time the store has mention data for, per account.

    Without it, a period with no stored mentions cannot be distinguished from a period
    whose mentions were never fetched, and the report would show 0 % answered
    where it should show no figure.
    """
    db.execute(
        """CREATE TABLE mention_coverage (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            start TEXT NOT NULL,
            end TEXT NOT NULL,
            source TEXT NOT NULL,
            PRIMARY KEY (account_id, start, end)
        )"""
    )


def add_tracked_flag(db: sqlite_utils.Database) -> None:
    """Mark whether the poller reads an account from X.

    Untracking an account keeps its history for reports; only polling stops.
    Accounts stored before this migration stay tracked.
    """
    db.execute("ALTER TABLE accounts ADD COLUMN tracked INTEGER NOT NULL DEFAULT 1")


def add_poller_tables(db: sqlite_utils.Database) -> None:
    """Add what the X API poller keeps: its usage per day, its state, and when each tweet's metrics were read.

    ``api_usage`` counts requests, resources read and resources billed per UTC
    day and kind, for the cost estimate and the monthly read budget. X bills a
    resource once per UTC day however often it is read, so ``api_reads`` keeps
    the ids read today to tell a billed read from a repeat. ``poller_state`` keeps small
    named values, such as a pause until a usage cap resets or a notice already
    sent. ``tweets.metrics_at`` lets the daily refresh skip tweets whose public
    metrics were read the same UTC day.
    """
    statements = [
        """CREATE TABLE api_usage (
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            requests INTEGER NOT NULL,
            reads INTEGER NOT NULL,
            billed INTEGER NOT NULL,
            PRIMARY KEY (day, kind)
        )""",
        """CREATE TABLE api_reads (
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            resource_id INTEGER NOT NULL,
            PRIMARY KEY (day, kind, resource_id)
        ) WITHOUT ROWID""",
        """CREATE TABLE poller_state (
            name TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        "ALTER TABLE tweets ADD COLUMN metrics_at TEXT",
    ]
    for statement in statements:
        db.execute(statement)


def add_digest_log(db: sqlite_utils.Database) -> None:
    """Record each digest per period, channel and account, so that none is posted twice, even across restarts.

    ``state`` is sending (posted or about to be, so never posted again), sent,
    failed (the channel rejected it), skipped (too late to send) or interrupted
    (a crash came between the record and Slack's response).
    """
    db.execute(
        """CREATE TABLE digests (
            kind TEXT NOT NULL,
            period_start TEXT NOT NULL,
            channel TEXT NOT NULL,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            detail TEXT,
            PRIMARY KEY (kind, period_start, channel, account_id)
        )"""
    )


def add_alert_tables(db: sqlite_utils.Database) -> None:
    """Add what the unanswered-question alerts keep, so that no question is alerted twice, even across restarts.

    ``alert_channels`` overrides TWEETSTATS_ALERT_CHANNEL for one account. An
    ``alerts`` row is one burst: one Slack message, updated in place, with
    ``ts`` NULL until it is posted and ``closed_at`` NULL while it is open.
    ``shown_ids`` contains the comma-separated ids of the open questions that the
    message shows, to tell when it needs an update. ``alerted_questions``
    ties each alerted question to its burst. ``question_marks`` records who
    marked a question answered another way (``answered``) or no question at
    all (``not_question``), which leaves it out of the unanswered questions.
    """
    statements = [
        """CREATE TABLE alert_channels (
            account_id INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL
        )""",
        """CREATE TABLE alerts (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            channel TEXT NOT NULL,
            ts TEXT,
            shown_ids TEXT NOT NULL DEFAULT '',
            opened_at TEXT NOT NULL,
            posted_at TEXT,
            updated_at TEXT,
            reminded_at TEXT,
            closed_at TEXT
        )""",
        "CREATE UNIQUE INDEX alerts_one_open_per_account ON alerts (account_id) WHERE closed_at IS NULL",
        """CREATE TABLE alerted_questions (
            account_id INTEGER NOT NULL,
            mention_id INTEGER NOT NULL,
            alert_id INTEGER NOT NULL REFERENCES alerts(id) ON DELETE CASCADE,
            PRIMARY KEY (account_id, mention_id)
        )""",
        "CREATE INDEX alerted_questions_by_alert ON alerted_questions (alert_id)",
        """CREATE TABLE question_marks (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            mention_id INTEGER NOT NULL,
            mark TEXT NOT NULL CHECK (mark IN ('answered', 'not_question')),
            marked_by TEXT NOT NULL,
            marked_at TEXT NOT NULL,
            PRIMARY KEY (account_id, mention_id)
        )""",
    ]
    for statement in statements:
        db.execute(statement)


def add_goals(db: sqlite_utils.Database) -> None:
    """Add the versions of each account's strategy goals.

    A row sets one goal from ``effective_from`` on, so a report for a past
    period is judged by the goals in force then. ``target`` NULL switches the
    goal off, and ``restores_default`` 1 brings back the goal's default in
    ``metrics.goals``, which is also in force where a goal has no row at all.
    """
    db.execute(
        """CREATE TABLE goals (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            target REAL,
            restores_default INTEGER NOT NULL DEFAULT 0 CHECK (restores_default IN (0, 1)),
            effective_from TEXT NOT NULL,
            set_at TEXT NOT NULL,
            set_by TEXT NOT NULL
        )"""
    )
    db.execute("CREATE INDEX goals_by_account ON goals (account_id, name, effective_from)")


MIGRATIONS: list[Migration] = [
    create_core_tables,
    add_mention_coverage,
    add_tracked_flag,
    add_poller_tables,
    add_digest_log,
    add_alert_tables,
    add_goals,
]

SCHEMA_VERSION = len(MIGRATIONS)
