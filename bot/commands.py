"""Parse the text of a ``/tweetstats`` slash command into the command to run.

Slack sends what the user typed after ``/tweetstats``. Depending on the app's
settings and the client, ``&``, ``<`` and ``>`` may arrive as HTML entities, and
mentions, channels and links as ``<@U123|name>``, ``<#C123|name>`` and
``<http://example.org|example.org>``. The parser reads all of these back first.
"""

import re
from dataclasses import dataclass
from datetime import date
from html import unescape
from zoneinfo import ZoneInfo

from metrics.accounts import parse_domain, parse_handle
from metrics.errors import UsageError
from metrics.periods import Period, parse_period

DEFAULT_PERIOD = "7d"

USAGE = """\
*Usage*
`/tweetstats` the default account, last 7 days against the 7 before
`/tweetstats @handle [period]` one account; period is 7d, 30d, 90d, week, month, quarter, year or 2026-01-01..2026-03-31
`/tweetstats top [@handle] [period]` the best tweets by engagement
`/tweetstats questions [@handle]` unanswered questions, oldest first
`/tweetstats compare @a @b [period]` two accounts side by side
`/tweetstats export [@handle] [period]` the CSV meeting pack as a file
`/tweetstats scorecard [@handle] [period]` a one-page image of the goals, for slides or print
`/tweetstats accounts` the tracked accounts
`/tweetstats status` X API requests, reads and cost this month, and each account's polling state
Admins: `/tweetstats track @handle`, `untrack @handle`, `own-domain @handle library.example.org`, `alerts @handle #channel`, `digest now`, `goals [@handle]` (sets the targets)
*Examples*: `/tweetstats @NorthbrookHSL month`, `/tweetstats 30d`, `/tweetstats compare @NorthbrookHSL @PeerLibrary quarter`"""

# Words that start a command; anything else starts a report.
ACTIONS = ("top", "questions", "compare", "export", "scorecard", "accounts", "status", "track", "untrack",
           "own-domain", "alerts", "digest", "goals", "help")
ADMIN_ACTIONS = ("track", "untrack", "own-domain", "alerts", "digest", "goals")
# A channel as Slack escapes it in command text: <#C024BE7LR|alerts> or <#C024BE7LR>.
SLACK_CHANNEL = re.compile(r"<#([CG][A-Z0-9]+)(?:\|([^<>]*))?>")
CHANNEL_WORD = re.compile(r"[CG][A-Z0-9]{2,}|#[a-z0-9_-][a-z0-9_.-]{0,79}")

# Slack's markup for mentions, channels and links: <@U123|name>, <#C123|name>,
# <http://example.org|example.org>, or the same without the |label part.
SLACK_MARKUP = re.compile(r"<([@#!]?)([^<>|]*)(?:\|([^<>]*))?>")
# A profile link pasted in place of a handle.
PROFILE_URL = re.compile(r"(?:https?://)?(?:www\.|mobile\.)?(?:twitter|x)\.com/([A-Za-z0-9_]{1,50})/?", re.IGNORECASE)


class CommandError(UsageError):
    """Text that is not a valid command. The message names the word at fault; ``USAGE`` shows the rest."""


@dataclass(frozen=True)
class Command:
    """A parsed command: ``action`` is report or one of ACTIONS, with its handles, period and domain."""

    action: str
    handles: tuple[str, ...] = ()
    period: Period | None = None
    domain: str | None = None
    channel: str | None = None

    @property
    def admin_only(self) -> bool:
        return self.action in ADMIN_ACTIONS


def parse_command(text: str, today: date, zone: ZoneInfo) -> Command:
    """Parse the command text. Raises CommandError naming the word that could not be read."""
    words = normalize_text(text).split()
    if not words:
        return Command("report", period=parse_period(DEFAULT_PERIOD, today, zone))
    action = words[0].lower()
    if action not in ACTIONS:
        return _parse_report("report", words, today, zone, max_handles=1)
    arguments = words[1:]
    if action == "help":
        return Command("help")
    if action in ("top", "export", "scorecard"):
        return _parse_report(action, arguments, today, zone, max_handles=1)
    if action == "compare":
        command = _parse_report(action, arguments, today, zone, max_handles=2)
        if len(command.handles) != 2:
            raise CommandError("compare needs two accounts, as in /tweetstats compare @NorthbrookHSL @PeerLibrary")
        if command.handles[0].lower() == command.handles[1].lower():
            raise CommandError(f"compare needs two different accounts, and @{command.handles[0]} was given twice")
        return command
    if action == "questions":
        command = _parse_report(action, arguments, today, zone, max_handles=1)
        if any(_is_period(word) for word in arguments):
            raise CommandError("questions takes no period: it lists every question still unanswered")
        return Command(action, command.handles)
    if action == "alerts":
        return _parse_alerts(arguments, text)
    if action == "goals":
        if len(arguments) > 1 or (arguments and not _is_handle_word(arguments[0])):
            raise CommandError("goals takes at most one @handle: use /tweetstats goals @handle")
        return Command(action, tuple(_parse_handle_word(word) for word in arguments))
    if action == "digest":
        if [word.lower() for word in arguments] != ["now"]:
            raise CommandError("digest takes the word now: use /tweetstats digest now")
        return Command(action)
    if action in ("accounts", "status"):
        _expect_count(action, arguments, 0, "nothing after it", f"/tweetstats {action}")
        return Command(action)
    if action in ("track", "untrack"):
        _expect_count(action, arguments, 1, "one @handle", f"/tweetstats {action} @handle")
        return Command(action, (_parse_handle_word(arguments[0]),))
    return _parse_own_domain(arguments)


