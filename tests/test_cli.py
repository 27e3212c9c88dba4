"""The tweetstats command line, run in-process on real database files."""

import csv
import io
import json

import click
import pytest

from bot.cli import cli
from builders import HANDLE, Post, archive_2022, write_zip

POSTS = [
    Post("2026-03-02T10:00:00", "From WHO", urls=["https://who.int/a"], likes=3, retweets=1),
    Post("2026-03-03T10:00:00", "Our guide", urls=["https://guides.testhealthlib.example/b"], likes=1),
]


def all_commands(group: click.Group, prefix: str = ""):
    for name, command in group.commands.items():
        yield prefix + name, command
        if isinstance(command, click.Group):
            yield from all_commands(command, prefix + name + " ")


@pytest.mark.parametrize("name, command", list(all_commands(cli)))
def test_command_has_help(name, command):
    assert command.help, f"tweetstats {name} has no help text"


@pytest.mark.parametrize("name, command", list(all_commands(cli)))
def test_options_have_help(name, command):
    for parameter in command.params:
        if isinstance(parameter, click.Option):
            assert parameter.help, f"tweetstats {name} {parameter.opts[0]} has no help text"


@pytest.fixture
def imported(run, tmp_path):
    result = run("import", str(write_zip(tmp_path / "archive.zip", archive_2022(POSTS))))
    assert result.exit_code == 0
    return result


def test_import_prints_summary(imported):
    assert f"for @{HANDLE}" in imported.stdout
    assert "tweets: 2 read, 2 new to the store (original 2)" in imported.stdout
    assert "dates: 2026-03-02 to 2026-03-03" in imported.stdout


def test_report_json(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "json")
    data = json.loads(result.stdout)
    assert data["tweets"]["total"] == 2
    assert data["until"] == "2026-03-09T00:00:00+00:00"


