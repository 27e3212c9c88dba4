"""Archive import across every generation and layout of X's export."""

import pytest

from builders import (ACCOUNT_ID, HANDLE, Post, archive_2019, archive_2020, archive_2022, archive_entry,
                      grailbird, manifest, snowflake, utc, write_folder, write_zip, ytd_file)
from metrics.importer import import_path

POSTS = [
    Post("2026-01-05T10:00:00", "Evidence &amp; you #HealthLit", urls=["https://www.cochranelibrary.com/a"],
         hashtags=["HealthLit"], likes=4, retweets=1),
    Post("2026-01-06T10:00:00", "RT @CommunityOrg: Flu clinic dates are out…"),
    Post("2026-01-07T10:00:00", "Thread start"),
    Post("2026-01-07T10:01:00", "Thread end", reply_to_status="1", reply_to_user=ACCOUNT_ID, reply_to_handle=HANDLE),
]


def tweet_rows(store) -> list[tuple]:
    return store.db.execute("SELECT id, kind, text, likes, retweets FROM tweets ORDER BY id").fetchall()


def kinds(store) -> dict[str, int]:
    return dict(store.db.execute("SELECT kind, count(*) FROM tweets GROUP BY kind").fetchall())


def dump(store) -> list[str]:
    return list(store.db.conn.iterdump())


@pytest.mark.parametrize("build", [archive_2022, archive_2020, archive_2019, grailbird])
def test_every_generation_from_zip(store, tmp_path, build):
    summary = import_path(store, write_zip(tmp_path / "archive.zip", build(POSTS)))
    assert summary.account == HANDLE
    assert kinds(store) == {"original": 2, "retweet": 1, "thread": 1}


@pytest.mark.parametrize("build", [archive_2022, archive_2020, archive_2019, grailbird])
def test_every_generation_from_folder(store, tmp_path, build):
    import_path(store, write_folder(tmp_path / "archive", build(POSTS)))
    assert kinds(store) == {"original": 2, "retweet": 1, "thread": 1}


def test_zip_with_top_folder(store, tmp_path):
    path = write_zip(tmp_path / "archive.zip", archive_2022(POSTS), top_folder="twitter-2026-11-30-abc/")
    assert import_path(store, path).tweets == 4


def test_data_folder_alone(store, tmp_path):
    folder = write_folder(tmp_path / "archive", archive_2022(POSTS))
    assert import_path(store, folder / "data").tweets == 4


def test_text_unescaped_and_counts_read(store, tmp_path):
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2022(POSTS)))
    first = tweet_rows(store)[0]
    assert first[2] == "Evidence &amp; you #HealthLit"
    assert first[3:] == (4, 1)


def test_retweet_counts_are_null(store, tmp_path):
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2022(POSTS)))
    retweet = store.db.execute("SELECT likes, retweets FROM tweets WHERE kind = 'retweet'").fetchone()
    assert retweet == (None, None)


def test_grailbird_has_no_counts(store, tmp_path):
    import_path(store, write_zip(tmp_path / "archive.zip", grailbird(POSTS)))
    counts = store.db.execute("SELECT count(*) FROM tweets WHERE likes IS NOT NULL").fetchone()[0]
    assert counts == 0


def test_grailbird_without_index_or_user_id(store, tmp_path):
    files = grailbird(POSTS, with_index=False, user_id=None)
    import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert kinds(store)["thread"] == 1
    user_id = store.db.execute("SELECT user_id FROM accounts").fetchone()[0]
    assert user_id == int(ACCOUNT_ID)


def test_grailbird_month_in_local_time(store, tmp_path):
    # A tweet at 02:00 UTC on 1 February is in the January file of an account in
    # a western time zone. Its stored time is still UTC.
    post = Post("2026-02-01T02:00:00", "Late-night post")
    files = grailbird([post])
    files["data/js/tweets/2026_01.js"] = files.pop("data/js/tweets/2026_02.js").replace("tweets_2026_02", "tweets_2026_01")
    files["data/js/tweet_index.js"] = files["data/js/tweet_index.js"].replace("2026_02", "2026_01")
    import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert store.db.execute("SELECT created_at FROM tweets").fetchone()[0] == "2026-02-01T02:00:00Z"


def test_grailbird_classic_time_format(store, tmp_path):
    files = grailbird([Post("2013-08-10T20:06:22", "Old post")])
    name = "data/js/tweets/2013_08.js"
    files[name] = files[name].replace("2013-08-10 20:06:22 +0000", "Sat Aug 10 20:06:22 +0000 2013")
    import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert store.db.execute("SELECT created_at FROM tweets").fetchone()[0] == "2013-08-10T20:06:22Z"


