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
