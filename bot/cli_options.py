"""Options that several ``tweetstats`` commands share, so each reads and explains them the same way."""

from collections.abc import Callable

import click

from metrics import periods


def period_options(purpose: str) -> Callable:
    """Add --account, --period, --since and --until to a command; ``purpose`` ends "Period …", as in "to report"."""

    def decorate(command: Callable) -> Callable:
        options = [
            click.option("--account", "handle", metavar="@HANDLE",
                         help="Account to report on; needed when several are tracked."),
            click.option("--period", default=None, metavar="PERIOD",
                         help=f"Period {purpose}: {periods.PERIOD_HELP}. Default: 7d."),
            click.option("--since", metavar="YYYY-MM-DD", help="First day of the period (with --until)."),
            click.option("--until", metavar="YYYY-MM-DD", help="Last day of the period, included (with --since)."),
        ]
        for option in reversed(options):
            command = option(command)
        return command

    return decorate
