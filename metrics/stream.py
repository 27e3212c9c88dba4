"""Read an archive's tweet files and write their rows, on two cores for large archives.

For tweet files of 4 MB and more, two forked children each parse half of every
file, on ranges that start and end on entry boundaries (see ``metrics.ranges``),
and write the rows into a staging file of their own. This process then copies
the staging files into the store in SQL, inside the import's one transaction.
Smaller archives, in-memory stores and platforms without fork are written from
this process directly.
"""

import contextlib
import gc
import logging
import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import sqlite_utils

from metrics import archive, writer
from metrics.accounts import Account, find_account_by_user_id, update_account
from metrics.archive_files import ArchiveFiles
from metrics.errors import InputError
from metrics.notes import NoteIndex
from metrics.ranges import ByteRange, plan_ranges
from metrics.summary import ImportSummary, ProgressReporter
from metrics.tweets import Tweet
from metrics.worker import fork_available, iter_in_workers

logger = logging.getLogger(__name__)

# Tweets written per executemany call; large enough to amortise the call, small
# enough that memory stays flat.
BATCH_SIZE = 2000
# Tweet files smaller than this are written from this process alone. Workers
# would save at most a few tenths of a second on them (an estimate from the
# 100,000-tweet benchmark, which is 140 MB).
WORKER_MIN_BYTES = 4 * 1024 * 1024
# Parser processes for a large archive. Each uses about 25 MB of its own
# besides the pages it shares with this process (measured as PSS).
PARSERS = 2

Batch = tuple[writer.TweetRows, int]


@dataclass
class StreamEnd:
    """The rest of a reader's output after its rows: counts for the summary, edited tweets, a learnt user id."""

    skipped: Counter
    first: str | None
    last: str | None
    latest_versions: list[Tweet]
    learnt_user_id: int | None
    matched_notes: set[tuple[str, int]]
    entry_counts: Counter
    kinds: Counter = field(default_factory=Counter)


