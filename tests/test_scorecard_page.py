"""The scorecard drawn as a page (PNG and PDF) and described in words.

The stores have no data, partial data, a year of data, or no goals.

tests/scorecard_stores.py describes the stores.
"""

import io
import math
import re
import struct
import warnings
from datetime import date, timedelta

import pytest
import time_machine

from bot.chart import RENDER_LOCK
from bot.progress import summary_line
from bot.scorecard import alt_text, period_dates, render_scorecard
from bot.scorecard_page import PAGE_INCHES, data_note, draw_page, goal_detail, wrap_tweet
from metrics import accounts
from metrics.goal_store import set_goals
from metrics.goals import AT_LEAST, BETTER, MISSED, SAME, SPECS, WORSE, GoalResult
from metrics.periods import calendar_period, date_range
from metrics.scorecard import GoalHistory, build_scorecard
from scorecard_stores import NOVEMBER, NOW, UTC, build_year_store, empty_card, no_goals_card, partial_card, year_card

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
CARDS = {"no data": empty_card, "partial": partial_card, "a year of data": year_card, "no goals": no_goals_card}


@pytest.fixture
def partial(store):
    return partial_card(store)


@pytest.mark.parametrize("first, last, expected", [
    (date(2026, 11, 1), date(2026, 11, 30), "1–30 Nov 2026"),
    (date(2026, 11, 3), date(2026, 12, 2), "3 Nov – 2 Dec 2026"),
    (date(2025, 12, 28), date(2026, 1, 3), "28 Dec 2025 – 3 Jan 2026"),
    (date(2026, 11, 5), date(2026, 11, 5), "5 Nov 2026"),
])
def test_period_dates(first, last, expected):
    assert period_dates(date_range(first, last, UTC)) == expected


def test_alt_text_says_goals_in_words(partial):
    text = alt_text(partial)

    assert text.startswith(f"@TestHealthLib, 1–30 Nov 2026: {summary_line(partial.report.goals)}. Response rate "
                           "89% (target at least 90%): close, ")
    assert "Median reply time 4.0 h (target at most 24 h): met, worse than the period before; " in text
    assert "Tweets per week 4.7 (target at least 5): close, better than the period before" in text
    assert "External-link share 0% (target at least 25%): missed" in text
    assert ("Of 9 questions, 7 were answered on X (2 within 1 h, 2 in 1–4 h, 1 in 4–24 h, 1 in 1–3 days, "
            "1 after 3 days), 1 another way, and 1 not at all.") in text
    assert text.endswith("Top tweet: 1 like and 0 retweets.")


def test_alt_text_fits_slack_limit(partial):
    goals = partial.report.goals
    many = goals * 4

    partial.report.goals = many
    partial.history = partial.history * 4
    text = alt_text(partial)

    assert len(text) <= 1000
    assert re.search(r"; and \d+ more goals on the image\.", text)


@pytest.mark.parametrize("trend, words", [(BETTER, "better"), (WORSE, "worse"), (SAME, "same")])
def test_goal_detail_trend_words(trend, words):
    goal = GoalResult("response_rate", "Response rate", "share", AT_LEAST, 0.9, 0.53, 0.53, MISSED, trend)

    assert goal_detail(goal) == f"53% · target ≥ 90% · {words}"


def test_summary_counts_goals_met(partial):
    assert summary_line(partial.report.goals) == "2 of 7 goals met"


def test_summary_counts_goals_without_data(store):
    assert summary_line(empty_card(store).report.goals) == "no data for the 7 goals"


def png_size(png: bytes) -> tuple[int, int]:
    """Read the width and height from the IHDR chunk, which follows the 8-byte signature and its own 8-byte header."""
    return struct.unpack(">II", png[16:24])


