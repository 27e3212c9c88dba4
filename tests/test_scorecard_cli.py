"""tweetstats scorecard, run in-process on the sample store and on an empty one."""

import os
import re
import stat
import struct

import pytest

from bot.cli_scorecard import write_file

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
