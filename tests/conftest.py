import pytest
from click.testing import CliRunner

from bot.cli import cli
from metrics.store import Store


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep the developer's own settings out of every test."""
    for name in ("TWEETSTATS_DB", "TWEETSTATS_TIMEZONE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "tweetstats.db"


@pytest.fixture
def store(db_path):
    with Store(db_path) as opened:
        yield opened


@pytest.fixture
def run(db_path):
    """Run the tweetstats CLI in-process against the test's database file."""

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(db_path), *args], catch_exceptions=False)

    return invoke


@pytest.fixture(scope="session")
def sample_store_template(tmp_path_factory):
    """The bundled sample imported once per test run; tests take a copy with ``sample_db``."""
    from slack_fixtures import build_sample_store

    return build_sample_store(tmp_path_factory.mktemp("sample") / "template.db")


@pytest.fixture
def sample_db(sample_store_template, tmp_path):
    from slack_fixtures import copy_store

    return copy_store(sample_store_template, tmp_path)


@pytest.fixture
def slack(monkeypatch):
    """A local Slack Web API on 127.0.0.1, with Slack's own variables cleared from the environment."""
    from slack_fixtures import clear_slack_environment
    from slack_server import SlackServer

    clear_slack_environment(monkeypatch)
    server = SlackServer().start()
    yield server
    server.stop()


@pytest.fixture
def bot(slack, sample_db):
    """The app serving HTTP on 127.0.0.1 over the sample store, talking to the local Slack."""
    from slack_fixtures import start_http_bot

    running, server = start_http_bot(slack, sample_db)
    yield running
    server.close()