def dark_share(png: bytes) -> float:
    """Return the share of pixels darker than light grey."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")
    return float((pixels[:, :, :3].mean(axis=2) < 0.7).mean())


@pytest.mark.parametrize("data", CARDS)
def test_png_for_each_store(store, data):
    card = CARDS[data](store)

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        drawn = render_scorecard(card, "png")

    assert drawn.content.startswith(PNG_SIGNATURE)
    assert png_size(drawn.content) == (1640, 2200)
    assert dark_share(drawn.content) > 0.01
    assert drawn.filename == f"tweetstats-scorecard-{card.report.account.handle}-2026-11-01-to-2026-11-30.png"
    assert drawn.title == f"Scorecard · @{card.report.account.handle} · 1–30 Nov 2026"


@pytest.mark.parametrize("data", CARDS)
def test_pdf_is_one_page(store, data):
    card = CARDS[data](store)

    drawn = render_scorecard(card, "pdf")

    assert drawn.content.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", drawn.content)) == 1
    assert re.search(rb"/Type\s*/Pages\b[^>]*/Count 1\b", drawn.content)
    assert b"/MediaBox [ 0 0 590.4 792 ]" in drawn.content


def test_same_card_same_png(partial):
    assert render_scorecard(partial).content == render_scorecard(partial).content


def test_unknown_format_is_rejected(partial):
    with pytest.raises(ValueError, match="unknown scorecard format 'svg'"):
        render_scorecard(partial, "svg")


def text_boxes(card) -> tuple[list, list, list]:
    """Return the boxes of all texts, of the texts placed on the page itself (not in a chart), and of the charts.

    The page is drawn at 72 dpi, so that the boxes are in points.
    """
    with RENDER_LOCK:
        figure = draw_page(card)
        figure.set_dpi(72)
        renderer = figure.canvas.get_renderer()
        page_texts = [(text.get_text(), text.get_window_extent(renderer)) for text in figure.texts]
        axes_texts = []
        for axes in figure.axes:
            labels = axes.get_yticklabels() if axes.axison else []
            axes_texts += [(text.get_text(), text.get_window_extent(renderer)) for text in axes.texts + labels]
        axes_boxes = [axes.get_window_extent(renderer) for axes in figure.axes]
    return page_texts + axes_texts, page_texts, axes_boxes


@pytest.mark.parametrize("data", CARDS)
def test_text_stays_inside_page(store, data):
    width, height = (inches * 72 for inches in PAGE_INCHES)

    boxes, _page_texts, _axes = text_boxes(CARDS[data](store))

    for text, box in boxes:
        if text:
            assert box.x0 >= 0.25 * 72, text
            assert box.x1 <= width - 0.25 * 72, text
            assert box.y0 >= 0.25 * 72, text
            assert box.y1 <= height - 0.25 * 72, text


@pytest.mark.parametrize("data", CARDS)
def test_text_clear_of_charts(store, data):
    _boxes, page_texts, axes_boxes = text_boxes(CARDS[data](store))

    for text, box in page_texts:
        for axes_box in axes_boxes:
            assert not box.overlaps(axes_box), text


def no_data_labels(card) -> list[tuple]:
    """Return the box of each sparkline's "no data" label, with the heights and width of its target line.

    The page is drawn at 72 dpi, so that boxes, heights and widths are in points.
    The box includes the label's white background, which would hide the line.
    """
    labels = []
    with RENDER_LOCK:
        figure = draw_page(card)
        figure.set_dpi(72)
        figure.draw_without_rendering()
        renderer = figure.canvas.get_renderer()
        for axes in figure.axes:
            texts = [text for text in axes.texts if text.get_text() == "no data"]
            if not texts:
                continue
            (target_line,) = [line for line in axes.lines if line.get_linestyle() == "--"]
            heights = [axes.transData.transform((0, target))[1]
                       for target in target_line.get_ydata() if math.isfinite(target)]
            box = texts[0].get_bbox_patch().get_window_extent(renderer)
            labels.append((box, heights, target_line.get_linewidth()))
    return labels


def assert_labels_clear_of_targets(card) -> None:
    labels = no_data_labels(card)

    assert len(labels) == sum(all(value is None for value in history.values) for history in card.history)
    for box, heights, line_width in labels:
        assert heights, "a goal in force has a target"
        for height in heights:
            clear_below = height + line_width / 2 <= box.y0
            clear_above = height - line_width / 2 >= box.y1
            assert clear_below or clear_above, (height, box)


@pytest.mark.parametrize("data", CARDS)
def test_no_data_label_clear_of_target(store, data):
    assert_labels_clear_of_targets(CARDS[data](store))


def nine_goals_card(store):
    """Add an account with all nine goals on and no data, whose rows are the lowest the page draws."""
    with store.write() as db:
        account = accounts.add_account(db, "BusyLibrary")
        set_goals(db, account, {"engagement_per_tweet": 2.0, "followers_growth_per_month": 0.01},
                  NOW - timedelta(days=365), "U0ADMIN", NOW)
    return build_scorecard(store.db, account, NOVEMBER)


@pytest.mark.parametrize("targets", [
    [0.0] * 12,
    [0.9] * 12,
    [1.0] * 12,
    [1440.0] * 12,
    [-0.05] * 12,
    [None] * 4 + [0.1] * 4 + [0.2] * 4,
    [0.0] * 6 + [10_000.0] * 6,
    [-0.05] * 6 + [None] * 5 + [0.05],
])
def test_no_data_label_clears_targets(store, targets):
    card = nine_goals_card(store)
    card.history = [GoalHistory(history.name, history.values, targets) for history in card.history]

    assert len(card.history) == len(SPECS)
    assert_labels_clear_of_targets(card)


def page_texts(card) -> list[str]:
    _boxes, texts, _axes = text_boxes(card)
    return [text for text, _box in texts]


def test_no_data_note_when_period_covered(store):
    card = year_card(store)

    assert not card.report.beyond_data
    assert data_note(card) is None
    assert not [text for text in page_texts(card) if "stored data" in text]


def test_data_note_past_data(store):
    account = build_year_store(store)
    december = calendar_period("month", date(2026, 12, 2), UTC, previous=False)
    with time_machine.travel(NOW, tick=False):
        card = build_scorecard(store.db, account, december)

    note = "The stored data ends 2026-12-01 00:00 UTC, so later days show no activity."
    assert card.report.beyond_data
    assert data_note(card) == note
    assert note in page_texts(card)


def test_data_note_when_nothing_stored(store):
    card = empty_card(store)

    assert data_note(card) == "Nothing is stored for this account yet."
    assert "Nothing is stored for this account yet." in page_texts(card)


def test_long_tweet_is_cut_with_ellipsis():
    lines = wrap_tweet("word " * 100)

    assert len(lines) == 3
    assert lines[-1].endswith("…")
    assert all(len(line) <= 62 for line in lines)


def test_missing_glyphs_replaced():
    assert wrap_tweet("Library 漢字 $5") == ["Library \N{REPLACEMENT CHARACTER}\N{REPLACEMENT CHARACTER} $5"]


def test_page_without_goals(store):
    card = no_goals_card(store)

    drawn = render_scorecard(card)

    assert card.report.goals == []
    assert drawn.content.startswith(PNG_SIGNATURE)
    assert drawn.alt_text.startswith("@QuietLibrary, 1–30 Nov 2026: no goals set. ")


def test_page_without_goals_names_commands(store):
    texts = page_texts(no_goals_card(store))

    advice = [text for text in texts if text.startswith("No goals are set.")]
    assert len(advice) == 1
    assert "/tweetstats goals" in advice[0]
    assert "tweetstats goals set @QuietLibrary NAME=VALUE" in advice[0]
