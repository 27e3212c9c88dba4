"""Bad input: one clear line naming the file, a non-zero exit, and the store as it was."""

import zipfile

import pytest

from builders import HANDLE, Post, archive_2022, archive_entry, manifest, write_zip, ytd_file
from metrics.store import Store

POSTS = [Post("2026-01-05T10:00:00", "Hello"), Post("2026-01-06T10:00:00", "Again")]


def dump(db_path) -> list[str]:
    with Store(db_path) as store:
        return list(store.db.conn.iterdump())


@pytest.fixture
def seeded(run, tmp_path, db_path):
    """A store that already contains an import, and its content."""
    result = run("import", str(write_zip(tmp_path / "first.zip", archive_2022(POSTS))))
    assert result.exit_code == 0
    return dump(db_path)


def zip_with_tweets_js(tmp_path, content: bytes | str, name: str = "bad.zip"):
    files = archive_2022(POSTS)
    files["data/tweets.js"] = content
    return write_zip(tmp_path / name, files)


def bad_inputs(tmp_path) -> dict[str, tuple]:
    """Each case: the path to import, extra arguments, and words the error must contain."""
    text_file = tmp_path / "notes.txt"
    text_file.write_text("These are my notes, not an archive.", encoding="utf-8")
    empty = tmp_path / "empty.js"
    empty.write_bytes(b"")
    fake_zip = tmp_path / "fake.zip"
    fake_zip.write_bytes(b"PK\x03\x04 this is not really a zip file at all")
    no_tweets = write_zip(tmp_path / "no-tweets.zip", {"data/like.js": ytd_file("like.part0", [])})

    full = archive_2022(POSTS)["data/tweets.js"]
    missing_part = archive_2022(POSTS)
    missing_part["data/manifest.js"] = manifest([("data/tweets.js", 2), ("data/tweets-part1.js", 5)])
    truncated_part = archive_2022(POSTS)
    truncated_part["data/tweets-part1.js"] = ytd_file("tweets.part1", [{"tweet": archive_entry(Post("2026-02-01T00:00:00", "Part"))}])[:-40]
    truncated_part["data/manifest.js"] = manifest([("data/tweets.js", 2), ("data/tweets-part1.js", 1)])

    like_file = tmp_path / "like.js"
    like_file.write_text(ytd_file("like.part0", []), encoding="utf-8")

    pdf_file = tmp_path / "report.pdf"
    pdf_file.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj << /Type /Catalog >> endobj\n")
    truncated_twarc = tmp_path / "cut.jsonl"
    truncated_twarc.write_text('{"data": []}\n{"data": [{"id": "1", "text": "hel', encoding="utf-8")
    csv_file = tmp_path / "export.jsonl"
    csv_file.write_text("id,text\n1,hello\n", encoding="utf-8")
    bad_twarc = tmp_path / "mentions.jsonl"
    bad_twarc.write_text('{"data": []}\n{"data": [ {"id": "1"\n', encoding="utf-8")

    return {
        "missing path": (tmp_path / "nowhere.zip", [], "no such file or folder"),
        "not an archive": (text_file, [], "this is not a file from an X archive"),
        "pdf": (pdf_file, [], "this is not a file from an X archive"),
        "twarc truncated": (truncated_twarc, [], "the file ends in the middle of line 2"),
        "csv named jsonl": (csv_file, [], "line 1 is not valid JSON"),
        "empty file": (empty, [], "the file is empty"),
        "corrupt zip": (fake_zip, [], "not a valid zip file"),
        "zip without tweets": (no_tweets, [], "no tweets file found"),
        "truncated": (zip_with_tweets_js(tmp_path, full[: len(full) // 2], "truncated.zip"), [], "truncated"),
        "not json": (zip_with_tweets_js(tmp_path, "window.YTD.tweets.part0 = [ {tweet: nope} ]", "not-json.zip"), [],
                     "invalid JSON"),
        "wrong prefix": (zip_with_tweets_js(tmp_path, "window.TWEETS = []", "prefix.zip"), [],
                         "unexpected start 'window.TWEETS ='"),
        "empty tweets.js": (zip_with_tweets_js(tmp_path, "", "empty.zip"), [], "the file is empty"),
        "invalid utf-8": (zip_with_tweets_js(tmp_path, full.encode("utf-8").replace(b"Hello", b"H\xffllo"), "utf8.zip"),
                          [], "not valid UTF-8"),
        "another account": (write_zip(tmp_path / "other.zip", archive_2022(POSTS)), ["--account", "@SomeoneElse"],
                            f"belongs to @{HANDLE}, not @SomeoneElse"),
        "manifest lists missing part": (write_zip(tmp_path / "missing.zip", missing_part), [],
                                        "manifest.js lists data/tweets-part1.js"),
        "second part truncated": (write_zip(tmp_path / "parts.zip", truncated_part), [], "truncated"),
        "lone file without account": (tmp_path / "tweets.js", [], "--account @handle"),
        "like file alone": (like_file, ["--account", HANDLE], "'like' file, not its tweets"),
        "twarc bad line": (bad_twarc, [], "line 2 is not valid JSON"),
    }


CASES = [
    "missing path", "not an archive", "pdf", "twarc truncated", "csv named jsonl", "empty file", "corrupt zip", "zip without tweets", "truncated", "not json",
    "wrong prefix", "empty tweets.js", "invalid utf-8", "another account", "manifest lists missing part",
    "second part truncated", "lone file without account", "like file alone", "twarc bad line",
]


def prepare(tmp_path, case: str):
    (tmp_path / "tweets.js").write_text(archive_2022(POSTS)["data/tweets.js"], encoding="utf-8")
    return bad_inputs(tmp_path)[case]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_leaves_store_unchanged(case, run, tmp_path, db_path, seeded):
    path, arguments, expected = prepare(tmp_path, case)
    result = run("import", str(path), *arguments)
    assert result.exit_code == 1
    assert expected in result.stderr
    assert dump(db_path) == seeded


@pytest.mark.parametrize("case", CASES)
def test_bad_input_message_names_file(case, run, tmp_path, seeded):
    path, arguments, _ = prepare(tmp_path, case)
    result = run("import", str(path), *arguments)
    assert result.stderr.startswith(f"Error: {path}")
    assert "Traceback" not in result.output
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("case", ["not an archive", "truncated", "another account"])
def test_failed_first_import_creates_no_database(case, run, tmp_path, db_path):
    path, arguments, _ = prepare(tmp_path, case)
    result = run("import", str(path), *arguments)
    assert result.exit_code == 1
    assert not db_path.exists()


def test_error_never_quotes_tweet_text(run, tmp_path, seeded):
    full = archive_2022([Post("2026-01-05T10:00:00", "private question about my diagnosis")])["data/tweets.js"]
    broken = full.replace('"full_text"', '"full_text" "')
    result = run("import", str(zip_with_tweets_js(tmp_path, broken)))
    assert result.exit_code == 1
    assert "diagnosis" not in result.output


def test_zip_member_with_unsupported_compression(run, tmp_path, seeded, db_path):
    path = tmp_path / "bzip.zip"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_BZIP2) as archive:
        for name, content in archive_2022(POSTS).items():
            archive.writestr(name, content)
    # bzip2 is readable by Python's zipfile, so this archive imports normally.
    assert run("import", str(path)).exit_code == 0
