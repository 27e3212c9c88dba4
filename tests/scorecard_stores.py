"""Stores for the scorecard tests, built through the same writer as the importers.

The report period is November 2026 (UTC), so the 12 periods of the history are
the months December 2025 to November 2026. In the partial store the account's
data starts in June 2026 and its mention data in September. The year store has
data for every day of the year to November 2026.
"""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import time_machine

from metrics import accounts, writer
from metrics.alerts import mark_question
from metrics.goal_store import set_goals
from metrics.goals import SPECS
from metrics.periods import calendar_period
from metrics.scorecard import Scorecard, build_scorecard
from metrics.tweets import Tweet

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)
NOVEMBER = calendar_period("month", date(2026, 11, 15), UTC, previous=False)
ASKER_ID = 777
ACCOUNT_USER_ID = 1500

# Own tweets per month, from June 2026, the first month with data.
TWEETS_PER_MONTH = {6: 2, 7: 4, 8: 6, 9: 8, 10: 10, 11: 12}
MONTH_DAYS = {6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30}


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


class StoreBuilder:
    """A writer of tweets, mentions, replies and marks for one account, with ids that grow with time."""

    def __init__(self, db, account):
        self.db = db
        self.account = account
        self.next_id = 1_000

    def tweet(self, when: datetime, text: str = "Evidence for practice", likes: int = 1, **fields) -> int:
        self.next_id += 1
        writer.write_tweets(self.db, self.account, [Tweet(self.next_id, stamp(when), text, "en", likes=likes,
                                                          retweets=0, **fields)], "test")
        return self.next_id

    def question(self, posted: str, reply_after: timedelta | None = None, is_question: bool = True) -> int:
        """Store a mention posted at ``posted`` (UTC), and the account's reply after ``reply_after`` if given."""
        self.next_id += 1
        mention_id = self.next_id
        mention = Tweet(mention_id, stamp(utc(posted)), "@TestHealthLib are you open?", "en", author_id=ASKER_ID,
                        author_handle="reader")
        writer.write_mention(self.db, self.account, mention, is_question, "question_mark", "test")
        if reply_after is not None:
            self.tweet(utc(posted) + reply_after, "@reader Yes", in_reply_to_status_id=mention_id,
                       in_reply_to_user_id=ASKER_ID, in_reply_to_handle="reader")
        writer.link_answers(self.db, self.account)
        return mention_id

    def mark(self, mention_id: int, mark: str, at: str) -> None:
        mark_question(self.db, self.account.id, mention_id, mark, "U0LIBRARIAN", utc(at))


def build_partial_store(store):
    """Write tweets from June 2026, mention data from September, and goal versions within the history."""
    with store.write() as db:
        account = accounts.add_account(db, "TestHealthLib", ACCOUNT_USER_ID)
        build = StoreBuilder(db, account)
        for month, count in TWEETS_PER_MONTH.items():
            for day in range(count):
                build.tweet(datetime(2026, month, 1 + day, 9, tzinfo=timezone.utc))
        writer.record_mention_coverage(db, account, "2026-09-01T00:00:00Z", "2026-12-01T00:00:00Z", "test")
        add_november_questions(build)
        set_goals(db, account, {"tweets_per_week": 5.0}, utc("2026-09-01T00:00:00"), "U0ADMIN", NOW)
        set_goals(db, account, {"listening_share": None}, utc("2026-03-01T00:00:00"), "U0ADMIN", NOW)
        set_goals(db, account, {"listening_share": 0.2}, utc("2026-07-01T00:00:00"), "U0ADMIN", NOW)
    return account


def add_november_questions(build: StoreBuilder) -> None:
    """Write questions answered at each bucket's edges, another way, not at all, or not counted."""
    hour = timedelta(hours=1)
    build.question("2026-11-02T10:00:00", reply_after=hour)                              # within 1 h, on the limit
    build.question("2026-11-03T10:00:00", reply_after=hour + timedelta(seconds=1))       # 1–4 h
    build.question("2026-11-04T10:00:00", reply_after=4 * hour)                          # 1–4 h, on the limit
    build.question("2026-11-05T10:00:00", reply_after=20 * hour)                         # 4–24 h
    build.question("2026-11-06T10:00:00", reply_after=48 * hour)                         # 1–3 days
    build.question("2026-11-10T10:00:00", reply_after=96 * hour)                         # after 3 days
    marked = build.question("2026-11-11T10:00:00")                                       # another way
    build.mark(marked, "answered", "2026-11-11T12:00:00")
    replied_and_marked = build.question("2026-11-12T10:00:00", reply_after=timedelta(minutes=30))
    build.mark(replied_and_marked, "answered", "2026-11-12T12:00:00")                   # within 1 h: X wins
    not_question = build.question("2026-11-13T10:00:00")
    build.mark(not_question, "not_question", "2026-11-13T12:00:00")                      # left out
    build.question("2026-11-14T10:00:00")                                                # not answered
    build.question("2026-11-15T10:00:00", is_question=False)                             # no question
    build.question("2026-10-31T23:00:00", reply_after=2 * hour)                          # October's


def partial_card(store) -> Scorecard:
    """Build the partial store and its scorecard for November 2026, as seen on NOW."""
    account = build_partial_store(store)
    with time_machine.travel(NOW, tick=False):
        return build_scorecard(store.db, account, NOVEMBER)


def build_year_store(store):
    """Write two tweets a day (one a retweet), a question every third day and daily follower counts for a year."""
    with store.write() as db:
        account = accounts.add_account(db, "YearLibrary", ACCOUNT_USER_ID)
        build = StoreBuilder(db, account)
        start = datetime(2025, 12, 1, tzinfo=timezone.utc)
        for day in range(365):
            moment = start + timedelta(days=day, hours=9)
            build.tweet(moment, f"Day {day}: new guides on evidence, $5 off the course 🙂 and 漢字", likes=day % 40)
            build.tweet(moment + timedelta(hours=5), "RT @Partner: news", is_retweet=True)
            if day % 3 == 0:
                build.question(stamp(moment + timedelta(hours=1))[:-1], reply_after=timedelta(hours=day % 100))
            writer.write_follower_snapshot(db, account, stamp(moment), {"followers": 1000 + day}, "test")
        writer.record_mention_coverage(db, account, "2025-12-01T00:00:00Z", "2026-12-01T00:00:00Z", "test")
        set_goals(db, account, {"engagement_per_tweet": 2.0, "followers_growth_per_month": 0.01},
                  utc("2025-01-01T00:00:00"), "U0ADMIN", NOW)
    return account


def year_card(store) -> Scorecard:
    """Build the year store and its scorecard for November 2026, as seen on NOW."""
    account = build_year_store(store)
    with time_machine.travel(NOW, tick=False):
        return build_scorecard(store.db, account, NOVEMBER)


def empty_card(store) -> Scorecard:
    """Add an account with no data at all, and return its scorecard for November 2026."""
    with store.write() as db:
        account = accounts.add_account(db, "EmptyLibrary")
    return build_scorecard(store.db, account, NOVEMBER)


def no_goals_card(store) -> Scorecard:
    """Add an account with every goal turned off, and return its scorecard for November 2026."""
    with store.write() as db:
        account = accounts.add_account(db, "QuietLibrary")
        set_goals(db, account, dict.fromkeys(SPECS, None), NOW - timedelta(days=365), "U0ADMIN", NOW)
    return build_scorecard(store.db, account, NOVEMBER)
