"""Daily series read from a real store, and the activity chart drawn from them.

America/Toronto leaves daylight saving time on 2026-11-01 (02:00 EDT becomes
01:00 EST), so that local day lasts 25 hours, and enters it on 2026-03-08, a
day of 23 hours. A day's tweets and follower counts are taken between its two
local midnights.
"""

import struct
import subprocess
import sys
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.chart import alt_text, render_activity_chart
from metrics import accounts, writer
from metrics.series import DailySeries, daily_series

TORONTO = ZoneInfo("America/Toronto")
UTC = ZoneInfo("UTC")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Twelve weeks of made-up activity, Monday 2026-09-07 to Sunday 2026-11-29.
FIRST_DAY = date(2026, 9, 7)
DAYS = [FIRST_DAY + timedelta(days=offset) for offset in range(84)]


def add_tweet(db, account, tweet_id: int, created_at: str, kind: str = "original",
              deleted_at: str | None = None) -> None:
    db.execute(
        """INSERT INTO tweets (id, account_id, created_at, kind, text, source, deleted_at)
           VALUES (?, ?, ?, ?, ?, 'test', ?)""",
        [tweet_id, account.id, created_at, kind, f"tweet {tweet_id}", deleted_at],
    )


def add_snapshot(db, account, taken_at: str, followers: int | None) -> None:
    writer.write_follower_snapshot(db, account, taken_at, {"followers": followers, "following": 10}, "test")


def png_size(png: bytes) -> tuple[int, int]:
    """Read the width and height from the IHDR chunk, which follows the 8-byte signature and its own 8-byte header."""
    return struct.unpack(">II", png[16:24])


