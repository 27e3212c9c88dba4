"""Import an archive, a tweets file or a twarc2 file into the store, in one transaction.

Either the whole import is committed or, on any error, none of it is.
"""

import logging
import time
import zipfile
from pathlib import Path

import sqlite_utils

from metrics import archive, writer
from metrics.accounts import Account, add_account, find_account, find_account_by_user_id, parse_handle, update_account, utc_now
from metrics.archive_files import ArchiveFiles
from metrics.errors import AccountConflict, InputError
from metrics.notes import read_notes
from metrics.store import Store
from metrics.stream import staging_area, write_stream
from metrics.summary import ImportSummary, ProgressReporter

logger = logging.getLogger(__name__)

def import_path(store: Store, path: Path, handle: str | None = None,
                progress: ProgressReporter | None = None) -> ImportSummary:
    """Import whatever ``path`` is: an archive zip or folder, a tweets file, or a twarc2 file.

    Raises InputError naming the file when it cannot be imported; nothing is written then.
    """
    logger.info("Importing %s into %s", path, store.path)
    started = time.perf_counter()
    try:
        summary = _import_any(store, path, handle, progress)
    except AccountConflict as conflict:
        other = conflict.other_handle
        fix = f"If @{other} was a mistake, delete it with 'tweetstats accounts delete @{other}' and import again"
        if handle:
            fix = f"If the tweets are @{other}'s, import with --account @{other}. " + fix
        # The import stops at the first batch with a conflict, so the count is a lower bound.
        raise InputError(str(path), f"at least {conflict.count:,} of its tweets are already stored for @{other}",
                         fix) from None
    logger.info("Imported %s for @%s in %.1f s: %d tweets read (%d new), %d mentions read (%d new)",
                path, summary.account.lstrip("@"), time.perf_counter() - started, summary.tweets,
                summary.new_tweets, summary.mentions, summary.new_mentions)
    return summary


def _import_any(store: Store, path: Path, handle: str | None, progress: ProgressReporter | None) -> ImportSummary:
    if not path.exists():
        raise InputError(str(path), "no such file or folder", "Check the path")
    if path.is_dir():
        return import_archive(store, path, handle, progress)
    head = _peek(path)
    # A damaged zip (a download cut short) fails zipfile.is_zipfile, but its name
    # or signature still marks it as a zip, and the zip error explains it best.
    if zipfile.is_zipfile(path) or path.suffix.lower() == ".zip" or head.startswith(b"PK\x03\x04"):
        return import_archive(store, path, handle, progress)
    twarc_name = path.suffix.lower() in (".jsonl", ".json", ".ndjson", ".gz")
    if twarc_name or head.startswith(b"\x1f\x8b") or head.lstrip()[:1] in (b"{", b"["):
        # Imported here: it compiles the question rules, which an archive
        # import never uses.
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
    with staging_area(store.path) as staging, store.write() as db:
        account = _resolve_account(db, files, layout.account, handle)
        tweets_before, _ = writer.count_stored(db, account)
        account = write_stream(db, account, files, layout, notes, deleted, summary, source, progress, staging)
        summary.new_tweets = writer.count_stored(db, account)[0] - tweets_before
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


def _resolve_account(db: sqlite_utils.Database, files: ArchiveFiles, owner: archive.ArchiveAccount | None,
                     handle: str | None) -> Account:
    """Return the account the tweets belong to, creating it on its first import.

    Raises InputError when the archive belongs to another account than ``handle``,
    or when neither the archive nor ``handle`` names the account.
    """
    requested = find_account(db, handle) if handle else None
    if owner is None:
        if handle is None:
            raise InputError(str(files.path), "the file does not name the account its tweets belong to",
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
