"""The report model: one account's figures for a period and the period before.

The CLI's text, JSON and CSV output and the Slack messages all render this one
model, so every interface shows the same numbers.
"""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

import sqlite_utils

from metrics import figures
from metrics.accounts import Account
from metrics.periods import Period


@dataclass
class Figures:
    since: datetime
    until: datetime
    label: str
    tweets: figures.TweetCounts
    links: figures.LinkFigures
    hashtags: list[figures.TagCount]
    engagement: figures.Engagement
    responsiveness: figures.Responsiveness
    audience: figures.Audience
    strategy: figures.Strategy
    top_tweets: list[figures.TopTweet]

    def to_dict(self) -> dict:
        """Return the figures as JSON-ready data; ``until`` is excluded, ``last_day`` is the last day included."""
        data = asdict(self)
        data["since"] = self.since.isoformat()
        data["until"] = self.until.isoformat()
        data["last_day"] = (self.until.date() - timedelta(days=1)).isoformat()
        return data


@dataclass
class Report:
    account: Account
    current: Figures
    previous: Figures
    generated_at: datetime
    data_until: datetime | None
    updated_at: datetime | None = None
    updated_by: str | None = None

    @property
    def beyond_data(self) -> bool:
        """Whether the period runs past the stored data, so its last days show no activity."""
        return self.data_until is None or self.current.until > self.data_until

    def to_dict(self) -> dict:
        """Return the report as JSON-ready data: counts as integers, rates as fractions from 0 to 1."""
        data = {"account": "@" + self.account.handle, "own_domains": list(self.account.own_domains)}
        data.update(self.current.to_dict())
        data["previous"] = self.previous.to_dict()
        data["data_until"] = self.data_until.isoformat() if self.data_until else None
        data["updated_at"] = self.updated_at.isoformat() if self.updated_at else None
        data["updated_by"] = self.updated_by
        data["generated_at"] = self.generated_at.isoformat(timespec="seconds")
        return data


def build_report(db: sqlite_utils.Database, account: Account, period: Period) -> Report:
    """Compute every figure for the period and for the period before it."""
    stored_until = figures.data_until(db, account.id)
    update = figures.last_update(db, account.id)
    return Report(
        account=account,
        current=compute_figures(db, account, period),
        previous=compute_figures(db, account, period.previous()),
        generated_at=datetime.now(timezone.utc),
        data_until=_utc(stored_until),
        updated_at=_utc(update[0]) if update else None,
        updated_by=update[1] if update else None,
    )


def _utc(text: str | None) -> datetime | None:
    """Read the store's UTC text (``2026-11-30T06:00:00Z``) as an aware datetime."""
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def find_top_tweets(db: sqlite_utils.Database, account: Account, period: Period, limit: int) -> list[figures.TopTweet]:
    """Return the account's own tweets of the period with the most engagement, the best first."""
    since, until = period.utc_bounds()
    return figures.top_tweets(db, {"account": account.id, "since": since, "until": until}, account.handle, limit)


def compute_figures(db: sqlite_utils.Database, account: Account, period: Period) -> Figures:
    since, until = period.utc_bounds()
    params = {"account": account.id, "since": since, "until": until}
    counts = figures.count_tweets(db, params)
    links = figures.link_figures(db, params)
    return Figures(
        since=period.start(),
        until=period.end(),
        label=period.label,
        tweets=counts,
        links=links,
        hashtags=figures.top_hashtags(db, params),
        engagement=figures.engagement(db, params),
        responsiveness=figures.responsiveness(db, params),
        audience=figures.audience(db, params),
        strategy=figures.strategy(counts, links),
        top_tweets=figures.top_tweets(db, params, account.handle),
    )
