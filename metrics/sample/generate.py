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

Each concept has its own module in this package. ``texts`` contains the fixed text and
``timeline`` the dates and ids. ``people``, ``posts`` and ``mentions`` compose the accounts
and posts, and ``plan`` plans the sample year from them. ``archive`` and ``twarc_pages``
write the two output files, and ``benchmark`` composes the tweets for large benchmark files.
"""

from __future__ import annotations

import random
from pathlib import Path

from metrics.sample import ARCHIVE_PATH, DATA_DIR, MENTIONS_PATH
from metrics.sample.archive import build_archive_tweet, iterate_js_chunks, write_archive
from metrics.sample.benchmark import BENCHMARK_FORMS, iterate_benchmark_tweets
from metrics.sample.plan import plan_sample
from metrics.sample.timeline import TWITTER_EPOCH_MS, format_archive_time
from metrics.sample.twarc_pages import build_mention_pages, write_mentions

# Callers import these names from this module, although plan_sample, format_archive_time
# and TWITTER_EPOCH_MS are defined in plan and timeline.
__all__ = [
    "TWITTER_EPOCH_MS",
    "build_sample",
    "format_archive_time",
    "main",
    "plan_sample",
    "write_tweets_js",
]

SAMPLE_SEED = 20261130


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


def main() -> None:
    archive_path, mentions_path = build_sample(DATA_DIR)
    print(archive_path)
    print(mentions_path)


if __name__ == "__main__":
    main()
