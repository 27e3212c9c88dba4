"""The summary an import returns, and the progress interface it drives."""

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol


class ProgressReporter(Protocol):
    """A progress display: ``start`` with the total bytes to read, then ``advance`` as they are read."""

    def start(self, total: int, label: str) -> None: ...

    def advance(self, amount: int) -> None: ...


@dataclass
class ImportSummary:
    """The counts of what an import read, wrote and skipped, for the message at its end."""

    path: str
    source: str
    generation: str
    account: str = ""
    kinds: Counter = field(default_factory=Counter)
    mentions: int = 0
    questions: int = 0
    new_tweets: int = 0
    new_mentions: int = 0
    first: str | None = None
    last: str | None = None
    followers: int | None = None
    following: int | None = None
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    @property
    def tweets(self) -> int:
        return sum(self.kinds.values())

    def include_time(self, created_at: str) -> None:
        if self.first is None or created_at < self.first:
            self.first = created_at
        if self.last is None or created_at > self.last:
            self.last = created_at
