"""Post alerts about unanswered questions to Slack, keep them current, and handle their buttons.

``AlertSender.check_alerts`` runs after each poll. For each tracked account
it calls ``metrics.alerts.plan_alert`` to decide what is due, records that
in the store, then posts the alert, updates it in place with chat.update,
posts a reminder in its thread (broadcast to the channel) or closes it. A
new burst and a reminder are recorded before they are posted, so a restart
does not alert a question twice. A post that Slack rejects is taken back and
tried again at the next check.

Mention text goes to Slack only. Log lines and notices name accounts,
channels, alert and mention ids and counts, never the text of a question.
"""

import json
import logging
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.models.blocks import (ActionsBlock, ButtonElement, ContextBlock, HeaderBlock, MarkdownTextObject,
                                     PlainTextObject, SectionBlock)

from bot.blocks import (MAX_BUTTON_VALUE, MAX_HEADER_TEXT, MAX_MESSAGE_TEXT, MAX_SECTION_TEXT, ReportMessage,
                        cut_mrkdwn, cut_text, escape_mrkdwn, fit_blocks)
from bot.replies import EXCERPT_LENGTH, format_age, render_notice
from metrics import alerts
from metrics.accounts import Account, list_accounts, load_account
from metrics.alerts import AlertPlan, AlertSettings, OpenAlert
from metrics.errors import UsageError
from metrics.store import Store
from metrics.unanswered import Question

logger = logging.getLogger(__name__)

OPEN_ACTION_ID = "alert_open_on_x"
ANSWERED_ACTION_ID = "alert_mark_answered"
NOT_QUESTION_ACTION_ID = "alert_not_question"
ACTION_MARKS = {ANSWERED_ACTION_ID: alerts.ANSWERED, NOT_QUESTION_ACTION_ID: alerts.NOT_QUESTION}
# Each question shown takes two blocks, its section and its buttons. With the
# header, the summary and the closing context, 20 questions make 43 blocks,
# within Slack's 50 (MAX_BLOCKS).
MAX_SHOWN = 20
# Slack's error when chat.update names a message that was deleted.
MESSAGE_GONE = "message_not_found"


