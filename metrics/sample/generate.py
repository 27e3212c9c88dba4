"""Generate the bundled sample X archive and twarc2 mentions file, and benchmark tweet files.

The sample covers one year (2025-12-01 to 2026-11-30 UTC) of a fictional Canadian health
library. ``sample-archive.zip`` follows the 2022-and-later export layout (``data/tweets.js``
with ``edit_info``, ``data/note-tweet.js``, ``data/manifest.js``), and
``sample-mentions.jsonl`` contains the pages that ``twarc2 mentions`` (twarc 2.14.1) writes:
one X API v2 response page per line. Replies in the archive answer question mentions
from the JSONL file, so the two files can be joined.

Every person, organisation, id and e-mail address is invented. Every run writes the same
bytes because all randomness comes from ``random.Random`` with fixed seeds and nothing
depends on the clock, time zone, locale or hash seed. The zip is the exception across
machines: its deflated bytes can differ with another zlib build.

Run ``python -m metrics.sample.generate`` to rewrite the files in ``DATA_DIR``.
"""

from __future__ import annotations

import json
import math
import random
import re
import string
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlencode

from metrics.sample import (
    ACCOUNT_ID,
    ARCHIVE_PATH,
    DATA_DIR,
    DISPLAY_NAME,
    HANDLE,
    MENTIONS_PATH,
    OWN_DOMAINS,
)

T = TypeVar("T")

SAMPLE_SEED = 20261130
YEAR_START = datetime(2025, 12, 1, tzinfo=timezone.utc)
GENERATION_TIME = datetime(2026, 11, 30, 6, 0, tzinfo=timezone.utc)
MENTIONS_RETRIEVED_AT = datetime(2026, 11, 30, 6, 20, 7, tzinfo=timezone.utc)
ZIP_DATE_TIME = (2026, 11, 30, 6, 0, 0)
ACCOUNT_EMAIL = "library@northbrook-hsl.example"

# Snowflake ids store milliseconds since this epoch (2010-11-04T01:42:54.657Z) in their
# bits above 22. The low 22 bits are a machine id and a sequence number.
TWITTER_EPOCH_MS = 1288834974657
UNIX_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)

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

WEB_APP_SOURCE = '<a href="https://mobile.twitter.com" rel="nofollow">Twitter Web App</a>'
IPHONE_SOURCE = '<a href="http://twitter.com/download/iphone" rel="nofollow">Twitter for iPhone</a>'
HOOTSUITE_SOURCE = '<a href="https://www.hootsuite.com" rel="nofollow">Hootsuite Inc.</a>'
SOURCES = (WEB_APP_SOURCE, HOOTSUITE_SOURCE, IPHONE_SOURCE)
SOURCE_WEIGHTS = (55, 35, 10)

DEFAULT_PROFILE_IMAGE = "https://abs.twimg.com/sticky/default_profile_images/default_profile_normal.png"

# strftime("%a %b") follows the locale, and the archive always uses English names.
WEEKDAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Relative posting volume: quiet over the holidays and in summer, busy at term starts
# and in October (Open Access Week).
MONTH_ACTIVITY = {
    12: 0.7, 1: 1.15, 2: 1.0, 3: 1.2, 4: 1.0, 5: 0.9,
    6: 0.75, 7: 0.55, 8: 0.6, 9: 1.35, 10: 1.25, 11: 1.0,
}
LIBRARY_WEEKDAY_ACTIVITY = (1.1, 1.2, 1.2, 1.1, 0.8, 0.12, 0.08)
MENTION_WEEKDAY_ACTIVITY = (1.1, 1.2, 1.2, 1.1, 0.9, 0.5, 0.45)
LIBRARY_POSTS_PER_DAY = 2.0
MENTIONS_PER_DAY = 0.72

# Library posting hours in UTC: 13:00 to 22:30 is 8:00 to 17:30 in Toronto in winter.
WORK_DAY_SECONDS = (13 * 3600, 22 * 3600 + 1800)
# Community users post from 11:00 UTC to 03:00 UTC the next day.
USER_DAY_SECONDS = (11 * 3600, 27 * 3600)

FOLLOWER_COUNT = 437
FOLLOWING_COUNT = 152
MAX_TWEET_LENGTH = 280
RETWEET_TEXT_LENGTH = 140
DISPLAY_URL_LENGTH = 26
# A hashtag needs at least one letter, so "#1" is not one.
HASHTAG_PATTERN = re.compile(r"(?<![\w&])#(\w*[^\W\d]\w*)")

