"""Lay out a scorecard on one portrait page with Matplotlib, and save it as PNG or PDF.

The page starts with the account, the period and how many goals were met.
One row per goal follows, with its status in words and colour (so that the
page prints in black and white), its figure and target, and a line of its
last 12 periods with the target dashed. The top tweet and a chart of how the
period's questions were answered end the page. Like ``bot.chart`` it uses the
object API and never pyplot, and Matplotlib is imported only here.
"""

import io
import math
import textwrap
from datetime import date
from functools import cache

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

from bot.chart import is_isolated
from bot.progress import TREND_TEXT, format_goal_value, summary_line, target_text
from bot.render import plural
from bot.scorecard import day_text, period_dates
from metrics.figures import ResponseTimes, TopTweet
from metrics.goals import AT_LEAST, CLOSE, MET, MISSED, NO_DATA, GoalResult
from metrics.periods import Period
from metrics.scorecard import GoalHistory, Scorecard

# 8.2 × 11 inches (208 × 279 mm) fits both A4 (210 × 297 mm) and US Letter
# (216 × 279 mm) unscaled. At 200 dpi the PNG is 1640 × 2200 pixels.
PAGE_INCHES = (8.2, 11.0)
DPI = 200
MARGIN = 0.45
# DejaVu Sans ships with Matplotlib, so the page looks the same on every
# machine, and it has the ✓, ≈, ✗, ≥ and ≤ signs used below.
FONT = "DejaVu Sans"
# A phone in portrait shows the page about 400 points wide (an estimate), about
# two thirds of its printed width, so no text is smaller than 13 pt.
TITLE_SIZE = 28
SUBTITLE_SIZE = 19
HEADING_SIZE = 21
LABEL_SIZE = 16
BODY_SIZE = 15
SMALL_SIZE = 14
NOTE_SIZE = 13

INK = "#1a1a1a"
MUTED = "#555555"
LINE_COLOR = "#2f6db3"
TARGET_COLOR = "#444444"
LINK_COLOR = "#1f5a99"
RULE_COLOR = "#cccccc"
STATUS_MARKS = {MET: "✓ met", CLOSE: "≈ close", MISSED: "✗ missed", NO_DATA: "– no data"}
STATUS_COLORS = {MET: "#1b7f5a", CLOSE: "#a85d00", MISSED: "#c0392b", NO_DATA: "#6b6b6b"}
# The response-time chart's bars, each a label and a colour: the buckets of
# ResponseTimes.on_x in order, then another_way and not_answered.
RESPONSE_BARS = (
    ("on X within 1 h", LINE_COLOR),
    ("on X in 1–4 h", LINE_COLOR),
    ("on X in 4–24 h", LINE_COLOR),
    ("on X in 1–3 days", LINE_COLOR),
    ("on X after 3 days", LINE_COLOR),
    ("another way", STATUS_COLORS[MET]),
    ("not answered", STATUS_COLORS[MISSED]),
)
PERIOD_UNITS = {"week": "weeks", "month": "months", "quarter": "quarters", "year": "years"}

# Heights in inches of the fixed parts of the page. The goal rows share what is left.
HEADER_HEIGHT = 1.15
GOALS_HEADING_HEIGHT = 0.85
TWEET_HEIGHT = 1.65
RESPONSES_HEIGHT = 2.05
MAX_ROW_HEIGHT = 0.75
# Rows lower than this (more than 7 goals) use SMALL_SIZE for the figure and BODY_SIZE for the label.
COMPACT_ROW_HEIGHT = 0.6
# Left edges of a goal's figure and of its sparkline.
DETAIL_LEFT = MARGIN + 1.3
SPARKLINE_LEFT = 5.3
# Width in points of a sparkline's dashed target line.
TARGET_LINE_WIDTH = 1.5
# Fraction of a sparkline's height at which the highest target sits when the sparkline has no values.
NO_DATA_TARGET_TOP = 0.9
# Minimum space in points between the "no data" label and the target line above it.
NO_DATA_LABEL_GAP = 2.0
# Characters of the top tweet per line, which at BODY_SIZE fit across the page, and at most this many lines.
WRAP_CHARACTERS = 62
TWEET_LINES = 3
LINE_HEIGHT = 0.26
# Drawn in place of a character that FONT has no glyph for.
REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def draw_page(card: Scorecard) -> Figure:
    """Lay out the scorecard on a new figure. Hold ``bot.chart.RENDER_LOCK`` while drawing and saving it."""
    figure = Figure(figsize=PAGE_INCHES, dpi=DPI, facecolor="white")
    FigureCanvasAgg(figure)
    page = _Page(figure)
    _draw_header(page, card)
    rows_height = (PAGE_INCHES[1] - 2 * MARGIN - HEADER_HEIGHT - GOALS_HEADING_HEIGHT - TWEET_HEIGHT
                   - RESPONSES_HEIGHT)
    _draw_goals(page, card, rows_height)
    _draw_top_tweet(page, card.top_tweet)
    _draw_response_times(page, card.response_times)
    return figure


