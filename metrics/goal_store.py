"""Goals as the store keeps them: each change is a new version, so a past period keeps the goals it had.

A ``goals`` row sets one goal of one account from ``effective_from`` on, and a
NULL target switches it off. The goal in force at a moment is the row with the
latest ``effective_from`` before that moment. Of two rows with the same
``effective_from``, the later one counts. Without a row, the goal's default is
in force.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from metrics.accounts import Account
from metrics.goals import DEFAULT_WORD, GOALS, SPECS
from metrics.tweets import format_time


@dataclass(frozen=True)
class GoalSetting:
    """The target of one goal in force at a moment, and where it came from.

    ``set_at`` and ``set_by`` are None for a default no one has changed.
    """

    name: str
    target: float | None
    effective_from: str | None
    set_at: str | None
    set_by: str | None

    @property
    def is_default(self) -> bool:
        return self.set_at is None


def targets_in_force(db: sqlite_utils.Database, account_id: int, moment: datetime) -> dict[str, float]:
    """Return the target of every goal switched on just before ``moment``, in the order of GOALS."""
    settings = settings_in_force(db, account_id, moment)
    return {name: setting.target for name, setting in settings.items() if setting.target is not None}


def settings_in_force(db: sqlite_utils.Database, account_id: int, moment: datetime) -> dict[str, GoalSetting]:
    """Return every goal's setting in force just before ``moment``: a stored version or the default."""
    rows = db.execute(
        """SELECT name, target, effective_from, set_at, set_by FROM (
               SELECT name, target, effective_from, set_at, set_by,
                      row_number() OVER (PARTITION BY name ORDER BY effective_from DESC, id DESC) AS position
               FROM goals WHERE account_id = ? AND effective_from < ?
           ) WHERE position = 1""",
        [account_id, format_time(moment)],
    ).fetchall()
    stored = {row[0]: GoalSetting(*row) for row in rows}
    return {spec.name: stored.get(spec.name, GoalSetting(spec.name, spec.default, None, None, None)) for spec in GOALS}


def set_goals(db: sqlite_utils.Database, account: Account, targets: dict[str, float | None | str],
              effective_from: datetime, set_by: str, now: datetime) -> list[str]:
    """Store a new version of each goal whose target changes, and return the names of those goals.

    ``targets`` maps goal names to a target, None for off, or "default" for the
    goal's default. A goal already at that target from ``effective_from`` on
    gets no new row, so saving a form twice changes nothing. Run inside
    ``Store.write()``.
    """
    current = settings_in_force(db, account.id, _just_after(effective_from))
    changed = []
    for name, target in targets.items():
        value = SPECS[name].default if target == DEFAULT_WORD else target
        if current[name].target == value:
            continue
        db.execute(
            "INSERT INTO goals (account_id, name, target, effective_from, set_at, set_by) VALUES (?, ?, ?, ?, ?, ?)",
            [account.id, name, value, format_time(effective_from), format_time(now), set_by],
        )
        changed.append(name)
    return changed


def goal_versions(db: sqlite_utils.Database, account_id: int) -> list[GoalSetting]:
    """Return every stored version of the account's goals, the earliest first."""
    rows = db.execute(
        """SELECT name, target, effective_from, set_at, set_by FROM goals WHERE account_id = ?
           ORDER BY effective_from, id""",
        [account_id],
    ).fetchall()
    return [GoalSetting(*row) for row in rows]


def _just_after(moment: datetime) -> datetime:
    """Return a moment one second later: the store keeps whole seconds, and versions count from ``<``."""
    return moment + timedelta(seconds=1)


def settings_from(db: sqlite_utils.Database, account_id: int, moment: datetime) -> dict[str, GoalSetting]:
    """Return every goal's setting in force from ``moment`` on, including a version that starts at ``moment``."""
    return settings_in_force(db, account_id, _just_after(moment))