OWN_DOMAIN = OWN_DOMAINS[0]
OWN_LINKS = {
    "hours": f"https://{OWN_DOMAIN}/hours",
    "book": f"https://www.{OWN_DOMAIN}/services/book-a-librarian",
    "workshops": f"https://www.{OWN_DOMAIN}/workshops",
    "remote": f"https://guides.{OWN_DOMAIN}/remote-access",
    "sysrev": f"https://guides.{OWN_DOMAIN}/systematic-reviews",
    "citations": f"https://guides.{OWN_DOMAIN}/citation-managers",
    "loan": f"https://www.{OWN_DOMAIN}/services/interlibrary-loan",
    "rooms": f"https://{OWN_DOMAIN}/study-rooms",
    "french": f"https://guides.{OWN_DOMAIN}/fr/ressources-en-francais",
    "news": f"https://www.{OWN_DOMAIN}/news/2026/new-databases",
    "openaccess": f"https://guides.{OWN_DOMAIN}/open-access",
    "patients": f"https://guides.{OWN_DOMAIN}/patient-information",
    "statistics": f"https://guides.{OWN_DOMAIN}/health-statistics",
    "pubmed": f"https://guides.{OWN_DOMAIN}/pubmed",
}
EXTERNAL_LINKS = {
    "flu": "https://www.canada.ca/en/public-health/services/diseases/flu-influenza.html",
    "vaccins": "https://www.canada.ca/fr/sante-publique/services/immunisation-vaccins.html",
    "food": "https://food-guide.canada.ca/en/",
    "handhygiene": "https://www.who.int/campaigns/world-hand-hygiene-day",
    "diabetes": "https://www.who.int/news-room/fact-sheets/detail/diabetes",
    "mentalhealth": "https://www.who.int/news-room/fact-sheets/detail/mental-health-strengthening-our-response",
    "waittimes": "https://www.cihi.ca/en/wait-times-for-priority-procedures-in-canada",
    "workforce": "https://www.cihi.ca/en/health-workforce-in-canada",
    "attente": "https://www.cihi.ca/fr/temps-dattente-pour-les-interventions-prioritaires-au-canada",
}


# --------------------------------------------------------------------------- people


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

