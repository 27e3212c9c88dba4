"""Property tests: random but valid tweet objects through the real importer."""

import tempfile
from datetime import datetime, timezone
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from builders import ACCOUNT_ID, HANDLE, Post, account_js, archive_entry, classic_time, write_zip, ytd_file
from metrics.importer import import_path
from metrics.store import Store
from metrics.tweets import KINDS, is_x_host, parse_time

moments = st.datetimes(min_value=datetime(2007, 1, 1), max_value=datetime(2030, 12, 31)).map(
    lambda moment: moment.replace(microsecond=0)
)
texts = st.text(st.characters(blacklist_categories=("Cs",)), max_size=300)
urls = st.sampled_from([
    "https://www.who.int/news", "https://canada.ca/fr/sante", "http://guides.testhealthlib.example/a?b=1",
    "https://twitter.com/CommunityOrg/status/123", "https://t.co/abc", "https://pic.x.com/xyz", "not a url",
    "https://[::1/broken", "https://例え.テスト/パス", "HTTPS://WWW.Example.ORG:8443/Path",
])
tags = st.text(st.characters(whitelist_categories=("L", "Nd")), min_size=1, max_size=20)


@st.composite
def posts(draw):
    moment = draw(moments)
    post = Post(
        when=moment.isoformat(),
        text=draw(st.one_of(texts, texts.map(lambda text: "RT @CommunityOrg: " + text))),
        urls=draw(st.lists(urls, max_size=3)),
        hashtags=draw(st.lists(tags, max_size=3)),
        likes=draw(st.integers(0, 10**7)),
        retweets=draw(st.integers(0, 10**6)),
        id=str(draw(st.integers(1, 2**63 - 1))),
    )
    reply = draw(st.sampled_from([None, "self", "other"]))
    if reply == "self":
        post.reply_to_user, post.reply_to_handle, post.reply_to_status = ACCOUNT_ID, HANDLE, "1"
    elif reply == "other":
        post.reply_to_user, post.reply_to_handle, post.reply_to_status = "42", "someone", "2"
    return post


def import_entries(entries: list) -> list[tuple]:
    with tempfile.TemporaryDirectory() as folder:
        files = {"data/tweets.js": ytd_file("tweets.part0", entries), "data/account.js": account_js()}
        path = write_zip(Path(folder) / "archive.zip", files)
        with Store(Path(folder) / "t.db") as store:
            if entries:
                import_path(store, path)
            return store.db.execute("SELECT id, kind, text, likes FROM tweets ORDER BY id").fetchall()


@settings(max_examples=60, deadline=None)
@given(st.lists(posts(), max_size=8, unique_by=lambda post: post.id), st.booleans())
def test_every_valid_entry_is_stored(batch, wrapped):
    entries = [{"tweet": archive_entry(post)} if wrapped else archive_entry(post) for post in batch]
    rows = import_entries(entries)
    assert [row[0] for row in rows] == sorted(int(post.id) for post in batch)


@settings(max_examples=60, deadline=None)
@given(posts())
def test_text_and_kind_survive_import(post):
    (row,) = import_entries([{"tweet": archive_entry(post)}])
    assert row[1] in KINDS
    assert row[2] == post.text
    assert (row[1] == "retweet") == post.text.startswith("RT @")


@settings(max_examples=60, deadline=None)
@given(posts())
def test_stored_links_are_never_x(post):
    with tempfile.TemporaryDirectory() as folder:
        files = {"data/tweets.js": ytd_file("tweets.part0", [{"tweet": archive_entry(post)}]),
                 "data/account.js": account_js()}
        path = write_zip(Path(folder) / "archive.zip", files)
        with Store(Path(folder) / "t.db") as store:
            import_path(store, path)
            domains = [row[0] for row in store.db.execute("SELECT domain FROM links")]
    assert not any(is_x_host(domain) for domain in domains)
    assert all(domain == domain.lower() and not domain.startswith("www.") for domain in domains)


@given(moments)
def test_archive_time_round_trip(moment):
    aware = moment.replace(tzinfo=timezone.utc)
    assert parse_time(classic_time(aware)) == aware.strftime("%Y-%m-%dT%H:%M:%SZ")
