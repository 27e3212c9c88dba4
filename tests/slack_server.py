"""A local stand-in for Slack's Web API, response_url webhooks and file upload URLs.

It listens on 127.0.0.1 on a free port and responds in Slack's wire format, so
that slack_sdk's and Bolt's own HTTP code runs in the tests. Each request is
recorded with its path, headers and decoded body; ``wait_for`` polls for them,
because Bolt delivers replies from background threads.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl

from local_server import loopback_url, serve_on_loopback, stop_serving

BOT_TOKEN = "xoxb-1111-2222-testbottoken"
APP_TOKEN = "xapp-1-A0001-3333-testapptoken"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
TEAM_ID = "T0LIBRARY"
BOT_USER_ID = "U0BOT"
UPLOADED_FILE_ID = "F0EXPORT"
# Modal limits from Slack's reference of modal views (https://docs.slack.dev/reference/views/modal-views).
MAX_VIEW_TITLE = 24
MAX_VIEW_BLOCKS = 100
MAX_PRIVATE_METADATA = 3000


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict | bytes


@dataclass
class Upload:
    """One file uploaded with files_upload_v2, read from its three requests.

    ``alt_text`` is None when the upload sent none.
    """

    filename: str
    length: int
    alt_text: str | None
    content: bytes
    title: str
    channel: str
    initial_comment: str


@dataclass
class SlackServer:
    """A fake of Slack's Web API methods on 127.0.0.1.

    ``users`` maps user ids to their users.info fields. ``failures`` maps a
    method name to the Slack error code it returns instead of succeeding.
    ``next_failures`` maps a method name to error codes returned once each,
    in order, where "ratelimited" is an HTTP 429 with Retry-After: 0.
    ``webhook_status`` is the HTTP status of response_url posts, and
    ``socket_url`` is what apps.connections.open returns. ``opened_views``
    are the views that views.open accepted, the earliest first.
    """

    users: dict[str, dict] = field(default_factory=dict)
    failures: dict[str, str] = field(default_factory=dict)
    next_failures: dict[str, list[str]] = field(default_factory=dict)
    webhook_status: int = 200
    socket_url: str = ""
    requests: list[Recorded] = field(default_factory=list)
    opened_views: list[dict] = field(default_factory=list)

    def start(self) -> "SlackServer":
        self._lock = threading.Lock()
        self._server = serve_on_loopback(_handler_for(self))
        return self

    def stop(self) -> None:
        stop_serving(self._server)

    @property
    def base(self) -> str:
        return loopback_url(self._server)

    @property
    def api_url(self) -> str:
        return self.base + "/api/"

    def response_url(self, name: str = "command") -> str:
        return f"{self.base}/webhook/{name}"

    def record(self, request: Recorded) -> None:
        with self._lock:
            self.requests.append(request)

    def received(self, path: str) -> list[Recorded]:
        with self._lock:
            return [request for request in self.requests if request.path == path]

    def wait_for(self, path: str, count: int = 1, timeout: float = 10.0) -> list[Recorded]:
        """Return the requests to ``path`` once there are at least ``count``; fail after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.received(path)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        seen = sorted({request.path for request in self.requests})
        raise AssertionError(f"expected {count} requests to {path} within {timeout} s; paths seen: {seen}")

    def uploads(self) -> list[Upload]:
        """Return each upload that reached files.completeUploadExternal, in order.

        Every upload URL leads to the same file id, so the n-th completion is
        matched with the n-th URL request and the n-th body sent to an upload URL.
        """
        with self._lock:
            requested = [request.body for request in self.requests if request.path == "/api/files.getUploadURLExternal"]
            sent = [request.body for request in self.requests if request.path.startswith("/upload/")]
            completed = [request.body for request in self.requests
                         if request.path == "/api/files.completeUploadExternal"]
        uploads = []
        for url_request, content, completion in zip(requested, sent, completed):
            title = json.loads(completion.get("files", "[]"))[0].get("title", "")
            uploads.append(Upload(url_request["filename"], int(url_request["length"]), url_request.get("alt_txt"),
                                  content, title, completion.get("channel_id", ""),
                                  completion.get("initial_comment", "")))
        return uploads

    def answer(self, method: str, request: Recorded) -> dict:
        """Return the JSON response to a Web API method, as Slack shapes it."""
        token = request.headers.get("authorization", "").removeprefix("Bearer ")
        if isinstance(request.body, dict):
            token = token or request.body.get("token", "")
        expected = APP_TOKEN if method == "apps.connections.open" else BOT_TOKEN
        if token != expected:
            return {"ok": False, "error": "invalid_auth"}
        if method in self.failures:
            return {"ok": False, "error": self.failures[method]}
        with self._lock:
            queued = self.next_failures.get(method)
            if queued:
                return {"ok": False, "error": queued.pop(0)}
        answer = ANSWERS.get(method)
        if answer is None:
            return {"ok": False, "error": "unknown_method"}
        return answer(self, request.body)


def _auth_test(server: SlackServer, body: dict) -> dict:
    return {"ok": True, "url": "https://library.slack.com/", "team": "Library", "user": "tweetstats",
            "team_id": TEAM_ID, "user_id": BOT_USER_ID, "bot_id": "B0BOT", "is_enterprise_install": False}


def _post_message(server: SlackServer, body: dict) -> dict:
    # Slack's response carries the channel's id, also when the post named the channel #name.
    channel = str(body.get("channel", ""))
    channel_id = "C" + channel[1:].upper().replace("-", "") if channel.startswith("#") else channel
    return {"ok": True, "channel": channel_id, "ts": f"{time.time():.6f}",
            "message": {"type": "message", "text": body.get("text", ""), "bot_id": "B0BOT"}}


