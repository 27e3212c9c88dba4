"""Plan the sample year that the archive and the mentions file are written from."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from metrics.sample import ACCOUNT_ID
from metrics.sample.mentions import (
    Mention,
    add_deleted_post_reply,
    add_follow_ups,
    add_recent_questions,
    answer_questions,
    plan_mentions,
)
from metrics.sample.people import (
    FOLLOWER_COUNT,
    FOLLOWING_COUNT,
    Account,
    Organisation,
    create_community_users,
    create_organisations,
    make_account_id,
)
from metrics.sample.posts import (
    Tweet,
    compose_deleted_posts,
    compose_edited_posts,
    compose_note_posts,
    plan_library_posts,
)
from metrics.sample.timeline import SnowflakeFactory


@dataclass
class SampleYear:
    """Everything the sample archive and mentions file are written from."""

    tweets: list[Tweet]
    notes: list[tuple[Tweet, int]]
    deleted: list[Tweet]
    mentions: list[Mention]
    followers: list[str]
    following: list[str]


def plan_sample(seed: int) -> SampleYear:
    """Plan the whole sample year: library posts, mentions, replies to questions and relations.

    Each stage draws from its own generator, so editing the templates of one stage
    leaves the random choices of the others unchanged.
    """
    ids = SnowflakeFactory(random.Random(seed))
    people_rng, posts_rng, mentions_rng, answers_rng, relations_rng = (
        random.Random(seed * 10 + stage) for stage in range(1, 6)
    )
    users = create_community_users(people_rng, ids, 72)
    organisations = create_organisations(people_rng, ids)

    posts = plan_library_posts(posts_rng, ids, organisations)
    notes = compose_note_posts(posts_rng, ids)
    posts.extend(tweet for tweet, _ in notes)
    posts.extend(compose_edited_posts(posts_rng, ids))
    posts.sort(key=lambda tweet: tweet.created)
    deleted = compose_deleted_posts(posts_rng, ids)

    mentions = plan_mentions(mentions_rng, ids, users, posts)
    add_recent_questions(mentions_rng, ids, users, mentions, minimum=7)
    add_deleted_post_reply(mentions_rng, ids, users, deleted[0], mentions)
    replies = answer_questions(answers_rng, ids, mentions)
    add_follow_ups(answers_rng, ids, replies, mentions)

    followers = choose_followers(relations_rng, ids, users)
    following = choose_following(relations_rng, ids, users, organisations)
    newest_first = sorted(posts + replies, key=lambda tweet: tweet.id, reverse=True)
    tweets = shuffle_neighbours(relations_rng, newest_first, 0.06)
    return SampleYear(tweets, notes, deleted, mentions, followers, following)


def choose_followers(rng: random.Random, ids: SnowflakeFactory, users: list[Account]) -> list[str]:
    """Choose follower ids: most mention authors plus invented accounts."""
    followers = [user.id for user in users if rng.random() < 0.8]
    return fill_account_ids(rng, ids, followers, FOLLOWER_COUNT)


def choose_following(
    rng: random.Random, ids: SnowflakeFactory, users: list[Account], organisations: list[Organisation]
) -> list[str]:
    following = [organisation.account.id for organisation in organisations]
    following.extend(user.id for user in users if rng.random() < 0.35)
    return fill_account_ids(rng, ids, following, FOLLOWING_COUNT)


def fill_account_ids(rng: random.Random, ids: SnowflakeFactory, chosen: list[str], total: int) -> list[str]:
    """Add invented account ids until there are ``total`` distinct ones, then shuffle them."""
    seen = set(chosen)
    while len(chosen) < total:
        account_id = make_account_id(rng, ids)[1]
        if account_id not in seen and account_id != ACCOUNT_ID:
            seen.add(account_id)
            chosen.append(account_id)
    rng.shuffle(chosen)
    return chosen


def shuffle_neighbours(rng: random.Random, items: list[Any], rate: float) -> list[Any]:
    """Swap some neighbouring items, because real exports are only roughly newest first."""
    result = list(items)
    for index in range(len(result) - 1):
        if rng.random() < rate:
            result[index], result[index + 1] = result[index + 1], result[index]
    return result
