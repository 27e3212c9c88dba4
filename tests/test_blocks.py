"""Render reports as Slack Block Kit messages: figures, layout, escaping and Slack's limits.

The report is the one of test_report.py: the week of 2026-03-02 to 2026-03-08
(UTC) beside 2026-02-23 to 2026-03-01.
"""

import json
from dataclasses import replace
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from bot.blocks import (MAX_BLOCKS, MAX_BUTTON_TEXT, MAX_BUTTON_VALUE, MAX_FIELD_TEXT, MAX_FIELDS, MAX_HEADER_TEXT,
                        MAX_MESSAGE_TEXT, MAX_SECTION_TEXT, build_figure_sections, cut_mrkdwn, cut_text, fit_blocks,
                        read_share_value, render_report_blocks)
from bot.render import MISSING, FigureRow, data_note, figure_rows, format_change, format_value
from builders import HANDLE
from metrics import accounts
from metrics.periods import calendar_period, date_range
from metrics.report import build_report
from test_report import build_store

UTC = ZoneInfo("UTC")
FRESHNESS = "updated 12 min ago"


@pytest.fixture
def report(store, tmp_path):
    build_store(store, tmp_path)
    account = accounts.require_account(store.db, HANDLE)
    return build_report(store.db, account, calendar_period("week", date(2026, 3, 10), UTC, previous=True))


@pytest.fixture
def message(report):
    return render_report_blocks(report, freshness=FRESHNESS)


def blocks_of_type(message, kind: str) -> list[dict]:
    return [block for block in message.blocks if block["type"] == kind]


def field_texts(message) -> list[str]:
    return [field["text"] for block in blocks_of_type(message, "section") for field in block.get("fields", [])]


def section_texts(message) -> list[str]:
    return [block["text"]["text"] for block in blocks_of_type(message, "section") if "text" in block]


def context_texts(message) -> list[str]:
    return [element["text"] for block in blocks_of_type(message, "context") for element in block["elements"]]


def top_tweet_text(message) -> str:
    return next(text for text in section_texts(message) if text.startswith("*Top tweet*"))


def buttons(message) -> list[dict]:
    return [element for block in blocks_of_type(message, "actions") for element in block["elements"]]


def expected_figure(row: FigureRow) -> str:
    return f"{format_value(row.value, row.unit)} ({format_change(row.value, row.previous, row.unit)})"


def with_top_tweet(report, **changes):
    """Return a copy of the report whose top tweet has the given fields changed."""
    tweet = replace(report.current.top_tweets[0], **changes)
    return replace(report, current=replace(report.current, top_tweets=[tweet]))


def test_fallback_text_names_account(message):
    assert message.text.startswith("@TestHealthLib · 2026-03-02 to 2026-03-08")


def test_fallback_text_names_previous_period(message):
    assert "changes against 2026-02-23 to 2026-03-01" in message.text


def test_fallback_text_lists_every_figure(report, message):
    for row in figure_rows(report):
        assert f"{row.name} {expected_figure(row)}" in message.text


def test_fallback_text_names_top_tweet(message):
    assert "Top tweet: News from WHO #HealthLit (Likes 10 · Retweets 4)" in message.text


def test_fields_match_text_renderer(report, message):
    fields = field_texts(message)
    for row in figure_rows(report):
        assert f"*{row.name}*\n{expected_figure(row)}" in fields


def test_fields_format_shares_and_changes(message):
    fields = field_texts(message)
    assert "*Listening (retweets and quotes)*\n30% (-3 pts)" in fields
    assert "*Response rate*\n67% (-33 pts)" in fields
    assert "*Median time to first reply*\n1.2 h (+15 min)" in fields
    assert "*Unanswered after a day*\n1 (+1)" in fields
    assert "*Likes*\n27 (+24)" in fields


def test_fields_show_missing_figures(message):
    assert f"*Impressions*\n{MISSING} ({MISSING})" in field_texts(message)


def test_header_names_account_and_period(message):
    assert message.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "@TestHealthLib · 2026-03-02 to 2026-03-08"},
    }


def test_comparison_follows_header(message):
    assert message.blocks[1]["type"] == "context"
    assert message.blocks[1]["elements"][0]["text"] == (
        "Changes in parentheses compare with the previous period, 2026-02-23 to 2026-03-01.")


def test_goal_section_follows_comparison(message):
    assert message.blocks[2]["text"]["text"] == "*Goals* · 5 of 7 goals met."


def test_goal_fields_missed_first(message):
    fields = [field["text"] for field in message.blocks[2]["fields"]]
    assert fields[0] == "*Response rate*\n67% · target at least 90%\n:x: missed · worse"
    assert fields[1] == "*Unanswered after a day*\n1 · target at most 0\n:x: missed · worse"
    assert fields[2] == "*Median reply time*\n1.2 h · target at most 24 h\n:white_check_mark: met · worse"


def test_goal_section_without_goals(report):
    message = render_report_blocks(replace(report, goals=[]), freshness=FRESHNESS)
    assert message.blocks[2]["text"]["text"] == ("*Goals* · no goals set.\n"
                                                 "An admin can set them with `/tweetstats goals`.")
    assert "fields" not in message.blocks[2]


