"""The ``tweetstats`` command line: import archives, list accounts, print reports."""

import logging
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import click
from dotenv import find_dotenv, load_dotenv

from bot.cli_options import period_options
from metrics import accounts as account_store
from metrics import periods
from metrics.errors import TweetstatsError, UsageError
from metrics.importer import import_path
from metrics.store import Store
from metrics.summary import ImportSummary

# rich and the report renderers are imported inside the commands that print
# tables, so that `tweetstats import` starts without them.

DEFAULT_DB = "tweetstats.db"
DEMO_DB = "tweetstats-demo.db"


class TweetstatsGroup(click.Group):
    """A click group that turns errors into one line on stderr and exit status 1, never a traceback."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except TweetstatsError as error:
            _fail(ctx, str(error))
        except sqlite3.OperationalError as error:
            _fail(ctx, f"the database {ctx.obj} could not be used ({error}). If another tweetstats command is "
                       "writing to it, try again when it finishes; otherwise check the file's permissions and free disk space")
        except BrokenPipeError:
            # The reader of stdout went away (as with `| head`): nothing is left to print to, and nothing is wrong.
            _silence_stdout()
            ctx.exit(0)
        except OSError as error:
            _fail(ctx, f"{error.filename or 'a file'}: {error.strerror or error}. Check the path, its permissions "
                       "and free disk space")
        except KeyboardInterrupt:
            click.echo("Interrupted: the step in progress was rolled back, so the store holds no part of it.",
                       err=True)
            ctx.exit(130)


def _silence_stdout() -> None:
    """Point stdout at the null device, so that flushing it at exit raises no second BrokenPipeError."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _fail(ctx: click.Context, message: str) -> None:
    click.echo(f"Error: {message}", err=True)
    ctx.exit(1)


@click.group(cls=TweetstatsGroup)
@click.option("--db", "db_path", envvar="TWEETSTATS_DB", default=DEFAULT_DB, show_default=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="SQLite database file to use (environment variable TWEETSTATS_DB).")
@click.option("-v", "--verbose", is_flag=True, help="Log progress at INFO level on stderr.")
@click.version_option(package_name="tweetstats")
@click.pass_context
def cli(ctx: click.Context, db_path: Path, verbose: bool) -> None:
    """Measure whether a library's X (Twitter) account listens, answers and links."""
    logging.basicConfig(level=logging.INFO if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    ctx.obj = db_path


@cli.command(name="import", short_help="Import an archive, a tweets.js or a twarc2 file.")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--account", "handle", metavar="@HANDLE",
              help="Account the tweets belong to; required when the file does not say (a lone tweets file).")
@click.pass_obj
def import_command(db_path: Path, path: Path, handle: str | None) -> None:
    """Import an X archive zip or folder, a tweets.js file, or a twarc2 JSONL file.

    Importing the same data again changes nothing. On any error nothing is written.
    """
    progress = _progress_reporter()
    try:
        with open_store(db_path) as store:
            summary = import_path(store, path, handle, progress=progress)
    finally:
        if progress is not None:
            progress.progress.stop()
    print_summary(summary)


@cli.command(short_help="Print an account's figures beside the period before.")
@period_options("to report")
@click.option("--format", "output_format", type=click.Choice(["text", "json", "csv"]), default="text",
              show_default=True, help="Output: a table for the terminal, JSON, or CSV for a spreadsheet.")
@click.pass_obj
def report(db_path: Path, handle: str | None, period: str | None, since: str | None, until: str | None,
           output_format: str) -> None:
    """Print the figures for one account and period, beside the period before.

    Periods are days at 00:00 in TWEETSTATS_TIMEZONE (default UTC). 7d, 30d and 90d
    end today; week, month, quarter and year mean the last full calendar one.
    """
    from rich.console import Console

    from bot import render
    from metrics.report import build_report

    chosen = choose_period(period, since, until, periods.report_zone())
    with open_store(db_path, must_exist=True) as store:
        account = account_store.require_account(store.db, handle)
        result = build_report(store.db, account, chosen)
    if output_format == "json":
        click.echo(render.render_json(result))
    elif output_format == "csv":
        click.echo(render.render_csv(result), nl=False)
    else:
        render.render_text(result, Console())


@cli.group(invoke_without_command=True, short_help="List accounts, or add, remove, set or delete one.")
@click.pass_context
def accounts(ctx: click.Context) -> None:
    """List accounts; 'accounts add' and 'accounts remove' track them, 'set' and 'delete' change them."""
    if ctx.invoked_subcommand is None:
        with open_store(ctx.obj, must_exist=True) as store:
            listed = account_store.list_accounts(store.db)
        if not listed:
            click.echo("No accounts yet: run 'tweetstats import ARCHIVE.zip' first.")
        for account in listed:
            domains = ", ".join(account.own_domains) or "none (set with 'tweetstats accounts set')"
            tracked = "tracked" if account.tracked else "not tracked"
            click.echo(f"@{account.handle}  {account.display_name or ''}  {tracked}  own domains: {domains}")