class AlertSender:
    """Post and keep current the alerts of every tracked account through ``client``.

    ``default_channel`` is TWEETSTATS_ALERT_CHANNEL, used for accounts without
    their own alert channel; with neither, the account gets no alerts.
    ``notify`` reports Slack errors to the admin channel, once per account,
    channel and error in each process.
    """

    def __init__(self, client: WebClient, db_path: Path, settings: AlertSettings, default_channel: str | None,
                 notify: Callable[[str], bool], clock: Callable[[], datetime] | None = None) -> None:
        self.client = client
        self.db_path = db_path
        self.settings = settings
        self.default_channel = default_channel
        self.notify = notify
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self._notified: set[tuple[int, str, str]] = set()

    def check_alerts(self) -> None:
        """Post, update, remind of or close the alert of every tracked account, as ``plan_alert`` decides."""
        now = self.clock()
        with Store(self.db_path) as store:
            accounts = [account for account in list_accounts(store.db) if account.tracked]
        for account in accounts:
            try:
                self._check_account(account, now)
            except Exception:
                # One account's failure must not stop the others; the next check tries again.
                logger.exception("checking the alert of @%s failed", account.handle)

    def handle_action(self, body: dict, action: dict) -> None:
        """Record a "Mark answered" or "Not a question" click, then update the alert in place.

        The Bolt listener acknowledges first. "Open on X" is a link button,
        so its click needs nothing beyond the acknowledgement.
        """
        mark = ACTION_MARKS.get(action.get("action_id", ""))
        if mark is None:
            return
        user_id = (body.get("user") or {}).get("id", "")
        try:
            account_id, mention_id = read_mark_value(action.get("value", ""))
        except ValueError:
            logger.warning("a %s button from user %s carried an unreadable value", action.get("action_id"), user_id)
            return
        now = self.clock()
        with Store(self.db_path) as store, store.write() as db:
            try:
                stored = alerts.mark_question(db, account_id, mention_id, mark, user_id, now)
            except UsageError:
                logger.warning("user %s marked mention %s of account %s, which is not stored", user_id, mention_id,
                               account_id)
                return
            account = load_account(db, account_id)
            alert = alerts.alert_of_question(db, account_id, mention_id)
            questions = alerts.burst_questions(db, alert.id) if alert else []
            total = alerts.burst_size(db, alert.id) if alert else 0
        if stored:
            logger.info("user %s marked mention %d of @%s as %s", user_id, mention_id, account.handle, mark)
        if alert is None or alert.ts is None:
            return
        if questions:
            self._update(account, alert, questions, total, now)
        else:
            self._close(account, alert, total, now)

    def _check_account(self, account: Account, now: datetime) -> None:
        # A burst that closes may be followed at once by a new one, so a close plans again.
        for _ in range(2):
            plan, alert_id, channel = self._record_plan(account, now)
            if plan.action == alerts.POST:
                self._post(account, plan, alert_id, channel, now)
            elif plan.action == alerts.UPDATE:
                self._update(account, plan.alert, plan.questions, plan.total, now)
            elif plan.action == alerts.REMIND:
                if self._remind(account, plan, now):
                    self._update(account, plan.alert, plan.questions, plan.total, now)
            elif plan.action == alerts.CLOSE:
                self._close(account, plan.alert, plan.total, now)
                continue
            elif plan.action == alerts.ABANDON:
                logger.warning("alert %d of @%s to %s was interrupted while being posted; it may or may not have "
                               "reached the channel, so it is closed and its questions are not alerted again",
                               plan.alert.id, account.handle, plan.alert.channel)
            return

    def _record_plan(self, account: Account, now: datetime) -> tuple[AlertPlan, int, str]:
        """Plan the account's alert and record a new burst or a reminder before it is posted."""
        with Store(self.db_path) as store, store.write() as db:
            plan = alerts.plan_alert(db, account, now, self.settings)
            if plan.action == alerts.POST:
                channel = alerts.alert_channel(db, account, self.default_channel)
                if channel is None:
                    return AlertPlan(alerts.NOTHING, reason="no alert channel"), 0, ""
                ids = [question.id for question in plan.new]
                return plan, alerts.start_alert(db, account.id, channel, ids, now), channel
            if plan.action == alerts.REMIND:
                alerts.record_reminder(db, plan.alert, [question.id for question in plan.new], now)
            elif plan.action == alerts.ABANDON:
                alerts.close_alert(db, plan.alert.id, now)
        return plan, plan.alert.id if plan.alert else 0, plan.alert.channel if plan.alert else ""

    def _post(self, account: Account, plan: AlertPlan, alert_id: int, channel: str, now: datetime) -> None:
        message = render_alert(account, plan.questions, plan.total, now)
        try:
            posted = self.client.chat_postMessage(channel=channel, text=message.text, blocks=message.blocks,
                                                  unfurl_links=False, unfurl_media=False)
        except (SlackApiError, OSError) as error:
            # NOTE: a connection error after Slack received the post would make the next check post it again.
            with Store(self.db_path) as store, store.write() as db:
                alerts.forget_alert(db, alert_id)
            self._report_failure(account, channel, "post", error)
            return
        with Store(self.db_path) as store, store.write() as db:
            alerts.record_posted(db, alert_id, posted["channel"], posted["ts"], alerts.show_ids(plan.questions), now)
        logger.info("posted alert %d of @%s to %s: %d unanswered questions (%s)", alert_id, account.handle, channel,
                    len(plan.questions), plan.reason)

    def _remind(self, account: Account, plan: AlertPlan, now: datetime) -> bool:
        """Post a reminder in the alert's thread, also shown in the channel. Returns whether it was posted."""
        alert = plan.alert
        message = render_reminder(account, len(plan.new), plan.questions, now, self.settings)
        try:
            self.client.chat_postMessage(channel=alert.channel, thread_ts=alert.ts, reply_broadcast=True,
                                         text=message.text, blocks=message.blocks)
        except (SlackApiError, OSError) as error:
            with Store(self.db_path) as store, store.write() as db:
                alerts.undo_reminder(db, alert, [question.id for question in plan.new])
            self._report_failure(account, alert.channel, "remind of", error)
            return False
        logger.info("reminded of alert %d of @%s in %s: %d waiting, %d new (%s)", alert.id, account.handle,
                    alert.channel, len(plan.questions), len(plan.new), plan.reason)
        return True

    def _update(self, account: Account, alert: OpenAlert, questions: list[Question], total: int,
                now: datetime) -> None:
        message = render_alert(account, questions, total, now)
        if not self._replace(account, alert, message, now):
            return
        with Store(self.db_path) as store, store.write() as db:
            alerts.record_updated(db, alert.id, alerts.show_ids(questions), now)
        logger.info("updated alert %d of @%s: %d of %d questions waiting", alert.id, account.handle,
                    len(questions), total)

    def _close(self, account: Account, alert: OpenAlert, total: int, now: datetime) -> None:
        if not self._replace(account, alert, render_alert(account, [], total, now), now):
            return
        with Store(self.db_path) as store, store.write() as db:
            alerts.close_alert(db, alert.id, now)
        logger.info("closed alert %d of @%s: all %d questions answered or marked", alert.id, account.handle, total)

    def _replace(self, account: Account, alert: OpenAlert, message: ReportMessage, now: datetime) -> bool:
        """Replace the alert message with chat.update. Returns whether it was replaced.

        A deleted alert message closes its burst, whose questions stay alerted.
        Another failure leaves the store as it was, so the next check tries again.
        """
        try:
            self.client.chat_update(channel=alert.channel, ts=alert.ts, text=message.text, blocks=message.blocks)
        except (SlackApiError, OSError) as error:
            if _error_code(error) == MESSAGE_GONE:
                with Store(self.db_path) as store, store.write() as db:
                    alerts.close_alert(db, alert.id, now)
                logger.warning("alert %d of @%s in %s was deleted in Slack, so it is closed", alert.id,
                               account.handle, alert.channel)
                return False
            self._report_failure(account, alert.channel, "update", error)
            return False
        return True

    def _report_failure(self, account: Account, channel: str, verb: str, error: Exception) -> None:
        code = _error_code(error)
        logger.error("failed to %s the alert of @%s in %s: %s", verb, account.handle, channel, code)
        key = (account.id, channel, code)
        if key in self._notified:
            return
        self._notified.add(key)
        self.notify(f"tweetstats could not {verb} the unanswered-question alert of @{account.handle} in {channel}: "
                    f"Slack said {code}. Invite the bot to the channel (/invite @tweetstats), or send the alerts "
                    f"elsewhere with /tweetstats alerts @{account.handle} #channel.")


