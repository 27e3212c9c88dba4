"""Report figures on a small store whose every figure was computed by hand.

The current period is the week of Monday 2026-03-02 to Sunday 2026-03-08 (UTC);
the previous one is 2026-02-23 to 2026-03-01.
"""

import json
from datetime import date
from zoneinfo import ZoneInfo

import pytest

from builders import (ACCOUNT_ID, HANDLE, Post, api_tweet, archive_2022, snowflake, twarc_page, utc,
                      write_zip)
from metrics import accounts, writer
from metrics.importer import import_path
from metrics.periods import calendar_period
from metrics.report import build_report

ASKER_ID = "777000000000000001"
ASKER = "curious_reader"
FAN_ID = "777000000000000002"
FAN = "library_fan"

MENTION_OPEN = Post("2026-03-04T10:00:00", "@TestHealthLib are you open Saturday?")
MENTION_PUBMED = Post("2026-03-05T09:00:00", "@TestHealthLib Comment puis-je accéder à PubMed?")
MENTION_UNANSWERED = Post("2026-03-06T14:00:00", "@TestHealthLib Do you have UpToDate access from home")
MENTION_THANKS = Post("2026-03-06T15:00:00", "@TestHealthLib Thanks for the great workshop!")
MENTION_RETWEET = Post("2026-03-07T08:00:00", "RT @TestHealthLib: New guide to evidence summaries")
MENTION_PREVIOUS = Post("2026-02-26T08:00:00", "@TestHealthLib Where is the library?")

THREAD_START = Post("2026-03-03T15:00:00", "Three places for evidence #HealthLit #MedLibs",
                    urls=["https://guides.testhealthlib.example/a", "https://canada.ca/b"],
                    hashtags=["HealthLit", "MedLibs"], likes=7)
CURRENT_POSTS = [
    Post("2026-03-02T10:00:00", "News from WHO #HealthLit", urls=["https://www.who.int/x"], hashtags=["HealthLit"],
         likes=10, retweets=4),
    Post("2026-03-03T09:00:00", "Our hours", urls=["https://www.testhealthlib.example/hours"], likes=3, retweets=1),
    THREAD_START,
    Post("2026-03-03T15:05:00", "And a third", reply_to_status=THREAD_START.tweet_id, reply_to_user=ACCOUNT_ID,
         reply_to_handle=HANDLE, likes=1),
    Post("2026-03-04T10:30:00", "@curious_reader Yes, 10 to 4", reply_to_status=MENTION_OPEN.tweet_id,
         reply_to_user=ASKER_ID, reply_to_handle=ASKER, likes=2),
    Post("2026-03-05T11:00:00", "@curious_reader Oui, avec votre code", reply_to_status=MENTION_PUBMED.tweet_id,
         reply_to_user=ASKER_ID, reply_to_handle=ASKER),
    Post("2026-03-05T12:00:00", "RT @CommunityOrg: Flu clinics open this week"),
    Post("2026-03-06T12:00:00", "RT @PublicHealthOrg: New data on vaccination"),
    Post("2026-03-07T12:00:00", "Worth reading", urls=["https://x.com/CommunityOrg/status/999",
                                                        "https://pubmed.ncbi.nlm.nih.gov/1"], likes=4, retweets=2),
    Post("2026-03-08T23:59:59", "Good night", likes=0),
    Post("2026-03-09T00:00:00", "Next week already", likes=50),
]
PREVIOUS_POSTS = [
    Post("2026-02-24T10:00:00", "From WHO", urls=["https://who.int/y"], likes=2, retweets=1),
    Post("2026-02-25T10:00:00", "RT @CommunityOrg: Event"),
    Post("2026-02-26T09:00:00", "@curious_reader Main street", reply_to_status=MENTION_PREVIOUS.tweet_id,
         reply_to_user=ASKER_ID, reply_to_handle=ASKER, likes=1),
]


