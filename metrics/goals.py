"""Strategy goals: a target for a report figure, and how a figure is judged against it.

Each goal has a direction: a figure meets an "at least" goal at or above its
target, and an "at most" goal at or below it. A figure within 10 % of its
target on the wrong side is "close". The reasons for each default are in
docs/metrics.md.
"""

import math
import re
from dataclasses import dataclass

from metrics.errors import UsageError

AT_LEAST = "at_least"
AT_MOST = "at_most"
# How far from the target, as a fraction of it, a figure on the wrong side still counts as close.
CLOSE_MARGIN = 0.10
# Two floats closer than this are equal, so that 27/30 meets a target of 0.9.
TOLERANCE = 1e-9

MET, CLOSE, MISSED, NO_DATA = "met", "close", "missed", "no_data"
BETTER, WORSE, SAME = "better", "worse", "same"
# Days in an average month, to turn a follower change over any period into a monthly rate.
MONTH_DAYS = 365.25 / 12
# Words that switch a goal off, or back to its default.
OFF_WORDS = ("off", "none", "no")
DEFAULT_WORD = "default"


@dataclass(frozen=True)
class GoalSpec:
    """A goal a library can set: its figure, unit, direction, default and the targets allowed.

    ``unit`` is share (a fraction from 0 to 1, typed as 90% or 0.9), minutes
    (typed as 90, 90m, 24h or 2d) or number. ``default`` is None when the goal
    is off until a library sets it.
    """

    name: str
    label: str
    unit: str
    direction: str
    default: float | None
    maximum: float
    unit_help: str
    whole: bool = False

    @property
    def direction_text(self) -> str:
        return "at least" if self.direction == AT_LEAST else "at most"


GOALS: tuple[GoalSpec, ...] = (
    GoalSpec("response_rate", "Response rate", "share", AT_LEAST, 0.9, 1.0,
             "a percentage of questions, such as 90%"),
    GoalSpec("median_response_minutes", "Median reply time", "minutes", AT_MOST, 24 * 60.0, 30 * 24 * 60,
             "a time in minutes, or with h or d, such as 90, 24h or 2d"),
    GoalSpec("unanswered_after_day", "Unanswered after a day", "number", AT_MOST, 0.0, 10_000,
             "a whole number of questions, such as 0", whole=True),
    GoalSpec("linking_share", "External-link share", "share", AT_LEAST, 0.25, 1.0,
             "a percentage of own tweets, such as 25%"),
    GoalSpec("listening_share", "Listening share", "share", AT_LEAST, 0.10, 1.0,
             "a percentage of all tweets, such as 10%"),
    GoalSpec("promoting_share", "Own-site link share", "share", AT_MOST, 0.50, 1.0,
             "a percentage of own tweets, such as 50%"),
    GoalSpec("tweets_per_week", "Tweets per week", "number", AT_LEAST, 3.0, 1_000,
             "a number of tweets, such as 3"),
    GoalSpec("engagement_per_tweet", "Engagement per tweet", "number", AT_LEAST, None, 100_000,
             "likes, retweets, replies and quotes per own tweet, such as 2"),
    GoalSpec("followers_growth_per_month", "Follower growth per month", "share", AT_LEAST, None, 1.0,
             "a percentage of followers, such as 1%"),
)
SPECS: dict[str, GoalSpec] = {spec.name: spec for spec in GOALS}

DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*(m|min|mins|minutes?|h|hours?|d|days?)?", re.IGNORECASE)
PERCENT = re.compile(r"(-?\d+(?:\.\d+)?)\s*%")
UNIT_MINUTES = {"m": 1, "h": 60, "d": 24 * 60}


class GoalError(UsageError):
    """A goal name or target that cannot be read. The message lists the valid names and units."""


@dataclass(frozen=True)
class GoalResult:
    """One goal judged for a period: ``status`` is met, close, missed or no_data.

    ``trend`` compares ``value`` with ``previous``, the figure of the period
    before: better (toward the target, or further past it), worse, same, or
    None when either figure is missing.
    """

    name: str
    label: str
    unit: str
    direction: str
    target: float
    value: float | None
    previous: float | None
    status: str
    trend: str | None

    def to_dict(self) -> dict:
        return {"name": self.name, "label": self.label, "unit": self.unit, "target": self.target,
                "direction": self.direction, "value": self.value, "previous": self.previous,
                "status": self.status, "trend": self.trend}


def goal_names_help() -> str:
    """List every goal name with its direction and unit, for error messages and help."""
    return "; ".join(f"{spec.name} ({spec.direction_text}, {spec.unit_help})" for spec in GOALS)


def find_spec(name: str) -> GoalSpec:
    """Return the goal named ``name``. Raises GoalError listing the valid names."""
    spec = SPECS.get(name.strip().lower().replace("-", "_"))
    if spec is None:
        raise GoalError(f"'{name}' is not a goal. The goals are: {goal_names_help()}")
    return spec


