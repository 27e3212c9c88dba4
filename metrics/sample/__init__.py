"""Bundled sample data for a fictional health library, used by ``tweetstats demo``.

The files in ``data/`` are written by ``python -m metrics.sample.generate`` and are
byte-for-byte reproducible from it.
"""

from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
ARCHIVE_PATH = DATA_DIR / "sample-archive.zip"
MENTIONS_PATH = DATA_DIR / "sample-mentions.jsonl"

# The fictional account. The ".example" top-level domain is reserved (RFC 2606),
# so the library's own site can never point at a real organisation.
ACCOUNT_ID = "1460000000000000001"
HANDLE = "NorthbrookHSL"
DISPLAY_NAME = "Northbrook Health Sciences Library"
OWN_DOMAINS = ("northbrook-hsl.example",)
# The sample covers 2025-12-01 to this day, in UTC.
LAST_DAY = "2026-11-30"
