"""Block Kit messages for the /tweetstats commands other than the report itself.

Each builder returns a ReportMessage: Block Kit blocks with a plain fallback
text. Tweet and mention text is escaped for mrkdwn and shown verbatim, so
Slack turns nothing in it into a link or a mention.
"""

from datetime import datetime

from slack_sdk.models.blocks import ContextBlock, HeaderBlock, MarkdownTextObject, PlainTextObject, SectionBlock

from bot.blocks import (MAX_FIELD_TEXT, MAX_FIELDS, MAX_HEADER_TEXT, MAX_MESSAGE_TEXT, MAX_SECTION_TEXT, ReportMessage,
                        cut_mrkdwn, cut_text, escape_mrkdwn, fit_blocks, format_figure, format_tweet_counts,
                        group_rows, period_days, shorten_tweet)
from bot.progress import summary_line
from bot.render import data_note, figure_rows
from metrics.accounts import Account
from metrics.figures import TopTweet
from metrics.report import Report
from metrics.unanswered import Question

# A question's excerpt in the list: enough to recognise it, short enough for a phone.
EXCERPT_LENGTH = 140


def render_notice(text: str) -> ReportMessage:
    """Build a one-section message for a confirmation, a rejection or an error. ``text`` is mrkdwn."""
    section = SectionBlock(text=MarkdownTextObject(text=cut_mrkdwn(text, MAX_SECTION_TEXT))).to_dict()
    return ReportMessage(text=cut_mrkdwn(text, MAX_MESSAGE_TEXT), blocks=[section])


def render_top_tweets(account: Account, first: str, last: str, tweets: list[TopTweet]) -> ReportMessage:
    """List the best tweets of a period, each linked, with its likes and retweets."""
    title = f"Top tweets of @{account.handle} · {first} to {last}"
    if not tweets:
        return _titled_list(title, [], f"No own tweets of @{account.handle} from {first} to {last}.")
    lines = [f"{rank}. <{escape_mrkdwn(tweet.url)}|{escape_mrkdwn(shorten_tweet(tweet))}>\n"
             f"{format_tweet_counts(tweet)} · {tweet.created_at[:10]}"
             for rank, tweet in enumerate(tweets, start=1)]
    return _titled_list(title, lines, "")


def render_questions(account: Account, questions: list[Question], total: int, now: datetime) -> ReportMessage:
    """List unanswered questions, oldest first: author, age, an excerpt, a link to each on X."""
    title = f"Unanswered questions to @{account.handle}"
    if total == 0:
        return _titled_list(title, [], f"No unanswered questions to @{account.handle}. Nothing is waiting.")
    lines = []
    for question in questions:
        author = "@" + question.author_handle if question.author_handle else "an unknown user"
        excerpt = cut_text(" ".join(question.text.split()), EXCERPT_LENGTH) or "(no text)"
        lines.append(f"*{escape_mrkdwn(author)}* · {format_age(question.created_at, now)} · "
                     f"<{escape_mrkdwn(question.url)}|open on X>\n{escape_mrkdwn(excerpt)}")
    footer = f"{total} unanswered in all, the oldest first."
    if total > len(questions):
        footer = f"{total} unanswered in all; the {len(questions)} oldest are shown."
    return _titled_list(title, lines, footer)


