"""Render an account's daily activity as a PNG chart for Slack, with alt text.

Matplotlib is imported only when a chart is drawn, so importing ``bot`` stays
fast. The chart uses the object API with the Agg canvas and never pyplot,
so it needs no display and touches no global figure state.
"""

import io
import math
import threading
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from metrics.series import DailySeries

if TYPE_CHECKING:
    from matplotlib.axes import Axes

# 8 × 6 inches at 150 dpi: a 1200 × 900 pixel PNG. A portrait phone screen shows
# it about 400 points wide (an estimate), a third of its size, so the fonts
# below are 15 to 20 pt.
FIGURE_INCHES = (8.0, 6.0)
DPI = 150
TITLE_SIZE = 20
HEADING_SIZE = 16
TICK_SIZE = 15
NOTE_SIZE = 16

TWEETS_COLOR = "#2f6db3"
FOLLOWERS_COLOR = "#1b7f5a"
GRID_COLOR = "#d9d9d9"
MUTED_COLOR = "#555555"

# Month names for tick labels, spelled out here because strftime's %b follows the process locale.
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# At most this many date ticks, so that labels at TICK_SIZE do not overlap in the figure's width.
MAX_TICKS = 13
# Series of up to this many days get a tick on every day. Longer ones get a tick
# every week, or every few weeks when weekly ticks would exceed MAX_TICKS.
DAILY_TICKS_UP_TO = 8
# The x axis spans at least this many days, so that one day's bar is not as wide as the chart.
MIN_DAYS_SHOWN = 7
# The follower axis spans at least this many followers, or this share of the
# maximum if larger, so that a change of 1 follower does not fill the panel.
MIN_FOLLOWER_SPAN = 10
MIN_FOLLOWER_SHARE = 0.02

# Matplotlib (3.8 and later) locks only Figure.draw, around its shared font and
# text caches, so this lock runs whole renders one at a time.
RENDER_LOCK = threading.Lock()


@dataclass(frozen=True)
class Chart:
    """A PNG image with the alt text and title to upload it with."""

    png: bytes
    alt_text: str
    title: str


def render_activity_chart(series: DailySeries, handle: str) -> Chart:
    """Draw tweets per day (bars) above followers at the end of each day (a line) as a 1200 × 900 PNG.

    The title calls the days the last N weeks (or days), as the series is meant
    to end with the latest day. The same series and handle give the same PNG
    bytes with the same Matplotlib version and fonts. Raises ValueError when the
    series has no days or its lists differ in length.
    """
    _check_series(series)
    handle = handle.lstrip("@")
    title = chart_title(series, handle)
    with RENDER_LOCK:
        png = _draw_png(series, title)
    return Chart(png=png, alt_text=alt_text(series, handle), title=title)


def chart_title(series: DailySeries, handle: str) -> str:
    """Return "@handle · last 12 weeks", or the number of days when they are not whole weeks."""
    count = len(series.days)
    if count == 1:
        return f"@{handle} · {series.days[0].isoformat()}"
    if count % 7 == 0 and count >= 14:
        return f"@{handle} · last {count // 7} weeks"
    return f"@{handle} · last {count} days"


def alt_text(series: DailySeries, handle: str) -> str:
    """Describe the chart in plain sentences: the days, total tweets, the busiest day and the follower change."""
    first, last = series.days[0], series.days[-1]
    if first == last:
        return (f"Tweets and followers for @{handle} on {first.isoformat()}: "
                f"{_count(series.tweets[0], 'tweet')}; {_followers_on_one_day(series)}.")
    return (f"Tweets per day and followers for @{handle} from {first.isoformat()} to {last.isoformat()}: "
            f"{_tweets_summary(series)}; {_followers_summary(series)}.")


def _check_series(series: DailySeries) -> None:
    if not series.days:
        raise ValueError("the series has no days: give at least one day to chart")
    if not len(series.days) == len(series.tweets) == len(series.followers):
        raise ValueError(f"the series lists differ in length (days {len(series.days)}, tweets {len(series.tweets)}, "
                         f"followers {len(series.followers)}): give one value per day in each")


def _tweets_summary(series: DailySeries) -> str:
    total = sum(series.tweets)
    if total == 0:
        return "no tweets"
    busiest = max(series.tweets)
    busiest_days = [day for day, count in zip(series.days, series.tweets) if count == busiest]
    if total == 1:
        return f"1 tweet in all, on {busiest_days[0].isoformat()}"
    if len(busiest_days) == 1:
        return f"{total:,} tweets in all, most on {busiest_days[0].isoformat()} ({busiest:,})"
    if busiest == 1:
        return f"{total:,} tweets in all, no more than 1 a day"
    others = len(busiest_days) - 1
    return (f"{total:,} tweets in all, most on {busiest_days[0].isoformat()} and "
            f"{_count(others, 'other day')} ({busiest:,} each)")


def _followers_on_one_day(series: DailySeries) -> str:
    followers = series.followers[0]
    if followers is None:
        return "no follower counts stored for these days"
    return f"{_count(followers, 'follower')} at the end of the day"