def test_fallback_text_has_goals(message):
    assert "Goals: 5 of 7 goals met. Response rate 67% (target at least 90%): missed, worse than" in message.text


def test_strategy_section_follows_goals(message):
    assert message.blocks[3]["text"]["text"] == "*Strategy*"
    assert len(message.blocks[3]["fields"]) == 4


def test_sections_follow_figure_groups(message):
    titles = [text for text in section_texts(message) if not text.startswith(("*Top tweet*", "*Goals*"))]
    assert titles == ["*Strategy*", "*Tweets*", "*Links*", "*Engagement*", "*Responsiveness*", "*Audience*"]


def test_top_tweet_linked_with_counts(report, message):
    tweet = report.current.top_tweets[0]
    assert top_tweet_text(message) == f"*Top tweet* · Likes 10 · Retweets 4\n<{tweet.url}|News from WHO #HealthLit>"


def test_top_tweet_verbatim(message):
    section = next(block for block in blocks_of_type(message, "section") if block["text"]["text"].startswith("*Top"))
    assert section["text"]["verbatim"] is True


def test_top_tweet_text_shortened(report):
    message = render_report_blocks(with_top_tweet(report, text="word " * 100), freshness=FRESHNESS)
    link_text = top_tweet_text(message).split("|", 1)[1]
    assert link_text.endswith("…>")
    assert len(link_text) == 101


def test_top_tweet_without_text(report):
    message = render_report_blocks(with_top_tweet(report, text="  "), freshness=FRESHNESS)
    assert top_tweet_text(message).endswith("|(no text)>")


def test_top_tweet_missing(report):
    empty = replace(report, current=replace(report.current, top_tweets=[]))
    message = render_report_blocks(empty, freshness=FRESHNESS)
    assert top_tweet_text(message) == "*Top tweet*\nNo own tweets in this period."
    assert "Top tweet: no own tweets in this period." in message.text


def test_context_shows_freshness(message):
    assert message.blocks[-2]["type"] == "context"
    assert message.blocks[-2]["elements"] == [{"type": "mrkdwn", "text": FRESHNESS}]


def test_context_without_note_inside_data(report, message):
    assert report.beyond_data is False
    assert not any(text.startswith("Note:") for text in context_texts(message))


def test_context_note_beyond_data(store, tmp_path):
    build_store(store, tmp_path)
    account = accounts.require_account(store.db, HANDLE)
    late = build_report(store.db, account, calendar_period("week", date(2026, 12, 10), UTC, previous=True))
    message = render_report_blocks(late, freshness=FRESHNESS)
    assert late.beyond_data is True
    assert message.blocks[-2]["elements"][1]["text"] == data_note(late)


def test_context_skips_blank_freshness(report):
    message = render_report_blocks(report, freshness="  ")
    assert all(FRESHNESS not in text for text in context_texts(message))
    assert message.blocks[-2]["type"] == "section"


def test_share_button_fields(message):
    button = buttons(message)[0]
    assert message.blocks[-1]["type"] == "actions"
    assert button["action_id"] == "share_report"
    assert button["text"]["text"] == "Share in channel"


def test_share_button_value_round_trips(message):
    handle, first, last = read_share_value(buttons(message)[0]["value"])
    assert handle == "TestHealthLib"
    assert first == date(2026, 3, 2)
    assert last == date(2026, 3, 8)


def test_share_button_value_is_json(message):
    value = json.loads(buttons(message)[0]["value"])
    assert value == {"account": "TestHealthLib", "since": "2026-03-02", "until": "2026-03-08"}


def test_share_value_rebuilds_report(store, report, message):
    handle, first, last = read_share_value(buttons(message)[0]["value"])
    account = accounts.require_account(store.db, handle)
    rebuilt = build_report(store.db, account, date_range(first, last, UTC))
    assert rebuilt.current.since == report.current.since
    assert rebuilt.previous.since == report.previous.since
    assert rebuilt.current.engagement == report.current.engagement


def test_share_button_off(report):
    message = render_report_blocks(report, freshness=FRESHNESS, share_button=False)
    assert blocks_of_type(message, "actions") == []


@pytest.mark.parametrize("value", ["", "not json", "[]", '{"account": "A"}', '{"account": "A", "since": "x", '
                                                                              '"until": "2026-03-08"}'])
def test_read_share_value_invalid(value):
    with pytest.raises(ValueError, match="invalid share button value"):
        read_share_value(value)


def test_escapes_tweet_text(report):
    message = render_report_blocks(with_top_tweet(report, text="Q&A <today> at 5 > 3"), freshness=FRESHNESS)
    assert "|Q&amp;A &lt;today&gt; at 5 &gt; 3>" in top_tweet_text(message)


def test_escapes_fallback_text(report):
    message = render_report_blocks(with_top_tweet(report, text="Q&A <today>"), freshness=FRESHNESS)
    assert "Top tweet: Q&amp;A &lt;today&gt; (" in message.text
    assert "<today>" not in message.text


