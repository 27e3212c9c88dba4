"""Settings of the Slack app, read from the environment (the command line loads ``.env`` into it first).

A missing or malformed setting raises ConfigError with one line that names the
variable and where to find its value. No message or repr ever contains a token
or secret.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from metrics.accounts import parse_handle
from metrics.errors import TweetstatsError, UsageError

SLACK_APPS_PAGE = "https://api.slack.com/apps"
# Slack user ids start with U, or W in Enterprise Grid organisations.
USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
TOKEN_PREFIXES = {"SLACK_BOT_TOKEN": "xoxb-", "SLACK_APP_TOKEN": "xapp-"}
WHERE = {
    "SLACK_BOT_TOKEN": "the Bot User OAuth Token on your app's OAuth & Permissions page",
    "SLACK_APP_TOKEN": "an App-Level Token with the connections:write scope, under Basic Information",
    "SLACK_SIGNING_SECRET": "the Signing Secret under Basic Information, App Credentials",
}


class ConfigError(TweetstatsError):
    """A setting is missing or malformed; the message names the variable, never its value."""


@dataclass(frozen=True)
class SlackSettings:
    """The Slack app's settings. Socket Mode when ``app_token`` is set, HTTP mode otherwise."""

    bot_token: str = field(repr=False)
    app_token: str | None = field(default=None, repr=False)
    signing_secret: str | None = field(default=None, repr=False)
    api_url: str | None = None
    default_account: str | None = None
    admins: tuple[str, ...] = ()

    @property
    def socket_mode(self) -> bool:
        return self.app_token is not None


def load_slack_settings(environ: Mapping[str, str]) -> SlackSettings:
    """Read and check every Slack setting. Raises ConfigError on the first bad one."""
    bot_token = _token(environ, "SLACK_BOT_TOKEN", required=True)
    app_token = _token(environ, "SLACK_APP_TOKEN", required=False)
    signing_secret = _secret(environ, required=app_token is None)
    return SlackSettings(
        bot_token=bot_token,
        app_token=app_token,
        signing_secret=signing_secret,
        api_url=_api_url(environ.get("SLACK_API_URL", "")),
        default_account=_default_account(environ.get("TWEETSTATS_DEFAULT_ACCOUNT", "")),
        admins=_admins(environ.get("TWEETSTATS_ADMINS", "")),
    )


def _token(environ: Mapping[str, str], name: str, required: bool) -> str | None:
    value = environ.get(name, "").strip()
    where = f"{WHERE[name]} at {SLACK_APPS_PAGE}"
    if not value:
        if required:
            raise ConfigError(f"{name} is missing: set it in .env or the environment to {where}")
        return None
    prefix = TOKEN_PREFIXES[name]
    if not value.startswith(prefix) or re.search(r"\s", value):
        raise ConfigError(f"{name} is malformed: it should be {where}, which starts with {prefix}")
    return value


def _secret(environ: Mapping[str, str], required: bool) -> str | None:
    value = environ.get("SLACK_SIGNING_SECRET", "").strip()
    where = f"{WHERE['SLACK_SIGNING_SECRET']} at {SLACK_APPS_PAGE}"
    if not value:
        if required:
            raise ConfigError("SLACK_SIGNING_SECRET is missing, and HTTP mode needs it to check that requests come "
                              f"from Slack: set it to {where}, or set SLACK_APP_TOKEN to use Socket Mode")
        return None
    if re.search(r"\s", value):
        raise ConfigError(f"SLACK_SIGNING_SECRET is malformed: it contains white space. Copy {where} again")
    return value


def _api_url(value: str) -> str | None:
    """Return the Web API base URL with the trailing slash slack_sdk expects, or None for Slack's own."""
    value = value.strip()
    if not value:
        return None
    if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
        raise ConfigError(f"SLACK_API_URL={value!r} is not an http(s) URL: use one such as "
                          "https://slack-proxy.example.org/api/, or leave it unset")
    return value if value.endswith("/") else value + "/"


def _default_account(value: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    try:
        return parse_handle(value)
    except UsageError as error:
        raise ConfigError(f"TWEETSTATS_DEFAULT_ACCOUNT: {error}") from None


def _admins(value: str) -> tuple[str, ...]:
    """Read Slack user ids separated by commas or spaces; an empty list means the workspace's admins."""
    ids = tuple(part for part in re.split(r"[,\s]+", value.strip()) if part)
    for user_id in ids:
        if not USER_ID.fullmatch(user_id):
            raise ConfigError(f"TWEETSTATS_ADMINS: '{user_id}' is not a Slack user id. Use ids such as U024BE7LH, "
                              "from each person's profile (More, Copy member ID)")
    return ids
