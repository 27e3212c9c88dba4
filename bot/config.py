"""Settings of the Slack app, read from the environment (the command line loads ``.env`` into it first).

A missing or malformed setting raises ConfigError with one line that names the
variable and where to find its value. No message or repr ever contains a token
or secret.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from zoneinfo import ZoneInfo

from metrics import usage
from metrics.accounts import parse_handle
from metrics.alerts import AlertSettings, parse_quiet_hours
from metrics.digests import DigestSchedule, parse_schedule
from metrics.errors import TweetstatsError, UsageError
from metrics.poller import PollSettings

SLACK_APPS_PAGE = "https://api.slack.com/apps"
X_PORTAL = "https://developer.x.com/en/portal/dashboard"
DEFAULT_DIGEST_SCHEDULE = "mon 09:00"
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
        api_url=_api_url(environ),
        default_account=_default_account(environ.get("TWEETSTATS_DEFAULT_ACCOUNT", "")),
        admins=_admins(environ.get("TWEETSTATS_ADMINS", "")),
    )


def load_notice_client_settings(environ: Mapping[str, str]) -> tuple[str | None, str | None]:
    """Return the bot token and Web API URL for posting notices outside ``tweetstats run``; the token may be None."""
    return _token(environ, "SLACK_BOT_TOKEN", required=False), _api_url(environ)


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


def _api_url(environ: Mapping[str, str]) -> str | None:
    """Return SLACK_API_URL with the trailing slash slack_sdk expects, or None for Slack's own."""
    value = _url(environ, "SLACK_API_URL", "https://slack-proxy.example.org/api/")
    return value + "/" if value else None


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


@dataclass(frozen=True)
class XSettings:
    """Settings of the X API poller. ``bearer_token`` is None when polling is off."""

    bearer_token: str | None = field(repr=False)
    api_url: str | None
    poll: PollSettings
    admin_channel: str | None


# Price settings and the usage kind each one prices.
PRICE_VARIABLES = {
    "TWEETSTATS_PRICE_OWN_READ": usage.OWN_POSTS,
    "TWEETSTATS_PRICE_POST_READ": usage.OTHER_POSTS,
    "TWEETSTATS_PRICE_USER_READ": usage.USERS,
}
# A Slack channel id (C… public, G… private, D… direct message) or a #name.
CHANNEL = re.compile(r"[CGD][A-Z0-9]{2,}|#[a-z0-9_-][a-z0-9_.-]{0,79}")


def load_x_settings(environ: Mapping[str, str], require_token: bool) -> XSettings:
    """Read and check the poller's settings. Raises ConfigError on the first bad one.

    Without X_BEARER_TOKEN polling is off, and with ``require_token`` a missing token raises ConfigError.
    """
    token = environ.get("X_BEARER_TOKEN", "").strip() or None
    if token is None and require_token:
        raise ConfigError(f"X_BEARER_TOKEN is missing: set it to your X app's Bearer Token, from the Keys and tokens "
                          f"page of the app at {X_PORTAL}")
    if token is not None and re.search(r"\s", token):
        raise ConfigError(f"X_BEARER_TOKEN is malformed: it contains white space. Copy the Bearer Token again from "
                          f"{X_PORTAL}")
    prices = dict(usage.DEFAULT_PRICES)
    for name, kind in PRICE_VARIABLES.items():
        prices[kind] = _number(environ, name, prices[kind], minimum=0.0)
    poll = PollSettings(
        interval_minutes=int(_number(environ, "TWEETSTATS_POLL_MINUTES", 15, minimum=1, whole=True)),
        backfill_days=int(_number(environ, "TWEETSTATS_BACKFILL_DAYS", 7, minimum=0, whole=True)),
        refresh_days=int(_number(environ, "TWEETSTATS_REFRESH_DAYS", 7, minimum=0, whole=True)),
        monthly_read_budget=_budget(environ.get("TWEETSTATS_MONTHLY_READ_BUDGET", "")),
        prices=prices,
    )
    return XSettings(token, _url(environ, "X_API_URL", "https://api.x.com"), poll, _channel(environ))