FIRST_NAMES_EN = (
    "Amira", "Ben", "Chloe", "Dev", "Erin", "Farah", "Gavin", "Hana", "Isaac", "Jess",
    "Kiran", "Liam", "Maya", "Noor", "Owen", "Priya", "Quinn", "Rosa", "Sam", "Tara",
    "Uma", "Victor", "Wen", "Yusuf", "Zoe",
)
FIRST_NAMES_FR = (
    "Amélie", "Benoît", "Camille", "Denis", "Élodie", "François", "Geneviève", "Hugo",
    "Inès", "Julien", "Karine", "Louis", "Mélanie", "Nathalie", "Olivier", "Pascale",
    "Rémi", "Sophie", "Thierry", "Valérie",
)
LAST_NAMES = (
    "Abara", "Beaulieu", "Carver", "Desrosiers", "Eastwood", "Fontaine", "Gill", "Halvorsen",
    "Iqbal", "Jarvis", "Kowalczyk", "Lacroix", "Mensah", "Nakamura", "Okafor", "Pelletier",
    "Quenneville", "Rahman", "Sandoval", "Tremblay-Hart", "Underhill", "Vaillancourt",
    "Whitlock", "Xu", "Yilmaz", "Zielinski",
)
USER_ROLES_EN = (
    ("RN", "Registered nurse, Northbrook General. Views my own."),
    ("MD", "Family medicine resident. Coffee and evidence."),
    ("PhD", "PhD candidate in epidemiology at Northbrook U."),
    ("", "Nursing student, class of 2027."),
    ("", "Physiotherapist and lifelong learner."),
    ("PharmD", "Hospital pharmacist. Drug information nerd."),
    ("", "Caregiver, patient partner and health literacy advocate."),
    ("", "Research coordinator, clinical trials unit."),
)
USER_ROLES_FR = (
    ("inf.", "Infirmière clinicienne. Opinions personnelles."),
    ("", "Étudiante en sciences infirmières."),
    ("MD", "Médecin de famille, Northbrook Est."),
    ("", "Chercheur en santé publique."),
    ("", "Proche aidant et patient partenaire."),
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


# Organisations: (username, name, language, posts). Each post is (language, text,
# months when it fits, or () for all year).
ORGANISATION_SPECS = (
    ("NorthbrookPH", "Northbrook Public Health", "en", (
        ("en", "Flu shots are now available at all Northbrook Public Health clinics. Walk-ins welcome Monday to Friday, and bring your health card.", (10, 11, 12)),
        ("en", "Heat warning in effect for Northbrook today and tomorrow. Drink water often, check on older neighbours and never leave anyone in a parked car. #PublicHealth", (6, 7, 8)),
        ("en", "New data: 68% of Northbrook adults report getting enough physical activity, up from 61% in 2022. Full community health report on our site.", ()),
        ("en", "Measles cases are rising in the region. Check your vaccination records and talk to your health care provider if you are not sure. #PublicHealth", (2, 3, 4)),
        ("en", "Free naloxone kits are available at all our clinics and at participating pharmacies. No ID needed.", ()),
        ("fr", "La vaccination contre la grippe est offerte dans toutes nos cliniques. Aucun rendez-vous nécessaire du lundi au vendredi. #SantéPublique", (10, 11, 12)),
        ("fr", "Avertissement de chaleur pour Northbrook aujourd'hui et demain. Buvez de l'eau souvent et prenez des nouvelles de vos proches. #SantéPublique", (6, 7, 8)),
    )),
    ("LakeshoreFHT", "Lakeshore Family Health Team", "en", (
        ("en", "Our diabetes education group starts again in January: six weekly sessions with a dietitian and a nurse educator. Ask your family doctor for a referral.", (11, 12)),
        ("en", "Thank you to everyone who came to our community health fair on Saturday! Over 300 blood pressure checks and 40 new patients registered.", (5, 6, 9)),
        ("en", "Reminder: our clinic is closed on statutory holidays. For urgent care, call Health811 or visit the Northbrook General emergency department.", ()),
        ("en", "Our smoking cessation program is free and starts every month. Nicotine replacement therapy is included.", ()),
    )),
    ("NBUNursing", "Northbrook University School of Nursing", "en", (
        ("en", "Congratulations to the 2026 graduating class of the BScN program! 184 new nurses are ready to care for our communities. #NursingEd", (6,)),
        ("en", "Our simulation lab is now open for evening practice sessions. Book a slot through the student portal. #NursingEd", ()),
        ("en", "Call for abstracts: Northbrook Nursing Research Day 2026. Students and clinicians welcome, deadline March 15.", (1, 2, 3)),
        ("en", "Clinical placement assignments for the winter term are now posted on the student portal.", (11, 12)),
    )),
    ("NBUMedicine", "Northbrook University Faculty of Medicine", "en", (
        ("en", "Welcome to our new family medicine residents! 42 residents start at six teaching sites across the region this week. #MedEd", (7,)),
        ("en", "Grand rounds this Thursday: deprescribing in older adults, with practical cases from our geriatrics team. Hybrid format, all staff welcome.", ()),
        ("en", "Our Indigenous health curriculum now includes a two-week community placement for all second-year students. #MedEd", ()),
        ("en", "Applications for summer research studentships close February 28. Projects in 30+ labs and clinics.", (1, 2)),
    )),
    ("MapleHealthLibs", "Maple Health Libraries Network", "en", (
        ("en", "Registration is open for our spring webinar series on expert searching, AI tools and evidence synthesis. Free for network members. #MedLibs", (2, 3, 4)),
        ("en", "It's #OpenAccessWeek! Our members have helped researchers deposit over 1,200 articles in open repositories this year. #OpenAccess", (10,)),
        ("en", "New shared guide: finding Canadian grey literature for health policy reviews. Written by librarians from 14 member libraries. #MedLibs", ()),
        ("en", "Our annual conference is in Northbrook this June. Call for posters closes in two weeks! #MedLibs", (2, 3)),
    )),
    ("NorthbrookCHC", "Northbrook Community Health Centre", "en", (
        ("en", "Our free income tax clinic helps seniors and newcomers get the benefits they are owed. Appointments in English, French, Arabic and Tagalog.", (2, 3, 4)),
        ("en", "Mental health walk-in counselling is available every Wednesday from 12 to 7 pm. No referral or health card needed.", ()),
        ("en", "Our community kitchen is looking for volunteers on Tuesday and Thursday mornings. Food handler training provided.", ()),
    )),
    ("ReseauSanteNord", "Réseau Santé Nord", "fr", (
        ("fr", "Nouveau répertoire des services de santé en français dans la région de Northbrook. Plus de 120 professionnels y sont inscrits. #SantéPublique", ()),
        ("fr", "Webinaire gratuit le 12 mars : comment parler de santé mentale avec les adolescents. Inscription sur notre site. #LittératieEnSanté", (2, 3)),
        ("fr", "Merci aux bénévoles qui ont accompagné plus de 500 patients francophones cette année dans nos hôpitaux partenaires.", (11, 12)),
        ("fr", "Vous êtes un professionnel de la santé qui parle français? Inscrivez-vous à notre répertoire régional.", ()),
    )),
    ("NorthbrookGen", "Northbrook General Hospital", "en", (
        ("en", "Our new emergency department waiting room opens Monday, with 40% more seating and a dedicated pediatric area.", (5,)),
        ("en", "Visiting hours are changing on the medicine units starting April 1: 8 am to 9 pm, two visitors at a time. Thank you for helping our patients rest.", (3,)),
        ("en", "We are hiring! Registered nurses, respiratory therapists and unit clerks. Full-time and part-time positions available.", ()),
        ("en", "Thank you to our 600 volunteers, who gave more than 45,000 hours to patients and families this year.", (4,)),
    )),
)


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


# --------------------------------------------------------------------------- time and ids


class SnowflakeFactory:
    """Make unique X snowflake ids whose timestamp bits match a given moment."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._used: set[int] = set()

    def make_id(self, moment: datetime) -> int:
        elapsed_ms = to_epoch_ms(moment) - TWITTER_EPOCH_MS
        if elapsed_ms < 0:
            raise ValueError(f"snowflake ids start at 2010-11-04, got {moment.isoformat()}")
        while True:
            candidate = (elapsed_ms << 22) | self._rng.getrandbits(22)
            if candidate not in self._used:
                self._used.add(candidate)
                return candidate


def to_epoch_ms(moment: datetime) -> int:
    return (moment - UNIX_EPOCH) // timedelta(milliseconds=1)


def format_archive_time(moment: datetime) -> str:
    """Format a UTC time like the archive's ``created_at``: ``Thu Nov 03 08:50:26 +0000 2022``."""
    weekday = WEEKDAY_NAMES[moment.weekday()]
    month = MONTH_NAMES[moment.month - 1]
    return f"{weekday} {month} {moment.day:02d} {moment:%H:%M:%S} +0000 {moment.year}"


def format_iso_time(moment: datetime) -> str:
    """Format a UTC time with milliseconds, like ``2026-03-04T15:20:11.000Z``."""
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


def pick_moment(rng: random.Random, day: datetime, seconds_range: tuple[int, int]) -> datetime:
    seconds = rng.randint(*seconds_range)
    return day + timedelta(seconds=seconds, milliseconds=rng.randint(0, 999))


def draw_poisson(rng: random.Random, mean: float) -> int:
    limit = math.exp(-mean)
    count = 0
    product = rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def iterate_days(start: datetime, end: datetime) -> Iterator[datetime]:
    day = start
    while day < end:
        yield day
        day += timedelta(days=1)


# --------------------------------------------------------------------------- links and text


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


EXAM_MONTHS = (4, 12)
FLU_MONTHS = (10, 11, 12, 1, 2)

# Library posts: (language, text, link key or "", hashtags, months when the post fits,
# or () for all year). A link key is resolved by resolve_link, and "{day}" or "{topic}"
# placeholders are filled from the lists below.
ORIGINAL_TEMPLATES = (
    ("en", "Working from home? UpToDate, DynaMed and ClinicalKey all work off campus with your hospital login.", "own:remote", ("MedLibs",), ()),
    ("en", "Need help with a literature search? Book a 30-minute consult with one of our librarians, in person or online.", "own:book", ("EBP",), ()),
    ("en", "Our next workshop, {topic}, runs {day} at noon in room B214 and on Teams. Everyone is welcome.", "own:workshops", ("MedLibs",), ()),
    ("en", "Planning a systematic review? Talk to us before you register your protocol: we can help with the question, the databases and the search strategy.", "own:sysrev", ("SysRev", "EBP"), ()),
    ("en", "New in the collection: {resource}. Available now for all Northbrook staff, students and physicians.", "own:news", (), ()),
    ("en", "Zotero or EndNote? Our updated guide compares the two and shows how to move your references from one to the other.", "own:citations", (), ()),
    ("en", "Can't find the full text? Request it through interlibrary loan & most articles arrive within two business days.", "own:loan", (), ()),
    ("en", "Group study rooms on the 2nd floor can now be booked up to two weeks ahead.", "own:rooms", (), ()),
    ("en", "Looking for plain-language health information for your patients? Our patient information guide lists trusted sources in English and French.", "own:patients", ("HealthLit",), ()),
    ("en", "Open access doesn't have to mean high fees. Our guide explains green OA, read & publish agreements and how to spot predatory journals.", "own:openaccess", ("OpenAccess",), ()),
    ("en", "Where do you find Canadian health statistics? Start with our guide, then ask us if you get stuck.", "own:statistics", (), ()),
    ("en", "Flu season is here. Canada's public health pages have the latest on vaccines, symptoms and when to see a doctor.", "ext:flu", ("PublicHealth",), FLU_MONTHS),
    ("en", "Canada's food guide is a great starting point for patient conversations about healthy eating.", "ext:food", ("HealthLit",), ()),
    ("en", "Clean hands save lives. The WHO campaign page has posters and training material in several languages.", "ext:handhygiene", ("PublicHealth",), (4, 5)),
    ("en", "The WHO fact sheet on diabetes is a clear, well-referenced overview for students.", "ext:diabetes", ("HealthLit",), ()),
    ("en", "New CIHI data on wait times for priority procedures across Canada.", "ext:waittimes", (), ()),
    ("en", "How many nurses, physicians and pharmacists work in each province? CIHI's health workforce data has the numbers.", "ext:workforce", (), ()),
    ("en", "New Cochrane review worth a look for anyone working in {field}.", "cochrane", ("EBP",), ()),
    ("en", "Interesting new study on {field} from a Canadian team, open access.", "pubmed", ("OpenAccess",), ()),
    ("en", "Just published: a trial on {field} that our clinicians have been asking about. Full text through the library.", "pubmed", (), ()),
    ("en", "Reminder: the library is open until 10 pm Monday to Thursday during exams. Quiet floors are on levels 3 and 4.", "", (), EXAM_MONTHS),
    ("en", "Our librarians are at the Northbrook General cafeteria {day} from 11 to 1. Come with your search questions!", "", ("MedLibs",), ()),
    ("en", "Did you know? You can set up PubMed alerts so new articles on your topic land in your inbox every week.", "own:pubmed", ("EBP",), ()),
    ("en", "Thank you to the 40+ residents who came to our evidence-based medicine bootcamp this week!", "", ("MedEd",), (7, 9)),
    ("en", "Quiet study space, fast Wi-Fi, free printing for students & friendly staff. See you at the library!", "", (), ()),
    ("fr", "En télétravail? UpToDate, DynaMed et ClinicalKey sont accessibles hors campus avec votre code d'accès de l'hôpital.", "own:remote", ("BiblioSanté",), ()),
    ("fr", "Besoin d'aide pour une recherche documentaire? Prenez rendez-vous avec une bibliothécaire, en personne ou en ligne.", "own:book", ("BiblioSanté",), ()),
    ("fr", "Notre prochain atelier, {topic_fr}, aura lieu {day_fr} à midi, salle B214 et sur Teams.", "own:workshops", (), ()),
    ("fr", "Vous cherchez de l'information sur la santé en français pour vos patients? Consultez notre guide de ressources.", "own:french", ("LittératieEnSanté",), ()),
    ("fr", "La saison de la grippe est arrivée. Le gouvernement du Canada publie l'information à jour sur la vaccination.", "ext:vaccins", ("SantéPublique",), FLU_MONTHS),
    ("fr", "Nouvelles données de l'ICIS sur les temps d'attente au Canada.", "ext:attente", ("SantéPublique",), ()),
    ("fr", "Nouvelle revue Cochrane sur {field_fr}, disponible en texte intégral.", "cochrane", (), ()),
    ("fr", "Le libre accès, ce n'est pas seulement payer des frais de publication. Notre guide explique les autres options.", "own:openaccess", ("LibreAccès",), ()),
    ("fr", "Rappel : la bibliothèque est ouverte jusqu'à 22 h du lundi au jeudi pendant les examens.", "", (), EXAM_MONTHS),
    ("fr", "Merci aux étudiantes et étudiants venus à notre atelier sur PubMed cette semaine!", "", ("BiblioSanté",), ()),
    ("en", "Welcome, new students! Drop by the service desk for a library card, a Wi-Fi login and a tour of the building.", "", ("MedLibs",), (9,)),
    ("en", "Summer hours start Monday: 8 am to 6 pm on weekdays, closed on weekends. Online resources are available 24/7.", "own:hours", (), (6, 7, 8)),
    ("en", "It's #OpenAccessWeek! Ask us how to publish open access without paying twice.", "own:openaccess", ("OpenAccess",), (10,)),
    ("en", "Our 3D anatomy tables are back on the 2nd floor. Book a 1-hour slot for your study group.", "own:rooms", (), ()),
    ("en", "Writing a thesis? Our graduate research support page covers searching, citing, data management & copyright.", "own:book", (), ()),
    ("en", "Clinicians on nights: our point-of-care tools work around the clock, and you can leave us a search request anytime.", "own:remote", ("MedLibs",), ()),
    ("en", "How reliable is that health website? Five questions to ask before you share it with a patient.", "own:patients", ("HealthLit",), ()),
    ("en", "We now lend laptops for up to 4 hours. Ask at the service desk with your staff or student ID.", "", (), ()),
    ("en", "Mental health resources for students and staff, from self-help books to evidence-based apps, are now in one guide.", "ext:mentalhealth", ("HealthLit",), ()),
    ("fr", "Bienvenue aux nouveaux étudiants! Passez au comptoir pour votre carte de bibliothèque et une visite guidée.", "", ("BiblioSanté",), (9,)),
    ("fr", "C'est la Semaine du libre accès! Demandez-nous comment publier en libre accès sans payer deux fois.", "own:openaccess", ("LibreAccès",), (10,)),
    ("fr", "Nous prêtons maintenant des ordinateurs portables pour 4 heures. Informez-vous au comptoir.", "", (), ()),
    ("fr", "Horaire d'été à partir de lundi : de 8 h à 18 h en semaine, fermé la fin de semaine.", "own:hours", (), (6, 7, 8)),
)
TIP_TEMPLATES = (
    ("en", "Use quotation marks to search for an exact phrase: \"heart failure\" finds far fewer irrelevant results than heart failure.", ("TipTuesday",)),
    ("en", "Truncation saves time: nurs* finds nurse, nurses, nursing and nursery. Check the database's help page, because the symbol varies.", ("TipTuesday",)),
    ("en", "Searching PubMed? Try the MeSH database first to find the right subject heading for your topic.", ("TipTuesday", "EBP")),
    ("en", "Filters for study type (RCT, systematic review) are on the left of PubMed's results page.", ("TipTuesday",)),
    ("en", "Keep a search log: databases, dates, terms and number of results. Your future self (and your reviewers) will thank you.", ("TipTuesday", "SysRev")),
    ("en", "Combine synonyms with OR and concepts with AND: (teen OR adolescent) AND (vaping OR e-cigarette).", ("TipTuesday",)),
    ("en", "Not sure a journal is legitimate? Check whether it is indexed in MEDLINE or listed in DOAJ before you submit.", ("TipTuesday", "OpenAccess")),
    ("en", "Google Scholar can show links to our full text: add Northbrook Health Sciences Library under Settings > Library links.", ("TipTuesday",)),
    ("fr", "Utilisez les guillemets pour chercher une expression exacte : \"insuffisance cardiaque\".", ("AstuceDuMardi",)),
    ("fr", "La troncature fait gagner du temps : infirmi* trouve infirmier, infirmière et infirmières.", ("AstuceDuMardi",)),
    ("fr", "Combinez les synonymes avec OU et les concepts avec ET dans vos recherches documentaires.", ("AstuceDuMardi",)),
)
# Threads: (language, posts, months when the thread fits, or () for all year).
THREAD_SCRIPTS = (
    ("en", (
        "How to start a literature search in five steps 🧵",
        "1. Turn your question into PICO: patient or population, intervention, comparison, outcome.",
        "2. List synonyms for each concept, including spelling variants and the subject headings (MeSH) the databases use.",
        "3. Combine synonyms with OR and concepts with AND, then test the search and adjust. Still stuck? Book a consult with us.",
    ), ()),
    ("en", (
        "Thinking about a systematic review? A few things we wish every team knew before starting 🧵",
        "Check PROSPERO and the Cochrane Library first: someone may already be doing your review.",
        "Budget time: a thorough search and screening often take three to six months for a small team.",
    ), ()),
    ("en", (
        "Predatory journals are sending more invitations than ever. How to spot one:",
        "Promises of peer review in days, vague editorial boards, and fees that only appear after acceptance.",
        "Not sure? Send us the journal name and we'll check it for you.",
    ), ()),
    ("en", (
        "Our holiday hours are now posted. Quick summary 🧵",
        "Dec 24: open 8 am to noon. Dec 25 and 26: closed. Dec 27 to 30: 9 am to 5 pm.",
        "Dec 31: 8 am to noon. Jan 1: closed. Online resources stay available 24/7.",
    ), (12,)),
    ("fr", (
        "Comment bien commencer une recherche documentaire 🧵",
        "1. Formulez votre question avec le modèle PICO : population, intervention, comparaison, résultat.",
        "2. Trouvez des synonymes et les descripteurs (MeSH) pour chaque concept, puis combinez-les avec OU et ET.",
    ), ()),
    ("fr", (
        "Nos heures d'ouverture pour les fêtes sont maintenant en ligne 🧵",
        "24 décembre : 8 h à midi. 25 et 26 décembre : fermé. Les ressources en ligne restent accessibles en tout temps.",
    ), (12,)),
    ("en", (
        "New to evidence-based practice? Here's the 5-minute version 🧵",
        "Ask a focused clinical question, find the best evidence, appraise it, apply it with your patient, and evaluate the result.",
        "Point-of-care tools like DynaMed cover steps 2 and 3 for many common questions. We can show you how.",
    ), ()),
)
QUOTE_COMMENTS = (
    ("en", "Great resource from our partners."),
    ("en", "Worth sharing with your patients 👇"),
    ("en", "Useful for anyone teaching or learning in this area."),
    ("en", "Congratulations! We're proud to support this work."),
    ("en", "Our librarians can help you find the evidence behind this."),
    ("fr", "Une belle initiative de nos partenaires."),
    ("fr", "À partager avec vos patients francophones 👇"),
)
WORKSHOP_TOPICS = (
    "PubMed basics", "Searching CINAHL for nursing research", "Zotero in one hour",
    "Finding grey literature", "AI tools for literature searching", "Evidence summaries at the bedside",
)
WORKSHOP_TOPICS_FR = ("Les bases de PubMed", "Zotero en une heure", "Trouver la littérature grise")
RESOURCES = (
    "Covidence for systematic review screening", "the BMJ Best Practice point-of-care tool",
    "JoVE science videos", "the Lexicomp drug database", "Ovid Emcare for nursing research",
    "the latest edition of Harrison's Principles of Internal Medicine online",
)
FIELDS_EN = (
    "falls prevention in older adults", "pediatric asthma", "deprescribing", "sepsis care",
    "pressure injuries", "postpartum depression", "antimicrobial stewardship", "chronic pain",
)
FIELDS_FR = ("la prévention des chutes", "l'asthme chez l'enfant", "la douleur chronique")
DAYS_EN = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
DAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi")

# Long posts stored in note-tweet.js: (date, language, text, link key). "{link}" marks
# where the t.co link goes.
NOTE_POSTS = (
    (datetime(2026, 1, 14, 15, 5, 12, 318000, tzinfo=timezone.utc), "en",
     "We are changing how article requests work this winter, and we want you to hear it from us first. "
     "Starting February 2, interlibrary loan requests go through one form on our website instead of e-mail. "
     "You will get a tracking number, an estimated delivery date and a message when your article is ready. "
     "Most articles will still arrive within two business days, and rush requests for patient care stay free. "
     "If you have saved searches or alerts that send requests by e-mail, we can help you update them. "
     "Questions? Reply here, drop by the service desk or book a short call with a librarian: {link} #MedLibs",
     "own:loan"),
    (datetime(2026, 5, 20, 14, 30, 45, 77000, tzinfo=timezone.utc), "fr",
     "Nous avons une bonne nouvelle pour les équipes de recherche francophones de la région. "
     "À partir de juin, la bibliothèque offre un service de soutien aux revues systématiques entièrement en français : "
     "formulation de la question, choix des bases de données, stratégie de recherche, gestion des références et "
     "rédaction de la section méthodologique. Les consultations se font en personne ou sur Teams, et la première "
     "rencontre est gratuite pour tout le personnel et les étudiants. Écrivez-nous pour prendre rendez-vous. #BiblioSanté",
     ""),
    (datetime(2026, 10, 20, 16, 0, 3, 512000, tzinfo=timezone.utc), "en",
     "It's #OpenAccessWeek, so here is what open access looked like at Northbrook this year. "
     "Our read and publish agreements covered the article fees for 212 papers by Northbrook authors, "
     "saving research teams an estimated $480,000. Another 95 papers were deposited in the university repository, "
     "so anyone can read them for free. If you are about to submit a paper, check our guide first: your fees may already "
     "be covered, and we can check a journal for you before you send it anything. {link} #OpenAccess",
     "own:openaccess"),
)
# Posts that were edited once: (time, first version, corrected version, minutes to the edit).
EDITED_POSTS = (
    (datetime(2026, 2, 9, 14, 12, 40, 204000, tzinfo=timezone.utc),
     "Reminder: the library closes at 5 pm on Friday, February 14 for staff training. Online resources stay availble.",
     "Reminder: the library closes at 5 pm on Friday, February 13 for staff training. Online resources stay available.",
     6),
    (datetime(2026, 9, 16, 17, 45, 2, 950000, tzinfo=timezone.utc),
     "Our PubMed workshop is moving to room B124 this Thursday.",
     "Our PubMed workshop is moving to room B214 this Thursday. Same time, same Teams link.",
     11),
)
# Posts deleted within the 14 days before the export, which is what deleted-tweets.js contains:
# (created, deleted, language, text, link key or "").
DELETED_POSTS = (
    (datetime(2026, 11, 17, 15, 30, 11, 402000, tzinfo=timezone.utc),
     datetime(2026, 11, 24, 13, 2, 55, tzinfo=timezone.utc),
     "en", "Our Zotero workshop is now on Dec 3 at noon. Register on our site.", "own:workshops"),
    (datetime(2026, 11, 25, 14, 0, 9, 18000, tzinfo=timezone.utc),
     datetime(2026, 11, 25, 14, 4, 30, tzinfo=timezone.utc),
     "en", "Test post please ignore", ""),
)


# --------------------------------------------------------------------------- library tweets


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


def render_expanded(value: Any, indent: str, parts: list[str]) -> None:
    """Append JSON in the 2022+ export style: one value per line, ``" : "`` after keys, ``[ ]`` when empty."""
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
            render_expanded(item, inner, parts)
            separator = ",\n"
        parts.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            parts.append("[ ]")
            return
        inner = indent + "  "
        parts.append("[\n")
        separator = ""
        for item in value:
            parts.append(separator)
            parts.append(inner)
            render_expanded(item, inner, parts)
            separator = ",\n"
        parts.append("\n" + indent + "]")
    else:
        parts.append(render_scalar(value))


def render_inline_arrays(value: Any, indent: str, parts: list[str]) -> None:
    """Append JSON in the 2019–2022 export style: objects one key per line, arrays on one line (``[ {`` … ``} ]``)."""
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
            render_inline_arrays(item, inner, parts)
            separator = ",\n"
        parts.append("\n" + indent + "}")
    elif isinstance(value, list):
        if not value:
            parts.append("[ ]")
            return
        parts.append("[ ")
        separator = ""
        for item in value:
            parts.append(separator)
            render_inline_arrays(item, indent, parts)
            separator = ", "
        parts.append(" ]")
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
        render_expanded(entry, "  ", parts)
    else:
        render_inline_arrays(entry, "", parts)
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
    render_expanded(config, "", parts)
    return "".join(parts)


# --------------------------------------------------------------------------- mentions


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


# Questions by topic: (topic, language, text). ANSWER_TEMPLATES has the library's reply for each topic.
QUESTION_TEMPLATES = (
    ("remote", "en", "Do you have access to UpToDate from home?"),
    ("remote", "en", "Is there a way to get into CINAHL off campus? My login keeps failing"),
    ("remote", "fr", "Comment accéder à CINAHL à distance?"),
    ("hours", "fr", "Est-ce que la bibliothèque est ouverte samedi?"),
    ("hours", "fr", "c'est-tu ouvert le dimanche?"),
    ("hours", "en", "Are you open on Saturday during exams?"),
    ("hours", "en", "What are your hours over the holidays?"),
    ("consult", "en", "How can I book a literature search consult?"),
    ("consult", "fr", "Pouvez-vous m'aider avec une recherche?"),
    ("consult", "en", "Can a librarian help with the search for my scoping review?"),
    ("loan", "en", "Can I get an article through interlibrary loan if you don't have it?"),
    ("loan", "fr", "Est-ce que je peux commander un article d'une autre bibliothèque?"),
    ("citations", "en", "Which citation manager do you support, Zotero or EndNote?"),
    ("rooms", "en", "How do I book a group study room?"),
    ("rooms", "fr", "Comment réserver une salle de travail en équipe?"),
    ("statistics", "en", "Looking for stats on ER wait times in Ontario, any idea where to start"),
    ("french", "fr", "Avez-vous des ressources en français sur le diabète pour les patients?"),
    ("alumni", "en", "Do alumni keep database access after graduation?"),
    ("covidence", "en", "Does the library have a Covidence licence for systematic reviews?"),
)
# Questions asked in reply to a library post. Workshop questions only follow workshop posts.
REPLY_QUESTION_TEMPLATES = (
    ("more", "en", "Where can I find more on this?"),
    ("more", "en", "Is there a guide on this I can share with my team?"),
    ("more", "fr", "Où puis-je trouver plus d'information là-dessus?"),
    ("french", "en", "Is this available in French too?"),
)
WORKSHOP_QUESTION_TEMPLATES = (
    ("recording", "en", "Will the session be recorded?"),
    ("recording", "en", "Is this open to students from other programs?"),
    ("recording", "fr", "Est-ce que l'atelier sera enregistré?"),
)
ANSWER_TEMPLATES = {
    ("remote", "en"): ("Yes! Sign in with your hospital ID through our remote access page and it works from anywhere.", "own:remote"),
    ("remote", "fr"): ("Oui! Connectez-vous avec votre code de l'hôpital sur notre page d'accès à distance.", "own:remote"),
    ("hours", "en"): ("We're open 10 am to 6 pm on weekends during exams. Full hours here:", "own:hours"),
    ("hours", "fr"): ("Oui, de 10 h à 18 h la fin de semaine pendant les examens. Tous nos horaires :", "own:hours"),
    ("consult", "en"): ("Absolutely. Book a consult with a librarian here and we'll get back to you within a day:", "own:book"),
    ("consult", "fr"): ("Avec plaisir! Prenez rendez-vous avec une bibliothécaire ici :", "own:book"),
    ("loan", "en"): ("Yes, request it through interlibrary loan & most articles arrive in two business days.", "own:loan"),
    ("loan", "fr"): ("Oui, faites une demande de prêt entre bibliothèques ici :", "own:loan"),
    ("citations", "en"): ("Both! We teach Zotero most often because it's free. Our guide compares them:", "own:citations"),
    ("citations", "fr"): ("Les deux! Notre guide compare Zotero et EndNote :", "own:citations"),
    ("rooms", "en"): ("You can book a room up to two weeks ahead here:", "own:rooms"),
    ("rooms", "fr"): ("Vous pouvez réserver jusqu'à deux semaines à l'avance ici :", "own:rooms"),
    ("statistics", "en"): ("CIHI is the best place to start, and our statistics guide lists other sources:", "own:statistics"),
    ("statistics", "fr"): ("L'ICIS est un bon point de départ. Notre guide présente d'autres sources :", "own:statistics"),
    ("french", "fr"): ("Oui! Notre guide de ressources en français a une section sur le diabète :", "own:french"),
    ("french", "en"): ("Yes, our French-language resources guide has a section on diabetes:", "own:french"),
    ("alumni", "en"): ("Alumni keep access to PubMed and our open resources, and you can still use everything on site.", ""),
    ("alumni", "fr"): ("Les diplômés gardent l'accès à PubMed et peuvent tout consulter sur place.", ""),
    ("covidence", "en"): ("Yes, we have an institutional Covidence licence. Details in our systematic review guide:", "own:sysrev"),
    ("covidence", "fr"): ("Oui, nous avons une licence Covidence. Détails dans notre guide :", "own:sysrev"),
    ("more", "en"): ("Our subject guides go further, and a librarian can help you dig deeper:", "own:book"),
    ("more", "fr"): ("Nos guides thématiques vont plus loin, et une bibliothécaire peut vous aider :", "own:book"),
    ("recording", "en"): ("Yes, the recording will be on our workshops page within a week.", "own:workshops"),
    ("recording", "fr"): ("Oui, l'enregistrement sera sur notre page des ateliers d'ici une semaine.", "own:workshops"),
}
THANKS_TEMPLATES = (
    ("en", "@{handle} thank you so much for the help with my search strategy yesterday!"),
    ("en", "@{handle} thanks for the quick answer, really appreciated"),
    ("fr", "Merci @{handle} pour l'atelier sur PubMed!"),
    ("fr", "@{handle} merci beaucoup pour votre aide 🙏"),
)
FOLLOW_UP_TEMPLATES = (
    ("en", "@{handle} thanks, that worked!"),
    ("en", "@{handle} perfect, thank you 🙌"),
    ("fr", "@{handle} super, merci!"),
)
SHOUT_OUT_TEMPLATES = (
    ("en", "Shout-out to @{handle} for the excellent session on evidence-based practice today #MedLibs"),
    ("en", "Big thanks to the team at @{handle} 🙌 Couldn't have finished my capstone without them #HealthLit"),
    ("en", "If you work at Northbrook and haven't met the librarians at @{handle} yet, you're missing out"),
    ("fr", "Bravo à l'équipe de @{handle} pour leur excellent guide en français #LittératieEnSanté"),
)
QUOTE_MENTION_TEMPLATES = (
    ("en", "Great resource from @{handle} for our residents"),
    ("en", "Saving this one, thanks @{handle}"),
    ("fr", "Très utile, merci @{handle}"),
)
LINK_ONLY_URLS = (
    "https://pubmed.ncbi.nlm.nih.gov/{number}/",
    "https://www.who.int/news-room/fact-sheets/detail/diabetes",
    "https://www.cihi.ca/en/health-workforce-in-canada",
)


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


# --------------------------------------------------------------------------- API v2 objects


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


# --------------------------------------------------------------------------- the sample year


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


# --------------------------------------------------------------------------- writing the sample


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


def write_mentions(path: Path, pages: list[dict[str, Any]]) -> None:
    """Write one page per line as twarc2 does: ``json.dumps`` defaults, so non-ASCII is escaped."""
    with path.open("w", encoding="utf-8", newline="\n") as output:
        for page in pages:
            output.write(json.dumps(page) + "\n")


def build_sample(out_dir: Path) -> tuple[Path, Path]:
    """Write ``sample-archive.zip`` and ``sample-mentions.jsonl`` into ``out_dir`` and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    sample = plan_sample(SAMPLE_SEED)
    pages = build_mention_pages(random.Random(SAMPLE_SEED), sample.mentions, {tweet.id for tweet in sample.deleted})
    archive_path = out_dir / ARCHIVE_PATH.name
    mentions_path = out_dir / MENTIONS_PATH.name
    write_archive(archive_path, sample)
    write_mentions(mentions_path, pages)
    return archive_path, mentions_path


# --------------------------------------------------------------------------- benchmark files

BENCHMARK_FORMS = {
    # form: (global name, export time, whether tweets carry edit_info and x.com links)
    "2022": ("YTD.tweets.part0", GENERATION_TIME, True),
    "2020": ("YTD.tweet.part0", datetime(2022, 3, 31, 18, 0, tzinfo=timezone.utc), False),
}
BENCHMARK_SPAN = timedelta(days=6 * 365)
BENCHMARK_MAX_GAP = timedelta(minutes=30)


def write_tweets_js(path: Path, count: int, *, seed: int = 1, form: str = "2022") -> None:
    """Stream ``count`` tweets into a single archive tweets file.

    Form "2022" writes ``window.YTD.tweets.part0 = [`` with one value per line and
    ``edit_info`` (about 1.4 KB per tweet on average). Form "2020" writes the compact
    ``window.YTD.tweet.part0 = [ {`` style of ``data/tweet.js`` without ``edit_info``.
    Tweets are generated and written one at a time, so memory use does not grow with ``count``.
    """
    if form not in BENCHMARK_FORMS:
        raise ValueError(f"invalid form {form!r}: expected one of {sorted(BENCHMARK_FORMS)}")
    if count < 0:
        raise ValueError(f"invalid count {count}: expected 0 or more")
    global_name, _, with_edit_info = BENCHMARK_FORMS[form]
    entries = (
        build_archive_tweet(tweet, with_edit_info=with_edit_info)
        for tweet in iterate_benchmark_tweets(random.Random(seed), count, form)
    )
    with path.open("w", encoding="utf-8", newline="\n") as output:
        for chunk in iterate_js_chunks(global_name, entries, form):
            output.write(chunk)


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


def main() -> None:
    archive_path, mentions_path = build_sample(DATA_DIR)
    print(archive_path)
    print(mentions_path)


if __name__ == "__main__":
    main()
