"""Fictional accounts: the library, invented community users and organisations."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from metrics.sample import ACCOUNT_ID, DISPLAY_NAME, HANDLE
from metrics.sample.texts import (
    FIRST_NAMES_EN,
    FIRST_NAMES_FR,
    LAST_NAMES,
    ORGANISATION_SPECS,
    USER_ROLES_EN,
    USER_ROLES_FR,
)
from metrics.sample.timeline import SnowflakeFactory

FOLLOWER_COUNT = 437
FOLLOWING_COUNT = 152


@dataclass(frozen=True)
class Account:
    """A fictional X account: the library, a community user or an organisation."""

    id: str
    username: str
    name: str
    lang: str
    created_at: datetime
    followers: int
    following: int
    tweet_count: int
    listed: int
    description: str


@dataclass(frozen=True)
class Organisation:
    """A fictional community organisation whose posts the library retweets and quotes."""

    account: Account
    posts: tuple[tuple[str, str, tuple[int, ...]], ...]


LIBRARY = Account(
    id=ACCOUNT_ID,
    username=HANDLE,
    name=DISPLAY_NAME,
    lang="en",
    created_at=datetime(2021, 11, 14, 21, 41, 40, 145000, tzinfo=timezone.utc),
    followers=FOLLOWER_COUNT,
    following=FOLLOWING_COUNT,
    tweet_count=2874,
    listed=31,
    description=(
        "Health sciences library for Northbrook's hospitals, clinics and university. "
        "Service in English and French. Bibliothèque des sciences de la santé."
    ),
)


def create_community_users(rng: random.Random, ids: SnowflakeFactory, count: int) -> list[Account]:
    """Create invented community accounts, roughly a quarter of them French-speaking."""
    users = []
    taken_usernames = {HANDLE.lower()}
    while len(users) < count:
        lang = "fr" if rng.random() < 0.27 else "en"
        user = create_community_user(rng, ids, lang)
        if user.username.lower() in taken_usernames:
            continue
        taken_usernames.add(user.username.lower())
        users.append(user)
    return users


def create_community_user(rng: random.Random, ids: SnowflakeFactory, lang: str) -> Account:
    first = rng.choice(FIRST_NAMES_FR if lang == "fr" else FIRST_NAMES_EN)
    last = rng.choice(LAST_NAMES)
    title, description = rng.choice(USER_ROLES_FR if lang == "fr" else USER_ROLES_EN)
    name = f"{first} {last}, {title}" if title else f"{first} {last}"
    username = make_username(rng, first, last)
    created_at, user_id = make_account_id(rng, ids)
    return Account(
        id=user_id,
        username=username,
        name=name,
        lang=lang,
        created_at=created_at,
        followers=int(rng.lognormvariate(5.0, 1.1)),
        following=int(rng.lognormvariate(5.6, 0.8)),
        tweet_count=int(rng.lognormvariate(7.0, 1.3)),
        listed=rng.randint(0, 12),
        description=description,
    )


def make_username(rng: random.Random, first: str, last: str) -> str:
    plain_first = strip_accents(first)
    plain_last = strip_accents(last).replace("-", "")
    patterns = (
        f"{plain_first}{plain_last}",
        f"{plain_first.lower()}_{plain_last.lower()}",
        f"{plain_first[0]}{plain_last}{rng.randint(1, 99)}",
        f"{plain_first}{plain_last[0]}_{rng.choice(('RN', 'MD', 'PhD', 'Health', 'Sante'))}",
        f"{plain_last.lower()}{rng.randint(70, 99)}",
    )
    return rng.choice(patterns)[:15]


def strip_accents(text: str) -> str:
    table = str.maketrans("àâäéèêëîïôöùûüçÀÂÉÈÊÎÔÙÛÇ", "aaaeeeeiioouuucAAEEEIOUUC")
    return text.translate(table)


def make_account_id(rng: random.Random, ids: SnowflakeFactory) -> tuple[datetime, str]:
    """Return a creation time and an id: 32-bit ids before 2014, snowflake ids later."""
    if rng.random() < 0.3:
        created_at = datetime(2009, 1, 1, tzinfo=timezone.utc) + timedelta(
            seconds=rng.randint(0, 5 * 365 * 86400)
        )
        return created_at, str(rng.randint(14_000_000, 2_400_000_000))
    created_at = datetime(2014, 1, 1, tzinfo=timezone.utc) + timedelta(
        seconds=rng.randint(0, 11 * 365 * 86400), milliseconds=rng.randint(0, 999)
    )
    return created_at, str(ids.make_id(created_at))


def create_organisations(rng: random.Random, ids: SnowflakeFactory) -> list[Organisation]:
    organisations = []
    for username, name, lang, posts in ORGANISATION_SPECS:
        created_at, account_id = make_account_id(rng, ids)
        account = Account(
            id=account_id,
            username=username,
            name=name,
            lang=lang,
            created_at=created_at,
            followers=rng.randint(800, 15000),
            following=rng.randint(150, 900),
            tweet_count=rng.randint(1500, 12000),
            listed=rng.randint(20, 200),
            description=f"Official account of {name}.",
        )
        organisations.append(Organisation(account=account, posts=posts))
    return organisations
