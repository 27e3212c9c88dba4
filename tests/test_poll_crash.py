"""``tweetstats poll --once`` killed with SIGKILL at random moments and restarted ends as one uninterrupted run.

The poller writes each stream's tweets together with its cursor in one
transaction, so a kill at any instant must lose nothing and duplicate nothing.
The test runs the real command line in child processes against a local fake
of the X API, whose responses are slowed a little so that kills land in the
middle of a cycle.
"""

import os
import random
from collections import Counter
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from click.testing import CliRunner

from bot.cli import cli
from x_server import BEARER_TOKEN, Reply, XRequest, XServer, make_tweet, snowflake

PROJECT = Path(__file__).resolve().parent.parent
ACCOUNTS = {"NorthbrookHSL": 1460000000000000001, "RiversideMedLib": 1460000000000000002}
ASKER_HANDLE = "curious_reader"
ASKER_ID = 1770000000000000001
# Per account, 280 own tweets and 110 mentions: an uninterrupted cycle makes 14 requests, per account a user
# lookup by handle, 3 timeline pages of 100, 2 mention pages and a user lookup by id.
NEWS_PER_ACCOUNT = 260
QUESTIONS_PER_ACCOUNT = 60
THANKS_PER_ACCOUNT = 50
# The account replies to every third question, which marks it answered.
ANSWER_EVERY = 3
RESPONSE_DELAY_SECONDS = 0.05
KILLS = 12
SEED = 20240611
# The poller's work between two requests (parsing a page, writing a stream)
# took 3 to 20 ms on a development machine, so many kills fall in it. On a
# slower machine more of them do, which changes nothing in the outcome.
MAX_PAUSE_AFTER_RESPONSE = 0.015
# Columns that record when a poll ran, so they differ between two correct stores.
IGNORED_COLUMNS = {
    "tweets": {"metrics_at"},
    "follower_snapshots": {"taken_at"},
    "cursors": {"updated_at"},
    "mention_coverage": {"start", "end"},
    "poller_state": {"value", "updated_at"},
}
# The usage tables rightly differ, because a killed run's requests reached X and count.
IGNORED_TABLES = {"api_usage", "api_reads"}


@dataclass
class SlowXServer(XServer):
    """The fake X API with a fixed delay before each response, counting the responses sent and those under way."""

    delay: float = RESPONSE_DELAY_SECONDS
    answered: int = 0
    in_flight: int = 0
    progress: threading.Condition = field(default_factory=threading.Condition)

    def respond(self, request: XRequest) -> Reply | None:
        with self.progress:
            self.in_flight += 1
        try:
            time.sleep(self.delay)
            return super().respond(request)
        finally:
            with self.progress:
                self.in_flight -= 1
                self.answered += 1
                self.progress.notify_all()

    def wait_for_answers(self, count: int, process: subprocess.Popen) -> None:
        """Wait until the server has sent ``count`` responses in all, or ``process`` has ended."""
        with self.progress:
            while self.answered < count and process.poll() is None:
                self.progress.wait(0.01)


@dataclass
class KillLog:
    """Where each kill landed: while a request waited on the server, or while the poller worked on its own."""

    seed: int
    during_request: int = 0
    between_requests: int = 0
    ended_first: int = 0
    kills: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        return (f"seed {self.seed}: {self.during_request} kills during a request, {self.between_requests} between "
                f"requests, {self.ended_first} runs ended before their kill; " + "; ".join(self.kills))


