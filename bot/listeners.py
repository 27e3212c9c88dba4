"""Bolt listeners for /tweetstats, the "Share in channel" button and the App Home tab.

Every listener acknowledges first and works after: Slack shows the user an
error when a command is not acknowledged within 3 seconds. Replies go through
``respond`` (the request's response_url), which works in any channel the
command came from, private ones and direct messages included, without the bot
being a member. Users only ever see a short message; details go to the log.
"""

import logging
import re

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot import replies
from bot.admins import admin_rejection
from bot.blocks import SHARE_ACTION_ID, ReportMessage, read_share_value
from bot.commands import USAGE, Command, CommandError, parse_command
from bot.alerts import ANSWERED_ACTION_ID, NOT_QUESTION_ACTION_ID, OPEN_ACTION_ID, AlertSender
from bot.digest import DigestSender
from bot.goal_listeners import open_goals_form, register_goal_listeners
from bot.handlers import CommandRunner, Reply
from metrics.errors import TweetstatsError, UsageError

logger = logging.getLogger(__name__)

COMMAND = "/tweetstats"
HELP_INTRO = "*tweetstats* shows whether an X account listens, answers and links, as its strategy asks."
FAILED = ("Sorry, tweetstats could not answer this time. The bot's log has the details; "
          "try again, or ask whoever runs the bot to look.")
# Slack's error codes for a file upload to a channel the bot cannot post in.
CHANNEL_ERRORS = ("not_in_channel", "channel_not_found", "is_archived", "restricted_action")


def register_listeners(app: App, runner: CommandRunner, admins: tuple[str, ...],
                       digest_sender: DigestSender | None = None, alert_sender: AlertSender | None = None) -> None:
    """Attach the listeners to the app. ``admins`` are Slack user ids; empty means the workspace's admins."""

    @app.command(COMMAND)
    def on_command(ack: Ack, command: dict, respond: Respond, client: WebClient) -> None:
        answer_command(ack, command, respond, client, runner, admins, digest_sender)

    @app.action(OPEN_ACTION_ID)
    def on_open_on_x(ack: Ack) -> None:
        # A link button: Slack opens the URL itself and only needs the acknowledgement.
        ack()

    @app.action(re.compile(f"^({ANSWERED_ACTION_ID}|{NOT_QUESTION_ACTION_ID})$"))
    def on_mark(ack: Ack, body: dict, action: dict) -> None:
        ack()
        if alert_sender is None:
            logger.warning("an alert button was clicked, but alerts are not set up in this bot")
            return
        try:
            alert_sender.handle_action(body, action)
        except Exception:
            logger.exception("recording an alert button click failed")

    @app.action(SHARE_ACTION_ID)
    def on_share(ack: Ack, body: dict, action: dict, respond: Respond, client: WebClient) -> None:
        ack()
        share_report(body, action, respond, client, runner)

    register_goal_listeners(app, runner, admins)

    @app.event("app_home_opened")
    def on_home_opened(event: dict, client: WebClient) -> None:
        publish_home(event, client, runner)

    @app.error
    def on_error(error: Exception, body: dict) -> None:
        logger.error("unhandled %s in a listener for a %s request", type(error).__name__, _request_type(body),
                     exc_info=error)


def answer_command(ack: Ack, command: dict, respond: Respond, client: WebClient, runner: CommandRunner,
                   admins: tuple[str, ...], digest_sender: DigestSender | None = None) -> None:
    """Parse the command text, acknowledge, then run the command and deliver its reply."""
    try:
        parsed = parse_command(command.get("text", ""), runner.today(), runner.zone)
    except CommandError as error:
        ack(**_as_arguments(replies.render_notice(f"{error}\n\n{USAGE}")))
        return
    if parsed.action == "help":
        ack(**_as_arguments(replies.render_notice(f"{HELP_INTRO}\n\n{USAGE}")))
        return
    ack()

    user_id = command.get("user_id", "")
    if parsed.admin_only and not check_admin(client, user_id, admins, respond, parsed.action):
        return
    if parsed.action == "digest":
        post_digest_now(digest_sender, command.get("channel_id", ""), respond)
        return
    if parsed.action == "goals":
        open_goals_form(client, command, parsed.handles[0] if parsed.handles else None, respond, runner)
        return
    reply = _run(runner, parsed, user_id, respond)
    if reply is None:
        return
    if reply.file is not None:
        upload_file(client, command.get("channel_id", ""), reply, respond)
        return
    _respond(respond, reply.message, response_type="ephemeral")


def check_admin(client: WebClient, user_id: str, admins: tuple[str, ...], respond: Respond, action: str) -> bool:
    """Return whether the user may run an admin command; tell them politely when not."""
    rejection = admin_rejection(client, user_id, admins, action)
    if rejection is not None:
        respond(text=rejection, response_type="ephemeral")
    return rejection is None


def upload_file(client: WebClient, channel_id: str, reply: Reply, respond: Respond) -> None:
    """Upload the reply's file (CSV or PNG) to the channel with Slack's three-step upload, or tell the user why not."""
    upload = reply.file
    try:
        client.files_upload_v2(channel=channel_id, content=upload.content, filename=upload.filename,
                               title=upload.title, alt_txt=upload.alt_text, initial_comment=reply.message.text)
    except SlackApiError as error:
        code = error.response.get("error", "unknown")
        logger.error("file upload of %s to channel %s failed: %s", upload.filename, channel_id, code)
        if code in CHANNEL_ERRORS:
            text = (f"Sorry, tweetstats cannot upload files to this channel (Slack said {code}). Invite the bot "
                    "with `/invite @tweetstats`, or run the command in a direct message with it.")
        else:
            text = f"Sorry, the upload of {upload.filename} failed (Slack said {code}). Try again in a moment."
        respond(text=text, response_type="ephemeral")
        return
    logger.info("uploaded %s to channel %s", upload.filename, channel_id)


