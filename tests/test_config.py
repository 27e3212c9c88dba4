"""The Slack app's settings: checks, modes and secrecy."""

import re
from pathlib import Path

import pytest

from bot.config import ConfigError, load_slack_settings

# Obviously fake values in the documented shapes; they open nothing.
BOT_TOKEN = "xoxb-000000000000-000000000000-testtesttesttesttesttest"
APP_TOKEN = "xapp-1-A00000000-000000000000-testtesttesttest"
SECRET = "0123456789abcdef0123456789abcdef"


def settings(**values):
    return load_slack_settings(values)


def test_socket_mode_with_app_token():
    loaded = settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    assert loaded.socket_mode is True
    assert loaded.signing_secret is None


def test_http_mode_with_secret():
    loaded = settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_SIGNING_SECRET=SECRET)
    assert loaded.socket_mode is False
    assert loaded.signing_secret == SECRET


def test_optional_settings():
    loaded = settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_API_URL="http://127.0.0.1:8080/api",
                      TWEETSTATS_DEFAULT_ACCOUNT="@NorthbrookHSL", TWEETSTATS_ADMINS="U024BE7LH, W012A3CDE U0G9QF9C6")
    assert loaded.api_url == "http://127.0.0.1:8080/api/"
    assert loaded.default_account == "NorthbrookHSL"
    assert loaded.admins == ("U024BE7LH", "W012A3CDE", "U0G9QF9C6")


def test_defaults_when_unset():
    loaded = settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN)
    assert loaded.api_url is None
    assert loaded.default_account is None
    assert loaded.admins == ()


@pytest.mark.parametrize("values, message", [
    ({}, "SLACK_BOT_TOKEN is missing"),
    ({"SLACK_BOT_TOKEN": "  "}, "SLACK_BOT_TOKEN is missing"),
    ({"SLACK_BOT_TOKEN": "xoxp-user-token"}, "SLACK_BOT_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": "xoxb-has space"}, "SLACK_BOT_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN}, "SLACK_SIGNING_SECRET is missing"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-wrong-kind"}, "SLACK_APP_TOKEN is malformed"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": "abc def"}, "SLACK_SIGNING_SECRET is malformed"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_API_URL": "ftp://host"},
     "SLACK_API_URL='ftp://host' is not an http(s) URL"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "TWEETSTATS_DEFAULT_ACCOUNT": "not a handle"},
     "TWEETSTATS_DEFAULT_ACCOUNT: 'not a handle' is not an X handle"),
    ({"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "TWEETSTATS_ADMINS": "U024BE7LH,alice"},
     "TWEETSTATS_ADMINS: 'alice' is not a Slack user id"),
])
def test_bad_settings_named(values, message):
    with pytest.raises(ConfigError) as raised:
        load_slack_settings(values)
    assert message in str(raised.value)


def test_missing_token_says_where_to_get_it():
    with pytest.raises(ConfigError, match="Bot User OAuth Token on your app's OAuth & Permissions page"):
        load_slack_settings({})


@pytest.mark.parametrize("values", [
    {"SLACK_BOT_TOKEN": "xoxp-" + BOT_TOKEN[5:]},
    {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": "xoxb-" + APP_TOKEN[5:]},
    {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SECRET + " x"},
])
def test_errors_never_show_values(values):
    with pytest.raises(ConfigError) as raised:
        load_slack_settings(values)
    for value in values.values():
        assert value[6:] not in str(raised.value)


def test_repr_hides_secrets():
    loaded = settings(SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET=SECRET)
    text = repr(loaded)
    assert BOT_TOKEN not in text
    assert APP_TOKEN not in text
    assert SECRET not in text


def test_env_example_lists_every_variable_read():
    """Every variable the code reads appears in .env.example with a comment above it."""
    root = Path(__file__).parent.parent
    source = "\n".join(path.read_text() for folder in ("bot", "metrics") for path in (root / folder).rglob("*.py"))
    read = set(re.findall(r"\"((?:SLACK|TWEETSTATS|X)_[A-Z_]+)\"", source)) - {"SLACK_APPS_PAGE"}
    lines = (root / ".env.example").read_text().splitlines()
    listed = {line.split("=")[0]: index for index, line in enumerate(lines) if re.match(r"[A-Z_]+=", line)}

    assert read <= set(listed), f"missing from .env.example: {sorted(read - set(listed))}"
    for name, index in listed.items():
        above = lines[index - 1]
        assert above.startswith("#") or re.match(r"[A-Z_]+=", above), f"{name} has no comment above it"
