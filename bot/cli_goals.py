"""``tweetstats goals``: show and set an account's strategy goals from the shell."""

import inspect
from datetime import datetime, time, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import click

from metrics import periods
from metrics.accounts import Account, require_account
from metrics.goal_store import GoalSetting, goal_versions, later_versions, set_goals, settings_from
from metrics.goals import GOALS, SPECS, format_target, parse_assignments

CLI_USER = "cli"


@click.group(short_help="Show or set an account's strategy goals.")
def goals() -> None:
    """Show or set the targets each report judges an account's figures by.

    Every account starts with the defaults in docs/metrics.md. A change is kept
    as a new version, so a report for an earlier period is still judged by the
    goals in force then.
    """


@goals.command(name="show", short_help="Show the goals in force and where each came from.")
@click.argument("handle", metavar="@HANDLE", required=False)
@click.option("--history", is_flag=True, help="List every change made to the goals, the earliest first.")
@click.pass_obj
def show_goals(db_path: Path, handle: str | None, history: bool) -> None:
    """Show each goal in force now: its target, and whether it is the default or who set it when."""
    from bot.cli import open_store

    with open_store(db_path, must_exist=True) as store:
        account = require_account(store.db, handle)
        settings = settings_from(store.db, account.id, datetime.now(timezone.utc))
        versions = goal_versions(store.db, account.id) if history else []
    _print_settings(account, settings)
    if history:
        _print_history(versions)


@goals.command(name="set", short_help="Set one or more goals, as in response_rate=90%.")
@click.argument("handle", metavar="@HANDLE")
@click.argument("assignments", nargs=-1, metavar="NAME=VALUE...")
@click.option("--from", "first_day", metavar="YYYY-MM-DD",
              help="First day the new targets count, at 00:00 in TWEETSTATS_TIMEZONE. Default: now.")
@click.pass_obj
def set_goals_command(db_path: Path, handle: str, assignments: tuple[str, ...], first_day: str | None) -> None:
    """Set goals for one account, each as NAME=VALUE.

    A value is a target in the goal's unit (90% or 0.9 for shares; 90, 24h or 2d
    for times), off for no goal, or default for the goal's default. With --from,
    reports for periods ending after that day are judged by the new targets.
    """
    from bot.cli import open_store

    targets = parse_assignments(list(assignments))
    now = datetime.now(timezone.utc)
    start = now
    if first_day:
        zone = periods.report_zone()
        start = datetime.combine(periods.parse_date(first_day), time(0), zone)
    with open_store(db_path, must_exist=True) as store:
        account = require_account(store.db, handle)
        with store.write() as db:
            changed = set_goals(db, account, targets, start, CLI_USER, now)
        settings = settings_from(store.db, account.id, now)
        later = later_versions(store.db, account.id, changed, start) if first_day else []
    if changed:
        since = f"from {first_day}" if first_day else "from now on"
        click.echo(f"Changed {', '.join(changed)} for @{account.handle}, {since}.")
    else:
        click.echo(f"Nothing changed: @{account.handle} already had these targets.")
    _print_later_versions(later, periods.report_zone())
    _print_settings(account, settings)


# The goal names and units, generated from GOALS so that the help cannot drift from them.
set_goals_command.help = inspect.cleandoc(set_goals_command.help) + "\n\n\b\nGoals:\n" + "\n".join(
    f"  {spec.name}: {spec.direction_text}, {spec.unit_help}" for spec in GOALS)


def _print_settings(account: Account, settings: dict[str, GoalSetting]) -> None:
    zone = periods.report_zone()
    click.echo(f"Goals of @{account.handle} in force now (times in {zone.key}):")
    rows = [("NAME", "IN REPORTS", "TARGET", "SINCE")]
    for spec in GOALS:
        setting = settings[spec.name]
        target = "off" if setting.target is None else f"{spec.direction_text} {format_target(spec, setting.target)}"
        rows.append((spec.name, spec.label, target, _origin(setting, zone)))
    widths = [max(len(row[column]) for row in rows) for column in range(3)]
    for row in rows:
        click.echo("  " + "  ".join(text.ljust(width) for text, width in zip(row, widths)) + "  " + row[3])
    click.echo(f"Change one with: tweetstats goals set @{account.handle} NAME=VALUE, as in response_rate=90% or "
               "promoting_share=off. 'tweetstats goals set --help' lists the units.")


def _print_history(versions: list[GoalSetting]) -> None:
    if not versions:
        click.echo("History: no goal was changed yet; every goal has its default.")
        return
    zone = periods.report_zone()
    click.echo(f"History, the earliest first (times in {zone.key}):")
    for version in versions:
        click.echo(f"  from {_local(version.effective_from, zone)}  {version.name}={_typed(version)}  "
                   f"(set {_local(version.set_at, zone)} by {version.set_by})")


def _print_later_versions(versions: list[GoalSetting], zone: ZoneInfo) -> None:
    """Warn that a version starting later replaces a target just set for an earlier day, from its own start on."""
    for version in versions:
        click.echo(f"Note: {version.name}={_typed(version)} from {_local(version.effective_from, zone)} "
                   f"(set by {version.set_by}) stays in force from then on, so the new target counts only until "
                   "then. Set it again without --from to change it from now on.")


def _origin(setting: GoalSetting, zone: ZoneInfo) -> str:
    if setting.set_at is None:
        return "default"
    action = "default again" if setting.restored else "set"
    return f"{action} by {setting.set_by}, counting from {_local(setting.effective_from, zone)}"


def _typed(version: GoalSetting) -> str:
    """Write a version's target as it is typed: a value, off, or default."""
    return "default" if version.restored else format_target(SPECS[version.name], version.target)


def _local(text: str | None, zone: ZoneInfo) -> str:
    """Write the store's UTC time, such as 2026-12-04T22:17:05Z, as local time: 2026-12-04 17:17."""
    if not text:
        return "–"
    moment = datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(zone)
    return moment.strftime("%Y-%m-%d %H:%M")