def save_page(figure: Figure, file_format: str) -> bytes:
    """Return the page as PNG or PDF bytes, without a time stamp or a Matplotlib version in them."""
    buffer = io.BytesIO()
    if file_format == "png":
        figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    else:
        figure.savefig(buffer, format="pdf", facecolor="white",
                       metadata={"Creator": None, "Producer": None, "CreationDate": None})
    return buffer.getvalue()


class _Page:
    """A figure on which text and axes are placed in inches from the top left corner.

    ``top`` is where the next section starts.
    """

    def __init__(self, figure: Figure) -> None:
        self.figure = figure
        self.width, self.height = PAGE_INCHES
        self.top = MARGIN

    def text(self, left: float, top: float, text: str, size: float, **options: object) -> Text:
        """Write ``text`` with its top left corner (or top right, with ha="right") at the point given in inches.

        The text is never read as Matplotlib math, so a tweet's $ signs stay as they are.
        """
        options.setdefault("color", INK)
        return self.figure.text(left / self.width, 1 - top / self.height, text, fontsize=size, fontfamily=FONT,
                                va="top", parse_math=False, **options)

    def axes(self, left: float, top: float, width: float, height: float) -> Axes:
        box = (left / self.width, 1 - (top + height) / self.height, width / self.width, height / self.height)
        return self.figure.add_axes(box)

    def rule(self) -> None:
        """Draw a thin line across the page at ``top``, between two sections."""
        axes = self.axes(MARGIN, self.top, self.width - 2 * MARGIN, 0.01)
        axes.axhline(0.5, color=RULE_COLOR, linewidth=1)
        axes.set_axis_off()


def _draw_header(page: _Page, card: Scorecard) -> None:
    page.text(MARGIN, page.top, f"@{card.report.account.handle} · scorecard", TITLE_SIZE, fontweight="bold")
    page.text(MARGIN, page.top + 0.48, f"{period_dates(card.periods[-1])} · {summary_line(card.report.goals)}", SUBTITLE_SIZE)
    note = data_note(card)
    if note:
        page.text(MARGIN, page.top + 0.84, note, NOTE_SIZE, color=MUTED)
    page.top += HEADER_HEIGHT


def data_note(card: Scorecard) -> str | None:
    """Return the note that the period runs past the stored data, or None when the data covers the period."""
    report = card.report
    if not report.beyond_data:
        return None
    if report.data_until is None:
        return "Nothing is stored for this account yet."
    ends = report.data_until.strftime("%Y-%m-%d %H:%M UTC")
    return f"The stored data ends {ends}, so later days show no activity."


def _draw_goals(page: _Page, card: Scorecard, rows_height: float) -> None:
    page.text(MARGIN, page.top, "Goals", HEADING_SIZE, fontweight="bold")
    page.text(MARGIN, page.top + 0.4, "Each goal's status, figure and target, and its change from the period before.",
              NOTE_SIZE, color=MUTED)
    page.text(MARGIN, page.top + 0.62, f"Lines: the last {history_span(card.periods)}, oldest on the left; "
              "dashed: the target.", NOTE_SIZE, color=MUTED)
    page.top += GOALS_HEADING_HEIGHT
    goals = card.report.goals
    if not goals:
        lines = ["No goals are set. An admin can set them with /tweetstats goals",
                 "in Slack, or with this command in a shell:",
                 f"tweetstats goals set @{card.report.account.handle} NAME=VALUE"]
        page.text(MARGIN, page.top, "\n".join(lines), BODY_SIZE, linespacing=1.3)
        page.top += rows_height
        return
    row_height = min(MAX_ROW_HEIGHT, rows_height / len(goals))
    for goal, history in zip(goals, card.history):
        _draw_goal_row(page, goal, history, row_height)
        page.top += row_height
    page.top += rows_height - row_height * len(goals)


def history_span(periods: list[Period]) -> str:
    """Name the periods of the sparklines: "12 months", "12 weeks", "12 periods of 30 days"."""
    period = periods[-1]
    count = len(periods)
    if period.unit in PERIOD_UNITS:
        return f"{count} {PERIOD_UNITS[period.unit]}"
    previous = period.previous()
    if (previous.since.day, period.since.day, period.until.day) == (1, 1, 1):
        # Period.previous() steps back by whole months when both ends are 1st days.
        months = (period.since.year - previous.since.year) * 12 + period.since.month - previous.since.month
        return f"{count} months" if months == 1 else f"{count} periods of {months} months"
    return f"{count} periods of {plural(period.days, 'day')}"