def add_history(x: XServer, now: datetime) -> None:
    """Add both accounts with their tweets (some with links and hashtags), questions, answers and thanks."""
    x.add_user(ASKER_HANDLE, ASKER_ID, followers=10)
    sequence = 0
    for offset, (handle, user_id) in enumerate(ACCOUNTS.items()):
        x.add_user(handle, user_id, followers=1200 + offset, following=300, tweets=5000, listed=12)
        for number in range(NEWS_PER_ACCOUNT):
            moment = now - timedelta(days=3) + timedelta(minutes=15 * number + offset)
            sequence += 1
            urls = [f"https://library.example.org/news/{number}"] if number % 4 == 0 else []
            text = f"Library news {number} #openaccess" if number % 5 == 0 else f"Library news {number}"
            x.add_tweet(user_id, make_tweet(snowflake(moment, sequence), user_id, text, moment, urls=urls,
                                            likes=number % 7, retweets=number % 3, impressions=number * 10))
        for number in range(QUESTIONS_PER_ACCOUNT):
            asked_at = now - timedelta(days=2, hours=number % 40, minutes=number)
            sequence += 1
            question = make_tweet(snowflake(asked_at, sequence), ASKER_ID, f"@{handle} Do you have journal {number}?",
                                  asked_at)
            x.add_mention(user_id, question)
            if number % ANSWER_EVERY == 0:
                sequence += 1
                answer_reply(x, handle, question, asked_at + timedelta(minutes=42), sequence)
        for number in range(THANKS_PER_ACCOUNT):
            moment = now - timedelta(hours=30, minutes=7 * number)
            sequence += 1
            x.add_mention(user_id, make_tweet(snowflake(moment, sequence), ASKER_ID,
                                              f"@{handle} thanks for the workshop {number}", moment))


def add_news(x: XServer, now: datetime) -> None:
    """Add a few tweets and mentions newer than the history, and an answer to an old question."""
    sequence = 4000
    for offset, (handle, user_id) in enumerate(ACCOUNTS.items()):
        for number in range(3):
            moment = now - timedelta(minutes=10 - number - offset)
            sequence += 1
            x.add_tweet(user_id, make_tweet(snowflake(moment, sequence), user_id, f"Open today {number} #hours",
                                            moment, urls=["https://library.example.org/hours"]))
        moment = now - timedelta(minutes=5 - offset)
        sequence += 1
        x.add_mention(user_id, make_tweet(snowflake(moment, sequence), ASKER_ID,
                                          f"@{handle} Is the reading room open on Sunday?", moment))
        unanswered = unanswered_questions(x, user_id)[0]
        sequence += 1
        answer_reply(x, handle, unanswered, now - timedelta(minutes=2 - offset), sequence)


def answer_reply(x: XServer, handle: str, question: dict, moment: datetime, sequence: int) -> None:
    """Add the account's reply to ``question`` to its timeline."""
    user_id = ACCOUNTS[handle]
    reply = make_tweet(snowflake(moment, sequence), user_id, f"@{ASKER_HANDLE} Yes, it is in the catalogue", moment,
                       kind="reply", referenced_id=question["id"], in_reply_to_user_id=ASKER_ID)
    x.add_tweet(user_id, reply)


def unanswered_questions(x: XServer, user_id: int) -> list[dict]:
    answered = {reference["id"] for tweet_id in x.timelines[str(user_id)]
                for reference in x.tweets[tweet_id].get("referenced_tweets", [])}
    return [x.tweets[tweet_id] for tweet_id in x.mentions[str(user_id)]
            if tweet_id not in answered and x.tweets[tweet_id]["text"].endswith("?")]


def prepare_store(folder: Path) -> Path:
    """Create a store tracking both accounts with ``tweetstats accounts add``, as a user does."""
    path = folder / "template.db"
    for handle in ACCOUNTS:
        result = CliRunner().invoke(cli, ["--db", str(path), "accounts", "add", f"@{handle}"],
                                    catch_exceptions=False)
        assert result.exit_code == 0, result.output
    # With no -wal file left, copying the main file copies the whole store.
    assert not Path(f"{path}-wal").exists()
    return path


def child_environment(x: XServer) -> dict[str, str]:
    """Build the child's whole environment: no proxy variables, no Slack settings, the fake X API."""
    inherited = {name: os.environ[name] for name in ("PATH", "HOME") if name in os.environ}
    return {**inherited, "PYTHONPATH": str(PROJECT), "X_BEARER_TOKEN": BEARER_TOKEN, "X_API_URL": x.api_url,
            "TWEETSTATS_TIMEZONE": "UTC"}


