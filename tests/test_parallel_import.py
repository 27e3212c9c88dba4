"""Imports parsed by worker processes, each on ranges of the tweet files, match one-process imports."""

import pytest

import metrics.stream as stream
from builders import (ACCOUNT_ID, HANDLE, Post, archive_2020, archive_2022, archive_entry, grailbird, manifest,
                      snowflake, utc, write_folder, write_zip, ytd_file)
from metrics.errors import InputError
from metrics.importer import import_path
from metrics.ranges import plan_ranges
from metrics.archive_files import ArchiveFiles
from metrics.store import Store


def many_posts(count: int, start: str = "2026-01-01T08:00:00") -> list[Post]:
    base = utc(start)
    posts = []
    for index in range(count):
        moment = base.replace(hour=8 + index % 10, minute=index % 60).isoformat()
        post = Post(f"{moment[:10]}T{8 + index % 10:02d}:{index % 60:02d}:00", f"Post {index} &amp; more",
                    urls=[f"https://site{index % 7}.example/{index}"] if index % 3 == 0 else [],
                    hashtags=[f"Tag{index % 5}"] if index % 4 == 0 else [], likes=index, sequence=index)
        if index % 9 == 0:
            post.reply_to_user, post.reply_to_handle, post.reply_to_status = ACCOUNT_ID, HANDLE, "1"
        if index % 11 == 0:
            post.text = "RT @CommunityOrg: shared " + str(index)
        posts.append(post)
    return posts


def dump(path) -> list[str]:
    with Store(path) as store:
        rows = list(store.db.conn.iterdump())
    # Import times differ between runs; everything else must match.
    return [row for row in rows if "INSERT INTO \"imports\"" not in row and "INSERT INTO \"accounts\"" not in row]


def import_with(tmp_path, archive, name: str, monkeypatch, *, worker: bool, parsers: int = 2) -> list[str]:
    monkeypatch.setattr(stream, "_use_workers", lambda files, layout: worker)
    monkeypatch.setattr(stream, "PARSERS", parsers)
    path = tmp_path / f"{name}.db"
    with Store(path) as store:
        import_path(store, archive)
    return dump(path)


def edited_and_long_archive() -> dict[str, str]:
    posts = many_posts(120)
    initial, edit = Post("2026-02-01T10:00:00", "Versoin one"), Post("2026-02-01T10:02:00", "Version two")
    ids = [initial.tweet_id, edit.tweet_id]
    initial.edit_ids, edit.edit_ids, edit.edit_initial = ids, ids, initial.tweet_id
    long_text = "A long post about evidence-based practice. " * 10
    cut = Post("2026-02-02T10:00:00", long_text[:270] + "…")
    files = archive_2022([edit] + posts[:60] + [cut] + posts[60:] + [initial])
    note = {"noteTweet": {"noteTweetId": snowflake(utc("2026-02-02T10:00:00"), 9), "createdAt": "2026-02-02T10:00:00.000Z",
                          "updatedAt": "2026-02-02T10:00:00.000Z", "lifecycle": {"value": "1", "name": "Active"},
                          "core": {"text": long_text, "urls": [], "hashtags": [], "mentions": [], "cashtags": [],
                                   "styletags": []}}}
    files["data/note-tweet.js"] = ytd_file("note_tweet.part0", [note])
    deleted = archive_entry(posts[5])
    deleted["deleted_at"] = "Sat Jan 03 10:00:00 +0000 2026"
    files["data/deleted-tweets.js"] = ytd_file("deleted_tweets.part0", [{"tweet": deleted}])
    return files


@pytest.mark.parametrize("build", [
    lambda: archive_2022(many_posts(150)),
    lambda: archive_2020(many_posts(150)),
    lambda: grailbird(many_posts(150)),
    edited_and_long_archive,
])
@pytest.mark.parametrize("parsers", [1, 2, 3])
def test_workers_match_one_process(tmp_path, monkeypatch, build, parsers):
    archive = write_zip(tmp_path / "archive.zip", build())
    expected = import_with(tmp_path, archive, "one-process", monkeypatch, worker=False)
    actual = import_with(tmp_path, archive, f"workers-{parsers}", monkeypatch, worker=True, parsers=parsers)
    assert actual == expected


