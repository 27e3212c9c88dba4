"""Join long posts in ``tweets.js`` with their full text in ``note-tweet.js``.

A long post appears in ``tweets.js`` with its text cut short ("…") and under an id
that differs from its note's ``noteTweetId``, and no field links the two. A note is
matched to a tweet by the second of their creation time plus the start of the text.
"""

import re
from dataclasses import dataclass

from metrics.archive_files import ArchiveFiles
from metrics.jsdata import iter_array
from metrics.tweets import Tweet, add_hashtags, add_urls, parse_time, unescape

LEADING_MENTIONS = re.compile(r"^(?:@\w+\s+)+")
# Characters of text compared, enough to tell apart posts made in the same second.
PREFIX_LENGTH = 40


@dataclass(slots=True)
class Note:
    text: str
    urls: list[str]
    hashtags: list[str]
    matched: bool = False


class NoteIndex:
    """Notes by creation second, built once before the tweets are streamed."""

    def __init__(self) -> None:
        self._by_second: dict[str, list[Note]] = {}
        self._count = 0

    def __len__(self) -> int:
        return self._count

    def __bool__(self) -> bool:
        return self._count > 0

    def matched_keys(self) -> set[tuple[str, int]]:
        """Return the notes matched so far, as (creation second, position) pairs."""
        return {(second, index) for second, notes in self._by_second.items()
                for index, note in enumerate(notes) if note.matched}

    def add(self, created_at: str, note: Note) -> None:
        self._by_second.setdefault(created_at, []).append(note)
        self._count += 1

    def complete(self, tweet: Tweet) -> bool:
        """Give a cut-short tweet its note's full text, links and hashtags. Return whether one matched."""
        candidates = self._by_second.get(tweet.created_at)
        if not candidates:
            return False
        prefix = _comparable(tweet.text).split("http")[0][:PREFIX_LENGTH].strip()
        for note in candidates:
            if not note.matched and _comparable(note.text).startswith(prefix):
                note.matched = True
                tweet.text = note.text
                add_urls(tweet, note.urls, detect_quotes=True)
                add_hashtags(tweet, note.hashtags)
                return True
        return False


def read_notes(files: ArchiveFiles) -> NoteIndex:
    index = NoteIndex()
    name = files.find("data/note-tweet.js")
    if name is None:
        return index
    with files.open(name) as raw:
        for entry in iter_array(raw, files.label(name), ("window.YTD.",)):
            parsed = _parse_note(entry)
            if parsed:
                index.add(*parsed)
    return index


def _parse_note(entry: object) -> tuple[str, Note] | None:
    fields = entry.get("noteTweet") if isinstance(entry, dict) else None
    if not isinstance(fields, dict):
        return None
    core = fields.get("core") or {}
    created = fields.get("createdAt")
    if not created or not core.get("text"):
        return None
    note = Note(
        text=unescape(core["text"]),
        urls=[item.get("expandedUrl") or "" for item in core.get("urls") or []],
        hashtags=[item.get("text") or "" for item in core.get("hashtags") or []],
    )
    try:
        return parse_time(created), note
    except ValueError:
        return None


def _comparable(text: str) -> str:
    """Return text without leading mentions, a trailing ellipsis or repeated white space."""
    text = LEADING_MENTIONS.sub("", text)
    return " ".join(text.replace("…", " ").split())
