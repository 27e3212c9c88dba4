"""Alerts about unanswered questions: when one is due, and what each alert showed, across restarts.

A burst is one alert message about an account's waiting questions. It opens
when the questions not yet alerted reach the threshold, or the oldest of
them reaches the maximum age. While it is open, the message is updated in
place as its questions are answered or marked. A reminder follows when new
questions arrive, which joins them to the burst, or when the remind period
passes without progress. The burst closes when none of its questions is
left. Each question joins one burst at most (``alerted_questions``), so no
question is alerted twice. Quiet hours delay posts and reminders, but not
silent updates in place.

The store keeps no Slack objects: ``bot.alerts`` renders and sends.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlite_utils

from metrics.accounts import Account
from metrics.errors import UsageError
from metrics.tweets import format_time
from metrics.unanswered import UNANSWERED, Question

# The actions of a plan.
NOTHING, POST, UPDATE, REMIND, CLOSE, ABANDON = "nothing", "post", "update", "remind", "close", "abandon"
ANSWERED, NOT_QUESTION = "answered", "not_question"
MARKS = (ANSWERED, NOT_QUESTION)
QUIET_HOURS = re.compile(r"\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*")


@dataclass(frozen=True)
class AlertSettings:
    """When alerts are due: ``quiet`` is a start and end time of day in ``zone``, or None for no quiet hours."""

    threshold: int = 3
    max_age: timedelta = timedelta(hours=24)
    remind: timedelta = timedelta(hours=24)
    quiet: tuple[time, time] | None = None
    zone: ZoneInfo = ZoneInfo("UTC")
    # Questions older than this are left out of alerts: an imported archive's backlog would
    # otherwise fill the first alert. /tweetstats questions still lists them.
    lookback: timedelta = timedelta(days=7)


@dataclass(frozen=True)
class OpenAlert:
    """A burst that is still open. ``ts`` is its Slack message, None while it is being posted."""

    id: int
    account_id: int
    channel: str
    ts: str | None
    shown_ids: str
    opened_at: str
    posted_at: str | None
    reminded_at: str | None


@dataclass(frozen=True)
class AlertPlan:
    """The action due for one account now, with the questions it concerns.

    ``questions`` contains the burst's open questions, the oldest first, as
    the message shows them after the action. ``new`` contains the questions
    that the action alerts for the first time. ``total`` counts every question
    of the burst, the answered and marked ones included.
    """

    action: str
    alert: OpenAlert | None = None
    questions: list[Question] = field(default_factory=list)
    new: list[Question] = field(default_factory=list)
    total: int = 0
    reason: str = ""


def parse_quiet_hours(text: str) -> tuple[time, time] | None:
    """Read quiet hours such as "20:00-08:00", which may span midnight. Returns None for empty text.

    Raises UsageError naming the text when it is no such range.
    """
    if not text.strip():
        return None
    match = QUIET_HOURS.fullmatch(text)
    numbers = [int(part) for part in match.groups()] if match else [99, 99, 99, 99]
    start_hour, start_minute, end_hour, end_minute = numbers
    if max(start_hour, end_hour) > 23 or max(start_minute, end_minute) > 59:
        raise UsageError(f"'{text}' is not a range of quiet hours: give two 24-hour times, such as 20:00-08:00")
    start, end = time(start_hour, start_minute), time(end_hour, end_minute)
    if start == end:
        raise UsageError(f"'{text}' starts and ends at the same time: give a range such as 20:00-08:00, "
                         "or leave it unset for no quiet hours")
    return start, end


def in_quiet_hours(now: datetime, settings: AlertSettings) -> bool:
    """Return whether ``now`` falls in the quiet hours, read in the settings' time zone. The end is not included."""
    if settings.quiet is None:
        return False
    start, end = settings.quiet
    local = now.astimezone(settings.zone).time()
    if start < end:
        return start <= local < end
    return local >= start or local < end