def _draw_goal_row(page: _Page, goal: GoalResult, history: GoalHistory, height: float) -> None:
    """Write the goal's label above its status and figure, and draw its sparkline to the right."""
    compact = height < COMPACT_ROW_HEIGHT
    label_size, detail_size = (BODY_SIZE, SMALL_SIZE) if compact else (LABEL_SIZE, BODY_SIZE)
    second_line = page.top + (0.24 if compact else 0.29)
    page.text(MARGIN, page.top, goal.label, label_size, fontweight="bold")
    page.text(MARGIN, second_line, STATUS_MARKS[goal.status], detail_size, fontweight="bold",
              color=STATUS_COLORS[goal.status])
    page.text(DETAIL_LEFT, second_line, goal_detail(goal), detail_size)
    axes = page.axes(SPARKLINE_LEFT, page.top + 0.02, page.width - MARGIN - SPARKLINE_LEFT, height - 0.12)
    _draw_sparkline(axes, history, goal.status)


def goal_detail(goal: GoalResult) -> str:
    """Return "53% · target ≥ 90% · worse", or the target alone when there is no figure."""
    sign = "≥" if goal.direction == AT_LEAST else "≤"
    target = f"target {sign} {target_text(goal)}"
    if goal.status == NO_DATA:
        return target
    parts = [format_goal_value(goal.value, goal.unit), target]
    if goal.trend:
        parts.append(TREND_TEXT[goal.trend])
    return " · ".join(parts)


def _draw_sparkline(axes: Axes, history: GoalHistory, status: str) -> None:
    """Draw the values as a line, with a dot for a value between two gaps and the last value in its status colour.

    The target is a dashed line that steps where the target changed and breaks where the goal was off.
    """
    positions = list(range(len(history.values)))
    values = [math.nan if value is None else value for value in history.values]
    targets = [math.nan if target is None else target for target in history.targets]
    axes.plot(positions, targets, color=TARGET_COLOR, linewidth=TARGET_LINE_WIDTH, linestyle=(0, (4, 3)),
              drawstyle="steps-mid")
    axes.plot(positions, values, color=LINE_COLOR, linewidth=2.5)
    alone = [index for index in positions if is_isolated(history.values, index)]
    axes.plot(alone, [values[index] for index in alone], linestyle="none", marker="o", markersize=4,
              color=LINE_COLOR)
    if history.values[-1] is not None:
        axes.plot([positions[-1]], [values[-1]], linestyle="none", marker="o", markersize=7,
                  color=STATUS_COLORS[status])
    axes.set_xlim(-0.5, len(positions) - 0.5)
    axes.set_axis_off()
    if all(value is None for value in history.values):
        _label_no_data(axes, [target for target in history.targets if target is not None])
    else:
        axes.set_ylim(*_value_limits([value for value in history.values + history.targets if value is not None]))


def _label_no_data(axes: Axes, targets: list[float]) -> None:
    """Write "no data" at the bottom of a sparkline without values, and set y limits that keep the targets above it.

    Without values the y axis shows only the targets, so they are drawn between
    the label's top (plus NO_DATA_LABEL_GAP) and NO_DATA_TARGET_TOP.
    A single target sits at NO_DATA_TARGET_TOP.
    """
    label = axes.text(0.5, 0.0, "no data", transform=axes.transAxes, ha="center", va="bottom", fontsize=NOTE_SIZE,
                      fontfamily=FONT, color=MUTED, bbox={"facecolor": "white", "edgecolor": "none", "pad": 1})
    if not targets:
        return

    # The label's height is measured with its white background, which would hide a line behind it.
    renderer = axes.get_figure().canvas.get_renderer()
    label.update_bbox_position_size(renderer)
    label_top = label.get_bbox_patch().get_window_extent(renderer).y1
    sparkline = axes.get_window_extent(renderer)
    gap = (NO_DATA_LABEL_GAP + TARGET_LINE_WIDTH / 2) * axes.get_figure().dpi / 72
    lowest_fraction = (label_top + gap - sparkline.y0) / sparkline.height
    # Rows of all 9 goals leave room above the label. A lower sparkline still draws its targets above the
    # label, and the axes clip any that fall past their top edge.
    highest_fraction = max(NO_DATA_TARGET_TOP, lowest_fraction + 0.05)

    low, high = min(targets), max(targets)
    if high == low:
        span = abs(high) or 1.0
        bottom = high - highest_fraction * span
    else:
        span = (high - low) / (highest_fraction - lowest_fraction)
        bottom = low - lowest_fraction * span
    axes.set_ylim(bottom, bottom + span)


