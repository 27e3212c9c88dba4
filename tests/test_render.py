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