def read_time(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def plan_alert(db: sqlite_utils.Database, account: Account, now: datetime, settings: AlertSettings) -> AlertPlan:
    """Decide whether the account's alert is posted, updated, reminded of or closed now, or left as it is."""
    quiet = in_quiet_hours(now, settings)
    waiting = unalerted_questions(db, account.id, format_time(now - settings.lookback))
    alert = open_alert(db, account.id)
    if alert is None:
        return _plan_new_burst(waiting, now, settings, quiet)
    if alert.ts is None:
        return AlertPlan(ABANDON, alert, reason="the alert was interrupted while being posted")
    questions = burst_questions(db, alert.id)
    total = burst_size(db, alert.id)
    if not questions:
        return AlertPlan(CLOSE, alert, total=total, reason="every question is answered or marked")
    if waiting and not quiet:
        return AlertPlan(REMIND, alert, questions + waiting, waiting, total + len(waiting), "new questions arrived")
    if show_ids(questions) != alert.shown_ids:
        return AlertPlan(UPDATE, alert, questions, total=total, reason="questions were answered or marked")
    if not quiet and now - last_progress(db, alert) >= settings.remind:
        return AlertPlan(REMIND, alert, questions, total=total, reason="no progress within the remind period")
    return AlertPlan(NOTHING, alert, questions, total=total)


def _plan_new_burst(waiting: list[Question], now: datetime, settings: AlertSettings, quiet: bool) -> AlertPlan:
    if not waiting:
        return AlertPlan(NOTHING)
    oldest_age = now - read_time(waiting[0].created_at)
    if len(waiting) < settings.threshold and oldest_age < settings.max_age:
        return AlertPlan(NOTHING)
    if quiet:
        return AlertPlan(NOTHING, reason="quiet hours")
    reason = "the threshold is reached" if len(waiting) >= settings.threshold else "the oldest is past the maximum age"
    return AlertPlan(POST, None, waiting, waiting, len(waiting), reason)


def show_ids(questions: list[Question]) -> str:
    """Return the ids of the questions as the ``shown_ids`` column stores them."""
    return ",".join(str(question.id) for question in questions)


def open_alert(db: sqlite_utils.Database, account_id: int) -> OpenAlert | None:
    row = db.execute(
        """SELECT id, account_id, channel, ts, shown_ids, opened_at, posted_at, reminded_at FROM alerts
           WHERE account_id = ? AND closed_at IS NULL""",
        [account_id],
    ).fetchone()
    return OpenAlert(*row) if row else None


def alert_of_question(db: sqlite_utils.Database, account_id: int, mention_id: int) -> OpenAlert | None:
    """Return the open burst that contains the question, or None when it is in none or its burst is closed."""
    row = db.execute(
        """SELECT a.id, a.account_id, a.channel, a.ts, a.shown_ids, a.opened_at, a.posted_at, a.reminded_at
           FROM alerted_questions q JOIN alerts a ON a.id = q.alert_id
           WHERE q.account_id = ? AND q.mention_id = ? AND a.closed_at IS NULL""",
        [account_id, mention_id],
    ).fetchone()
    return OpenAlert(*row) if row else None


def unalerted_questions(db: sqlite_utils.Database, account_id: int, since: str) -> list[Question]:
    """Return the account's unanswered questions asked since ``since`` that no alert has shown yet, oldest first."""
    rows = db.execute(
        f"""SELECT id, author_handle, created_at, text FROM mentions
            WHERE account_id = ? AND created_at >= ? AND {UNANSWERED} AND NOT EXISTS (
                SELECT 1 FROM alerted_questions alerted
                WHERE alerted.account_id = mentions.account_id AND alerted.mention_id = mentions.id
            )
            ORDER BY created_at, id""",
        [account_id, since],
    )
    return [Question(*row) for row in rows]


def burst_questions(db: sqlite_utils.Database, alert_id: int) -> list[Question]:
    """Return the questions of a burst that are still unanswered, the oldest first."""
    rows = db.execute(
        f"""SELECT id, author_handle, created_at, text FROM mentions
            WHERE {UNANSWERED} AND EXISTS (
                SELECT 1 FROM alerted_questions alerted
                WHERE alerted.alert_id = ? AND alerted.account_id = mentions.account_id
                  AND alerted.mention_id = mentions.id
            )
            ORDER BY created_at, id""",
        [alert_id],
    )
    return [Question(*row) for row in rows]


def burst_size(db: sqlite_utils.Database, alert_id: int) -> int:
    return db.execute("SELECT count(*) FROM alerted_questions WHERE alert_id = ?", [alert_id]).fetchone()[0]


def last_progress(db: sqlite_utils.Database, alert: OpenAlert) -> datetime:
    """Return when the burst last moved: its post, its last reminder, or the last answer or mark of its questions."""
    row = db.execute(
        """SELECT max(max(coalesce(marks.marked_at, ''), coalesce(mentions.answered_at, '')))
           FROM alerted_questions alerted
           JOIN mentions ON mentions.account_id = alerted.account_id AND mentions.id = alerted.mention_id
           LEFT JOIN question_marks marks
               ON marks.account_id = alerted.account_id AND marks.mention_id = alerted.mention_id
           WHERE alerted.alert_id = ?""",
        [alert.id],
    ).fetchone()
    moments = [alert.opened_at, alert.posted_at or "", alert.reminded_at or "", row[0] or ""]
    return read_time(max(moments))


def start_alert(db: sqlite_utils.Database, account_id: int, channel: str, question_ids: list[int],
                now: datetime) -> int:
    """Open a burst before its message is posted, with its questions alerted. Returns the alert's id."""
    cursor = db.execute("INSERT INTO alerts (account_id, channel, opened_at) VALUES (?, ?, ?)",
                        [account_id, channel, format_time(now)])
    alert_id = cursor.lastrowid
    _add_questions(db, account_id, alert_id, question_ids)
    return alert_id


def record_posted(db: sqlite_utils.Database, alert_id: int, channel_id: str, ts: str, shown_ids: str,
                  now: datetime) -> None:
    """Store the posted message. ``channel_id`` is the id Slack returned, which chat.update requires."""
    db.execute("UPDATE alerts SET channel = ?, ts = ?, shown_ids = ?, posted_at = ?, updated_at = ? WHERE id = ?",
               [channel_id, ts, shown_ids, format_time(now), format_time(now), alert_id])


def forget_alert(db: sqlite_utils.Database, alert_id: int) -> None:
    """Delete a burst whose post failed, with its alerted questions, so that a later check alerts them again."""
    db.execute("DELETE FROM alerts WHERE id = ?", [alert_id])


def record_reminder(db: sqlite_utils.Database, alert: OpenAlert, question_ids: list[int], now: datetime) -> None:
    """Join new questions to the burst and store the reminder's time, before the reminder is posted."""
    _add_questions(db, alert.account_id, alert.id, question_ids)
    db.execute("UPDATE alerts SET reminded_at = ? WHERE id = ?", [format_time(now), alert.id])


def undo_reminder(db: sqlite_utils.Database, alert: OpenAlert, question_ids: list[int]) -> None:
    """Take back ``record_reminder`` after the reminder failed to post, so that a later check tries again."""
    db.conn.executemany("DELETE FROM alerted_questions WHERE account_id = ? AND mention_id = ? AND alert_id = ?",
                        [(alert.account_id, mention_id, alert.id) for mention_id in question_ids])
    db.execute("UPDATE alerts SET reminded_at = ? WHERE id = ?", [alert.reminded_at, alert.id])


def record_updated(db: sqlite_utils.Database, alert_id: int, shown_ids: str, now: datetime) -> None:
    db.execute("UPDATE alerts SET shown_ids = ?, updated_at = ? WHERE id = ?", [shown_ids, format_time(now), alert_id])


def close_alert(db: sqlite_utils.Database, alert_id: int, now: datetime) -> None:
    """Close a burst. Its questions stay alerted, so a later burst leaves them out."""
    db.execute("UPDATE alerts SET shown_ids = '', closed_at = ?, updated_at = ? WHERE id = ? AND closed_at IS NULL",
               [format_time(now), format_time(now), alert_id])


def mark_question(db: sqlite_utils.Database, account_id: int, mention_id: int, mark: str, user_id: str,
                  now: datetime) -> bool:
    """Record that a Slack user marked a question answered another way, or no question at all.

    The first mark stays, so a second click changes nothing. Returns whether
    this call stored the mark. Raises UsageError for an unknown mark or a
    question that the store does not have.
    """
    if mark not in MARKS:
        raise UsageError(f"'{mark}' is not a question mark: use one of {', '.join(MARKS)}")
    exists = db.execute("SELECT 1 FROM mentions WHERE account_id = ? AND id = ?", [account_id, mention_id]).fetchone()
    if exists is None:
        raise UsageError(f"mention {mention_id} of account {account_id} is not stored")
    cursor = db.execute(
        """INSERT INTO question_marks (account_id, mention_id, mark, marked_by, marked_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (account_id, mention_id) DO NOTHING""",
        [account_id, mention_id, mark, user_id, format_time(now)],
    )
    return cursor.rowcount == 1


def false_positive_count(db: sqlite_utils.Database, since: datetime, account_id: int | None = None) -> int:
    """Count the mentions marked "not a question" since ``since``: false positives of the question rules."""
    sql = "SELECT count(*) FROM question_marks WHERE mark = ? AND marked_at >= ?"
    parameters: list = [NOT_QUESTION, format_time(since)]
    if account_id is not None:
        sql += " AND account_id = ?"
        parameters.append(account_id)
    return db.execute(sql, parameters).fetchone()[0]


def set_alert_channel(db: sqlite_utils.Database, account: Account, channel: str) -> None:
    """Send the account's future alerts to ``channel``. An open burst stays in its own channel."""
    db.execute("""INSERT INTO alert_channels (account_id, channel) VALUES (?, ?)
                  ON CONFLICT (account_id) DO UPDATE SET channel = excluded.channel""", [account.id, channel])


def alert_channel(db: sqlite_utils.Database, account: Account, default: str | None) -> str | None:
    """Return the account's alert channel: its own when one is set, else ``default``."""
    row = db.execute("SELECT channel FROM alert_channels WHERE account_id = ?", [account.id]).fetchone()
    return row[0] if row else default


def _add_questions(db: sqlite_utils.Database, account_id: int, alert_id: int, question_ids: list[int]) -> None:
    db.conn.executemany("INSERT INTO alerted_questions (account_id, mention_id, alert_id) VALUES (?, ?, ?)",
                        [(account_id, mention_id, alert_id) for mention_id in question_ids])
