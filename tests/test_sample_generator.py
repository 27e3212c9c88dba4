import json
import zipfile
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest

from metrics.sample import ACCOUNT_ID, ARCHIVE_PATH, MENTIONS_PATH
from metrics.sample.generate import TWITTER_EPOCH_MS, build_sample, format_archive_time, write_tweets_js

MANIFEST_KEYS = {
    "data/account.js": "account",
    "data/community-tweet.js": "communityTweet",
    "data/deleted-tweets.js": "deletedTweets",
    "data/follower.js": "follower",
    "data/following.js": "following",
    "data/note-tweet.js": "noteTweet",
    "data/tweets.js": "tweets",
}


def parse_js(text: str) -> Any:
    """Parse an archive .js file the way importers do: drop everything up to the first "="."""
    return json.loads(text[text.index("=") + 1 :])


def read_zip_texts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name).decode("utf-8") for name in archive.namelist()}


def read_pages(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def parse_archive_time(value: str) -> datetime:
    return datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return build_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture(scope="module")
def archive_texts(built: tuple[Path, Path]) -> dict[str, str]:
    return read_zip_texts(built[0])


@pytest.fixture(scope="module")
def tweets(archive_texts: dict[str, str]) -> list[dict[str, Any]]:
    return [entry["tweet"] for entry in parse_js(archive_texts["data/tweets.js"])]


@pytest.fixture(scope="module")
def mentions(built: tuple[Path, Path]) -> dict[str, dict[str, Any]]:
    return {tweet["id"]: tweet for page in read_pages(built[1]) for tweet in page["data"]}


def test_build_twice_same_bytes(tmp_path: Path) -> None:
    first = build_sample(tmp_path / "first")
    second = build_sample(tmp_path / "second")

    assert first[0].read_bytes() == second[0].read_bytes()
    assert first[1].read_bytes() == second[1].read_bytes()


def test_bundled_files_match_build(built: tuple[Path, Path]) -> None:
    # Members are compared after decompression because another zlib build may
    # compress the same input to different bytes.
    with zipfile.ZipFile(ARCHIVE_PATH) as bundled, zipfile.ZipFile(built[0]) as fresh:
        bundled_members = [(info.filename, info.date_time) for info in bundled.infolist()]
        fresh_members = [(info.filename, info.date_time) for info in fresh.infolist()]
        assert bundled_members == fresh_members
        for name in fresh.namelist():
            assert bundled.read(name) == fresh.read(name), name

    assert MENTIONS_PATH.read_bytes() == built[1].read_bytes()


def test_zip_entries_under_data(archive_texts: dict[str, str]) -> None:
    for name in archive_texts:
        assert name.startswith("data/"), name


def test_archive_js_files_parse(archive_texts: dict[str, str]) -> None:
    for name, text in archive_texts.items():
        if not name.endswith(".js"):
            continue
        assert text.startswith("window."), name
        assert text[-1] in "]}", name
        assert isinstance(parse_js(text), (list, dict)), name


def test_manifest_counts_match_entries(archive_texts: dict[str, str]) -> None:
    manifest = parse_js(archive_texts["data/manifest.js"])

    for file_name, key in MANIFEST_KEYS.items():
        listed = manifest["dataTypes"][key]["files"][0]
        assert listed["fileName"] == file_name
        assert int(listed["count"]) == len(parse_js(archive_texts[file_name])), file_name


def test_manifest_user_is_sample_account(archive_texts: dict[str, str]) -> None:
    manifest = parse_js(archive_texts["data/manifest.js"])

    assert manifest["userInfo"]["accountId"] == ACCOUNT_ID
    assert manifest["archiveInfo"]["generationDate"] == "2026-11-30T06:00:00.000Z"


def test_account_file_keys(archive_texts: dict[str, str]) -> None:
    account = parse_js(archive_texts["data/account.js"])[0]["account"]

    assert set(account) == {"email", "createdVia", "username", "accountId", "createdAt", "accountDisplayName"}
    assert account["email"].endswith(".example")


def test_tweet_count_in_range(tweets: list[dict[str, Any]]) -> None:
    assert 600 <= len(tweets) <= 900


def test_tweet_ids_encode_created_at(tweets: list[dict[str, Any]]) -> None:
    for tweet in tweets:
        id_ms = (int(tweet["id_str"]) >> 22) + TWITTER_EPOCH_MS
        created_ms = int(parse_archive_time(tweet["created_at"]).timestamp()) * 1000
        assert created_ms <= id_ms < created_ms + 1000, tweet["id_str"]


def test_tweets_within_sample_year(tweets: list[dict[str, Any]]) -> None:
    start = datetime(2025, 12, 1, tzinfo=timezone.utc)
    end = datetime(2026, 11, 30, 6, tzinfo=timezone.utc)
    for tweet in tweets:
        created = parse_archive_time(tweet["created_at"])
        assert start <= created < end, tweet["id_str"]


def test_tweets_not_strictly_sorted(tweets: list[dict[str, Any]]) -> None:
    ids = [int(tweet["id_str"]) for tweet in tweets]

    assert ids != sorted(ids, reverse=True)


def test_retweets_have_zero_counts(tweets: list[dict[str, Any]]) -> None:
    retweets = [tweet for tweet in tweets if tweet["full_text"].startswith("RT @")]

    assert retweets
    for tweet in retweets:
        assert tweet["favorite_count"] == "0", tweet["id_str"]
        assert tweet["retweet_count"] == "0", tweet["id_str"]


def test_note_stubs_match_notes(archive_texts: dict[str, str], tweets: list[dict[str, Any]]) -> None:
    notes = [entry["noteTweet"] for entry in parse_js(archive_texts["data/note-tweet.js"])]
    by_second = {tweet["created_at"]: tweet for tweet in tweets}

    assert notes
    for note in notes:
        created = datetime.strptime(note["createdAt"], "%Y-%m-%dT%H:%M:%S.%f%z")
        stub = by_second[format_archive_time(created)]
        assert stub["id_str"] != note["noteTweetId"]
        assert stub["full_text"].endswith("…")
        assert note["core"]["text"].startswith(stub["full_text"][:-1])
        assert int(stub["display_text_range"][1]) > 280


def test_deleted_tweets_not_in_tweets(archive_texts: dict[str, str], tweets: list[dict[str, Any]]) -> None:
    deleted = [entry["tweet"] for entry in parse_js(archive_texts["data/deleted-tweets.js"])]
    tweet_ids = {tweet["id_str"] for tweet in tweets}

    assert deleted
    for tweet in deleted:
        assert "deleted_at" in tweet, tweet["id_str"]
        assert tweet["id_str"] not in tweet_ids, tweet["id_str"]


def test_answers_point_at_mentions(tweets: list[dict[str, Any]], mentions: dict[str, dict[str, Any]]) -> None:
    answers = [tweet for tweet in tweets if tweet.get("in_reply_to_user_id_str", ACCOUNT_ID) != ACCOUNT_ID]

    assert answers
    for answer in answers:
        mention = mentions.get(answer["in_reply_to_status_id_str"])
        assert mention is not None, answer["id_str"]
        assert int(answer["id_str"]) > int(mention["id"]), answer["id_str"]
        assert answer["in_reply_to_user_id_str"] == mention["author_id"], answer["id_str"]
        assert answer["full_text"].startswith(f"@{answer['in_reply_to_screen_name']} "), answer["id_str"]


def test_recent_questions_left_unanswered(
    tweets: list[dict[str, Any]], mentions: dict[str, dict[str, Any]]
) -> None:
    answered = {tweet.get("in_reply_to_status_id_str") for tweet in tweets}
    recent_unanswered = [
        mention for mention in mentions.values()
        if mention["created_at"] >= "2026-11-09" and mention["text"].endswith("?") and mention["id"] not in answered
    ]

    assert len(recent_unanswered) >= 3


def test_mention_pages_newest_first(built: tuple[Path, Path]) -> None:
    pages = read_pages(built[1])
    ids = [int(tweet["id"]) for page in pages for tweet in page["data"]]

    assert ids == sorted(ids, reverse=True)
    assert "next_token" not in pages[-1]["meta"]
    for page in pages[:-1]:
        assert "next_token" in page["meta"]


def test_mention_pages_have_partial_error(built: tuple[Path, Path]) -> None:
    errors = [error for page in read_pages(built[1]) for error in page.get("errors", [])]

    assert len(errors) == 1
    assert errors[0]["title"] == "Not Found Error"


@pytest.mark.parametrize(
    ("form", "prefix"),
    [("2022", "window.YTD.tweets.part0 = [\n  {"), ("2020", "window.YTD.tweet.part0 = [ {")],
)
def test_write_tweets_js_forms(tmp_path: Path, form: str, prefix: str) -> None:
    path = tmp_path / "tweets.js"
    write_tweets_js(path, 250, seed=3, form=form)
    text = path.read_text(encoding="utf-8")
    entries = parse_js(text)

    assert text.startswith(prefix)
    assert len(entries) == 250
    assert ("edit_info" in entries[0]["tweet"]) == (form == "2022")


def test_write_tweets_js_empty(tmp_path: Path) -> None:
    path = tmp_path / "tweets.js"
    write_tweets_js(path, 0)

    assert parse_js(path.read_text(encoding="utf-8")) == []


def test_write_tweets_js_rejects_form(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="invalid form"):
        write_tweets_js(tmp_path / "tweets.js", 1, form="2019")
