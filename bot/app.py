"""Build the Bolt app: its Web API client, request checks, retry handling and listeners."""

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from zoneinfo import ZoneInfo

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler

from bot.alerts import AlertSender
from bot.config import ConfigError, SlackSettings
from bot.digest import DigestSender
from bot.handlers import CommandRunner
from bot.listeners import register_listeners

logger = logging.getLogger(__name__)

# Slack retries an unacknowledged event up to 3 times, the last about 5 minutes
# after the first (an estimate: Slack's Events API documentation gives the
# schedule). Request ids are kept three times as long.
REPEAT_WINDOW_SECONDS = 15 * 60
REPEAT_MEMORY = 10_000


class RecentRequests:
    """Remember request ids for a while, to recognise a request Slack sends again."""

    def __init__(self, window: float = REPEAT_WINDOW_SECONDS, capacity: int = REPEAT_MEMORY,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.capacity = capacity
        self.clock = clock
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, key: str) -> bool:
        """Record the id; return False when it was seen within the window."""
        now = self.clock()
        with self._lock:
            while self._seen and (len(self._seen) >= self.capacity or next(iter(self._seen.values())) < now - self.window):
                self._seen.popitem(last=False)
            if key in self._seen:
                return False
            self._seen[key] = now
            return True


class BoltLogFilter(logging.Filter):
    """Reword two of Bolt's log lines.

    A failed signature check is logged by Bolt with the whole request body,
    which carries the response_url, a URL that can post into the channel. It
    becomes a warning that names the likely cause instead. Bolt's warning that
    ``token`` is unused when a client is given is dropped, because Bolt reads
    SLACK_BOT_TOKEN from the environment itself and the client carries the same token.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = str(record.msg)
        if message.startswith("Invalid request signature detected"):
            record.msg, record.args = SIGNATURE_WARNING, None
            record.levelno, record.levelname = logging.WARNING, "WARNING"
            return True
        return not message.startswith("As you gave `client` as well")


SIGNATURE_WARNING = ("rejected a request with an invalid or expired signature (HTTP 401). If every request is "
                     "rejected, check SLACK_SIGNING_SECRET against the Signing Secret on the app's Basic "
                     "Information page, and this machine's clock")
BOLT_LOG_FILTER = BoltLogFilter()


def request_key(body: dict) -> str | None:
    """Return what identifies one request across Slack's retries: the event id, or the trigger id."""
    return body.get("event_id") or body.get("trigger_id")


def make_slack_client(settings: SlackSettings) -> WebClient:
    """Return the Web API client of the bot token, at SLACK_API_URL when it is set."""
    client = WebClient(token=settings.bot_token, base_url=settings.api_url or WebClient.BASE_URL)
    # slack_sdk retries only failed connections by default. A rate-limited call waits for
    # Retry-After and a 5xx response is tried again, each up to twice.
    client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=2))
    client.retry_handlers.append(ServerErrorRetryHandler(max_retry_count=2))
    return client


def build_app(settings: SlackSettings, db_path: Path, zone: ZoneInfo, runner: CommandRunner | None = None,
              client: WebClient | None = None, digest_sender: DigestSender | None = None,
              alert_sender: AlertSender | None = None) -> App:
    """Build the app, checking the bot token with Slack's auth.test. Raises ConfigError when Slack rejects it.

    With a ``digest_sender``, /tweetstats digest now posts the digest; with an
    ``alert_sender``, the alerts' buttons work. Both should use ``client``.
    """
    for name in ("slack_bolt.RequestVerification", "slack_bolt.App"):
        logging.getLogger(name).addFilter(BOLT_LOG_FILTER)
    client = client or make_slack_client(settings)
    try:
        app = App(
            client=client,
            signing_secret=settings.signing_secret or "",
            # Socket Mode requests come over the app's own WebSocket and carry no signature.
            request_verification_enabled=not settings.socket_mode,
            # Check the token with auth.test now, so that a wrong one stops the start, not the first command.
            token_verification_enabled=True,
        )
    except BoltError as error:
        raise ConfigError(f"Slack rejected SLACK_BOT_TOKEN ({_slack_error(error)}): copy the Bot User OAuth Token "
                          "again from your app's OAuth & Permissions page, and reinstall the app if it was "
                          "revoked") from None
    except OSError as error:
        reason = getattr(error, "reason", None) or error
        raise ConfigError(f"could not reach Slack's Web API at {client.base_url} ({reason}): check this machine's "
                          "network and proxy settings, or SLACK_API_URL if it is set") from None
    recent = RecentRequests()

    @app.middleware
    def skip_repeated_requests(req: BoltRequest, resp: BoltResponse, next: Callable[[], None]) -> BoltResponse | None:
        key = request_key(req.body)
        if key is not None and not recent.first_time(key):
            retry = (req.headers.get("x-slack-retry-num") or ["?"])[0]
            logger.info("skipped a request Slack sent again (retry %s)", retry)
            return BoltResponse(status=200, body="")
        return next()

    if runner is None:
        runner = CommandRunner(db_path, zone, settings.default_account)
    register_listeners(app, runner, settings.admins, digest_sender, alert_sender)
    return app


def _slack_error(error: BoltError) -> str:
    """Return Slack's error code from Bolt's message, such as invalid_auth, without any token."""
    text = str(error)
    for code in ("invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"):
        if code in text:
            return code
    return "no answer from auth.test"
