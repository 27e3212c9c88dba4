"""Write the sample X archive: the data/*.js files, data/manifest.js and the zip.

The benchmark tweets files are rendered by the same JSON writer.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

from metrics.sample import ACCOUNT_ID, DISPLAY_NAME, HANDLE
from metrics.sample.people import LIBRARY
from metrics.sample.plan import SampleYear
from metrics.sample.posts import HASHTAG_PATTERN, MAX_TWEET_LENGTH, Tweet, escape_html
from metrics.sample.timeline import GENERATION_TIME, format_archive_time, format_iso_time

ZIP_DATE_TIME = (2026, 11, 30, 6, 0, 0)
ACCOUNT_EMAIL = "library@northbrook-hsl.example"


# --------------------------------------------------------------------------- archive entries


def build_entities(text: str, tweet: Tweet) -> dict[str, Any]:
    """Build v1.1 ``entities`` with ``indices`` counted in code points of the escaped text."""
    hashtags = [
        {"text": match.group(1), "indices": [str(match.start()), str(match.end())]}
        for match in HASHTAG_PATTERN.finditer(text)
    ]

    mentions = []
    position = 0
    for account in tweet.mentioned:
        start = text.index(f"@{account.username}", position)
        end = start + len(account.username) + 1
        mentions.append({
            "name": account.name,
            "screen_name": account.username,
            "indices": [str(start), str(end)],
            "id_str": account.id,
            "id": account.id,
        })
        position = end

    urls = []
    for link in tweet.links:
        start = text.find(link.short_url)
        if start < 0:
            # Truncated retweets and long-post stubs lose links past the cut, and their entities.
            continue
        urls.append({
            "url": link.short_url,
            "expanded_url": link.expanded_url,
            "display_url": link.display_url,
            "indices": [str(start), str(start + len(link.short_url))],
        })
    return {"hashtags": hashtags, "symbols": [], "user_mentions": mentions, "urls": urls}


def build_edit_info(tweet: Tweet) -> dict[str, Any]:
    versions = tweet.edit_ids or (tweet.id,)
    created = tweet.initial_created or tweet.created
    control = {
        "editTweetIds": [str(version) for version in versions],
        "editableUntil": format_iso_time(created + timedelta(hours=1)),
        "editsRemaining": str(6 - len(versions)),
        "isEditEligible": tweet.kind != "retweet",
    }
    if tweet.initial_id is not None and tweet.initial_id != tweet.id:
        return {"edit": {"initialTweetId": str(tweet.initial_id), "editControlInitial": control}}
    return {"initial": control}


def build_archive_tweet(tweet: Tweet, *, with_edit_info: bool, full_text: str | None = None) -> dict[str, Any]:
    """Build one tweet object in the archive's key order, with every number as a string."""
    text = escape_html(tweet.text if full_text is None else full_text)
    entry: dict[str, Any] = {}
    if with_edit_info:
        entry["edit_info"] = build_edit_info(tweet)

    # Optional keys sit between the fixed ones, in the order real exports use.
    entry["retweeted"] = False
    entry["source"] = tweet.source
    entry["entities"] = build_entities(text, tweet)
    entry["display_text_range"] = ["0", str(len(text))]
    entry["favorite_count"] = str(tweet.favorites)
    if tweet.reply_to_status is not None:
        entry["in_reply_to_status_id_str"] = str(tweet.reply_to_status)
    entry["id_str"] = str(tweet.id)
    if tweet.reply_to_user is not None:
        entry["in_reply_to_user_id"] = tweet.reply_to_user.id
    entry["truncated"] = False
    entry["retweet_count"] = str(tweet.retweets)
    entry["id"] = str(tweet.id)
    if tweet.reply_to_status is not None:
        entry["in_reply_to_status_id"] = str(tweet.reply_to_status)
    if tweet.links:
        entry["possibly_sensitive"] = False
    entry["created_at"] = format_archive_time(tweet.created)
    entry["favorited"] = False
    entry["full_text"] = text
    entry["lang"] = tweet.lang

    if tweet.reply_to_user is not None:
        entry["in_reply_to_screen_name"] = tweet.reply_to_user.username
        entry["in_reply_to_user_id_str"] = tweet.reply_to_user.id
    if tweet.deleted_at is not None:
        entry["deleted_at"] = format_archive_time(tweet.deleted_at)
    return {"tweet": entry}


def build_note_stub_text(text: str) -> str:
    """Cut a long post the way tweets.js stores it: just over 280 characters, ending with "…"."""
    cut = text[:296]
    cut = cut[: cut.rindex(" ")].rstrip(" ,;:") + "…"
    if len(cut) <= MAX_TWEET_LENGTH:
        raise ValueError(f"note text is too short for a truncated stub: {text[:40]!r}")
    return cut


