"""A local stand-in for the X API v2 endpoints that the poller reads.

It listens on 127.0.0.1 on a free port and responds in X's wire format, so that
tweepy's own ``Client`` code runs in the tests when ``metrics.xclient.make_client``
routes it here. It serves user lookup by username and by id, user timelines,
mentions and tweet lookup, all with GET and a bearer token. Field selection,
expansions, pagination, partial errors, the timeline caps and the
``x-rate-limit-*`` headers follow X. ``fail_next`` injects rate limits, usage
caps, server errors, slow responses and auth failures. Each request is recorded.
"""

import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qsl, unquote, urlsplit

from local_server import loopback_url, serve_on_loopback, stop_serving

log = logging.getLogger(__name__)

# A fake app-only token. The server rejects every other token with 401.
BEARER_TOKEN = "AAAAAAAAAAAAAAAAAAAAAtweetstats-fake-bearer-token"

PROBLEMS = "https://api.twitter.com/2/problems/"
WINDOW_SECONDS = 15 * 60
# User timelines return only the newest 3,200 tweets, or the newest 800 with
# exclude=replies. Mentions return only the newest 800.
TIMELINE_CAP = 3200
EXCLUDE_REPLIES_CAP = 800
MENTIONS_CAP = 800
MIN_PAGE_SIZE, MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE = 5, 100, 10
MAX_LOOKUP_IDS = 100
# X rejects start_time and end_time before this instant.
EARLIEST_TIME = datetime(2010, 11, 6, tzinfo=UTC)
# Twitter's snowflake epoch: an id's top bits count milliseconds from it.
SNOWFLAKE_EPOCH_MS = 1288834974657

# Requests per 15-minute window for each route, the app-level limits of X's Pro plan as documented in 2025.
RATE_LIMITS = {
    "/2/users/:id/tweets": 1500,
    "/2/users/:id/mentions": 450,
    "/2/users/:id": 300,
    "/2/users/by/username/:username": 300,
    "/2/tweets": 450,
}
# The window for paths that match no route, so that 404 responses carry the headers too.
UNMATCHED_ROUTE = "unmatched"
DEFAULT_RATE_LIMIT = 300

TWEET_FIELDS = (
    "article", "attachments", "author_id", "card_uri", "context_annotations", "conversation_id", "created_at",
    "display_text_range", "edit_controls", "edit_history_tweet_ids", "entities", "geo", "id", "in_reply_to_user_id",
    "lang", "media_metadata", "non_public_metrics", "note_tweet", "organic_metrics", "possibly_sensitive",
    "promoted_metrics", "public_metrics", "referenced_tweets", "reply_settings", "scopes", "source", "text",
    "withheld",
)
USER_FIELDS = (
    "affiliation", "connection_status", "created_at", "description", "entities", "id", "location",
    "most_recent_tweet_id", "name", "pinned_tweet_id", "profile_banner_url", "profile_image_url", "protected",
    "public_metrics", "receives_your_dm", "subscription_type", "url", "username", "verified", "verified_type",
    "withheld",
)
TWEET_EXPANSIONS = (
    "attachments.media_keys", "attachments.poll_ids", "author_id", "edit_history_tweet_ids",
    "entities.mentions.username", "geo.place_id", "in_reply_to_user_id", "referenced_tweets.id",
    "referenced_tweets.id.author_id",
)
USER_EXPANSIONS = ("affiliation.user_id", "most_recent_tweet_id", "pinned_tweet_id")
# Accepted and ignored, because the server stores no media, places or polls.
OTHER_FIELD_PARAMETERS = ("media.fields", "place.fields", "poll.fields")
TIMELINE_PARAMETERS = (
    "end_time", "expansions", "max_results", "pagination_token", "since_id", "start_time", "tweet.fields",
    "until_id", "user.fields", *OTHER_FIELD_PARAMETERS,
)
ROUTE_PARAMETERS = {
    "/2/users/:id/tweets": (*TIMELINE_PARAMETERS, "exclude"),
    "/2/users/:id/mentions": TIMELINE_PARAMETERS,
    "/2/users/:id": ("expansions", "tweet.fields", "user.fields"),
    "/2/users/by/username/:username": ("expansions", "tweet.fields", "user.fields"),
    "/2/tweets": ("ids", "expansions", "tweet.fields", "user.fields", *OTHER_FIELD_PARAMETERS),
}
ROUTES = (
    (re.compile(r"/2/users/by/username/([^/]+)"), "/2/users/by/username/:username"),
    (re.compile(r"/2/users/([^/]+)/tweets"), "/2/users/:id/tweets"),
    (re.compile(r"/2/users/([^/]+)/mentions"), "/2/users/:id/mentions"),
    (re.compile(r"/2/users/([^/]+)"), "/2/users/:id"),
    (re.compile(r"/2/tweets"), "/2/tweets"),
)
ID_PATTERN = "^[0-9]{1,19}$"
USERNAME_PATTERN = "^[A-Za-z0-9_]{1,15}$"
# An RFC 3339 date-time with seconds and a zone, as start_time and end_time need.
TIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})")

