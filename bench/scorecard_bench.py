"""Benchmark building and drawing the scorecard on the report benchmark's store of 1,000,000 tweets.

The store is the one bench/report_bench.py builds (bench/out/report-bench.db),
built first if missing. For one account and each period, the script times
``build_scorecard`` (the report and each goal's 12-period history and the
response times) and drawing the page as PNG and as PDF, inside the process.
Each time is the median and maximum of several runs. It then times
``tweetstats scorecard`` writing the PNG as a whole process, median of 5.

Usage: python bench/scorecard_bench.py [--runs 10]
"""

import argparse
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from measure import machine_description, time_process
from report_bench import OUT, TODAY, ensure_store

from bot.scorecard import render_scorecard
from metrics.accounts import require_account
from metrics.periods import Period, calendar_period, last_days
from metrics.scorecard import build_scorecard
from metrics.store import Store

ACCOUNT = "Library7"


def time_runs(runs: int, action: Callable[[], object]) -> tuple[float, float]:
    """Run ``action`` ``runs`` times and return the median and maximum time in milliseconds."""
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings), max(timings)


def time_command(path: Path, period: Period) -> float:
    """Return the median wall time in milliseconds of 5 runs of tweetstats scorecard for the period."""
    tweetstats = shutil.which("tweetstats") or "tweetstats"
    last = period.until - timedelta(days=1)
    command = [tweetstats, "--db", str(path), "scorecard", "--account", "@" + ACCOUNT, "--since",
               period.since.isoformat(), "--until", last.isoformat(), "--output", str(OUT / "scorecard-bench.png")]
    return statistics.median(time_process(command) * 1000 for _ in range(5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10, help="Runs of each step; the median and maximum are reported.")
    arguments = parser.parse_args()
    path = ensure_store()
    zone = ZoneInfo("UTC")
    chosen = {
        "30d": last_days(30, TODAY, zone),
        "quarter": calendar_period("quarter", TODAY, zone, previous=True),
        "year": calendar_period("year", TODAY, zone, previous=True),
    }
    # The first page drawn loads fonts and Matplotlib's modules, so it is not timed.
    with Store(path) as store:
        account = require_account(store.db, ACCOUNT)
        render_scorecard(build_scorecard(store.db, account, chosen["30d"]))
        rows = []
        for name, period in chosen.items():
            card = build_scorecard(store.db, account, period)
            computed = sum(any(history.values[index] is not None for history in card.history)
                           for index in range(len(card.periods)))
            build = time_runs(arguments.runs, lambda: build_scorecard(store.db, account, period))
            png = time_runs(arguments.runs, lambda: render_scorecard(card, "png"))
            pdf = time_runs(arguments.runs, lambda: render_scorecard(card, "pdf"))
            rows.append((name, period, computed, build, png, pdf, time_command(path, period)))

    print(f"Machine: {machine_description()}")
    print(f"Store: {path} ({path.stat().st_size / 1e6:.0f} MB), account @{ACCOUNT}, {arguments.runs} runs each\n")
    print("| period | days | history periods with data | build median (ms) | build max (ms) | PNG median (ms) | PNG max (ms) "
          "| PDF median (ms) | PDF max (ms) | whole process, PNG (ms) |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, period, computed, build, png, pdf, whole in rows:
        print(f"| {name} | {period.since} to {period.until - timedelta(days=1)} | {computed} | {build[0]:.0f} | {build[1]:.0f} "
              f"| {png[0]:.0f} | {png[1]:.0f} | {pdf[0]:.0f} | {pdf[1]:.0f} | {whole:.0f} |")


if __name__ == "__main__":
    main()