def test_parts_listed_in_manifest(store, tmp_path):
    first, second = POSTS[:2], POSTS[2:]
    files = archive_2022(first)
    files["data/tweets-part1.js"] = ytd_file("tweets.part1", [{"tweet": archive_entry(post)} for post in second])
    files["data/manifest.js"] = manifest([("data/tweets.js", 2), ("data/tweets-part1.js", 2)])
    summary = import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert summary.tweets == 4
    assert summary.warnings == []


def test_parts_found_by_name_without_manifest(store, tmp_path):
    files = archive_2022(POSTS[:1])
    del files["data/manifest.js"]
    for number, post in enumerate(POSTS[1:], start=1):
        files[f"data/tweets-part{number}.js"] = ytd_file(f"tweets.part{number}", [{"tweet": archive_entry(post)}])
    summary = import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert summary.tweets == 4
    assert summary.account == HANDLE


def test_manifest_count_mismatch_warns(store, tmp_path):
    files = archive_2022(POSTS)
    files["data/manifest.js"] = manifest([("data/tweets.js", 9)])
    summary = import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert summary.warnings == ["data/tweets.js has 4 entries where manifest.js lists 9"]


def test_edited_tweet_keeps_latest_version(store, tmp_path):
    initial = Post("2026-01-05T10:00:00", "Typo versoin")
    edit = Post("2026-01-05T10:03:00", "Typo version")
    ids = [initial.tweet_id, edit.tweet_id]
    initial.edit_ids = ids
    edit.edit_ids, edit.edit_initial = ids, initial.tweet_id
    summary = import_path(store, write_zip(tmp_path / "archive.zip", archive_2022([edit, initial])))
    assert tweet_rows(store) == [(int(edit.tweet_id), "original", "Typo version", 0, 0)]
    assert summary.skipped["earlier version of an edited tweet"] == 1


def test_later_edit_replaces_stored_version(store, tmp_path):
    initial = Post("2026-01-05T10:00:00", "First text")
    edit = Post("2026-01-05T10:03:00", "Second text")
    ids = [initial.tweet_id, edit.tweet_id]
    initial.edit_ids = [initial.tweet_id, edit.tweet_id]
    import_path(store, write_zip(tmp_path / "old.zip", archive_2022([initial])))
    edit.edit_ids, edit.edit_initial = ids, initial.tweet_id
    import_path(store, write_zip(tmp_path / "new.zip", archive_2022([initial, edit])))
    assert [row[2] for row in tweet_rows(store)] == ["Second text"]


def test_note_tweet_restores_full_text(store, tmp_path):
    long_text = "Long post about evidence. " * 15
    cut = Post("2026-01-05T10:00:00", long_text[:270] + "…")
    files = archive_2022([cut])
    note = {"noteTweet": {"noteTweetId": snowflake(utc("2026-01-05T10:00:00"), 7), "updatedAt": "2026-01-05T10:00:00.000Z",
                          "lifecycle": {"value": "1", "name": "Active"}, "createdAt": "2026-01-05T10:00:00.000Z",
                          "core": {"styletags": [], "text": long_text,
                                   "urls": [{"expandedUrl": "https://cihi.ca/report", "shortUrl": "https://t.co/a",
                                             "displayUrl": "cihi.ca/report", "fromIndex": "0", "toIndex": "1"}],
                                   "mentions": [], "cashtags": [],
                                   "hashtags": [{"text": "OpenAccess", "fromIndex": "0", "toIndex": "1"}]}}}
    files["data/note-tweet.js"] = ytd_file("note_tweet.part0", [note])
    import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert store.db.execute("SELECT text FROM tweets").fetchone()[0] == long_text
    assert store.db.execute("SELECT domain FROM links").fetchall() == [("cihi.ca",)]
    assert store.db.execute("SELECT tag FROM hashtags").fetchall() == [("openaccess",)]


def test_deleted_tweets_left_out(store, tmp_path):
    files = archive_2022(POSTS)
    deleted = archive_entry(POSTS[0])
    deleted["deleted_at"] = "Tue Jan 06 10:00:00 +0000 2026"
    files["data/deleted-tweets.js"] = ytd_file("deleted_tweets.part0", [{"tweet": deleted}])
    summary = import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert summary.tweets == 3
    assert summary.skipped["deleted (listed in deleted-tweets.js)"] == 1


def test_deletion_marks_tweet_stored_before(store, tmp_path):
    import_path(store, write_zip(tmp_path / "old.zip", archive_2022(POSTS)))
    files = archive_2022(POSTS[1:])
    deleted = archive_entry(POSTS[0])
    deleted["deleted_at"] = "Tue Jan 06 10:00:00 +0000 2026"
    files["data/deleted-tweets.js"] = ytd_file("deleted_tweets.part0", [{"tweet": deleted}])
    import_path(store, write_zip(tmp_path / "new.zip", files))
    marked = store.db.execute("SELECT count(*) FROM tweets WHERE deleted_at IS NOT NULL").fetchone()[0]
    assert marked == 1