def _update(server: SlackServer, body: dict) -> dict:
    return {"ok": True, "channel": body.get("channel", ""), "ts": body.get("ts", ""), "text": body.get("text", "")}


def _post_ephemeral(server: SlackServer, body: dict) -> dict:
    return {"ok": True, "message_ts": f"{time.time():.6f}"}


def _users_info(server: SlackServer, body: dict) -> dict:
    user_id = body.get("user", "")
    if user_id not in server.users:
        return {"ok": False, "error": "user_not_found"}
    user = {"id": user_id, "team_id": TEAM_ID, "name": user_id.lower(), "deleted": False,
            "is_admin": False, "is_owner": False, "is_primary_owner": False, "is_bot": False}
    user.update(server.users[user_id])
    return {"ok": True, "user": user}


def _upload_url(server: SlackServer, body: dict) -> dict:
    return {"ok": True, "upload_url": f"{server.base}/upload/{UPLOADED_FILE_ID}", "file_id": UPLOADED_FILE_ID}


def _complete_upload(server: SlackServer, body: dict) -> dict:
    files = json.loads(body.get("files", "[]"))
    return {"ok": True, "files": [{"id": item["id"], "title": item.get("title", "")} for item in files]}


def _views_publish(server: SlackServer, body: dict) -> dict:
    view = body.get("view")
    view = json.loads(view) if isinstance(view, str) else view
    return {"ok": True, "view": {"id": "V0HOME", "type": "home", "blocks": view.get("blocks", [])}}


def _views_open(server: SlackServer, body: dict) -> dict:
    """Accept a modal opened on a trigger_id, with the checks of Slack's that a mistake would trip."""
    try:
        view = _read_view(body.get("view"))
    except ValueError as error:
        return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [f"[ERROR] {error}"]}}
    if not body.get("trigger_id"):
        return {"ok": False, "error": "invalid_arguments",
                "response_metadata": {"messages": ["[ERROR] missing required field: trigger_id"]}}
    with server._lock:
        server.opened_views.append(view)
        number = len(server.opened_views)
    return {"ok": True, "view": {**view, "id": f"V0VIEW{number}", "team_id": TEAM_ID, "state": {"values": {}},
                                 "hash": f"{number}.hash", "root_view_id": f"V0VIEW{number}"}}


def _read_view(view: object) -> dict:
    """Decode a view argument and check the modal limits of Slack's view reference. Raises ValueError."""
    if isinstance(view, str):
        view = json.loads(view)
    if not isinstance(view, dict):
        raise ValueError("missing required field: view")
    if view.get("type") != "modal":
        raise ValueError("view type must be modal")
    if not 1 <= len((view.get("title") or {}).get("text", "")) <= MAX_VIEW_TITLE:
        raise ValueError(f"title must be 1 to {MAX_VIEW_TITLE} characters")
    blocks = view.get("blocks") or []
    if not 1 <= len(blocks) <= MAX_VIEW_BLOCKS:
        raise ValueError(f"a view must contain 1 to {MAX_VIEW_BLOCKS} blocks")
    if any(block.get("type") == "input" for block in blocks) and not view.get("submit"):
        raise ValueError("must define submit to use input block")
    if len(view.get("private_metadata", "")) > MAX_PRIVATE_METADATA:
        raise ValueError(f"private_metadata must be at most {MAX_PRIVATE_METADATA} characters")
    return view


def _connections_open(server: SlackServer, body: dict) -> dict:
    return {"ok": True, "url": server.socket_url}


ANSWERS = {
    "auth.test": _auth_test,
    "chat.postMessage": _post_message,
    "chat.postEphemeral": _post_ephemeral,
    "chat.update": _update,
    "users.info": _users_info,
    "files.getUploadURLExternal": _upload_url,
    "files.completeUploadExternal": _complete_upload,
    "views.publish": _views_publish,
    "views.open": _views_open,
    "apps.connections.open": _connections_open,
}


def _handler_for(server: SlackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            headers = {name.lower(): value for name, value in self.headers.items()}
            path = self.path.split("?")[0]
            # An upload URL receives the file's bytes as they are.
            body = raw if path.startswith("/upload/") else _decode(raw, headers.get("content-type", ""))
            request = Recorded(path, headers, body)
            server.record(request)
            if request.path.startswith("/api/"):
                answer = server.answer(request.path[5:], request)
                if answer.get("error") == "ratelimited":
                    # Slack responds to a rate-limited call with 429 and the seconds to wait.
                    self._send(429, "application/json", json.dumps(answer), {"retry-after": "0"})
                else:
                    self._send(200, "application/json", json.dumps(answer))
            elif request.path.startswith("/webhook/"):
                self._send(server.webhook_status, "text/html", "ok" if server.webhook_status == 200 else "error")
            elif request.path.startswith("/upload/"):
                self._send(200, "text/plain", f"OK - {len(raw)}")
            else:
                self._send(404, "text/plain", "not found")

        def _send(self, status: int, content_type: str, text: str, extra: dict | None = None) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("content-type", content_type)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


def _decode(raw: bytes, content_type: str) -> dict | bytes:
    if content_type.startswith("application/json"):
        return json.loads(raw or b"{}")
    if content_type.startswith("application/x-www-form-urlencoded"):
        return dict(parse_qsl(raw.decode(), keep_blank_values=True))
    return raw
