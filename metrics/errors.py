"""Exceptions that carry a message fit to show a user as it is."""


class TweetstatsError(Exception):
    """Base class: the message names the value at fault and what to do next."""


class StoreError(TweetstatsError):
    """The database file cannot be opened, read or migrated."""


class InputError(TweetstatsError):
    """An archive, tweets file or twarc file cannot be imported."""

    def __init__(self, path: str, problem: str, fix: str = "") -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        message = f"{path}: {problem}"
        if fix:
            message += f". {fix}"
        super().__init__(message)

    def __reduce__(self) -> tuple:
        # Rebuilt from its parts when it crosses from the parser process.
        return (InputError, (self.path, self.problem, self.fix))


class AccountConflict(TweetstatsError):
    """Tweets being written are already stored for another account."""

    def __init__(self, other_handle: str, count: int) -> None:
        self.other_handle = other_handle
        self.count = count
        super().__init__(f"{count} of these tweets are already stored for @{other_handle}")

    def __reduce__(self) -> tuple:
        return (AccountConflict, (self.other_handle, self.count))


class UsageError(TweetstatsError):
    """A request names an unknown account, a bad period or an empty store."""
