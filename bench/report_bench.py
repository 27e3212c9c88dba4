"""Benchmark `tweetstats report --format json` on a store of 1,000,000 tweets over 20 accounts.

The store is built once (bench/out/report-bench.db) through the same writer the
importers use: 50,000 tweets per account from 2024-01-01 to 2026-11-30, about a
third with links and a quarter with hashtags, plus mentions and weekly follower
snapshots. Each report is timed inside the process (figures only, median of
several runs) and as a whole `tweetstats` process.

Usage: python bench/report_bench.py [--runs 15]
"""

import argparse
import json
import random
import shutil
import statistics
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

from measure import machine_description, time_process

from metrics import writer
from metrics.accounts import add_account, add_own_domain
from metrics.periods import calendar_period, last_days
from metrics.report import build_report
from metrics.store import Store
from metrics.tweets import Link, Tweet

OUT = Path(__file__).parent / "out"
ACCOUNTS = 20
TWEETS_PER_ACCOUNT = 50_000
MENTIONS_PER_ACCOUNT = 5_000
START = datetime(2024, 1, 1, tzinfo=timezone.utc)
END = datetime(2026, 11, 30, tzinfo=timezone.utc)
TODAY = date(2026, 12, 1)
DOMAINS = ["who.int", "canada.ca", "pubmed.ncbi.nlm.nih.gov", "cochranelibrary.com", "library{}.example"]


def ensure_store() -> Path:
    """Return the benchmark store, building it first when bench/out has none."""
    OUT.mkdir(exist_ok=True)
    path = OUT / "report-bench.db"
    if not path.exists():
        started = time.perf_counter()
        build_store(path)
        print(f"Built {path} in {time.perf_counter() - started:.0f} s")
    return path


def build_store(path: Path) -> None:
    rng = random.Random(11)
    span = (END - START).total_seconds()
    next_id = 1_700_000_000_000_000_000
    with Store(path) as store, store.write() as db:
        for number in range(ACCOUNTS):
            account = add_own_domain(db, add_account(db, f"Library{number}", 10_000 + number), f"library{number}.example")
            moments = sorted(START + timedelta(seconds=rng.random() * span) for _ in range(TWEETS_PER_ACCOUNT))
            tweets = []
            for moment in moments:
                next_id += rng.randint(1, 1000)
                tweets.append(synthetic_tweet(rng, next_id, moment, number))
            for index in range(0, len(tweets), 5000):
                writer.write_tweets(db, account, tweets[index:index + 5000], "bench")
            write_mentions(db, account, rng, tweets)
            for week in range(0, int(span // 604800)):
                snapshot_time = START + timedelta(weeks=week)
                writer.write_follower_snapshot(db, account, snapshot_time.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                               {"followers": 1000 + week * 3, "following": 300}, "bench")
            writer.record_mention_coverage(db, account, "2024-01-01T00:00:00Z", "2026-11-30T00:00:00Z", "bench")


def synthetic_tweet(rng: random.Random, tweet_id: int, moment: datetime, number: int) -> Tweet:
    kind = rng.random()
    tweet = Tweet(tweet_id, moment.strftime("%Y-%m-%dT%H:%M:%SZ"), "Evidence for practice, read more " * 3,
                  "en", likes=rng.randint(0, 40), retweets=rng.randint(0, 10), replies=rng.randint(0, 3),
                  quotes=rng.randint(0, 2), impressions=rng.randint(100, 5000))
    if kind < 0.15:
        tweet.is_retweet, tweet.likes, tweet.retweets = True, None, None
    elif kind < 0.35:
        tweet.in_reply_to_user_id, tweet.in_reply_to_status_id = 42, tweet_id - 5
    elif kind < 0.42:
        tweet.in_reply_to_user_id, tweet.in_reply_to_handle = 10_000 + number, f"Library{number}"
    elif kind < 0.5:
        tweet.is_quote = True
    if not tweet.is_retweet and rng.random() < 0.35:
        domain = rng.choice(DOMAINS).format(number)
        tweet.links.append(Link(f"https://{domain}/page{rng.randint(1, 500)}", domain))
    if not tweet.is_retweet and rng.random() < 0.25:
        tweet.hashtags.append(rng.choice(["healthlit", "medlibs", "openaccess", "ebp", "sysrev"]))
    return tweet


def write_mentions(db, account, rng: random.Random, tweets: list[Tweet]) -> None:
    """Write mentions: half are the ones the account's replies point at, so they count as answered."""
    replies = [tweet for tweet in tweets if tweet.in_reply_to_user_id == 42]
    answered = rng.sample(replies, min(len(replies), MENTIONS_PER_ACCOUNT // 2))
    targets = [(reply.in_reply_to_status_id, reply.created_at) for reply in answered]
    for source in rng.sample(tweets, MENTIONS_PER_ACCOUNT - len(targets)):
        targets.append((source.id - 3, source.created_at))
    for mention_id, created_at in targets:
        mention = Tweet(mention_id, created_at, "@Library can you help?", "en", author_id=42, author_handle="reader")
        writer.write_mention(db, account, mention, rng.random() < 0.6, "question_mark", "bench")
    writer.link_answers(db, account)


def time_in_process(path: Path, runs: int) -> dict[str, float]:
    zone = ZoneInfo("UTC")
    periods = {"30d": last_days(30, TODAY, zone), "year": calendar_period("year", TODAY, zone, previous=True)}
    results = {}
    with Store(path) as store:
        from metrics.accounts import require_account

        account = require_account(store.db, "Library7")
        for name, period in periods.items():
            timings = []
            for _ in range(runs):
                started = time.perf_counter()
                json.dumps(build_report(store.db, account, period).to_dict())
                timings.append((time.perf_counter() - started) * 1000)
            results[name] = (statistics.median(timings), max(timings))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="Runs of each report; the median is reported.")
    arguments = parser.parse_args()
    path = ensure_store()
    in_process = time_in_process(path, arguments.runs)
    tweetstats = shutil.which("tweetstats") or "tweetstats"
    whole = {}
    for name, period in (("30d", "30d"), ("year", "year")):
        command = [tweetstats, "--db", str(path), "report", "--account", "@Library7", "--period", period,
                   "--format", "json"]
        whole[name] = statistics.median(time_process(command) * 1000 for _ in range(5))
    startup = statistics.median(time_process([tweetstats, "--help"]) * 1000 for _ in range(5))
    print(f"Machine: {machine_description()}")
    print(f"Store: {ACCOUNTS} accounts x {TWEETS_PER_ACCOUNT:,} tweets, {path.stat().st_size / 1e6:.0f} MB\n")
    print("| report | in-process median (ms) | in-process max (ms) | whole process median (ms) |")
    print("|---|---:|---:|---:|")
    for name in ("30d", "year"):
        median, worst = in_process[name]
        print(f"| {name} | {median:.1f} | {worst:.1f} | {whole[name]:.0f} |")
    print(f"\n`tweetstats --help` (interpreter start-up and imports): {startup:.0f} ms")


if __name__ == "__main__":
    main()