def start_poll(db: Path, x: XServer, folder: Path) -> subprocess.Popen:
    """Start ``tweetstats --db DB poll --once`` in ``folder``, which has no .env file."""
    command = [sys.executable, "-c", "from bot.cli import main; main()", "--db", str(db), "poll", "--once"]
    return subprocess.Popen(command, env=child_environment(x), cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def poll_to_end(db: Path, x: XServer, folder: Path) -> None:
    process = start_poll(db, x, folder)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, f"poll --once failed with exit code {process.returncode}:\n{stderr}"
    assert "Stopped early" not in stderr


def poll_with_kills(db: Path, x: SlowXServer, folder: Path, max_responses: int) -> KillLog:
    """Start ``poll --once`` and kill it with SIGKILL ``KILLS`` times, restarting it after each kill.

    Each run is killed once the server has sent it a random number of
    responses, from 1 to ``max_responses``, and a random pause up to
    MAX_PAUSE_AFTER_RESPONSE later. Measured in responses rather than seconds,
    the kills spread over the whole cycle, although each restart skips the
    streams that the killed runs already stored.
    """
    rng = random.Random(SEED)
    log = KillLog(SEED)
    for _ in range(KILLS):
        responses = rng.randint(1, max_responses)
        pause = rng.uniform(0, MAX_PAUSE_AFTER_RESPONSE)
        process = start_poll(db, x, folder)
        x.wait_for_answers(x.answered + responses, process)
        time.sleep(pause)
        # Holding the server's lock keeps in_flight from changing between the check and the kill.
        with x.progress:
            running = process.poll() is None
            waiting = x.in_flight > 0
            process.kill()
        _, stderr = process.communicate(timeout=60)

        if not running:
            log.ended_first += 1
            where = "ended first"
        elif waiting:
            log.during_request += 1
            where = "during a request"
        else:
            log.between_requests += 1
            where = "between requests"
        log.kills.append(f"response {responses} + {pause * 1000:.0f} ms: {where}")
        assert process.returncode in (0, -signal.SIGKILL), f"exit code {process.returncode}, {log}:\n{stderr}"
        # A run takes the poll lock before its first request, so every kill here hit a run that held the
        # lock, and the next run must find it free.
        assert "another tweetstats process is polling" not in stderr, str(log)
    return log


def read_content(db: Path) -> dict[str, list[tuple]]:
    """Read every table's rows, sorted, without the columns that record when a poll ran."""
    connection = sqlite3.connect(db)
    try:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        content = {}
        for table in tables:
            if table in IGNORED_TABLES:
                continue
            columns = [row[1] for row in connection.execute(f'PRAGMA table_info("{table}")')
                       if row[1] not in IGNORED_COLUMNS.get(table, set())]
            selected = ", ".join(f'"{column}"' for column in columns)
            # A poll on a new UTC day rightly stores another snapshot with the same counts.
            distinct = "DISTINCT " if table == "follower_snapshots" else ""
            content[table] = connection.execute(
                f'SELECT {distinct}{selected} FROM "{table}" ORDER BY {selected}').fetchall()
        return content
    finally:
        connection.close()


def content_differences(clean: dict[str, list[tuple]], crashed: dict[str, list[tuple]]) -> dict[str, str]:
    """Return, per table whose rows differ, the rows that the killed store lacks and those it has in excess."""
    differences = {}
    for table in sorted(clean.keys() | crashed.keys()):
        missing = list((Counter(clean.get(table, [])) - Counter(crashed.get(table, []))).elements())
        extra = list((Counter(crashed.get(table, [])) - Counter(clean.get(table, []))).elements())
        if missing or extra:
            differences[table] = f"missing {missing}, in excess {extra}"
    return differences


def query(db: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def server_counts(x: XServer) -> list[tuple]:
    """Return (user id, own tweets, mentions, answered questions) per account, as the server stores them."""
    rows = []
    for user_id in sorted(ACCOUNTS.values()):
        timeline = [x.tweets[tweet_id] for tweet_id in x.timelines[str(user_id)]]
        answered = {reference["id"] for tweet in timeline for reference in tweet.get("referenced_tweets", [])}
        rows.append((user_id, len(timeline), len(x.mentions[str(user_id)]), len(answered)))
    return rows


def store_counts(db: Path) -> list[tuple]:
    return query(db, """SELECT a.user_id,
                               (SELECT count(*) FROM tweets t WHERE t.account_id = a.id),
                               (SELECT count(*) FROM mentions m WHERE m.account_id = a.id),
                               (SELECT count(*) FROM mentions m WHERE m.account_id = a.id
                                                                AND m.answered_by IS NOT NULL)
                        FROM accounts a ORDER BY a.user_id""")


def stream_requests(requests: list[XRequest]) -> list[tuple[str, str | None]]:
    """Return the path and since_id of each timeline and mentions request."""
    return [(request.path, request.query.get("since_id")) for request in requests
            if request.path.endswith(("/tweets", "/mentions"))]


def test_killed_polls_match_clean_poll(tmp_path):
    """Kill ``poll --once`` with SIGKILL at random moments, restart it, and compare its store with a clean run's.

    Store A gets one uninterrupted ``poll --once``. Store B, a copy of the same
    prepared store, gets ``poll --once`` killed KILLS times and then one run to
    the end. The two must then hold the same content: every row of every
    table, without the columns that record when a poll ran
    (``tweets.metrics_at``, ``follower_snapshots.taken_at``,
    ``cursors.updated_at``, the ends of ``mention_coverage`` spans and the
    ``poller_state`` values). The usage tables are left out, because a killed
    run's requests reached X and rightly count. Follower snapshots are
    compared as a set, because a poll on a new UTC day rightly stores another
    one with the same counts, and a separate check finds two on one day. Then
    both stores poll newer tweets once more: B's cursors must lead to the same
    requests and the same rows as A's.
    """
    now = datetime.now(timezone.utc).replace(microsecond=0)
    x = SlowXServer().start()
    try:
        add_history(x, now)
        template = prepare_store(tmp_path)
        clean = shutil.copyfile(template, tmp_path / "clean.db")
        crashed = shutil.copyfile(template, tmp_path / "crashed.db")

        before = x.answered
        poll_to_end(clean, x, tmp_path)
        requests_per_cycle = x.answered - before
        log = poll_with_kills(crashed, x, tmp_path, max(1, requests_per_cycle // 3))
        poll_to_end(crashed, x, tmp_path)
        after_kills = read_content(crashed)
        clean_content = read_content(clean)

        add_news(x, now)
        first_request = len(x.requests)
        poll_to_end(clean, x, tmp_path)
        clean_requests = stream_requests(x.requests[first_request:])
        first_request = len(x.requests)
        poll_to_end(crashed, x, tmp_path)
        crashed_requests = stream_requests(x.requests[first_request:])
    finally:
        x.stop()

    assert requests_per_cycle == 14
    assert log.during_request + log.between_requests > 0, str(log)
    assert content_differences(clean_content, after_kills) == {}, str(log)
    assert store_counts(clean) == server_counts(x)
    assert crashed_requests == clean_requests, str(log)
    assert content_differences(read_content(clean), read_content(crashed)) == {}, str(log)
    assert store_counts(crashed) == server_counts(x), str(log)
    assert query(crashed, "PRAGMA integrity_check") == [("ok",)]
    assert query(crashed, "PRAGMA foreign_key_check") == []
    assert query(crashed, """SELECT account_id, substr(taken_at, 1, 10) FROM follower_snapshots
                             GROUP BY account_id, substr(taken_at, 1, 10) HAVING count(*) > 1""") == []
