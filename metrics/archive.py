"""Find and read the parts of an X archive export that tweetstats uses, in every generation.

Generations: Grailbird (before 2019, ``data/js/tweets/YYYY_MM.js``), 2019
(``tweet.js`` with bare entries), 2020 to 2022 (``data/tweet.js``, entries wrapped in
``{"tweet": …}``), and 2022 onwards (``data/tweets.js`` and ``tweets-partN.js``).
"""

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from metrics.archive_files import ArchiveFiles
from metrics.archive_tweet import SkippedEntry, tweet_from_archive
from metrics.errors import InputError
from metrics.jsdata import iter_array, read_frame, read_object
from metrics.ranges import ByteRange, open_range
from metrics.tweets import Tweet, parse_time, to_int

YTD = ("window.YTD.",)
GRAILBIRD = ("Grailbird.data.tweets_",)
TWEET_FILE_PATTERN = r"(data/)?tweets?(-part\d+)?\.js"
GRAILBIRD_FILE_PATTERN = r"(data/)?js/tweets/\d{4}_\d{2}\.js"

Progress = Callable[[int], None]

NOT_AN_ARCHIVE_FIX = (
    "Pass the zip from X's 'Download an archive of your data', its extracted folder, its data/tweets.js, "
    "or a twarc2 .jsonl file"
)


@dataclass
class ArchiveAccount:
    """The account an archive belongs to. Only these fields are read from account files."""

    user_id: int | None
    handle: str
    display_name: str | None


@dataclass
class ArchiveLayout:
    generation: str
    tweet_files: list[str]
    account: ArchiveAccount | None = None
    generated_at: str | None = None
    expected_counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class CountingReader:
    """A binary reader that reports how many bytes have been read, for a progress bar."""

    def __init__(self, raw: IO[bytes], progress: Progress | None) -> None:
        self.raw = raw
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size)
        if self.progress and data:
            self.progress(len(data))
        return data


def detect_layout(files: ArchiveFiles) -> ArchiveLayout:
    """Work out the archive's generation, its tweet files and its account.

    Raises InputError when the archive contains no tweets file.
    """
    manifest_name = files.find("data/manifest.js")
    if manifest_name:
        return _layout_from_manifest(files, manifest_name)
    tweet_files = files.matching(TWEET_FILE_PATTERN)
    if tweet_files:
        tweet_files = _order_parts(tweet_files)
        if tweet_files[0].split("/")[-1].startswith("tweets"):
            generation = "2022 and later (tweets.js)"
        else:
            generation = "2019 to 2022 (tweet.js)"
        layout = ArchiveLayout(generation, tweet_files)
        layout.account = _account_from_account_js(files)
        layout.generated_at = files.modified_at(tweet_files[0])
        return layout
    grailbird_files = _grailbird_tweet_files(files)
    if grailbird_files:
        layout = ArchiveLayout("before 2019 (Grailbird)", grailbird_files)
        layout.account = _account_from_user_details(files)
        layout.generated_at = files.modified_at(grailbird_files[-1])
        return layout
    raise InputError(
        str(files.path),
        "no tweets file found: expected data/tweets.js (2022 and later), data/tweet.js (2019 to 2022) "
        "or data/js/tweets/ (before 2019)",
        "Pass the zip from X's 'Download an archive of your data', or its extracted folder",
    )


def detect_single_file_layout(files: ArchiveFiles, name: str) -> ArchiveLayout:
    """Work out the generation of one loose tweets file from its global name.

    Raises InputError when the file is another kind of archive file or no export at all.
    """
    try:
        with files.open(name) as raw:
            global_name, _ = read_frame(raw, files.label(name))
    except InputError as error:
        if "empty" in error.problem:
            raise
        # A lone file that is not framed like an archive file is most likely the
        # wrong file, not a damaged export.
        raise InputError(files.label(name), "this is not a file from an X archive",
                         NOT_AN_ARCHIVE_FIX) from None
    if global_name.startswith("window.YTD.tweets."):
        generation = "2022 and later (tweets.js)"
    elif global_name.startswith("window.YTD.tweet."):
        generation = "2019 to 2022 (tweet.js)"
    elif global_name.startswith(GRAILBIRD):
        generation = "before 2019 (Grailbird)"
    elif global_name.startswith(YTD):
        kind = global_name.removeprefix("window.YTD.").split(".")[0]
        raise InputError(files.label(name), f"this is the archive's '{kind}' file, not its tweets",
                         "Pass data/tweets.js, or the whole archive zip or folder")
    else:
        raise InputError(files.label(name), "this is not a file from an X archive", NOT_AN_ARCHIVE_FIX)
    return ArchiveLayout(generation, [name], generated_at=files.modified_at(name))


def iter_tweets(files: ArchiveFiles, layout: ArchiveLayout, ranges: list[ByteRange], skipped: Counter,
                entry_counts: Counter, progress: Progress | None = None) -> Iterator[Tweet]:
    """Yield every readable tweet in the ranges, counting entries per file and unreadable ones in ``skipped``."""
    prefixes = GRAILBIRD if layout.generation.startswith("before 2019") else YTD
    for byte_range in ranges:
        name = byte_range.name
        with open_range(files, byte_range) as raw:
            for entry in iter_array(CountingReader(raw, progress), files.label(name), prefixes):
                entry_counts[name] += 1
                try:
                    yield tweet_from_archive(entry)
                except SkippedEntry as error:
                    skipped[f"unreadable entry: {error}"] += 1


