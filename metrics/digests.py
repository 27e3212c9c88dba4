"""When digests are due, which period each covers, and which were already sent.

A weekly digest is due at its scheduled weekday and time in the report time
zone and covers the last full week (Monday to Sunday) before it. A monthly
digest is due at the same time on the first weekday (Monday to Friday) of
the month and covers the month before. The ``digests`` table has one row per
period, channel and account, written before the post, and ``bot.digest``
posts only where no row exists, so a restart never posts a digest again.
"""

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from metrics.errors import UsageError
from metrics.periods import Period, calendar_period

WEEKLY = "weekly"
MONTHLY = "monthly"
DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
SENDING, SENT, FAILED, SKIPPED, INTERRUPTED = "sending", "sent", "failed", "skipped", "interrupted"
SCHEDULE = re.compile(r"\s*([a-zA-Z]+)\s+(\d{1,2}):(\d{2})\s*")


@dataclass(frozen=True)
class DigestSchedule:
    weekday: int
    at: time
    zone: ZoneInfo


@dataclass(frozen=True)
class DueDigest:
    """A digest whose time has come: its kind, the period it covers and when it was due."""

    kind: str
    period: Period
    due_at: datetime


def parse_schedule(text: str, zone: ZoneInfo) -> DigestSchedule:
    """Read a schedule such as "mon 09:00" or "Friday 16:30". Raises UsageError naming the text."""
    match = SCHEDULE.fullmatch(text)
    day = match[1].lower() if match else ""
    weekdays = [index for index, name in enumerate(DAY_NAMES) if len(day) >= 3 and name.startswith(day)]
    hour, minute = (int(match[2]), int(match[3])) if match else (99, 99)
    if not weekdays or hour > 23 or minute > 59:
        raise UsageError(f"'{text}' is not a weekly schedule: give a day and a 24-hour time, such as mon 09:00")
    return DigestSchedule(weekdays[0], time(hour, minute), zone)


def due_digests(now: datetime, schedule: DigestSchedule, monthly: bool) -> list[DueDigest]:
    """Return the latest weekly digest due at or before ``now``, and the latest monthly one if ``monthly``."""
    local_now = now.astimezone(schedule.zone)
    day = local_now.date() - timedelta(days=(local_now.weekday() - schedule.weekday) % 7)
    if _at(day, schedule) > local_now:
        day -= timedelta(days=7)
    due = [DueDigest(WEEKLY, current_digest(day, schedule.zone, WEEKLY), _at(day, schedule))]
    if monthly:
        day = first_weekday(local_now.date().replace(day=1))
        if _at(day, schedule) > local_now:
            day = first_weekday((day - timedelta(days=1)).replace(day=1))
        due.append(DueDigest(MONTHLY, current_digest(day, schedule.zone, MONTHLY), _at(day, schedule)))
    return due


def current_digest(today: date, zone: ZoneInfo, kind: str = WEEKLY) -> Period:
    """Return the period a digest sent on ``today`` covers: the last full week, or the last full month."""
    return calendar_period("week" if kind == WEEKLY else "month", today, zone, previous=True)


def first_weekday(day: date) -> date:
    """Return the first Monday-to-Friday day on or after ``day``."""
    while day.weekday() > 4:
        day += timedelta(days=1)
    return day


def digest_state(db: sqlite_utils.Database, due: DueDigest, channel: str, account_id: int) -> str | None:
    row = db.execute(
        "SELECT state FROM digests WHERE kind = ? AND period_start = ? AND channel = ? AND account_id = ?",
        [due.kind, due.period.since.isoformat(), channel, account_id],
    ).fetchone()
    return row[0] if row else None


def record_digest(db: sqlite_utils.Database, due: DueDigest, channel: str, account_id: int, state: str,
                  moment: str, detail: str | None = None) -> None:
    db.execute(
        """INSERT INTO digests (kind, period_start, channel, account_id, state, updated_at, detail)
           VALUES (?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (kind, period_start, channel, account_id) DO UPDATE SET
               state = excluded.state, updated_at = excluded.updated_at, detail = excluded.detail""",
        [due.kind, due.period.since.isoformat(), channel, account_id, state, moment, detail],
    )


def forget_digest(db: sqlite_utils.Database, due: DueDigest, channel: str, account_id: int) -> None:
    """Drop the record of a digest whose post failed for a reason that may pass, so that a later try sends it."""
    db.execute("DELETE FROM digests WHERE kind = ? AND period_start = ? AND channel = ? AND account_id = ?",
               [due.kind, due.period.since.isoformat(), channel, account_id])


def mark_interrupted_digests(db: sqlite_utils.Database, before: str) -> list[tuple[str, str, str, int]]:
    """Mark digests recorded as being sent before ``before`` as interrupted, and return them.

    A crash between the record and Slack's response leaves such a row. The
    digest may or may not have reached the channel, so it is not posted again.
    Each row is (kind, period_start, channel, account_id).
    """
    rows = db.execute(
        "SELECT kind, period_start, channel, account_id FROM digests WHERE state = ? AND updated_at < ?",
        [SENDING, before],
    ).fetchall()
    db.execute("UPDATE digests SET state = ? WHERE state = ? AND updated_at < ?", [INTERRUPTED, SENDING, before])
    return rows


def forget_failed_digests(db: sqlite_utils.Database) -> int:
    """Drop the records of digests a channel rejected, so that they are tried again. Returns how many."""
    return db.execute("DELETE FROM digests WHERE state = ?", [FAILED]).rowcount


def _at(day: date, schedule: DigestSchedule) -> datetime:
    return datetime.combine(day, schedule.at, schedule.zone)
