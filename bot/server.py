"""Serve the Bolt app: over Socket Mode, or over HTTP at /slack/events.

Socket Mode opens a WebSocket from this machine to Slack, so it needs no public
URL. HTTP mode serves Slack's signed requests with waitress, a production WSGI
server, for a bot behind a reverse proxy.
"""

import logging
import re
import threading

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk.errors import SlackApiError
from waitress.server import create_server

from bot.config import SLACK_APPS_PAGE, ConfigError

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
# Threads that handle HTTP requests. Each is free again as soon as its listener acks.
HTTP_THREADS = 8
# How long a stop waits for requests under way; Slack gives each 3 seconds anyway.
SHUTDOWN_SECONDS = 5
# Slack tokens and app tokens, wherever a library might print one.
TOKEN_PATTERN = re.compile(r"\b(xox[abposre]|xapp)-[A-Za-z0-9-]+")


class HttpServer:
    """The app behind waitress on ``host``:``port``; port 0 picks a free port, read back from ``port``."""

    def __init__(self, app: App, host: str, port: int) -> None:
        """Listen on ``host``:``port``. Raises ConfigError when the address cannot be used."""
        # waitress keeps its sockets in this map and serves until the map is empty.
        self._sockets: dict = {}
        try:
            self._server = create_server(SlackRequestHandler(app, path=EVENTS_PATH), map=self._sockets,
                                         host=host, port=port, threads=HTTP_THREADS, ident="tweetstats")
        except OSError as error:
            raise ConfigError(f"cannot listen on {host}:{port} ({error.strerror or error}): choose another port "
                              "with --port, stop the program that uses it, or check the --host address") from None
        self._thread: threading.Thread | None = None
        self.host = host
        self.port = self._server.effective_port

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{EVENTS_PATH}"

    def serve_forever(self) -> None:
        """Serve until Ctrl+C or SIGTERM; waitress ends its loop on KeyboardInterrupt."""
        logger.info("serving Slack requests at %s", self.url)
        self._server.run()

    def start_in_thread(self) -> None:
        self._thread = threading.Thread(target=self._server.run, name="tweetstats-http", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Let the requests under way finish, then close every socket.

        A server running in a thread closes its sockets in that thread,
        through waitress's trigger, so that no socket closes under its select().
        """
        self._server.task_dispatcher.shutdown(timeout=SHUTDOWN_SECONDS)
        if self._thread is not None and self._thread.is_alive():
            try:
                self._server.trigger.pull_trigger(self._close_sockets)
            except OSError:
                # NOTE: seen once in a full test run: waitress had already closed its trigger, so
                # its loop was ending. The sockets left are closed here instead.
                self._close_sockets()
            self._thread.join(SHUTDOWN_SECONDS)
        else:
            self._close_sockets()

    def _close_sockets(self) -> None:
        for dispatcher in list(self._sockets.values()):
            dispatcher.close()


def connect_socket_mode(app: App, app_token: str) -> SocketModeHandler:
    """Open the Socket Mode connection and return its handler, which handles requests on its own threads.

    The handler requests a WebSocket URL from Slack with ``apps.connections.open``
    through the app's client, so SLACK_API_URL applies to it too. Raises
    ConfigError when Slack rejects the app token. A WebSocket that fails to
    open is retried by slack_sdk's client on its own, so it only logs a warning.
    """
    handler = SocketModeHandler(app, app_token=app_token)
    try:
        handler.connect()
    except SlackApiError as error:
        handler.close()
        code = error.response.get("error", "unknown")
        raise ConfigError(f"Slack rejected SLACK_APP_TOKEN ({code}): generate an App-Level Token with the "
                          f"connections:write scope under Basic Information at {SLACK_APPS_PAGE}, or leave "
                          "SLACK_APP_TOKEN empty to use HTTP mode") from None
    except OSError as error:
        handler.close()
        raise ConfigError(f"could not reach Slack to open Socket Mode ({error}): check this machine's network "
                          "and proxy settings, or SLACK_API_URL if it is set") from None
    if handler.client.is_connected():
        logger.info("connected to Slack in Socket Mode")
    else:
        logger.warning("the Socket Mode connection to Slack failed to open; slack_sdk keeps trying")
    return handler


class SecretFilter(logging.Filter):
    """Replace any Slack token, and the given secrets, in a log record's text with "[redacted]"."""

    def __init__(self, secrets: tuple[str, ...]) -> None:
        super().__init__()
        self.secrets = tuple(secret for secret in secrets if secret)

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        cleaned = self.redact(text)
        if cleaned != text:
            record.msg, record.args = cleaned, None
        if record.exc_info and not record.exc_text:
            # Format the traceback now, so that the handler prints the redacted copy.
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True

    def redact(self, text: str) -> str:
        cleaned = TOKEN_PATTERN.sub("[redacted]", text)
        for secret in self.secrets:
            cleaned = cleaned.replace(secret, "[redacted]")
        return cleaned


def guard_logs(secrets: tuple[str, ...]) -> None:
    """Put a SecretFilter on every handler of the root logger, so no library can log a token."""
    secret_filter = SecretFilter(secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(secret_filter)
