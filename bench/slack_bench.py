"""Benchmark `/tweetstats @handle 30d` over HTTP against a floor app that only acknowledges.

The store is the one report_bench.py builds (bench/out/report-bench.db: 1,000,000
tweets over the accounts Library0 to Library19), built here once if missing. Two
app servers run as child processes of this script, each on 127.0.0.1: the real app
from ``bot.app.build_app``, and the floor, built by the same function with the
/tweetstats listener replaced by one that only calls ``ack()``. This process sends
signed commands one at a time, in rounds that alternate between the two servers,
and receives the replies on a local stand-in for Slack (tests/slack_server.py).

Per request it measures, with time.perf_counter in this process, the time from
sending the request until its HTTP response (the ack) is read, and, for the real
app, until the response_url POST carrying the report has arrived.

Usage: python slack_bench.py [--requests 200] [--rounds 4] [--warm-up 10]   (from inside bench/)
"""

import argparse
import math
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from measure import machine_description, median
from report_bench import ACCOUNTS, TWEETS_PER_ACCOUNT, ensure_store

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from slack_fixtures import OUTSIDE_SETTINGS  # noqa: E402
from slack_requests import command_body, post, signed_headers  # noqa: E402
from slack_server import BOT_TOKEN, SIGNING_SECRET, Recorded, SlackServer  # noqa: E402

# "Now" for the app: noon on the store's last day, so that 30d covers 2026-11-01 to 2026-11-30.
NOW = datetime(2026, 11, 30, 12, 0, tzinfo=timezone.utc)
PERIOD_HEADER = "2026-11-01 to 2026-11-30"
# How long to wait for one reply before the run fails, in seconds.
REPLY_TIMEOUT = 10.0


class TimedSlackServer(SlackServer):
    """A local stand-in for Slack that also stores when each request arrived (time.perf_counter, body decoded)."""

    def start(self) -> "TimedSlackServer":
        self.arrivals: dict[str, float] = {}
        self._arrived = threading.Condition()
        return super().start()

    def record(self, request: Recorded) -> None:
        arrived = time.perf_counter()
        super().record(request)
        with self._arrived:
            self.arrivals[request.path] = arrived
            self._arrived.notify_all()

    def wait_for_arrival(self, path: str) -> tuple[float, Recorded]:
        """Wait for the request to ``path`` and return its arrival time with it, or raise TimeoutError."""
        with self._arrived:
            if not self._arrived.wait_for(lambda: path in self.arrivals, timeout=REPLY_TIMEOUT):
                raise TimeoutError(f"no POST to {path} arrived within {REPLY_TIMEOUT} s")
            arrived = self.arrivals[path]
        return arrived, self.received(path)[0]


class AppProcess:
    """One app server in a child process of this script. ``url`` is where it receives Slack's requests."""

    def __init__(self, kind: str, api_url: str, db_path: Path) -> None:
        self.kind = kind
        command = [sys.executable, __file__, "--serve", kind, "--api-url", api_url, "--db", str(db_path)]
        self._child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.url = self._child.stdout.readline().strip()
        if not self.url.startswith("http://127.0.0.1:"):
            self.close()
            raise RuntimeError(f"the {kind} app server failed to start (exit code {self._child.returncode}). "
                               "Its error is printed above")

    def close(self) -> None:
        """Close the child's stdin, which makes serve() return, and wait for the child to exit."""
        self._child.stdin.close()
        try:
            self._child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()


def serve(kind: str, api_url: str, db_path: Path) -> None:
    """Serve the real or the floor app on 127.0.0.1, print its URL, and stop when stdin closes."""
    import bot.app
    from bot.config import SlackSettings
    from bot.handlers import CommandRunner
    from bot.server import HttpServer

    if kind == "floor":
        # build_app registers its listeners through this module-level name, so replacing it
        # changes only the listeners. The client, signature check and middleware stay as built.
        bot.app.register_listeners = register_ack_only
    settings = SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=api_url)
    zone = ZoneInfo("UTC")
    runner = CommandRunner(db_path, zone, None, clock=lambda: NOW)
    app = bot.app.build_app(settings, db_path, zone, runner=runner)
    server = HttpServer(app, "127.0.0.1", 0)
    server.start_in_thread()
    print(server.url, flush=True)
    sys.stdin.read()
    server.close()


def register_ack_only(app, runner, admins) -> None:
    """Register a /tweetstats listener that only acknowledges, which is all the floor does."""

    @app.command("/tweetstats")
    def on_command(ack) -> None:
        ack()


def send_batch(server: "AppProcess", slack: TimedSlackServer, sent: int, count: int, timings: dict[str, list],
               prefix: str) -> int:
    """Send ``count`` commands one at a time, adding their times under "<prefix>ack" and "<prefix>reply".

    Returns how many commands were sent in all, which picks the next account.
    """
    for number in range(sent, sent + count):
        ack, reply = send_report_command(server, slack, number, wait_for_reply=server.kind == "real")
        timings[prefix + "ack"].append(ack)
        if reply is not None:
            timings[prefix + "reply"].append(reply)
    return sent + count


