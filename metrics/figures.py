"""Every figure of a report, each defined in one function over SQL.

A period is ``[since, until)`` in the store's UTC text. "Own tweets" are all of
an account's tweets except retweets. Deleted tweets count nowhere. A figure the
stored data cannot give is None, never 0.
"""

from dataclasses import dataclass
from datetime import datetime, timezone

import sqlite_utils

from metrics.tweets import KINDS, format_time

TOP_LIMIT = 10
TOP_TWEETS_LIMIT = 5
# Upper bounds, in minutes, of the delays of the first reply on X that ResponseTimes counts:
# within 1 h, 1 to 4 h, 4 to 24 h, 1 to 3 days. Longer delays make a fifth bucket.
DELAY_LIMITS_MINUTES = (60, 4 * 60, 24 * 60, 3 * 24 * 60)

IN_PERIOD = "account_id = :account AND created_at >= :since AND created_at < :until AND deleted_at IS NULL"
OWN_IN_PERIOD = IN_PERIOD + " AND kind != 'retweet'"
# The same condition on the tweets table aliased as t, for joins.
OWN_IN_PERIOD_T = (
    "t.account_id = :account AND t.created_at >= :since AND t.created_at < :until"
    " AND t.deleted_at IS NULL AND t.kind != 'retweet'"
)

# A link is to the account's own site when its domain is an own domain or a
# subdomain of one.
IS_OWN_LINK = """EXISTS (
    SELECT 1 FROM own_domains o
    WHERE o.account_id = :account
      AND (l.domain = o.domain OR substr(l.domain, -length(o.domain) - 1) = '.' || o.domain)
)"""


@dataclass
class TweetCounts:
    total: int
    original: int
    reply: int
    thread: int
    retweet: int
    quote: int

    @property
    def own(self) -> int:
        return self.total - self.retweet


@dataclass
class DomainCount:
    domain: str
    count: int
    own: bool


@dataclass
class LinkFigures:
    tweets_with_links: int
    own_site: int
    external: int
    top_domains: list[DomainCount]


@dataclass
class TagCount:
    tag: str
    count: int


@dataclass
class Engagement:
    likes: int | None
    retweets: int | None
    replies: int | None
    quotes: int | None
    impressions: int | None


@dataclass
class Responsiveness:
    questions: int | None
    answered: int | None
    response_rate: float | None
    median_response_minutes: float | None
    unanswered_after_day: int | None


@dataclass
class ResponseTimes:
    """A period's questions by how they were answered.

    ``on_x`` counts the questions answered by a reply on X, by the delay of the
    first reply: one count per bucket of DELAY_LIMITS_MINUTES (a delay on a
    limit falls in the lower bucket), then one for longer delays.
    ``another_way`` counts the questions the team marked answered in an alert
    without a reply on X, and ``not_answered`` the rest.
    """

    on_x: tuple[int, ...]
    another_way: int
    not_answered: int

    @property
    def questions(self) -> int:
        return sum(self.on_x) + self.another_way + self.not_answered


@dataclass
class Audience:
    followers: int | None
    followers_change: int | None
    following: int | None


@dataclass
class Strategy:
    listening: float | None
    responding: float | None
    linking: float | None
    promoting: float | None


@dataclass
class TopTweet:
    id: str
    url: str
    text: str
    kind: str
    likes: int | None
    retweets: int | None
    created_at: str


# The team's mark on a mention in an alert: 'answered', 'not_question', or NULL.
MARKED_AS = """(SELECT mark FROM question_marks marks
                WHERE marks.account_id = mentions.account_id AND marks.mention_id = mentions.id)"""


def count_tweets(db: sqlite_utils.Database, params: dict) -> TweetCounts:
    """Count the tweets of each kind posted in the period."""
    counts = dict.fromkeys(KINDS, 0)
    for kind, count in db.execute(f"SELECT kind, count(*) FROM tweets WHERE {IN_PERIOD} GROUP BY kind", params):
        counts[kind] = count
    return TweetCounts(total=sum(counts.values()), **counts)