def check_counts(layout: ArchiveLayout, entry_counts: Counter) -> None:
    """Warn where a file contains another number of entries than manifest.js lists."""
    for name, expected in layout.expected_counts.items():
        if entry_counts[name] != expected:
            layout.warnings.append(f"{name} has {entry_counts[name]} entries where manifest.js lists {expected}")


def tweet_bytes(files: ArchiveFiles, layout: ArchiveLayout) -> int:
    return sum(files.size(name) for name in layout.tweet_files)


def read_deleted_ids(files: ArchiveFiles) -> set[int]:
    """Return the ids in ``deleted-tweets.js``: tweets deleted within the 14 days before the export."""
    name = files.find("data/deleted-tweets.js", "data/deleted-tweet.js")
    if name is None:
        return set()
    ids = set()
    with files.open(name) as raw:
        for entry in iter_array(raw, files.label(name), YTD):
            fields = entry.get("tweet", entry) if isinstance(entry, dict) else {}
            tweet_id = to_int(fields.get("id_str") or fields.get("id") or fields.get("tweet_id"))
            if tweet_id:
                ids.add(tweet_id)
    return ids


def count_entries(files: ArchiveFiles, *names: str) -> int | None:
    """Return the number of entries in the first of ``names`` present, or None if none is."""
    name = files.find(*names)
    if name is None:
        return None
    with files.open(name) as raw:
        return sum(1 for _ in iter_array(raw, files.label(name), YTD))


def _layout_from_manifest(files: ArchiveFiles, manifest_name: str) -> ArchiveLayout:
    with files.open(manifest_name) as raw:
        manifest = read_object(raw, files.label(manifest_name), ("window.__THAR_CONFIG",))
    if not isinstance(manifest, dict):
        raise InputError(files.label(manifest_name), "manifest.js does not hold a JSON object", "Export the archive again from X")
    data_types = manifest.get("dataTypes") or {}
    listed = (data_types.get("tweets") or data_types.get("tweet") or {}).get("files") or []
    layout = ArchiveLayout("2022 and later (tweets.js)", [])

    for item in listed:
        name = files.find(item.get("fileName", ""))
        if name is None:
            raise InputError(
                str(files.path),
                f"manifest.js lists {item.get('fileName')}, which the archive does not contain",
                "The export is incomplete: download the whole archive again from X",
            )
        layout.tweet_files.append(name)
        if to_int(item.get("count")) is not None:
            layout.expected_counts[name] = to_int(item["count"])

    unlisted = [name for name in files.matching(TWEET_FILE_PATTERN) if name not in layout.tweet_files]
    if unlisted:
        layout.warnings.append(f"read {', '.join(unlisted)}, which manifest.js does not list")
        layout.tweet_files = _order_parts(layout.tweet_files + unlisted)
    if not layout.tweet_files:
        raise InputError(str(files.path), "manifest.js lists no tweets file, and none was found by name",
                         "Pass the zip from X's 'Download an archive of your data'")

    if "tweets" not in layout.tweet_files[0].split("/")[-1]:
        layout.generation = "2020 to 2022 (tweet.js)"
    user_info = manifest.get("userInfo") or {}
    if user_info.get("userName"):
        layout.account = ArchiveAccount(
            to_int(user_info.get("accountId")), user_info["userName"], user_info.get("displayName")
        )
    else:
        layout.account = _account_from_account_js(files)
    generated = (manifest.get("archiveInfo") or {}).get("generationDate")
    layout.generated_at = parse_time(generated) if generated else files.modified_at(manifest_name)
    return layout


def _account_from_account_js(files: ArchiveFiles) -> ArchiveAccount | None:
    """Read the account's id, handle and display name from ``account.js``, and nothing else.

    The file also contains e-mail addresses and sign-up details, which are never read.
    """
    name = files.find("data/account.js")
    if name is None:
        return None
    with files.open(name) as raw:
        for entry in iter_array(raw, files.label(name), YTD):
            account = entry.get("account") if isinstance(entry, dict) else None
            if isinstance(account, dict) and account.get("username"):
                return ArchiveAccount(
                    to_int(account.get("accountId")), account["username"], account.get("accountDisplayName")
                )
    return None


def _account_from_user_details(files: ArchiveFiles) -> ArchiveAccount | None:
    name = files.find("data/js/user_details.js")
    if name is None:
        return None
    with files.open(name) as raw:
        details = read_object(raw, files.label(name), ("user_details",))
    if not isinstance(details, dict) or not details.get("screen_name"):
        return None
    return ArchiveAccount(to_int(details.get("id")), details["screen_name"], details.get("full_name"))


def _grailbird_tweet_files(files: ArchiveFiles) -> list[str]:
    """Return the monthly files, from ``tweet_index.js`` when present, else by name."""
    found = files.matching(GRAILBIRD_FILE_PATTERN)
    index_name = files.find("data/js/tweet_index.js")
    if index_name is None:
        return found
    with files.open(index_name) as raw:
        index = read_object(raw, files.label(index_name), ("tweet_index",))
    listed = []
    for item in index if isinstance(index, list) else []:
        name = files.find(str(item.get("file_name", "")))
        if name and name not in listed:
            listed.append(name)
    return listed + [name for name in found if name not in listed]


def _order_parts(names: list[str]) -> list[str]:
    """Sort tweet files as part0, part1, part2, … (the parts are not in date order)."""

    def part_number(name: str) -> int:
        match = re.search(r"-part(\d+)\.js$", name)
        return int(match[1]) if match else 0

    return sorted(set(names), key=lambda name: (part_number(name), name))