def test_escapes_freshness(report):
    message = render_report_blocks(report, freshness="updated <1 min ago & live")
    assert "updated &lt;1 min ago &amp; live" in context_texts(message)


def test_limits_hold_for_long_input(report):
    long_handle = "H" * 500
    long_report = with_top_tweet(report, text="<&> " * 5000,
                                 url=f"https://x.com/{'H' * 5000}/status/1")
    long_report = replace(long_report, account=replace(report.account, handle=long_handle))
    message = render_report_blocks(long_report, freshness="x" * 10000)

    assert len(message.blocks) <= MAX_BLOCKS
    assert len(blocks_of_type(message, "header")[0]["text"]["text"]) <= MAX_HEADER_TEXT
    for text in section_texts(message):
        assert len(text) <= MAX_SECTION_TEXT
    for block in blocks_of_type(message, "section"):
        assert len(block.get("fields", [])) <= MAX_FIELDS
    for text in field_texts(message):
        assert len(text) <= MAX_FIELD_TEXT
    for text in context_texts(message):
        assert len(text) <= MAX_SECTION_TEXT
    for button in buttons(message):
        assert len(button["text"]["text"]) <= MAX_BUTTON_TEXT
        assert len(button["value"]) <= MAX_BUTTON_VALUE
    assert len(message.text) <= MAX_MESSAGE_TEXT


def test_long_input_cut_with_ellipsis(report):
    long_report = replace(report, account=replace(report.account, handle="H" * 500))
    message = render_report_blocks(long_report, freshness=FRESHNESS)
    header = blocks_of_type(message, "header")[0]["text"]["text"]
    assert len(header) == MAX_HEADER_TEXT
    assert header.endswith("…")


def test_long_link_dropped_not_broken(report):
    long_report = with_top_tweet(report, url=f"https://x.com/{'H' * 5000}/status/1")
    text = top_tweet_text(render_report_blocks(long_report, freshness=FRESHNESS))
    assert text == "*Top tweet* · Likes 10 · Retweets 4\n…"


def test_share_button_left_out_for_oversized_value(report):
    huge = replace(report, account=replace(report.account, handle="H" * MAX_BUTTON_VALUE))
    message = render_report_blocks(huge, freshness=FRESHNESS)
    assert blocks_of_type(message, "actions") == []
    assert len(message.blocks[0]["text"]["text"]) == MAX_HEADER_TEXT


def test_fallback_text_cut_to_message_limit(report):
    huge = replace(report, account=replace(report.account, handle="H" * 50000))
    message = render_report_blocks(huge, freshness=FRESHNESS)
    assert len(message.text) == MAX_MESSAGE_TEXT
    assert message.text.endswith("…")


def test_figure_sections_split_at_ten_fields():
    rows = [FigureRow("Tweets", f"Figure {number}", "count", number, 0) for number in range(23)]
    sections = build_figure_sections(rows)
    assert [len(section["fields"]) for section in sections] == [10, 10, 3]
    assert sections[0]["text"]["text"] == "*Tweets*"
    assert "text" not in sections[1]


def test_fit_blocks_cuts_to_limit():
    blocks = [{"type": "divider"} for _ in range(80)]
    fitted = fit_blocks(blocks)
    assert len(fitted) == MAX_BLOCKS
    assert fitted[-1]["type"] == "context"
    assert fitted[-1]["elements"][0]["text"].startswith("31 more blocks were left out")


def test_fit_blocks_keeps_short_list():
    blocks = [{"type": "divider"} for _ in range(MAX_BLOCKS)]
    assert fit_blocks(blocks) == blocks


def test_report_within_block_limit(message):
    assert len(message.blocks) == 12


def test_cut_text_adds_ellipsis():
    assert cut_text("abcdef", 4) == "abc…"
    assert cut_text("abcd", 4) == "abcd"


def test_cut_mrkdwn_keeps_entities_whole():
    assert cut_mrkdwn("a &amp; b", 6) == "a …"


def test_cut_mrkdwn_drops_unclosed_link():
    assert cut_mrkdwn("see <https://example.org/page|page> now", 20) == "see …"


def test_empty_store_report(store):
    with store.write() as db:
        account = accounts.add_account(db, "EmptyLib")
    empty = build_report(store.db, account, calendar_period("week", date(2026, 3, 10), UTC, previous=True))
    message = render_report_blocks(empty, freshness=FRESHNESS)
    fields = field_texts(message)
    assert message.text.startswith("@EmptyLib · 2026-03-02 to 2026-03-08")
    assert f"*Listening (retweets and quotes)*\n{MISSING} ({MISSING})" in fields
    assert f"*Likes*\n{MISSING} ({MISSING})" in fields
    assert f"*Followers*\n{MISSING} ({MISSING})" in fields
    assert "*All tweets*\n0 (+0)" in fields
    assert top_tweet_text(message) == "*Top tweet*\nNo own tweets in this period."
    assert data_note(empty) in context_texts(message)