def test_report_csv_one_row_per_figure(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    likes = next(row for row in rows if row["figure"] == "Likes")
    assert likes["value"] == "4"
    assert likes["previous"] == ""
    assert rows[0]["account"] == "@" + HANDLE


def test_report_text_table(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08")
    assert "All tweets" in result.stdout
    assert "Previous" in result.stdout
    assert "who.int" in result.stdout


def test_own_domain_changes_figures(run, imported):
    assert run("accounts", "set", "@" + HANDLE, "--own-domain", "https://www.TestHealthLib.example/").exit_code == 0
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "json")
    assert json.loads(result.stdout)["links"]["own_site"] == 1


def test_accounts_lists_domains(run, imported):
    run("accounts", "set", HANDLE, "--own-domain", "testhealthlib.example")
    result = run("accounts")
    assert f"@{HANDLE}" in result.stdout
    assert "testhealthlib.example" in result.stdout


def test_remove_own_domain(run, imported):
    run("accounts", "set", HANDLE, "--own-domain", "testhealthlib.example")
    result = run("accounts", "set", HANDLE, "--remove-own-domain", "testhealthlib.example")
    assert result.stdout.strip() == f"@{HANDLE} own domains: none"


@pytest.mark.parametrize("arguments, message", [
    (["report", "--account", "@Nobody"], "no account @Nobody in the store"),
    (["report", "--period", "fortnight"], "'fortnight' is not a period"),
    (["report", "--since", "2026-01-01"], "--since and --until go together"),
    (["report", "--since", "2026-13-01", "--until", "2026-12-31"], "'2026-13-01' is not a valid date"),
    (["report", "--since", "yesterday", "--until", "2026-12-31"], "'yesterday' is not a date"),
    (["report", "--period", "7d", "--since", "2026-01-01", "--until", "2026-01-02"], "either --period or"),
    (["accounts", "set", HANDLE], "nothing to set"),
    (["accounts", "set", HANDLE, "--own-domain", "not a domain"], "'not a domain' is not a website domain"),
    (["accounts", "set", "@bad handle!", "--own-domain", "a.org"], "is not an X handle"),
])
def test_usage_errors_are_one_line(run, imported, arguments, message):
    result = run(*arguments)
    assert result.exit_code == 1
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_report_without_database(run, db_path):
    result = run("report")
    assert result.exit_code == 1
    assert "no database at" in result.stderr
    assert not db_path.exists()


def test_report_on_empty_store(run, db_path, store):
    result = run("report")
    assert result.exit_code == 1
    assert "no accounts yet" in result.stderr


def test_several_accounts_need_choice(run, imported, tmp_path):
    from builders import manifest

    peer_posts = [Post("2026-03-02T11:00:00", "Peer news")]
    files = archive_2022(peer_posts)
    files["data/manifest.js"] = manifest([("data/tweets.js", 1)], account_id="42", handle="PeerLibrary")
    assert run("import", str(write_zip(tmp_path / "peer.zip", files))).exit_code == 0
    result = run("report")
    assert "several accounts are tracked" in result.stderr


def test_database_from_environment(tmp_path, monkeypatch):
    from click.testing import CliRunner

    path = tmp_path / "from-env.db"
    monkeypatch.setenv("TWEETSTATS_DB", str(path))
    archive = write_zip(tmp_path / "archive.zip", archive_2022(POSTS))
    result = CliRunner().invoke(cli, ["import", str(archive)])
    assert result.exit_code == 0
    assert path.exists()


def test_locked_database_is_one_line(run, imported, db_path, monkeypatch):
    import sqlite3

    import metrics.store

    monkeypatch.setattr(metrics.store, "BUSY_TIMEOUT_SECONDS", 0.1)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        result = run("accounts", "set", HANDLE, "--own-domain", "testhealthlib.example")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert result.exit_code == 1
    assert "database is locked" in result.stderr
    assert "try again when it finishes" in result.stderr
    assert "Traceback" not in result.output


def test_mistaken_handle_then_real_archive(run, tmp_path):
    lone = tmp_path / "tweets.js"
    lone.write_text(archive_2022(POSTS)["data/tweets.js"], encoding="utf-8")
    assert run("import", str(lone), "--account", "@TestHealthLi").exit_code == 0
    result = run("import", str(write_zip(tmp_path / "archive.zip", archive_2022(POSTS))))
    assert result.exit_code == 1
    assert "2 of its tweets are already stored for @TestHealthLi" in result.stderr
    assert "tweetstats accounts delete @TestHealthLi" in result.stderr


def test_delete_account_then_import(run, tmp_path):
    lone = tmp_path / "tweets.js"
    lone.write_text(archive_2022(POSTS)["data/tweets.js"], encoding="utf-8")
    run("import", str(lone), "--account", "@TestHealthLi")
    deleted = run("accounts", "delete", "@TestHealthLi", "--yes")
    assert deleted.stdout.strip() == "Deleted @TestHealthLi with 2 tweets and 0 mentions."
    result = run("import", str(write_zip(tmp_path / "archive.zip", archive_2022(POSTS))))
    assert result.exit_code == 0
    assert run("accounts").stdout.count("@") == 1


def test_delete_account_asks_first(run, imported, db_path):
    from click.testing import CliRunner

    result = CliRunner().invoke(cli, ["--db", str(db_path), "accounts", "delete", HANDLE], input="n\n")
    assert result.exit_code == 1
    assert "Delete @TestHealthLib and everything stored for it?" in result.output
    assert run("accounts").stdout.count("@" + HANDLE) == 1


def test_delete_unknown_account(run, imported):
    result = run("accounts", "delete", "@Nobody", "--yes")
    assert result.exit_code == 1
    assert "no account @Nobody in the store" in result.stderr


def test_report_csv_days_included(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "csv")
    assert result.stdout.startswith("\ufeff")
    row = next(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    assert (row["since"], row["until"]) == ("2026-03-02", "2026-03-08")
    assert (row["previous_since"], row["previous_until"]) == ("2026-02-23", "2026-03-01")


def test_report_notes_end_of_data(run, imported):
    result = run("report", "--since", "2026-12-01", "--until", "2026-12-31")
    assert "Note: the stored data ends at 2026-11-30 06:00 UTC" in result.stdout


def test_report_within_data_has_no_note(run, imported):
    run("accounts", "set", HANDLE, "--own-domain", "testhealthlib.example")
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08")
    assert "Note:" not in result.stdout


def test_report_json_data_until(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "json")
    assert json.loads(result.stdout)["data_until"] == "2026-11-30T06:00:00+00:00"


def test_dotenv_file_sets_database(tmp_path):
    import os
    import subprocess
    import sys

    (tmp_path / ".env").write_text("TWEETSTATS_DB=from-dotenv.db\n", encoding="utf-8")
    archive = write_zip(tmp_path / "archive.zip", archive_2022(POSTS))
    environment = {key: value for key, value in os.environ.items() if not key.startswith("TWEETSTATS_")}
    completed = subprocess.run([sys.executable, "-m", "bot.cli", "import", str(archive)], cwd=tmp_path,
                               env=environment, capture_output=True, text=True, check=False)
    assert completed.returncode == 0, completed.stderr
    assert (tmp_path / "from-dotenv.db").exists()


def test_own_domain_typo_warns(run, imported):
    result = run("accounts", "set", HANDLE, "--own-domain", "testhealthlib.exmaple")
    assert result.exit_code == 0
    assert "no stored tweet of @TestHealthLib links to testhealthlib.exmaple" in result.stderr


def test_own_domain_in_use_no_warning(run, imported):
    result = run("accounts", "set", HANDLE, "--own-domain", "testhealthlib.example")
    assert result.stderr == ""


def test_remove_domain_not_set(run, imported):
    result = run("accounts", "set", HANDLE, "--remove-own-domain", "nothere.example.org")
    assert result.exit_code == 1
    assert "'nothere.example.org' is not an own domain of @TestHealthLib" in result.stderr


def test_reimport_reports_nothing_new(run, imported, tmp_path):
    result = run("import", str(tmp_path / "archive.zip"))
    assert "tweets: 2 read, 0 new to the store" in result.stdout


def test_report_notes_missing_own_domains(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08")
    assert "has no own domains set, so every link counts as external" in result.stdout


def test_report_json_last_day(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "json")
    data = json.loads(result.stdout)
    assert data["last_day"] == "2026-03-08"
    assert data["previous"]["last_day"] == "2026-03-01"
    assert data["own_domains"] == []


def test_report_json_goals(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "json")
    goals = {goal["name"]: goal for goal in json.loads(result.stdout)["goals"]}
    assert goals["tweets_per_week"] == {
        "name": "tweets_per_week", "label": "Tweets per week", "unit": "number", "target": 3.0,
        "direction": "at_least", "value": 2.0, "previous": None, "status": "missed", "trend": None,
    }
    assert goals["response_rate"]["status"] == "no_data"


def test_report_csv_goal_rows(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout.lstrip("\ufeff"))))
    goal = next(row for row in rows if row["section"] == "Goals" and row["figure"] == "External-link share")
    assert goal["value"] == "100.0"
    assert goal["target"] == "25.0"
    assert goal["direction"] == "at least"
    assert goal["status"] == "met"
    assert goal["trend"] == ""


def test_report_text_goals_first(run, imported):
    result = run("report", "--since", "2026-03-02", "--until", "2026-03-08")
    summary = "Goals: 2 of 4 goals met (3 without data)."
    lines = [line.strip() for line in result.stdout.splitlines()]
    figures_start = next(index for index, line in enumerate(lines) if line.startswith("Figure"))
    assert summary in lines
    assert lines.index(summary) < figures_start
