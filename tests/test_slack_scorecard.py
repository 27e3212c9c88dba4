"""/tweetstats scorecard end to end: a signed command to the served app, the PNG read off the local Slack server."""

import io
import struct

from slack_requests import CHANNEL, command_body, send_command

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def run_command(bot, text: str):
    return send_command(bot.url, command_body(text, bot.slack.response_url()))


def png_size(png: bytes) -> tuple[int, int]:
    """Read the width and height from the IHDR chunk, which follows the 8-byte signature and its own 8-byte header."""
    return struct.unpack(">II", png[16:24])


def dark_share(png: bytes) -> float:
    """Return the share of pixels darker than light grey, to tell a drawn page from a blank one."""
    from matplotlib.image import imread

    pixels = imread(io.BytesIO(png), format="png")
    return float((pixels[:, :, :3].mean(axis=2) < 0.7).mean())


def test_scorecard_upload_alt_text(bot, slack):
    answer = run_command(bot, "scorecard @NorthbrookHSL month")

    assert (answer.status, answer.body) == (200, "")
    slack.wait_for("/api/files.completeUploadExternal")
    (upload,) = slack.uploads()
    assert upload.filename == "tweetstats-scorecard-NorthbrookHSL-2026-10-01-to-2026-10-31.png"
    assert upload.content.startswith(PNG_SIGNATURE)
    assert upload.length == len(upload.content)
    assert png_size(upload.content) == (1640, 2200)
    assert dark_share(upload.content) > 0.01
    assert upload.title == "Scorecard · @NorthbrookHSL · 1–31 Oct 2026"
    assert upload.channel == CHANNEL
    assert upload.initial_comment.startswith("Scorecard · @NorthbrookHSL · 1–31 Oct 2026: ")


def test_scorecard_alt_text_says_goals(bot, slack):
    run_command(bot, "scorecard month")

    slack.wait_for("/api/files.completeUploadExternal")
    alt_text = slack.uploads()[0].alt_text
    assert alt_text.startswith("@NorthbrookHSL, 1–31 Oct 2026: ")
    assert " goals met. Response rate " in alt_text
    assert "target at least 90%" in alt_text
    assert "Tweets per week " in alt_text
    assert len(alt_text) <= 1000


def test_scorecard_without_bot_in_channel(bot, slack):
    slack.failures["files.completeUploadExternal"] = "not_in_channel"

    run_command(bot, "scorecard")

    reply = slack.wait_for("/webhook/command")[0].body
    assert reply["response_type"] == "ephemeral"
    assert "Slack said not_in_channel" in reply["text"]
    assert "/invite @tweetstats" in reply["text"]


def test_scorecard_of_unknown_account(bot, slack):
    run_command(bot, "scorecard @NoSuchLibrary")

    reply = slack.wait_for("/webhook/command")[0].body
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].startswith("Sorry: no account @NoSuchLibrary in the store")
    assert slack.received("/api/files.getUploadURLExternal") == []


def test_export_sends_no_alt_text(bot, slack):
    run_command(bot, "export month")

    slack.wait_for("/api/files.completeUploadExternal")
    (upload,) = slack.uploads()
    assert upload.alt_text is None
    assert upload.content.startswith(b"\xef\xbb\xbfaccount,since")
