"""The files of an X archive, whether it arrives as a zip or an extracted folder."""

import re
import zipfile
from datetime import datetime, timezone
from pathlib import Path, PurePosixPath
from typing import IO

from metrics.errors import InputError

# Files that mark the root of an archive, whichever generation it is.
ROOT_MARKERS = ("data", "tweet.js", "tweets.js", "manifest.js", "Your archive.html", "account.js")
# Files in a zip that are never archive content.
IGNORED_PREFIXES = ("__MACOSX/",)


class ArchiveFiles:
    """Read access to an archive's files by their path relative to its root.

    The root is found by dropping folders that every file shares (a zip of the
    ``twitter-2022-11-30-…`` folder), so ``data/tweets.js`` is found in all layouts.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._single = False
        self._zip: zipfile.ZipFile | None = None
        if path.is_dir():
            members = {
                item.relative_to(path).as_posix(): item for item in path.rglob("*") if item.is_file()
            }
        else:
            self._zip = _open_zip(path)
            members = {
                info.filename: info
                for info in self._zip.infolist()
                if not info.is_dir() and not info.filename.startswith(IGNORED_PREFIXES)
            }
        self._members = _strip_shared_folders(members)

    @classmethod
    def single(cls, path: Path) -> "ArchiveFiles":
        """Wrap one loose file, such as a ``tweets.js`` copied out of an archive."""
        files = cls.__new__(cls)
        files.path = path
        files._single = True
        files._zip = None
        files._members = {path.name: path}
        return files

    def reopen(self) -> "ArchiveFiles":
        """Open the same archive again, with file handles of its own (for a forked process)."""
        return ArchiveFiles.single(self.path) if self._single else ArchiveFiles(self.path)

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()

    def __enter__(self) -> "ArchiveFiles":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def find(self, *names: str) -> str | None:
        """Return the first of ``names`` present, also trying each without its ``data/`` folder.

        The second try serves a user who passes the ``data`` folder itself.
        """
        for name in names:
            for candidate in (name, name.removeprefix("data/")):
                if candidate in self._members:
                    return candidate
        return None

    def matching(self, pattern: str) -> list[str]:
        """Return the file names that fully match a regular expression, sorted."""
        expression = re.compile(pattern)
        return sorted(name for name in self._members if expression.fullmatch(name))

    def open(self, name: str) -> IO[bytes]:
        member = self._members[name]
        if self._zip is not None:
            try:
                return self._zip.open(member)
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
                raise InputError(self.label(name), f"cannot be read from the zip ({error})", _REZIP_FIX) from None
        return open(member, "rb")

    def size(self, name: str) -> int:
        member = self._members[name]
        if isinstance(member, zipfile.ZipInfo):
            return member.file_size
        return member.stat().st_size

    def modified_at(self, name: str) -> str:
        """Return the file's time as UTC text, read from the zip entry or the file system.

        Zip entries carry no time zone. X writes them on servers that run in UTC, so
        the time is read as UTC.
        """
        member = self._members[name]
        if isinstance(member, zipfile.ZipInfo):
            moment = datetime(*member.date_time, tzinfo=timezone.utc)
        else:
            moment = datetime.fromtimestamp(member.stat().st_mtime, tz=timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    def label(self, name: str) -> str:
        """Return a name for messages: the archive path and the file inside it."""
        if self._single:
            return str(self.path)
        return f"{self.path}:{name}" if self._zip is not None else str(self.path / name)


_REZIP_FIX = "Download the archive again; if the zip opens in another program, extract it and pass the folder"


def _open_zip(path: Path) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except zipfile.BadZipFile as error:
        raise InputError(str(path), f"not a valid zip file ({error})", _REZIP_FIX) from None
    except OSError as error:
        raise InputError(str(path), f"cannot be read ({error.strerror})", "Check the path and its permissions") from None


def _strip_shared_folders(members: dict) -> dict:
    while members:
        tops = {PurePosixPath(name).parts[0] for name in members}
        if len(tops) != 1 or any("/" not in name for name in members):
            return members
        top = tops.pop()
        if top in ROOT_MARKERS:
            return members
        members = {name[len(top) + 1:]: member for name, member in members.items()}
    return members
