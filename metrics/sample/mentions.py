"""Compose the community's mentions of the library and the library's replies to their questions."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from metrics.sample import HANDLE
from metrics.sample.people import LIBRARY, Account
from metrics.sample.posts import (
    RETWEET_TEXT_LENGTH,
    Link,
    Tweet,
    compose_text,
    create_tweet,
    cut_text,
    make_link,
)
from metrics.sample.texts import (
    ANSWER_TEMPLATES,
    FOLLOW_UP_TEMPLATES,
    LINK_ONLY_URLS,
    QUESTION_TEMPLATES,
    QUOTE_MENTION_TEMPLATES,
    REPLY_QUESTION_TEMPLATES,
    SHOUT_OUT_TEMPLATES,
    THANKS_TEMPLATES,
    WORKSHOP_QUESTION_TEMPLATES,
)
from metrics.sample.timeline import (
    GENERATION_TIME,
    MENTION_WEEKDAY_ACTIVITY,
    MENTIONS_PER_DAY,
    MONTH_ACTIVITY,
    USER_DAY_SECONDS,
    YEAR_START,
    SnowflakeFactory,
    draw_poisson,
    iterate_days,
    pick_moment,
)


@dataclass
class Mention:
    """A post by a community user that mentions the library, as ``twarc2 mentions`` returns it."""

    id: int
    created: datetime
    author: Account
    text: str
    lang: str
    kind: str
    topic: str = ""
    mentioned: list[Account] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    referenced: tuple[str, Tweet] | None = None
    conversation_id: int | None = None
    in_reply_to_user: Account | None = None
    metrics: dict[str, int] = field(default_factory=dict)


def choose_mention_kind(rng: random.Random) -> str:
    return rng.choices(
        ("question", "thanks", "shout_out", "retweet", "link", "quote"),
        weights=(44, 13, 11, 20, 5, 7),
    )[0]


def find_recent_post(rng: random.Random, posts: list[Tweet], before: datetime, days: int) -> Tweet | None:
    """Pick a library original or thread head posted up to ``days`` days before a moment."""
    earliest = before - timedelta(days=days)
    candidates = [
        tweet for tweet in posts
        if tweet.kind in ("original", "thread", "note") and earliest <= tweet.created < before - timedelta(minutes=5)
    ]
    return rng.choice(candidates) if candidates else None


def make_metrics(rng: random.Random, kind: str) -> dict[str, int]:
    if kind == "retweet":
        return {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0,
                "bookmark_count": 0, "impression_count": 0}
    likes = rng.choices((0, 1, 2, 3, 5, 8), weights=(30, 25, 18, 12, 10, 5))[0]
    return {
        "retweet_count": rng.randint(0, likes // 2),
        "reply_count": 0,
        "like_count": likes,
        "quote_count": 0,
        "bookmark_count": rng.randint(0, 1),
        "impression_count": rng.randint(15, 90) + likes * rng.randint(20, 60),
    }


def compose_mention(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, author: Account, kind: str, posts: list[Tweet]
) -> Mention | None:
    """Compose one mention of a given kind, or return None when it needs a library post that does not exist yet."""
    if kind == "question":
        return compose_question(rng, ids, moment, author, posts)
    if kind in ("retweet", "quote"):
        post = find_recent_post(rng, posts, moment, 6)
        if post is None:
            return None
        if kind == "retweet":
            return compose_library_retweet(rng, ids, moment, author, post)
        return compose_quote_mention(rng, ids, moment, author, post)
    if kind == "link":
        url = rng.choice(LINK_ONLY_URLS).format(number=rng.randint(36_000_000, 41_999_999))
        link = make_link(rng, url)
        return create_mention(rng, ids, moment, author, f"@{HANDLE} {link.short_url}", "zxx", "link", links=[link])
    templates = THANKS_TEMPLATES if kind == "thanks" else SHOUT_OUT_TEMPLATES
    lang, text = pick_in_language(rng, templates, author.lang)
    return create_mention(rng, ids, moment, author, text.format(handle=HANDLE), lang, kind)


def pick_in_language(rng: random.Random, templates: tuple[tuple[str, ...], ...], lang: str) -> tuple[str, ...]:
    """Pick a template, in the author's language four times out of five."""
    matching = [item for item in templates if item[0] == lang]
    if matching and rng.random() < 0.8:
        return rng.choice(matching)
    return rng.choice(templates)


