"""``tweetstats goals show`` and ``goals set`` on real database files."""

import json
import re
import subprocess
import sys

import pytest

from builders import HANDLE, Post, archive_2022, write_zip

POSTS = [
    Post("2026-03-02T10:00:00", "From WHO", urls=["https://who.int/a"], likes=3, retweets=1),
    Post("2026-03-03T10:00:00", "Our guide", urls=["https://guides.testhealthlib.example/b"], likes=1),
]


@pytest.fixture
def imported(run, tmp_path):
    result = run("import", str(write_zip(tmp_path / "archive.zip", archive_2022(POSTS))))
    assert result.exit_code == 0


def goal_row(output: str, name: str) -> list[str]:
    """Return the columns of a goal's line in ``goals show``: name, label, target and origin."""
    line = next(line for line in output.splitlines() if line.strip().startswith(name + " "))
    return re.split(r"\s{2,}", line.strip())


def report_goals(run) -> dict:
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "json")
    return {goal["name"]: goal for goal in json.loads(result.stdout)["goals"]}


def test_show_lists_defaults(run, imported):
    result = run("goals", "show", "@" + HANDLE)
    assert goal_row(result.stdout, "response_rate") == ["response_rate", "Response rate", "at least 90%", "default"]
    assert goal_row(result.stdout, "engagement_per_tweet")[2:] == ["off", "default"]


def test_show_without_handle_uses_only_account(run, imported):
    assert run("goals", "show").exit_code == 0


def test_set_changes_report(run, imported):
    result = run("goals", "set", "@" + HANDLE, "tweets_per_week=2", "--from", "2026-01-01")
    assert result.exit_code == 0
    assert "Changed tweets_per_week for @TestHealthLib, from 2026-01-01." in result.stdout
    assert report_goals(run)["tweets_per_week"]["status"] == "met"


def test_set_from_now_leaves_past_reports(run, imported):
    assert run("goals", "set", "@" + HANDLE, "tweets_per_week=2").exit_code == 0
    assert report_goals(run)["tweets_per_week"]["target"] == 3.0


def test_off_and_default(run, imported):
    run("goals", "set", "@" + HANDLE, "listening_share=off", "engagement_per_tweet=0.5", "--from", "2026-01-01")
    goals = report_goals(run)
    assert "listening_share" not in goals
    assert goals["engagement_per_tweet"]["target"] == 0.5


def test_setting_twice_changes_nothing(run, imported):
    run("goals", "set", "@" + HANDLE, "response_rate=95%")
    result = run("goals", "set", "@" + HANDLE, "response_rate=95%")
    assert "Nothing changed: @TestHealthLib already had these targets." in result.stdout


def test_history_lists_versions(run, imported):
    run("goals", "set", "@" + HANDLE, "median_response_minutes=12h", "--from", "2026-02-01")
    result = run("goals", "show", "@" + HANDLE, "--history")
    assert "History, the earliest first (times in UTC):" in result.stdout
    assert "from 2026-02-01 00:00  median_response_minutes=12h  (set " in result.stdout


def test_history_without_changes(run, imported):
    result = run("goals", "show", "--history")
    assert "History: no goal was changed yet; every goal has its default." in result.stdout


def test_from_reads_the_report_zone(run, imported, monkeypatch):
    monkeypatch.setenv("TWEETSTATS_TIMEZONE", "America/Toronto")
    run("goals", "set", "@" + HANDLE, "response_rate=95%", "--from", "2026-02-01")
    result = run("goals", "show", "--history")
    assert "History, the earliest first (times in America/Toronto):" in result.stdout
    assert "from 2026-02-01 00:00  response_rate=95%" in result.stdout


