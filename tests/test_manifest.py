"""app_manifest.yml: the settings the app relies on, within Slack's documented limits.

Limits from Slack's app manifest reference (https://docs.slack.dev/reference/app-manifest).
"""

import re
from pathlib import Path

import pytest
import yaml

MANIFEST = Path(__file__).parent.parent / "app_manifest.yml"


@pytest.fixture(scope="module")
def manifest():
    return yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))


def test_command(manifest):
    (command,) = manifest["features"]["slash_commands"]
    assert command["command"] == "/tweetstats"
    assert command["should_escape"] is False
    assert command["usage_hint"]


def test_scopes_are_the_needed_ones(manifest):
    assert set(manifest["oauth_config"]["scopes"]["bot"]) == {
        "commands", "chat:write", "chat:write.public", "files:write", "users:read",
    }


def test_socket_mode_and_interactivity(manifest):
    assert manifest["settings"]["socket_mode_enabled"] is True
    assert manifest["settings"]["interactivity"]["is_enabled"] is True


def test_home_tab(manifest):
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]


def test_documented_limits(manifest):
    display = manifest["display_information"]
    assert len(display["name"]) <= 35
    assert len(display["description"]) <= 140
    assert len(manifest["features"]["slash_commands"][0]["command"]) <= 32
    bot_name = manifest["features"]["bot_user"]["display_name"]
    assert len(bot_name) <= 80
    assert re.fullmatch(r"[a-z0-9._-]+", bot_name)