def _value_limits(known: list[float]) -> tuple[float, float]:
    """Return y limits from 0 (or the lowest value, if negative) to the highest, with a margin."""
    low = min([0.0, *known])
    high = max([0.0, *known])
    span = high - low or 1.0
    return low - span * 0.12, high + span * 0.12


def _start_section(page: _Page, heading: str, side: str | None = None) -> float:
    """Draw a rule, the heading and, right-aligned beside it, ``side``. Returns the heading's top."""
    page.rule()
    top = page.top + 0.12
    page.text(MARGIN, top, heading, HEADING_SIZE, fontweight="bold")
    if side:
        page.text(page.width - MARGIN, top + 0.07, side, BODY_SIZE, color=MUTED, ha="right")
    return top


def _draw_top_tweet(page: _Page, tweet: TopTweet | None) -> None:
    """Write the tweet with the most engagement: its counts and day beside the heading, its text and its link."""
    if tweet is None:
        top = _start_section(page, "Top tweet")
        page.text(MARGIN, top + 0.45, "No tweets of its own in this period.", BODY_SIZE)
        page.top += TWEET_HEIGHT
        return
    counts = f"{plural(tweet.likes, 'like')} · {plural(tweet.retweets, 'retweet')} · {_tweet_day(tweet)}"
    top = _start_section(page, "Top tweet", counts)
    lines = wrap_tweet(tweet.text)
    page.text(MARGIN, top + 0.45, "\n".join(lines), BODY_SIZE, linespacing=1.3)
    # In the PDF the link can be clicked.
    page.text(MARGIN, top + 0.5 + LINE_HEIGHT * len(lines), tweet.url, NOTE_SIZE, color=LINK_COLOR, url=tweet.url)
    page.top += TWEET_HEIGHT


def wrap_tweet(text: str) -> list[str]:
    """Wrap the tweet at WRAP_CHARACTERS, cut after TWEET_LINES lines with an ellipsis, with missing glyphs replaced."""
    lines = textwrap.wrap(" ".join(_drawable(text).split()), WRAP_CHARACTERS) or [""]
    if len(lines) > TWEET_LINES:
        lines = lines[:TWEET_LINES]
        lines[-1] = lines[-1][:WRAP_CHARACTERS - 1].rstrip() + "…"
    return lines


def _drawable(text: str) -> str:
    """Replace each character that FONT has no glyph for, such as CJK and most emoji, with REPLACEMENT.

    NOTE: such tweets show replacement characters, because only the fonts that
    ship with Matplotlib are sure to be present.
    """
    glyphs = _font_characters()
    return "".join(character if ord(character) in glyphs or character.isspace() else REPLACEMENT
                   for character in text)


@cache
def _font_characters() -> frozenset[int]:
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    return frozenset(FT2Font(font_manager.findfont(FONT, fallback_to_default=False)).get_charmap())


def _tweet_day(tweet: TopTweet) -> str:
    return day_text(date.fromisoformat(tweet.created_at[:10]))


def _draw_response_times(page: _Page, times: ResponseTimes | None) -> None:
    side = f"{plural(times.questions, 'question')} asked" if times is not None and times.questions else None
    top = _start_section(page, "Questions and replies", side)
    if times is None:
        page.text(MARGIN, top + 0.45, "No mention data is stored for this period.", BODY_SIZE)
    elif times.questions == 0:
        page.text(MARGIN, top + 0.45, "No questions were asked in this period.", BODY_SIZE)
    else:
        counts = [*times.on_x, times.another_way, times.not_answered]
        axes = page.axes(MARGIN + 2.3, top + 0.45, page.width - 2 * MARGIN - 3.5, RESPONSES_HEIGHT - 0.6)
        _draw_response_bars(axes, counts, times.questions)
    page.top += RESPONSES_HEIGHT


def _draw_response_bars(axes: Axes, counts: list[int], total: int) -> None:
    """Draw one horizontal bar per bucket, the first at the top, each with its count and share."""
    positions = list(range(len(counts)))
    axes.barh(positions, counts, height=0.7, color=[color for _label, color in RESPONSE_BARS])
    axes.set_yticks(positions, [label for label, _color in RESPONSE_BARS], fontsize=SMALL_SIZE, fontfamily=FONT,
                    color=INK)
    axes.invert_yaxis()
    axes.set_xlim(0, max(counts) * 1.05)
    axes.tick_params(axis="y", length=0)
    axes.set_xticks([])
    for side in ("top", "right", "bottom"):
        axes.spines[side].set_visible(False)
    for position, count in zip(positions, counts):
        axes.annotate(f"{count:,} ({count / total:.0%})", (count, position), xytext=(6, 0),
                      textcoords="offset points", va="center", fontsize=SMALL_SIZE, fontfamily=FONT, color=INK,
                      annotation_clip=False)
