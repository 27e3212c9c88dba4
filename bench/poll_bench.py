"""Benchmark the X API poller against the local fake of X API v2: its requests, its reads and its time.

Part 1, the request floor: one tracked account whose user id and cursors are
already stored, as if its last poll ran two days earlier. The fake server has
1,000 new tweets by the account and 300 new mentions of it, plus older ones
that the cursors exclude. One poll cycle must make 10 timeline requests, 3
mentions requests and 1 user lookup, and receive each new tweet in exactly one
response. A second cycle 15 minutes later, with nothing new, must make 3
requests and change no tweet, link, hashtag, mention or follower snapshot.

Part 2, timing: 20 tracked accounts, each with new tweets and mentions. One
cycle is timed with time.perf_counter on a fresh copy of the same store, then
the nothing-new cycle 15 minutes later. The fake server runs in this process on
127.0.0.1, with X's default rate limits, and is started afresh for each run.

The poller runs through tweepy's own HTTP code (metrics.xclient.make_client),
routed to the fake server. No request leaves the machine.

Usage: python poll_bench.py [--runs 5]   (from inside bench/)
Exits with status 1 when a check fails, after printing every result.
"""

import argparse
import os
import shutil
import sqlite3
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import requests
import tweepy

from measure import machine_description, median

from metrics import pollstate
from metrics.accounts import track_account, update_account
from metrics.poller import SOURCE, TIME_FORMAT, CycleResult, Poller, PollSettings
from metrics.store import Store
from metrics.xclient import make_client
from metrics.xsource import PAGE_SIZE, XSource

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from poll_fixtures import ASKER_ID, NOW, PROXY_VARIABLES, USER_ID, Clock, Sleeps  # noqa: E402
from x_server import BEARER_TOKEN, ROUTES, XRequest, XServer, make_tweet, snowflake  # noqa: E402

OUT = Path(__file__).parent / "out" / "poll-bench"
# The last poll of every account ran at PREVIOUS_POLL. The new tweets and
# mentions follow it, and the older ones, which its cursors exclude, precede it.
NEW_START = NOW - timedelta(days=2)
PREVIOUS_POLL = NEW_START - timedelta(minutes=1)
OLD_START = NOW - timedelta(days=10)
TWEET_STEP = timedelta(minutes=2)
MENTION_STEP = timedelta(minutes=5)
OLD_TWEET_STEP = timedelta(minutes=30)
OLD_MENTION_STEP = timedelta(hours=1)

FLOOR_TWEETS, FLOOR_MENTIONS = 1_000, 300
FLOOR_OLD_TWEETS, FLOOR_OLD_MENTIONS = 200, 50
TIMED_ACCOUNTS = 20
TIMED_TWEETS, TIMED_MENTIONS = 50, 15
TIMED_OLD_TWEETS, TIMED_OLD_MENTIONS = 20, 5

CONTENT_TABLES = ("tweets", "links", "hashtags", "mentions", "follower_snapshots")

TIMELINE = "timeline"
MENTIONS = "mentions"
USER_BY_ID = "user by id"
USER_BY_HANDLE = "user by handle"
TWEET_LOOKUP = "tweet lookup"
OTHER = "other"
# The fake server's route templates, named as this script prints them.
ROUTE_NAMES = {
    "/2/users/:id/tweets": TIMELINE,
    "/2/users/:id/mentions": MENTIONS,
    "/2/users/:id": USER_BY_ID,
    "/2/users/by/username/:username": USER_BY_HANDLE,
    "/2/tweets": TWEET_LOOKUP,
}


class RecordingXServer(XServer):
    """The fake X API, also counting how often each tweet id was sent in the ``data`` of a response."""

    def __post_init__(self) -> None:
        super().__post_init__()
        self.sent_ids: Counter[str] = Counter()
        self._sent_lock = threading.Lock()

    def respond(self, request: XRequest):
        reply = super().respond(request)
        if reply is not None and reply.status == 200:
            data = reply.body.get("data")
            # A user lookup returns one user object, which is not a tweet.
            if isinstance(data, list):
                with self._sent_lock:
                    self.sent_ids.update(str(tweet["id"]) for tweet in data)
        return reply