def build_store(store, tmp_path) -> None:
    archive = archive_2022(PREVIOUS_POSTS + CURRENT_POSTS, followers=3, following=2,
                           generated="2026-03-01T12:00:00.000Z")
    import_path(store, write_zip(tmp_path / "archive.zip", archive))
    mentions = [
        api_tweet(post, author_id=ASKER_ID, mentions=[(ACCOUNT_ID, HANDLE)], reply_to=None)
        for post in (MENTION_OPEN, MENTION_PUBMED, MENTION_UNANSWERED, MENTION_PREVIOUS)
    ]
    mentions.append(api_tweet(MENTION_THANKS, author_id=FAN_ID, mentions=[(ACCOUNT_ID, HANDLE)]))
    mentions.append(api_tweet(MENTION_RETWEET, author_id=FAN_ID, mentions=[(ACCOUNT_ID, HANDLE)],
                              retweeted=snowflake(utc("2026-03-01T00:00:00"))))
    twarc_file = tmp_path / "mentions.jsonl"
    twarc_file.write_text(twarc_page(mentions, [(ASKER_ID, ASKER), (FAN_ID, FAN)]) + "\n", encoding="utf-8")
    import_path(store, twarc_file)
    with store.write() as db:
        account = accounts.require_account(db, HANDLE)
        accounts.add_own_domain(db, account, "testhealthlib.example")
        writer.write_follower_snapshot(db, account, "2026-03-05T06:00:00Z",
                                       {"followers": 5, "following": 4}, "test")


@pytest.fixture
def report(store, tmp_path):
    build_store(store, tmp_path)
    account = accounts.require_account(store.db, HANDLE)
    period = calendar_period("week", date(2026, 3, 10), ZoneInfo("UTC"), previous=True)
    return build_report(store.db, account, period)


def test_period_bounds(report):
    assert report.current.since.isoformat() == "2026-03-02T00:00:00+00:00"
    assert report.current.until.isoformat() == "2026-03-09T00:00:00+00:00"
    assert report.previous.since.isoformat() == "2026-02-23T00:00:00+00:00"


def test_tweet_counts(report):
    tweets = report.current.tweets
    assert tweets.total == 10
    assert tweets.original == 4
    assert tweets.thread == 1
    assert tweets.reply == 2
    assert tweets.retweet == 2
    assert tweets.quote == 1


def test_link_counts(report):
    links = report.current.links
    assert links.tweets_with_links == 4
    assert links.own_site == 2
    assert links.external == 3


def test_top_domains_strip_www_and_keep_subdomains(report):
    domains = {item.domain: (item.count, item.own) for item in report.current.links.top_domains}
    assert domains == {
        "who.int": (1, False),
        "testhealthlib.example": (1, True),
        "guides.testhealthlib.example": (1, True),
        "canada.ca": (1, False),
        "pubmed.ncbi.nlm.nih.gov": (1, False),
    }


def test_quote_link_is_not_a_link(report):
    domains = [item.domain for item in report.current.links.top_domains]
    assert "x.com" not in domains


def test_hashtags_lowercased_most_used_first(report):
    tags = [(item.tag, item.count) for item in report.current.hashtags]
    assert tags == [("healthlit", 2), ("medlibs", 1)]


def test_engagement_sums_own_tweets(report):
    engagement = report.current.engagement
    assert engagement.likes == 27
    assert engagement.retweets == 7


def test_engagement_missing_from_archive_is_null(report):
    engagement = report.current.engagement
    assert engagement.replies is None
    assert engagement.quotes is None
    assert engagement.impressions is None


def test_strategy_mix(report):
    strategy = report.current.strategy
    assert strategy.listening == pytest.approx(3 / 10)
    assert strategy.responding == pytest.approx(2 / 10)
    assert strategy.linking == pytest.approx(3 / 8)
    assert strategy.promoting == pytest.approx(2 / 8)