def test_workers_read_every_part(tmp_path, monkeypatch):
    posts = many_posts(200)
    files = archive_2022(posts[:100])
    files["data/tweets-part1.js"] = ytd_file("tweets.part1", [{"tweet": archive_entry(post)} for post in posts[100:]])
    files["data/manifest.js"] = manifest([("data/tweets.js", 100), ("data/tweets-part1.js", 100)])
    archive = write_folder(tmp_path / "archive", files)
    expected = import_with(tmp_path, archive, "one-process", monkeypatch, worker=False)
    assert import_with(tmp_path, archive, "worker", monkeypatch, worker=True) == expected


def test_ranges_cover_every_entry(tmp_path):
    files = archive_2022(many_posts(90))
    folder = write_folder(tmp_path / "archive", files)
    with ArchiveFiles(folder) as archive:
        plan = plan_ranges(archive, ["data/tweets.js"], [0.3, 0.3, 0.4])
    assert [len(ranges) for ranges in plan] == [1, 1, 1]
    assert plan[0][0].start == 0
    assert plan[-1][0].end is None
    assert all(left[0].end < right[0].start for left, right in zip(plan, plan[1:]))


def test_manifest_count_checked_across_ranges(tmp_path, monkeypatch):
    files = archive_2022(many_posts(60))
    files["data/manifest.js"] = manifest([("data/tweets.js", 61)])
    monkeypatch.setattr(stream, "_use_workers", lambda files, layout: True)
    with Store(tmp_path / "t.db") as store:
        summary = import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert summary.warnings == ["data/tweets.js has 60 entries where manifest.js lists 61"]


def test_odd_layout_falls_back_to_whole_file(tmp_path, monkeypatch, caplog):
    # A hand-edited file whose nested hashtags are laid out like top-level
    # entries: the cut lands inside a tweet, that range fails to parse, and the
    # file is read whole instead.
    posts = many_posts(4)
    files = archive_2022(posts)
    nested = ",".join(f'\n  {{"text": "tag{index}", "indices": ["0", "1"]\n  }}' for index in range(400))
    files["data/tweets.js"] = files["data/tweets.js"].replace('"hashtags": []', f'"hashtags": [{nested}]', 1)
    archive = write_zip(tmp_path / "archive.zip", files)
    expected = import_with(tmp_path, archive, "one-process", monkeypatch, worker=False)
    with caplog.at_level("INFO", logger="metrics.stream"):
        assert import_with(tmp_path, archive, "worker", monkeypatch, worker=True) == expected
    assert "after a split range failed to parse" in caplog.text


def test_worker_error_reaches_caller(tmp_path, monkeypatch):
    files = archive_2022(many_posts(50))
    files["data/tweets.js"] = files["data/tweets.js"][:-200]
    monkeypatch.setattr(stream, "_use_workers", lambda files, layout: True)
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(InputError, match="truncated"):
            import_path(store, write_zip(tmp_path / "archive.zip", files))
        assert store.db.execute("SELECT count(*) FROM tweets").fetchone()[0] == 0


def test_staging_files_removed(tmp_path, monkeypatch):
    archive = write_zip(tmp_path / "archive.zip", archive_2022(many_posts(80)))
    import_with(tmp_path, archive, "workers", monkeypatch, worker=True)
    assert not list(tmp_path.glob(".tweetstats-import-*"))


def test_staging_files_removed_after_error(tmp_path, monkeypatch):
    files = archive_2022(many_posts(50))
    files["data/tweets.js"] = files["data/tweets.js"][:-200]
    monkeypatch.setattr(stream, "_use_workers", lambda files, layout: True)
    with Store(tmp_path / "t.db") as store:
        with pytest.raises(InputError):
            import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert not list(tmp_path.glob(".tweetstats-import-*"))


def test_workers_detect_other_owner(tmp_path, monkeypatch):
    from metrics.errors import InputError as Conflict

    files = archive_2022(many_posts(60))
    lone = tmp_path / "tweets.js"
    lone.write_text(files["data/tweets.js"], encoding="utf-8")
    monkeypatch.setattr(stream, "_use_workers", lambda files, layout: True)
    with Store(tmp_path / "t.db") as store:
        import_path(store, lone, "@SomeoneElse")
        before = list(store.db.conn.iterdump())
        with pytest.raises(Conflict, match="already stored for @SomeoneElse"):
            import_path(store, write_zip(tmp_path / "archive.zip", files))
        assert list(store.db.conn.iterdump()) == before