@accounts.command(name="set", short_help="Set an account's own website domains.")
@click.argument("handle", metavar="@HANDLE")
@click.option("--own-domain", "add_domains", multiple=True, metavar="DOMAIN",
              help="Add a domain of the account's own website; its subdomains count too. Repeatable.")
@click.option("--remove-own-domain", "remove_domains", multiple=True, metavar="DOMAIN",
              help="Stop counting a domain as the account's own website. Repeatable.")
@click.pass_obj
def set_account(db_path: Path, handle: str, add_domains: tuple[str, ...], remove_domains: tuple[str, ...]) -> None:
    """Set which website domains are an account's own, for the own-site and external link figures."""
    if not add_domains and not remove_domains:
        raise UsageError("nothing to set: add --own-domain DOMAIN or --remove-own-domain DOMAIN")
    with open_store(db_path, must_exist=True) as store:
        with store.write() as db:
            account = account_store.require_account(db, handle)
            for domain in add_domains:
                account = account_store.add_own_domain(db, account, domain)
            for domain in remove_domains:
                account = account_store.remove_own_domain(db, account, domain)
        unused = [domain for domain in add_domains if not account_store.count_links_to(store.db, account, domain)]
    click.echo(f"@{account.handle} own domains: {', '.join(account.own_domains) or 'none'}")
    for domain in unused:
        click.echo(f"Warning: no stored tweet of @{account.handle} links to {account_store.parse_domain(domain)} "
                   "yet. Check the spelling if you expected some.", err=True)


@accounts.command(name="add", short_help="Track an account, so that the poller reads it from X.")
@click.argument("handle", metavar="@HANDLE")
@click.pass_obj
def add_account(db_path: Path, handle: str) -> None:
    """Track an account: the poller reads its tweets, mentions and followers from X, as /tweetstats track does."""
    from metrics import pollstate

    with open_store(db_path) as store, store.write() as db:
        account, change = account_store.track_account(db, handle)
        resumed = pollstate.resume_account(db, account)
    messages = {"added": "is now tracked", "resumed": "is tracked again", "unchanged": "was already tracked"}
    if resumed:
        click.echo(f"@{account.handle} was stopped after an X API error; the poller reads it again from its next "
                   "cycle.")
    else:
        click.echo(f"@{account.handle} {messages[change]}.")


@accounts.command(name="remove", short_help="Stop tracking an account; its history stays.")
@click.argument("handle", metavar="@HANDLE")
@click.pass_obj
def remove_account(db_path: Path, handle: str) -> None:
    """Stop reading an account from X, as /tweetstats untrack does. Its stored history stays for reports."""
    with open_store(db_path, must_exist=True) as store, store.write() as db:
        account = account_store.require_account(db, handle)
        account_store.untrack_account(db, account)
    click.echo(f"@{account.handle} is no longer tracked; 'tweetstats accounts delete' removes its history too.")


@accounts.command(name="delete", short_help="Delete an account and everything stored for it.")
@click.argument("handle", metavar="@HANDLE")
@click.option("--yes", is_flag=True, help="Delete without asking for confirmation.")
@click.pass_obj
def delete_account(db_path: Path, handle: str, yes: bool) -> None:
    """Delete an account and everything stored for it: tweets, mentions and follower counts.

    Use it to undo an import filed under a mistaken handle.
    """
    from metrics import writer

    with open_store(db_path, must_exist=True) as store:
        account = account_store.find_account(store.db, handle)
        if account is None:
            raise UsageError(f"no account @{account_store.parse_handle(handle)} in the store; "
                             "'tweetstats accounts' lists the tracked accounts")
        if not yes:
            click.confirm(f"Delete @{account.handle} and everything stored for it?", abort=True)
        with store.write() as db:
            counts = writer.delete_account(db, account)
    click.echo(f"Deleted @{account.handle} with {counts['tweets']:,} tweets and {counts['mentions']:,} mentions.")


@cli.command(short_help="Import a sample library's data and print its report.")
@click.option("--db", "demo_db", default=DEMO_DB, show_default=True, type=click.Path(dir_okay=False, path_type=Path),
              help="Database for the sample data; the global --db and TWEETSTATS_DB are ignored, "
                   "so sample data never mixes with real data.")
def demo(demo_db: Path) -> None:
    """Import the bundled sample library's archive and mentions, and print its report."""
    from rich.console import Console

    from bot import render
    from metrics import sample
    from metrics.report import build_report

    console = Console()
    with open_store(demo_db) as store:
        for path in (sample.ARCHIVE_PATH, sample.MENTIONS_PATH):
            print_summary(import_path(store, path, "@" + sample.HANDLE))
        with store.write() as db:
            account = account_store.require_account(db, sample.HANDLE)
            for domain in sample.OWN_DOMAINS:
                account = account_store.add_own_domain(db, account, domain)
        last_day = date.fromisoformat(sample.LAST_DAY)
        chosen = periods.last_days(30, last_day, periods.report_zone())
        console.print(f"\nReport for the sample's last 30 days, up to {last_day}:\n", highlight=False)
        render.render_text(build_report(store.db, account, chosen), console)
    console.print(f"\nThe sample store is {demo_db}. Try: tweetstats --db {demo_db} report --since 2026-01-01 "
                  "--until 2026-03-31", highlight=False, markup=False, soft_wrap=True)


