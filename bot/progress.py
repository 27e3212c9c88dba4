"""Words for goal results, shared by the text, CSV and Slack renderings of a report.

Each goal reads the same everywhere: its figure, its target with the direction
("at least 90%"), met, close or missed, and the move since the period before.
"""

from metrics.goals import (BETTER, CLOSE, MET, MISSED, NO_DATA, SAME, SPECS, WORSE, GoalResult, count_met,
                           format_target)

MISSING = "–"
STATUS_TEXT = {MET: "met", CLOSE: "close", MISSED: "missed", NO_DATA: "no data"}
TREND_TEXT = {BETTER: "better", WORSE: "worse", SAME: "same"}
# Missed goals come first in a summary, then close ones, so a meeting starts with what needs work.
STATUS_ORDER = {MISSED: 0, CLOSE: 1, NO_DATA: 2, MET: 3}


def format_goal_value(value: float | None, unit: str) -> str:
    """Write a goal's figure or target: 53% for shares, 11.5 h for minutes, 2.4 for other numbers."""
    if value is None:
        return MISSING
    if unit == "share":
        percent = value * 100
        return f"{percent:.0f}%" if abs(percent) >= 10 or percent == round(percent) else f"{percent:.1f}%"
    if unit == "minutes":
        return format_minutes(value)
    if value == round(value):
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def describe_target(result: GoalResult) -> str:
    """Write the target with its direction, as in "at least 90%" or "at most 24 h"."""
    return f"{SPECS[result.name].direction_text} {target_text(result)}"


def target_text(result: GoalResult) -> str:
    """Write the target alone: "90%", "12.5%", "24 h", "2 days" or "3"."""
    if result.unit == "minutes":
        return _round_duration(result.target)
    if result.unit == "share":
        # Written as typed, so that a target of 12.5% does not show as 12%.
        return format_target(SPECS[result.name], result.target)
    return format_goal_value(result.target, result.unit)


def status_text(result: GoalResult) -> str:
    return STATUS_TEXT[result.status]


def trend_text(result: GoalResult) -> str:
    """Return better, worse or same for the move since the period before, or a dash when a figure is missing."""
    return TREND_TEXT.get(result.trend or "", MISSING)


def goal_line(result: GoalResult) -> str:
    """Write one goal in one line: "Response rate 53% (target at least 90%): missed, worse than the period before"."""
    if result.status == NO_DATA:
        return f"{result.label} (target {describe_target(result)}): no data"
    line = f"{result.label} {format_goal_value(result.value, result.unit)} (target {describe_target(result)}): " \
           f"{status_text(result)}"
    if result.trend == SAME:
        return line + ", same as the period before"
    if result.trend:
        return line + f", {TREND_TEXT[result.trend]} than the period before"
    return line


def summary_line(results: list[GoalResult]) -> str:
    """Count the goals met, as in "4 of 6 goals met", naming how many had no data to judge. Ends without a period."""
    if not results:
        return "no goals set"
    met, judged = count_met(results)
    if judged == 0:
        return f"no data for {'the goal' if len(results) == 1 else f'the {len(results)} goals'}"
    line = f"{met} of {judged} {'goal' if judged == 1 else 'goals'} met"
    without = len(results) - judged
    if without:
        line += f" ({without} without data)"
    return line


def missed_first(results: list[GoalResult]) -> list[GoalResult]:
    """Order the results missed first, then close, without data, and met, keeping the goals' order within each."""
    return sorted(results, key=lambda result: STATUS_ORDER[result.status])


def _round_duration(minutes: float) -> str:
    """Write a target duration in whole days from two days on, else in whole hours or minutes: 2 days, 24 h, 90 min."""
    if minutes >= 2 * 1440 and minutes % 1440 == 0:
        return f"{minutes / 1440:.0f} days"
    if minutes and minutes % 60 == 0:
        return f"{minutes / 60:.0f} h"
    return f"{minutes:g} min"


def format_minutes(minutes: float) -> str:
    """Write a duration in minutes, hours or days, whichever reads best."""
    if minutes < 60:
        return f"{minutes:.0f} min"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} h"
    return f"{minutes / 1440:.1f} days"
