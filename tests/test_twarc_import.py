"""twarc2 files: response pages, page arrays, flattened tweets, gzip."""

import gzip
import json

import pytest

from builders import (ACCOUNT_ID, HANDLE, Post, api_tweet, archive_2022, twarc_page, write_zip)
from metrics.errors import InputError
from metrics.importer import import_path

ASKER_ID = "777000000000000001"
ASKER = "curious_reader"
QUESTION = Post("2026-03-04T10:00:00", "@TestHealthLib are you open Saturday?")
THANKS = Post("2026-03-05T10:00:00", "@TestHealthLib thank you & goodbye")
OTHER = Post("2026-03-05T11:00:00", "@SomeoneElse unrelated")
ANSWER = Post("2026-03-04T10:45:00", "@curious_reader Yes, 10 to 4")


def mention(post: Post) -> dict:
    return api_tweet(post, author_id=ASKER_ID, mentions=[(ACCOUNT_ID, HANDLE)])


def own_answer() -> dict:
    return api_tweet(ANSWER, author_id=ACCOUNT_ID, mentions=[(ASKER_ID, ASKER)], reply_to=QUESTION.tweet_id,
                     reply_user=ASKER_ID)


def write_lines(path, lines: list[str]):
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def tracked(store, tmp_path):
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2022([Post("2026-03-01T10:00:00", "Hello")])))
    return store


def mention_rows(store) -> list[tuple]:
    return store.db.execute(
        "SELECT id, author_handle, text, is_question, question_reason, answered_by FROM mentions ORDER BY id"
    ).fetchall()


def test_pages_store_mentions(tracked, tmp_path):
    users = [(ASKER_ID, ASKER), (ACCOUNT_ID, HANDLE)]
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION), mention(THANKS)], users)])
    summary = import_path(tracked, path)
    assert summary.mentions == 2
    assert summary.questions == 1
    rows = mention_rows(tracked)
    assert rows[0][1:5] == (ASKER, "@TestHealthLib are you open Saturday?", 1, "question_mark")
    assert rows[1][2] == "@TestHealthLib thank you & goodbye"


def test_own_reply_answers_mention(tracked, tmp_path):
    users = [(ASKER_ID, ASKER), (ACCOUNT_ID, HANDLE)]
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION), own_answer()], users)])
    summary = import_path(tracked, path)
    assert summary.kinds == {"reply": 1}
    answered = tracked.db.execute("SELECT answered_by, answered_at FROM mentions").fetchone()
    assert answered == (int(ANSWER.tweet_id), "2026-03-04T10:45:00Z")


def test_archive_reply_answers_twarc_mention(tracked, tmp_path):
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)])])
    import_path(tracked, path)
    reply = Post(ANSWER.when, ANSWER.text, reply_to_status=QUESTION.tweet_id, reply_to_user=ASKER_ID,
                 reply_to_handle=ASKER)
    import_path(tracked, write_zip(tmp_path / "later.zip", archive_2022([reply])))
    assert tracked.db.execute("SELECT answered_by FROM mentions").fetchone()[0] == int(reply.tweet_id)


def test_unrelated_tweets_skipped(tracked, tmp_path):
    other = api_tweet(OTHER, author_id=ASKER_ID, mentions=[("5", "SomeoneElse")])
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION), other], [(ASKER_ID, ASKER)])])
    summary = import_path(tracked, path)
    assert summary.skipped["neither by nor mentioning a tracked account"] == 1


def test_flattened_lines(tracked, tmp_path):
    flat = mention(QUESTION)
    flat["author"] = {"id": ASKER_ID, "username": ASKER}
    flat["__twarc"] = {"url": "https://api.twitter.com/2/tweets/search/recent", "version": "2.14.1",
                       "retrieved_at": "2026-03-06T00:00:00+00:00"}
    path = write_lines(tmp_path / "flat.jsonl", [json.dumps(flat)])
    assert import_path(tracked, path).mentions == 1
    assert mention_rows(tracked)[0][1] == ASKER


