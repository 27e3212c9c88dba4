"""Compose the library's own posts: originals, tips, threads, retweets, quotes, long, edited and deleted posts.

Mentions and both output formats also use the t.co ``Link`` and the text helpers defined here.
"""

from __future__ import annotations

import math
import random
import re
import string
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, TypeVar

from metrics.sample.people import LIBRARY, Account, Organisation
from metrics.sample.texts import (
    DAYS_EN,
    DAYS_FR,
    DELETED_POSTS,
    EDITED_POSTS,
    EXTERNAL_LINKS,
    FIELDS_EN,
    FIELDS_FR,
    NOTE_POSTS,
    ORIGINAL_TEMPLATES,
    OWN_LINKS,
    QUOTE_COMMENTS,
    RESOURCES,
    THREAD_SCRIPTS,
    TIP_TEMPLATES,
    WORKSHOP_TOPICS,
    WORKSHOP_TOPICS_FR,
)
from metrics.sample.timeline import (
    GENERATION_TIME,
    LIBRARY_POSTS_PER_DAY,
    LIBRARY_WEEKDAY_ACTIVITY,
    MONTH_ACTIVITY,
    WORK_DAY_SECONDS,
    YEAR_START,
    SnowflakeFactory,
    draw_poisson,
    iterate_days,
    pick_moment,
)

T = TypeVar("T")

WEB_APP_SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'
IPHONE_SOURCE = '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>'
HOOTSUITE_SOURCE = '<a href="https://www.hootsuite.com" rel="nofollow">Hootsuite Inc.</a>'
SOURCES = (WEB_APP_SOURCE, HOOTSUITE_SOURCE, IPHONE_SOURCE)
SOURCE_WEIGHTS = (55, 35, 10)

MAX_TWEET_LENGTH = 280
RETWEET_TEXT_LENGTH = 140
DISPLAY_URL_LENGTH = 26
# A hashtag needs at least one letter, so "#1" is not one.
HASHTAG_PATTERN = re.compile(r"(?<![\w&])#(\w*[^\W\d]\w*)")


@dataclass(frozen=True)
class Link:
    """A t.co link as it appears in ``entities.urls``."""

    short_url: str
    expanded_url: str
    display_url: str


def make_link(rng: random.Random, expanded_url: str) -> Link:
    code = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(10))
    return Link(f"https://t.co/{code}", expanded_url, make_display_url(expanded_url))


def make_display_url(expanded_url: str) -> str:
    display = expanded_url.split("://", 1)[-1]
    if display.startswith("www."):
        display = display[4:]
    if len(display) > DISPLAY_URL_LENGTH:
        return display[:DISPLAY_URL_LENGTH] + "…"
    return display


def make_pubmed_url(rng: random.Random) -> str:
    return f"https://pubmed.ncbi.nlm.nih.gov/{rng.randint(36_000_000, 41_999_999)}/"


def make_cochrane_url(rng: random.Random) -> str:
    return (
        "https://www.cochranelibrary.com/cdsr/doi/10.1002/"
        f"14651858.CD0{rng.randint(10000, 16999)}.pub{rng.randint(2, 5)}/full"
    )


def resolve_link(rng: random.Random, key: str) -> str:
    """Turn a template's link key (``own:hours``, ``ext:flu``, ``pubmed``, ``cochrane``) into a URL."""
    if key == "pubmed":
        return make_pubmed_url(rng)
    if key == "cochrane":
        return make_cochrane_url(rng)
    pool, name = key.split(":")
    return OWN_LINKS[name] if pool == "own" else EXTERNAL_LINKS[name]


def escape_html(text: str) -> str:
    """Escape text the way X does in ``full_text`` and API v2 ``text``: only &, < and >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut_text(text: str, limit: int) -> str:
    """Cut text to at most ``limit`` characters at a word boundary, ending with "…"."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"


def join_words(*parts: str) -> str:
    return " ".join(part for part in parts if part)


@dataclass
class Tweet:
    """A library post before it is rendered in the archive's v1.1 shape."""

    id: int
    created: datetime
    text: str
    lang: str
    kind: str
    links: list[Link] = field(default_factory=list)
    mentioned: list[Account] = field(default_factory=list)
    favorites: int = 0
    retweets: int = 0
    source: str = WEB_APP_SOURCE
    reply_to_status: int | None = None
    reply_to_user: Account | None = None
    conversation_id: int | None = None
    replies_received: int = 0
    quotes_received: int = 0
    edit_ids: tuple[int, ...] = ()
    initial_id: int | None = None
    initial_created: datetime | None = None
    deleted_at: datetime | None = None


def draw_favorites(rng: random.Random, kind: str) -> int:
    if kind == "reply":
        return rng.choices((0, 1, 2, 3, 5), weights=(35, 35, 17, 9, 4))[0]
    median = {"thread": 6.0, "quote": 5.0}.get(kind, 8.0)
    return min(int(rng.lognormvariate(math.log(median), 0.85)), 450)