@dataclass
class AccountData:
    """One account's tweets and mentions on the fake server, and the cursors its last poll left."""

    handle: str
    user_id: int
    new_tweets: list[dict] = field(default_factory=list)
    new_mentions: list[dict] = field(default_factory=list)
    old_tweets: list[dict] = field(default_factory=list)
    old_mentions: list[dict] = field(default_factory=list)

    @property
    def tweets_cursor(self) -> int:
        return max(int(tweet["id"]) for tweet in self.old_tweets)

    @property
    def mentions_cursor(self) -> int:
        return max(int(tweet["id"]) for tweet in self.old_mentions)

    @property
    def new_ids(self) -> set[str]:
        return {tweet["id"] for tweet in self.new_tweets + self.new_mentions}

    @property
    def old_ids(self) -> set[str]:
        return {tweet["id"] for tweet in self.old_tweets + self.old_mentions}


def build_account(number: int, tweets: int, mentions: int, old_tweets: int, old_mentions: int) -> AccountData:
    """Build the tweets of account ``number``: some with links or hashtags, every tenth a reply to a mention.

    Each of the account's four streams is spaced in time, and the two streams
    of each account get their own snowflake sequence number, so no two tweet ids
    collide across streams or accounts.
    """
    handle = f"Library{number}"
    data = AccountData(handle, USER_ID + number)
    tweets_sequence, mentions_sequence = 2 * number, 2 * number + 1

    data.old_mentions = [mention(data, index, OLD_START + OLD_MENTION_STEP * index, mentions_sequence)
                         for index in range(old_mentions)]
    data.old_tweets = [own_tweet(data, index, OLD_START + OLD_TWEET_STEP * index, tweets_sequence, None)
                       for index in range(old_tweets)]
    data.new_mentions = [mention(data, index, NEW_START + MENTION_STEP * index, mentions_sequence)
                         for index in range(mentions)]
    for index in range(tweets):
        # Tweet i is 2i minutes after NEW_START and mention i // 3 at most 5i/3 minutes after it,
        # so each reply follows its mention.
        answered = index // 3
        target = data.new_mentions[answered] if index % 10 == 9 and answered < mentions else None
        data.new_tweets.append(own_tweet(data, index, NEW_START + TWEET_STEP * index, tweets_sequence, target))

    newest_old = max(int(tweet["id"]) for tweet in data.old_tweets + data.old_mentions)
    oldest_new = min(int(tweet["id"]) for tweet in data.new_tweets + data.new_mentions)
    if newest_old >= oldest_new or PREVIOUS_POLL >= NEW_START or NEW_START + TWEET_STEP * tweets > NOW:
        raise ValueError(f"the tweets of @{handle} overlap: older ones must precede the cursors, new ones follow them")
    return data


def own_tweet(data: AccountData, index: int, moment: datetime, sequence: int, answered: dict | None) -> dict:
    tweet_id = snowflake(moment, sequence)
    urls = [f"https://{data.handle.lower()}.example/news/{index}"] if index % 3 == 0 else []
    text = f"Library news {index}" + (" #OpenAccess" if index % 4 == 0 else "")
    if answered is None:
        return make_tweet(tweet_id, data.user_id, text, moment, urls=urls, likes=index % 7, retweets=index % 3)
    return make_tweet(tweet_id, data.user_id, f"@curious_reader {text}", moment, kind="reply",
                      referenced_id=answered["id"], in_reply_to_user_id=ASKER_ID, conversation_id=answered["id"],
                      urls=urls, likes=index % 7)


def mention(data: AccountData, index: int, moment: datetime, sequence: int) -> dict:
    return make_tweet(snowflake(moment, sequence), ASKER_ID, f"@{data.handle} are you open on Sunday {index}?", moment)