def link_figures(db: sqlite_utils.Database, params: dict) -> LinkFigures:
    """Count own tweets with any link, with an own-site link and with an external link."""
    row = db.execute(
        f"""SELECT count(DISTINCT l.tweet_id),
                   count(DISTINCT CASE WHEN {IS_OWN_LINK} THEN l.tweet_id END),
                   count(DISTINCT CASE WHEN NOT {IS_OWN_LINK} THEN l.tweet_id END)
            FROM tweets t JOIN links l ON l.tweet_id = t.id
            WHERE {OWN_IN_PERIOD_T}""",
        params,
    ).fetchone()
    domains = [
        DomainCount(domain, count, bool(own))
        for domain, count, own in db.execute(
            f"""SELECT l.domain, count(*) AS uses, max({IS_OWN_LINK})
                FROM tweets t JOIN links l ON l.tweet_id = t.id
                WHERE {OWN_IN_PERIOD_T}
                GROUP BY l.domain ORDER BY uses DESC, l.domain LIMIT {TOP_LIMIT}""",
            params,
        )
    ]
    return LinkFigures(row[0], row[1], row[2], domains)


def top_hashtags(db: sqlite_utils.Database, params: dict) -> list[TagCount]:
    """Return the hashtags of own tweets, most used first."""
    rows = db.execute(
        f"""SELECT h.tag, count(*) AS uses FROM tweets t JOIN hashtags h ON h.tweet_id = t.id
            WHERE {OWN_IN_PERIOD_T}
            GROUP BY h.tag ORDER BY uses DESC, h.tag LIMIT {TOP_LIMIT}""",
        params,
    )
    return [TagCount(tag, count) for tag, count in rows]


def engagement(db: sqlite_utils.Database, params: dict) -> Engagement:
    """Sum what own tweets received. SUM over only NULLs is NULL, so a figure no source gave stays None."""
    row = db.execute(
        f"SELECT sum(likes), sum(retweets), sum(replies), sum(quotes), sum(impressions) FROM tweets WHERE {OWN_IN_PERIOD}",
        params,
    ).fetchone()
    return Engagement(*row)


def responsiveness(db: sqlite_utils.Database, params: dict) -> Responsiveness:
    """Count questions asked in the period and those the account has answered, with the median delay.

    A question marked "Not a question" in an alert is not counted; one marked
    "Mark answered" (answered by phone or e-mail) counts as answered, though the
    median delay covers replies on X only, whose time is known. Every figure is
    None when the store has no mention data for the period, because zero
    questions would then report a figure that was never measured.
    """
    if not _has_mention_data(db, params):
        return Responsiveness(None, None, None, None, None)
    questions, answered, replied = db.execute(
        f"""SELECT count(*), count(answered_by) + coalesce(sum(answered_by IS NULL AND {MARKED_AS} = 'answered'), 0),
                   count(answered_by)
            FROM mentions
            WHERE account_id = :account AND created_at >= :since AND created_at < :until AND is_question = 1
              AND coalesce({MARKED_AS}, '') != 'not_question'""",
        params,
    ).fetchone()
    rate = answered / questions if questions else None
    return Responsiveness(questions, answered, rate, _median_response_minutes(db, params, replied),
                          _unanswered_after_day(db, params))


def audience(db: sqlite_utils.Database, params: dict) -> Audience:
    """Read followers at the last snapshot before the period's end, and their change since its start."""
    latest = _snapshot_before(db, params["account"], params["until"])
    if latest is None:
        return Audience(None, None, None)
    earlier = _snapshot_before(db, params["account"], params["since"])
    change = None
    if earlier is not None and earlier[0] != latest[0] and None not in (latest[1], earlier[1]):
        change = latest[1] - earlier[1]
    return Audience(latest[1], change, latest[2])


