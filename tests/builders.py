"""Build X archive exports and twarc2 files of every generation for tests.

The shapes follow real exports: numbers as strings, ``created_at`` in the
``Thu Nov 03 08:50:26 +0000 2022`` form, entries wrapped in ``{"tweet": …}`` since
2020, ``edit_info`` since 2022. All accounts and text are invented.
"""

import json
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ACCOUNT_ID = "1500000000000000001"
HANDLE = "TestHealthLib"
DISPLAY_NAME = "Test Health Library"
TWITTER_EPOCH_MS = 1288834974657


def snowflake(moment: datetime, sequence: int = 0) -> str:
    """Return a tweet id of the kind X issues at that moment."""
    milliseconds = int(moment.timestamp() * 1000)
    return str(((milliseconds - TWITTER_EPOCH_MS) << 22) | sequence)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def classic_time(moment: datetime) -> str:
    return moment.strftime("%a %b %d %H:%M:%S +0000 %Y")


def iso_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


@dataclass
class Post:
    """A tweet to put into an archive. ``when`` is UTC ISO text such as 2026-03-02T10:00:00."""

    when: str
    text: str
    urls: list[str] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    reply_to_status: str | None = None
    reply_to_user: str | None = None
    reply_to_handle: str | None = None
    likes: int = 0
    retweets: int = 0
    sequence: int = 0
    id: str | None = None
    edit_ids: list[str] | None = None
    edit_initial: str | None = None

    @property
    def tweet_id(self) -> str:
        return self.id or snowflake(utc(self.when), self.sequence)


def archive_entry(post: Post, *, with_edit_info: bool = True) -> dict:
    """Return the tweet object as a 2019 to 2026 archive contains it (without the wrapper)."""
    tweet_id = post.tweet_id
    fields: dict = {
        "retweeted": False,
        "source": '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>',
        "entities": {
            "hashtags": [{"text": tag, "indices": ["0", "1"]} for tag in post.hashtags],
            "symbols": [],
            "user_mentions": [],
            "urls": [
                {"url": f"https://t.co/x{index}", "expanded_url": url, "display_url": url[:20], "indices": ["0", "1"]}
                for index, url in enumerate(post.urls)
            ],
        },
        "display_text_range": ["0", str(len(post.text))],
        "favorite_count": str(post.likes),
        "id_str": tweet_id,
        "truncated": False,
        "retweet_count": str(post.retweets),
        "id": tweet_id,
        "possibly_sensitive": False,
        "created_at": classic_time(utc(post.when)),
        "favorited": False,
        "full_text": post.text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"),
        "lang": "en",
    }
    if with_edit_info:
        if post.edit_initial:
            fields["edit_info"] = {"edit": {"initialTweetId": post.edit_initial, "editControlInitial": {
                "editTweetIds": post.edit_ids, "editableUntil": "2026-01-01T00:00:00.000Z",
                "editsRemaining": "4", "isEditEligible": True}}}
        else:
            fields["edit_info"] = {"initial": {"editTweetIds": post.edit_ids or [tweet_id],
                                               "editableUntil": "2026-01-01T00:00:00.000Z",
                                               "editsRemaining": "5", "isEditEligible": True}}
    if post.reply_to_user:
        fields["in_reply_to_user_id_str"] = post.reply_to_user
        fields["in_reply_to_user_id"] = post.reply_to_user
        fields["in_reply_to_screen_name"] = post.reply_to_handle or "someone"
        if post.reply_to_status:
            fields["in_reply_to_status_id_str"] = post.reply_to_status
            fields["in_reply_to_status_id"] = post.reply_to_status
    return fields


def ytd_file(global_name: str, entries: list, *, pretty: bool = True) -> str:
    """Return a ``window.YTD.….part0 = [`` file body, in the pretty (2022+) or compact (2020) style."""
    if pretty:
        return f"window.YTD.{global_name} = " + json.dumps(entries, indent=2, ensure_ascii=False)
    body = json.dumps(entries, ensure_ascii=False, separators=(", ", " : "))
    return f"window.YTD.{global_name} = {body}"


def manifest(tweet_files: list[tuple[str, int]], *, generated: str = "2026-11-30T06:00:00.000Z",
             key: str = "tweets", account_id: str = ACCOUNT_ID, handle: str = HANDLE) -> str:
    config = {
        "userInfo": {"accountId": account_id, "userName": handle, "displayName": DISPLAY_NAME},
        "archiveInfo": {"sizeBytes": "1000", "generationDate": generated, "isPartialArchive": False,
                        "maxPartSizeBytes": "53687091200"},
        "readmeInfo": {"fileName": "data/README.txt", "directory": "data/", "name": "README.txt"},
        "dataTypes": {key: {"mediaDirectory": "data/tweets_media", "files": [
            {"fileName": name, "globalName": f"YTD.{key}.part{index}", "count": str(count)}
            for index, (name, count) in enumerate(tweet_files)
        ]}},
    }
    return "window.__THAR_CONFIG = " + json.dumps(config, indent=2)


def account_js(account_id: str = ACCOUNT_ID, handle: str = HANDLE) -> str:
    entry = {"account": {"email": "staff@testhealthlib.example", "createdVia": "web", "username": handle,
                         "accountId": account_id, "createdAt": "2012-01-01T00:00:00.000Z",
                         "accountDisplayName": DISPLAY_NAME}}
    return ytd_file("account.part0", [entry])


def followers_js(kind: str, count: int) -> str:
    entries = [{kind: {"accountId": str(9000 + index), "userLink": f"https://twitter.com/intent/user?user_id={9000 + index}"}}
               for index in range(count)]
    return ytd_file(f"{kind}.part0", entries)