def start_server(accounts: list[AccountData]) -> RecordingXServer:
    """Start a fake X API on 127.0.0.1 with the accounts' tweets and X's default rate limits."""
    server = RecordingXServer()
    server.add_user("curious_reader", ASKER_ID, followers=10)
    for data in accounts:
        server.add_user(data.handle, data.user_id, followers=1200, following=300, tweets=5000)
        for tweet in data.old_tweets + data.new_tweets:
            server.add_tweet(data.user_id, tweet)
        for tweet in data.old_mentions + data.new_mentions:
            server.add_mention(data.user_id, tweet)
    return server.start()


def build_store(path: Path, accounts: list[AccountData]) -> Path:
    """Create a store that tracks the accounts, with their user ids, cursors and mention coverage set.

    It contains no tweets, because the older ones are only on the server, so the
    daily metrics refresh finds nothing to read again.
    """
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    moment = PREVIOUS_POLL.strftime(TIME_FORMAT)
    with Store(path) as store, store.write() as db:
        for data in accounts:
            account, _ = track_account(db, data.handle)
            account = update_account(db, account, data.user_id, data.handle)
            pollstate.write_cursor(db, account, pollstate.TWEETS_CURSOR, data.tweets_cursor, moment)
            pollstate.write_cursor(db, account, pollstate.MENTIONS_CURSOR, data.mentions_cursor, moment)
            pollstate.extend_coverage(db, account, OLD_START.strftime(TIME_FORMAT), moment, SOURCE)
    return path


def make_poller(store: Store, server: XServer, clock: Clock, sleeps: Sleeps) -> Poller:
    """Build the poller as production does, with the default settings, routed to the fake server."""
    settings = PollSettings()
    client = make_client(BEARER_TOKEN, server.api_url)
    source = XSource(client, max_wait=settings.interval_minutes * 60, sleep=sleeps, clock=clock)
    return Poller(store, source, settings, clock=clock)