def strategy(counts: TweetCounts, links: LinkFigures) -> Strategy:
    """Compute the shares of listening, responding, linking and promoting; None where nothing was posted."""
    return Strategy(
        listening=_share(counts.retweet + counts.quote, counts.total),
        responding=_share(counts.reply, counts.total),
        linking=_share(links.external, counts.own),
        promoting=_share(links.own_site, counts.own),
    )


def top_tweets(db: sqlite_utils.Database, params: dict, handle: str, limit: int = TOP_TWEETS_LIMIT) -> list[TopTweet]:
    """Return at most ``limit`` own tweets with the most likes, retweets, replies and quotes together."""
    rows = db.execute(
        f"""SELECT id, text, kind, likes, retweets, created_at FROM tweets WHERE {OWN_IN_PERIOD}
            ORDER BY coalesce(likes, 0) + coalesce(retweets, 0) + coalesce(replies, 0) + coalesce(quotes, 0) DESC,
                     id DESC
            LIMIT :limit""",
        {**params, "limit": limit},
    )
    return [
        TopTweet(str(tweet_id), f"https://x.com/{handle}/status/{tweet_id}", text, kind, likes, retweets, created)
        for tweet_id, text, kind, likes, retweets, created in rows
    ]


def response_times(db: sqlite_utils.Database, params: dict) -> ResponseTimes | None:
    """Count the period's questions by the delay of the first reply on X, or by how else they were answered.

    The questions are those ``responsiveness`` counts, so the counts add up to
    its ``questions``. Returns None when the store has no mention data for the
    period.
    """
    if not _has_mention_data(db, params):
        return None
    # Whole seconds from the text times, so that a reply exactly an hour later falls within 1 h.
    delay = "CAST(strftime('%s', answered_at) AS INTEGER) - CAST(strftime('%s', created_at) AS INTEGER)"
    # The number of limits a delay exceeds is the index of its bucket in ResponseTimes.on_x.
    bucket = " + ".join(f"(delay > {minutes * 60})" for minutes in DELAY_LIMITS_MINUTES)
    rows = db.execute(
        f"""SELECT CASE WHEN delay IS NOT NULL THEN {bucket} WHEN mark = 'answered' THEN :another ELSE :none END,
                   count(*)
            FROM (SELECT CASE WHEN answered_by IS NOT NULL THEN {delay} END AS delay, {MARKED_AS} AS mark
                  FROM mentions
                  WHERE account_id = :account AND created_at >= :since AND created_at < :until AND is_question = 1)
            WHERE coalesce(mark, '') != 'not_question'
            GROUP BY 1""",
        {**params, "another": "another_way", "none": "not_answered"},
    )
    counts = dict(rows.fetchall())
    on_x = tuple(counts.get(index, 0) for index in range(len(DELAY_LIMITS_MINUTES) + 1))
    return ResponseTimes(on_x, counts.get("another_way", 0), counts.get("not_answered", 0))


def data_since(db: sqlite_utils.Database, account_id: int) -> str | None:
    """Return the time of the account's earliest stored tweet, mention or follower count, or None without any."""
    return db.execute(
        """SELECT min(moment) FROM (
               SELECT min(created_at) AS moment FROM tweets WHERE account_id = :account
               UNION ALL SELECT min(created_at) FROM mentions WHERE account_id = :account
               UNION ALL SELECT min(taken_at) FROM follower_snapshots WHERE account_id = :account
           )""",
        {"account": account_id},
    ).fetchone()[0]


def data_until(db: sqlite_utils.Database, account_id: int) -> str | None:
    """Return the time up to which the store has the account's data: the newest import or fetch.

    An archive covers everything up to its generation date, a twarc file up to
    its newest tweet or fetch time, a poll up to the time its cursor moved.
    """
    return db.execute(
        """SELECT max(moment) FROM (
               SELECT max(generated_at) AS moment FROM imports WHERE account_id = :account
               UNION ALL SELECT max("end") FROM mention_coverage WHERE account_id = :account
               UNION ALL SELECT max(updated_at) FROM cursors WHERE account_id = :account
           )""",
        {"account": account_id},
    ).fetchone()[0] or None