def test_array_of_pages_on_one_line(tracked, tmp_path):
    pages = [json.loads(twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)])),
             json.loads(twarc_page([mention(THANKS)], [(ASKER_ID, ASKER)]))]
    path = write_lines(tmp_path / "user.jsonl", [json.dumps(pages)])
    assert import_path(tracked, path).mentions == 2


def test_gzipped_file(tracked, tmp_path):
    path = tmp_path / "m.jsonl.gz"
    path.write_bytes(gzip.compress((twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)]) + "\n").encode()))
    assert import_path(tracked, path).mentions == 1


def test_error_only_page_counted(tracked, tmp_path):
    errors = {"errors": [{"value": "1", "detail": "Could not find tweet with ids: [1].", "title": "Not Found Error",
                          "resource_type": "tweet", "parameter": "ids", "resource_id": "1",
                          "type": "https://api.twitter.com/2/problems/resource-not-found"}]}
    lines = [json.dumps(errors), twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)])]
    summary = import_path(tracked, write_lines(tmp_path / "m.jsonl", lines))
    assert summary.skipped["error entries returned by the X API"] == 1


def test_account_option_creates_account(store, tmp_path):
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)])])
    summary = import_path(store, path, "@testhealthlib")
    assert summary.mentions == 1
    assert store.db.execute("SELECT handle, user_id FROM accounts").fetchone() == ("testhealthlib", int(ACCOUNT_ID))


def test_no_tracked_account_rejected(store, tmp_path):
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)])])
    with pytest.raises(InputError, match="--account @handle"):
        import_path(store, path)


def test_nothing_matching_rejected(tracked, tmp_path):
    other = api_tweet(OTHER, author_id=ASKER_ID, mentions=[("5", "SomeoneElse")])
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([other], [(ASKER_ID, ASKER)])])
    with pytest.raises(InputError, match="no tweet in the file is by or mentions any tracked account"):
        import_path(tracked, path)


def test_unknown_line_shape_rejected(tracked, tmp_path):
    path = write_lines(tmp_path / "m.jsonl", ['{"hello": "world"}'])
    with pytest.raises(InputError, match="line 1 is neither a twarc2 response page nor a flattened tweet"):
        import_path(tracked, path)


def test_coverage_recorded(tracked, tmp_path):
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)],
                                                          retrieved="2026-03-10T08:00:00+00:00")])
    import_path(tracked, path)
    span = tracked.db.execute("SELECT start, end FROM mention_coverage").fetchone()
    assert span == ("2026-03-04T10:00:00Z", "2026-03-10T08:00:00Z")


def test_renamed_metric_names_accepted(tracked, tmp_path):
    own = api_tweet(Post("2026-03-04T12:00:00", "Spec names"), author_id=ACCOUNT_ID)
    own["public_metrics"] = {"repost_count": 3, "like_count": 5, "reply_count": 1, "quote_count": 0}
    path = write_lines(tmp_path / "t.jsonl", [twarc_page([own], [(ACCOUNT_ID, HANDLE)])])
    import_path(tracked, path)
    row = tracked.db.execute("SELECT likes, retweets, replies FROM tweets WHERE text = 'Spec names'").fetchone()
    assert row == (5, 3, 1)


def test_reimport_changes_nothing(tracked, tmp_path):
    path = write_lines(tmp_path / "m.jsonl", [twarc_page([mention(QUESTION), own_answer()], [(ASKER_ID, ASKER)])])
    import_path(tracked, path)
    before = list(tracked.db.conn.iterdump())
    import_path(tracked, path)
    assert list(tracked.db.conn.iterdump()) == before


def test_repeated_tweet_counted_once(tracked, tmp_path):
    answer = own_answer()
    first = json.loads(twarc_page([mention(QUESTION)], [(ASKER_ID, ASKER)]))
    second = json.loads(twarc_page([mention(THANKS)], [(ASKER_ID, ASKER)]))
    for page in (first, second):
        page["includes"]["tweets"] = [answer]
    summary = import_path(tracked, write_lines(tmp_path / "m.jsonl", [json.dumps(first), json.dumps(second)]))
    assert summary.kinds == {"reply": 1}
    assert summary.mentions == 2