def test_follower_snapshot_at_generation_date(store, tmp_path):
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2022(POSTS, followers=7, following=4)))
    snapshot = store.db.execute("SELECT taken_at, followers, following FROM follower_snapshots").fetchone()
    assert snapshot == ("2026-11-30T06:00:00Z", 7, 4)


def test_account_file_email_never_stored(store, tmp_path):
    files = archive_2022(POSTS)
    del files["data/manifest.js"]
    import_path(store, write_zip(tmp_path / "archive.zip", files))
    dumped = "\n".join(dump(store))
    assert "staff@testhealthlib.example" not in dumped
    assert store.db.execute("SELECT handle, user_id FROM accounts").fetchone() == (HANDLE, int(ACCOUNT_ID))


def test_unknown_fields_do_not_break_import(store, tmp_path):
    files = archive_2022(POSTS)
    entries = [{"tweet": {**archive_entry(post), "withheld_in_countries": ["IN"], "contributors": ["1"],
                          "coordinates": None, "new_field_2027": {"x": [1, 2]}}} for post in POSTS]
    files["data/tweets.js"] = ytd_file("tweets.part0", entries)
    assert import_path(store, write_zip(tmp_path / "archive.zip", files)).tweets == 4


def test_quote_detected_by_status_link(store, tmp_path):
    posts = [Post("2026-01-05T10:00:00", "See this", urls=["https://twitter.com/CommunityOrg/status/1234"]),
             Post("2026-01-06T10:00:00", "And this", urls=["https://x.com/CommunityOrg/status/5678?s=20"]),
             Post("2026-01-07T10:00:00", "Profile", urls=["https://twitter.com/CommunityOrg"])]
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2022(posts)))
    assert kinds(store) == {"quote": 2, "original": 1}
    assert store.db.execute("SELECT count(*) FROM links").fetchone()[0] == 0


def test_old_tweet_links_read_from_text(store, tmp_path):
    post = Post("2010-05-01T10:00:00", "Read http://www.example.org/guide.html, then ask us")
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2019([post])))
    assert store.db.execute("SELECT expanded_url, domain FROM links").fetchall() == [
        ("http://www.example.org/guide.html", "example.org")
    ]


def test_trailing_semicolon_and_bom(store, tmp_path):
    files = archive_2022(POSTS)
    files["data/tweets.js"] = "\ufeff" + files["data/tweets.js"] + ";\n"
    assert import_path(store, write_zip(tmp_path / "archive.zip", files)).tweets == 4


def test_empty_tweets_file_imports_nothing(store, tmp_path):
    files = archive_2022([])
    files["data/tweets.js"] = "window.YTD.tweets.part0 = [ ]"
    summary = import_path(store, write_zip(tmp_path / "archive.zip", files))
    assert summary.tweets == 0
    assert summary.warnings == ["the archive holds no tweets"]


def test_single_tweets_file_needs_account(store, tmp_path):
    path = tmp_path / "tweets.js"
    path.write_text(archive_2022(POSTS)["data/tweets.js"], encoding="utf-8")
    summary = import_path(store, path, "@" + HANDLE)
    assert summary.tweets == 4
    assert kinds(store)["thread"] == 1


def test_single_grailbird_month(store, tmp_path):
    files = grailbird(POSTS)
    path = tmp_path / "2026_01.js"
    path.write_text(files["data/js/tweets/2026_01.js"], encoding="utf-8")
    assert import_path(store, path, HANDLE).tweets == 4


def test_reimport_changes_nothing(store, tmp_path):
    path = write_zip(tmp_path / "archive.zip", archive_2022(POSTS))
    import_path(store, path)
    before = dump(store)
    import_path(store, path)
    assert dump(store) == before


def test_ids_beyond_float_precision(store, tmp_path):
    post = Post("2026-01-05T10:00:00", "Big id", id="2008763289937559553")
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2022([post])))
    assert store.db.execute("SELECT id FROM tweets").fetchone()[0] == 2008763289937559553


def test_summary_dates_and_kinds(store, tmp_path):
    summary = import_path(store, write_zip(tmp_path / "archive.zip", archive_2022(POSTS)))
    assert (summary.first, summary.last) == ("2026-01-05T10:00:00Z", "2026-01-07T10:01:00Z")
    assert summary.kinds == {"original": 2, "retweet": 1, "thread": 1}
    assert summary.generation == "2022 and later (tweets.js)"
