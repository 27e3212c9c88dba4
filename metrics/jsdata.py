"""Stream the JavaScript-framed JSON files of X archive exports.

Each data file is ``<global name> = <JSON>`` (``window.YTD.tweets.part0 = [``,
``Grailbird.data.tweets_2013_08 =``, ``var user_details =``). The frame is read up
to the first ``=``. The JSON after it is parsed incrementally with ijson, so a
file of hundreds of MB never sits in memory.
"""

import codecs
import json
from collections.abc import Iterator
from typing import IO

import ijson

from metrics.errors import InputError

# The global name must appear within this many bytes, or the file is not an export.
MAX_FRAME_BYTES = 4096


class _TrailingSemicolonReader:
    """A binary reader that hides one trailing ``;`` and the whitespace around it.

    Real exports end in ``]``, but files saved by other tools sometimes add ``;``.
    """

    def __init__(self, raw: IO[bytes], head: bytes) -> None:
        self.raw = raw
        self.pending = head
        self.done = False
        self.position = 0

    def read(self, size: int = -1) -> bytes:
        if size == 0:
            # ijson calls read(0) to tell a binary file from a text one.
            return b""
        while not self.done:
            chunk = self.raw.read(size if size and size > 0 else 65536)
            data = self.pending + chunk
            if not chunk:
                self.done = True
                tail = data.rstrip()
                if tail.endswith(b";"):
                    tail = tail[:-1]
                self.pending = b""
                self.position += len(tail)
                return tail
            body = data.rstrip(b" \t\r\n;")
            self.pending = data[len(body):]
            if body:
                self.position += len(body)
                return body
        return b""

    def read_all(self) -> bytes:
        parts = []
        while chunk := self.read():
            parts.append(chunk)
        return b"".join(parts)


def read_frame(raw: IO[bytes], name: str) -> tuple[str, bytes]:
    """Read the ``<global name> =`` frame and return the name and the bytes after ``=``."""
    head = raw.read(MAX_FRAME_BYTES)
    if head.startswith(codecs.BOM_UTF8):
        head = head[len(codecs.BOM_UTF8):]
    if not head.strip():
        raise InputError(name, "the file is empty", "Export the archive again from X")
    equals = head.find(b"=")
    if equals < 0:
        raise InputError(
            name,
            "not an X archive data file: no 'window.YTD.… =' assignment at its start",
            "Pass the archive zip, its folder, or a tweets.js file from it",
        )
    try:
        global_name = head[:equals].decode("utf-8").strip()
    except UnicodeDecodeError:
        raise InputError(name, "the file is not valid UTF-8 text", "Export the archive again from X") from None
    if global_name.startswith("var "):
        global_name = global_name[4:].strip()
    return global_name, head[equals + 1:]


def iter_array(raw: IO[bytes], name: str, expected_prefixes: tuple[str, ...]) -> Iterator[object]:
    """Yield each element of the JSON array in a framed file, parsing as it goes.

    Raises InputError naming the file when the frame's global name does not start
    with one of ``expected_prefixes``, or when the JSON is truncated or invalid.
    """
    global_name, rest = read_frame(raw, name)
    check_global_name(global_name, name, expected_prefixes)
    if not rest.lstrip().startswith(b"[") and rest.strip():
        raise InputError(
            name, f"'{global_name} =' is not followed by a JSON array",
            "Pass a file from X's 'Download an archive of your data'",
        )
    reader = _TrailingSemicolonReader(raw, rest)
    try:
        yield from ijson.items(reader, "item", use_float=True)
    except ijson.IncompleteJSONError as error:
        raise _parse_error(name, reader, error) from None
    except ijson.JSONError as error:
        raise _parse_error(name, reader, error) from None
    except UnicodeDecodeError:
        raise InputError(name, "the file is not valid UTF-8 text", "Export the archive again from X") from None


def read_object(raw: IO[bytes], name: str, expected_prefixes: tuple[str, ...]) -> object:
    """Parse a small framed file (manifest.js, user_details.js) whole and return its value."""
    global_name, rest = read_frame(raw, name)
    check_global_name(global_name, name, expected_prefixes)
    body = _TrailingSemicolonReader(raw, rest).read_all()
    try:
        return json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError(name, "the file is not valid UTF-8 text", "Export the archive again from X") from None
    except json.JSONDecodeError as error:
        raise InputError(
            name, f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
            "The file is damaged: export the archive again from X",
        ) from None


def check_global_name(global_name: str, name: str, expected_prefixes: tuple[str, ...]) -> None:
    if not global_name.startswith(expected_prefixes):
        expected = " or ".join(f"'{prefix}…'" for prefix in expected_prefixes)
        raise InputError(
            name,
            f"unexpected start '{global_name[:60]} =' where an X export has {expected}",
            "Pass a file from X's 'Download an archive of your data'",
        )


def _parse_error(name: str, reader: _TrailingSemicolonReader, error: Exception) -> InputError:
    # Only the first line of ijson's message: the next lines quote the file's
    # text, which may be a tweet and does not belong in an error message.
    detail = error.args[0] if error.args else ""
    if isinstance(detail, bytes):
        detail = detail.decode("utf-8", errors="replace")
    detail = str(detail).strip().splitlines()[0] if str(detail).strip() else type(error).__name__
    if "UTF8" in detail or "UTF-8" in detail:
        return InputError(name, "the file is not valid UTF-8 text", "Export the archive again from X")
    if "premature EOF" in detail:
        problem = f"the file ends in the middle of its JSON, after {reader.position:,} bytes"
        return InputError(name, problem, "It is truncated: download or extract the archive again")
    problem = f"invalid JSON within its first {reader.position:,} bytes ({detail})"
    return InputError(name, problem, "The file is damaged: export the archive again from X")
