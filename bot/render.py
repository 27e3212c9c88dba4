"""Render a report as terminal text, JSON or CSV: the meeting pack.

Text and CSV share ``figure_rows``, so both show the same figures in the same order.
"""

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from rich.console import Console
from rich.table import Table

from bot.progress import (MISSING, describe_target, format_goal_value, format_minutes, missed_first, status_text,
                          summary_line, trend_text)
from metrics import usage
from metrics.report import Figures, Report
from metrics.status import PollerStatus
from metrics.xsource import MIN_PAGE_SIZE


@dataclass
class FigureRow:
    """One figure for the current and the previous period. ``unit`` is count, share or minutes."""

    section: str
    name: str
    unit: str
    value: float | int | None
    previous: float | int | None


def figure_rows(report: Report) -> list[FigureRow]:
    """List every headline figure of the report, grouped by section."""
    current, previous = report.current, report.previous
    rows = []

    def add(section: str, name: str, unit: str, path: str) -> None:
        rows.append(FigureRow(section, name, unit, _lookup(current, path), _lookup(previous, path)))

    add("Tweets", "All tweets", "count", "tweets.total")
    for kind, label in (("original", "Originals"), ("thread", "Thread tweets"), ("reply", "Replies to users"),
                        ("retweet", "Retweets"), ("quote", "Quotes")):
        add("Tweets", label, "count", f"tweets.{kind}")
    add("Strategy", "Listening (retweets and quotes)", "share", "strategy.listening")
    add("Strategy", "Responding (replies to users)", "share", "strategy.responding")
    add("Strategy", "Linking (external links)", "share", "strategy.linking")
    add("Strategy", "Promoting (own-site links)", "share", "strategy.promoting")
    add("Links", "Tweets with links", "count", "links.tweets_with_links")
    add("Links", "With an external link", "count", "links.external")
    add("Links", "With an own-site link", "count", "links.own_site")
    for field, label in (("likes", "Likes"), ("retweets", "Retweets received"), ("replies", "Replies received"),
                         ("quotes", "Quotes received"), ("impressions", "Impressions")):
        add("Engagement", label, "count", f"engagement.{field}")
    add("Responsiveness", "Questions from users", "count", "responsiveness.questions")
    add("Responsiveness", "Answered", "count", "responsiveness.answered")
    add("Responsiveness", "Response rate", "share", "responsiveness.response_rate")
    add("Responsiveness", "Median time to first reply", "minutes", "responsiveness.median_response_minutes")
    add("Responsiveness", "Unanswered after a day", "count", "responsiveness.unanswered_after_day")
    add("Audience", "Followers", "count", "audience.followers")
    add("Audience", "Follower change", "count", "audience.followers_change")
    add("Audience", "Following", "count", "audience.following")
    return rows


def render_json(report: Report) -> str:
    return json.dumps(report.to_dict(), indent=2, ensure_ascii=False)


def render_csv(report: Report) -> str:
    """Return one CSV row per figure, then the goals, top domains, hashtags and tweets, for a spreadsheet.

    Goal rows fill the last four columns: the target (in the row's unit), at
    least or at most, met, close, missed or no data, and better, worse or same.

    ``since`` and ``until`` are the first and last day included. The text starts
    with a UTF-8 byte order mark, which spreadsheet programs need to show
    accented letters correctly.
    """
    output = io.StringIO()
    output.write("\ufeff")
    table = csv.writer(output, lineterminator="\n")
    table.writerow(["account", "since", "until", "previous_since", "previous_until", "section", "figure", "unit",
                    "value", "previous", "change", "target", "direction", "status", "trend"])
    prefix = ["@" + report.account.handle, *_days(report.current), *_days(report.previous)]
    for row in figure_rows(report):
        change = _difference(row.value, row.previous)
        if row.unit == "share":
            values = [_percent(row.value), _percent(row.previous), _percent(change)]
            unit = "percent"
        else:
            values = [_plain(row.value), _plain(row.previous), _plain(change)]
            unit = row.unit
        table.writerow(prefix + [row.section, row.name, unit] + values)
    for goal in report.goals:
        write = _percent if goal.unit == "share" else _decimal
        values = [write(goal.value), write(goal.previous), write(_difference(goal.value, goal.previous)),
                  write(goal.target)]
        unit = "percent" if goal.unit == "share" else goal.unit
        table.writerow(prefix + ["Goals", goal.label, unit] + values
                       + [goal.direction.replace("_", " "), status_text(goal), goal.trend or ""])
    for item in report.current.links.top_domains:
        table.writerow(prefix + ["Top domains", item.domain, "own site" if item.own else "external", item.count, "", ""])
    for item in report.current.hashtags:
        table.writerow(prefix + ["Top hashtags", "#" + item.tag, "count", item.count, "", ""])
    for tweet in report.current.top_tweets:
        table.writerow(prefix + ["Top tweets", tweet.url, "likes", _plain(tweet.likes), "", ""])
    stored_until = report.data_until.strftime("%Y-%m-%d %H:%M:%S") if report.data_until else ""
    table.writerow(prefix + ["Data", "Stored data ends", "time (UTC)", stored_until, "", ""])
    return output.getvalue()