@pytest.mark.parametrize("arguments, message", [
    (["response_rate=150%"], "response_rate='150%' is out of range"),
    (["response_rate=90"], "(for 90%, type the % sign)"),
    (["answer_rate=90%"], "'answer_rate' is not a goal. The goals are: response_rate (at least"),
    (["response_rate"], "'response_rate' is not name=value"),
    ([], "give at least one goal as name=value"),
    (["response_rate=90%", "--from", "2026-13-01"], "'2026-13-01' is not a valid date"),
])
def test_set_rejects_bad_input(run, imported, arguments, message):
    result = run("goals", "set", "@" + HANDLE, *arguments)
    assert result.exit_code == 1
    assert message in result.stderr


def test_rejected_set_writes_nothing(run, imported):
    run("goals", "set", "@" + HANDLE, "response_rate=95%", "tweets_per_week=lots")
    assert goal_row(run("goals", "show").stdout, "response_rate")[2:] == ["at least 90%", "default"]


def test_unknown_account(run, imported):
    result = run("goals", "set", "@nobody", "response_rate=95%")
    assert "no account @nobody in the store" in result.stderr


def test_missing_store(run):
    result = run("goals", "show", "@" + HANDLE)
    assert result.exit_code == 1
    assert "no database at" in result.stderr


def test_set_prints_the_new_target(run, imported):
    result = run("goals", "set", "@" + HANDLE, "response_rate=95%")
    assert goal_row(result.stdout, "response_rate")[2] == "at least 95%"
    assert goal_row(result.stdout, "response_rate")[3].startswith("set by cli, counting from ")


def test_default_restores_the_default(run, imported):
    run("goals", "set", "@" + HANDLE, "response_rate=95%", "--from", "2026-01-01")
    result = run("goals", "set", "@" + HANDLE, "response_rate=default")
    assert goal_row(result.stdout, "response_rate")[2] == "at least 90%"
    assert goal_row(result.stdout, "response_rate")[3].startswith("default again by cli, counting from ")


def test_history_names_a_restored_default(run, imported):
    run("goals", "set", "@" + HANDLE, "response_rate=95%", "--from", "2026-01-01")
    run("goals", "set", "@" + HANDLE, "response_rate=default")
    assert "response_rate=default  (set " in run("goals", "show", "--history").stdout


def test_default_when_default_changes_nothing(run, imported):
    result = run("goals", "set", "@" + HANDLE, "response_rate=default")
    assert "Nothing changed" in result.stdout


def test_show_writes_minutes_with_a_unit(run, imported):
    run("goals", "set", "@" + HANDLE, "median_response_minutes=1.5h")
    assert goal_row(run("goals", "show").stdout, "median_response_minutes")[2] == "at most 90min"


def test_later_version_warns(run, imported):
    run("goals", "set", "@" + HANDLE, "tweets_per_week=2.5")
    result = run("goals", "set", "@" + HANDLE, "tweets_per_week=7", "--from", "2026-09-01")
    assert "Note: tweets_per_week=2.5 from " in result.stdout
    assert "the new target counts only until then" in result.stdout
    assert goal_row(result.stdout, "tweets_per_week")[2] == "at least 2.5"


def test_period_before_data_has_no_data(run, imported):
    result = run("report", "--since", "2025-01-01", "--until", "2025-01-31", "--format", "json")
    goals = {goal["name"]: goal for goal in json.loads(result.stdout)["goals"]}
    assert goals["tweets_per_week"]["status"] == "no_data"


def test_period_after_data_has_no_data(run, imported):
    result = run("report", "--since", "2027-01-01", "--until", "2027-01-31", "--format", "json")
    goals = {goal["name"]: goal for goal in json.loads(result.stdout)["goals"]}
    assert goals["tweets_per_week"]["value"] is None


def test_first_period_has_no_trend(run, imported):
    assert report_goals(run)["tweets_per_week"]["trend"] is None


def test_closed_pipe_is_quiet(db_path, run, imported):
    """A reader that stops early, as ``| head`` does, ends the command without an error message."""
    command = [sys.executable, "-c", "from bot.cli import main; main()", "--db", str(db_path), "goals", "show"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # Closed before the interpreter has started, so the command's first write finds no reader.
    process.stdout.close()
    stderr = process.stderr.read()
    assert process.wait(timeout=60) == 0
    assert stderr == b""