def requests_by_route(received: list[XRequest]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for request in received:
        name = next((ROUTE_NAMES[route] for pattern, route in ROUTES if pattern.fullmatch(request.path)), OTHER)
        counts[name] += 1
    return counts


def stream_requests(received: list[XRequest]) -> list[XRequest]:
    """Return the timeline and mentions requests."""
    return [request for request in received if request.path.endswith(("/tweets", "/mentions"))]


def dump_tables(db_path: Path) -> dict[str, list[tuple]]:
    """Read every row of every table through a connection of its own, sorted so that two dumps compare."""
    connection = sqlite3.connect(db_path)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {table: sorted(connection.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
                for table in tables}
    finally:
        connection.close()


@dataclass
class Checks:
    """Named pass or fail results, printed as they are made."""

    failed: list[str] = field(default_factory=list)

    def check(self, name: str, passed: bool, detail: str) -> None:
        print(f"  [{'ok' if passed else 'FAILED'}] {name}: {detail}")
        if not passed:
            self.failed.append(name)


def print_requests(label: str, counts: Counter[str], queries: list[XRequest]) -> None:
    cells = ", ".join(f"{name} {counts[name]}" for name in (TIMELINE, MENTIONS, USER_BY_ID, USER_BY_HANDLE,
                                                              TWEET_LOOKUP, OTHER))
    print(f"  {label}: {sum(counts.values())} requests ({cells})")
    for request in queries:
        parameters = {name: request.query[name] for name in ("since_id", "start_time", "max_results")
                      if name in request.query}
        token = "with" if "pagination_token" in request.query else "no"
        print(f"    GET {request.path} {parameters}, {token} pagination_token")


def run_floor(checks: Checks) -> None:
    """Poll one account with 1,000 new tweets and 300 new mentions, then again with nothing new."""
    data = build_account(0, FLOOR_TWEETS, FLOOR_MENTIONS, FLOOR_OLD_TWEETS, FLOOR_OLD_MENTIONS)
    expected_timeline = -(-FLOOR_TWEETS // PAGE_SIZE)
    expected_mentions = -(-FLOOR_MENTIONS // PAGE_SIZE)
    db_path = build_store(OUT / "floor.db", [data])
    server = start_server([data])
    clock = Clock(NOW)
    server.clock = lambda: clock().timestamp()
    sleeps = Sleeps(clock)
    print(f"Request floor: @{data.handle}, {FLOOR_TWEETS:,} new tweets and {FLOOR_MENTIONS} new mentions after the "
          f"cursors, {FLOOR_OLD_TWEETS} older tweets and {FLOOR_OLD_MENTIONS} older mentions before them")
    try:
        with Store(db_path) as store:
            poller = make_poller(store, server, clock, sleeps)

            started = time.perf_counter()
            first = poller.poll_cycle()
            first_seconds = time.perf_counter() - started
            first_requests = list(server.requests)
            check_first_poll(checks, data, store, server, first, first_requests, first_seconds,
                             expected_timeline, expected_mentions)

            before = dump_tables(db_path)
            changes_before = store.db.conn.total_changes
            sent_before = Counter(server.sent_ids)
            clock.advance(minutes=15)
            started = time.perf_counter()
            second = poller.poll_cycle()
            second_seconds = time.perf_counter() - started
            changed_rows = store.db.conn.total_changes - changes_before
            second_requests = server.requests[len(first_requests):]
            after = dump_tables(db_path)
            check_second_poll(checks, data, server, second, second_requests, second_seconds, sent_before,
                              before, after, changed_rows)
            checks.check("no rate-limit or retry pauses", not sleeps.pauses, f"pauses {sleeps.pauses}")
    finally:
        server.stop()


def check_first_poll(checks: Checks, data: AccountData, store: Store, server: RecordingXServer, result: CycleResult,
                     received: list[XRequest], seconds: float, expected_timeline: int, expected_mentions: int) -> None:
    counts = requests_by_route(received)
    print(f"\n  First poll: {seconds * 1000:.0f} ms")
    first_pages = [request for request in stream_requests(received) if "pagination_token" not in request.query]
    print_requests("server log", counts, first_pages)
    expected = Counter({TIMELINE: expected_timeline, MENTIONS: expected_mentions, USER_BY_ID: 1})
    checks.check("requests by endpoint", counts == expected,
                 f"{dict(counts)}, expected {dict(expected)}")
    checks.check("CycleResult.requests", result.requests == len(received),
                 f"{result.requests}, server received {len(received)}")
    expected_reads = FLOOR_TWEETS + FLOOR_MENTIONS + 1
    checks.check("CycleResult.reads", result.reads == expected_reads,
                 f"{result.reads}, expected {FLOOR_TWEETS:,} tweets + {FLOOR_MENTIONS} mentions + 1 user "
                 f"= {expected_reads:,}")

    sent = server.sent_ids
    new_ids = data.new_ids
    checks.check("each new tweet and mention sent exactly once", all(sent[tweet_id] == 1 for tweet_id in new_ids),
                 f"{sum(1 for tweet_id in new_ids if sent[tweet_id] == 1):,} of {len(new_ids):,} sent once, "
                 f"{sum(1 for tweet_id in new_ids if sent[tweet_id] > 1)} more than once, "
                 f"{sum(1 for tweet_id in new_ids if sent[tweet_id] == 0)} never")
    checks.check("no older tweet sent", not data.old_ids & set(sent), f"{len(data.old_ids & set(sent))} sent")
    checks.check("no other tweet sent", set(sent) <= new_ids, f"{len(set(sent) - new_ids - data.old_ids)} others")
    checks.check("tweets in responses", sum(sent.values()) == FLOOR_TWEETS + FLOOR_MENTIONS,
                 f"{sum(sent.values()):,} in all")

    account = result.accounts[0]
    query = store.db.execute
    stored = {table: query(f"SELECT count(*) FROM {table}").fetchone()[0] for table in CONTENT_TABLES}
    answered = query("SELECT count(*) FROM mentions WHERE answered_by IS NOT NULL").fetchone()[0]
    replies = sum(1 for tweet in data.new_tweets if "referenced_tweets" in tweet)
    print(f"  stored rows: {stored}, mentions answered {answered}")
    print(f"  AccountResult: new_tweets {account.new_tweets}, new_mentions {account.new_mentions}, "
          f"refreshed {account.refreshed}, error {account.error}; stopped {result.stopped}")
    checks.check("rows stored", (stored["tweets"], stored["mentions"], stored["follower_snapshots"])
                 == (FLOOR_TWEETS, FLOOR_MENTIONS, 1),
                 f"{stored['tweets']:,} tweets, {stored['mentions']} mentions, "
                 f"{stored['follower_snapshots']} follower snapshot")
    checks.check("mentions answered by the new replies", answered == replies, f"{answered} of {replies} replies")
    checks.check("first poll completed", result.stopped is None and account.error is None,
                 f"stopped {result.stopped}, error {account.error}")


def check_second_poll(checks: Checks, data: AccountData, server: RecordingXServer, result: CycleResult,
                      received: list[XRequest], seconds: float, sent_before: Counter[str],
                      before: dict[str, list[tuple]], after: dict[str, list[tuple]], changed_rows: int) -> None:
    counts = requests_by_route(received)
    print(f"\n  Second poll, 15 minutes later, nothing new: {seconds * 1000:.0f} ms")
    print_requests("server log", counts, stream_requests(received))
    expected = Counter({TIMELINE: 1, MENTIONS: 1, USER_BY_ID: 1})
    checks.check("requests by endpoint", counts == expected, f"{dict(counts)}, expected {dict(expected)}")
    checks.check("CycleResult.requests and reads", (result.requests, result.reads) == (3, 1),
                 f"{result.requests} requests, {result.reads} read (the user)")
    checks.check("no tweet sent", server.sent_ids == sent_before,
                 f"{sum((server.sent_ids - sent_before).values())} sent")
    newest = {request.path.rsplit("/", 1)[1]: request.query.get("since_id") for request in stream_requests(received)}
    newest_tweet = max(int(tweet["id"]) for tweet in data.new_tweets)
    newest_mention = max(int(tweet["id"]) for tweet in data.new_mentions)
    checks.check("since_id is the newest id read", newest == {"tweets": str(newest_tweet),
                                                             "mentions": str(newest_mention)}, f"{newest}")

    for table in CONTENT_TABLES:
        checks.check(f"{table} unchanged", before[table] == after[table], f"{len(after[table]):,} rows")
    bookkeeping = [table for table in after if table not in CONTENT_TABLES]
    print(f"  Bookkeeping tables the second poll changed (by design), of {', '.join(bookkeeping)}:")
    for table in bookkeeping:
        if before[table] == after[table]:
            continue
        removed = [row for row in before[table] if row not in after[table]]
        added = [row for row in after[table] if row not in before[table]]
        print(f"    {table}: {len(removed)} rows replaced by {len(added)}")
        for old, new in zip(removed, added):
            print(f"      {old} -> {new}")
        for new in added[len(removed):]:
            print(f"      new {new}")
    print(f"  Rows written by SQL statements (sqlite3 total_changes), though none changed content: {changed_rows}")
    checks.check("second poll completed", result.stopped is None and result.accounts[0].error is None,
                 f"stopped {result.stopped}, error {result.accounts[0].error}")


@dataclass
class CycleTiming:
    seconds: float
    requests: int
    reads: int
    server_requests: int
    new_tweets: int
    new_mentions: int
    errors: list[str]


def time_cycle(poller: Poller, server: XServer) -> CycleTiming:
    received = len(server.requests)
    started = time.perf_counter()
    result = poller.poll_cycle()
    seconds = time.perf_counter() - started
    errors = [f"@{account.handle}: {account.error}" for account in result.accounts if account.error]
    if result.stopped:
        errors.append(f"stopped: {result.stopped}")
    return CycleTiming(seconds, result.requests, result.reads, len(server.requests) - received,
                       sum(account.new_tweets for account in result.accounts),
                       sum(account.new_mentions for account in result.accounts), errors)


def run_timing(runs: int, checks: Checks) -> None:
    """Time one cycle over 20 accounts with new data, then one with nothing new, each run on a fresh store copy."""
    accounts = [build_account(number, TIMED_TWEETS, TIMED_MENTIONS, TIMED_OLD_TWEETS, TIMED_OLD_MENTIONS)
                for number in range(TIMED_ACCOUNTS)]
    template = build_store(OUT / "timing-template.db", accounts)
    db_path = OUT / "timing.db"
    new_cycles: list[CycleTiming] = []
    idle_cycles: list[CycleTiming] = []
    pauses = 0
    for _ in range(runs):
        for suffix in ("-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(template, db_path)
        server = start_server(accounts)
        clock = Clock(NOW)
        server.clock = lambda: clock().timestamp()
        sleeps = Sleeps(clock)
        try:
            with Store(db_path) as store:
                poller = make_poller(store, server, clock, sleeps)
                new_cycles.append(time_cycle(poller, server))
                clock.advance(minutes=15)
                idle_cycles.append(time_cycle(poller, server))
        finally:
            server.stop()
        pauses += len(sleeps.pauses)

    print(f"\nTiming: {TIMED_ACCOUNTS} accounts, each with {TIMED_TWEETS} new tweets and {TIMED_MENTIONS} new mentions "
          f"after its cursors ({TIMED_OLD_TWEETS} and {TIMED_OLD_MENTIONS} older ones before them), "
          f"{runs} runs, each on a fresh copy of the store and a fresh server with the same data\n")
    print("| cycle | requests | reads | new tweets | new mentions | median (ms) | runs (ms) | per request (ms) |")
    print("|---|---:|---:|---:|---:|---:|---|---:|")
    for label, cycles in (("new data", new_cycles), ("nothing new, 15 minutes later", idle_cycles)):
        times = [cycle.seconds * 1000 for cycle in cycles]
        first = cycles[0]
        print(f"| {label} | {first.requests} | {first.reads:,} | {first.new_tweets:,} | {first.new_mentions} | "
              f"{median(times):.0f} | {', '.join(f'{value:.0f}' for value in times)} | "
              f"{median(times) / first.requests:.1f} |")

    print()
    expected_new = (TIMED_ACCOUNTS * 3, TIMED_ACCOUNTS * (TIMED_TWEETS + TIMED_MENTIONS + 1),
                    TIMED_ACCOUNTS * TIMED_TWEETS, TIMED_ACCOUNTS * TIMED_MENTIONS)
    expected_idle = (TIMED_ACCOUNTS * 3, TIMED_ACCOUNTS, 0, 0)
    for label, cycles, expected in (("new data", new_cycles, expected_new), ("nothing new", idle_cycles,
                                                                              expected_idle)):
        counted = {(cycle.requests, cycle.reads, cycle.new_tweets, cycle.new_mentions) for cycle in cycles}
        checks.check(f"{label} cycle: requests, reads, new tweets, new mentions", counted == {expected},
                     f"{sorted(counted)}, expected {expected}")
        checks.check(f"{label} cycle: server received what the poller counted",
                     all(cycle.server_requests == cycle.requests for cycle in cycles),
                     f"{[cycle.server_requests for cycle in cycles]}")
        errors = [error for cycle in cycles for error in cycle.errors]
        checks.check(f"{label} cycle: no errors", not errors, f"{errors[:3]}")
    checks.check("no rate-limit or retry pauses", pauses == 0, f"{pauses} pauses")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="Timed runs of the 20-account cycles (default 5).")
    arguments = parser.parse_args()
    if arguments.runs < 1:
        parser.error(f"--runs must be at least 1, not {arguments.runs}")
    # requests reads these on its own, and a proxy would send the loopback requests elsewhere.
    for variable in PROXY_VARIABLES:
        os.environ.pop(variable, None)
    OUT.mkdir(parents=True, exist_ok=True)

    print(f"Machine: {machine_description()}")
    print(f"tweepy {tweepy.__version__}, requests {requests.__version__}; fake X API and poller in this process on "
          "127.0.0.1\n")
    checks = Checks()
    run_floor(checks)
    run_timing(arguments.runs, checks)
    if checks.failed:
        print(f"\n{len(checks.failed)} checks failed: {', '.join(checks.failed)}")
        sys.exit(1)
    print("\nAll checks passed.")


if __name__ == "__main__":
    main()