def render_text(report: Report, console: Console) -> None:
    """Print the report as tables: each figure beside the previous period and the change."""
    current, previous = report.current, report.previous
    console.print(f"@{report.account.handle}  {_span(current)}  (previous: {_span(previous)})",
                  highlight=False, markup=False, soft_wrap=True)
    if report.beyond_data:
        console.print(data_note(report), highlight=False, markup=False, soft_wrap=True)
    if not report.account.own_domains and current.links.tweets_with_links:
        console.print(f"Note: @{report.account.handle} has no own domains set, so every link counts as external. "
                      f"Set them with 'tweetstats accounts set @{report.account.handle} --own-domain DOMAIN'.",
                      highlight=False, markup=False, soft_wrap=True)
    _print_goals(report, console)
    table = Table(show_edge=False, pad_edge=False, expand=False)
    table.add_column("Figure")
    table.add_column("This period", justify="right")
    table.add_column("Previous", justify="right")
    table.add_column("Change", justify="right")
    section = None
    for row in figure_rows(report):
        if row.section != section:
            section = row.section
            table.add_row(f"[bold]{section}[/bold]", "", "", "")
        table.add_row("  " + row.name, format_value(row.value, row.unit), format_value(row.previous, row.unit),
                      format_change(row.value, row.previous, row.unit))
    console.print(table)
    _print_lists(current, console)


def _print_goals(report: Report, console: Console) -> None:
    """Print the goals' summary line, then each goal, missed ones first, beside its target."""
    console.print(f"Goals: {summary_line(report.goals)}.", highlight=False, markup=False, soft_wrap=True)
    if not report.goals:
        return
    table = Table(show_edge=False, pad_edge=False, expand=False)
    for heading, justify in (("Goal", "left"), ("This period", "right"), ("Target", "right"), ("Status", "left"),
                             ("Trend", "left")):
        table.add_column(heading, justify=justify)
    for goal in missed_first(report.goals):
        table.add_row("  " + goal.label, format_goal_value(goal.value, goal.unit), describe_target(goal),
                      status_text(goal), trend_text(goal))
    console.print(table)
    console.print()


def data_note(report: Report) -> str:
    """Explain that the period runs past the stored data, whose later days show no activity."""
    if report.data_until is None:
        return "Note: nothing has been imported for this account yet, so every figure shows no activity."
    ends = report.data_until.strftime("%Y-%m-%d %H:%M UTC")
    if report.updated_by == "poll":
        return (f"Note: the stored data ends at {ends}, the last poll of the X API. Later days show no activity "
                "because nothing was read for them yet.")
    return (f"Note: the stored data ends at {ends}. Later days show no activity because nothing was imported "
            "for them: import a newer archive or twarc file to fill them.")