# Metric names in X's published OpenAPI spec that differ from the names on the wire.
SPEC_TWEET_METRICS = {"retweet_count": "repost_count"}
SPEC_USER_METRICS = {"tweet_count": "post_count"}

FAULTS = ("rate_limit", "usage_cap", "server_error", "timeout", "forbidden", "unauthorized")
FAULT_OPTIONS = {
    "rate_limit": {"reset_in": 60},
    "usage_cap": {"reset_in": 60},
    "server_error": {"status": 503},
    "timeout": {"delay": 2.0},
    "forbidden": {"problem": "client-forbidden"},
    "unauthorized": {},
}

UNAUTHORIZED = {"title": "Unauthorized", "type": "about:blank", "status": 401, "detail": "Unauthorized"}
TOO_MANY_REQUESTS = {"title": "Too Many Requests", "type": "about:blank", "status": 429,
                     "detail": "Too Many Requests"}
NOT_FOUND = {"title": "Not Found", "type": "about:blank", "status": 404, "detail": "Not Found"}
USAGE_CAPPED = {
    "account_id": "1600000000000000000",
    "product_name": "standard-basic",
    "title": "UsageCapExceeded",
    "period": "Monthly",
    "scope": "Product",
    "detail": "Usage cap exceeded: Monthly product cap",
    "type": PROBLEMS + "usage-capped",
}
CLIENT_FORBIDDEN = {
    "client_id": "28000000",
    "detail": ("When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a "
               "Twitter developer App that is attached to a Project. You can create a project via the developer "
               "portal."),
    "registration_url": "https://developer.twitter.com/en/docs/projects/overview",
    "title": "Client Forbidden",
    "required_enrollment": "Appropriate Level of API Access",
    "reason": "client-not-enrolled",
    "type": PROBLEMS + "client-forbidden",
}