def build_note_entry(tweet: Tweet, note_id: int) -> dict[str, Any]:
    """Build a note-tweet.js entry: camelCase keys and ``fromIndex``/``toIndex`` strings."""
    text = tweet.text
    timestamp = format_iso_time(tweet.created)
    hashtags = [
        {"text": match.group(1), "fromIndex": str(match.start()), "toIndex": str(match.end())}
        for match in HASHTAG_PATTERN.finditer(text)
    ]
    urls = []
    for link in tweet.links:
        start = text.index(link.short_url)
        urls.append({
            "expandedUrl": link.expanded_url,
            "shortUrl": link.short_url,
            "displayUrl": link.display_url,
            "fromIndex": str(start),
            "toIndex": str(start + len(link.short_url)),
        })
    return {"noteTweet": {
        "noteTweetId": str(note_id),
        "updatedAt": timestamp,
        "lifecycle": {"value": "1", "name": "Active", "originalName": "Active", "annotations": {}},
        "createdAt": timestamp,
        "core": {
            "styletags": [],
            "urls": urls,
            "text": text,
            "mentions": [],
            "cashtags": [],
            "hashtags": hashtags,
        },
    }}


def build_account_entry() -> dict[str, Any]:
    return {"account": {
        "email": ACCOUNT_EMAIL,
        "createdVia": "web",
        "username": HANDLE,
        "accountId": ACCOUNT_ID,
        "createdAt": format_iso_time(LIBRARY.created_at),
        "accountDisplayName": DISPLAY_NAME,
    }}


def build_relation_entries(key: str, account_ids: list[str]) -> list[dict[str, Any]]:
    return [
        {key: {"accountId": account_id, "userLink": f"https://twitter.com/intent/user?user_id={account_id}"}}
        for account_id in account_ids
    ]


# --------------------------------------------------------------------------- Jackson-style JSON

_encode_string = json.JSONEncoder(ensure_ascii=False).encode


def render_json(value: Any, indent: str, parts: list[str], *, inline_arrays: bool) -> None:
    """Append JSON in an export's style: objects one key per line with ``" : "``, ``[ ]`` when empty.

    Arrays are one value per line in the 2022+ style, and on one line
    (``[ {`` … ``} ]``) with ``inline_arrays``, the 2019 to 2022 style.
    """
    if isinstance(value, dict):
        if not value:
            parts.append("{ }")
            return
        inner = indent + "  "
        parts.append("{\n")
        separator = ""
        for key, item in value.items():
            parts.append(separator)
            parts.append(inner)
            parts.append(_encode_string(key))
            parts.append(" : ")
            render_json(item, inner, parts, inline_arrays=inline_arrays)
            separator = ",\n"
        parts.append("\n" + indent + "}")
    elif isinstance(value, list) and not value:
        parts.append("[ ]")
    elif isinstance(value, list) and inline_arrays:
        parts.append("[ ")
        separator = ""
        for item in value:
            parts.append(separator)
            render_json(item, indent, parts, inline_arrays=True)
            separator = ", "
        parts.append(" ]")
    elif isinstance(value, list):
        inner = indent + "  "
        parts.append("[\n")
        separator = ""
        for item in value:
            parts.append(separator)
            parts.append(inner)
            render_json(item, inner, parts, inline_arrays=False)
            separator = ",\n"
        parts.append("\n" + indent + "]")
    else:
        parts.append(render_scalar(value))


def render_scalar(value: Any) -> str:
    if isinstance(value, str):
        return _encode_string(value)
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    raise TypeError(f"cannot render {type(value).__name__} in an archive file")


def render_entry(entry: Any, form: str) -> str:
    """Render one top-level array element as it appears inside its archive file."""
    parts: list[str] = []
    if form == "2022":
        parts.append("  ")
        render_json(entry, "  ", parts, inline_arrays=False)
    else:
        render_json(entry, "", parts, inline_arrays=True)
    return "".join(parts)


def iterate_js_chunks(global_name: str, entries: Iterable[Any], form: str = "2022") -> Iterator[str]:
    """Yield a ``window.YTD.<name>.part0 = [ … ]`` file in pieces, without a trailing newline."""
    opening, separator, closing = ("[\n", ",\n", "\n]") if form == "2022" else ("[ ", ", ", " ]")
    yield f"window.{global_name} = "
    empty = True
    for entry in entries:
        yield (opening if empty else separator) + render_entry(entry, form)
        empty = False
    yield "[ ]" if empty else closing


def render_js_file(global_name: str, entries: Iterable[Any]) -> str:
    return "".join(iterate_js_chunks(global_name, entries))