def archive_2022(posts: list[Post], *, followers: int = 3, following: int = 2, **options) -> dict[str, str]:
    """Return the files of a 2022-and-later archive: manifest, tweets.js, followers, following."""
    entries = [{"tweet": archive_entry(post)} for post in posts]
    return {
        "data/manifest.js": manifest([("data/tweets.js", len(entries))], **options),
        "data/tweets.js": ytd_file("tweets.part0", entries),
        "data/follower.js": followers_js("follower", followers),
        "data/following.js": followers_js("following", following),
        "data/account.js": account_js(),
    }


def archive_2020(posts: list[Post]) -> dict[str, str]:
    """Return the files of a 2020 to 2022 archive: data/tweet.js in the compact style, no edit_info."""
    entries = [{"tweet": archive_entry(post, with_edit_info=False)} for post in posts]
    return {
        "data/manifest.js": manifest([("data/tweet.js", len(entries))], key="tweet"),
        "data/tweet.js": ytd_file("tweet.part0", entries, pretty=False),
        "data/account.js": account_js(),
    }


def archive_2019(posts: list[Post]) -> dict[str, str]:
    """Return the files of a 2019 archive: tweet.js at the root with bare entries, no manifest."""
    entries = [archive_entry(post, with_edit_info=False) for post in posts]
    return {"tweet.js": ytd_file("tweet.part0", entries, pretty=False), "account.js": account_js()}


def grailbird(posts: list[Post], *, with_index: bool = True, user_id: str | None = ACCOUNT_ID) -> dict[str, str]:
    """Return the files of a pre-2019 Grailbird archive: one data/js/tweets/YYYY_MM.js per month."""
    months: dict[str, list] = {}
    for post in posts:
        moment = utc(post.when)
        entry = archive_entry(post, with_edit_info=False)
        for name in ("full_text", "favorite_count", "retweet_count", "display_text_range"):
            entry.pop(name)
        entry["text"] = post.text.replace("&", "&amp;")
        entry["created_at"] = moment.strftime("%Y-%m-%d %H:%M:%S +0000")
        entry["user"] = {"id_str": ACCOUNT_ID, "screen_name": HANDLE, "name": DISPLAY_NAME}
        months.setdefault(moment.strftime("%Y_%m"), []).append(entry)
    files = {}
    index = []
    for month, entries in sorted(months.items()):
        body = json.dumps(entries, indent=1).replace("/", "\\/")
        files[f"data/js/tweets/{month}.js"] = f"Grailbird.data.tweets_{month} = \n{body}"
        index.append({"file_name": f"data/js/tweets/{month}.js", "year": int(month[:4]), "var_name": f"tweets_{month}",
                      "tweet_count": len(entries), "month": int(month[5:])})
    if with_index:
        files["data/js/tweet_index.js"] = "var tweet_index = " + json.dumps(index)
    details = {"screen_name": HANDLE, "full_name": DISPLAY_NAME, "created_at": "2012-01-01 00:00:00 +0000"}
    if user_id:
        details["id"] = user_id
    files["data/js/user_details.js"] = "var user_details = " + json.dumps(details)
    return files


def write_zip(path: Path, files: dict[str, str | bytes], *, top_folder: str = "") -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            archive.writestr(top_folder + name, data)
    return path


def write_folder(path: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        target = path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            target.write_text(content, encoding="utf-8")
        else:
            target.write_bytes(content)
    return path


def api_tweet(post: Post, *, author_id: str, mentions: list[tuple[str, str]] = (), reply_to: str | None = None,
              reply_user: str | None = None, retweeted: str | None = None) -> dict:
    """Return an X API v2 tweet object with the fields tweetstats requests."""
    tweet: dict = {
        "id": post.tweet_id,
        "text": post.text.replace("&", "&amp;"),
        "created_at": iso_time(utc(post.when)),
        "author_id": author_id,
        "conversation_id": reply_to or post.tweet_id,
        "lang": "en",
        "edit_history_tweet_ids": [post.tweet_id],
        "public_metrics": {"retweet_count": post.retweets, "reply_count": 0, "like_count": post.likes,
                           "quote_count": 0, "bookmark_count": 0, "impression_count": 10 * post.likes},
        "entities": {"mentions": [{"start": 0, "end": len(name) + 1, "username": name, "id": user_id}
                                  for user_id, name in mentions]},
    }
    references = []
    if reply_to:
        references.append({"type": "replied_to", "id": reply_to})
        tweet["in_reply_to_user_id"] = reply_user
    if retweeted:
        references.append({"type": "retweeted", "id": retweeted})
    if references:
        tweet["referenced_tweets"] = references
    return tweet


def twarc_page(tweets: list[dict], users: list[tuple[str, str]], *, retrieved: str = "2026-11-30T12:00:00+00:00",
               next_token: str | None = None) -> str:
    """Return one line of twarc2 output: an API v2 response page with its __twarc metadata."""
    meta: dict = {"result_count": len(tweets)}
    if tweets:
        meta["newest_id"] = max(tweets, key=lambda item: int(item["id"]))["id"]
        meta["oldest_id"] = min(tweets, key=lambda item: int(item["id"]))["id"]
    if next_token:
        meta["next_token"] = next_token
    page = {
        "data": tweets,
        "includes": {"users": [{"id": user_id, "username": name, "name": name.title()} for user_id, name in users]},
        "meta": meta,
        "__twarc": {"url": f"https://api.twitter.com/2/users/{ACCOUNT_ID}/mentions?max_results=100",
                    "version": "2.14.1", "retrieved_at": retrieved},
    }
    return json.dumps(page)