def normalize_text(text: str) -> str:
    """Turn Slack's escaped and marked-up text back into what the user typed."""

    def replace(match: re.Match) -> str:
        sigil, target, label = match[1], match[2], match[3]
        if sigil == "@":
            # A Slack user mention: its label is the Slack name, which may not be an X handle.
            return "@" + label if label else f"<@{target}>"
        if sigil == "#":
            return "#" + (label or target)
        # A link, or a special mention such as <!here>.
        return label or target

    return unescape(SLACK_MARKUP.sub(replace, text or "")).strip()


def _parse_report(action: str, words: list[str], today: date, zone: ZoneInfo, max_handles: int) -> Command:
    """Read handles and at most one period, in any order."""
    handles: list[str] = []
    period = None
    period_word = ""
    for word in words:
        if _is_handle_word(word):
            handles.append(_parse_handle_word(word))
        elif _is_period(word):
            if period is not None:
                raise CommandError(f"two periods given ('{period_word}' and '{word}'): give one")
            period = _parse_period_word(word, today, zone)
            period_word = word
        else:
            raise CommandError(_unknown_word(word))
    if len(handles) > max_handles:
        named = ", ".join("@" + handle for handle in handles)
        if max_handles == 1:
            raise CommandError(f"too many accounts for {action} ({named}): give one, or compare two with "
                               "/tweetstats compare @a @b")
        raise CommandError(f"too many accounts for {action} ({named}): give at most {max_handles}")
    return Command(action, tuple(handles), period or parse_period(DEFAULT_PERIOD, today, zone))


def _parse_own_domain(arguments: list[str]) -> Command:
    usage = "/tweetstats own-domain @handle library.example.org"
    _expect_count("own-domain", arguments, 2, "an @handle and a domain", usage)
    handle_word, domain_word = arguments
    if not _is_handle_word(handle_word):
        raise CommandError(f"'{handle_word}' is not an @handle: use {usage}")
    try:
        domain = parse_domain(domain_word)
    except UsageError as error:
        raise CommandError(str(error)) from None
    return Command("own-domain", (_parse_handle_word(handle_word),), domain=domain)


def _parse_alerts(arguments: list[str], raw_text: str) -> Command:
    """Read ``@handle #channel``; a channel Slack escaped as <#C…|name> gives its id."""
    usage = "/tweetstats alerts @handle #channel"
    _expect_count("alerts", arguments, 2, "an @handle and a channel", usage)
    handle_word, channel_word = arguments
    if not _is_handle_word(handle_word):
        raise CommandError(f"'{handle_word}' is not an @handle: use {usage}")
    escaped = {("#" + (match[2] or match[1])).lower(): match[1] for match in SLACK_CHANNEL.finditer(raw_text or "")}
    channel = escaped.get(channel_word.lower(), channel_word)
    if not CHANNEL_WORD.fullmatch(channel):
        raise CommandError(f"'{channel_word}' is not a channel: use {usage}, choosing the channel as you type it")
    return Command("alerts", (_parse_handle_word(handle_word),), channel=channel)


def _is_handle_word(word: str) -> bool:
    return word.startswith("@") or PROFILE_URL.fullmatch(word) is not None


def _parse_handle_word(word: str) -> str:
    if word.startswith("<@"):
        raise CommandError(f"'{word}' is a Slack user, not an X account: type the X handle, as in @NorthbrookHSL")
    profile = PROFILE_URL.fullmatch(word)
    try:
        return parse_handle(profile[1] if profile else word)
    except UsageError as error:
        raise CommandError(str(error)) from None


def _is_period(word: str) -> bool:
    lowered = word.lower()
    return bool(re.fullmatch(r"\d{1,4}d|week|month|quarter|year|\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}", lowered))


def _parse_period_word(word: str, today: date, zone: ZoneInfo) -> Period:
    try:
        return parse_period(word, today, zone)
    except UsageError as error:
        raise CommandError(str(error)) from None


def _expect_count(action: str, arguments: list[str], count: int, expected: str, usage: str) -> None:
    """Raise CommandError unless ``count`` words follow the action. ``expected`` describes them in words."""
    if len(arguments) != count:
        raise CommandError(f"{action} takes {expected}: use {usage}")


def _unknown_word(word: str) -> str:
    if word.startswith("<@"):
        return f"'{word}' is a Slack user, not an X account: type the X handle, as in @NorthbrookHSL"
    return (f"'{word}' is not an @handle, a period or a command: periods are 7d, 30d, 90d, week, month, quarter, "
            "year or 2026-01-01..2026-03-31")