@dataclass
class XRequest:
    """One request as the server received it, with lower-cased header names."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]


@dataclass
class Reply:
    status: int
    body: dict
    route: str
    # Overrides of the x-rate-limit-remaining and x-rate-limit-reset values.
    remaining: int | None = None
    reset: int | None = None


@dataclass
class Fault:
    """A failure that replaces the next ``count`` responses to paths starting with ``path_prefix``."""

    path_prefix: str
    kind: str
    count: int
    options: dict


class InvalidRequest(Exception):
    """A 400 response: X lists each invalid parameter under ``errors``."""

    def __init__(self, errors: list[dict]) -> None:
        super().__init__(errors)
        self.errors = errors

    def body(self) -> dict:
        return {"errors": self.errors, "title": "Invalid Request",
                "detail": "One or more parameters to your request was invalid.", "type": PROBLEMS + "invalid-request"}


def parameter_error(name: str, value: str, message: str) -> dict:
    return {"parameters": {name: [value]}, "message": message}


@dataclass
class Window:
    remaining: int
    reset: int


@dataclass
class XServer:
    """A fake of the X API v2 read endpoints on 127.0.0.1.

    ``users`` maps user ids to user objects, ``tweets`` maps tweet ids to tweet
    objects, and ``timelines`` and ``mentions`` map user ids to tweet ids.
    Tweets whose ids are in ``hidden_ids`` act as deleted. Lookups, timelines
    and expansions leave them out, and lookups and expansions report them in
    ``errors``. ``metric_names`` is "wire" for the metric names X sends, or
    "spec" for the names in X's OpenAPI spec (``repost_count``, ``post_count``).
    ``rate_limits`` sets the requests per 15-minute window for the routes it
    names, and the others keep their values from RATE_LIMITS. ``clock``
    returns the time in epoch seconds for rate-limit windows and resets, so
    that a test can share its client's clock.
    """

    metric_names: str = "wire"
    rate_limits: dict[str, int] = field(default_factory=lambda: dict(RATE_LIMITS))
    users: dict[str, dict] = field(default_factory=dict)
    tweets: dict[str, dict] = field(default_factory=dict)
    timelines: dict[str, list[str]] = field(default_factory=dict)
    mentions: dict[str, list[str]] = field(default_factory=dict)
    hidden_ids: set[str] = field(default_factory=set)
    requests: list[XRequest] = field(default_factory=list)
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        if self.metric_names not in ("wire", "spec"):
            raise ValueError(f"metric_names must be 'wire' or 'spec', not {self.metric_names!r}")
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._faults: list[Fault] = []
        self._windows: dict[str, Window] = {}
        self._page_tokens: dict[str, tuple[str, str]] = {}

    def start(self) -> "XServer":
        self._server = serve_on_loopback(_handler_for(self))
        return self

    def stop(self) -> None:
        """Stop serving and release any response that a "timeout" fault delays."""
        self._stopping.set()
        stop_serving(self._server)

    @property
    def api_url(self) -> str:
        return loopback_url(self._server)

    # Filling the state.

    def add_user(self, username: str, user_id: str | int, followers: int = 0, following: int = 0, tweets: int = 0,
                 *, name: str | None = None, listed: int = 0, created_at: str = "2010-01-01T00:00:00.000Z",
                 description: str = "") -> dict:
        """Store a user and return its full v2 object, with every field X would send if requested."""
        user = {
            "id": str(user_id),
            "name": name if name is not None else username,
            "username": username,
            "created_at": created_at,
            "description": description,
            "protected": False,
            "verified": False,
            "public_metrics": {"followers_count": followers, "following_count": following,
                               "tweet_count": tweets, "listed_count": listed},
        }
        with self._lock:
            self.users[user["id"]] = user
        return user

    def add_tweet(self, user_id: str | int, tweet: dict) -> None:
        """Add a v2 tweet object (see ``make_tweet``) to the timeline of ``user_id``."""
        self._store(self.timelines, user_id, tweet)

    def add_mention(self, user_id: str | int, tweet: dict) -> None:
        """Add a v2 tweet object to the mentions of ``user_id``."""
        self._store(self.mentions, user_id, tweet)

    def _store(self, lists: dict[str, list[str]], user_id: str | int, tweet: dict) -> None:
        if "id" not in tweet or "text" not in tweet:
            raise ValueError(f"invalid tweet: 'id' or 'text' is missing from the keys {sorted(tweet)}. "
                             "Build tweets with make_tweet.")
        with self._lock:
            self.tweets[str(tweet["id"])] = tweet
            ids = lists.setdefault(str(user_id), [])
            if str(tweet["id"]) not in ids:
                ids.append(str(tweet["id"]))

    def fail_next(self, path_prefix: str, fault: str, count: int = 1, **options) -> None:
        """Queue ``fault`` as the response to the next ``count`` requests to paths starting with ``path_prefix``.

        Faults are used up in the order they were queued. The options are
        ``reset_in`` (seconds until x-rate-limit-reset, default 60) for
        "rate_limit" and "usage_cap", ``status`` (default 503) for
        "server_error", and ``delay`` (seconds, default 2.0) for "timeout",
        which delays the response that long and then sends it as usual.
        """
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r}. Use one of: {', '.join(FAULTS)}.")
        unknown = set(options) - set(FAULT_OPTIONS[fault])
        if unknown:
            raise ValueError(f"invalid options {sorted(unknown)} for fault {fault!r}. "
                             f"It takes: {', '.join(FAULT_OPTIONS[fault]) or 'no options'}.")
        with self._lock:
            self._faults.append(Fault(path_prefix, fault, count, {**FAULT_OPTIONS[fault], **options}))

    # Reading what was received.

    def received(self, path_prefix: str) -> list[XRequest]:
        with self._lock:
            return [request for request in self.requests if request.path.startswith(path_prefix)]

    def count(self, path_prefix: str) -> int:
        return len(self.received(path_prefix))

    def wait_for(self, path_prefix: str, count: int = 1, timeout: float = 10.0) -> list[XRequest]:
        """Return the requests to ``path_prefix`` once there are at least ``count``.

        Raise AssertionError, listing the paths seen, after ``timeout`` seconds.
        """
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.received(path_prefix)
            if len(found) >= count:
                return found
            time.sleep(0.01)
        with self._lock:
            seen = sorted({request.path for request in self.requests})
        raise AssertionError(f"expected {count} requests to {path_prefix} within {timeout} s. Paths seen: {seen}")

    # Answering.

    def respond(self, request: XRequest) -> Reply | None:
        """Record ``request`` and build its response, or return None when the server stopped while delaying it."""
        with self._lock:
            self.requests.append(request)
            fault = self._take_fault(request.path)
        route, argument = _match_route(request.path)
        if fault is not None:
            if fault.kind != "timeout":
                return self._fault_reply(fault, route)
            if self._stopping.wait(fault.options["delay"]):
                return None
        with self._lock:
            if request.method != "GET" or route == UNMATCHED_ROUTE:
                return Reply(404, NOT_FOUND, route)
            if request.headers.get("authorization") != f"Bearer {BEARER_TOKEN}":
                return Reply(401, UNAUTHORIZED, route)
            window = self._window(route)
            if window.remaining == 0:
                return Reply(429, TOO_MANY_REQUESTS, route)
            window.remaining -= 1
            try:
                _check_parameters(request.query, ROUTE_PARAMETERS[route])
                return Reply(200, self._dispatch(route, argument, request.query), route)
            except InvalidRequest as error:
                return Reply(400, error.body(), route)

    def _take_fault(self, path: str) -> Fault | None:
        for fault in self._faults:
            if path.startswith(fault.path_prefix):
                fault.count -= 1
                if fault.count <= 0:
                    self._faults.remove(fault)
                return fault
        return None

    def _fault_reply(self, fault: Fault, route: str) -> Reply:
        if fault.kind == "rate_limit":
            return Reply(429, TOO_MANY_REQUESTS, route, remaining=0, reset=int(self.clock() + fault.options["reset_in"]))
        if fault.kind == "usage_cap":
            # A usage cap is a 429 while the 15-minute window still has requests left.
            with self._lock:
                remaining = max(self._window(route).remaining, 1)
            return Reply(429, USAGE_CAPPED, route, remaining=remaining,
                         reset=int(self.clock() + fault.options["reset_in"]))
        if fault.kind == "server_error":
            status = fault.options["status"]
            title = HTTPStatus(status).phrase
            return Reply(status, {"title": title, "type": "about:blank", "status": status, "detail": title}, route)
        if fault.kind == "forbidden" and fault.options["problem"] == "client-forbidden":
            return Reply(403, CLIENT_FORBIDDEN, route)
        if fault.kind == "forbidden":
            # NOTE: modelled on the "Authorization Error" that X returns beside data for a resource the
            # app may not see. Whether X rejects a whole request this way was not checked.
            return Reply(403, {"title": "Authorization Error", "type": PROBLEMS + "not-authorized-for-resource",
                               "status": 403, "detail": "Sorry, you are not authorized to see this resource."},
                         route)
        return Reply(401, UNAUTHORIZED, route)

    def _window(self, route: str) -> Window:
        """Return the current rate-limit window of ``route``, opening a new one when the last has passed."""
        now = int(self.clock())
        window = self._windows.get(route)
        if window is None or now >= window.reset:
            window = Window(self._limit(route), now + WINDOW_SECONDS)
            self._windows[route] = window
        return window

    def _limit(self, route: str) -> int:
        return self.rate_limits.get(route, RATE_LIMITS.get(route, DEFAULT_RATE_LIMIT))

    def rate_limit_headers(self, reply: Reply) -> dict[str, str]:
        with self._lock:
            window = self._window(reply.route)
            limit = self._limit(reply.route)
            remaining = window.remaining if reply.remaining is None else reply.remaining
            reset = window.reset if reply.reset is None else reply.reset
        return {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": str(remaining),
                "x-rate-limit-reset": str(reset)}

    def _dispatch(self, route: str, argument: str, query: dict[str, str]) -> dict:
        if route == "/2/users/by/username/:username":
            _check_pattern("username", argument, USERNAME_PATTERN)
            return self._user_lookup("username", argument, query)
        if route == "/2/users/:id":
            _check_pattern("id", argument, ID_PATTERN)
            return self._user_lookup("id", argument, query)
        if route == "/2/users/:id/tweets":
            return self._timeline(argument, self.timelines, query, timeline=True)
        if route == "/2/users/:id/mentions":
            return self._timeline(argument, self.mentions, query, timeline=False)
        return self._tweet_lookup(query)

    # Users.

    def _user_lookup(self, parameter: str, value: str, query: dict[str, str]) -> dict:
        # NOTE: user expansions (pinned_tweet_id and others) are accepted but add no includes.
        fields = _selection(query, USER_EXPANSIONS)
        user = self._find_user(parameter, value)
        if user is None:
            return {"errors": [_not_found("user", parameter, value, with_resource_id=parameter == "id")]}
        return {"data": self._project_user(user, fields.user_fields)}

    def _find_user(self, parameter: str, value: str) -> dict | None:
        if parameter == "id":
            return self.users.get(value)
        for user in self.users.values():
            if user["username"].lower() == value.lower():
                return user
        return None

    def _project_user(self, user: dict, user_fields: list[str]) -> dict:
        projected = {"id": user["id"], "name": user["name"], "username": user["username"]}
        for name in user_fields:
            if name in user and name not in projected:
                projected[name] = user[name]
        if "public_metrics" in projected and self.metric_names == "spec":
            projected["public_metrics"] = _rename(projected["public_metrics"], SPEC_USER_METRICS)
        return projected

    # Timelines and mentions.

    def _timeline(self, user_id: str, lists: dict[str, list[str]], query: dict[str, str], timeline: bool) -> dict:
        _check_pattern("id", user_id, ID_PATTERN)
        page_size = _page_size(query)
        since_id = _optional_id(query, "since_id")
        until_id = _optional_id(query, "until_id")
        start_time = _optional_time(query, "start_time")
        end_time = _optional_time(query, "end_time")
        excluded = _exclusions(query) if timeline else set()
        fields = _selection(query, TWEET_EXPANSIONS)
        token = query.get("pagination_token")
        after_id = self._page_position(token, user_id, timeline) if token is not None else None

        if user_id not in self.users and user_id not in lists:
            return {"errors": [_not_found("user", "id", user_id, with_resource_id=True)]}

        # The caps count the newest tweets that still exist, before any other filter.
        tweets = [self.tweets[tweet_id] for tweet_id in lists.get(user_id, []) if tweet_id not in self.hidden_ids]
        tweets.sort(key=lambda tweet: int(tweet["id"]), reverse=True)
        if not timeline:
            cap = MENTIONS_CAP
        elif "replies" in excluded:
            cap = EXCLUDE_REPLIES_CAP
        else:
            cap = TIMELINE_CAP
        # NOTE: X does not say whether exclude=replies keeps the newest 800 tweets and then drops the
        # replies, or keeps 800 tweets that are not replies. This server does the former.
        tweets = tweets[:cap]
        tweets = [tweet for tweet in tweets
                  if _selected(tweet, since_id, until_id, start_time, end_time, excluded)]
        if after_id is not None:
            tweets = [tweet for tweet in tweets if int(tweet["id"]) < int(after_id)]

        page = tweets[:page_size]
        meta: dict = {"result_count": len(page)}
        if not page:
            return {"meta": meta}
        meta["newest_id"] = page[0]["id"]
        meta["oldest_id"] = page[-1]["id"]
        if len(tweets) > page_size:
            meta["next_token"] = self._mint_page_token(user_id, timeline, page[-1]["id"])
        return {**self._tweet_page(page, fields), "meta": meta}

    def _mint_page_token(self, user_id: str, timeline: bool, last_id: str) -> str:
        token = uuid.uuid4().hex
        self._page_tokens[token] = (_list_key(user_id, timeline), last_id)
        return token

    def _page_position(self, token: str, user_id: str, timeline: bool) -> str:
        """Return the id of the last tweet on the page before ``token``.

        Raise a 400 for a token that this server did not mint for this user's timeline or mentions.
        """
        key, last_id = self._page_tokens.get(token, (None, None))
        if key != _list_key(user_id, timeline):
            # NOTE: the wording of this message is a guess, because no recorded X response shows it.
            raise InvalidRequest([parameter_error(
                "pagination_token", token, f"The `pagination_token` query parameter value [{token}] is not valid")])
        return last_id

    # Tweet lookup.

    def _tweet_lookup(self, query: dict[str, str]) -> dict:
        raw_ids = query.get("ids")
        if not raw_ids:
            raise InvalidRequest([parameter_error("ids", "", "The `ids` query parameter can not be empty")])
        ids = list(dict.fromkeys(raw_ids.split(",")))
        if len(ids) > MAX_LOOKUP_IDS:
            raise InvalidRequest([parameter_error(
                "ids", raw_ids,
                f"The number of values in the `ids` query parameter list [{len(ids)}] is not between 1 and 100")])
        for tweet_id in ids:
            _check_pattern("ids", tweet_id, ID_PATTERN)
        fields = _selection(query, TWEET_EXPANSIONS)

        found = [self.tweets[tweet_id] for tweet_id in ids
                 if tweet_id in self.tweets and tweet_id not in self.hidden_ids]
        missing = [_not_found("tweet", "ids", tweet_id, with_resource_id=True) for tweet_id in ids
                   if tweet_id not in self.tweets or tweet_id in self.hidden_ids]
        body = self._tweet_page(found, fields) if found else {}
        if missing:
            body["errors"] = missing + body.get("errors", [])
        return body

    # Tweets, field selection and expansions.

    def _tweet_page(self, tweets: list[dict], fields: "Selection") -> dict:
        """Return ``data`` for ``tweets`` with the includes and partial errors that the expansions add."""
        body: dict = {"data": [self._project_tweet(tweet, fields.tweet_fields) for tweet in tweets]}
        users: dict[str, dict] = {}
        included_tweets: dict[str, dict] = {}
        errors: list[dict] = []
        seen_references: set[str] = set()

        def include_user(parameter: str, key: str, value: str) -> None:
            user = self._find_user(key, value)
            if user is None:
                errors.append(_not_found("user", parameter, value, with_resource_id=key == "id"))
            elif user["id"] not in users:
                users[user["id"]] = self._project_user(user, fields.user_fields)

        for tweet in tweets:
            if "author_id" in fields.expansions and "author_id" in tweet:
                include_user("author_id", "id", str(tweet["author_id"]))
            if "in_reply_to_user_id" in fields.expansions and tweet.get("in_reply_to_user_id"):
                include_user("in_reply_to_user_id", "id", str(tweet["in_reply_to_user_id"]))
            if "entities.mentions.username" in fields.expansions:
                for mention in tweet.get("entities", {}).get("mentions", []):
                    include_user("entities.mentions.username", "username", mention["username"])
            for reference in tweet.get("referenced_tweets", []):
                referenced_id = str(reference["id"])
                wants_tweet = "referenced_tweets.id" in fields.expansions
                wants_author = "referenced_tweets.id.author_id" in fields.expansions
                if not (wants_tweet or wants_author) or referenced_id in seen_references:
                    continue
                seen_references.add(referenced_id)
                referenced = self.tweets.get(referenced_id)
                if referenced is None or referenced_id in self.hidden_ids:
                    errors.append(_not_found("tweet", "referenced_tweets.id", referenced_id, with_resource_id=True))
                    continue
                if wants_tweet:
                    included_tweets[referenced_id] = self._project_tweet(referenced, fields.tweet_fields)
                if wants_author and "author_id" in referenced:
                    include_user("referenced_tweets.id.author_id", "id", str(referenced["author_id"]))

        includes = {}
        if users:
            includes["users"] = list(users.values())
        if included_tweets:
            includes["tweets"] = list(included_tweets.values())
        if includes:
            body["includes"] = includes
        if errors:
            body["errors"] = errors
        return body

    def _project_tweet(self, tweet: dict, tweet_fields: list[str]) -> dict:
        projected = {"id": str(tweet["id"]), "text": tweet["text"],
                     "edit_history_tweet_ids": tweet.get("edit_history_tweet_ids", [str(tweet["id"])])}
        for name in tweet_fields:
            if name in tweet and name not in projected:
                projected[name] = tweet[name]
        if "public_metrics" in projected and self.metric_names == "spec":
            projected["public_metrics"] = _rename(projected["public_metrics"], SPEC_TWEET_METRICS)
        if "entities" in projected and projected["entities"].get("mentions"):
            projected["entities"] = self._with_mention_ids(projected["entities"])
        return projected

    def _with_mention_ids(self, entities: dict) -> dict:
        """Add the user id to each mention of a username stored on the server, as X sends it."""
        mentions = []
        for mention in entities["mentions"]:
            user = self._find_user("username", mention["username"])
            if user is not None and "id" not in mention:
                mention = {**mention, "id": user["id"]}
            mentions.append(mention)
        return {**entities, "mentions": mentions}


def _list_key(user_id: str, timeline: bool) -> str:
    return f"{'tweets' if timeline else 'mentions'}:{user_id}"


# Building tweets.


def snowflake(created_at: datetime | str, sequence: int = 0) -> str:
    """Return a tweet id whose embedded timestamp is ``created_at``, as X mints ids."""
    moment = _parse_time(created_at) if isinstance(created_at, str) else _as_utc(created_at)
    milliseconds = int(moment.timestamp() * 1000) - SNOWFLAKE_EPOCH_MS
    return str((milliseconds << 22) | (sequence & 0x3FFFFF))


def make_tweet(tweet_id: str | int, author_id: str | int, text: str, created_at: datetime | str, *,
               kind: str = "original", referenced_id: str | int | None = None,
               in_reply_to_user_id: str | int | None = None, urls: Iterable[str] = (), likes: int = 0,
               retweets: int = 0, replies: int = 0, quotes: int = 0, bookmarks: int = 0, impressions: int = 0,
               lang: str = "en", conversation_id: str | int | None = None) -> dict:
    """Build a v2 tweet object with every field that the poller requests.

    ``kind`` is "original", "reply", "retweet" or "quote", and every kind but
    "original" needs ``referenced_id``. Each of ``urls`` is written into the
    text as a t.co link, replacing the URL where the text contains it and
    appended otherwise. The entities list those links and the @mentions and
    #hashtags in the text. ``conversation_id`` defaults to ``referenced_id``
    for a reply and to the tweet's own id otherwise.
    """
    reference_types = {"original": None, "reply": "replied_to", "retweet": "retweeted", "quote": "quoted"}
    if kind not in reference_types:
        raise ValueError(f"unknown kind {kind!r}. Use one of: {', '.join(reference_types)}.")
    if kind != "original" and referenced_id is None:
        raise ValueError(f"a {kind} needs referenced_id")

    tweet_id = str(tweet_id)
    text, url_entities = _link_urls(tweet_id, text, list(urls))
    entities = {"urls": url_entities, "mentions": _mentions(text), "hashtags": _hashtags(text)}
    entities = {name: found for name, found in entities.items() if found}
    if conversation_id is None:
        conversation_id = referenced_id if kind == "reply" else tweet_id

    tweet = {
        "id": tweet_id,
        "text": text,
        "created_at": _format_time(created_at),
        "author_id": str(author_id),
        "conversation_id": str(conversation_id),
        "lang": lang,
        "public_metrics": {"retweet_count": retweets, "reply_count": replies, "like_count": likes,
                           "quote_count": quotes, "bookmark_count": bookmarks, "impression_count": impressions},
        "edit_history_tweet_ids": [tweet_id],
    }
    if entities:
        tweet["entities"] = entities
    if kind != "original":
        tweet["referenced_tweets"] = [{"type": reference_types[kind], "id": str(referenced_id)}]
    if in_reply_to_user_id is not None:
        tweet["in_reply_to_user_id"] = str(in_reply_to_user_id)
    return tweet


def _link_urls(tweet_id: str, text: str, urls: list[str]) -> tuple[str, list[dict]]:
    """Write each URL into ``text`` as a t.co link. Return the new text and its url entities."""
    links = []
    for index, url in enumerate(urls):
        short = "https://t.co/" + hashlib.sha256(f"{tweet_id}:{index}:{url}".encode()).hexdigest()[:10]
        if url in text:
            text = text.replace(url, short, 1)
        elif text:
            text = f"{text} {short}"
        else:
            text = short
        links.append((short, url))
    entities = []
    for short, url in links:
        # Each t.co link is unique, so its first match is its place, wherever the URL stood in the text.
        start = text.index(short)
        display = re.sub(r"^https?://(www\.)?", "", url)
        # X shortens long display URLs with an ellipsis.
        display = display if len(display) <= 26 else display[:25] + "…"
        entities.append({"start": start, "end": start + len(short), "url": short, "expanded_url": url,
                         "display_url": display})
    entities.sort(key=lambda entity: entity["start"])
    return text, entities


def _mentions(text: str) -> list[dict]:
    return [{"start": match.start(), "end": match.end(), "username": match.group(1)}
            for match in re.finditer(r"(?<![\w@])@([A-Za-z0-9_]{1,15})", text)]


def _hashtags(text: str) -> list[dict]:
    return [{"start": match.start(), "end": match.end(), "tag": match.group(1)}
            for match in re.finditer(r"(?<![\w#&])#(\w+)", text)]


# Parameters.


@dataclass
class Selection:
    """The fields and expansions that one request names."""

    tweet_fields: list[str]
    user_fields: list[str]
    expansions: list[str]


def _selection(query: dict[str, str], expansions: tuple[str, ...]) -> Selection:
    errors = []
    selection = Selection(*(_collect(errors, _field_list, query, name, allowed) for name, allowed in (
        ("tweet.fields", TWEET_FIELDS), ("user.fields", USER_FIELDS), ("expansions", expansions))))
    if errors:
        raise InvalidRequest(errors)
    return selection


def _collect(errors: list[dict], check, *arguments):
    """Call ``check`` and add the parameter errors it raises to ``errors``, so one 400 lists them all."""
    try:
        return check(*arguments)
    except InvalidRequest as error:
        errors.extend(error.errors)
        return []


def _field_list(query: dict[str, str], name: str, allowed: tuple[str, ...]) -> list[str]:
    if name not in query:
        return []
    values = query[name].split(",")
    if query[name] == "":
        raise InvalidRequest([parameter_error(name, "", f"The `{name}` query parameter can not be empty")])
    for value in values:
        if value not in allowed:
            raise InvalidRequest([parameter_error(
                name, value, f"The `{name}` query parameter value [{value}] is not one of [{','.join(allowed)}]")])
    return values


def _check_parameters(query: dict[str, str], allowed: tuple[str, ...]) -> None:
    errors = [parameter_error(name, value, f"The query parameter [{name}] is not one of [{','.join(allowed)}]")
              for name, value in query.items() if name not in allowed]
    if errors:
        raise InvalidRequest(errors)


def _check_pattern(name: str, value: str, pattern: str) -> None:
    if not re.match(pattern, value):
        raise InvalidRequest([parameter_error(
            name, value, f"The `{name}` query parameter value [{value}] does not match {pattern}")])


def _page_size(query: dict[str, str]) -> int:
    raw = query.get("max_results")
    if raw is None:
        return DEFAULT_PAGE_SIZE
    if not raw.isdigit() or not MIN_PAGE_SIZE <= int(raw) <= MAX_PAGE_SIZE:
        raise InvalidRequest([parameter_error(
            "max_results", raw,
            f"The `max_results` query parameter value [{raw}] is not between {MIN_PAGE_SIZE} and {MAX_PAGE_SIZE}")])
    return int(raw)


def _optional_id(query: dict[str, str], name: str) -> int | None:
    if name not in query:
        return None
    _check_pattern(name, query[name], ID_PATTERN)
    return int(query[name])


def _optional_time(query: dict[str, str], name: str) -> datetime | None:
    if name not in query:
        return None
    raw = query[name]
    try:
        if not TIME_PATTERN.fullmatch(raw):
            raise ValueError(raw)
        moment = _parse_time(raw)
    except ValueError:
        raise InvalidRequest([parameter_error(
            name, raw, f"The `{name}` query parameter value [{raw}] is not a valid RFC 3339 date-time")]) from None
    if moment < EARLIEST_TIME:
        raise InvalidRequest([parameter_error(
            name, raw, f"Invalid '{name}':'{raw}'. '{name}' must be on or after 2010-11-06T00:00Z")])
    return moment


def _exclusions(query: dict[str, str]) -> set[str]:
    if "exclude" not in query:
        return set()
    values = set(query["exclude"].split(","))
    for value in values:
        if value not in ("replies", "retweets"):
            raise InvalidRequest([parameter_error(
                "exclude", value, f"The `exclude` query parameter value [{value}] is not one of [replies,retweets]")])
    return values


def _selected(tweet: dict, since_id: int | None, until_id: int | None, start_time: datetime | None,
              end_time: datetime | None, excluded: set[str]) -> bool:
    """Apply the timeline filters: since_id, until_id and end_time are exclusive, start_time inclusive."""
    tweet_id = int(tweet["id"])
    if since_id is not None and tweet_id <= since_id:
        return False
    if until_id is not None and tweet_id >= until_id:
        return False
    if start_time is not None or end_time is not None:
        created = _created_at(tweet)
        if start_time is not None and created < start_time:
            return False
        if end_time is not None and created >= end_time:
            return False
    types = {reference["type"] for reference in tweet.get("referenced_tweets", [])}
    if "replies" in excluded and "replied_to" in types:
        return False
    if "retweets" in excluded and "retweeted" in types:
        return False
    return True


def _created_at(tweet: dict) -> datetime:
    """Return the tweet's ``created_at``, or the time embedded in its snowflake id when it has none."""
    if "created_at" in tweet:
        return _parse_time(tweet["created_at"])
    milliseconds = (int(tweet["id"]) >> 22) + SNOWFLAKE_EPOCH_MS
    return datetime.fromtimestamp(milliseconds / 1000, UTC)


