"""The SQLite store: one file shared by the importer, the poller and the Slack app."""

import contextlib
import logging
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from metrics.errors import StoreError
from metrics.schema import MIGRATIONS, SCHEMA_VERSION

logger = logging.getLogger(__name__)

# How long a writer waits for another process's write lock before failing.
# An archive import can hold the lock for tens of seconds, so the poller and the
# Slack handlers wait rather than fail at once.
BUSY_TIMEOUT_SECONDS = 60.0
# Pause between tries to switch a new file to WAL while another process does the same.
WAL_RETRY_SECONDS = 0.05


class Store:
    """An open tweetstats database, migrated to the current schema.

    Usage::

        with Store("tweetstats.db") as store:
            with store.write():
                store.db.execute(...)
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:" and not self.path.parent.is_dir():
            raise StoreError(
                f"cannot create database {self.path}: folder {self.path.parent} does not exist. "
                "Create it or pass another --db path"
            )
        connection = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_SECONDS, check_same_thread=False)
        self.db = sqlite_utils.Database(connection)
        try:
            self._configure()
            self._migrate()
        except sqlite3.DatabaseError as error:
            self.db.close()
            raise StoreError(
                f"cannot use database {self.path}: {error}. "
                "Check that it is a tweetstats database, or pass another --db path"
            ) from error

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    @contextlib.contextmanager
    def write(self) -> Iterator[sqlite_utils.Database]:
        """Run a block in one write transaction: all of it is committed, or none.

        BEGIN IMMEDIATE takes the write lock at the start, so two writers queue on
        the busy timeout instead of failing when a read lock is upgraded.
        """
        if self.db.conn.in_transaction:
            with self.db.atomic():
                yield self.db
            return
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield self.db
        except BaseException:
            self.db.rollback()
            raise
        self.db.execute("COMMIT")

    def _configure(self) -> None:
        if self.path.name != ":memory:":
            self._enable_wal()
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.execute("PRAGMA synchronous = NORMAL")

    def _enable_wal(self) -> None:
        """Switch the file to WAL, retrying while another process switches it at the same moment.

        When several connections open a new file together, SQLite can return
        "database is locked" for the journal_mode change at once, without
        waiting on the busy timeout.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_SECONDS
        while True:
            try:
                self.db.enable_wal()
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(WAL_RETRY_SECONDS)

    def _migrate(self) -> None:
        self._check_version(self.schema_version)
        while self.schema_version < SCHEMA_VERSION:
            with self.write() as db:
                # Read the version again under the write lock: another process
                # may have migrated the file since the check above.
                version = self.schema_version
                if version >= SCHEMA_VERSION:
                    break
                migration = MIGRATIONS[version]
                migration(db)
                db.execute(f"PRAGMA user_version = {version + 1}")
            logger.info("Migrated %s to schema version %d (%s)", self.path, version + 1, migration.__name__)

    def _check_version(self, version: int) -> None:
        if version > SCHEMA_VERSION:
            raise StoreError(
                f"database {self.path} has schema version {version}, newer than this "
                f"tweetstats understands ({SCHEMA_VERSION}). Upgrade tweetstats"
            )