def render_alert(account: Account, questions: list[Question], total: int, now: datetime) -> ReportMessage:
    """Build the alert message: the waiting questions, the oldest first, each with its buttons.

    ``total`` counts every question of the burst. With no question waiting,
    the message states that all are answered and has no buttons.
    """
    if not questions:
        title = f"All answered · @{account.handle}"
        text = f"All {total} questions of this alert to @{account.handle} are answered or marked."
        blocks = [_header(title), _section(escape_mrkdwn(text))]
        return ReportMessage(text=escape_mrkdwn(text), blocks=blocks)
    oldest = format_age(questions[0].created_at, now)
    title = f"Unanswered questions to @{account.handle}"
    summary = f"*{len(questions)} waiting*, the oldest {oldest} old."
    if total > len(questions):
        summary += f" {total - len(questions)} of the {total} in this alert answered or marked."
    blocks = [_header(title), _section(summary)]
    for question in questions[:MAX_SHOWN]:
        blocks.append(_question_section(question, now))
        blocks.append(build_question_actions(account, question))
    footer = ("Mark answered: answered another way, such as by phone or DM. "
              "Not a question: the question rules were wrong about it.")
    if len(questions) > MAX_SHOWN:
        footer = (f"The {MAX_SHOWN} oldest are shown; {len(questions) - MAX_SHOWN} more wait. "
                  f"/tweetstats questions @{account.handle} lists them all. {footer}")
    blocks.append(ContextBlock(elements=[MarkdownTextObject(text=cut_mrkdwn(escape_mrkdwn(footer),
                                                                            MAX_SECTION_TEXT))]).to_dict())
    noun = "question" if len(questions) == 1 else "questions"
    text = f"{len(questions)} unanswered {noun} to @{account.handle}, the oldest {oldest} old"
    return ReportMessage(text=cut_mrkdwn(escape_mrkdwn(text), MAX_MESSAGE_TEXT), blocks=fit_blocks(blocks))


