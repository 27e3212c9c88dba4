"""Render a report as a Slack Block Kit message for the /tweetstats app.

The message shows every figure of ``figure_rows``, formatted as the text report
formats it. Text longer than a Slack limit is cut with "…" instead of being
rejected, and ``fit_blocks`` keeps the message within Slack's block count.
"""

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta

from slack_sdk.models.blocks import (ActionsBlock, ButtonElement, ContextBlock, HeaderBlock, MarkdownTextObject,
                                     PlainTextObject, SectionBlock)

from bot.config import USER_ID
from bot.progress import describe_target, format_goal_value, goal_line, missed_first, status_text, summary_line, \
    trend_text
from bot.render import FigureRow, data_note, figure_rows, format_change, format_value
from metrics.figures import TopTweet
from metrics.goals import CLOSE, MET, MISSED, GoalResult
from metrics.report import Figures, Report

# Limits for messages from Slack's Block Kit reference (https://docs.slack.dev/reference/block-kit/blocks
# and the page of each block). slack_sdk 3.48 checks the section, header and
# button limits in .to_dict(). It checks no block count for messages (only 100,
# for views) and no length of a section field, so this module checks both.
MAX_BLOCKS = 50
MAX_SECTION_TEXT = 3000
MAX_FIELD_TEXT = 2000
MAX_FIELDS = 10
MAX_HEADER_TEXT = 150
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
# Slack truncates the top-level text of a message beyond this length
# (https://api.slack.com/changelog/2018-04-truncating-really-long-messages).
MAX_MESSAGE_TEXT = 40000

# The text report also shows the first 100 characters of a top tweet.
TWEET_TEXT_LENGTH = 100
ELLIPSIS = "…"

SHARE_ACTION_ID = "share_report"
SHARE_LABEL = "Share in channel"
# The section shown first: the mix of listening, responding, linking and promoting.
LEAD_SECTION = "Strategy"

# An emoji beside each status word, so the state shows at a glance and still reads without colour.
STATUS_EMOJI = {MET: ":white_check_mark:", CLOSE: ":large_yellow_circle:", MISSED: ":x:"}
NO_STATUS_EMOJI = ":grey_question:"

# An entity such as "&amp;" cut before its ";".
PARTIAL_ENTITY = re.compile(r"&[a-z]*$")


@dataclass
class ReportMessage:
    """A Slack message: ``text`` is the plain fallback for notifications, ``blocks`` the Block Kit layout."""

    text: str
    blocks: list[dict]


def render_report_blocks(report: Report, *, freshness: str, share_button: bool = True,
                         shared_by: str | None = None, goals_first: bool = False) -> ReportMessage:
    """Build the Block Kit message and its fallback text for a report.

    ``freshness`` is a line such as "updated 12 min ago". With ``share_button``
    the message ends with a "Share in channel" button whose value
    ``read_share_value`` decodes. ``shared_by`` is the Slack user id of who
    shared the report in the channel, named in the closing context. With
    ``goals_first`` the goals come right under the header, as the digest
    opens; otherwise they follow the line naming the period compared with.
    """
    rows = figure_rows(report)
    opening = [build_comparison(report), build_goal_section(report.goals)]
    if goals_first:
        opening.reverse()
    blocks = [
        build_header(report),
        *opening,
        *build_figure_sections(rows),
        build_top_tweet(report.current),
    ]
    context = build_context(report, freshness, shared_by)
    if context is not None:
        blocks.append(context)
    if share_button:
        actions = build_share_actions(report)
        if actions is not None:
            blocks.append(actions)
    return ReportMessage(text=render_fallback_text(report, rows), blocks=fit_blocks(blocks))


def fit_blocks(blocks: list[dict]) -> list[dict]:
    """Return at most MAX_BLOCKS blocks: the first ones and a final context block saying how many were left out."""
    if len(blocks) <= MAX_BLOCKS:
        return blocks
    leading_blocks = blocks[:MAX_BLOCKS - 1]
    left_out = len(blocks) - len(leading_blocks)
    note = (f"{left_out} more blocks were left out because a Slack message can contain at most "
            f"{MAX_BLOCKS} blocks.")
    return leading_blocks + [ContextBlock(elements=[MarkdownTextObject(text=note)]).to_dict()]