def sample_series() -> DailySeries:
    tweets = [(day_index * 7 + 3) % 5 for day_index in range(84)]
    tweets[37] = 9  # 2026-10-14, the only day with 9
    followers = [None] * 5 + [1180 + (day_index - 5) * 62 // 78 for day_index in range(5, 84)]
    return DailySeries(days=DAYS, tweets=tweets, followers=followers)


@pytest.fixture
def library(store):
    """An account with a second account beside it, whose rows must never count."""
    with store.write() as db:
        account = accounts.add_account(db, "NorthbrookHSL")
        other = accounts.add_account(db, "PeerLibrary")
    return account, other


@pytest.fixture(scope="module")
def chart():
    return render_activity_chart(sample_series(), "NorthbrookHSL")


def test_series_fall_back_day_has_25_hours(store, library):
    account, _ = library
    with store.write() as db:
        add_tweet(db, account, 1, "2026-11-01T03:59:59Z")  # 2026-10-31 23:59:59 EDT
        add_tweet(db, account, 2, "2026-11-01T04:00:00Z")  # 2026-11-01 00:00 EDT
        add_tweet(db, account, 3, "2026-11-02T04:30:00Z")  # 2026-11-01 23:30 EST, the 25th hour
        add_tweet(db, account, 4, "2026-11-02T05:00:00Z")  # 2026-11-02 00:00 EST

    series = daily_series(store.db, account.id, date(2026, 10, 31), date(2026, 11, 2), TORONTO)

    assert series.days == [date(2026, 10, 31), date(2026, 11, 1), date(2026, 11, 2)]
    assert series.tweets == [1, 2, 1]


def test_series_spring_forward_day_has_23_hours(store, library):
    account, _ = library
    with store.write() as db:
        add_tweet(db, account, 1, "2026-03-08T04:59:59Z")  # 2026-03-07 23:59:59 EST
        add_tweet(db, account, 2, "2026-03-08T05:00:00Z")  # 2026-03-08 00:00 EST
        add_tweet(db, account, 3, "2026-03-09T03:59:59Z")  # 2026-03-08 23:59:59 EDT
        add_tweet(db, account, 4, "2026-03-09T04:30:00Z")  # 2026-03-09 00:30 EDT

    series = daily_series(store.db, account.id, date(2026, 3, 7), date(2026, 3, 9), TORONTO)

    assert series.tweets == [1, 2, 1]


def test_series_same_tweets_in_utc_days(store, library):
    account, _ = library
    with store.write() as db:
        add_tweet(db, account, 1, "2026-11-01T03:59:59Z")
        add_tweet(db, account, 2, "2026-11-02T04:30:00Z")

    series = daily_series(store.db, account.id, date(2026, 10, 31), date(2026, 11, 2), UTC)

    assert series.tweets == [0, 1, 1]


def test_series_counts_retweets_not_deleted(store, library):
    account, other = library
    with store.write() as db:
        add_tweet(db, account, 1, "2026-11-03T15:00:00Z")
        add_tweet(db, account, 2, "2026-11-03T16:00:00Z", kind="retweet")
        add_tweet(db, account, 3, "2026-11-03T17:00:00Z", kind="reply")
        add_tweet(db, account, 4, "2026-11-03T18:00:00Z", deleted_at="2026-11-04T09:00:00Z")
        add_tweet(db, other, 5, "2026-11-03T19:00:00Z")

    series = daily_series(store.db, account.id, date(2026, 11, 3), date(2026, 11, 3), TORONTO)

    assert series.tweets == [3]


def test_series_carries_followers_forward(store, library):
    account, other = library
    with store.write() as db:
        add_snapshot(db, account, "2026-10-31T12:00:00Z", 1180)
        add_snapshot(db, account, "2026-11-02T04:30:00Z", 1190)  # 2026-11-01 23:30 EST
        add_snapshot(db, account, "2026-11-02T05:00:00Z", 1200)  # 2026-11-02 00:00 EST
        add_snapshot(db, account, "2026-11-03T15:00:00Z", None)  # a snapshot without a follower count
        add_snapshot(db, other, "2026-10-30T12:00:00Z", 99)

    series = daily_series(store.db, account.id, date(2026, 10, 30), date(2026, 11, 4), TORONTO)

    assert series.followers == [None, 1180, 1190, 1200, 1200, 1200]


def test_series_followers_from_before_first_day(store, library):
    account, _ = library
    with store.write() as db:
        add_snapshot(db, account, "2026-06-01T12:00:00Z", 950)

    series = daily_series(store.db, account.id, date(2026, 11, 1), date(2026, 11, 2), TORONTO)

    assert series.followers == [950, 950]


def test_series_empty_store(store, library):
    account, _ = library

    series = daily_series(store.db, account.id, FIRST_DAY, DAYS[-1], TORONTO)

    assert series.days == DAYS
    assert series.tweets == [0] * 84
    assert series.followers == [None] * 84


def test_series_rejects_reversed_dates(store, library):
    account, _ = library
    with pytest.raises(ValueError, match="ends \\(2026-11-01\\) before it starts \\(2026-11-02\\)"):
        daily_series(store.db, account.id, date(2026, 11, 2), date(2026, 11, 1), TORONTO)


def test_chart_png_signature_and_size(chart):
    assert chart.png.startswith(PNG_SIGNATURE)
    assert png_size(chart.png) == (1200, 900)
    assert len(chart.png) > 10_000


def test_chart_same_bytes_twice(chart):
    assert render_activity_chart(sample_series(), "NorthbrookHSL").png == chart.png


def test_chart_title(chart):
    assert chart.title == "@NorthbrookHSL · last 12 weeks"


def test_chart_alt_text_with_data(chart):
    assert chart.alt_text == (
        "Tweets per day and followers for @NorthbrookHSL from 2026-09-07 to 2026-11-29: "
        "176 tweets in all, most on 2026-10-14 (9); followers rose from 1,180 on 2026-09-12 to 1,242."
    )


def test_chart_without_tweets():
    series = DailySeries(days=DAYS, tweets=[0] * 84, followers=[1242] * 84)

    chart = render_activity_chart(series, "@NorthbrookHSL")

    assert png_size(chart.png) == (1200, 900)
    assert chart.alt_text == ("Tweets per day and followers for @NorthbrookHSL from 2026-09-07 to 2026-11-29: "
                              "no tweets; followers stayed at 1,242.")


def test_chart_without_followers():
    series = DailySeries(days=DAYS, tweets=[1] * 84, followers=[None] * 84)

    chart = render_activity_chart(series, "NorthbrookHSL")

    assert png_size(chart.png) == (1200, 900)
    assert chart.alt_text == ("Tweets per day and followers for @NorthbrookHSL from 2026-09-07 to 2026-11-29: "
                              "84 tweets in all, no more than 1 a day; no follower counts stored for these days.")


def test_chart_one_day():
    series = DailySeries(days=[date(2026, 11, 29)], tweets=[3], followers=[1242])

    chart = render_activity_chart(series, "NorthbrookHSL")

    assert png_size(chart.png) == (1200, 900)
    assert chart.title == "@NorthbrookHSL · 2026-11-29"
    assert chart.alt_text == ("Tweets and followers for @NorthbrookHSL on 2026-11-29: "
                              "3 tweets; 1,242 followers at the end of the day.")


def test_chart_one_day_without_data():
    series = DailySeries(days=[date(2026, 11, 29)], tweets=[0], followers=[None])

    chart = render_activity_chart(series, "NorthbrookHSL")

    assert chart.png.startswith(PNG_SIGNATURE)
    assert chart.alt_text == "Tweets and followers for @NorthbrookHSL on 2026-11-29: 0 tweets; no follower counts stored for these days."


@pytest.mark.parametrize("tweets, followers, summary", [
    ([0, 1, 0], [None, None, 7], "1 tweet in all, on 2026-09-08; 7 followers on 2026-09-09"),
    ([2, 4, 4], [1, 1, 1], "10 tweets in all, most on 2026-09-08 and 1 other day (4 each); followers stayed at 1"),
    ([4, 4, 4], [None, 50, 50], "12 tweets in all, most on 2026-09-07 and 2 other days (4 each); "
                                "followers stayed at 50 from 2026-09-08"),
    ([1, 0, 2], [1300, 1250, 1240], "3 tweets in all, most on 2026-09-09 (2); followers fell from 1,300 to 1,240"),
    ([1, 0, 2], [1300, 1310, None], "3 tweets in all, most on 2026-09-09 (2); "
                                    "followers rose from 1,300 to 1,310 on 2026-09-08"),
    ([1, 1, 1000], [None, 1, None], "1,002 tweets in all, most on 2026-09-09 (1,000); 1 follower on 2026-09-08"),
])
def test_alt_text_cases(tweets, followers, summary):
    series = DailySeries(days=DAYS[:3], tweets=tweets, followers=followers)

    text = alt_text(series, "NorthbrookHSL")

    assert text == f"Tweets per day and followers for @NorthbrookHSL from 2026-09-07 to 2026-09-09: {summary}."


def test_chart_rejects_empty_series():
    with pytest.raises(ValueError, match="no days"):
        render_activity_chart(DailySeries(days=[], tweets=[], followers=[]), "NorthbrookHSL")


def test_chart_rejects_uneven_series():
    series = DailySeries(days=DAYS[:2], tweets=[1], followers=[None, None])
    with pytest.raises(ValueError, match=r"\(days 2, tweets 1, followers 2\)"):
        render_activity_chart(series, "NorthbrookHSL")


def test_chart_module_imports_without_matplotlib():
    code = "import sys, bot.chart; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"
