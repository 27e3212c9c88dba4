"""Read X through API v2 with tweepy: timelines, mentions, users and tweet lookups.

Only the fields the metrics use are requested, 100 tweets per page. Failures
become the exceptions of ``metrics.source``. A 429 from the 15-minute window is
distinguished from a usage cap, 5xx responses and timeouts are retried a few
times with exponential backoff and jitter, and 401 or 403 stop at once.
"""

import logging
import random
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone

import requests
import tweepy

from metrics import usage
from metrics.source import (AccessDenied, AfterRequest, BeforeRequest, Page, RateLimited, SourceError,
                            TokenRejected, UsageCapped, UserInfo, UserNotFound)

logger = logging.getLogger(__name__)

# The maximum number of tweets a timeline, mentions or lookup request returns (X API v2 reference).
PAGE_SIZE = 100
# The minimum max_results of a timeline or mentions request (X API v2 reference).
MIN_PAGE_SIZE = 5
TWEET_FIELDS = ["created_at", "public_metrics", "entities", "referenced_tweets", "in_reply_to_user_id",
                "conversation_id", "lang", "edit_history_tweet_ids", "note_tweet", "author_id"]
USER_FIELDS = ["public_metrics"]
# Retries of a 5xx response or a timeout, and the first pause before one, doubled each time.
RETRIES = 3
BACKOFF_SECONDS = 2.0


