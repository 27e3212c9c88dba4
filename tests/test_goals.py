"""Goals: reading targets, judging figures against them, and versions over time."""

from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from metrics import accounts, figures, writer
from metrics.goal_store import goal_versions, set_goals, settings_in_force, targets_in_force
from metrics.goals import (AT_LEAST, AT_MOST, GOALS, SPECS, GoalError, count_met, find_spec, format_target,
                           judge, parse_assignments, parse_target, status, trend)
from metrics.periods import calendar_period
from metrics.report import build_report

UTC = ZoneInfo("UTC")
NOW = datetime(2026, 12, 4, 12, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("name, typed, expected", [
    ("response_rate", "90%", 0.9),
    ("response_rate", "90 %", 0.9),
    ("response_rate", "0.9", 0.9),
    ("response_rate", "100%", 1.0),
    ("linking_share", "25%", 0.25),
    ("linking_share", "12.5%", 0.125),
    ("median_response_minutes", "90", 90.0),
    ("median_response_minutes", "90m", 90.0),
    ("median_response_minutes", "90 min", 90.0),
    ("median_response_minutes", "24h", 1440.0),
    ("median_response_minutes", "1.5 hours", 90.0),
    ("median_response_minutes", "2d", 2880.0),
    ("unanswered_after_day", "0", 0.0),
    ("unanswered_after_day", "3", 3.0),
    ("tweets_per_week", "2.5", 2.5),
    ("tweets_per_week", "1,000", 1000.0),
    ("engagement_per_tweet", "2", 2.0),
    ("followers_growth_per_month", "1%", 0.01),
    ("response_rate", "off", None),
    ("response_rate", "OFF", None),
    ("tweets_per_week", "none", None),
])
def test_parse_target(name, typed, expected):
    assert parse_target(SPECS[name], typed) == (pytest.approx(expected) if expected is not None else None)


@pytest.mark.parametrize("name, typed, fragment", [
    ("response_rate", "150%", "out of range"),
    ("response_rate", "90", "type the % sign"),
    ("response_rate", "-10%", "out of range"),
    ("response_rate", "ninety", "is not a percentage"),
    ("response_rate", "", "is not a percentage"),
    ("response_rate", "nan", "is not a percentage"),
    ("median_response_minutes", "24 weeks", "is not a time"),
    ("median_response_minutes", "31d", "out of range"),
    ("median_response_minutes", "-5", "out of range"),
    ("unanswered_after_day", "1.5", "whole number"),
    ("unanswered_after_day", "-1", "out of range"),
    ("tweets_per_week", "inf", "is not a number"),
    ("tweets_per_week", "1001", "out of range"),
    ("tweets_per_week", "0", "would always be met"),
    ("response_rate", "0%", "would always be met"),
])
def test_parse_target_refuses(name, typed, fragment):
    with pytest.raises(GoalError, match=fragment):
        parse_target(SPECS[name], typed)


def test_error_names_the_value():
    with pytest.raises(GoalError, match="response_rate='150%'"):
        parse_target(SPECS["response_rate"], "150%")


def test_unknown_name_lists_the_goals():
    with pytest.raises(GoalError) as error:
        find_spec("answer_rate")
    for spec in GOALS:
        assert spec.name in str(error.value)


def test_find_spec_reads_dashes_and_capitals():
    assert find_spec("Response-Rate").name == "response_rate"


def test_parse_assignments():
    targets = parse_assignments(["response_rate=95%", "tweets_per_week=default", "promoting_share=off"])
    assert targets == {"response_rate": 0.95, "tweets_per_week": "default", "promoting_share": None}


@pytest.mark.parametrize("words, fragment", [
    ([], "at least one goal"),
    (["response_rate"], "is not name=value"),
    (["=90%"], "is not name=value"),
    (["answer_rate=90%"], "is not a goal"),
    (["response_rate=90%", "response-rate=80%"], "given twice"),
    (["response_rate=2"], "out of range"),
])
def test_parse_assignments_refuses(words, fragment):
    with pytest.raises(GoalError, match=fragment):
        parse_assignments(words)


@pytest.mark.parametrize("spec", GOALS, ids=lambda spec: spec.name)
def test_default_reads_back(spec):
    typed = format_target(spec, spec.default)
    assert parse_target(spec, typed) == spec.default


@pytest.mark.parametrize("name, value, typed", [
    ("median_response_minutes", 90.0, "90min"),
    ("median_response_minutes", 120.0, "2h"),
    ("median_response_minutes", 2880.0, "2d"),
    ("response_rate", 0.875, "87.5%"),
    ("tweets_per_week", 2.5, "2.5"),
])
def test_format_target(name, value, typed):
    assert format_target(SPECS[name], value) == typed


@pytest.mark.parametrize("direction, target, value, expected", [
    (AT_LEAST, 0.9, 0.9, "met"),
    (AT_LEAST, 0.9, 27 / 30, "met"),
    (AT_LEAST, 0.9, 0.95, "met"),
    (AT_LEAST, 0.9, 0.81, "close"),
    (AT_LEAST, 0.9, 0.85, "close"),
    (AT_LEAST, 0.9, 0.8099, "missed"),
    (AT_LEAST, 0.9, 0.0, "missed"),
    (AT_LEAST, 3.0, 2.7, "close"),
    (AT_LEAST, 0.0, 0.0, "met"),
    (AT_MOST, 1440.0, 1440.0, "met"),
    (AT_MOST, 1440.0, 1584.0, "close"),
    (AT_MOST, 1440.0, 1584.1, "missed"),
    (AT_MOST, 1440.0, 10.0, "met"),
    (AT_MOST, 0.0, 0.0, "met"),
    (AT_MOST, 0.0, 1.0, "missed"),
    (AT_MOST, 0.5, 0.55, "close"),
    (AT_LEAST, 0.9, None, "no_data"),
])
def test_status_at_the_boundaries(direction, target, value, expected):
    assert status(direction, target, value) == expected


@pytest.mark.parametrize("direction, value, previous, expected", [
    (AT_LEAST, 0.8, 0.7, "better"),
    (AT_LEAST, 0.7, 0.8, "worse"),
    (AT_LEAST, 0.7, 0.7, "same"),
    (AT_MOST, 60.0, 90.0, "better"),
    (AT_MOST, 90.0, 60.0, "worse"),
    (AT_LEAST, 0.7, None, None),
    (AT_MOST, None, 60.0, None),
])
def test_trend(direction, value, previous, expected):
    assert trend(direction, value, previous) == expected


def test_judge_keeps_the_figures():
    result = judge(SPECS["response_rate"], 0.9, 0.5, 0.7)
    assert (result.status, result.trend, result.value, result.previous) == ("missed", "worse", 0.5, 0.7)


def test_count_met_skips_no_data():
    results = [judge(SPECS["response_rate"], 0.9, 0.95, None), judge(SPECS["tweets_per_week"], 3, 1, None),
               judge(SPECS["linking_share"], 0.25, None, None)]
    assert count_met(results) == (1, 2)


@pytest.fixture
def account(store):
    with store.write() as db:
        return accounts.add_account(db, "TestHealthLib")


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def test_defaults_hold_without_versions(store, account):
    targets = targets_in_force(store.db, account.id, NOW)
    assert targets == {spec.name: spec.default for spec in GOALS if spec.default is not None}


def test_set_goals_stores_only_changes(store, account):
    with store.write() as db:
        changed = set_goals(db, account, {"response_rate": 0.95, "tweets_per_week": 3.0}, NOW, "cli", NOW)
    assert changed == ["response_rate"]


def test_saving_twice_writes_no_version(store, account):
    for _ in range(2):
        with store.write() as db:
            set_goals(db, account, {"response_rate": 0.95}, NOW, "cli", NOW)
    assert len(goal_versions(store.db, account.id)) == 1


def test_off_and_default(store, account):
    with store.write() as db:
        set_goals(db, account, {"response_rate": None, "engagement_per_tweet": 2.0}, moment("2026-01-01T00:00:00"),
                  "cli", NOW)
        set_goals(db, account, {"response_rate": "default"}, moment("2026-06-01T00:00:00"), "cli", NOW)
    spring = targets_in_force(store.db, account.id, moment("2026-03-01T00:00:00"))
    summer = targets_in_force(store.db, account.id, moment("2026-07-01T00:00:00"))
    assert "response_rate" not in spring
    assert spring["engagement_per_tweet"] == 2.0
    assert summer["response_rate"] == 0.9


def test_version_starts_at_its_moment(store, account):
    start = moment("2026-02-15T00:00:00")
    with store.write() as db:
        set_goals(db, account, {"tweets_per_week": 10.0}, start, "U123", NOW)
    before = targets_in_force(store.db, account.id, start)
    after = targets_in_force(store.db, account.id, moment("2026-02-15T00:00:01"))
    assert before["tweets_per_week"] == 3.0
    assert after["tweets_per_week"] == 10.0


def test_later_setting_wins_a_tie(store, account):
    start = moment("2026-02-15T00:00:00")
    with store.write() as db:
        set_goals(db, account, {"tweets_per_week": 10.0}, start, "U123", NOW)
        set_goals(db, account, {"tweets_per_week": 7.0}, start, "U456", NOW)
    setting = settings_in_force(store.db, account.id, NOW)["tweets_per_week"]
    assert (setting.target, setting.set_by) == (7.0, "U456")


def test_mid_quarter_change(store, account):
    """A goal raised on 15 February judges January by the old target and March by the new one."""
    with store.write() as db:
        set_goals(db, account, {"tweets_per_week": 5.0}, moment("2025-12-01T00:00:00"), "cli", NOW)
        set_goals(db, account, {"tweets_per_week": 10.0}, moment("2026-02-15T00:00:00"), "cli", NOW)
    targets = {}
    for day in (date(2026, 2, 1), date(2026, 3, 1), date(2026, 4, 1)):
        period = calendar_period("month", day, UTC, previous=True)
        report = build_report(store.db, account, period)
        targets[period.label] = {goal.name: goal.target for goal in report.goals}["tweets_per_week"]
    assert list(targets.values()) == [5.0, 10.0, 10.0]


def test_goal_switched_off_leaves_the_report(store, account):
    with store.write() as db:
        set_goals(db, account, {"promoting_share": None}, moment("2026-01-01T00:00:00"), "cli", NOW)
    report = build_report(store.db, account, calendar_period("month", date(2026, 3, 1), UTC, previous=True))
    assert "promoting_share" not in [goal.name for goal in report.goals]


def test_deleting_the_account_deletes_its_goals(store, account):
    with store.write() as db:
        set_goals(db, account, {"response_rate": 0.95}, NOW, "cli", NOW)
        writer.delete_account(db, account)
    assert store.db.execute("SELECT count(*) FROM goals").fetchone()[0] == 0


def unanswered_after_day(store, account, now: str) -> int | None:
    params = {"account": account.id, "since": "2026-11-01T00:00:00Z", "until": "2026-12-01T00:00:00Z", "now": now}
    return figures.responsiveness(store.db, params).unanswered_after_day


@pytest.fixture
def day_old_questions(store, account):
    """Store four questions of 2026-11-10 10:00 UTC, answered at and past the day's edge, by reply and by mark."""
    from scorecard_stores import StoreBuilder

    day = timedelta(days=1)
    with store.write() as db:
        build = StoreBuilder(db, account)
        build.question("2026-11-10T10:00:00", reply_after=day)
        build.question("2026-11-10T10:00:00", reply_after=day + timedelta(seconds=1))
        marked = build.question("2026-11-10T10:00:00")
        build.mark(marked, "answered", "2026-11-11T10:00:00")
        late = build.question("2026-11-10T10:00:00")
        build.mark(late, "answered", "2026-11-11T10:00:01")


def test_unanswered_after_day_edges(store, account, day_old_questions):
    assert unanswered_after_day(store, account, "2026-12-04T12:00:00Z") == 2


def test_unanswered_counts_after_a_full_day(store, account, day_old_questions):
    assert unanswered_after_day(store, account, "2026-11-11T10:00:00Z") == 0


def test_unanswered_counts_past_the_day(store, account, day_old_questions):
    assert unanswered_after_day(store, account, "2026-11-11T10:00:01Z") == 2
