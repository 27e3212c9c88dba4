"""Write the mentions as the X API v2 pages that ``twarc2 mentions`` (twarc 2.14.1) writes."""

from __future__ import annotations

import json
import random
import string
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from metrics.sample import ACCOUNT_ID
from metrics.sample.mentions import Mention
from metrics.sample.people import LIBRARY, Account
from metrics.sample.posts import HASHTAG_PATTERN, Link, Tweet, escape_html
from metrics.sample.timeline import format_iso_time

MENTIONS_RETRIEVED_AT = datetime(2026, 11, 30, 6, 20, 7, tzinfo=timezone.utc)

TWARC_VERSION = "2.14.1"
MENTIONS_PAGE_SIZE = 100

# Field lists that twarc 2.14.1 requests by default (src/twarc/expansions.py), in its order.
TWARC_EXPANSIONS = (
    "author_id,in_reply_to_user_id,referenced_tweets.id,referenced_tweets.id.author_id,"
    "entities.mentions.username,attachments.poll_ids,attachments.media_keys,geo.place_id,"
    "edit_history_tweet_ids"
)
TWARC_TWEET_FIELDS = (
    "attachments,author_id,context_annotations,conversation_id,created_at,entities,geo,id,"
    "in_reply_to_user_id,lang,public_metrics,text,possibly_sensitive,referenced_tweets,"
    "reply_settings,source,withheld,edit_controls,edit_history_tweet_ids"
)
TWARC_USER_FIELDS = (
    "created_at,description,entities,id,location,name,pinned_tweet_id,profile_image_url,"
    "protected,public_metrics,url,username,verified,verified_type,withheld"
)
TWARC_MEDIA_FIELDS = (
    "alt_text,duration_ms,height,media_key,preview_image_url,type,url,width,variants,"
    "public_metrics"
)
TWARC_POLL_FIELDS = "duration_minutes,end_datetime,id,options,voting_status"
TWARC_PLACE_FIELDS = "contained_within,country,country_code,full_name,geo,id,name,place_type"

DEFAULT_PROFILE_IMAGE = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"


def build_v2_entities(text: str, mentioned: list[Account], links: list[Link]) -> dict[str, Any]:
    """Build API v2 ``entities`` with ``start``/``end`` in code points of the escaped text."""
    entities: dict[str, Any] = {}
    hashtags = [
        {"start": match.start(), "end": match.end(), "tag": match.group(1)}
        for match in HASHTAG_PATTERN.finditer(text)
    ]
    if hashtags:
        entities["hashtags"] = hashtags

    mentions = []
    position = 0
    for account in mentioned:
        start = text.index(f"@{account.username}", position)
        end = start + len(account.username) + 1
        mentions.append({"start": start, "end": end, "username": account.username, "id": account.id})
        position = end
    if mentions:
        entities["mentions"] = mentions

    urls = []
    for link in links:
        start = text.find(link.short_url)
        if start >= 0:
            urls.append({
                "start": start,
                "end": start + len(link.short_url),
                "url": link.short_url,
                "expanded_url": link.expanded_url,
                "display_url": link.display_url,
            })
    if urls:
        entities["urls"] = urls
    return entities


def build_v2_tweet(
    *, tweet_id: int, created: datetime, author: Account, text: str, lang: str, mentioned: list[Account],
    links: list[Link], conversation_id: int, metrics: dict[str, int], is_retweet: bool,
    referenced: tuple[str, int] | None = None, in_reply_to_user: Account | None = None,
) -> dict[str, Any]:
    """Build an API v2 tweet object with the fields twarc requests, keys in alphabetical order."""
    escaped = escape_html(text)
    entities = build_v2_entities(escaped, mentioned, links)
    result: dict[str, Any] = {
        "author_id": author.id,
        "conversation_id": str(conversation_id),
        "created_at": format_iso_time(created),
        "edit_controls": {
            "editable_until": format_iso_time(created + timedelta(hours=1)),
            "edits_remaining": 5,
            "is_edit_eligible": not is_retweet,
        },
        "edit_history_tweet_ids": [str(tweet_id)],
    }
    if entities:
        result["entities"] = entities
    result["id"] = str(tweet_id)
    if in_reply_to_user is not None:
        result["in_reply_to_user_id"] = in_reply_to_user.id
    result["lang"] = lang
    result["possibly_sensitive"] = False
    result["public_metrics"] = metrics
    if referenced is not None:
        result["referenced_tweets"] = [{"type": referenced[0], "id": str(referenced[1])}]
    result["reply_settings"] = "everyone"
    result["text"] = escaped
    return result


def build_v2_mention(mention: Mention) -> dict[str, Any]:
    referenced = None
    if mention.referenced is not None:
        referenced = (mention.referenced[0], mention.referenced[1].id)
    return build_v2_tweet(
        tweet_id=mention.id, created=mention.created, author=mention.author, text=mention.text,
        lang=mention.lang, mentioned=mention.mentioned, links=mention.links,
        conversation_id=mention.conversation_id or mention.id, metrics=mention.metrics,
        is_retweet=mention.kind == "retweet", referenced=referenced, in_reply_to_user=mention.in_reply_to_user,
    )


