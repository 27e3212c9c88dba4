"""Decide whether a Slack user may run the admin commands, and word the rejection when not."""

import logging

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)


def admin_rejection(client: WebClient, user_id: str, admins: tuple[str, ...], action: str) -> str | None:
    """Return None when the user may run ``/tweetstats ACTION``, or else the polite message saying why not.

    ``admins`` are Slack user ids from TWEETSTATS_ADMINS. When it is empty,
    users.info decides, and workspace admins and owners may.
    """
    if admins:
        allowed = user_id in admins
    else:
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError as error:
            code = error.response.get("error", "unknown")
            logger.error("users.info failed for user %s: %s", user_id, code)
            return (f"Sorry, tweetstats could not check whether you are a workspace admin (Slack said {code}). "
                    "Ask whoever runs the bot to list admins in TWEETSTATS_ADMINS.")
        allowed = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
    if allowed:
        return None
    logger.info("rejected an admin command from user %s", user_id)
    admin_group = "the admins named in the bot's settings" if admins else "workspace admins and owners"
    return (f"Sorry, only {admin_group} can use `/tweetstats {action}`. Every report is open to everyone, "
            "and `/tweetstats help` lists the commands.")