def freshness_line(report: Report, now: datetime) -> str:
    """Say how fresh the data is: "updated 12 min ago" after a poll, "from an archive imported on …" otherwise."""
    if report.updated_at is None:
        return "no data imported yet"
    if report.updated_by == "poll":
        minutes = max(0, int((now - report.updated_at).total_seconds() // 60))
        if minutes < 60:
            return f"updated {minutes} min ago"
        if minutes < 48 * 60:
            return f"updated {minutes // 60} h ago"
        return f"updated {minutes // 1440} days ago"
    source = {"archive": "an archive", "tweets file": "a tweets file", "twarc": "a twarc file"}
    origin = source.get(report.updated_by or "", "an import")
    return f"from {origin} imported on {report.updated_at.date().isoformat()}"


def format_value(value: float | int | None, unit: str) -> str:
    if value is None:
        return MISSING
    if unit == "share":
        return f"{value * 100:.0f}%"
    if unit == "minutes":
        return format_minutes(value)
    return f"{value:,}"


def format_change(value: float | int | None, previous: float | int | None, unit: str) -> str:
    """Return the change from the previous period: percentage points for shares."""
    change = _difference(value, previous)
    if change is None:
        return MISSING
    if unit == "share":
        # The change of the rounded percentages shown, so that 33% against 22% reads +11.
        return f"{round(value * 100) - round(previous * 100):+d} pts"
    if unit == "minutes":
        return ("+" if change >= 0 else "-") + format_minutes(abs(change))
    return f"{change:+,}"


def _print_lists(current: Figures, console: Console) -> None:
    # soft_wrap keeps each line whole, as a terminal would wrap it, instead of
    # rich breaking it at 80 columns when the output is a pipe or a file.
    if current.links.top_domains:
        domains = ", ".join(f"{item.domain} ({item.count}{', own' if item.own else ''})"
                            for item in current.links.top_domains)
        console.print(f"\nTop domains: {domains}", highlight=False, markup=False, soft_wrap=True)
    if current.hashtags:
        tags = ", ".join(f"#{item.tag} ({item.count})" for item in current.hashtags)
        console.print(f"Top hashtags: {tags}", highlight=False, markup=False, soft_wrap=True)
    if current.top_tweets:
        console.print("Top tweets:", highlight=False, markup=False)
        for tweet in current.top_tweets:
            text = " ".join(tweet.text.split())
            text = text[:100] + "…" if len(text) > 100 else text
            counts = f"{plural(tweet.likes, 'like')}, {plural(tweet.retweets, 'retweet')}"
            console.print(f"  {counts}  {text}\n    {tweet.url}", highlight=False, markup=False, soft_wrap=True)


def plural(count: int | None, noun: str) -> str:
    """Return the count with its noun, such as \"1 like\" or \"1,204 likes\"."""
    if count is None:
        return f"{MISSING} {noun}s"
    return f"{count:,} {noun}" if count == 1 else f"{count:,} {noun}s"


def _span(figures: Figures) -> str:
    first, last = _days(figures)
    return f"{first} to {last}"


def _days(figures: Figures) -> tuple[str, str]:
    """Return the first and the last day of the period, both included."""
    return figures.since.date().isoformat(), (figures.until.date() - timedelta(days=1)).isoformat()


def _lookup(figures: Figures, path: str) -> float | int | None:
    value: object = figures
    for name in path.split("."):
        value = getattr(value, name)
    return value  # type: ignore[return-value]


def _difference(value: float | int | None, previous: float | int | None) -> float | int | None:
    if value is None or previous is None:
        return None
    return value - previous


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}"


def _decimal(value: float | None) -> str:
    """Write a number with at most two decimals and no trailing zeros, or nothing when it is missing."""
    if value is None:
        return ""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def _plain(value: float | int | None) -> str:
    return "" if value is None else str(value)


def render_status_lines(status: PollerStatus, polling: bool) -> list[str]:
    """Describe the poller's month in lines: usage and cost, the budget, pauses, and each account's state."""
    month = status.month
    lines = [f"X API use in {month.month} (UTC): {month.total_requests:,} requests, {month.total_reads:,} reads, "
             f"{month.total_billed:,} billed, about ${status.cost:,.2f} at the configured prices",
             "(A read is billed unless the same tweet or user was read earlier that UTC day.)"]
    for kind in usage.KINDS:
        lines.append(f"  {kind}: {month.requests[kind]:,} requests, {month.reads[kind]:,} reads, "
                     f"{month.billed[kind]:,} billed")
    if status.budget is None:
        lines.append("No monthly read budget is set (TWEETSTATS_MONTHLY_READ_BUDGET).")
    else:
        share = month.total_billed / status.budget if status.budget else 1.0
        lines.append(f"Monthly read budget: {status.budget:,} billed reads, {share:.0%} used.")
        if status.budget - month.total_billed < MIN_PAGE_SIZE:
            lines.append("Polling is stopped until next month: the read budget is used up.")
    if not polling:
        lines.append("Polling is off: X_BEARER_TOKEN is not set.")
    if status.paused_until:
        lines.append(f"Polling is paused until {utc_text(status.paused_until)} after X's usage cap.")
    lines.append(f"Questions marked \"Not a question\" in alerts in the last 30 days: {status.false_positives} "
                 "(false positives of the question rules).")
    for account in status.accounts:
        if not account.tracked:
            state = "not tracked"
        elif account.stopped:
            state = f"stopped since {account.stopped}; 'tweetstats accounts add @{account.handle}' resumes it"
        elif account.last_poll:
            state = f"last polled {utc_text(account.last_poll)}"
        else:
            state = "not polled yet"
        lines.append(f"@{account.handle}: {state}")
    return lines


def utc_text(text: str) -> str:
    """Turn the store's UTC time, such as 2026-12-04T22:17:05Z, into 2026-12-04 22:17 UTC."""
    return f"{text[:10]} {text[11:16]} UTC" if len(text) >= 16 else text
