"""Parsing the text of the /tweetstats slash command."""

import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.commands import USAGE, Command, CommandError, normalize_text, parse_command

UTC = ZoneInfo("UTC")
TODAY = date(2026, 12, 4)


def parse(text: str) -> Command:
    return parse_command(text, TODAY, UTC)


@pytest.mark.parametrize("text, action, handles, since, until", [
    ("", "report", (), date(2026, 11, 28), date(2026, 12, 5)),
    ("   ", "report", (), date(2026, 11, 28), date(2026, 12, 5)),
    ("@NorthbrookHSL", "report", ("NorthbrookHSL",), date(2026, 11, 28), date(2026, 12, 5)),
    ("@NorthbrookHSL month", "report", ("NorthbrookHSL",), date(2026, 11, 1), date(2026, 12, 1)),
    ("month @NorthbrookHSL", "report", ("NorthbrookHSL",), date(2026, 11, 1), date(2026, 12, 1)),
    ("30D", "report", (), date(2026, 11, 5), date(2026, 12, 5)),
    ("@NorthbrookHSL 2026-01-01..2026-03-31", "report", ("NorthbrookHSL",), date(2026, 1, 1), date(2026, 4, 1)),
    ("https://x.com/NorthbrookHSL quarter", "report", ("NorthbrookHSL",), date(2026, 7, 1), date(2026, 10, 1)),
    ("<https://twitter.com/NorthbrookHSL> week", "report", ("NorthbrookHSL",), date(2026, 11, 23), date(2026, 11, 30)),
    ("top", "top", (), date(2026, 11, 28), date(2026, 12, 5)),
    ("TOP year @NorthbrookHSL", "top", ("NorthbrookHSL",), date(2025, 1, 1), date(2026, 1, 1)),
    ("export @NorthbrookHSL month", "export", ("NorthbrookHSL",), date(2026, 11, 1), date(2026, 12, 1)),
    ("compare @NorthbrookHSL @PeerLibrary", "compare", ("NorthbrookHSL", "PeerLibrary"),
     date(2026, 11, 28), date(2026, 12, 5)),
    ("compare 90d @NorthbrookHSL @PeerLibrary", "compare", ("NorthbrookHSL", "PeerLibrary"),
     date(2026, 9, 6), date(2026, 12, 5)),
])
def test_report_forms(text, action, handles, since, until):
    command = parse(text)
    assert command.action == action
    assert command.handles == handles
    assert (command.period.since, command.period.until) == (since, until)


@pytest.mark.parametrize("text, expected", [
    ("questions", Command("questions")),
    ("questions @NorthbrookHSL", Command("questions", ("NorthbrookHSL",))),
    ("accounts", Command("accounts")),
    ("help", Command("help")),
    ("help me please", Command("help")),
    ("track @PeerLibrary", Command("track", ("PeerLibrary",))),
    ("untrack @PeerLibrary", Command("untrack", ("PeerLibrary",))),
    ("own-domain @NorthbrookHSL https://www.Northbrook-HSL.example/",
     Command("own-domain", ("NorthbrookHSL",), domain="northbrook-hsl.example")),
    ("own-domain @NorthbrookHSL <http://northbrook-hsl.example|northbrook-hsl.example>",
     Command("own-domain", ("NorthbrookHSL",), domain="northbrook-hsl.example")),
])
def test_other_forms(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize("action, admin_only", [
    ("track", True), ("untrack", True), ("own-domain", True), ("report", False), ("accounts", False),
])
def test_admin_only(action, admin_only):
    assert Command(action).admin_only is admin_only


@pytest.mark.parametrize("text, message", [
    ("mnth", "'mnth' is not an @handle, a period or a command"),
    ("@NorthbrookHSL month week", "two periods given"),
    ("@a @b", "too many accounts for report"),
    ("compare @NorthbrookHSL", "compare needs two accounts"),
    ("compare @a @b @c", "too many accounts for compare"),
    ("questions @NorthbrookHSL month", "questions takes no period"),
    ("accounts @NorthbrookHSL", "accounts takes nothing after it"),
    ("track", "track takes one @handle"),
    ("track @a @b", "track takes one @handle"),
    ("own-domain @NorthbrookHSL", "own-domain takes an @handle and a domain"),
    ("compare @NorthbrookHSL @northbrookhsl", "compare needs two different accounts"),
    ("@NorthbrookHSL 90d 30d", "two periods given ('90d' and '30d')"),
    ("@NorthbrookHSL @PeerLibrary", "or compare two with /tweetstats compare @a @b"),
    ("own-domain NorthbrookHSL example.org", "'NorthbrookHSL' is not an @handle"),
    ("own-domain @NorthbrookHSL not_a_domain", "'not_a_domain' is not a website domain"),
    ("@bad-handle!", "is not an X handle"),
    ("0d", "out of range"),
    ("2026-03-31..2026-01-01", "ends (2026-01-01) before it starts"),
    ("2026-02-30..2026-03-01", "'2026-02-30' is not a valid date"),
])
def test_bad_text_names_word(text, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        parse(text)


def test_slack_user_mention_without_name():
    with pytest.raises(CommandError, match="is a Slack user, not an X account"):
        parse("<@U024BE7LH> month")


def test_named_slack_mention_as_handle():
    # Slack shows the user's Slack name; it is taken as the X handle typed.
    assert parse("<@U024BE7LH|NorthbrookHSL>").handles == ("NorthbrookHSL",)


@pytest.mark.parametrize("text, expected", [
    ("&lt;hello&gt; &amp; more", "<hello> & more"),
    ("<#C024BE7LR|alerts>", "#alerts"),
    ("<!here>", "here"),
    ("<http://example.org|example.org>", "example.org"),
    ("<mailto:library@example.org|library@example.org>", "library@example.org"),
    ("  spaced  ", "spaced"),
])
def test_normalize_text(text, expected):
    assert normalize_text(text) == expected


def test_usage_lists_every_action():
    for word in ("top", "questions", "compare", "export", "accounts", "track", "untrack", "own-domain"):
        assert word in USAGE


def test_command_error_is_usage_error():
    from metrics.errors import UsageError

    assert issubclass(CommandError, UsageError)


@pytest.mark.parametrize("text, channel", [
    ("alerts @NorthbrookHSL <#C024BE7LR|reference-desk>", "C024BE7LR"),
    ("alerts @NorthbrookHSL <#G024BE7LR>", "G024BE7LR"),
    ("alerts @NorthbrookHSL #reference-desk", "#reference-desk"),
    ("ALERTS @NorthbrookHSL C024BE7LR", "C024BE7LR"),
])
def test_alerts_channel_is_read(text, channel):
    command = parse(text)

    assert command.action == "alerts"
    assert command.handles == ("NorthbrookHSL",)
    assert command.channel == channel
    assert command.admin_only


@pytest.mark.parametrize("text, named", [
    ("alerts @NorthbrookHSL", "alerts takes an @handle and a channel"),
    ("alerts NorthbrookHSL #desk", "'NorthbrookHSL' is not an @handle"),
    ("alerts @NorthbrookHSL general", "'general' is not a channel"),
    ("digest", "digest takes the word now"),
])
def test_bad_alerts_and_digest_commands(text, named):
    with pytest.raises(CommandError, match=named):
        parse(text)
