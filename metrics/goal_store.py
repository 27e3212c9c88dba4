"""Goals as the store keeps them: each change is a new version, so a past period keeps the goals it had.

A ``goals`` row sets one goal of one account from ``effective_from`` on. A
NULL target switches it off, unless ``restores_default`` is set: then the
goal's default in ``metrics.goals`` is in force again, whatever it is. The goal in force at a moment is the row with the
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

COLUMNS = "name, target, restores_default, effective_from, set_at, set_by"


@dataclass(frozen=True)
class GoalSetting:
    """The target of one goal in force at a moment, and where it came from.

    ``set_at`` and ``set_by`` are None for a default no one has changed.
    ``restored`` is True for a version that brought the default back.
    """

    name: str
    target: float | None
    effective_from: str | None
    set_at: str | None
    set_by: str | None
    restored: bool = False

    @property
    def is_default(self) -> bool:
        return self.set_at is None or self.restored


def targets_in_force(db: sqlite_utils.Database, account_id: int, moment: datetime) -> dict[str, float]:
    """Return the target of every goal switched on just before ``moment``, in the order of GOALS."""
    settings = settings_in_force(db, account_id, moment)
    return {name: setting.target for name, setting in settings.items() if setting.target is not None}


def settings_in_force(db: sqlite_utils.Database, account_id: int, moment: datetime) -> dict[str, GoalSetting]:
    """Return every goal's setting in force just before ``moment``: a stored version or the default."""
    rows = db.execute(
        f"""SELECT {COLUMNS} FROM (
                SELECT {COLUMNS},
                       row_number() OVER (PARTITION BY name ORDER BY effective_from DESC, id DESC) AS position
                FROM goals WHERE account_id = ? AND effective_from < ?
            ) WHERE position = 1""",
        [account_id, format_time(moment)],
    ).fetchall()
    stored = {row[0]: _setting(row) for row in rows}
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
        restores = target == DEFAULT_WORD
        if (current[name].is_default if restores else current[name].target == target):
            continue
        db.execute(
            """INSERT INTO goals (account_id, name, target, restores_default, effective_from, set_at, set_by)
               VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [account.id, name, None if restores else target, int(restores), format_time(effective_from),
             format_time(now), set_by],
        )
        changed.append(name)
    return changed


def goal_versions(db: sqlite_utils.Database, account_id: int) -> list[GoalSetting]:
    """Return every stored version of the account's goals, the earliest first."""
    rows = db.execute(
        f"SELECT {COLUMNS} FROM goals WHERE account_id = ? ORDER BY effective_from, id",
        [account_id],
    ).fetchall()
    return [_setting(row) for row in rows]


def later_versions(db: sqlite_utils.Database, account_id: int, names: list[str],
                   moment: datetime) -> list[GoalSetting]:
    """Return the stored versions of the named goals that start after ``moment``, the earliest first."""
    return [version for version in goal_versions(db, account_id)
            if version.name in names and version.effective_from > format_time(moment)]


def _setting(row: tuple) -> GoalSetting:
    """Read a goals row of COLUMNS; a version that restores the default carries the default's target."""
    name, target, restores, effective_from, set_at, set_by = row
    if restores:
        return GoalSetting(name, SPECS[name].default, effective_from, set_at, set_by, restored=True)
    return GoalSetting(name, target, effective_from, set_at, set_by)


def _just_after(moment: datetime) -> datetime:
    """Return a moment one second later: the store keeps whole seconds, and versions count from ``<``."""
    return moment + timedelta(seconds=1)


def settings_from(db: sqlite_utils.Database, account_id: int, moment: datetime) -> dict[str, GoalSetting]:
    """Return every goal's setting in force from ``moment`` on, including a version that starts at ``moment``."""
    return settings_in_force(db, account_id, _just_after(moment))