def parse_target(spec: GoalSpec, text: str) -> float | None:
    """Read a target typed for ``spec``, or None for no goal. Raises GoalError naming the value and the unit.

    The word ``default`` is read by ``parse_assignments``, not here.
    """
    typed = text.strip()
    if typed.lower() in OFF_WORDS:
        return None
    value = _read_number(spec, typed)
    if value is None or not math.isfinite(value):
        raise GoalError(f"{spec.name}={typed!r} is not {spec.unit_help}. Type off for no goal")
    if spec.whole and value != int(value):
        raise GoalError(f"{spec.name}={typed!r} is not {spec.unit_help}")
    if value == 0 and spec.direction == AT_LEAST:
        raise GoalError(f"{spec.name}={typed!r} would always be met, since no figure is below 0: give "
                        f"{spec.unit_help}, or type off for no goal")
    if value < 0 or value > spec.maximum:
        raise GoalError(f"{spec.name}={typed!r} is out of range: give {spec.unit_help}, "
                        f"from {format_target(spec, 0)} to {format_target(spec, spec.maximum)}"
                        + _percent_hint(spec, typed, value))
    return value


def parse_assignments(words: list[str]) -> dict[str, float | None | str]:
    """Read ``name=value`` words into targets: a number, None for off, or "default".

    Raises GoalError for a word without ``=``, an unknown name, a name given
    twice, or a value that does not fit the goal's unit and range.
    """
    if not words:
        raise GoalError(f"give at least one goal as name=value. The goals are: {goal_names_help()}")
    targets: dict[str, float | None | str] = {}
    for word in words:
        name, sign, text = word.partition("=")
        if not sign or not name.strip():
            raise GoalError(f"'{word}' is not name=value, as in response_rate=90%. The goals are: {goal_names_help()}")
        spec = find_spec(name)
        if spec.name in targets:
            raise GoalError(f"{spec.name} is given twice: give each goal once")
        targets[spec.name] = DEFAULT_WORD if text.strip().lower() == DEFAULT_WORD else parse_target(spec, text)
    return targets


def format_target(spec: GoalSpec, value: float | None) -> str:
    """Write a target the way a user types it, so the result can be read back by ``parse_target``."""
    if value is None:
        return "off"
    if spec.unit == "share":
        return f"{_trim(value * 100)}%"
    if spec.unit == "minutes":
        if value >= 2 * 24 * 60 and value % (24 * 60) == 0:
            return f"{_trim(value / (24 * 60))}d"
        if value and value % 60 == 0:
            return f"{_trim(value / 60)}h"
        return f"{_trim(value)}min"
    return _trim(value)


def judge(spec: GoalSpec, target: float, value: float | None, previous: float | None) -> GoalResult:
    """Judge a figure against its target, and against the figure of the period before."""
    return GoalResult(spec.name, spec.label, spec.unit, spec.direction, target, value, previous,
                      status(spec.direction, target, value), trend(spec.direction, value, previous))


def status(direction: str, target: float, value: float | None) -> str:
    """Return met, close (within CLOSE_MARGIN of the target, on the wrong side), missed, or no_data."""
    if value is None:
        return NO_DATA
    # Signed so that a positive gap is on the good side of the target for either direction.
    gap = value - target if direction == AT_LEAST else target - value
    slack = abs(target) * TOLERANCE + TOLERANCE
    if gap >= -slack:
        return MET
    if -gap <= abs(target) * CLOSE_MARGIN + slack:
        return CLOSE
    return MISSED


def trend(direction: str, value: float | None, previous: float | None) -> str | None:
    """Return better, worse or same for the move from ``previous`` to ``value``, or None when one is missing."""
    if value is None or previous is None:
        return None
    change = value - previous if direction == AT_LEAST else previous - value
    if abs(change) <= TOLERANCE * max(1.0, abs(value), abs(previous)):
        return SAME
    return BETTER if change > 0 else WORSE


def count_met(results: list[GoalResult]) -> tuple[int, int]:
    """Return how many goals are met and how many could be judged (those with data)."""
    judged = [result for result in results if result.status != NO_DATA]
    return sum(result.status == MET for result in judged), len(judged)


def _read_number(spec: GoalSpec, text: str) -> float | None:
    """Read the number in ``text`` in the goal's base unit, or None when it is not one."""
    if spec.unit == "share":
        percent = PERCENT.fullmatch(text)
        if percent:
            return float(percent[1]) / 100
        return _float(text)
    if spec.unit == "minutes":
        duration = DURATION.fullmatch(text)
        if duration is None:
            return _float(text)
        factor = UNIT_MINUTES[duration[2][0].lower()] if duration[2] else 1
        return float(duration[1]) * factor
    return _float(text)


def _float(text: str) -> float | None:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return None


def _percent_hint(spec: GoalSpec, typed: str, value: float) -> str:
    """Suggest the percent sign when a share was typed as a percentage without it, as in 90 for 90%."""
    if spec.unit == "share" and "%" not in typed and 1 < value <= 100:
        return f" (for {_trim(value)}%, type the % sign)"
    return ""


def _trim(value: float) -> str:
    """Write a number without a trailing .0, keeping at most two decimals."""
    return f"{round(value, 2):g}" if abs(value) < 1e6 else f"{value:.0f}"
