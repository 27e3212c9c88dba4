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
