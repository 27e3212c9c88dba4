"""tweetstats scorecard, run in-process on the sample store and on an empty one."""

import errno
import os
import re
import stat
import struct
from pathlib import Path

import pytest

import bot.scorecard
from bot.cli_scorecard import write_file, write_problem

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(png: bytes) -> tuple[int, int]:
    """Read the width and height from the IHDR chunk, which follows the 8-byte signature and its own 8-byte header."""
    return struct.unpack(">II", png[16:24])


def test_writes_png(run, sample_db, tmp_path):
    output = tmp_path / "card.png"

    result = run("scorecard", "--account", "@NorthbrookHSL", "--since", "2026-11-01", "--until", "2026-11-30",
                 "--output", str(output))

    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Wrote {output}: the scorecard of @NorthbrookHSL, 1–30 Nov 2026, ")
    content = output.read_bytes()
    assert content.startswith(PNG_SIGNATURE)
    assert png_size(content) == (1640, 2200)


def test_writes_pdf_from_extension(run, sample_db, tmp_path):
    output = tmp_path / "card.PDF"

    result = run("scorecard", "--since", "2026-11-01", "--until", "2026-11-30", "--output", str(output))

    assert result.exit_code == 0, result.output
    content = output.read_bytes()
    assert content.startswith(b"%PDF-")
    assert len(re.findall(rb"/Type\s*/Page\b", content)) == 1


def test_format_matching_extension(run, sample_db, tmp_path):
    output = tmp_path / "card.pdf"

    result = run("scorecard", "--period", "30d", "--output", str(output), "--format", "pdf")

    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(b"%PDF-")


def test_empty_account_renders(run, tmp_path):
    assert run("accounts", "add", "@EmptyLibrary").exit_code == 0
    output = tmp_path / "empty.png"

    result = run("scorecard", "--period", "month", "--output", str(output))

    assert result.exit_code == 0, result.output
    assert output.read_bytes().startswith(PNG_SIGNATURE)
    assert "no data for the 7 goals" in result.stdout


@pytest.mark.parametrize("name, options, message", [
    ("card.png", ["--format", "pdf"], "--format pdf does not match the extension of --output"),
    ("card.pdf", ["--format", "png"], "--format png does not match the extension of --output"),
    ("card.jpg", [], ".jpg is not a scorecard format. Name a .png or .pdf file"),
    ("card.svg", ["--format", "png"], ".svg is not a scorecard format"),
    ("card", [], "has no extension: name a .png or .pdf file"),
])
def test_bad_output_is_rejected(run, sample_db, tmp_path, name, options, message):
    output = tmp_path / name

    result = run("scorecard", "--output", str(output), *options)

    assert result.exit_code == 1
    assert message in result.stderr
    assert not output.exists()


def test_unknown_format_word_is_rejected(run, sample_db, tmp_path):
    result = run("scorecard", "--output", str(tmp_path / "card.png"), "--format", "gif")

    assert result.exit_code == 2
    assert "'gif' is not one of 'png', 'pdf'" in result.stderr


def test_missing_folder_is_rejected(run, sample_db, tmp_path):
    result = run("scorecard", "--output", str(tmp_path / "missing" / "card.png"))

    assert result.exit_code == 1
    assert f"the folder {tmp_path / 'missing'} does not exist" in result.stderr


@pytest.mark.parametrize("inside", [["card.png"], ["sub", "card.png"]])
def test_parent_file_is_rejected(run, sample_db, tmp_path, inside):
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "notes").write_text("")
    output = folder.joinpath("notes", *inside)

    result = run("scorecard", "--output", str(output))

    assert result.exit_code == 1
    assert f"--output {output}: {folder / 'notes'} is a file, not a folder" in result.stderr
    assert "Name a file in an existing folder" in result.stderr
    assert os.listdir(folder) == ["notes"]


def test_nested_missing_folder_is_rejected(run, sample_db, tmp_path):
    output = tmp_path / "missing" / "sub" / "card.png"

    result = run("scorecard", "--output", str(output))

    assert result.exit_code == 1
    assert f"--output {output}: the folder {tmp_path / 'missing' / 'sub'} does not exist" in result.stderr


def remove_folder_while_drawing(monkeypatch, folder: Path, replace_with_file: bool) -> None:
    """Make the command's drawing step remove ``folder``, and put a file in its place if asked."""
    render = bot.scorecard.render_scorecard

    def render_then_remove(*args):
        drawn = render(*args)
        folder.rmdir()
        if replace_with_file:
            folder.write_text("")
        return drawn

    monkeypatch.setattr(bot.scorecard, "render_scorecard", render_then_remove)


