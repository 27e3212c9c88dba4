"""The tweet model's helpers: times, domains, links and kinds."""

import pytest

from metrics.accounts import parse_domain
from metrics.tweets import Tweet, classify_kind, make_link, normalize_domain, parse_time


@pytest.mark.parametrize("text, expected", [
    ("Thu Nov 03 08:50:26 +0000 2022", "2022-11-03T08:50:26Z"),
    ("Sat Aug 10 20:06:22 +0000 2013", "2013-08-10T20:06:22Z"),
    ("Sat Aug 10 20:06:22 -0500 2013", "2013-08-11T01:06:22Z"),
    ("2016-09-30 14:58:28 +0000", "2016-09-30T14:58:28Z"),
    ("2022-10-07T12:00:00.000Z", "2022-10-07T12:00:00Z"),
    ("2022-10-07T12:00:00+02:00", "2022-10-07T10:00:00Z"),
])
def test_parse_time_formats(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["yesterday", "2022-10-07T12:00:00", "Thu Nov 33 08:50:26 +0000 2022x"])
def test_parse_time_rejects(text):
    with pytest.raises(ValueError):
        parse_time(text)


@pytest.mark.parametrize("host, expected", [
    ("WWW.Example.ORG", "example.org"),
    ("guides.example.org.", "guides.example.org"),
    ("www2.example.org", "www2.example.org"),
    ("bibliothèque.example", "xn--bibliothque-59a.example"),
])
def test_normalize_domain(host, expected):
    assert normalize_domain(host) == expected


@pytest.mark.parametrize("value, expected", [
    ("library.example.org", "library.example.org"),
    ("https://www.Library.Example.org/about", "library.example.org"),
    ("library.example.org:8443", "library.example.org"),
    ("Bibliothèque.example", "xn--bibliothque-59a.example"),
])
def test_parse_domain(value, expected):
    assert parse_domain(value) == expected


@pytest.mark.parametrize("url, domain", [
    ("https://www.who.int/news", "who.int"),
    ("example.org/page", "example.org"),
    ("https://bibliothèque.example/page", "xn--bibliothque-59a.example"),
    ("https://twitter.com/someone", None),
    ("https://mobile.twitter.com/someone", None),
    ("https://pic.x.com/abc", None),
    ("https://t.co/abc", None),
    ("https://[::1/broken", None),
    ("https://", None),
])
def test_make_link(url, domain):
    link = make_link(url)
    assert (link.domain if link else None) == domain


@pytest.mark.parametrize("fields, kind", [
    ({"is_retweet": True, "in_reply_to_user_id": 5}, "retweet"),
    ({"in_reply_to_user_id": 5}, "reply"),
    ({"in_reply_to_user_id": 99}, "thread"),
    ({"in_reply_to_handle": "library"}, "thread"),
    ({"in_reply_to_handle": "someone"}, "reply"),
    ({"is_quote": True}, "quote"),
    ({"is_quote": True, "in_reply_to_user_id": 5}, "reply"),
    ({}, "original"),
])
def test_classify_kind_order(fields, kind):
    tweet = Tweet(1, "2026-01-01T00:00:00Z", "text", **fields)
    assert classify_kind(tweet, 99, "Library") == kind


def test_thread_by_handle_when_id_unknown():
    tweet = Tweet(1, "2026-01-01T00:00:00Z", "text", in_reply_to_user_id=99, in_reply_to_handle="LIBRARY")
    assert classify_kind(tweet, None, "Library") == "thread"


@pytest.mark.parametrize("url", [
    "https://www.who.int/news", "http://a.b.example:8080/x?y#z", "https://user:pw@host.example/p",
    "HTTPS://WWW.Example.ORG:8443/Path", "https://例え.テスト/パス", "https://host.example", "https://host.example?x=1",
    "https://[::1]/a", "https://a.example:/p", "https://host.example#frag", "http://1.2.3.4/x",
])
def test_fast_host_agrees_with_urlsplit(url):
    from urllib.parse import urlsplit

    from metrics.tweets import URL_HOST

    match = URL_HOST.match(url)
    if match:
        assert match[1].lower() == urlsplit(url).hostname
