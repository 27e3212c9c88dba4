"""Read an archive's tweet files and write their rows, on two cores for large archives.

For tweet files of 4 MB and more, a forked child parses most of each file while
this process parses the rest and writes every row. Both parse ranges that
start and end on entry boundaries (see ``metrics.ranges``). Smaller archives,
and platforms without fork, are read in this process alone.
"""

import contextlib
import gc
import logging
import os
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

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
# Tweet files smaller than this are read in this process: starting a worker
# costs more than it saves on an archive of a few thousand tweets.
WORKER_MIN_BYTES = 4 * 1024 * 1024
# The share of each tweet file that this process parses while it writes every
# row; the child parses the rest. Shares from 0.15 to 0.3 gave the same time
# within noise for 100,000 tweets on 2 cores (bench/import_bench.py).
LOCAL_SHARE = 0.25

Batch = tuple[writer.TweetRows, int]


@dataclass
class StreamEnd:
    """What reading tweets leaves besides rows: counts for the summary, edits and a learnt user id."""

    skipped: Counter
    first: str | None
    last: str | None
    latest_versions: list[Tweet]
    learnt_user_id: int | None
    matched_notes: set[tuple[str, int]]
    entry_counts: Counter


def write_stream(db: sqlite_utils.Database, account: Account, files: ArchiveFiles, layout: archive.ArchiveLayout,
                 notes: NoteIndex, deleted: set[int], summary: ImportSummary, source: str,
                 progress: ProgressReporter | None) -> Account:
    """Write every tweet of the archive and return the account, with its user id if one was learnt."""
    whole_files = [[], [ByteRange(name, 0, None) for name in layout.tweet_files]]
    in_worker = _use_worker(files, layout)
    plan = plan_ranges(files, layout.tweet_files, [LOCAL_SHARE, 1 - LOCAL_SHARE]) if in_worker else whole_files
    try:
        with db.atomic():
            kinds, ends = _write_plan(db, files, layout, plan, account, notes, deleted, source, progress, in_worker)
    except InputError:
        if plan is whole_files:
            raise
        # A cut fell where the file is laid out unlike X's exports. Parse each
        # file whole: that imports it, or raises the file's own error.
        logger.info("Parsing %s whole after a split range failed to parse", ", ".join(layout.tweet_files))
        if progress:
            progress.start(archive.tweet_bytes(files, layout), f"Reading {', '.join(layout.tweet_files)}")
        kinds, ends = _write_plan(db, files, layout, whole_files, account, notes, deleted, source, progress,
                                  in_worker)
    summary.kinds.update(kinds)
    return _finish(db, account, layout, notes, ends, summary, source)


def _use_worker(files: ArchiveFiles, layout: archive.ArchiveLayout) -> bool:
    cores = os.cpu_count() or 1
    return cores >= 2 and fork_available() and archive.tweet_bytes(files, layout) >= WORKER_MIN_BYTES


def _write_plan(db: sqlite_utils.Database, files: ArchiveFiles, layout: archive.ArchiveLayout,
                plan: list[list[ByteRange]], account: Account, notes: NoteIndex, deleted: set[int], source: str,
                progress: ProgressReporter | None, in_worker: bool) -> tuple[Counter, list[StreamEnd]]:
    """Write the rows read from the plan's ranges: the first list here, the second in a child when ``in_worker``.

    Returns the count of each kind written and each reader's StreamEnd.
    """
    local_ranges, other_ranges = plan

    def reader(ranges: list[ByteRange], reopen: bool) -> Callable[[], Iterator[Batch | StreamEnd]]:
        def read() -> Iterator[Batch | StreamEnd]:
            if not reopen:
                yield from _read_rows(files, layout, ranges, account, notes, deleted, source)
                return
            # The child opens the archive again: a zip's file offset is shared across fork.
            with files.reopen() as own_files:
                yield from _read_rows(own_files, layout, ranges, account, notes, deleted, source)

        return read

    if in_worker:
        items: Iterable = iter_in_workers([reader(other_ranges, reopen=True)], local=reader(local_ranges, False)())
    else:
        items = reader(local_ranges + other_ranges, reopen=False)()
    kinds: Counter = Counter()
    ends = []
    with _garbage_collector_paused():
        for item in items:
            if isinstance(item, StreamEnd):
                ends.append(item)
                continue
            rows, bytes_read = item
            writer.write_rows(db, rows)
            kinds.update(rows.kinds)
            if progress:
                progress.advance(bytes_read)
    return kinds, ends


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
            kept = latest_versions.get(group)
            if kept is not None:
                summary.skipped["earlier version of an edited tweet"] += 1
            if kept is None or tweet.id > kept.id:
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
            kept = latest_versions.get(tweet.edit_group)
            if kept is not None:
                summary.skipped["earlier version of an edited tweet"] += 1
            if kept is None or tweet.id > kept.id:
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