def test_responsiveness(report):
    responsiveness = report.current.responsiveness
    assert responsiveness.questions == 3
    assert responsiveness.answered == 2
    assert responsiveness.response_rate == pytest.approx(2 / 3)
    assert responsiveness.median_response_minutes == 75.0


def test_previous_responsiveness(report):
    responsiveness = report.previous.responsiveness
    assert responsiveness.questions == 1
    assert responsiveness.answered == 1
    assert responsiveness.response_rate == 1.0
    assert responsiveness.median_response_minutes == 60.0


def test_audience(report):
    audience = report.current.audience
    assert audience.followers == 5
    assert audience.following == 4
    assert audience.followers_change == 2


def test_previous_audience_without_earlier_snapshot(report):
    audience = report.previous.audience
    assert audience.followers == 3
    assert audience.followers_change is None


def test_previous_counts(report):
    tweets = report.previous.tweets
    assert tweets.total == 3
    assert tweets.retweet == 1
    assert tweets.reply == 1
    assert report.previous.strategy.linking == pytest.approx(1 / 2)


def test_top_tweets_by_engagement(report):
    ranked = [tweet.id for tweet in report.current.top_tweets]
    expected = [CURRENT_POSTS[index].tweet_id for index in (0, 2, 8, 1, 4)]
    assert ranked == expected


def test_top_tweet_url_and_text(report):
    top = report.current.top_tweets[0]
    assert top.url == f"https://x.com/{HANDLE}/status/{CURRENT_POSTS[0].tweet_id}"
    assert top.text == "News from WHO #HealthLit"
    assert top.kind == "original"


def test_no_mention_data_gives_null_responsiveness(store, tmp_path):
    import_path(store, write_zip(tmp_path / "archive.zip", archive_2022(CURRENT_POSTS)))
    account = accounts.require_account(store.db, HANDLE)
    period = calendar_period("week", date(2026, 3, 10), ZoneInfo("UTC"), previous=True)
    responsiveness = build_report(store.db, account, period).current.responsiveness
    assert responsiveness.questions is None
    assert responsiveness.response_rate is None


def test_empty_period_gives_null_shares(report, store):
    account = accounts.require_account(store.db, HANDLE)
    period = calendar_period("week", date(2025, 1, 15), ZoneInfo("UTC"), previous=True)
    empty = build_report(store.db, account, period).current
    assert empty.tweets.total == 0
    assert empty.strategy.listening is None
    assert empty.strategy.linking is None


def test_time_zone_moves_day_boundaries(store, tmp_path):
    build_store(store, tmp_path)
    account = accounts.require_account(store.db, HANDLE)
    period = calendar_period("week", date(2026, 3, 10), ZoneInfo("America/Toronto"), previous=True)
    # 2026-03-09T00:00Z is 20:00 on Sunday 8 March in Toronto, so it joins the week.
    # Daylight saving time starts on 8 March, so the week ends at 04:00Z, not 05:00Z.
    assert build_report(store.db, account, period).current.tweets.total == 11
    assert period.utc_bounds() == ("2026-03-02T05:00:00Z", "2026-03-09T04:00:00Z")


def test_json_keys_and_types(report):
    data = json.loads(json.dumps(report.to_dict()))
    for key in ("account", "since", "until", "tweets", "links", "hashtags", "engagement", "responsiveness",
                "audience", "strategy", "top_tweets", "previous"):
        assert key in data
    assert data["account"] == "@TestHealthLib"
    assert isinstance(data["tweets"]["total"], int)
    assert 0 <= data["strategy"]["linking"] <= 1
    assert set(data["top_tweets"][0]) >= {"id", "url", "text", "kind", "likes", "retweets"}
    assert data["previous"]["tweets"]["total"] == 3


def test_last_update_is_latest_import(report):
    assert report.updated_by == "twarc"
    assert report.updated_at is not None
    assert report.to_dict()["updated_by"] == "twarc"
