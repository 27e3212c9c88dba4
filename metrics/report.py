"""The report model: one account's figures for a period and the period before.

The CLI's text, JSON and CSV output and the Slack messages all render this one
model, so every interface shows the same numbers.
"""

from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta, timezone

import sqlite_utils

from metrics import figures
from metrics.accounts import Account
from metrics.goal_store import targets_in_force
from metrics.goals import MONTH_DAYS, SPECS, GoalResult, judge
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
    goals: list[GoalResult] = field(default_factory=list)

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
        data["goals"] = [goal.to_dict() for goal in self.goals]
        return data


def build_report(db: sqlite_utils.Database, account: Account, period: Period) -> Report:
    """Compute every figure for the period and for the period before it."""
    stored_until = figures.data_until(db, account.id)
    update = figures.last_update(db, account.id)
    current = compute_figures(db, account, period)
    previous = compute_figures(db, account, period.previous())
    stored = (figures.data_since(db, account.id), stored_until)
    return Report(
        account=account,
        current=current,
        previous=previous,
        generated_at=datetime.now(timezone.utc),
        data_until=_utc(stored_until),
        updated_at=_utc(update[0]) if update else None,
        updated_by=update[1] if update else None,
        goals=judge_goals(targets_in_force(db, account.id, period.end()), goal_values(current, stored),
                          goal_values(previous, stored)),
    )


def judge_goals(targets: dict[str, float], values: dict[str, float | None],
                earlier: dict[str, float | None]) -> list[GoalResult]:
    """Judge each goal in ``targets`` by the period's figure, with its trend since the period before's."""
    return [judge(SPECS[name], target, values[name], earlier[name]) for name, target in targets.items()]


def goal_values(current: Figures, stored: tuple[str | None, str | None]) -> dict[str, float | None]:
    """Return the figure each goal judges, for one period; None where the data cannot give it.

    ``stored`` is the time of the account's earliest stored data and the time
    the stored data reaches (``figures.data_since`` and ``figures.data_until``).
    A period outside them has no tweets only because none were stored, so its
    tweets per week are None rather than a missed 0.
    """
    days = (current.until.date() - current.since.date()).days
    responsiveness, strategy = current.responsiveness, current.strategy
    tweets_per_week = current.tweets.total * 7 / days if days and covers(stored, current) else None
    return {
        "response_rate": responsiveness.response_rate,
        "median_response_minutes": responsiveness.median_response_minutes,
        "unanswered_after_day": responsiveness.unanswered_after_day,
        "linking_share": strategy.linking,
        "listening_share": strategy.listening,
        "promoting_share": strategy.promoting,
        "tweets_per_week": tweets_per_week,
        "engagement_per_tweet": _engagement_per_tweet(current),
        "followers_growth_per_month": _monthly_growth(current.audience, days),
    }


def covers(stored: tuple[str | None, str | None], current: Figures) -> bool:
    """Return whether the stored data, from its earliest time to the time it reaches, overlaps the period."""
    earliest, reaches = stored
    if earliest is None or reaches is None:
        return False
    return _utc(earliest) < current.until and _utc(reaches) > current.since


def _engagement_per_tweet(current: Figures) -> float | None:
    """Return likes, retweets, replies and quotes received per own tweet, over the figures the sources gave."""
    engagement = current.engagement
    known = [part for part in (engagement.likes, engagement.retweets, engagement.replies, engagement.quotes)
             if part is not None]
    if not known or not current.tweets.own:
        return None
    return sum(known) / current.tweets.own


def _monthly_growth(audience: figures.Audience, days: int) -> float | None:
    """Return the follower change as a share of the followers at the start, scaled to an average month."""
    if audience.followers is None or audience.followers_change is None or not days:
        return None
    start = audience.followers - audience.followers_change
    if start <= 0:
        return None
    return audience.followers_change / start * MONTH_DAYS / days


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
