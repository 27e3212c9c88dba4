"""Import twarc2 output: X API v2 response pages, one per line, or flattened tweets.

Tweets by a tracked account are stored as its tweets. Tweets by others that
mention it are stored as mentions, each classified as a question or not.
"""

import gzip
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import sqlite_utils

from metrics import writer
from metrics.accounts import Account, add_account, find_account, list_accounts, parse_handle, update_account, utc_now
from metrics.api_tweet import SkippedTweet, tweet_from_api
from metrics.errors import InputError
from metrics.stream import BATCH_SIZE
from metrics.summary import ImportSummary, ProgressReporter
from metrics.questions import classify_mention
from metrics.store import Store
from metrics.tweets import Tweet, parse_time

SOURCE = "twarc"


@dataclass
class Page:
    """The tweets of one line, with the usernames its ``includes.users`` gives."""

    tweets: list
    usernames: dict[str, str] = field(default_factory=dict)
    retrieved_at: str | None = None
    errors: int = 0


class TrackedAccounts:
    """The accounts a twarc file is matched against: all tracked ones, or the one named."""

    def __init__(self, db: sqlite_utils.Database, handle: str | None, path: Path) -> None:
        self.db = db
        self.pending_handle: str | None = None
        if handle is not None:
            account = find_account(db, handle)
            accounts = [account] if account else []
            self.pending_handle = None if account else parse_handle(handle)
        else:
            accounts = list_accounts(db)
            if not accounts:
                raise InputError(str(path), "the store tracks no account yet, so no tweet can be matched",
                                 "Pass the account with --account @handle, or import its archive first")
        self.by_id = {account.user_id: account for account in accounts if account.user_id}
        self.by_handle = {account.handle.lower(): account for account in accounts}
        self.touched: dict[int, Account] = {}

    def author_of(self, tweet: Tweet) -> Account | None:
        account = self.by_id.get(tweet.author_id) or self._by_handle(tweet.author_handle, tweet.author_id)
        return self._touch(account)

    def mentioned_in(self, tweet: Tweet) -> list[Account]:
        found: dict[int, Account] = {}
        for user_id, username in tweet.mentioned:
            account = self.by_id.get(user_id) or self._by_handle(username, user_id)
            if account:
                found[account.id] = account
        if not found and tweet.in_reply_to_user_id in self.by_id:
            account = self.by_id[tweet.in_reply_to_user_id]
            found[account.id] = account
        return [self._touch(account) for account in found.values()]

    def _by_handle(self, username: str | None, user_id: int | None) -> Account | None:
        if not username:
            return None
        key = username.lower()
        if key not in self.by_handle and self.pending_handle and key == self.pending_handle.lower():
            self.by_handle[key] = add_account(self.db, self.pending_handle, user_id)
            self.pending_handle = None
        account = self.by_handle.get(key)
        if account and account.user_id is None and user_id is not None:
            account = update_account(self.db, account, user_id, None)
            self.by_handle[key] = account
        if account and account.user_id:
            self.by_id[account.user_id] = account
        return account

    def _touch(self, account: Account | None) -> Account | None:
        if account is not None:
            self.touched[account.id] = account
        return account


def import_twarc(store: Store, path: Path, handle: str | None = None,
                 progress: ProgressReporter | None = None) -> ImportSummary:
    summary = ImportSummary(str(path), "twarc", "twarc2 JSONL")
    if progress:
        progress.start(path.stat().st_size, f"Reading {path.name}")
    with store.write() as db:
        tracked = TrackedAccounts(db, handle, path)
        before = {account.id: writer.count_stored(db, account) for account in tracked.by_handle.values()}
        spans = _import_pages(db, tracked, _iter_pages(path, progress), summary)
        if not tracked.touched:
            if handle:
                account_name = f"@{parse_handle(handle)}"
                fix = f"Check that the file was collected for {account_name}"
            else:
                account_name = "any tracked account"
                fix = "Check the file, or name the account with --account @handle"
            raise InputError(str(path), f"no tweet in the file is by or mentions {account_name}", fix)
        for account in tracked.touched.values():
            tweets, mentions = writer.count_stored(db, account)
            tweets_before, mentions_before = before.get(account.id, (0, 0))
            summary.new_tweets += tweets - tweets_before
            summary.new_mentions += mentions - mentions_before
            writer.link_answers(db, account)
            if account.id in spans:
                start, end = spans[account.id]
                writer.record_mention_coverage(db, account, start, end, SOURCE)
            writer.record_import(db, account, SOURCE, path.name, summary.last or "", utc_now(),
                                 summary.tweets, summary.mentions)
    summary.account = ", ".join("@" + account.handle for account in tracked.touched.values())
    return summary