def send_report_command(server: AppProcess, slack: TimedSlackServer, number: int, wait_for_reply: bool
                        ) -> tuple[float, float | None]:
    """Send `/tweetstats @LibraryN 30d` and return milliseconds to the ack and, when waited for, to the reply.

    Raise RuntimeError when the ack is not an empty HTTP 200, or the reply is not the requested report.
    """
    handle = f"Library{number % ACCOUNTS}"
    name = f"{server.kind}-{number}"
    body = urlencode(command_body(f"@{handle} 30d", slack.response_url(name)))
    headers = signed_headers(body)

    sent = time.perf_counter()
    response = post(server.url, body, headers)
    acked = time.perf_counter()
    if (response.status, response.body) != (200, ""):
        raise RuntimeError(f"the {server.kind} app returned HTTP {response.status} for request {name}, "
                           f"expected an empty 200: {response.body[:200]!r}")
    if not wait_for_reply:
        return (acked - sent) * 1000, None

    arrived, reply = slack.wait_for_arrival(f"/webhook/{name}")
    header = reply.body["blocks"][0]["text"]["text"]
    if header != f"@{handle} · {PERIOD_HEADER}":
        raise RuntimeError(f"request {name} received a reply that is not the 30-day report: {header!r}")
    return (acked - sent) * 1000, (arrived - sent) * 1000


def nearest_rank(values: list[float], percent: float) -> float:
    """Return the nearest-rank percentile: the smallest value with at least ``percent`` % of values at or below."""
    ordered = sorted(values)
    return ordered[max(math.ceil(percent / 100 * len(ordered)), 1) - 1]


def run_benchmark(requests: int, rounds: int, warm_up: int, db_path: Path) -> dict[str, dict[str, list[float]]]:
    """Time both apps in alternating rounds and return each app's ack and reply times in ms, warm-up apart."""
    slack = TimedSlackServer().start()
    servers = []
    try:
        servers = [AppProcess("floor", slack.api_url, db_path), AppProcess("real", slack.api_url, db_path)]
        timings = {server.kind: {"ack": [], "reply": [], "warm-up ack": [], "warm-up reply": []}
                   for server in servers}
        sent = 0
        for server in servers:
            sent = send_batch(server, slack, sent, warm_up, timings[server.kind], "warm-up ")
        per_round = requests // rounds
        for round_number in range(rounds):
            # The floor goes first in even rounds and second in odd ones.
            order = servers if round_number % 2 == 0 else servers[::-1]
            for server in order:
                sent = send_batch(server, slack, sent, per_round, timings[server.kind], "")
        return timings
    finally:
        for server in servers:
            server.close()
        slack.stop()


def print_results(timings: dict[str, dict[str, list[float]]], db_path: Path) -> None:
    real, floor = timings["real"], timings["floor"]
    print(f"Machine: {machine_description()}")
    print(f"Store: {ACCOUNTS} accounts x {TWEETS_PER_ACCOUNT:,} tweets, {db_path.stat().st_size / 1e6:.0f} MB")
    print(f"Requests: {len(real['ack'])} per app, one at a time, after {len(real['warm-up ack'])} warm-up "
          "requests each\n")
    print("| app | ack p50 (ms) | ack p99 (ms) | ack max (ms) | reply p50 (ms) | reply p95 (ms) | reply max (ms) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name, result in (("tweetstats", real), ("floor (ack only)", floor)):
        acks = result["ack"]
        cells = [median(acks), nearest_rank(acks, 99), max(acks)]
        if result["reply"]:
            replies = result["reply"]
            cells += [median(replies), nearest_rank(replies, 95), max(replies)]
        cells_text = " | ".join(f"{cell:.1f}" for cell in cells)
        if not result["reply"]:
            cells_text += " | none | none | none"
        print(f"| {name} | {cells_text} |")

    ratio = nearest_rank(real["ack"], 99) / nearest_rank(floor["ack"], 99)
    reply_p95 = nearest_rank(real["reply"], 95)
    print(f"\nack p99 / floor ack p99: {ratio:.2f} (target at most 2: {'met' if ratio <= 2 else 'not met'})")
    print(f"reply p95: {reply_p95:.1f} ms (target under 300 ms: {'met' if reply_p95 < 300 else 'not met'})")
    for name, result in (("tweetstats", real), ("floor", floor)):
        warm = ", ".join(f"{value:.1f}" for value in result["warm-up ack"])
        print(f"{name} warm-up acks (ms): {warm}")
    warm_replies = ", ".join(f"{value:.1f}" for value in real["warm-up reply"])
    print(f"tweetstats warm-up replies (ms): {warm_replies}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="Timed requests per app.")
    parser.add_argument("--rounds", type=int, default=4,
                        help="Rounds to split the timed requests into. The apps take turns round by round.")
    parser.add_argument("--warm-up", type=int, default=10, help="Untimed requests per app before the rounds.")
    parser.add_argument("--serve", choices=("real", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--api-url", help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    # Bolt, slack_sdk and urllib read these on their own, and a proxy variable would send loopback requests elsewhere.
    for variable in OUTSIDE_SETTINGS:
        os.environ.pop(variable, None)
    if arguments.serve:
        serve(arguments.serve, arguments.api_url, arguments.db)
        return
    if arguments.requests % arguments.rounds:
        parser.error(f"--requests {arguments.requests} is not a multiple of --rounds {arguments.rounds}")

    db_path = ensure_store()
    timings = run_benchmark(arguments.requests, arguments.rounds, arguments.warm_up, db_path)
    print_results(timings, db_path)


if __name__ == "__main__":
    main()
