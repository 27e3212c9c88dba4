"""Import an archive, a tweets file or a twarc2 file into the store, in one transaction.

Either the whole import is committed or, on any error, none of it is.
"""

import contextlib
import gc
import logging
import os
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import sqlite_utils

from metrics import archive, writer
from metrics.accounts import Account, add_account, find_account, find_account_by_user_id, parse_handle, update_account, utc_now
from metrics.archive_files import ArchiveFiles
from metrics.errors import InputError
from metrics.notes import NoteIndex, read_notes
from metrics.store import Store
from metrics.tweets import Tweet
from metrics.ranges import ByteRange, plan_ranges
from metrics.worker import fork_available, iter_in_workers

logger = logging.getLogger(__name__)

# Tweets written per executemany call; large enough to amortise the call, small
# enough that memory stays flat.
BATCH_SIZE = 2000
# Tweet files smaller than this are parsed in-process: starting a worker costs
# more than it saves on an archive of a few thousand tweets.
WORKER_MIN_BYTES = 4 * 1024 * 1024
# Parser processes at most, whatever the number of cores. Each holds about
# 30 MB resident, and two of them keep the one writing process busy.
MAX_PARSERS = 2


class ProgressReporter(Protocol):
    def start(self, total: int, label: str) -> None: ...

    def advance(self, amount: int) -> None: ...


@dataclass
class ImportSummary:
    """What an import read, wrote and skipped, for the message at its end."""

    path: str
    source: str
    generation: str
    account: str = ""
    kinds: Counter = field(default_factory=Counter)
    mentions: int = 0
    questions: int = 0
    first: str | None = None
    last: str | None = None
    followers: int | None = None
    following: int | None = None
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    @property
    def tweets(self) -> int:
        return sum(self.kinds.values())

    def include_time(self, created_at: str) -> None:
        if self.first is None or created_at < self.first:
            self.first = created_at
        if self.last is None or created_at > self.last:
            self.last = created_at


def import_path(store: Store, path: Path, handle: str | None = None,
                progress: ProgressReporter | None = None) -> ImportSummary:
    """Import whatever ``path`` is: an archive zip or folder, a tweets file, or a twarc2 file."""
    if not path.exists():
        raise InputError(str(path), "no such file or folder", "Check the path")
    if path.is_dir():
        return import_archive(store, path, handle, progress)
    head = _peek(path)
    # A damaged zip (a download cut short) fails zipfile.is_zipfile, but its name
    # or signature still says zip, and the zip error explains it best.
    if zipfile.is_zipfile(path) or path.suffix.lower() == ".zip" or head.startswith(b"PK\x03\x04"):
        return import_archive(store, path, handle, progress)
    if head.startswith(b"\x1f\x8b") or head.lstrip()[:1] in (b"{", b"["):
        from metrics.twarc import import_twarc

        return import_twarc(store, path, handle, progress)
    return import_tweets_file(store, path, handle, progress)


def import_archive(store: Store, path: Path, handle: str | None = None,
                   progress: ProgressReporter | None = None) -> ImportSummary:
    with ArchiveFiles(path) as files:
        layout = archive.detect_layout(files)
        return _import_layout(store, files, layout, handle, progress, source="archive")


def import_tweets_file(store: Store, path: Path, handle: str | None = None,
                       progress: ProgressReporter | None = None) -> ImportSummary:
    """Import a lone tweets file (``tweets.js``, ``tweet.js``, a part, or a Grailbird month)."""
    with ArchiveFiles.single(path) as files:
        layout = archive.detect_single_file_layout(files, path.name)
        return _import_layout(store, files, layout, handle, progress, source="tweets file")


def _import_layout(store: Store, files: ArchiveFiles, layout: archive.ArchiveLayout, handle: str | None,
                   progress: ProgressReporter | None, source: str) -> ImportSummary:
    summary = ImportSummary(str(files.path), source, layout.generation)
    notes = read_notes(files)
    deleted = archive.read_deleted_ids(files)
    followers = archive.count_entries(files, "data/follower.js")
    following = archive.count_entries(files, "data/following.js")
    if progress:
        progress.start(archive.tweet_bytes(files, layout), f"Reading {', '.join(layout.tweet_files)}")
    with store.write() as db:
        account = _resolve_account(db, files, layout.account, handle)
        account = _write_stream(db, account, files, layout, notes, deleted, summary, source, progress)
        if layout.generated_at and (followers is not None or following is not None):
            counts = {"followers": followers, "following": following}
            writer.write_follower_snapshot(db, account, layout.generated_at, counts, source)
            summary.followers, summary.following = followers, following
        writer.mark_deleted(db, account, deleted, layout.generated_at or utc_now())
        writer.link_answers(db, account)
        _check_not_empty(summary, files.path)
        writer.record_import(db, account, source, files.path.name, layout.generated_at or summary.last or "",
                             utc_now(), summary.tweets, 0)
    summary.account = account.handle
    return summary


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