def render_comparison(first: Report, second: Report) -> ReportMessage:
    """Show two accounts' figures side by side, each with its change against the previous period."""
    start, end = period_days(first.current)
    title = f"@{first.account.handle} and @{second.account.handle} · {start} to {end}"
    notes = ["Each figure shows the account's value, then its change against the previous period."]
    notes += [f"@{report.account.handle}: {data_note(report)}" for report in (first, second) if report.beyond_data]
    notes += [f"Goals of @{report.account.handle}: {summary_line(report.goals)}." for report in (first, second)]
    blocks = [
        HeaderBlock(text=PlainTextObject(text=cut_text(title, MAX_HEADER_TEXT))).to_dict(),
        _context(" ".join(notes)),
    ]
    first_groups = group_rows(figure_rows(first))
    second_groups = group_rows(figure_rows(second))
    lines = [title, *notes[-2:]]
    for section, rows in first_groups.items():
        fields = []
        for row, other in zip(rows, second_groups[section]):
            fields.append(f"*{escape_mrkdwn(row.name)}*\n@{first.account.handle}: {format_figure(row)}")
            fields.append(f"\u200b\n@{second.account.handle}: {format_figure(other)}")
            lines.append(f"{row.name}: @{first.account.handle} {format_figure(row)}, "
                         f"@{second.account.handle} {format_figure(other)}")
        for start_at in range(0, len(fields), MAX_FIELDS):
            heading = MarkdownTextObject(text=f"*{escape_mrkdwn(section)}*") if start_at == 0 else None
            chunk = [MarkdownTextObject(text=cut_mrkdwn(field, MAX_FIELD_TEXT))
                     for field in fields[start_at:start_at + MAX_FIELDS]]
            blocks.append(SectionBlock(text=heading, fields=chunk).to_dict())
    return ReportMessage(text=cut_mrkdwn(escape_mrkdwn("\n".join(lines)), MAX_MESSAGE_TEXT),
                         blocks=fit_blocks(blocks))


def render_accounts(accounts: list[tuple[Account, str | None]]) -> ReportMessage:
    """List the stored accounts, each with its polling state, own domains and the end of its stored data."""
    if not accounts:
        return render_notice("No accounts yet. An admin can add one with `/tweetstats track @handle`, "
                             "or import an archive with `tweetstats import ARCHIVE.zip`.")
    lines = []
    for account, data_until in accounts:
        name = f" ({escape_mrkdwn(account.display_name)})" if account.display_name else ""
        polling = "tracked" if account.tracked else "not tracked (history kept)"
        domains = ", ".join(account.own_domains) or "none set"
        until = f"data until {data_until[:10]}" if data_until else "no data yet"
        lines.append(f"*@{account.handle}*{name} · {polling} · {until}\nOwn domains: {domains}")
    return _titled_list("Accounts", lines, "")


def format_age(created_at: str, now: datetime) -> str:
    """Say how long ago a stored UTC time was: "35 min", "5 h", "3 days"."""
    moment = datetime.fromisoformat(created_at.replace("Z", "+00:00"))
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // 1440} days"


def _titled_list(title: str, lines: list[str], footer: str) -> ReportMessage:
    """Build a header, the lines packed into as few sections as fit, and a closing context line.

    Lines share sections, so that a long list stays within Slack's block
    limit. ``fit_blocks`` cuts what still does not fit.
    """
    blocks = [HeaderBlock(text=PlainTextObject(text=cut_text(title, MAX_HEADER_TEXT))).to_dict()]
    for chunk in pack_lines([cut_mrkdwn(line, MAX_SECTION_TEXT) for line in lines], MAX_SECTION_TEXT):
        blocks.append(SectionBlock(text=MarkdownTextObject(text=chunk, verbatim=True)).to_dict())
    if footer:
        blocks.append(_context(footer))
    fallback = "\n".join([escape_mrkdwn(title), *lines, escape_mrkdwn(footer)]).strip()
    return ReportMessage(text=cut_mrkdwn(fallback, MAX_MESSAGE_TEXT), blocks=fit_blocks(blocks))


def pack_lines(lines: list[str], limit: int) -> list[str]:
    """Join lines with blank lines between them into texts of at most ``limit`` characters each."""
    chunks: list[str] = []
    for line in lines:
        if chunks and len(chunks[-1]) + 2 + len(line) <= limit:
            chunks[-1] += "\n\n" + line
        else:
            chunks.append(line)
    return chunks


def _context(text: str) -> dict:
    return ContextBlock(elements=[MarkdownTextObject(text=cut_mrkdwn(escape_mrkdwn(text), MAX_SECTION_TEXT))]).to_dict()
