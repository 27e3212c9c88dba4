"""Cut large tweet files into byte ranges that start and end on entry boundaries.

X writes tweets files with every top-level entry starting on a line of its own:
``[`` then ``\\n  {`` in the pretty style of 2022 onwards, ``[ {`` then
``\\n}, {`` in the compact style of 2020. A newline byte never occurs inside a
JSON string, so the closing line of a top-level entry followed by the opening
of the next marks a boundary that no tweet text can imitate. Each range parses
on its own as ``[`` + range + ``]``, which lets worker processes share a file.
"""

import re
from dataclasses import dataclass
from typing import IO

from metrics.archive_files import ArchiveFiles
from metrics.jsdata import MAX_FRAME_BYTES

# How far past a cut point to look for a boundary before giving up on the cut.
MAX_SEARCH_BYTES = 8 * 1024 * 1024
READ_SIZE = 1024 * 1024


@dataclass(frozen=True)
class ByteRange:
    """Entries of one file from byte ``start`` to ``end`` (None: to the end of the array)."""

    name: str
    start: int
    end: int | None

    @property
    def whole(self) -> bool:
        return self.start == 0 and self.end is None


def plan_ranges(files: ArchiveFiles, names: list[str], shares: list[float]) -> list[list[ByteRange]]:
    """Return one list of ranges per share, each file cut in those proportions where it can be.

    ``shares`` are fractions of every file, adding up to 1. A file whose layout
    gives no safe boundary stays whole, in the last list; a list may be empty.
    """
    plan: list[list[ByteRange]] = [[] for _ in shares]
    for name in names:
        ranges = _cut_file(files, name, shares)
        offset = len(shares) - len(ranges)
        for index, byte_range in enumerate(ranges):
            plan[offset + index if len(ranges) == 1 else index].append(byte_range)
    return plan


def open_range(files: ArchiveFiles, byte_range: ByteRange) -> IO[bytes]:
    """Open a range as a stream that reads like a whole tweets file, frame included."""
    if byte_range.whole:
        return files.open(byte_range.name)
    with files.open(byte_range.name) as raw:
        head = raw.read(MAX_FRAME_BYTES)
    frame = head[: head.index(b"=") + 1] + b" ["
    return _RangeReader(files.open(byte_range.name), byte_range, frame)


def _cut_file(files: ArchiveFiles, name: str, shares: list[float]) -> list[ByteRange]:
    """Cut a file at the first boundary after each share's end; return one range per share, or one in all."""
    size = files.size(name)
    with files.open(name) as raw:
        head = raw.read(MAX_FRAME_BYTES)
    separator = _separator(head)
    if separator is None or len(shares) < 2:
        return [ByteRange(name, 0, None)]
    cuts: list[tuple[int, int]] = []
    position = 0.0
    for share in shares[:-1]:
        position += share
        cut = _find_boundary(files, name, int(size * position), separator)
        if cut is None or (cuts and cut[0] <= cuts[-1][1]):
            # No boundary where this share should end: keep the file whole,
            # which is always correct.
            return [ByteRange(name, 0, None)]
        cuts.append(cut)
    starts = [0] + [brace for _, brace in cuts]
    ends: list[int | None] = [comma for comma, _ in cuts] + [None]
    return [ByteRange(name, start, end) for start, end in zip(starts, ends)]


def _separator(head: bytes) -> bytes | None:
    """Return the bytes between two top-level entries, read from how the first entry is laid out."""
    match = re.search(rb"=\s*\[( ?)(\n?)( *)\{", head)
    if match is None:
        return None
    if match[2]:
        indent = match[3]
        return b"\n" + indent + b"},\n" + indent + b"{"
    return b"\n}, {"


def _find_boundary(files: ArchiveFiles, name: str, offset: int, separator: bytes) -> tuple[int, int] | None:
    """Return the offsets of the comma and of the next opening brace at the first boundary after ``offset``."""
    keep = len(separator) - 1
    with files.open(name) as raw:
        raw.seek(offset)
        buffer = b""
        base = offset
        while base - offset < MAX_SEARCH_BYTES:
            chunk = raw.read(READ_SIZE)
            if not chunk:
                return None
            buffer += chunk
            found = buffer.find(separator)
            if found >= 0:
                return base + found + separator.index(b","), base + found + len(separator) - 1
            base += len(buffer) - keep
            buffer = buffer[-keep:]
    return None


class _RangeReader:
    """The bytes of a range framed as ``<global name> = [`` … ``]``, so it parses as a whole file would."""

    def __init__(self, raw: IO[bytes], byte_range: ByteRange, frame: bytes) -> None:
        self.raw = raw
        self.pending = b""
        if byte_range.start:
            raw.seek(byte_range.start)
            self.pending = frame
        self.remaining = None if byte_range.end is None else byte_range.end - byte_range.start
        self.suffix = b"]" if byte_range.end is not None else b""

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            return b""
        size = size if size and size > 0 else READ_SIZE
        if self.pending:
            data, self.pending = self.pending[:size], self.pending[size:]
            return data
        if self.remaining is None:
            return self.raw.read(size)
        if self.remaining > 0:
            data = self.raw.read(min(size, self.remaining))
            self.remaining -= len(data)
            if data:
                return data
            self.remaining = 0
        data, self.suffix = self.suffix, b""
        return data

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> "_RangeReader":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
