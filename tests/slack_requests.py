"""Build and send requests as Slack sends them to an app: form-encoded, signed with the signing secret."""

import json
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from slack_sdk.signature import SignatureVerifier

from slack_server import SIGNING_SECRET, TEAM_ID

LIBRARIAN = "U0LIBRARIAN"
CHANNEL = "C0GENERAL"


@dataclass
class Answer:
    status: int
    body: str

    def json(self) -> dict:
        return json.loads(self.body)


def command_body(text: str, response_url: str, *, user_id: str = LIBRARIAN, channel_id: str = CHANNEL,
                 trigger_id: str | None = None) -> dict:
    """The fields of a /tweetstats slash command payload."""
    return {
        "token": "legacy-verification-token", "team_id": TEAM_ID, "team_domain": "library",
        "channel_id": channel_id, "channel_name": "general", "user_id": user_id, "user_name": "librarian",
        "command": "/tweetstats", "text": text, "api_app_id": "A0TWEETSTATS", "is_enterprise_install": "false",
        "response_url": response_url, "trigger_id": trigger_id or f"trigger.{time.monotonic_ns()}",
    }


def action_payload(value: str, response_url: str, *, action_id: str = "share_report",
                   user_id: str = LIBRARIAN) -> dict:
    """A block_actions payload for a button in an ephemeral message."""
    return {
        "type": "block_actions",
        "user": {"id": user_id, "username": "librarian", "name": "librarian", "team_id": TEAM_ID},
        "api_app_id": "A0TWEETSTATS", "token": "legacy-verification-token",
        "container": {"type": "message", "message_ts": "1764504000.000100", "channel_id": CHANNEL,
                      "is_ephemeral": True},
        "trigger_id": f"trigger.{time.monotonic_ns()}",
        "team": {"id": TEAM_ID, "domain": "library"},
        "channel": {"id": CHANNEL, "name": "general"},
        "state": {"values": {}},
        "response_url": response_url,
        "actions": [{"action_id": action_id, "block_id": "share", "type": "button", "value": value,
                     "text": {"type": "plain_text", "text": "Share in channel"}, "action_ts": "1764504001.000200"}],
    }


def view_submission_payload(view: dict, typed: dict[str, str | None] | None = None, *, user_id: str = LIBRARIAN,
                            view_id: str = "V0VIEW1") -> dict:
    """A view_submission payload for a modal as views.open received it.

    Each input field holds its initial_value unless ``typed`` maps its
    block_id to other text. None or "" is a field left empty, which Slack sends as null.
    """
    typed = typed or {}
    values = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element = block["element"]
        text = typed.get(block["block_id"], element.get("initial_value"))
        values[block["block_id"]] = {element["action_id"]: {"type": element["type"], "value": text or None}}
    submitted = {**view, "id": view_id, "team_id": TEAM_ID, "state": {"values": values}, "hash": "1.hash",
                 "root_view_id": view_id, "previous_view_id": None, "app_id": "A0TWEETSTATS", "bot_id": "B0BOT"}
    return {
        "type": "view_submission",
        "team": {"id": TEAM_ID, "domain": "library"},
        "user": {"id": user_id, "username": "librarian", "name": "librarian", "team_id": TEAM_ID},
        "api_app_id": "A0TWEETSTATS", "token": "legacy-verification-token",
        "trigger_id": f"trigger.{time.monotonic_ns()}",
        "view": submitted,
        "response_urls": [], "is_enterprise_install": False, "enterprise": None,
    }


def signed_headers(body: str, *, secret: str = SIGNING_SECRET, timestamp: int | None = None) -> dict[str, str]:
    """Headers as Slack sends them: v0 HMAC-SHA256 of "v0:timestamp:body" with the signing secret."""
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    signature = SignatureVerifier(secret).generate_signature(timestamp=stamp, body=body)
    return {"content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": stamp,
            "x-slack-signature": signature}


def post(url: str, body: str, headers: dict[str, str]) -> Answer:
    request = urllib.request.Request(url, data=body.encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return Answer(response.status, response.read().decode())
    except urllib.error.HTTPError as error:
        return Answer(error.code, error.read().decode())


def send_command(url: str, fields: dict, **header_options) -> Answer:
    body = urlencode(fields)
    extra = header_options.pop("extra_headers", {})
    return post(url, body, {**signed_headers(body, **header_options), **extra})


def send_action(url: str, payload: dict) -> Answer:
    body = urlencode({"payload": json.dumps(payload)})
    return post(url, body, signed_headers(body))