def _write_stream(db: sqlite_utils.Database, account: Account, files: ArchiveFiles, layout: archive.ArchiveLayout,
                  notes: NoteIndex, deleted: set[int], summary: ImportSummary, source: str,
                  progress: ProgressReporter | None) -> Account:
    """Write every tweet of the archive and return the account, with its user id if one was learnt.

    Large archives are parsed by worker processes, each on its own range of the
    tweet files, while this process writes; small ones are parsed here.
    """
    whole_files = [[ByteRange(name, 0, None) for name in layout.tweet_files]]
    parsers = _parser_count(files, layout)
    plan = plan_ranges(files, layout.tweet_files, parsers) if parsers > 1 else whole_files
    try:
        with db.atomic():
            kinds, ends = _write_ranges(db, files, layout, plan, account, notes, deleted, source, progress, parsers)
    except InputError:
        if plan is whole_files:
            raise
        # A cut fell where the file is laid out unlike X's exports. Parse each
        # file whole: that imports it, or raises the file's own error.
        logger.info("Parsing %s whole after a split range failed to parse", ", ".join(layout.tweet_files))
        if progress:
            progress.start(archive.tweet_bytes(files, layout), f"Reading {', '.join(layout.tweet_files)}")
        kinds, ends = _write_ranges(db, files, layout, whole_files, account, notes, deleted, source, progress,
                                    parsers)
    summary.kinds.update(kinds)
    return _finish_stream(db, account, layout, notes, ends, summary, source)


def _write_ranges(db: sqlite_utils.Database, files: ArchiveFiles, layout: archive.ArchiveLayout,
                  plan: list[list[ByteRange]], account: Account, notes: NoteIndex, deleted: set[int], source: str,
                  progress: ProgressReporter | None, parsers: int) -> tuple[Counter, list[StreamEnd]]:
    """Write the rows that the producers read from the planned ranges. Returns the kinds and each StreamEnd."""

    def producer(ranges: list[ByteRange]) -> Callable[[], Iterator[tuple[writer.TweetRows, int] | StreamEnd]]:
        def produce() -> Iterator[tuple[writer.TweetRows, int] | StreamEnd]:
            with files.reopen() as own_files:
                yield from _read_rows(own_files, layout, ranges, account, notes, deleted, source)

        return produce

    producers = [producer(ranges) for ranges in plan]
    if parsers:
        items: Iterable = iter_in_workers(producers)
    else:
        items = (item for produce in producers for item in produce())
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


def _finish_stream(db: sqlite_utils.Database, account: Account, layout: archive.ArchiveLayout, notes: NoteIndex,
                   ends: list[StreamEnd], summary: ImportSummary, source: str) -> Account:
    """Merge what each producer left: counts, times, the newest version of edited tweets, a learnt user id."""
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


def _parser_count(files: ArchiveFiles, layout: archive.ArchiveLayout) -> int:
    """Return how many worker processes should parse the tweet files: 0 parses in this process."""
    cores = os.cpu_count() or 1
    if cores < 2 or not fork_available() or archive.tweet_bytes(files, layout) < WORKER_MIN_BYTES:
        return 0
    return min(cores, MAX_PARSERS)


def _read_rows(files: ArchiveFiles, layout: archive.ArchiveLayout, ranges: list[ByteRange], account: Account,
               notes: NoteIndex, deleted: set[int], source: str) -> Iterator[tuple[writer.TweetRows, int] | StreamEnd]:
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


def _own_user_id(account: Account, tweet: Tweet) -> int | None:
    """Return the account's user id when the tweet shows it: a Grailbird author or a reply to itself."""
    handle = account.handle.lower()
    if tweet.author_id is not None and (tweet.author_handle or "").lower() == handle:
        return tweet.author_id
    if tweet.in_reply_to_user_id and (tweet.in_reply_to_handle or "").lower() == handle:
        return tweet.in_reply_to_user_id
    return None


def _resolve_account(db: sqlite_utils.Database, files: ArchiveFiles, owner: archive.ArchiveAccount | None,
                     handle: str | None) -> Account:
    """Return the account the tweets belong to, creating it on its first import.

    Raises InputError when the archive belongs to another account than ``handle``,
    or when neither the archive nor ``handle`` says whose tweets these are.
    """
    requested = find_account(db, handle) if handle else None
    if owner is None:
        if handle is None:
            raise InputError(str(files.path), "the file does not say whose tweets it holds",
                             "Pass the account with --account @handle")
        return requested or add_account(db, handle)
    if handle is not None and not _same_account(owner, parse_handle(handle), requested):
        raise InputError(
            str(files.path), f"this archive belongs to @{owner.handle}, not @{parse_handle(handle)}",
            f"Drop --account, or pass the archive of @{parse_handle(handle)}",
        )
    stored = find_account_by_user_id(db, owner.user_id) if owner.user_id else None
    stored = stored or requested or find_account(db, owner.handle)
    if stored is None:
        return add_account(db, owner.handle, owner.user_id, owner.display_name)
    if stored.user_id is not None and owner.user_id is not None and stored.user_id != owner.user_id:
        raise InputError(
            str(files.path),
            f"this archive belongs to user id {owner.user_id}, but @{stored.handle} in the store has user id {stored.user_id}",
            "Check that the archive is the right account's",
        )
    return update_account(db, stored, owner.user_id, owner.display_name)


def _same_account(owner: archive.ArchiveAccount, handle: str, requested: Account | None) -> bool:
    if owner.handle.lower() == handle.lower():
        return True
    # The account may have changed its handle since the archive was made.
    return requested is not None and owner.user_id is not None and requested.user_id == owner.user_id


def _check_not_empty(summary: ImportSummary, path: Path) -> None:
    if summary.tweets == 0 and not summary.skipped:
        summary.warnings.append("the archive holds no tweets")
    elif summary.tweets == 0:
        reasons = "; ".join(f"{count} {reason}" for reason, count in summary.skipped.items())
        raise InputError(str(path), f"no tweet could be imported ({reasons})", "Check that this is an X archive")


def _peek(path: Path) -> bytes:
    try:
        with open(path, "rb") as file:
            head = file.read(64)
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})", "Check the path and its permissions") from None
    if not head.strip():
        raise InputError(str(path), "the file is empty", "Export the archive again from X")
    return head