def last_update(db: sqlite_utils.Database, account_id: int) -> tuple[str, str] | None:
    """Return when the account's data last changed and how: an import's source, or ``poll``.

    Imports record their time and source (archive, tweets file, twarc); the
    poller moves a cursor each cycle.
    """
    return db.execute(
        # Times have one-second resolution, so the later import's row id breaks a tie.
        """SELECT moment, source FROM (
               SELECT imported_at AS moment, source, id AS sequence FROM imports WHERE account_id = :account
               UNION ALL SELECT updated_at, 'poll', 0 FROM cursors WHERE account_id = :account
           ) ORDER BY moment DESC, sequence DESC LIMIT 1""",
        {"account": account_id},
    ).fetchone()


def _has_mention_data(db: sqlite_utils.Database, params: dict) -> bool:
    row = db.execute(
        """SELECT EXISTS (SELECT 1 FROM mentions
                          WHERE account_id = :account AND created_at >= :since AND created_at < :until)
               OR EXISTS (SELECT 1 FROM mention_coverage
                          WHERE account_id = :account AND start < :until AND "end" >= :since)""",
        params,
    ).fetchone()
    return bool(row[0])


def _median_response_minutes(db: sqlite_utils.Database, params: dict, answered: int) -> float | None:
    if not answered:
        return None
    # The middle one or two delays, in order: SQLite has no median function.
    rows = db.execute(
        f"""SELECT (julianday(answered_at) - julianday(created_at)) * 1440 AS minutes FROM mentions
            WHERE account_id = :account AND created_at >= :since AND created_at < :until
              AND is_question = 1 AND answered_by IS NOT NULL AND coalesce({MARKED_AS}, '') != 'not_question'
            ORDER BY minutes LIMIT {2 - answered % 2} OFFSET {(answered - 1) // 2}""",
        params,
    ).fetchall()
    return round(sum(row[0] for row in rows) / len(rows), 1)


def _unanswered_after_day(db: sqlite_utils.Database, params: dict) -> int:
    """Count the period's questions still unanswered a day after they were asked.

    A question counts once it is a day old (by ``params["now"]``, or now) and no
    reply on X and no "Mark answered" came within that day, so the figure of a
    past period does not change when a late reply comes.
    """
    now = params.get("now") or format_time(datetime.now(timezone.utc))
    # Whole seconds from the text times, so that a reply exactly a day later counts as within the day.
    posted = "CAST(strftime('%s', mentions.created_at) AS INTEGER)"
    return db.execute(
        f"""SELECT count(*) FROM mentions
            WHERE account_id = :account AND created_at >= :since AND created_at < :until AND is_question = 1
              AND coalesce({MARKED_AS}, '') != 'not_question'
              AND CAST(strftime('%s', :now) AS INTEGER) - {posted} > :day
              AND NOT coalesce(CAST(strftime('%s', answered_at) AS INTEGER) - {posted} <= :day, 0)
              AND NOT EXISTS (SELECT 1 FROM question_marks marks
                              WHERE marks.account_id = mentions.account_id AND marks.mention_id = mentions.id
                                AND marks.mark = 'answered'
                                AND CAST(strftime('%s', marks.marked_at) AS INTEGER) - {posted} <= :day)""",
        {**params, "now": now, "day": 24 * 60 * 60},
    ).fetchone()[0]


def _snapshot_before(db: sqlite_utils.Database, account_id: int, moment: str) -> tuple | None:
    return db.execute(
        """SELECT taken_at, followers, following FROM follower_snapshots
           WHERE account_id = ? AND taken_at < ? ORDER BY taken_at DESC LIMIT 1""",
        [account_id, moment],
    ).fetchone()


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None