def _parse_time(text: str) -> datetime:
    return _as_utc(datetime.fromisoformat(text))


def _as_utc(moment: datetime) -> datetime:
    """Read a naive datetime as UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _format_time(moment: datetime | str) -> str:
    moment = _parse_time(moment) if isinstance(moment, str) else _as_utc(moment)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


# Responses.


def _not_found(resource_type: str, parameter: str, value: str, with_resource_id: bool) -> dict:
    """Return a resource-not-found partial error, which X sends with HTTP 200."""
    error = {"value": value, "detail": f"Could not find {resource_type} with {parameter}: [{value}].",
             "title": "Not Found Error", "resource_type": resource_type, "parameter": parameter}
    if with_resource_id:
        error["resource_id"] = value
    error["type"] = PROBLEMS + "resource-not-found"
    return error


def _rename(metrics: dict, names: dict[str, str]) -> dict:
    return {names.get(name, name): value for name, value in metrics.items()}


def _match_route(path: str) -> tuple[str, str]:
    """Return the route template for ``path`` and its path argument (a user id or username)."""
    for pattern, route in ROUTES:
        match = pattern.fullmatch(path)
        if match:
            return route, match.group(1) if match.groups() else ""
    return UNMATCHED_ROUTE, ""


def _handler_for(server: XServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            headers = {name.lower(): value for name, value in self.headers.items()}
            length = int(headers.get("content-length") or 0)
            if length:
                self.rfile.read(length)
            reply = server.respond(XRequest(self.command, unquote(parts.path), query, headers))
            if reply is not None:
                self._send(reply)

        # The fake serves only GET, so other methods get a 404.
        do_POST = do_PUT = do_PATCH = do_DELETE = do_GET

        def _send(self, reply: Reply) -> None:
            data = json.dumps(reply.body).encode()
            try:
                self.send_response(reply.status)
                self.send_header("content-type", "application/json; charset=utf-8")
                self.send_header("content-length", str(len(data)))
                for name, value in server.rate_limit_headers(reply).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError) as error:
                # The client closed the connection, as it does after its read timeout on a "timeout" fault.
                log.debug("could not send the %s response to %s: %s", reply.status, self.path, error)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler
