"""Keep the store fresh from a network source, reading each tweet once.

One cycle polls every tracked account: its new tweets and mentions since the
stored cursors, its follower counts, and once per UTC day the public metrics
of its recent tweets. Each stream is read to its end before anything is
written, then its tweets and its cursor are written in one transaction, so a
crash at any moment leaves the store as it was before that stream or after it.
"""

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from filelock import FileLock, Timeout

from metrics import pollstate, usage, writer
from metrics.accounts import Account, load_account, update_account
from metrics.api_tweet import SkippedTweet, tweet_from_api
from metrics.errors import TweetstatsError
from metrics.questions import classify_mention
from metrics.source import (AccessDenied, Page, PollStopped, RateLimited, Source, SourceError, TokenRejected,
                            UsageCapped, UserNotFound)
from metrics.store import Store
from metrics.tweets import Tweet, format_time

logger = logging.getLogger(__name__)

SOURCE = "poll"
PAUSED_UNTIL = "paused_until"
# The stop and its notice are named with the account id; pollstate.resume_account deletes both.
STOPPED = "stopped:"
REFRESHED = "refreshed:"
NOTICE = "notice:"

# Sends a message to the team's admin channel and returns whether it was sent. The poller
# sends each notice once, and tries again at the next notice while none was sent.
Notify = Callable[[str], bool]
TOKEN_NOTICE = "token"


class PollerBusy(TweetstatsError):
    """Another process is polling the same store."""


class BudgetReached(SourceError):
    """The next request could take the month's reads past TWEETSTATS_MONTHLY_READ_BUDGET."""


@dataclass(frozen=True)
class PollSettings:
    interval_minutes: int = 15
    backfill_days: int = 7
    refresh_days: int = 7
    monthly_read_budget: int | None = None
    prices: dict[str, float] = field(default_factory=lambda: dict(usage.DEFAULT_PRICES))


@dataclass
class AccountResult:
    handle: str
    new_tweets: int = 0
    new_mentions: int = 0
    refreshed: int = 0
    error: str | None = None


@dataclass
class CycleResult:
    accounts: list[AccountResult] = field(default_factory=list)
    requests: int = 0
    reads: int = 0
    # Reads of resources not read before on the same UTC day, which X bills.
    billed: int = 0
    # Why the cycle stopped early (a rate limit, a usage cap, the budget), if it did.
    stopped: str | None = None


@contextmanager
def poll_lock(db_path: Path) -> Iterator[None]:
    """Hold the store's poll lock. Raises PollerBusy at once when another process has it.

    The lock is a file beside the store. The operating system releases it when
    the process that took it ends, even when killed.
    """
    lock = FileLock(f"{db_path}.poll-lock")
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise PollerBusy(f"another tweetstats process is polling {db_path}; this one leaves it to that one") from None
    try:
        yield
    finally:
        lock.release()


class Poller:
    """Poll the store's tracked accounts from ``source``.

    The poller sets the source's ``before_request`` and ``after_request`` hooks
    to count usage in the store and to enforce the monthly read budget.
    ``notify`` sends a notice to the admin channel; ``clock`` returns the
    current UTC time.
    """

    def __init__(self, store: Store, source: Source, settings: PollSettings, notify: Notify | None = None,
                 clock: Callable[[], datetime] | None = None) -> None:
        self.store = store
        self.source = source
        self.settings = settings
        self.notify = notify or (lambda message: False)
        self.clock = clock or (lambda: datetime.now(timezone.utc))
        self.result = CycleResult()
        source.before_request = self._check_budget
        source.after_request = self._count_request

    def poll_cycle(self) -> CycleResult:
        """Poll every tracked account once. Stops early on a rate limit, a usage cap or the read budget.

        Each account's mentions are linked to the account's replies only where
        new data arrived, so a poll with nothing new rewrites no mention.
        """
        self.result = CycleResult()
        paused = pollstate.read_state(self.store.db, PAUSED_UNTIL)
        if paused and paused > self._now_text():
            self.result.stopped = f"polling is paused until {paused} (X API usage cap)"
            logger.info("poll skipped: %s", self.result.stopped)
            return self.result
        for account_id in pollstate.tracked_accounts(self.store.db):
            account = load_account(self.store.db, account_id)
            outcome = AccountResult(account.handle)
            self.result.accounts.append(outcome)
            stopped = pollstate.read_state(self.store.db, STOPPED + str(account.id))
            if stopped:
                outcome.error = (f"not polled since {stopped}; 'tweetstats accounts add @{account.handle}' "
                                 "polls it again")
                logger.info("@%s is not polled: %s", account.handle, stopped)
                continue
            if not self._poll_safely(account, outcome):
                outcome.error = self.result.stopped
                break
        if self.result.stopped is None and any(outcome.error is None for outcome in self.result.accounts):
            self._clear_notice(TOKEN_NOTICE)
        self._log_cycle()
        return self.result

    def _poll_safely(self, account: Account, outcome: AccountResult) -> bool:
        """Poll one account; return False when the whole cycle must stop."""
        try:
            self.poll_account(account, outcome)
        except PollStopped as error:
            self.result.stopped = str(error)
            return False
        except RateLimited as error:
            resumes = format_time(error.reset_at) if error.reset_at else "the next cycle"
            self.result.stopped = f"@{account.handle}: {error}; polling resumes at {resumes}"
            logger.warning("poll stopped: %s", self.result.stopped)
            return False
        except TokenRejected as error:
            self.result.stopped = f"@{account.handle}: {error}"
            self._notice(TOKEN_NOTICE, f"tweetstats cannot read X: {self.result.stopped}. X rejected "
                         "X_BEARER_TOKEN or the app: copy the app's Bearer Token again from the X developer "
                         "portal, and check that the app belongs to a project. Polling goes on by itself once "
                         "the token works.")
            return False
        except UsageCapped as error:
            until = error.reset_at or self.clock() + timedelta(days=1)
            with self.store.write() as db:
                pollstate.write_state(db, PAUSED_UNTIL, format_time(until), self._now_text())
            self.result.stopped = f"@{account.handle}: {error}; polling is paused until {format_time(until)}"
            self._notice(f"usage-cap:{until:%Y-%m-%d}", f"tweetstats stopped polling X: {self.result.stopped}. "
                         "Raise the plan's cap or wait for it to reset.")
            return False
        except BudgetReached as error:
            self.result.stopped = str(error)
            self._notice(f"budget:{self.clock():%Y-%m}", f"tweetstats stopped polling X for this month: {error}. "
                         "Raise TWEETSTATS_MONTHLY_READ_BUDGET to resume.")
            return False
        except AccessDenied as error:
            outcome.error = str(error)
            with self.store.write() as db:
                pollstate.write_state(db, STOPPED + str(account.id), f"{self._now_text()} ({error})",
                                      self._now_text())
            self._notice(f"denied:{account.id}", f"tweetstats stopped polling @{account.handle}: {error}. Check "
                         "X_BEARER_TOKEN and the account's visibility, then run 'tweetstats accounts add "
                         f"@{account.handle}' or /tweetstats track @{account.handle} to poll it again.")
        except UserNotFound as error:
            outcome.error = (f"{error}. Check the handle, or stop tracking it with 'tweetstats accounts remove "
                             f"@{account.handle}'")
            logger.error("@%s: %s", account.handle, outcome.error)
        except SourceError as error:
            outcome.error = str(error)
            logger.error("@%s: %s", account.handle, error)
        return True

    def poll_account(self, account: Account, outcome: AccountResult) -> None:
        """Read and store one account's new tweets, mentions and follower counts, then refresh its metrics."""
        started = self.clock()
        if account.user_id is None:
            user = self.source.find_user(account.handle)
            with self.store.write() as db:
                account = update_account(db, account, user.id, user.name)
        outcome.new_tweets = self._poll_tweets(account, started)
        outcome.new_mentions = self._poll_mentions(account, started)
        self._record_followers(account, started)
        outcome.refreshed = self._refresh_metrics(account, started)

    def _poll_tweets(self, account: Account, started: datetime) -> int:
        since_id = pollstate.read_cursor(self.store.db, account, pollstate.TWEETS_CURSOR)
        start_time = None if since_id else self._backfill_start(started)
        tweets, newest = self._read_stream(self.source.user_tweets(account.user_id, since_id, start_time), account)
        own = [tweet for tweet in tweets if tweet.author_id in (None, account.user_id)]
        moment = format_time(started)
        with self.store.write() as db:
            before, _ = writer.count_stored(db, account)
            edited = [tweet for tweet in own if tweet.edit_group is not None]
            pollstate.drop_earlier_versions(db, account, [version for tweet in edited
                                                          for version in tweet.edit_ids if version != tweet.id])
            writer.write_tweets(db, account, [tweet for tweet in own if tweet.edit_group is None], SOURCE)
            writer.write_latest_versions(db, account, edited, SOURCE)
            pollstate.mark_metrics_read(db, [tweet.id for tweet in own], moment)
            writer.link_new_answers(db, account)
            self._move_cursor(db, account, pollstate.TWEETS_CURSOR, newest, moment)
            after, _ = writer.count_stored(db, account)
        return after - before

    def _poll_mentions(self, account: Account, started: datetime) -> int:
        since_id = pollstate.read_cursor(self.store.db, account, pollstate.MENTIONS_CURSOR)
        start_time = None if since_id else self._backfill_start(started)
        stream = self.source.user_mentions(account.user_id, since_id, start_time)
        mentions, newest = self._read_stream(stream, account)
        moment = format_time(started)
        with self.store.write() as db:
            _, before = writer.count_stored(db, account)
            for tweet in mentions:
                own = tweet.author_id == account.user_id
                decision = classify_mention(tweet.text, is_retweet=tweet.is_retweet, is_own=own)
                writer.write_mention(db, account, tweet, decision.is_question, decision.reason, SOURCE)
            writer.link_new_answers(db, account)
            if start_time is not None:
                coverage_start = format_time(start_time)
            else:
                coverage_start = pollstate.coverage_end(db, account, SOURCE) or moment
            pollstate.extend_coverage(db, account, coverage_start, moment, SOURCE)
            self._move_cursor(db, account, pollstate.MENTIONS_CURSOR, newest, moment)
            _, after = writer.count_stored(db, account)
        return after - before

    def _read_stream(self, pages: Iterator[Page], account: Account) -> tuple[list[Tweet], int | None]:
        """Read every page of a stream. Returns its tweets and the newest id, logging what it skipped."""
        tweets: list[Tweet] = []
        newest = None
        for page in pages:
            for fields in page.tweets:
                try:
                    tweet = tweet_from_api(fields, page.usernames)
                except SkippedTweet as error:
                    logger.warning("@%s: skipped an unreadable tweet: %s", account.handle, error)
                    continue
                tweets.append(tweet)
                newest = max(newest or 0, tweet.id)
            _log_partial_errors(account, page.errors)
        return tweets, newest

    def _move_cursor(self, db, account: Account, name: str, newest: int | None, moment: str) -> None:
        if newest is not None:
            pollstate.write_cursor(db, account, name, newest, moment)
        else:
            pollstate.touch_cursor(db, account, name, moment)

    def _record_followers(self, account: Account, started: datetime) -> None:
        """Store a follower snapshot when the counts changed or the last one is from an earlier UTC day."""
        user = self.source.get_user(account.user_id)
        counts = {"followers": user.followers, "following": user.following, "tweets": user.tweets,
                  "listed": user.listed}
        latest = pollstate.latest_snapshot(self.store.db, account)
        moment = format_time(started)
        if latest and latest[0][:10] == moment[:10] and tuple(latest[1:]) == tuple(counts.values()):
            return
        with self.store.write() as db:
            writer.write_follower_snapshot(db, account, moment, counts, SOURCE)

    def _refresh_metrics(self, account: Account, started: datetime) -> int:
        """Read again, once per UTC day, the public metrics of tweets younger than TWEETSTATS_REFRESH_DAYS."""
        days = self.settings.refresh_days
        today = started.date()
        state = REFRESHED + str(account.id)
        if days <= 0 or pollstate.read_state(self.store.db, state) == today.isoformat():
            return 0
        since = format_time(started - timedelta(days=days))
        ids = pollstate.tweets_to_refresh(self.store.db, account, since, today)
        rows = []
        for page in self.source.lookup_tweets(ids):
            for fields in page.tweets:
                metrics = fields.get("public_metrics") or {}
                rows.append((metrics.get("like_count"), metrics.get("retweet_count", metrics.get("repost_count")),
                             metrics.get("reply_count"), metrics.get("quote_count"), metrics.get("impression_count"),
                             int(fields["id"])))
            _log_partial_errors(account, page.errors)
        with self.store.write() as db:
            pollstate.update_metrics(db, rows, format_time(started))
            pollstate.write_state(db, state, today.isoformat(), format_time(started))
        return len(rows)

    def _backfill_start(self, started: datetime) -> datetime:
        return (started - timedelta(days=self.settings.backfill_days)).replace(microsecond=0)

    def _check_budget(self, kind: str, maximum: int, minimum: int) -> int:
        """Return how many resources the next request may request within the month's read budget.

        Raises BudgetReached when even its ``minimum`` would exceed the budget.
        """
        budget = self.settings.monthly_read_budget
        if budget is None:
            return maximum
        remaining = budget - usage.month_usage(self.store.db, self.clock().date()).total_billed
        if remaining < minimum:
            raise BudgetReached(f"{budget - remaining:,} of the {budget:,} billed reads of this month's budget are "
                                f"used, and the next request needs room for {minimum}")
        return min(maximum, remaining)

    def _count_request(self, kind: str, resource_ids: list[int]) -> None:
        self.result.requests += 1
        self.result.reads += len(resource_ids)
        with self.store.write() as db:
            self.result.billed += usage.record_request(db, self.clock().date(), kind, resource_ids)

    def _notice(self, key: str, message: str) -> None:
        """Log a notice, and send it to the admin channel unless it was sent before."""
        logger.warning("%s", message)
        name = NOTICE + key
        if pollstate.read_state(self.store.db, name) is not None:
            return
        try:
            sent = self.notify(message)
        except Exception:
            logger.exception("sending the notice %s to the admin channel failed", key)
            return
        if sent:
            with self.store.write() as db:
                pollstate.write_state(db, name, message, self._now_text())

    def _clear_notice(self, key: str) -> None:
        """Forget that a notice was sent, once its cause has gone, so that it is sent again if it comes back."""
        if pollstate.read_state(self.store.db, NOTICE + key) is not None:
            with self.store.write() as db:
                pollstate.delete_state(db, NOTICE + key)

    def _now_text(self) -> str:
        return format_time(self.clock())

    def _log_cycle(self) -> None:
        tweets = sum(outcome.new_tweets for outcome in self.result.accounts)
        mentions = sum(outcome.new_mentions for outcome in self.result.accounts)
        logger.info("poll: %d accounts, %d new tweets, %d new mentions, %d requests, %d reads (%d billed)",
                    len(self.result.accounts), tweets, mentions, self.result.requests, self.result.reads,
                    self.result.billed)


def _log_partial_errors(account: Account, errors: list[dict]) -> None:
    """Log the errors X returned beside good data: their titles and resource ids, never text."""
    for problem in errors:
        logger.warning("@%s: X reported %s for %s %s", account.handle, problem.get("title", "an error"),
                       problem.get("resource_type", "resource"), problem.get("resource_id") or problem.get("value"))