def _followers_summary(series: DailySeries) -> str:
    """Describe the change from the first to the last known follower count.

    The days of those counts are named unless they are the first and the last day of the series.
    """
    known = [index for index, value in enumerate(series.followers) if value is not None]
    if not known:
        return "no follower counts stored for these days"
    start, end = known[0], known[-1]
    first_count, last_count = series.followers[start], series.followers[end]
    if start == end:
        return f"{_count(last_count, 'follower')} on {series.days[end].isoformat()}"
    first_day, last_day = series.days[start].isoformat(), series.days[end].isoformat()
    if first_count == last_count:
        since = f" from {first_day}" if start > 0 else ""
        until = f" to {last_day}" if end < len(series.days) - 1 else ""
        return f"followers stayed at {last_count:,}{since}{until}"
    since = f" on {first_day}" if start > 0 else ""
    until = f" on {last_day}" if end < len(series.days) - 1 else ""
    change = "rose" if last_count > first_count else "fell"
    return f"followers {change} from {first_count:,}{since} to {last_count:,}{until}"


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def _draw_png(series: DailySeries, title: str) -> bytes:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=FIGURE_INCHES, dpi=DPI, facecolor="white", layout="constrained")
    FigureCanvasAgg(figure)
    tweets_axes, followers_axes = figure.subplots(2, 1, sharex=True)
    figure.suptitle(title, fontsize=TITLE_SIZE, fontweight="bold")

    positions = list(range(len(series.days)))
    _draw_tweets(tweets_axes, positions, series.tweets)
    _draw_followers(followers_axes, positions, series.followers)
    _set_date_axis(followers_axes, series.days)

    buffer = io.BytesIO()
    # Without the Software entry the PNG carries no Matplotlib version. It has no
    # time stamp either (only IHDR, pHYs, IDAT and IEND chunks), so equal input
    # gives equal bytes.
    figure.savefig(buffer, format="png", dpi=DPI, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()


def _draw_tweets(axes: "Axes", positions: list[int], tweets: list[int]) -> None:
    from matplotlib.ticker import MaxNLocator

    _style_panel(axes, "Tweets per day")
    axes.bar(positions, tweets, width=0.8, color=TWEETS_COLOR)
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.set_ylim(bottom=0, top=max(max(tweets), 1) * 1.1)
    if not any(tweets):
        _write_note(axes, "no tweets")


def _draw_followers(axes: "Axes", positions: list[int], followers: list[int | None]) -> None:
    """Draw the counts as a line with gaps where a count is missing, and a dot for a count between two gaps."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    _style_panel(axes, "Followers at the end of the day")
    if all(value is None for value in followers):
        axes.set_yticks([])
        _write_note(axes, "no follower counts stored for these days")
        return
    # NaN breaks the line, so a missing count leaves a gap instead of a slope to the next known count.
    values = [math.nan if value is None else float(value) for value in followers]
    axes.plot(positions, values, color=FOLLOWERS_COLOR, linewidth=3)
    alone = [index for index in positions if is_isolated(followers, index)]
    axes.plot([positions[index] for index in alone], [values[index] for index in alone],
              linestyle="none", marker="o", markersize=8, color=FOLLOWERS_COLOR)
    axes.set_ylim(*_follower_limits([value for value in followers if value is not None]))
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, integer=True))
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _position: f"{value:,.0f}"))


def _follower_limits(counts: list[int]) -> tuple[float, float]:
    """Return y limits around the counts with a 10 % margin, widened to the minimum span and kept at 0 or above."""
    low, high = min(counts), max(counts)
    span = max(high - low, MIN_FOLLOWER_SPAN, high * MIN_FOLLOWER_SHARE)
    middle = (low + high) / 2
    bottom = middle - span * 0.6
    top = middle + span * 0.6
    if bottom < 0:
        return 0.0, top - bottom
    return bottom, top


def is_isolated(values: list[float | None], index: int) -> bool:
    """Return whether the value at ``index`` is known and neither neighbor is, so that a line cannot show it."""
    if values[index] is None:
        return False
    before = values[index - 1] if index > 0 else None
    after = values[index + 1] if index + 1 < len(values) else None
    return before is None and after is None


def _style_panel(axes: "Axes", heading: str) -> None:
    axes.set_title(heading, loc="left", fontsize=HEADING_SIZE)
    axes.tick_params(labelsize=TICK_SIZE)
    axes.grid(axis="y", color=GRID_COLOR, linewidth=1)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _write_note(axes: "Axes", text: str) -> None:
    axes.text(0.5, 0.5, text, transform=axes.transAxes, ha="center", va="center", fontsize=NOTE_SIZE,
              color=MUTED_COLOR)


def _set_date_axis(axes: "Axes", days: list[date]) -> None:
    """Put a tick on the first day and every day or week after it, labelled "Sep 7", then "14", then "Oct 5"."""
    ticks = list(range(0, len(days), _tick_step(len(days))))
    axes.set_xticks(ticks, _tick_labels(days, ticks))
    padding = 0.6 + max(0, MIN_DAYS_SHOWN - len(days)) / 2
    axes.set_xlim(-padding, len(days) - 1 + padding)
    if len(days) > 1:
        # The ticks show no year, so the range below them does. A single day's date is in the title.
        axes.set_xlabel(f"{days[0].isoformat()} to {days[-1].isoformat()}", fontsize=TICK_SIZE, color=MUTED_COLOR)


def _tick_step(count: int) -> int:
    """Return the days between ticks: 1 for short series, else a whole number of weeks giving at most MAX_TICKS."""
    if count <= DAILY_TICKS_UP_TO:
        return 1
    return 7 * math.ceil(count / (7 * MAX_TICKS))


def _tick_labels(days: list[date], ticks: list[int]) -> list[str]:
    """Return the day of the month for each tick, with the month name on the first tick and where the month changes."""
    labels = []
    previous = None
    for position in ticks:
        day = days[position]
        if previous is None or (previous.year, previous.month) != (day.year, day.month):
            labels.append(f"{MONTHS[day.month - 1]} {day.day}")
        else:
            labels.append(str(day.day))
        previous = day
    return labels
