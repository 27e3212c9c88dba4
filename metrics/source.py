"""The interface between the poller and a social network: what it reads, and how reading fails.

``metrics.xsource.XSource`` implements it for X. Another network would add a
module beside it with the same methods, because the poller uses only this interface.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    name: str | None
    followers: int | None
    following: int | None
    tweets: int | None
    listed: int | None


@dataclass
class Page:
    """One page of tweets, with the usernames of their authors and the errors returned beside them."""

    tweets: list[dict]
    usernames: dict[str, str] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)


class SourceError(Exception):
    """Reading failed. The message names the request and the status, never a token or a tweet's text."""


class RateLimited(SourceError):
    """The 15-minute request window is used up until ``reset_at``."""

    def __init__(self, message: str, reset_at: datetime | None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class TokenRejected(SourceError):
    """HTTP 401, or a 403 for the whole app: the token or the app cannot read anything, whichever the account."""


class UsageCapped(SourceError):
    """The plan's monthly usage cap is reached; waiting for the window's reset does not lift it."""

    def __init__(self, message: str, reset_at: datetime | None) -> None:
        super().__init__(message)
        self.reset_at = reset_at


class AccessDenied(SourceError):
    """HTTP 401 or 403: the token, the plan or the account does not allow the request."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


class PollStopped(SourceError):
    """The process is stopping, so a wait was cut short."""


class UserNotFound(SourceError):
    """The network has no user with this handle or id (it may be suspended or renamed)."""


# Called before each request with its kind, the most resources it would return and the fewest it
# can ask for. Returns how many it may ask for, or raises to stop reading, for example when the
# monthly read budget would be exceeded.
BeforeRequest = Callable[[str, int, int], int]
# Called after each request with its kind and the ids of the resources it returned.
AfterRequest = Callable[[str, list[int]], None]


class Source(Protocol):
    """A network the poller reads. Every method raises SourceError or one of its subclasses.

    The poller sets the two hooks to count usage and to enforce the read budget.
    """

    before_request: BeforeRequest
    after_request: AfterRequest

    def find_user(self, handle: str) -> UserInfo: ...

    def get_user(self, user_id: int) -> UserInfo: ...

    def user_tweets(self, user_id: int, since_id: int | None, start_time: datetime | None) -> Iterator[Page]: ...

    def user_mentions(self, user_id: int, since_id: int | None, start_time: datetime | None) -> Iterator[Page]: ...

    def lookup_tweets(self, tweet_ids: list[int]) -> Iterator[Page]: ...
