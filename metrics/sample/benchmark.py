"""Compose any number of library tweets for the benchmark tweets files that ``write_tweets_js`` writes."""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

from metrics.sample.people import Account, Organisation, create_community_users, create_organisations
from metrics.sample.posts import (
    Tweet,
    compose_original,
    compose_quote,
    compose_retweet,
    compose_text,
    compose_thread,
    compose_tip,
    create_tweet,
)
from metrics.sample.texts import ANSWER_TEMPLATES
from metrics.sample.timeline import GENERATION_TIME, SnowflakeFactory

BENCHMARK_FORMS = {
    # form: (global name, export time, whether tweets carry edit_info and x.com links)
    "2022": ("YTD.tweets.part0", GENERATION_TIME, True),
    "2020": ("YTD.tweet.part0", datetime(2022, 3, 31, 18, 0, tzinfo=timezone.utc), False),
}
BENCHMARK_SPAN = timedelta(days=6 * 365)
BENCHMARK_MAX_GAP = timedelta(minutes=30)


def iterate_benchmark_tweets(rng: random.Random, count: int, form: str) -> Iterator[Tweet]:
    """Yield ``count`` library tweets going back in time from the form's export date, roughly newest first."""
    _, export_time, modern = BENCHMARK_FORMS[form]
    ids = SnowflakeFactory(rng)
    users = create_community_users(rng, ids, 300)
    organisations = create_organisations(rng, ids)
    mean_gap = min(BENCHMARK_MAX_GAP, BENCHMARK_SPAN / max(count, 1))
    moment = export_time
    produced = 0
    pending: list[Tweet] = []
    usage_counts: Counter[str] = Counter()
    while produced < count:
        moment -= mean_gap * rng.uniform(0.5, 1.5)
        moment = moment.replace(microsecond=moment.microsecond // 1000 * 1000)
        batch = compose_benchmark_tweets(rng, ids, moment, users, organisations, modern, usage_counts)
        for tweet in reversed(batch[: count - produced]):
            pending.append(tweet)
            produced += 1
            if len(pending) == 2:
                yield from swap_pair(rng, pending)
                pending.clear()
    yield from pending


def swap_pair(rng: random.Random, pair: list[Tweet]) -> list[Tweet]:
    return pair[::-1] if rng.random() < 0.06 else pair


def compose_benchmark_tweets(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, users: list[Account],
    organisations: list[Organisation], modern: bool, usage_counts: Counter[str],
) -> list[Tweet]:
    """Compose the tweets posted at one moment: usually one, several for a thread or an edit."""
    kind = rng.choices(
        ("original", "tip", "reply", "thread", "retweet", "quote", "edited"),
        weights=(40, 5, 24, 6, 16, 8, 1 if modern else 0),
    )[0]
    if kind == "reply":
        return [compose_benchmark_reply(rng, ids, moment, rng.choice(users))]
    if kind == "thread":
        return compose_thread(rng, ids, moment, usage_counts)
    if kind == "retweet":
        return [compose_retweet(rng, ids, moment, organisations, usage_counts)]
    if kind == "quote":
        return [compose_quote(rng, ids, moment, organisations, x_domain=modern and rng.random() < 0.7)]
    if kind == "tip":
        return [compose_tip(rng, ids, moment, usage_counts)]
    if kind == "edited":
        return compose_benchmark_edit(rng, ids, moment, usage_counts)
    return [compose_original(rng, ids, moment, usage_counts)]


def compose_benchmark_reply(rng: random.Random, ids: SnowflakeFactory, moment: datetime, user: Account) -> Tweet:
    topic, lang = rng.choice(list(ANSWER_TEMPLATES))
    body, link_key = ANSWER_TEMPLATES[(topic, lang)]
    question_id = ids.make_id(moment - timedelta(minutes=rng.randint(10, 2880)))
    text, links = compose_text(rng, f"@{user.username} {body}", link_key, ())
    return create_tweet(
        rng, ids, moment, text, lang, "reply", links=links, mentioned=[user],
        reply_to_status=question_id, reply_to_user=user, conversation_id=question_id,
    )


def compose_benchmark_edit(
    rng: random.Random, ids: SnowflakeFactory, moment: datetime, usage_counts: Counter[str]
) -> list[Tweet]:
    """Compose an edited post: a first version with a typo and the corrected edit."""
    first = compose_original(rng, ids, moment, usage_counts, lang="en")
    first.kind = "edited_initial"
    corrected = first.text
    first.text = swap_letters(rng, corrected)
    edit_moment = moment + timedelta(minutes=rng.randint(2, 50))
    second = create_tweet(rng, ids, edit_moment, corrected, "en", "edited_version", links=first.links)
    for version in (first, second):
        version.edit_ids = (first.id, second.id)
        version.initial_id = first.id
        version.initial_created = first.created
    return [first, second]


def swap_letters(rng: random.Random, text: str) -> str:
    """Return the text with two neighbouring letters swapped in one plain word, as a typo."""
    # Words inside mentions, hashtags and URLs stay intact, so the entities still match.
    words = list(re.finditer(r"(?<![@#/.\w])[A-Za-z]{5,}(?![\w:/.])", text))
    if not words:
        return text
    word = rng.choice(words)
    position = word.start() + rng.randint(1, len(word.group()) - 3)
    return text[:position] + text[position + 1] + text[position] + text[position + 2 :]