def encode_share_value(report: Report) -> str:
    """Return the button value: the handle and the first and last day of the period, as compact JSON.

    ``until`` is the last day included, as with the CLI's --until, so
    ``date_range(since, until, zone)`` rebuilds the same period and the same
    previous period.
    """
    first, last = period_days(report.current)
    value = {"account": report.account.handle, "since": first.isoformat(), "until": last.isoformat()}
    return json.dumps(value, separators=(",", ":"))


def read_share_value(value: str) -> tuple[str, date, date]:
    """Decode a share button value into the handle and the first and last day. Raises ValueError naming the value."""
    try:
        data = json.loads(value)
        return data["account"], date.fromisoformat(data["since"]), date.fromisoformat(data["until"])
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"invalid share button value {value!r}: expected JSON with account, since and until "
                         f"({error})") from None


def escape_mrkdwn(text: str) -> str:
    """Escape the three characters that Slack reads as markup in mrkdwn text: &, < and >."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut_text(text: str, limit: int) -> str:
    """Return the text, or its first characters and "…" when it is longer than ``limit``."""
    if len(text) <= limit:
        return text
    return text[:limit - len(ELLIPSIS)] + ELLIPSIS


def cut_mrkdwn(text: str, limit: int) -> str:
    """Cut mrkdwn text like ``cut_text``, without leaving half an escaped character or an unclosed link."""
    if len(text) <= limit:
        return text
    head = PARTIAL_ENTITY.sub("", text[:limit - len(ELLIPSIS)])
    # Escaped user text has no "<", so any "<" opens a link that this module wrote.
    if head.rfind("<") > head.rfind(">"):
        head = head[:head.rfind("<")]
    return head + ELLIPSIS


def build_header(report: Report) -> dict:
    first, last = period_days(report.current)
    title = f"@{report.account.handle} · {first} to {last}"
    return HeaderBlock(text=PlainTextObject(text=cut_text(title, MAX_HEADER_TEXT))).to_dict()


def build_comparison(report: Report) -> dict:
    first, last = period_days(report.previous)
    line = f"Changes in parentheses compare with the previous period, {first} to {last}."
    return ContextBlock(elements=[MarkdownTextObject(text=line)]).to_dict()


def build_goal_section(goals: list[GoalResult]) -> dict:
    """Build a section with the goals' summary line and one field per goal, missed ones first."""
    title = f"*Goals* · {escape_mrkdwn(summary_line(goals))}."
    if not goals:
        title += "\nAn admin can set them with `/tweetstats goals`."
    fields = [MarkdownTextObject(text=cut_mrkdwn(describe_goal(goal), MAX_FIELD_TEXT))
              for goal in missed_first(goals)[:MAX_FIELDS]]
    return SectionBlock(text=MarkdownTextObject(text=cut_mrkdwn(title, MAX_SECTION_TEXT)), fields=fields or None).to_dict()


def describe_goal(goal: GoalResult) -> str:
    """Write a goal as a field: its name, the figure beside the target, and the status with the trend."""
    emoji = STATUS_EMOJI.get(goal.status, NO_STATUS_EMOJI)
    return (f"*{escape_mrkdwn(goal.label)}*\n{format_goal_value(goal.value, goal.unit)} · target "
            f"{escape_mrkdwn(describe_target(goal))}\n{emoji} {status_text(goal)} · {trend_text(goal)}")


def build_figure_sections(rows: list[FigureRow]) -> list[dict]:
    """Build one section per figure group, with one field per figure, split where a group exceeds MAX_FIELDS."""
    blocks = []
    for section, section_rows in group_rows(rows).items():
        for start in range(0, len(section_rows), MAX_FIELDS):
            fields = [MarkdownTextObject(text=cut_mrkdwn(describe_figure(row), MAX_FIELD_TEXT))
                      for row in section_rows[start:start + MAX_FIELDS]]
            title = None
            if start == 0:
                title = MarkdownTextObject(text=cut_mrkdwn(f"*{escape_mrkdwn(section)}*", MAX_SECTION_TEXT))
            blocks.append(SectionBlock(text=title, fields=fields).to_dict())
    return blocks


def group_rows(rows: list[FigureRow]) -> dict[str, list[FigureRow]]:
    """Group the rows by section in the order of ``figure_rows``, with the strategy mix first."""
    groups: dict[str, list[FigureRow]] = {}
    for row in rows:
        groups.setdefault(row.section, []).append(row)
    if LEAD_SECTION in groups:
        groups = {LEAD_SECTION: groups.pop(LEAD_SECTION), **groups}
    return groups