def render_manifest(config: dict[str, Any]) -> str:
    parts = ["window.__THAR_CONFIG = "]
    render_json(config, "", parts, inline_arrays=False)
    return "".join(parts)


# --------------------------------------------------------------------------- writing the archive


def render_tweet_entry(tweet: Tweet, stub_ids: dict[int, int]) -> dict[str, Any]:
    if tweet.id in stub_ids:
        return build_archive_tweet(tweet, with_edit_info=True, full_text=build_note_stub_text(tweet.text))
    return build_archive_tweet(tweet, with_edit_info=True)


def build_archive_files(sample: SampleYear) -> dict[str, str]:
    """Render every data file of the archive except ``manifest.js``, keyed by path in the zip."""
    stub_ids = {tweet.id: note_id for tweet, note_id in sample.notes}
    return {
        "data/account.js": render_js_file("YTD.account.part0", [build_account_entry()]),
        "data/community-tweet.js": render_js_file("YTD.community_tweet.part0", []),
        "data/deleted-tweets.js": render_js_file(
            "YTD.deleted_tweets.part0", [build_archive_tweet(tweet, with_edit_info=True) for tweet in sample.deleted]
        ),
        "data/follower.js": render_js_file("YTD.follower.part0", build_relation_entries("follower", sample.followers)),
        "data/following.js": render_js_file(
            "YTD.following.part0", build_relation_entries("following", sample.following)
        ),
        "data/note-tweet.js": render_js_file(
            "YTD.note_tweet.part0", [build_note_entry(tweet, note_id) for tweet, note_id in sample.notes]
        ),
        "data/tweets.js": render_js_file(
            "YTD.tweets.part0", [render_tweet_entry(tweet, stub_ids) for tweet in sample.tweets]
        ),
    }


# Manifest entries: data type key, file name, global name, media directory or "".
MANIFEST_TYPES = (
    ("account", "data/account.js", "YTD.account.part0", ""),
    ("communityTweet", "data/community-tweet.js", "YTD.community_tweet.part0", "data/community_tweet_media"),
    ("deletedTweets", "data/deleted-tweets.js", "YTD.deleted_tweets.part0", "data/deleted_tweets_media"),
    ("follower", "data/follower.js", "YTD.follower.part0", ""),
    ("following", "data/following.js", "YTD.following.part0", ""),
    ("noteTweet", "data/note-tweet.js", "YTD.note_tweet.part0", ""),
    ("tweets", "data/tweets.js", "YTD.tweets.part0", "data/tweets_media"),
)
README_TEXT = (
    "Sample archive of a fictional account, generated by metrics/sample/generate.py.\n"
    "It follows the layout of an X (Twitter) archive export from 2022 or later.\n"
    "Every account, post and address in it is invented.\n"
)


def build_manifest(sample: SampleYear, files: dict[str, str]) -> dict[str, Any]:
    counts = {
        "data/account.js": 1,
        "data/community-tweet.js": 0,
        "data/deleted-tweets.js": len(sample.deleted),
        "data/follower.js": len(sample.followers),
        "data/following.js": len(sample.following),
        "data/note-tweet.js": len(sample.notes),
        "data/tweets.js": len(sample.tweets),
    }
    data_types: dict[str, Any] = {}
    for key, file_name, global_name, media_directory in MANIFEST_TYPES:
        data_type: dict[str, Any] = {"mediaDirectory": media_directory} if media_directory else {}
        data_type["files"] = [{"fileName": file_name, "globalName": global_name, "count": str(counts[file_name])}]
        data_types[key] = data_type
    size = sum(len(text.encode("utf-8")) for text in files.values())
    return {
        "userInfo": {"accountId": ACCOUNT_ID, "userName": HANDLE, "displayName": DISPLAY_NAME},
        "archiveInfo": {
            "sizeBytes": str(size),
            "generationDate": format_iso_time(GENERATION_TIME),
            "isPartialArchive": False,
            "maxPartSizeBytes": "53687091200",
        },
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
        "dataTypes": data_types,
    }


def write_zip(path: Path, files: dict[str, str]) -> None:
    """Write a zip whose bytes depend only on ``files``: fixed dates, modes and order.

    NOTE: the deflated data comes from the zlib that Python links, so another zlib build
    (zlib-ng, for example) may write different bytes for the same members.
    """
    with zipfile.ZipFile(path, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            archive.writestr(info, files[name].encode("utf-8"))


def write_archive(path: Path, sample: SampleYear) -> None:
    files = build_archive_files(sample)
    files["data/manifest.js"] = render_manifest(build_manifest(sample, files))
    files["data/README.txt"] = README_TEXT
    write_zip(path, files)