def compose_question(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, author: Account, posts: list[Tweet]
) -> Mention:
    """Compose a question, either a new post or a reply to a recent library post."""
    post = find_recent_post(rng, posts, moment, 3) if rng.random() < 0.2 else None
    if post is not None:
        is_workshop = "workshop" in post.text.lower() or "atelier" in post.text.lower()
        templates = WORKSHOP_QUESTION_TEMPLATES if is_workshop else REPLY_QUESTION_TEMPLATES
        topic, lang, question = rng.choice([item for item in templates if item[1] == post.lang] or templates)
        post.replies_received += 1
        return create_mention(
            rng, ids, moment, author, f"@{HANDLE} {question}", lang, "question", topic=topic,
            referenced=("replied_to", post), conversation_id=post.conversation_id, in_reply_to_user=LIBRARY,
        )
    matching = [item for item in QUESTION_TEMPLATES if item[1] == author.lang]
    topic, lang, question = rng.choice(matching if rng.random() < 0.85 else QUESTION_TEMPLATES)
    return create_mention(rng, ids, moment, author, f"@{HANDLE} {question}", lang, "question", topic=topic)


def compose_library_retweet(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, author: Account, post: Tweet
) -> Mention:
    text = cut_text(f"RT @{HANDLE}: {post.text}", RETWEET_TEXT_LENGTH)
    mention = create_mention(
        rng, ids, moment, author, text, post.lang, "retweet", links=post.links, referenced=("retweeted", post)
    )
    post.retweets += 1
    return mention


def compose_quote_mention(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, author: Account, post: Tweet
) -> Mention:
    lang, comment = pick_in_language(rng, QUOTE_MENTION_TEMPLATES, author.lang)
    link = make_link(rng, f"https://twitter.com/{HANDLE}/status/{post.id}")
    text = f"{comment.format(handle=HANDLE)} {link.short_url}"
    post.quotes_received += 1
    return create_mention(rng, ids, moment, author, text, lang, "quote", links=[link], referenced=("quoted", post))


def create_mention(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, author: Account, text: str, lang: str, kind: str,
    **details: Any,
) -> Mention:
    mention = Mention(
        id=ids.make_id(moment), created=moment, author=author, text=text, lang=lang, kind=kind,
        mentioned=[LIBRARY], metrics=make_metrics(rng, kind), **details,
    )
    if mention.conversation_id is None:
        mention.conversation_id = mention.id
    return mention


def plan_mentions(
    rng: random.Random, ids: SnowflakeFactory, users: list[Account], posts: list[Tweet]
) -> list[Mention]:
    """Plan a year of mentions with the same monthly and weekly rhythm as the library's posts."""
    mentions = []
    for day in iterate_days(YEAR_START, GENERATION_TIME):
        mean = MENTIONS_PER_DAY * MONTH_ACTIVITY[day.month] * MENTION_WEEKDAY_ACTIVITY[day.weekday()]
        for _ in range(draw_poisson(rng, mean)):
            moment = pick_moment(rng, day, USER_DAY_SECONDS)
            if moment >= GENERATION_TIME - timedelta(minutes=30):
                continue
            mention = compose_mention(rng, ids, moment, rng.choice(users), choose_mention_kind(rng), posts)
            if mention is not None:
                mentions.append(mention)
    return mentions


def add_recent_questions(
    rng: random.Random, ids: SnowflakeFactory, users: list[Account], mentions: list[Mention], minimum: int
) -> None:
    """Add questions in the last three weeks until there are ``minimum`` of them, so unanswered ones are recent."""
    window_start = GENERATION_TIME - timedelta(days=21)
    recent = [item for item in mentions if item.kind == "question" and item.created >= window_start]
    for _ in range(minimum - len(recent)):
        day = window_start + timedelta(days=rng.randint(0, 19))
        moment = pick_moment(rng, day.replace(hour=0, minute=0, second=0, microsecond=0), USER_DAY_SECONDS)
        mentions.append(compose_question(rng, ids, moment, rng.choice(users), []))


