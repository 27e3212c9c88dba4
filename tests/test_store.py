"""The SQLite store: settings, migrations and transactions."""

import multiprocessing
import sqlite3
from pathlib import Path

import pytest

from metrics.errors import StoreError
from metrics.schema import SCHEMA_VERSION
from metrics.store import BUSY_TIMEOUT_SECONDS, Store

SCHEMA_V1 = Path(__file__).parent / "data" / "schema_v1.sql"


def make_v1_database(path: Path) -> None:
    connection = sqlite3.connect(path)
    connection.executescript(SCHEMA_V1.read_text(encoding="utf-8"))
    connection.close()


def test_new_store_at_current_version(store):
    assert store.schema_version == SCHEMA_VERSION


def test_wal_mode(store):
    assert store.db.journal_mode == "wal"


def test_busy_timeout(store):
    timeout = store.db.execute("PRAGMA busy_timeout").fetchone()[0]
    assert timeout == BUSY_TIMEOUT_SECONDS * 1000


def test_foreign_keys_on(store):
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_migrates_version_1_database(tmp_path):
    path = tmp_path / "old.db"
    make_v1_database(path)
    with Store(path) as store:
        assert store.schema_version == SCHEMA_VERSION
        assert "mention_coverage" in store.db.table_names()


def test_migration_keeps_rows(tmp_path):
    path = tmp_path / "old.db"
    make_v1_database(path)
    with Store(path) as store:
        tweet = store.db.execute("SELECT id, text, likes FROM tweets").fetchone()
        mention = store.db.execute("SELECT text, is_question FROM mentions").fetchone()
    assert tweet == (2008763289937559553, "Hello", 3)
    assert mention == ("Are you open?", 1)


def test_migrated_database_reports(tmp_path):
    from datetime import date
    from zoneinfo import ZoneInfo

    from metrics.accounts import require_account
    from metrics.periods import calendar_period
    from metrics.report import build_report

    path = tmp_path / "old.db"
    make_v1_database(path)
    with Store(path) as store:
        account = require_account(store.db, None)
        period = calendar_period("month", date(2026, 2, 10), ZoneInfo("UTC"), previous=True)
        figures = build_report(store.db, account, period).current
    assert figures.tweets.total == 1
    assert figures.responsiveness.questions == 1


def test_newer_schema_rejected(tmp_path):
    path = tmp_path / "future.db"
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    connection.close()
    with pytest.raises(StoreError, match="newer than this tweetstats"):
        Store(path)


def test_not_a_database_rejected(tmp_path):
    path = tmp_path / "notes.db"
    path.write_text("just some text, long enough to be read as a header " * 4, encoding="utf-8")
    with pytest.raises(StoreError, match="notes.db"):
        Store(path)


def test_missing_folder_rejected(tmp_path):
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "absent" / "tweetstats.db")


def test_write_rolls_back_on_error(store):
    with pytest.raises(RuntimeError):
        with store.write() as db:
            db.execute("INSERT INTO accounts (handle, added_at) VALUES ('Someone', '2026-01-01T00:00:00Z')")
            raise RuntimeError("stop")
    assert store.db.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0


def test_nested_write_is_one_transaction(store):
    with pytest.raises(RuntimeError):
        with store.write():
            with store.write() as inner:
                inner.execute("INSERT INTO accounts (handle, added_at) VALUES ('Inner', '2026-01-01T00:00:00Z')")
            raise RuntimeError("stop")
    assert store.db.execute("SELECT count(*) FROM accounts").fetchone()[0] == 0


def open_store(path: str) -> int:
    with Store(path) as store:
        return store.schema_version


def test_concurrent_first_open(tmp_path):
    """Processes opening new files together all get a migrated store (SQLite may report the WAL switch busy)."""
    paths = [str(tmp_path / f"shared-{number}.db") for number in range(20) for _ in range(8)]

    with multiprocessing.get_context("spawn").Pool(8) as pool:
        versions = pool.map(open_store, paths, chunksize=1)

    assert versions == [SCHEMA_VERSION] * len(paths)