@pytest.mark.parametrize("replace_with_file, message", [
    (False, "the folder {folder} does not exist. Create it first"),
    (True, "{folder} is a file, not a folder"),
])
def test_folder_gone_before_write(run, sample_db, tmp_path, monkeypatch, replace_with_file, message):
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "card.png"
    remove_folder_while_drawing(monkeypatch, folder, replace_with_file)

    result = run("scorecard", "--output", str(output))

    assert result.exit_code == 1
    assert f"Error: --output {output}: {message.format(folder=folder)}" in result.stderr
    assert ".tmp" not in result.stderr


def fail_write_step(monkeypatch, step: str, error_number: int) -> None:
    """Make ``os.open`` of the temporary file, ``os.fsync`` or ``os.replace`` raise the OSError of ``error_number``.

    A test cannot set up a read-only mount or a full disk without touching
    system paths, and root may write into a folder without write permission.
    So these tests raise the error that the system would raise.
    """
    error = OSError(error_number, os.strerror(error_number))
    if step == "replace":
        def failing_replace(source, destination):
            raise error

        monkeypatch.setattr(os, "replace", failing_replace)
    elif step == "open":
        real_open = os.open

        def failing_open(path, *args, **kwargs):
            if str(path).endswith(".tmp"):
                error.filename = str(path)
                raise error
            return real_open(path, *args, **kwargs)

        monkeypatch.setattr(os, "open", failing_open)
    else:
        def failing_fsync(descriptor):
            raise error

        monkeypatch.setattr(os, "fsync", failing_fsync)


@pytest.mark.parametrize("step, error_number, message", [
    ("open", errno.EACCES, "permission denied to write card.png in the folder {folder}. Choose a folder you can "
                           "write to, or ask its owner for write permission"),
    ("open", errno.EPERM, "permission denied to write card.png in the folder {folder}"),
    ("open", errno.EROFS, "the folder {folder} is on a read-only file system. Choose a folder on a writable disk"),
    ("open", errno.ENOENT, "no file can be created in the folder {folder} (No such file or directory). Choose "
                           "another folder"),
    ("fsync", errno.ENOSPC, "the disk of the folder {folder} is full. Free some space, or choose a folder on "
                            "another disk"),
    ("fsync", errno.EDQUOT, "your disk quota on the folder {folder} is used up"),
    ("fsync", errno.EIO, "writing failed (Input/output error). Check the folder {folder}, its permissions and "
                         "free disk space"),
    ("replace", errno.EISDIR, "{output} is a folder. Name a file, as in --output {output}/scorecard.png"),
])
def test_write_error_names_output(run, sample_db, tmp_path, monkeypatch, step, error_number, message):
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "card.png"
    output.write_bytes(b"old")
    fail_write_step(monkeypatch, step, error_number)

    result = run("scorecard", "--output", str(output))

    assert result.exit_code == 1
    assert f"Error: --output {output}: {message.format(folder=folder, output=output)}" in result.stderr
    assert ".tmp" not in result.stderr
    assert os.listdir(folder) == ["card.png"]
    assert output.read_bytes() == b"old"


def test_write_problem_names_current_folder():
    error = OSError(errno.EACCES, os.strerror(errno.EACCES))

    assert write_problem(Path("card.png"), error).startswith("permission denied to write card.png in the current "
                                                             "folder.")


def test_read_only_folder_is_reported(run, sample_db, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    output = folder / "card.png"
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):
            pytest.skip("this process may write into a folder without write permission, as root usually may")
        result = run("scorecard", "--output", str(output))
    finally:
        folder.chmod(0o755)

    assert result.exit_code == 1
    assert f"--output {output}: permission denied to write card.png in the folder {folder}" in result.stderr
    assert os.listdir(folder) == []


def test_output_is_required(run, sample_db):
    result = run("scorecard")

    assert result.exit_code == 2
    assert "Missing option '--output'" in result.stderr


def test_missing_database_writes_nothing(run, tmp_path):
    output = tmp_path / "card.png"

    result = run("scorecard", "--output", str(output))

    assert result.exit_code == 1
    assert "no database at" in result.stderr
    assert not output.exists()


def test_failed_write_keeps_old_file(tmp_path):
    output = tmp_path / "card.png"
    output.write_bytes(b"old")

    with pytest.raises(TypeError):
        write_file(output, "not bytes")  # type: ignore[arg-type]

    assert output.read_bytes() == b"old"
    assert os.listdir(tmp_path) == ["card.png"]


def test_write_replaces_whole_file(tmp_path):
    output = tmp_path / "card.png"
    output.write_bytes(b"an older and longer file")

    write_file(output, b"new")

    assert output.read_bytes() == b"new"
    assert os.listdir(tmp_path) == ["card.png"]


def test_written_file_follows_umask(tmp_path):
    output = tmp_path / "card.png"
    previous = os.umask(0o022)
    try:
        write_file(output, b"new")
    finally:
        os.umask(previous)

    assert stat.S_IMODE(output.stat().st_mode) == 0o644