def draw_retweets(rng: random.Random, favorites: int) -> int:
    return int(favorites * rng.uniform(0.05, 0.45))


def create_tweet(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, text: str, lang: str, kind: str, **details: Any
) -> Tweet:
    tweet = Tweet(id=ids.make_id(moment), created=moment, text=text, lang=lang, kind=kind, **details)
    tweet.source = rng.choices(SOURCES, weights=SOURCE_WEIGHTS)[0]
    if kind != "retweet":
        tweet.favorites = draw_favorites(rng, kind)
        tweet.retweets = draw_retweets(rng, tweet.favorites)
    if tweet.conversation_id is None:
        tweet.conversation_id = tweet.id
    return tweet


def is_in_season(template: tuple[Any, ...], moment: datetime) -> bool:
    """Return whether a template's months (its last field) include the moment's month; () means all year."""
    return not template[-1] or moment.month in template[-1]


def choose_least_used(
    rng: random.Random, candidates: list[T], usage_counts: Counter[str], key: Callable[[T], str]
) -> T:
    """Choose among the candidates used least so far and count the use.

    ``usage_counts`` maps a template's text, given by ``key``, to the number of posts made from it.
    """
    fewest = min(usage_counts[key(candidate)] for candidate in candidates)
    chosen = rng.choice([candidate for candidate in candidates if usage_counts[key(candidate)] == fewest])
    usage_counts[key(chosen)] += 1
    return chosen


def fill_template(rng: random.Random, text: str) -> str:
    return text.format(
        day=rng.choice(DAYS_EN),
        day_fr=rng.choice(DAYS_FR),
        topic=rng.choice(WORKSHOP_TOPICS),
        topic_fr=rng.choice(WORKSHOP_TOPICS_FR),
        resource=rng.choice(RESOURCES),
        field=rng.choice(FIELDS_EN),
        field_fr=rng.choice(FIELDS_FR),
    )


def compose_text(rng: random.Random, body: str, link_key: str, tags: tuple[str, ...]) -> tuple[str, list[Link]]:
    """Append a t.co link and hashtags to a post body, dropping hashtags that would pass 280 characters."""
    links = [make_link(rng, resolve_link(rng, link_key))] if link_key else []
    chosen_tags = [tag for tag in tags if rng.random() < 0.75]
    while True:
        text = join_words(body, *(link.short_url for link in links), *(f"#{tag}" for tag in chosen_tags))
        if len(text) <= MAX_TWEET_LENGTH or not chosen_tags:
            return text, links
        chosen_tags.pop()


def compose_original(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, usage_counts: Counter[str], lang: str | None = None
) -> Tweet:
    templates = [
        item for item in ORIGINAL_TEMPLATES if (lang is None or item[0] == lang) and is_in_season(item, moment)
    ]
    template_lang, body, link_key, tags, _ = choose_least_used(rng, templates, usage_counts, lambda item: item[1])
    if link_key and rng.random() < 0.15:
        link_key = ""
    text, links = compose_text(rng, fill_template(rng, body), link_key, tags)
    return create_tweet(rng, ids, moment, text, template_lang, "original", links=links)


def compose_tip(rng: random.Random, ids: SnowflakeFactory, moment: datetime, usage_counts: Counter[str]) -> Tweet:
    lang, body, tags = choose_least_used(rng, list(TIP_TEMPLATES), usage_counts, lambda item: item[1])
    text = join_words(body, *(f"#{tag}" for tag in tags))
    return create_tweet(rng, ids, moment, text, lang, "original")


def compose_thread(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, usage_counts: Counter[str]
) -> list[Tweet]:
    """Compose a thread: a head post and replies to the library's own previous post."""
    scripts = [script for script in THREAD_SCRIPTS if is_in_season(script, moment)]
    lang, parts, _ = choose_least_used(rng, scripts, usage_counts, lambda script: script[1][0])
    head = create_tweet(rng, ids, moment, parts[0], lang, "thread")
    thread = [head]
    for part in parts[1:]:
        moment += timedelta(seconds=rng.randint(20, 240), milliseconds=rng.randint(0, 999))
        reply = create_tweet(
            rng, ids, moment, part, lang, "thread_reply",
            reply_to_status=thread[-1].id, reply_to_user=LIBRARY, conversation_id=head.id,
        )
        reply.favorites = min(reply.favorites, head.favorites)
        reply.retweets = min(reply.retweets, head.retweets)
        thread.append(reply)
    return thread