def choose_period(period: str | None, since: str | None, until: str | None, zone) -> periods.Period:
    """Return the period from --period or --since/--until. Raises UsageError on a bad or mixed choice."""
    if period and (since or until):
        raise UsageError("give either --period or --since/--until, not both")
    if since or until:
        if not (since and until):
            raise UsageError("--since and --until go together: give both, as in --since 2026-01-01 --until 2026-03-31")
        return periods.date_range(periods.parse_date(since), periods.parse_date(until), zone)
    return periods.parse_period(period or "7d", periods.today_in(zone), zone)


@contextmanager
def open_store(db_path: Path, must_exist: bool = False) -> Iterator[Store]:
    """Open the store; on a failed command, remove a database file that the command itself created."""
    existed = db_path.exists()
    if must_exist and not existed:
        raise UsageError(f"no database at {db_path}: run 'tweetstats import ARCHIVE.zip' first, or pass --db PATH")
    store = Store(db_path)
    try:
        yield store
    except BaseException:
        store.close()
        if not existed:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{db_path}{suffix}").unlink(missing_ok=True)
        raise
    store.close()


def print_summary(summary: ImportSummary) -> None:
    """Print what an import read: tweets by kind, mentions, dates, followers, what it skipped and why."""
    click.echo(f"Imported {summary.path} ({summary.generation}) for @{summary.account.lstrip('@')}")
    if summary.tweets:
        kinds = ", ".join(f"{kind} {summary.kinds[kind]:,}"
                          for kind in ("original", "thread", "reply", "retweet", "quote") if summary.kinds[kind])
        click.echo(f"  tweets: {summary.tweets:,} read, {summary.new_tweets:,} new to the store ({kinds})")
    if summary.mentions:
        click.echo(f"  mentions: {summary.mentions:,} read, {summary.new_mentions:,} new to the store, "
                   f"{summary.questions:,} of them questions")
    if summary.first:
        click.echo(f"  dates: {summary.first[:10]} to {summary.last[:10]}")
    if summary.followers is not None or summary.following is not None:
        click.echo(f"  followers: {_count(summary.followers)}, following: {_count(summary.following)}")
    for reason, count in summary.skipped.most_common():
        click.echo(f"  skipped {count:,}: {reason}")
    for warning in summary.warnings:
        click.echo(f"  warning: {warning}")


def _count(value: int | None) -> str:
    return "unknown" if value is None else f"{value:,}"


class _RichProgress:
    """Adapt a rich progress bar to the importer's ProgressReporter."""

    def __init__(self, progress) -> None:
        self.progress = progress
        self.task = None

    def start(self, total: int, label: str) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
        self.progress.start()
        self.task = self.progress.add_task(label, total=total or None)

    def advance(self, amount: int) -> None:
        self.progress.advance(self.task, amount)


def _progress_reporter() -> _RichProgress | None:
    """Return a progress bar on stderr when it is a terminal, else None."""
    if not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    return _RichProgress(Progress(*columns, console=Console(stderr=True), transient=True))


def _add_commands() -> None:
    from bot.cli_goals import goals
    from bot.cli_poll import poll, status
    from bot.cli_scorecard import scorecard

    cli.add_command(poll)
    cli.add_command(status)
    cli.add_command(goals)
    cli.add_command(scorecard)


_add_commands()


@cli.command(short_help="Start the Slack app for /tweetstats.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on in HTTP mode; keep 127.0.0.1 behind a reverse proxy on the same machine.")
@click.option("--port", default=3000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on in HTTP mode; Slack's requests arrive at /slack/events.")
@click.pass_obj
def run(db_path: Path, host: str, port: int) -> None:
    """Start the Slack app and handle /tweetstats commands until stopped with Ctrl+C or SIGTERM.

    With SLACK_APP_TOKEN set, the app connects to Slack in Socket Mode and needs
    no public URL. Without it, the app serves HTTP at /slack/events on --host and
    --port and checks each request with SLACK_SIGNING_SECRET. Settings come from
    the environment and from .env in the current folder; see .env.example.
    """
    from bot.run import start

    start(db_path, host, port)


def main() -> None:
    """Run the command line, with settings from a ``.env`` file in the current folder.

    Variables already set in the environment win over the file. The file is read
    before click parses options, because options such as --db read the environment.
    """
    load_dotenv(find_dotenv(usecwd=True))
    cli(prog_name="tweetstats")


if __name__ == "__main__":
    sys.exit(main())