def build_v2_library_tweet(tweet: Tweet) -> dict[str, Any]:
    """Build a library post as it appears in ``includes.tweets``, with its metrics at retrieval time."""
    metrics = {
        "retweet_count": tweet.retweets,
        "reply_count": tweet.replies_received,
        "like_count": tweet.favorites,
        "quote_count": tweet.quotes_received,
        "bookmark_count": tweet.favorites // 6,
        "impression_count": 120 + tweet.favorites * 41 + tweet.retweets * 97,
    }
    referenced = None
    if tweet.reply_to_status is not None:
        referenced = ("replied_to", tweet.reply_to_status)
    return build_v2_tweet(
        tweet_id=tweet.id, created=tweet.created, author=LIBRARY, text=tweet.text, lang=tweet.lang,
        mentioned=tweet.mentioned, links=tweet.links, conversation_id=tweet.conversation_id or tweet.id,
        metrics=metrics, is_retweet=False, referenced=referenced, in_reply_to_user=tweet.reply_to_user,
    )


def build_v2_user(account: Account) -> dict[str, Any]:
    return {
        "created_at": format_iso_time(account.created_at),
        "description": account.description,
        "id": account.id,
        "name": account.name,
        "profile_image_url": DEFAULT_PROFILE_IMAGE,
        "protected": False,
        "public_metrics": {
            "followers_count": account.followers,
            "following_count": account.following,
            "tweet_count": account.tweet_count,
            "listed_count": account.listed,
        },
        "username": account.username,
        "verified": False,
        "verified_type": "none",
    }


def build_not_found_error(tweet_id: int) -> dict[str, Any]:
    """Build the partial error X returns with HTTP 200 when a referenced post is gone."""
    return {
        "value": str(tweet_id),
        "detail": f"Could not find tweet with referenced_tweets.id: [{tweet_id}].",
        "title": "Not Found Error",
        "resource_type": "tweet",
        "parameter": "referenced_tweets.id",
        "resource_id": str(tweet_id),
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }


def build_mentions_url(pagination_token: str | None) -> str:
    """Build the request URL twarc 2.14.1 records, with parameters in the order it sends them."""
    params = {
        "expansions": TWARC_EXPANSIONS,
        "tweet.fields": TWARC_TWEET_FIELDS,
        "user.fields": TWARC_USER_FIELDS,
        "media.fields": TWARC_MEDIA_FIELDS,
        "poll.fields": TWARC_POLL_FIELDS,
        "place.fields": TWARC_PLACE_FIELDS,
        "max_results": str(MENTIONS_PAGE_SIZE),
    }
    if pagination_token is not None:
        params["pagination_token"] = pagination_token
    return f"https://api.twitter.com/2/users/{ACCOUNT_ID}/mentions?{urlencode(params)}"


def make_pagination_token(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_lowercase + string.digits) for _ in range(45))


def build_mention_page(
    mentions: list[Mention], deleted_ids: set[int], next_token: str | None, request_token: str | None,
    retrieved_at: datetime,
) -> dict[str, Any]:
    """Build one ``/2/users/:id/mentions`` response page plus the ``__twarc`` metadata."""
    users: dict[str, Account] = {}
    included: dict[int, Tweet] = {}
    errors = []
    for mention in mentions:
        for account in (mention.author, *mention.mentioned):
            users.setdefault(account.id, account)
        if mention.referenced is None:
            continue
        post = mention.referenced[1]
        if post.id in deleted_ids:
            errors.append(build_not_found_error(post.id))
        else:
            included.setdefault(post.id, post)
            users.setdefault(LIBRARY.id, LIBRARY)

    includes: dict[str, Any] = {"users": [build_v2_user(account) for account in users.values()]}
    if included:
        includes["tweets"] = [build_v2_library_tweet(tweet) for tweet in included.values()]
    page: dict[str, Any] = {"data": [build_v2_mention(mention) for mention in mentions], "includes": includes}
    if errors:
        page["errors"] = errors

    meta: dict[str, Any] = {
        "result_count": len(mentions),
        "newest_id": str(mentions[0].id),
        "oldest_id": str(mentions[-1].id),
    }
    if next_token is not None:
        meta["next_token"] = next_token
    page["meta"] = meta

    page["__twarc"] = {
        "url": build_mentions_url(request_token),
        "version": TWARC_VERSION,
        "retrieved_at": retrieved_at.isoformat(timespec="seconds"),
    }
    return page


def build_mention_pages(rng: random.Random, mentions: list[Mention], deleted_ids: set[int]) -> list[dict[str, Any]]:
    """Split mentions into pages of 100, newest first, as the API returns them."""
    ordered = sorted(mentions, key=lambda item: item.id, reverse=True)
    chunks = [ordered[start:start + MENTIONS_PAGE_SIZE] for start in range(0, len(ordered), MENTIONS_PAGE_SIZE)]
    pages = []
    request_token = None
    retrieved_at = MENTIONS_RETRIEVED_AT
    for index, chunk in enumerate(chunks):
        next_token = make_pagination_token(rng) if index < len(chunks) - 1 else None
        pages.append(build_mention_page(chunk, deleted_ids, next_token, request_token, retrieved_at))
        request_token = next_token
        retrieved_at += timedelta(seconds=rng.randint(1, 3))
    return pages


def write_mentions(path: Path, pages: list[dict[str, Any]]) -> None:
    """Write one page per line as twarc2 does: ``json.dumps`` defaults, so non-ASCII is escaped."""
    with path.open("w", encoding="utf-8", newline="\n") as output:
        for page in pages:
            output.write(json.dumps(page) + "\n")