class StagingArea:
    """A temporary folder for the parsers' staging files, beside the store so that it has room.

    Staging files stay attached to the store's connection until its transaction
    ends, so ``staging_area`` detaches them only after the ``with store.write()``
    block that copied them.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.attached: list[str] = []
        self.db: sqlite_utils.Database | None = None

    def copy_into(self, db: sqlite_utils.Database, path: Path) -> None:
        alias = f"staging{len(self.attached)}"
        self.db = db
        self.attached.append(alias)
        writer.copy_staging_file(db, path, alias)

    def detach(self) -> None:
        while self.attached:
            writer.detach_staging_file(self.db, self.attached.pop())


@contextlib.contextmanager
def staging_area(store_path: Path) -> Iterator[StagingArea | None]:
    """Yield a staging area beside the store, or None for an in-memory store; remove it afterwards."""
    if str(store_path) == ":memory:":
        yield None
        return
    with tempfile.TemporaryDirectory(prefix=".tweetstats-import-", dir=store_path.parent) as folder:
        area = StagingArea(Path(folder))
        try:
            yield area
        finally:
            area.detach()


def write_stream(db: sqlite_utils.Database, account: Account, files: ArchiveFiles, layout: archive.ArchiveLayout,
                 notes: NoteIndex, deleted: set[int], summary: ImportSummary, source: str,
                 progress: ProgressReporter | None, staging: StagingArea | None) -> Account:
    """Write every tweet of the archive and return the account, with its user id if one was learnt."""
    whole_files = [ByteRange(name, 0, None) for name in layout.tweet_files]
    ends = None
    if staging is not None and _use_workers(files, layout):
        plan = plan_ranges(files, layout.tweet_files, [1 / PARSERS] * PARSERS)
        logger.info("Parsing %s in %d worker processes", ", ".join(layout.tweet_files), sum(1 for part in plan if part))
        try:
            with db.atomic():
                ends = _write_in_workers(db, files, layout, plan, account, notes, deleted, source, progress, staging)
        except InputError:
            # A cut fell where the file is laid out unlike X's exports. Parse each
            # file whole here: that imports it, or raises the file's own error.
            logger.info("Parsing %s whole after a split range failed to parse", ", ".join(layout.tweet_files))
            if progress:
                progress.start(archive.tweet_bytes(files, layout), f"Reading {', '.join(layout.tweet_files)}")
    if ends is None:
        ends = _write_here(db, files, layout, whole_files, account, notes, deleted, source, progress)
    for end in ends:
        summary.kinds.update(end.kinds)
    return _finish(db, account, layout, notes, ends, summary, source)


def _use_workers(files: ArchiveFiles, layout: archive.ArchiveLayout) -> bool:
    cores = os.cpu_count() or 1
    return cores >= 2 and fork_available() and archive.tweet_bytes(files, layout) >= WORKER_MIN_BYTES


def _write_here(db: sqlite_utils.Database, files: ArchiveFiles, layout: archive.ArchiveLayout,
                ranges: list[ByteRange], account: Account, notes: NoteIndex, deleted: set[int], source: str,
                progress: ProgressReporter | None) -> list[StreamEnd]:
    """Parse the ranges in this process and write their rows straight into the store."""
    kinds: Counter = Counter()
    with _garbage_collector_paused():
        for item in _read_rows(files, layout, ranges, account, notes, deleted, source):
            if isinstance(item, StreamEnd):
                item.kinds = kinds
                return [item]
            rows, bytes_read = item
            writer.write_rows(db, rows)
            kinds.update(rows.kinds)
            if progress:
                progress.advance(bytes_read)
    raise AssertionError("_read_rows ended without a StreamEnd")


def _write_in_workers(db: sqlite_utils.Database, files: ArchiveFiles, layout: archive.ArchiveLayout,
                      plan: list[list[ByteRange]], account: Account, notes: NoteIndex, deleted: set[int],
                      source: str, progress: ProgressReporter | None, staging: StagingArea) -> list[StreamEnd]:
    """Parse each list of ranges in a child into a staging file, then copy every staging file into the store."""

    def parser(ranges: list[ByteRange], path: Path) -> Callable[[], Iterator[int | StreamEnd]]:
        def parse() -> Iterator[int | StreamEnd]:
            kinds: Counter = Counter()
            # The child opens the archive again: a zip's file offset is shared across fork.
            with files.reopen() as own_files, writer.StagingFile(path) as staged:
                for item in _read_rows(own_files, layout, ranges, account, notes, deleted, source):
                    if isinstance(item, StreamEnd):
                        item.kinds = kinds
                        yield item
                        continue
                    rows, bytes_read = item
                    staged.write(rows)
                    kinds.update(rows.kinds)
                    yield bytes_read

        return parse

    paths = [staging.folder / f"part{index}.db" for index in range(len(plan))]
    parsers = [parser(ranges, path) for ranges, path in zip(plan, paths) if ranges]
    ends = []
    for item in iter_in_workers(parsers):
        if isinstance(item, StreamEnd):
            ends.append(item)
        elif progress:
            progress.advance(item)
    for path in paths:
        if path.exists():
            staging.copy_into(db, path)
    return ends


def _read_rows(files: ArchiveFiles, layout: archive.ArchiveLayout, ranges: list[ByteRange], account: Account,
               notes: NoteIndex, deleted: set[int], source: str) -> Iterator[Batch | StreamEnd]:
    """Parse the ranges and yield rows in batches, each with the bytes read for it, then a StreamEnd."""
    bytes_read = 0

    def count_bytes(amount: int) -> None:
        nonlocal bytes_read
        bytes_read += amount

    summary = ImportSummary("", "", "")
    entry_counts: Counter = Counter()
    learnt_user_id = None
    batch: list[Tweet] = []
    latest_versions: dict[int, Tweet] = {}
    for tweet in archive.iter_tweets(files, layout, ranges, summary.skipped, entry_counts, count_bytes):
        if tweet.id in deleted:
            summary.skipped["deleted (listed in deleted-tweets.js)"] += 1
            continue
        if account.user_id is None:
            learnt_user_id = learnt_user_id or _own_user_id(account, tweet)
        elif tweet.author_id is not None and tweet.author_id != account.user_id:
            summary.skipped["posted by another account"] += 1
            continue
        if notes:
            notes.complete(tweet)
        summary.include_time(tweet.created_at)
        group = tweet.edit_group
        if group is not None:
            # Versions of an edited tweet are few; keep the newest of each group.
            newest = latest_versions.get(group)
            if newest is not None:
                summary.skipped["earlier version of an edited tweet"] += 1
            if newest is None or tweet.id > newest.id:
                latest_versions[group] = tweet
            continue
        batch.append(tweet)
        if len(batch) >= BATCH_SIZE:
            yield writer.tweet_rows(account, batch, source), bytes_read
            batch, bytes_read = [], 0
    yield writer.tweet_rows(account, batch, source), bytes_read
    yield StreamEnd(summary.skipped, summary.first, summary.last, list(latest_versions.values()),
                    learnt_user_id, notes.matched_keys(), entry_counts)


def _finish(db: sqlite_utils.Database, account: Account, layout: archive.ArchiveLayout, notes: NoteIndex,
            ends: list[StreamEnd], summary: ImportSummary, source: str) -> Account:
    """Merge what each reader left: counts, times, the newest version of edited tweets, a learnt user id."""
    latest_versions: dict[int, Tweet] = {}
    matched_notes: set[tuple[str, int]] = set()
    entry_counts: Counter = Counter()
    learnt_user_id = None
    for end in ends:
        summary.skipped.update(end.skipped)
        for moment in (end.first, end.last):
            if moment:
                summary.include_time(moment)
        for tweet in end.latest_versions:
            newest = latest_versions.get(tweet.edit_group)
            if newest is not None:
                summary.skipped["earlier version of an edited tweet"] += 1
            if newest is None or tweet.id > newest.id:
                latest_versions[tweet.edit_group] = tweet
        matched_notes |= end.matched_notes
        entry_counts.update(end.entry_counts)
        learnt_user_id = learnt_user_id or end.learnt_user_id
    archive.check_counts(layout, entry_counts)
    summary.warnings.extend(layout.warnings)
    unmatched = len(notes) - len(matched_notes)
    if unmatched:
        summary.warnings.append(f"{unmatched} long posts in note-tweet.js matched no tweet; their tweets keep the cut text")
    kinds, dropped = writer.write_latest_versions(db, account, latest_versions.values(), source)
    summary.kinds.update(kinds)
    if dropped:
        summary.skipped["earlier version of an edited tweet"] += dropped
    if learnt_user_id is not None and find_account_by_user_id(db, learnt_user_id) is None:
        account = update_account(db, account, learnt_user_id, None)
    return account


def _own_user_id(account: Account, tweet: Tweet) -> int | None:
    """Return the account's user id when the tweet shows it: a Grailbird author or a reply to itself."""
    handle = account.handle.lower()
    if tweet.author_id is not None and (tweet.author_handle or "").lower() == handle:
        return tweet.author_id
    if tweet.in_reply_to_user_id and (tweet.in_reply_to_handle or "").lower() == handle:
        return tweet.in_reply_to_user_id
    return None


@contextlib.contextmanager
def _garbage_collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector, which an import would otherwise run thousands of times.

    Tweets and rows hold no reference cycles, so reference counting alone frees them.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
