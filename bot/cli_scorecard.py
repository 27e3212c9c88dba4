"""``tweetstats scorecard``: write the one-page scorecard of the goals to a PNG or PDF file."""

import errno
import os
import secrets
from pathlib import Path

import click

from bot.cli_options import period_options
from metrics import periods
from metrics.errors import UsageError

FORMATS_BY_SUFFIX = {".png": "png", ".pdf": "pdf"}


@click.command(short_help="Write a one-page scorecard of the goals as a PNG or PDF file.")
@period_options("of the scorecard")
@click.option("--output", required=True, metavar="FILE", type=click.Path(dir_okay=False, path_type=Path),
              help="File to write, ending in .png or .pdf. An existing file is replaced.")
@click.option("--format", "file_format", type=click.Choice(["png", "pdf"]), default=None,
              help="png or pdf. Default: the --output extension, which must match when both are given.")
@click.pass_obj
def scorecard(db_path: Path, handle: str | None, period: str | None, since: str | None, until: str | None,
              output: Path, file_format: str | None) -> None:
    """Write a one-page scorecard for slides or print: each goal in force with its figure, target, status and
    last 12 periods, the top tweet, and how fast the period's questions were answered.

    The page is 8.2 × 11 inches, which prints unscaled on A4 and US Letter paper.
    The file appears only when it is complete: it is written beside --output
    under a temporary name, then renamed.
    """
    from bot.cli import choose_period, open_store
    from bot.progress import summary_line
    from bot.scorecard import period_dates, render_scorecard
    from metrics import accounts as account_store
    from metrics.scorecard import build_scorecard

    chosen_format = output_format(output, file_format)
    problem = folder_problem(output)
    if problem:
        raise UsageError(f"--output {output}: {problem}")
    chosen = choose_period(period, since, until, periods.report_zone())
    with open_store(db_path, must_exist=True) as store:
        account = account_store.require_account(store.db, handle)
        card = build_scorecard(store.db, account, chosen)
    drawn = render_scorecard(card, chosen_format)
    try:
        write_file(output, drawn.content)
    except OSError as error:
        raise UsageError(f"--output {output}: {write_problem(output, error)}") from error
    click.echo(f"Wrote {output}: the scorecard of @{account.handle}, {period_dates(card.periods[-1])}, "
               f"{summary_line(card.report.goals)}.")


def output_format(output: Path, file_format: str | None) -> str:
    """Return the format for ``output``: from its extension, which --format must match. Raises UsageError."""
    suffix = output.suffix.lower()
    inferred = FORMATS_BY_SUFFIX.get(suffix)
    if not suffix:
        raise UsageError(f"--output {output} has no extension: name a .png or .pdf file, as in --output "
                         "scorecard.pdf")
    if inferred is None:
        raise UsageError(f"--output {output}: {suffix} is not a scorecard format. Name a .png or .pdf file, as in "
                         "--output scorecard.pdf")
    if file_format is not None and file_format != inferred:
        raise UsageError(f"--format {file_format} does not match the extension of --output {output}: name a "
                         f".{file_format} file, or leave out --format")
    return inferred


def folder_problem(output: Path) -> str | None:
    """Return why no file can be created in the folder of ``output``, or None when the folder exists.

    The reason is a missing folder or a file in the folder's path. None is also
    returned when the folder cannot be looked at, so that the write reports the error.
    """
    folder = output.parent
    try:
        if folder.is_dir():
            return None
        for part in [folder, *folder.parents]:
            if part.is_dir():
                break
            if part.exists():
                return (f"{part} is a file, not a folder, so no file can be written inside it. Name a file in an "
                        "existing folder")
    except OSError:
        return None
    return f"the folder {folder} does not exist. Create it first"


def write_problem(output: Path, error: OSError) -> str:
    """Describe an error of ``write_file``: its cause and what to do, naming ``output``, not the temporary file."""
    folder = _folder_name(output.parent)
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        # The folder existed when the command started. So it was removed since, or it takes no new files, as /proc.
        return folder_problem(output) or (f"no file can be created in {folder} ({error.strerror}). Choose another "
                                          "folder")
    if error.errno == errno.EISDIR:
        return f"{output} is a folder. Name a file, as in --output {output / 'scorecard.png'}"
    if error.errno in (errno.EACCES, errno.EPERM):
        return (f"permission denied to write {output.name} in {folder}. Choose a folder you can write to, or ask "
                "its owner for write permission")
    if error.errno == errno.EROFS:
        return f"{folder} is on a read-only file system. Choose a folder on a writable disk"
    if error.errno == errno.ENOSPC:
        return f"the disk of {folder} is full. Free some space, or choose a folder on another disk"
    if error.errno == errno.EDQUOT:
        return f"your disk quota on {folder} is used up. Free some space, or choose a folder on another disk"
    return f"writing failed ({error.strerror or error}). Check {folder}, its permissions and free disk space"


def _folder_name(folder: Path) -> str:
    return "the current folder" if folder == Path(".") else f"the folder {folder}"


def write_file(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file beside it, so ``path`` is never left half-written.

    The temporary file is created with the usual permissions (0666 less the
    umask), fsynced, then renamed over ``path``. On any error it is removed and
    ``path`` is left as it was.
    """
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