def render_reminder(account: Account, new_count: int, questions: list[Question], now: datetime,
                    settings: AlertSettings) -> ReportMessage:
    """Build the reminder posted in the alert's thread: new questions, or waiting ones without progress."""
    oldest = format_age(questions[0].created_at, now)
    if new_count:
        text = (f"*Reminder:* {new_count} new questions to @{account.handle}. {len(questions)} wait in all, the "
                f"oldest {oldest} old. The alert above lists them.")
    else:
        hours = settings.remind.total_seconds() / 3600
        text = (f"*Reminder:* {len(questions)} questions to @{account.handle} still wait, the oldest {oldest} old, "
                f"with no progress in {hours:g} h. The alert above lists them.")
    return render_notice(text)


def build_question_actions(account: Account, question: Question) -> dict:
    """Build the buttons of one question: "Open on X", "Mark answered" and "Not a question"."""
    value = encode_mark_value(account.id, question.id)
    if len(value) > MAX_BUTTON_VALUE:
        raise ValueError(f"the button value of mention {question.id} has {len(value)} characters, over "
                         f"{MAX_BUTTON_VALUE}")
    buttons = [
        ButtonElement(text=PlainTextObject(text="Open on X"), action_id=OPEN_ACTION_ID, url=question.url),
        ButtonElement(text=PlainTextObject(text="Mark answered"), action_id=ANSWERED_ACTION_ID, value=value),
        ButtonElement(text=PlainTextObject(text="Not a question"), action_id=NOT_QUESTION_ACTION_ID, value=value),
    ]
    return ActionsBlock(block_id=f"alert_question_{question.id}", elements=buttons).to_dict()


def encode_mark_value(account_id: int, mention_id: int) -> str:
    """Return a mark button's value: the account id and the mention id, as compact JSON."""
    return json.dumps({"account": account_id, "mention": mention_id}, separators=(",", ":"))


def read_mark_value(value: str) -> tuple[int, int]:
    """Decode a mark button's value into the account id and the mention id. Raises ValueError naming the value."""
    try:
        data = json.loads(value)
        account_id, mention_id = data["account"], data["mention"]
    except (ValueError, KeyError, TypeError) as error:
        raise ValueError(f"invalid mark button value {value!r}: expected JSON with account and mention "
                         f"({error})") from None
    if not isinstance(account_id, int) or not isinstance(mention_id, int):
        raise ValueError(f"invalid mark button value {value!r}: account and mention must be whole numbers")
    return account_id, mention_id


def _question_section(question: Question, now: datetime) -> dict:
    author = "@" + question.author_handle if question.author_handle else "an unknown user"
    excerpt = cut_text(" ".join(question.text.split()), EXCERPT_LENGTH) or "(no text)"
    text = f"*{escape_mrkdwn(author)}* · {format_age(question.created_at, now)} old\n{escape_mrkdwn(excerpt)}"
    # verbatim keeps Slack from turning channel names, links and mentions in the text into markup.
    return SectionBlock(text=MarkdownTextObject(text=cut_mrkdwn(text, MAX_SECTION_TEXT), verbatim=True)).to_dict()


def _header(title: str) -> dict:
    return HeaderBlock(text=PlainTextObject(text=cut_text(title, MAX_HEADER_TEXT))).to_dict()


def _section(text: str) -> dict:
    return SectionBlock(text=MarkdownTextObject(text=cut_mrkdwn(text, MAX_SECTION_TEXT))).to_dict()


def _error_code(error: Exception) -> str:
    if isinstance(error, SlackApiError):
        return error.response.get("error", "unknown")
    return type(error).__name__
