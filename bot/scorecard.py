"""Render a scorecard as a one-page PNG or PDF, with the file name, title and alt text to share it with.

``bot.scorecard_page`` draws the page. This module contains the words that the
page, the alt text and the Slack upload share.
"""

from dataclasses import dataclass
from datetime import date

from bot.chart import MONTHS, RENDER_LOCK
from bot.progress import goal_line, summary_line
from bot.render import plural
from metrics.figures import ResponseTimes, TopTweet
from metrics.periods import Period
from metrics.scorecard import Scorecard

FORMATS = ("png", "pdf")
# Slack's files.getUploadURLExternal rejects alt_txt longer than this, with the error alt_txt_too_large
# (https://api.slack.com/methods/files.getUploadURLExternal, its list of errors).
MAX_ALT_TEXT = 1000
# Words for the delay of each ResponseTimes.on_x bucket.
DELAY_WORDS = ("within 1 h", "in 1–4 h", "in 4–24 h", "in 1–3 days", "after 3 days")


@dataclass(frozen=True)
class ScorecardFile:
    """The drawn page, in ``file_format`` png or pdf, with the name, title and alt text to share it with."""

    content: bytes
    file_format: str
    filename: str
    title: str
    alt_text: str


def render_scorecard(card: Scorecard, file_format: str = "png") -> ScorecardFile:
    """Draw the scorecard as a one-page PNG or PDF. Raises ValueError for another format."""
    from bot.scorecard_page import draw_page, save_page

    if file_format not in FORMATS:
        raise ValueError(f"unknown scorecard format {file_format!r}: use one of {', '.join(FORMATS)}")
    with RENDER_LOCK:
        content = save_page(draw_page(card), file_format)
    return ScorecardFile(content, file_format, scorecard_filename(card, file_format), scorecard_title(card),
                         alt_text(card))


def scorecard_title(card: Scorecard) -> str:
    """Return "Scorecard · @handle · 1–30 Nov 2026"."""
    return f"Scorecard · @{card.report.account.handle} · {period_dates(card.periods[-1])}"


def scorecard_filename(card: Scorecard, file_format: str) -> str:
    first, last = card.periods[-1].since, card.periods[-1].last_day
    return f"tweetstats-scorecard-{card.report.account.handle}-{first}-to-{last}.{file_format}"


def alt_text(card: Scorecard) -> str:
    """Describe the page in sentences: the account, the period, each goal, the questions and the top tweet.

    Goals that would take the text past MAX_ALT_TEXT characters are counted
    instead of described, and the sentences on the questions and the top tweet
    are left out when they do not fit.
    """
    text = f"@{card.report.account.handle}, {period_dates(card.periods[-1])}: {summary_line(card.report.goals)}."
    clauses = [goal_line(goal) for goal in card.report.goals]
    described: list[str] = []
    for index, clause in enumerate(clauses):
        left_out = len(clauses) - index - 1
        ending = f"; and {plural(left_out, 'more goal')} on the image." if left_out else "."
        if len(text) + 1 + len("; ".join([*described, clause])) + len(ending) > MAX_ALT_TEXT:
            break
        described.append(clause)
    if described:
        left_out = len(clauses) - len(described)
        ending = f"; and {plural(left_out, 'more goal')} on the image." if left_out else "."
        text += " " + "; ".join(described) + ending
    for sentence in (questions_sentence(card.response_times), top_tweet_sentence(card.top_tweet)):
        if len(text) + 1 + len(sentence) <= MAX_ALT_TEXT:
            text += " " + sentence
    return text


def questions_sentence(times: ResponseTimes | None) -> str:
    """Say how the period's questions were answered, or that they are unknown."""
    if times is None:
        return "No mention data is stored for the period, so its questions are unknown."
    if times.questions == 0:
        return "No questions were asked in the period."
    delays = ", ".join(f"{count} {words}" for words, count in zip(DELAY_WORDS, times.on_x))
    return (f"Of {plural(times.questions, 'question')}, {sum(times.on_x)} were answered on X ({delays}), "
            f"{times.another_way} another way, and {times.not_answered} not at all.")


def top_tweet_sentence(tweet: TopTweet | None) -> str:
    if tweet is None:
        return "No tweets of its own in the period."
    return f"Top tweet: {plural(tweet.likes, 'like')} and {plural(tweet.retweets, 'retweet')}."


def period_dates(period: Period) -> str:
    """Write the period's days as "1–30 Nov 2026", "3 Nov – 2 Dec 2026" or "28 Dec 2025 – 3 Jan 2026"."""
    first, last = period.since, period.last_day
    if first == last:
        return day_text(last)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{day_text(last)}"
    if first.year == last.year:
        return f"{first.day} {MONTHS[first.month - 1]} – {day_text(last)}"
    return f"{day_text(first)} – {day_text(last)}"


def day_text(day: date) -> str:
    """Write a day as "30 Nov 2026", with English month names whatever the process locale."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