class XSource:
    """The X API v2 as a ``metrics.source.Source``.

    ``before_request(kind, most, least)`` runs before each request; it returns
    how many resources the request may ask for, or raises to stop it.
    ``after_request(kind, ids)`` runs after each one, failed ones
    included. A 429 whose reset comes within ``max_wait`` seconds is waited
    out once; a later one raises RateLimited.
    """

    def __init__(self, client: tweepy.Client, *, max_wait: float, before_request: BeforeRequest | None = None,
                 after_request: AfterRequest | None = None, sleep: Callable[[float], None] = time.sleep,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.client = client
        self.max_wait = max_wait
        self.before_request = before_request or (lambda kind, most, least: most)
        self.after_request = after_request or (lambda kind, ids: None)
        self.sleep = sleep
        self.clock = clock or (lambda: datetime.now(timezone.utc))

    def find_user(self, handle: str) -> UserInfo:
        response = self._call(usage.USERS, (1, 1), f"user @{handle}", self.client.get_user, username=handle,
                              user_fields=USER_FIELDS)
        return _user_info(response, f"@{handle}")

    def get_user(self, user_id: int) -> UserInfo:
        response = self._call(usage.USERS, (1, 1), f"user {user_id}", self.client.get_user, id=user_id,
                              user_fields=USER_FIELDS)
        return _user_info(response, f"id {user_id}")

    def user_tweets(self, user_id: int, since_id: int | None, start_time: datetime | None) -> Iterator[Page]:
        return self._pages(usage.OWN_POSTS, f"tweets of user {user_id}", self.client.get_users_tweets,
                           id=user_id, since_id=since_id, start_time=start_time)

    def user_mentions(self, user_id: int, since_id: int | None, start_time: datetime | None) -> Iterator[Page]:
        return self._pages(usage.OTHER_POSTS, f"mentions of user {user_id}", self.client.get_users_mentions,
                           id=user_id, since_id=since_id, start_time=start_time, expansions=["author_id"])

    def lookup_tweets(self, tweet_ids: list[int]) -> Iterator[Page]:
        for start in range(0, len(tweet_ids), PAGE_SIZE):
            batch = tweet_ids[start:start + PAGE_SIZE]
            response = self._call(usage.OWN_POSTS, (len(batch), len(batch)), f"lookup of {len(batch)} tweets",
                                  self.client.get_tweets, ids=batch, tweet_fields=["public_metrics"])
            yield _page(response)

    def _pages(self, kind: str, label: str, method: Callable, **params: object) -> Iterator[Page]:
        """Yield the pages of a timeline, newest first, following ``next_token`` to the end."""
        token = None
        while True:
            response = self._call(kind, (PAGE_SIZE, MIN_PAGE_SIZE), label, method, max_results=PAGE_SIZE,
                                  tweet_fields=TWEET_FIELDS, pagination_token=token, **params)
            yield _page(response)
            token = (response.get("meta") or {}).get("next_token")
            if not token:
                return

    def _call(self, kind: str, size: tuple[int, int], label: str, method: Callable, **params: object) -> dict:
        """Make one request, waiting out a short rate limit once and retrying 5xx responses and timeouts.

        ``size`` is the maximum number of resources the request would return and
        the minimum it can request. A page requests fewer when ``before_request`` allows fewer.
        """
        failures = 0
        waited = False
        while True:
            allowed = self.before_request(kind, *size)
            if "max_results" in params:
                params["max_results"] = max(min(allowed, size[0]), size[1])
            try:
                response = method(**params)
            except tweepy.TooManyRequests as error:
                self.after_request(kind, [])
                reset_at = _reset_time(error)
                if _is_usage_cap(error):
                    raise UsageCapped(f"{label}: the X API usage cap is reached", reset_at) from None
                wait = (reset_at - self.clock()).total_seconds() if reset_at else None
                if waited or wait is None or wait > self.max_wait:
                    raise RateLimited(f"{label}: rate limited by the X API", reset_at) from None
                logger.warning("%s: rate limited; waiting %.0f s for the window to reset", label, max(wait, 0))
                self.sleep(max(wait, 0) + 1)
                waited = True
                continue
            except (tweepy.Unauthorized, tweepy.Forbidden) as error:
                self.after_request(kind, [])
                status = error.response.status_code
                if status == 401 or _is_app_forbidden(error):
                    raise TokenRejected(f"{label}: HTTP {status} {_titles(error)}") from None
                raise AccessDenied(f"{label}: HTTP {status} {_titles(error)}", status) from None
            except (tweepy.TwitterServerError, requests.Timeout, requests.ConnectionError) as error:
                self.after_request(kind, [])
                failures += 1
                if failures > RETRIES:
                    raise SourceError(f"{label}: failed {failures} times, the last with {_describe(error)}. The X API "
                                      "may be down; the next poll tries again") from None
                delay = BACKOFF_SECONDS * 2 ** (failures - 1) * (1 + random.random())
                logger.warning("%s: %s; retry %d of %d in %.1f s", label, _describe(error), failures, RETRIES, delay)
                self.sleep(delay)
                continue
            except tweepy.HTTPException as error:
                self.after_request(kind, [])
                raise SourceError(f"{label}: HTTP {error.response.status_code} {_titles(error)}") from None
            except requests.RequestException as error:
                self.after_request(kind, [])
                raise SourceError(f"{label}: {_describe(error)}") from None
            self.after_request(kind, _resource_ids(response))
            return response


def _page(response: dict) -> Page:
    data = response.get("data") or []
    includes = response.get("includes") or {}
    usernames = {str(user.get("id")): user.get("username") for user in includes.get("users") or []
                 if isinstance(user, dict)}
    return Page(data if isinstance(data, list) else [data], usernames, list(response.get("errors") or []))


def _user_info(response: dict, label: str) -> UserInfo:
    """Read a user object. Raises UserNotFound when X returned only errors, as it does for an unknown user."""
    data = response.get("data")
    if not isinstance(data, dict):
        raise UserNotFound(f"X has no user {label}: it may be suspended, deleted or renamed")
    metrics = data.get("public_metrics") or {}
    tweets = metrics.get("tweet_count", metrics.get("post_count"))
    return UserInfo(int(data["id"]), data["username"], data.get("name"), metrics.get("followers_count"),
                    metrics.get("following_count"), tweets, metrics.get("listed_count"))


def _resource_ids(response: dict) -> list[int]:
    """Return the ids of the resources a response returned: its tweets, or its one user."""
    data = response.get("data")
    if isinstance(data, dict):
        items = [data]
    elif isinstance(data, list):
        items = data
    else:
        items = []
    return [int(item["id"]) for item in items if isinstance(item, dict) and str(item.get("id", "")).isdigit()]


def _reset_time(error: tweepy.TooManyRequests) -> datetime | None:
    reset = error.response.headers.get("x-rate-limit-reset")
    try:
        return datetime.fromtimestamp(int(reset), timezone.utc) if reset else None
    except (TypeError, ValueError, OverflowError):
        return None


def _is_usage_cap(error: tweepy.TooManyRequests) -> bool:
    """Tell a usage cap from the 15-minute limit: its body's type ends in usage-capped or its title names it."""
    try:
        body = error.response.json()
    except ValueError:
        return False
    problems = [body, *(body.get("errors") or [])] if isinstance(body, dict) else []
    return any(str(problem.get("type", "")).endswith("/usage-capped") or problem.get("title") == "UsageCapExceeded"
               for problem in problems if isinstance(problem, dict))


def _is_app_forbidden(error: tweepy.HTTPException) -> bool:
    """Tell a 403 for the whole app (client-forbidden, such as an app outside a project) from one for an account."""
    return any(str(problem.get("type", "")).endswith("/client-forbidden") for problem in _problems(error))


def _titles(error: tweepy.HTTPException) -> str:
    """Return the problem titles of an error response, such as "Unauthorized", for a log line."""
    titles = [str(problem.get("title")) for problem in _problems(error) if problem.get("title")]
    return ", ".join(titles) or error.response.reason or ""


def _problems(error: tweepy.HTTPException) -> list[dict]:
    try:
        body = error.response.json()
    except ValueError:
        return []
    if not isinstance(body, dict):
        return []
    return [body, *[problem for problem in body.get("errors") or [] if isinstance(problem, dict)]]


def _describe(error: Exception) -> str:
    if isinstance(error, tweepy.HTTPException):
        return f"HTTP {error.response.status_code}"
    return type(error).__name__


def backfill_start(now: datetime, days: int) -> datetime:
    """Return where a first poll starts: ``days`` before now, to the second, as X expects."""
    return (now - timedelta(days=days)).replace(microsecond=0)