def describe_figure(row: FigureRow) -> str:
    return f"*{escape_mrkdwn(row.name)}*\n{format_figure(row)}"


def format_figure(row: FigureRow) -> str:
    """Return "value (change)" as the text report writes them, such as "33% (+11 pts)"."""
    return f"{format_value(row.value, row.unit)} ({format_change(row.value, row.previous, row.unit)})"


def build_top_tweet(current: Figures) -> dict:
    """Build a section with the top tweet linked, or a line saying that there is none."""
    if not current.top_tweets:
        text = "*Top tweet*\nNo own tweets in this period."
    else:
        tweet = current.top_tweets[0]
        link = f"<{escape_mrkdwn(tweet.url)}|{escape_mrkdwn(shorten_tweet(tweet))}>"
        text = f"*Top tweet* · {format_tweet_counts(tweet)}\n{link}"
    # verbatim skips Slack's preprocessing, which would turn URLs, channel names and some mentions
    # in the tweet into links.
    body = MarkdownTextObject(text=cut_mrkdwn(text, MAX_SECTION_TEXT), verbatim=True)
    return SectionBlock(text=body).to_dict()


def shorten_tweet(tweet: TopTweet) -> str:
    """Return the tweet text on one line, cut to TWEET_TEXT_LENGTH, or "(no text)" for a tweet without text."""
    text = " ".join(tweet.text.split())
    return cut_text(text, TWEET_TEXT_LENGTH) if text else "(no text)"


def format_tweet_counts(tweet: TopTweet) -> str:
    return f"Likes {format_value(tweet.likes, 'count')} · Retweets {format_value(tweet.retweets, 'count')}"


def build_context(report: Report, freshness: str, shared_by: str | None = None) -> dict | None:
    """Build the closing context block: freshness, the note when the period runs past the stored data, the sharer."""
    lines = [freshness.strip()]
    if report.beyond_data:
        lines.append(data_note(report))
    elements = [MarkdownTextObject(text=cut_mrkdwn(escape_mrkdwn(line), MAX_SECTION_TEXT)) for line in lines if line]
    if shared_by and USER_ID.fullmatch(shared_by):
        # <@U…> is Slack's markup for a mention, shown as the person's name.
        elements.append(MarkdownTextObject(text=f"Shared by <@{shared_by}>"))
    if not elements:
        return None
    return ContextBlock(elements=elements).to_dict()


def build_share_actions(report: Report) -> dict | None:
    """Build the actions block with the share button, or return None when its value exceeds MAX_BUTTON_VALUE.

    A cut value could not be decoded, so no button is better than a broken one.
    Stored handles have at most 50 characters, so a real report always gets
    its button.
    """
    value = encode_share_value(report)
    if len(value) > MAX_BUTTON_VALUE:
        return None
    button = ButtonElement(
        text=PlainTextObject(text=cut_text(SHARE_LABEL, MAX_BUTTON_TEXT)),
        action_id=SHARE_ACTION_ID,
        value=value,
    )
    return ActionsBlock(elements=[button]).to_dict()


def render_fallback_text(report: Report, rows: list[FigureRow]) -> str:
    """Return the fallback text, escaped for mrkdwn: the account, the period, then each section's figures on a line."""
    first, last = period_days(report.current)
    previous_first, previous_last = period_days(report.previous)
    lines = [f"@{report.account.handle} · {first} to {last} "
             f"(changes against {previous_first} to {previous_last})"]
    lines.append(f"Goals: {summary_line(report.goals)}. " + "; ".join(goal_line(goal) for goal in missed_first(report.goals)))
    for section, section_rows in group_rows(rows).items():
        figures = "; ".join(f"{row.name} {format_figure(row)}" for row in section_rows)
        lines.append(f"{section}: {figures}")
    if report.current.top_tweets:
        tweet = report.current.top_tweets[0]
        lines.append(f"Top tweet: {shorten_tweet(tweet)} ({format_tweet_counts(tweet)}) {tweet.url}")
    else:
        lines.append("Top tweet: no own tweets in this period.")
    return cut_mrkdwn(escape_mrkdwn("\n".join(lines)), MAX_MESSAGE_TEXT)


def period_days(figures: Figures) -> tuple[date, date]:
    """Return the first and the last day of the period, both included."""
    return figures.since.date(), figures.until.date() - timedelta(days=1)