def post_digest_now(sender: DigestSender | None, command_channel: str, respond: Respond) -> None:
    """Post the current weekly digest at once, to the digest channel or else here, and report the result."""
    if sender is None:
        respond(text="Sorry, the digest is not set up in this bot.", response_type="ephemeral")
        return
    channel = sender.settings.channel or command_channel
    try:
        errors = sender.send_now(channel)
    except Exception:
        logger.exception("posting the digest at once to %s failed", channel)
        respond(text=FAILED, response_type="ephemeral")
        return
    if errors:
        respond(text=f"Sorry, Slack rejected the digest for {channel} ({', '.join(sorted(set(errors)))}). Invite "
                     "the bot with `/invite @tweetstats`, or check TWEETSTATS_DIGEST_CHANNEL.",
                response_type="ephemeral")
        return
    if channel == command_channel:
        where = "this channel"
    elif channel[0] in "CG":
        where = f"<#{channel}>"
    else:
        where = channel
    respond(text=f"The current digest is posted to {where}. It does not replace the scheduled digest.",
            response_type="ephemeral")


def share_report(body: dict, action: dict, respond: Respond, client: WebClient, runner: CommandRunner) -> None:
    """Post the report behind a "Share in channel" button for everyone, then remove the private copy."""
    user_id = (body.get("user") or {}).get("id", "")
    try:
        handle, first, last = read_share_value(action.get("value", ""))
    except ValueError:
        logger.warning("a share button from user %s carried an unreadable value", user_id)
        respond(text="Sorry, this button no longer works. Run the command again to get a fresh one.",
                response_type="ephemeral", replace_original=False)
        return
    try:
        message = runner.share(handle, first, last, user_id)
    except UsageError as error:
        respond(text=f"Sorry: {error}.", response_type="ephemeral", replace_original=False)
        return
    except TweetstatsError as error:
        logger.error("sharing a report of @%s failed: %s", handle, error)
        respond(text=FAILED, response_type="ephemeral", replace_original=False)
        return
    except Exception:
        logger.exception("sharing a report of @%s failed", handle)
        respond(text=FAILED, response_type="ephemeral", replace_original=False)
        return
    posted = _respond(respond, message, response_type="in_channel", replace_original=False)
    if posted:
        respond(delete_original=True)
        return
    # A response_url works for 30 minutes; after that the bot posts the report itself.
    channel_id = (body.get("channel") or {}).get("id", "")
    post_shared_report(client, channel_id, user_id, message)


def post_shared_report(client: WebClient, channel_id: str, user_id: str, message: ReportMessage) -> None:
    """Post a shared report with chat.postMessage; if that fails too, tell the user privately why."""
    try:
        client.chat_postMessage(channel=channel_id, text=message.text, blocks=message.blocks)
        return
    except SlackApiError as error:
        code = error.response.get("error", "unknown")
        logger.error("chat.postMessage of a shared report to channel %s failed: %s", channel_id, code)
    try:
        client.chat_postEphemeral(channel=channel_id, user=user_id,
                                  text=f"Sorry, the report could not be shared in this channel (Slack said {code}). "
                                       "Run the command again and share the new reply, or invite the bot with "
                                       "`/invite @tweetstats`.")
    except SlackApiError as error:
        logger.error("chat.postEphemeral to user %s in channel %s failed: %s", user_id, channel_id,
                     error.response.get("error", "unknown"))


def publish_home(event: dict, client: WebClient, runner: CommandRunner) -> None:
    """Show the default account's last 30 days on the user's App Home tab."""
    if event.get("tab", "home") != "home":
        return
    user_id = event.get("user", "")
    try:
        message = runner.home()
    except TweetstatsError as error:
        logger.error("the App Home report failed: %s", error)
        message = replies.render_notice(FAILED)
    try:
        client.views_publish(user_id=user_id, view={"type": "home", "blocks": message.blocks})
    except SlackApiError as error:
        logger.error("views.publish failed for user %s: %s", user_id, error.response.get("error", "unknown"))


def _run(runner: CommandRunner, command: Command, user_id: str, respond: Respond) -> Reply | None:
    """Run the command; on failure tell the user in one line and return None."""
    try:
        return runner.run(command, user_id)
    except UsageError as error:
        respond(text=f"Sorry: {error}.", response_type="ephemeral")
    except TweetstatsError as error:
        logger.error("/tweetstats %s failed: %s", command.action, error)
        respond(text=FAILED, response_type="ephemeral")
    except Exception:
        logger.exception("/tweetstats %s failed", command.action)
        respond(text=FAILED, response_type="ephemeral")
    return None


def _respond(respond: Respond, message: ReportMessage, **options: object) -> bool:
    """Send a message through the response_url. Log and return False when Slack rejects it."""
    response = respond(text=message.text, blocks=message.blocks, **options)
    if response.status_code != 200:
        logger.error("the response_url rejected a reply: HTTP %s %s", response.status_code, response.body[:200])
        return False
    return True


def _as_arguments(message: ReportMessage) -> dict:
    return {"text": message.text, "blocks": message.blocks}


def _request_type(body: dict) -> str:
    if "command" in body:
        return "slash command"
    return str(body.get("type") or (body.get("event") or {}).get("type") or "unknown")
