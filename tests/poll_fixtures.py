"""Fixtures for the poller tests: a local X API, a store tracking one account, a poller with a set clock."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from metrics.accounts import track_account
from metrics.poller import Poller, PollSettings
from metrics.store import Store
from metrics.xclient import make_client
from metrics.xsource import XSource
from x_server import BEARER_TOKEN, XServer, make_tweet, snowflake

HANDLE = "NorthbrookHSL"
USER_ID = 1460000000000000001
ASKER_ID = 1770000000000000001
# "Now" in the poller tests; the clock moves only when a test moves it.
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy",
                   "no_proxy")


@dataclass
class Clock:
    now: datetime = NOW

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Sleeps:
    """A stand-in for time.sleep that records each pause and moves the clock instead of waiting."""

    clock: Clock
    pauses: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.clock.advance(seconds=seconds)


@dataclass
class PollRig:
    x: XServer
    store: Store
    clock: Clock
    sleeps: Sleeps
    notices: list[str]
    settings: PollSettings

    def poller(self, **changes) -> Poller:
        settings = PollSettings(**{**self.settings.__dict__, **changes})
        client = make_client(BEARER_TOKEN, self.x.api_url, timeout=(2, 0.5))
        source = XSource(client, max_wait=settings.interval_minutes * 60, sleep=self.sleeps, clock=self.clock)
        return Poller(self.store, source, settings, self.notify, self.clock)

    def notify(self, message: str) -> bool:
        """Stand in for the admin channel: keep the notice and report it sent."""
        self.notices.append(message)
        return True

    def poll(self, **changes):
        return self.poller(**changes).poll_cycle()

    def count(self, table: str, where: str = "1") -> int:
        return self.store.db.execute(f"SELECT count(*) FROM {table} WHERE {where}").fetchone()[0]


def open_rig(x: XServer, db_path: Path) -> PollRig:
    store = Store(db_path)
    with store.write() as db:
        track_account(db, HANDLE)
    x.add_user(HANDLE, USER_ID, followers=1200, following=300, tweets=5000, name="Northbrook Health Sciences Library")
    x.add_user("curious_reader", ASKER_ID, followers=10)
    clock = Clock()
    x.clock = lambda: clock().timestamp()
    return PollRig(x, store, clock, Sleeps(clock), [], PollSettings())


def add_tweets(x: XServer, count: int, start: datetime, *, author: int = USER_ID, mention: bool = False,
               step: timedelta = timedelta(minutes=5), text: str = "Library news {number}") -> list[dict]:
    """Add ``count`` tweets (or mentions of the library) from ``start`` on, one every ``step``."""
    added = []
    for number in range(count):
        moment = start + step * number
        tweet = make_tweet(snowflake(moment, number % 4096), author, text.format(number=number), moment,
                           likes=number % 7, retweets=number % 3)
        if mention:
            x.add_mention(USER_ID, tweet)
        else:
            x.add_tweet(author, tweet)
        added.append(tweet)
    return added