def _import_pages(db: sqlite_utils.Database, tracked: TrackedAccounts, pages: Iterator[Page],
                  summary: ImportSummary) -> dict[int, tuple[str, str]]:
    """Write every page's tweets and mentions. Return each account's span of mention data."""
    spans: dict[int, tuple[str, str]] = {}
    own: dict[int, list[Tweet]] = {}
    # A tweet that several mentions reply to is in the includes of each of their
    # pages; it is written and counted once. NOTE: the set grows with the file's
    # distinct tweets, unlike the archive import, whose memory stays flat.
    seen: set[int] = set()
    for page in pages:
        if page.errors:
            summary.skipped["error entries returned by the X API"] += page.errors
        for fields in page.tweets:
            try:
                tweet = tweet_from_api(fields, page.usernames)
            except SkippedTweet as error:
                summary.skipped[f"unreadable tweet: {error}"] += 1
                continue
            if tweet.id in seen:
                continue
            seen.add(tweet.id)
            author = tracked.author_of(tweet)
            if author is not None:
                own.setdefault(author.id, []).append(tweet)
                summary.include_time(tweet.created_at)
                if len(own[author.id]) >= BATCH_SIZE:
                    summary.kinds.update(writer.write_tweets(db, author, own.pop(author.id), SOURCE))
                continue
            mentioned = tracked.mentioned_in(tweet)
            if not mentioned:
                summary.skipped["neither by nor mentioning a tracked account"] += 1
                continue
            # The file covers an account's mentions from its oldest mention to
            # the moment the page was fetched.
            end = max(tweet.created_at, page.retrieved_at or tweet.created_at)
            for account in mentioned:
                _write_mention(db, account, tweet, summary)
                old = spans.get(account.id)
                spans[account.id] = (min(old[0], tweet.created_at), max(old[1], end)) if old else (tweet.created_at, end)
    for account_id, tweets in own.items():
        summary.kinds.update(writer.write_tweets(db, tracked.touched[account_id], tweets, SOURCE))
    return spans


def _write_mention(db: sqlite_utils.Database, account: Account, tweet: Tweet, summary: ImportSummary) -> None:
    decision = classify_mention(tweet.text, is_retweet=tweet.is_retweet)
    writer.write_mention(db, account, tweet, decision.is_question, decision.reason, SOURCE)
    summary.mentions += 1
    summary.questions += int(decision.is_question)
    summary.include_time(tweet.created_at)


def _iter_pages(path: Path, progress: ProgressReporter | None) -> Iterator[Page]:
    """Yield a Page per response page or flattened tweet, line by line."""
    with _Lines(path, progress) as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except UnicodeDecodeError:
                raise InputError(str(path), f"line {number} is not valid UTF-8 text", "Check the file's encoding") from None
            except json.JSONDecodeError as error:
                # A last line without its newline that breaks off mid-value is a cut file.
                cut_short = error.msg.startswith("Unterminated string") or error.pos >= len(line.rstrip()) - 1
                if not line.endswith(b"\n") and cut_short:
                    raise InputError(str(path), f"the file ends in the middle of line {number}",
                                     "It is truncated: collect or download it again") from None
                raise InputError(
                    str(path), f"line {number} is not valid JSON at column {error.colno}",
                    "twarc2 writes one JSON object per line: check that this is a twarc2 file and that it is complete",
                ) from None
            # `twarc2 user` writes a JSON array of pages on one line.
            for item in value if isinstance(value, list) else [value]:
                yield _read_page(item, path, number)


def _read_page(item: object, path: Path, number: int) -> Page:
    if isinstance(item, dict) and ("data" in item or "errors" in item and "id" not in item):
        data = item.get("data")
        if isinstance(data, list):
            tweets = data
        elif isinstance(data, dict):
            # Streaming endpoints put a single tweet in data.
            tweets = [data]
        else:
            tweets = []
        includes = item.get("includes") or {}
        usernames = {str(user.get("id")): user.get("username") for user in includes.get("users") or []
                     if isinstance(user, dict)}
        # Tweets in includes may be the account's own, referenced by a mention.
        tweets = tweets + [tweet for tweet in includes.get("tweets") or [] if isinstance(tweet, dict)]
        return Page(tweets, usernames, _retrieved_at(item), len(item.get("errors") or []))
    if isinstance(item, dict) and "id" in item and ("text" in item or "created_at" in item):
        return Page([item], {}, _retrieved_at(item))
    raise InputError(
        str(path), f"line {number} is neither a twarc2 response page nor a flattened tweet",
        "Pass a file written by twarc2 (search, timeline, mentions or flatten)",
    )


def _retrieved_at(item: dict) -> str | None:
    metadata = item.get("__twarc")
    if not isinstance(metadata, dict) or not metadata.get("retrieved_at"):
        return None
    try:
        return parse_time(metadata["retrieved_at"])
    except (TypeError, ValueError):
        return None


class _Lines:
    """The byte lines of a file, gzipped or not, reporting progress in bytes of the file on disk."""

    def __init__(self, path: Path, progress: ProgressReporter | None) -> None:
        self.path = path
        self.progress = progress
        self.file = open(path, "rb")
        compressed = self.file.read(2) == b"\x1f\x8b"
        self.file.seek(0)
        self.lines: IO[bytes] = gzip.GzipFile(fileobj=self.file) if compressed else self.file

    def __enter__(self) -> "_Lines":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.lines.close()
        self.file.close()

    def __iter__(self) -> Iterator[bytes]:
        position = 0
        try:
            for line in self.lines:
                if self.progress:
                    self.progress.advance(self.file.tell() - position)
                    position = self.file.tell()
                yield line
        except (OSError, EOFError) as error:
            raise InputError(str(self.path), f"cannot be decompressed ({error})", "Download the file again") from None
