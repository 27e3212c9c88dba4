"""Benchmark `tweetstats import` against twitter-to-sqlite 0.22 and the floor.

Generates the same 100,000 tweets twice: as a 2020 tweet.js (compact, about
100 MB), the form twitter-to-sqlite reads, and as a 2022 tweets.js (pretty-printed
with edit_info, about 140 MB). Every importer that reads a form is timed on it as a
whole process, the importers taking turns run by run, and its peak memory is
measured in one more run. Ratios compare importers on the same file.

Usage: python bench/import_bench.py [--tweets 100000] [--runs 3] [--twitter-to-sqlite PATH]

twitter-to-sqlite is optional: install it in its own environment with
``python -m venv bench/out/t2s-venv && bench/out/t2s-venv/bin/pip install twitter-to-sqlite==0.22``.
"""

import argparse
import shutil
import sqlite3
from pathlib import Path

from measure import machine_description, measure_memory, median, python, time_process

from metrics.sample.generate import write_tweets_js

OUT = Path(__file__).parent / "out"
BENCH = Path(__file__).parent


def prepare(count: int) -> tuple[Path, Path]:
    modern = OUT / f"tweets-{count}.js"
    # twitter-to-sqlite picks its reader by file name and skips any other name.
    legacy = OUT / f"twitter-to-sqlite-{count}" / "tweet.js"
    legacy.parent.mkdir(exist_ok=True)
    for path, form in ((modern, "2022"), (legacy, "2020")):
        if not path.exists():
            # Written under another name first, so an interrupted run leaves no
            # truncated file for the next run to reuse.
            partial = path.with_suffix(".partial")
            write_tweets_js(partial, count, seed=7, form=form)
            partial.rename(path)
    return modern, legacy


def count_rows(database: Path, table: str) -> int:
    with sqlite3.connect(database) as connection:
        return connection.execute(f"SELECT count(*) FROM [{table}]").fetchone()[0]


def fresh_database(database: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def time_importers(importers: list[tuple[str, list[str], str]], database: Path, runs: int,
                   expected: int) -> list[dict]:
    """Time each importer on a fresh database, then check what it stored and measure its memory once.

    The importers take turns run by run, so drift in the machine's speed falls on all alike.
    """
    seconds: dict[str, list[float]] = {name: [] for name, _, _ in importers}
    for _ in range(runs):
        for name, command, _ in importers:
            fresh_database(database)
            seconds[name].append(time_process(command))
    rows = []
    for name, command, table in importers:
        fresh_database(database)
        memory = measure_memory(command)
        # A run that stored nothing would time nothing, so check what it wrote.
        stored = count_rows(database, table)
        if stored < expected:
            raise SystemExit(f"{name} stored {stored} rows in {table}, fewer than {expected}")
        rows.append({
            "name": name,
            "seconds": median(seconds[name]),
            "all_seconds": [round(value, 2) for value in seconds[name]],
            "peak_pss_mb": memory.pss_mb,
            "peak_rss_mb": memory.rss_mb,
        })
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=100_000, help="Number of tweets in the generated file.")
    parser.add_argument("--runs", type=int, default=3, help="Runs of each importer; the median time is reported.")
    parser.add_argument("--twitter-to-sqlite", default=str(OUT / "t2s-venv" / "bin" / "twitter-to-sqlite"),
                        help="Path of the twitter-to-sqlite executable; skipped when absent.")
    arguments = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    modern, legacy = prepare(arguments.tweets)
    tweetstats = shutil.which("tweetstats") or "tweetstats"
    database = OUT / "import-bench.db"
    # tweetstats keeps one version of each edited tweet, so it stores about 1 % fewer rows.
    expected = int(arguments.tweets * 0.95)
    inputs = [("2020 tweet.js", legacy), ("2022 tweets.js", modern)]
    importers = []
    for label, path in inputs:
        importers.append((f"tweetstats import, {label}", [tweetstats, "--db", str(database), "import", str(path),
                                                          "--account", "@BenchLibrary"], "tweets"))
        importers.append((f"floor, {label}", [python(), str(BENCH / "floor_import.py"), str(path), str(database)],
                          "tweets"))
    if Path(arguments.twitter_to_sqlite).exists():
        importers.append(("twitter-to-sqlite 0.22 import, 2020 tweet.js",
                          [arguments.twitter_to_sqlite, "import", str(database), str(legacy)], "archive_tweet"))
    rows = time_importers(importers, database, arguments.runs, expected)
    print(f"Machine: {machine_description()}")
    print(f"Input: {arguments.tweets:,} tweets; {legacy.name} {legacy.stat().st_size / 1e6:.1f} MB, "
          f"{modern.name} {modern.stat().st_size / 1e6:.1f} MB; median of {arguments.runs} runs\n")
    print("| importer, input | time (s) | runs (s) | peak memory, PSS (MB) | peak memory, summed RSS (MB) |")
    print("|---|---:|---|---:|---:|")
    for row in rows:
        print(f"| {row['name']} | {row['seconds']:.2f} | {', '.join(map(str, row['all_seconds']))} "
              f"| {row['peak_pss_mb']:.0f} | {row['peak_rss_mb']:.0f} |")
    seconds = {row["name"]: row["seconds"] for row in rows}
    print()
    for label, _ in inputs:
        ratio = seconds[f"tweetstats import, {label}"] / seconds[f"floor, {label}"]
        print(f"tweetstats / floor on the {label}: {ratio:.2f}")
    baseline = "twitter-to-sqlite 0.22 import, 2020 tweet.js"
    if baseline in seconds:
        print(f"twitter-to-sqlite / tweetstats on the 2020 tweet.js: "
              f"{seconds[baseline] / seconds['tweetstats import, 2020 tweet.js']:.2f}")

if __name__ == "__main__":
    main()