def compose_retweet(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, organisations: list[Organisation],
    usage_counts: Counter[str],
) -> Tweet:
    """Compose an old-style retweet: ``RT @author: …`` cut near 140 characters, with zero counts.

    The post is one of the least used in season, so texts repeat as little as possible.
    """
    candidates = [
        (organisation, post)
        for organisation in organisations
        for post in organisation.posts
        if is_in_season(post, moment)
    ]
    organisation, (lang, post, _) = choose_least_used(rng, candidates, usage_counts, lambda item: item[1][1])
    text = cut_text(f"RT @{organisation.account.username}: {post}", RETWEET_TEXT_LENGTH)
    return create_tweet(rng, ids, moment, text, lang, "retweet", mentioned=[organisation.account])


def compose_quote(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, organisations: list[Organisation], *, x_domain: bool
) -> Tweet:
    """Compose a quote post: a comment and a link to the quoted post's ``/status/`` URL."""
    organisation = rng.choice(organisations)
    lang, comment = rng.choice(QUOTE_COMMENTS)
    quoted_moment = moment - timedelta(hours=rng.randint(1, 72), seconds=rng.randint(0, 3599))
    quoted_id = ids.make_id(quoted_moment)
    host = "x.com" if x_domain else "twitter.com"
    link = make_link(rng, f"https://{host}/{organisation.account.username}/status/{quoted_id}")
    return create_tweet(rng, ids, moment, f"{comment} {link.short_url}", lang, "quote", links=[link])


def choose_library_kind(rng: random.Random) -> str:
    return rng.choices(("original", "thread", "retweet", "quote"), weights=(62, 6, 21, 11))[0]


def plan_library_posts(
    rng: random.Random, ids: SnowflakeFactory, organisations: list[Organisation]
) -> list[Tweet]:
    """Plan a year of originals, weekly tips, threads, retweets and quotes."""
    tweets: list[Tweet] = []
    usage_counts: Counter[str] = Counter()
    for day in iterate_days(YEAR_START, GENERATION_TIME):
        if day.weekday() == 1 and rng.random() < 0.85:
            moment = pick_moment(rng, day, (14 * 3600, 15 * 3600))
            tweets.append(compose_tip(rng, ids, moment, usage_counts))
        mean = LIBRARY_POSTS_PER_DAY * MONTH_ACTIVITY[day.month] * LIBRARY_WEEKDAY_ACTIVITY[day.weekday()]
        for _ in range(draw_poisson(rng, mean)):
            moment = pick_moment(rng, day, WORK_DAY_SECONDS)
            if moment >= GENERATION_TIME:
                continue
            tweets.extend(compose_library_post(rng, ids, moment, organisations, usage_counts))
    return tweets


def compose_library_post(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, organisations: list[Organisation],
    usage_counts: Counter[str],
) -> list[Tweet]:
    kind = choose_library_kind(rng)
    if kind == "thread":
        return compose_thread(rng, ids, moment, usage_counts)
    if kind == "retweet":
        return [compose_retweet(rng, ids, moment, organisations, usage_counts)]
    if kind == "quote":
        return [compose_quote(rng, ids, moment, organisations, x_domain=rng.random() < 0.7)]
    return [compose_original(rng, ids, moment, usage_counts)]


def compose_note_posts(rng: random.Random, ids: SnowflakeFactory) -> list[tuple[Tweet, int]]:
    """Compose long posts as truncated tweets, each with the id of its note-tweet.js entry."""
    notes = []
    for moment, lang, template, link_key in NOTE_POSTS:
        note_id = ids.make_id(moment)
        links = [make_link(rng, resolve_link(rng, link_key))] if link_key else []
        text = template.format(link=links[0].short_url if links else "")
        tweet = create_tweet(rng, ids, moment, text, lang, "note", links=links)
        tweet.favorites += 10
        notes.append((tweet, note_id))
    return notes


def compose_edited_posts(rng: random.Random, ids: SnowflakeFactory) -> list[Tweet]:
    """Compose each edited post as two entries: the initial version and the edit."""
    versions = []
    for moment, first_text, second_text, minutes in EDITED_POSTS:
        first = create_tweet(rng, ids, moment, first_text, "en", "edited_initial")
        edit_moment = moment + timedelta(minutes=minutes, seconds=rng.randint(0, 59))
        second = create_tweet(rng, ids, edit_moment, second_text, "en", "edited_version")
        group = (first.id, second.id)
        for version in (first, second):
            version.edit_ids = group
            version.initial_id = first.id
            version.initial_created = first.created
        first.favorites, first.retweets = rng.randint(0, 2), 0
        versions.extend((first, second))
    return versions


def compose_deleted_posts(rng: random.Random, ids: SnowflakeFactory) -> list[Tweet]:
    deleted = []
    for moment, deleted_at, lang, body, link_key in DELETED_POSTS:
        text, links = compose_text(rng, body, link_key, ())
        tweet = create_tweet(rng, ids, moment, text, lang, "deleted", links=links, deleted_at=deleted_at)
        tweet.favorites, tweet.retweets = rng.randint(0, 3), 0
        deleted.append(tweet)
    return deleted
