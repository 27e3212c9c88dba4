"""Listeners of the /tweetstats goals form: open it for an admin's command, and save what an admin submits.

Slack shows the outcome of a submission from the acknowledgement itself.
``response_action: errors`` puts a message under each invalid field, and
``response_action: update`` replaces the form with a confirmation. So a
submission is checked and saved before ``ack``, within Slack's 3 seconds.
"""

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.admins import admin_rejection
from bot.goals_modal import (EXPIRED_FORM, GOALS_CALLBACK_ID, build_goals_modal, build_notice_view, build_saved_view,
                             read_form_metadata, read_targets)
from bot.handlers import AccountGoals, CommandRunner
from metrics.errors import UsageError
from metrics.goals import SPECS, format_target

logger = logging.getLogger(__name__)

OPEN_FAILED = ("Sorry, tweetstats could not read the goals, so the form did not open. The bot's log has the "
               "details; try again, or ask whoever runs the bot to look.")
SAVE_FAILED = ("Sorry, tweetstats could not save the goals, so nothing changed. The bot's log has the details; "
               "try again, or ask whoever runs the bot to look.")


def register_goal_listeners(app: App, runner: CommandRunner, admins: tuple[str, ...]) -> None:
    """Attach the listener of the goals form's submissions. ``admins`` are as ``admin_rejection`` takes them."""

    @app.view(GOALS_CALLBACK_ID)
    def on_goals_submitted(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        try:
            response = answer_goals_submission(body, view, client, runner, admins)
        except Exception:
            logger.exception("handling a goals form submitted by user %s failed", _user_id(body))
            response = _update(build_notice_view(SAVE_FAILED))
        ack(**response)


def open_goals_form(client: WebClient, command: dict, handle: str | None, respond: Respond,
                    runner: CommandRunner) -> None:
    """Open the goals form with views.open, or tell the user privately why it did not open.

    The caller has checked that the user is an admin. The command's trigger_id
    expires 3 seconds after the command, so only a quick store read comes first.
    """
    user_id = command.get("user_id", "")
    goals = _load_goals(runner, handle, respond)
    if goals is None:
        return
    handle = goals.account.handle
    try:
        client.views_open(trigger_id=command.get("trigger_id", ""), view=build_goals_modal(goals))
    except SlackApiError as error:
        code = error.response.get("error", "unknown")
        logger.error("views.open of the goals form of @%s failed for user %s: %s", handle, user_id, code)
        respond(text=f"Sorry, Slack did not open the goals form ({code}). Try the command again: "
                     f"`/tweetstats goals @{handle}`.",
                response_type="ephemeral")
        return
    logger.info("opened the goals form of @%s for user %s", handle, user_id)


def answer_goals_submission(body: dict, view: dict, client: WebClient, runner: CommandRunner,
                            admins: tuple[str, ...]) -> dict:
    """Check and save a submitted goals form, and return the acknowledgement's fields.

    NOTE: the save waits for the store's write lock. An archive import that
    holds it for more than about 3 seconds makes Slack show the user an error,
    though the goals are saved once the lock is free.
    """
    user_id = _user_id(body)
    rejection = admin_rejection(client, user_id, admins, "goals")
    if rejection is not None:
        return _update(build_notice_view(rejection))

    form = read_form_metadata(view.get("private_metadata"))
    if form is None:
        logger.warning("a goals form from user %s carried unreadable private_metadata", user_id)
        return _update(build_notice_view(EXPIRED_FORM))

    targets, errors = read_targets(view, form.initial_texts)
    if errors:
        logger.info("rejected goals of @%s from user %s: invalid %s", form.handle, user_id, ", ".join(errors))
        return {"response_action": "errors", "errors": errors}

    goals = runner.save_goals(form.account_id, form.handle, targets, user_id)
    if goals is None:
        logger.warning("user %s submitted goals of @%s (account %d), which is no longer in the store",
                       user_id, form.handle, form.account_id)
        return _update(build_notice_view(
            f"Sorry, @{form.handle} is no longer in the store, so no goal was saved. `/tweetstats accounts` "
            f"lists the stored accounts, and `/tweetstats track @{form.handle}` adds it again."))
    _log_changes(goals, user_id)
    return _update(build_saved_view(goals))


def _load_goals(runner: CommandRunner, handle: str | None, respond: Respond) -> AccountGoals | None:
    """Return the account's goals in force. On failure, tell the user in one line and return None."""
    try:
        return runner.goals_in_force(handle)
    except UsageError as error:
        respond(text=f"Sorry: {error}.", response_type="ephemeral")
    except Exception:
        logger.exception("reading the goals of %s failed", f"@{handle}" if handle else "the default account")
        respond(text=OPEN_FAILED, response_type="ephemeral")
    return None


def _log_changes(goals: AccountGoals, user_id: str) -> None:
    handle = goals.account.handle
    if not goals.changed:
        logger.info("user %s saved the goals of @%s without a change", user_id, handle)
        return
    changes = ", ".join(f"{name}={format_target(SPECS[name], goals.settings[name].target)}"
                        for name in goals.changed)
    logger.info("user %s changed goals of @%s: %s", user_id, handle, changes)


def _update(view: dict) -> dict:
    return {"response_action": "update", "view": view}


def _user_id(body: dict) -> str:
    return (body.get("user") or {}).get("id", "")