def _number(environ: Mapping[str, str], name: str, default: float, minimum: float, whole: bool = False) -> float:
    text = environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text) if whole else float(text)
    except ValueError:
        kind = "a whole number" if whole else "a number"
        raise ConfigError(f"{name}={text!r} is not {kind}: use one such as {default}, or leave it unset") from None
    if value < minimum:
        raise ConfigError(f"{name}={text!r} is below {minimum:g}: use {minimum:g} or more, or leave it unset")
    return value


def _budget(text: str) -> int | None:
    text = text.strip().replace(",", "").replace("_", "")
    if not text:
        return None
    if not text.isdigit():
        raise ConfigError(f"TWEETSTATS_MONTHLY_READ_BUDGET={text!r} is not a whole number of reads: use one such "
                          "as 10000, or leave it unset for no budget")
    return int(text)


def _url(environ: Mapping[str, str], name: str, example: str) -> str | None:
    """Return the http(s) URL in ``name`` without a trailing slash, or None when it is unset."""
    value = environ.get(name, "").strip()
    if not value:
        return None
    if not re.fullmatch(r"https?://[^\s/]+(/[^\s]*)?", value):
        raise ConfigError(f"{name}={value!r} is not an http(s) URL: use one such as {example}, or leave it unset")
    return value.rstrip("/")


def _channel(environ: Mapping[str, str], name: str = "TWEETSTATS_ADMIN_CHANNEL") -> str | None:
    value = environ.get(name, "").strip()
    if not value:
        return None
    if not CHANNEL.fullmatch(value):
        raise ConfigError(f"{name}={value!r} is not a Slack channel: use its id, such as C024BE91L (channel "
                          "details, at the bottom), or its #name")
    return value


@dataclass(frozen=True)
class DigestSettings:
    """Settings of the weekly digest. No digest is posted while ``channel`` is None."""

    channel: str | None
    schedule: DigestSchedule
    monthly: bool = False
    grace: timedelta = timedelta(hours=24)


def load_digest_settings(environ: Mapping[str, str], zone: ZoneInfo) -> DigestSettings:
    """Read the digest's channel, schedule, monthly switch and grace period. Raises ConfigError on a bad one."""
    text = environ.get("TWEETSTATS_DIGEST_SCHEDULE", "").strip() or DEFAULT_DIGEST_SCHEDULE
    try:
        schedule = parse_schedule(text, zone)
    except UsageError as error:
        raise ConfigError(f"TWEETSTATS_DIGEST_SCHEDULE: {error}") from None
    monthly = environ.get("TWEETSTATS_MONTHLY_DIGEST", "").strip().lower()
    if monthly not in ("", "0", "1", "true", "false", "yes", "no"):
        raise ConfigError(f"TWEETSTATS_MONTHLY_DIGEST={monthly!r} is not a switch: use 1 to send a monthly digest "
                          "too, or 0")
    grace = _number(environ, "TWEETSTATS_DIGEST_GRACE_HOURS", 24, minimum=0)
    return DigestSettings(_channel(environ, "TWEETSTATS_DIGEST_CHANNEL"), schedule,
                          monthly in ("1", "true", "yes"), timedelta(hours=grace))


def load_alert_settings(environ: Mapping[str, str], zone: ZoneInfo) -> tuple[AlertSettings, str | None]:
    """Read the alert thresholds, quiet hours and default channel. Raises ConfigError on a bad one."""
    try:
        quiet = parse_quiet_hours(environ.get("TWEETSTATS_QUIET_HOURS", ""))
    except UsageError as error:
        raise ConfigError(f"TWEETSTATS_QUIET_HOURS: {error}") from None
    settings = AlertSettings(
        threshold=int(_number(environ, "TWEETSTATS_ALERT_THRESHOLD", 3, minimum=1, whole=True)),
        max_age=timedelta(hours=_number(environ, "TWEETSTATS_ALERT_MAX_AGE_HOURS", 24, minimum=0)),
        remind=timedelta(hours=_number(environ, "TWEETSTATS_ALERT_REMIND_HOURS", 24, minimum=1)),
        quiet=quiet,
        zone=zone,
    )
    return settings, _channel(environ, "TWEETSTATS_ALERT_CHANNEL")
