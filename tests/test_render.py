"""How figures and their changes are written in the text report."""

import pytest

from bot.render import format_change, format_minutes, format_value


@pytest.mark.parametrize("value, unit, expected", [
    (None, "count", "–"),
    (1234, "count", "1,234"),
    (0.3333, "share", "33%"),
    (45.0, "minutes", "45 min"),
    (90.0, "minutes", "1.5 h"),
    (4320.0, "minutes", "3.0 days"),
])
def test_format_value(value, unit, expected):
    assert format_value(value, unit) == expected


@pytest.mark.parametrize("value, previous, unit, expected", [
    (0.3333, 0.2222, "share", "+11 pts"),
    (0.104, 0.0946, "share", "+1 pts"),
    (0.10, 0.10, "share", "+0 pts"),
    (12, 20, "count", "-8"),
    (30.0, 90.0, "minutes", "-1.0 h"),
    (None, 3, "count", "–"),
])
def test_format_change(value, previous, unit, expected):
    assert format_change(value, previous, unit) == expected


def test_format_minutes_boundaries():
    assert format_minutes(59.4) == "59 min"
    assert format_minutes(60) == "1.0 h"
    assert format_minutes(2880) == "2.0 days"


def report_updated(updated_at, updated_by):
    from datetime import datetime, timezone

    from metrics.report import Report

    return Report(account=None, current=None, previous=None, generated_at=datetime.now(timezone.utc),
                  data_until=None, updated_at=updated_at, updated_by=updated_by)


@pytest.mark.parametrize("minutes_ago, source, expected", [
    (12, "poll", "updated 12 min ago"),
    (0, "poll", "updated 0 min ago"),
    (150, "poll", "updated 2 h ago"),
    (3 * 1440, "poll", "updated 3 days ago"),
    (10, "archive", "from an archive imported on 2026-12-04"),
    (10, "twarc", "from a twarc file imported on 2026-12-04"),
    (10, "tweets file", "from a tweets file imported on 2026-12-04"),
])
def test_freshness_line(minutes_ago, source, expected):
    from datetime import datetime, timedelta, timezone

    from bot.render import freshness_line

    now = datetime(2026, 12, 4, 15, 0, tzinfo=timezone.utc)
    report = report_updated(now - timedelta(minutes=minutes_ago), source)
    assert freshness_line(report, now) == expected


def test_freshness_without_imports():
    from datetime import datetime, timezone

    from bot.render import freshness_line

    assert freshness_line(report_updated(None, None), datetime.now(timezone.utc)) == "no data imported yet"


@pytest.mark.parametrize("value, unit, expected", [
    (None, "share", "–"),
    (0.9, "share", "90%"),
    (0.126, "share", "13%"),
    (0.05, "share", "5%"),
    (0.012, "share", "1.2%"),
    (90.0, "minutes", "1.5 h"),
    (3.0, "number", "3"),
    (16.2555, "number", "16.3"),
    (1500.0, "number", "1,500"),
])
def test_format_goal_value(value, unit, expected):
    from bot.progress import format_goal_value

    assert format_goal_value(value, unit) == expected


@pytest.mark.parametrize("name, target, expected", [
    ("response_rate", 0.9, "at least 90%"),
    ("linking_share", 0.125, "at least 12.5%"),
    ("median_response_minutes", 1440.0, "at most 24 h"),
    ("median_response_minutes", 2880.0, "at most 2 days"),
    ("median_response_minutes", 90.0, "at most 90 min"),
    ("unanswered_after_day", 0.0, "at most 0"),
])
def test_describe_target(name, target, expected):
    from bot.progress import describe_target
    from metrics.goals import SPECS, judge

    assert describe_target(judge(SPECS[name], target, None, None)) == expected


def test_summary_line_counts_goals_without_data():
    from bot.progress import summary_line
    from metrics.goals import SPECS, judge

    results = [judge(SPECS["response_rate"], 0.9, 0.95, None), judge(SPECS["tweets_per_week"], 3, 1, None),
               judge(SPECS["linking_share"], 0.25, None, None)]
    assert summary_line(results) == "1 of 2 goals met (1 without data)"


def test_summary_line_without_judged_goals():
    from bot.progress import summary_line
    from metrics.goals import SPECS, judge

    assert summary_line([judge(SPECS["response_rate"], 0.9, None, None)]) == \
        "no data for the goal"


def test_missed_first_keeps_goal_order():
    from bot.progress import missed_first
    from metrics.goals import SPECS, judge

    results = [judge(SPECS["response_rate"], 0.9, 0.95, None), judge(SPECS["tweets_per_week"], 3, 1, None),
               judge(SPECS["linking_share"], 0.25, 0.24, None), judge(SPECS["listening_share"], 0.1, 0.0, None)]
    assert [result.name for result in missed_first(results)] == [
        "tweets_per_week", "listening_share", "linking_share", "response_rate"]