def draw_reply_delay(rng: random.Random) -> timedelta:
    """Draw a response time between 10 minutes and 2 days, most within a working day."""
    bucket = rng.choices(("fast", "same_day", "slow"), weights=(50, 35, 15))[0]
    if bucket == "fast":
        return timedelta(minutes=rng.randint(10, 180), seconds=rng.randint(0, 59))
    if bucket == "same_day":
        return timedelta(hours=rng.randint(3, 23), minutes=rng.randint(0, 59))
    return timedelta(hours=rng.randint(24, 47), minutes=rng.randint(0, 59))


def answer_rate(mention: Mention) -> float:
    """Return the share of questions the library answers: most of them, but few from the last three weeks."""
    recent = mention.created >= GENERATION_TIME - timedelta(days=21)
    return 0.2 if recent else 0.72


def answer_questions(
    rng: random.Random, ids: SnowflakeFactory, mentions: list[Mention]
) -> list[Tweet]:
    """Compose the library's replies to the questions it answers, posted before the export."""
    replies = []
    for mention in sorted(mentions, key=lambda item: item.created):
        if mention.kind != "question":
            continue
        # Both draws happen for every question, so changing a rate changes only which are answered.
        chance = rng.random()
        moment = mention.created + draw_reply_delay(rng) + timedelta(milliseconds=rng.randint(0, 999))
        if chance >= answer_rate(mention) or moment >= GENERATION_TIME:
            continue
        mention.metrics["reply_count"] += 1
        replies.append(compose_answer(rng, ids, moment, mention))
    return replies


def compose_answer(rng: random.Random, ids: SnowflakeFactory, moment: datetime, mention: Mention) -> Tweet:
    lang = mention.lang if mention.lang in ("en", "fr") else "en"
    body, link_key = ANSWER_TEMPLATES[(mention.topic, lang)]
    text, links = compose_text(rng, f"@{mention.author.username} {body}", link_key, ())
    return create_tweet(
        rng, ids, moment, text, lang, "reply", links=links, mentioned=[mention.author],
        reply_to_status=mention.id, reply_to_user=mention.author, conversation_id=mention.conversation_id,
    )


def add_follow_ups(
    rng: random.Random, ids: SnowflakeFactory, replies: list[Tweet], mentions: list[Mention]
) -> None:
    """Add a thank-you mention after about a quarter of the library's replies to questions."""
    for reply in replies:
        if rng.random() >= 0.25 or reply.reply_to_user is None:
            continue
        moment = reply.created + timedelta(minutes=rng.randint(5, 600), seconds=rng.randint(0, 59))
        if moment >= GENERATION_TIME:
            continue
        lang, text = pick_in_language(rng, FOLLOW_UP_TEMPLATES, reply.reply_to_user.lang)
        reply.replies_received += 1
        mentions.append(create_mention(
            rng, ids, moment, reply.reply_to_user, text.format(handle=HANDLE), lang, "thanks",
            referenced=("replied_to", reply), conversation_id=reply.conversation_id, in_reply_to_user=LIBRARY,
        ))


def add_deleted_post_reply(
    rng: random.Random, ids: SnowflakeFactory, users: list[Account], deleted: Tweet, mentions: list[Mention]
) -> None:
    """Add a question replying to a post deleted later, so its page carries a partial error."""
    moment = deleted.created + timedelta(hours=3, minutes=rng.randint(0, 59))
    author = next(user for user in users if user.lang == "en")
    mentions.append(create_mention(
        rng, ids, moment, author, f"@{HANDLE} Is this still happening? The link doesn't work for me", "en",
        "question", topic="recording", referenced=("replied_to", deleted),
        conversation_id=deleted.id, in_reply_to_user=LIBRARY,
    ))
