"""The local X API fake, driven through tweepy's own Client as make_client routes it."""

import re
import time
from datetime import UTC, datetime, timedelta

import pytest
import requests
import tweepy

from metrics.xclient import make_client
from x_server import BEARER_TOKEN, XServer, make_tweet, snowflake

PROXY_VARIABLES = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY")
LIBRARY_ID = "1500000000000000001"
PATRON_ID = "1500000000000000002"
START = datetime(2026, 11, 1, tzinfo=UTC)
CREATED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z")


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep requests from sending the local server's traffic through a proxy."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)


@pytest.fixture
def server():
    started = XServer().start()
    started.add_user("NorthbrookHSL", LIBRARY_ID, followers=1200, following=300, tweets=4500,
                     name="Northbrook Library")
    started.add_user("patron_ann", PATRON_ID, followers=40, following=90, tweets=800)
    yield started
    started.stop()


@pytest.fixture
def client(server):
    return make_client(BEARER_TOKEN, server.api_url)


def add_timeline(server: XServer, count: int, user_id: str = LIBRARY_ID, mentions: bool = False) -> list[dict]:
    """Add ``count`` tweets an hour apart from START and return them, oldest first."""
    tweets = []
    for index in range(count):
        created = START + timedelta(hours=index)
        tweet = make_tweet(snowflake(created), user_id, f"Post {index}", created, likes=index)
        if mentions:
            server.add_mention(user_id, tweet)
        else:
            server.add_tweet(user_id, tweet)
        tweets.append(tweet)
    return tweets


# Users.


def test_user_by_username_ignores_case(server, client):
    response = client.get_user(username="northbrookhsl", user_fields=["public_metrics", "created_at"])

    assert response["data"] == {
        "id": LIBRARY_ID, "name": "Northbrook Library", "username": "NorthbrookHSL",
        "public_metrics": {"followers_count": 1200, "following_count": 300, "tweet_count": 4500, "listed_count": 0},
        "created_at": "2010-01-01T00:00:00.000Z",
    }
    request = server.received("/2/users/by/username/")[0]
    assert request.method == "GET"
    assert request.path == "/2/users/by/username/northbrookhsl"
    assert request.query == {"user.fields": "public_metrics,created_at"}
    assert request.headers["authorization"] == f"Bearer {BEARER_TOKEN}"


def test_user_by_id_has_default_fields(client):
    response = client.get_user(id=PATRON_ID)

    assert response == {"data": {"id": PATRON_ID, "name": "patron_ann", "username": "patron_ann"}}


def test_unknown_user_is_partial_error(client):
    by_name = client.get_user(username="NoSuchLibrary")
    by_id = client.get_user(id="42")

    assert by_name == {"errors": [{
        "value": "NoSuchLibrary", "detail": "Could not find user with username: [NoSuchLibrary].",
        "title": "Not Found Error", "resource_type": "user", "parameter": "username",
        "type": "https://api.twitter.com/2/problems/resource-not-found",
    }]}
    assert by_id["errors"][0]["parameter"] == "id"
    assert by_id["errors"][0]["resource_id"] == "42"
    assert by_id["errors"][0]["detail"] == "Could not find user with id: [42]."
    assert "data" not in by_id


def test_invalid_username_is_bad_request(client):
    with pytest.raises(tweepy.BadRequest) as raised:
        client.get_user(username="not-a-handle")

    assert raised.value.api_errors[0]["parameters"] == {"username": ["not-a-handle"]}


# Timelines.


def test_timeline_pages_of_100_after_since_id(server, client):
    tweets = add_timeline(server, 250)
    since_id = tweets[29]["id"]

    pages = list(tweepy.Paginator(client.get_users_tweets, LIBRARY_ID, max_results=100, since_id=since_id))

    assert [page["meta"]["result_count"] for page in pages] == [100, 100, 20]
    ids = [tweet["id"] for page in pages for tweet in page["data"]]
    assert ids == [tweet["id"] for tweet in reversed(tweets[30:])]
    assert pages[0]["meta"]["newest_id"] == tweets[-1]["id"]
    assert pages[-1]["meta"]["oldest_id"] == tweets[30]["id"]
    assert "next_token" not in pages[-1]["meta"]
    requests_made = server.received(f"/2/users/{LIBRARY_ID}/tweets")
    assert [request.query.get("since_id") for request in requests_made] == [since_id] * 3
    assert [request.query["max_results"] for request in requests_made] == ["100"] * 3
    assert "pagination_token" not in requests_made[0].query
    assert requests_made[1].query["pagination_token"] == pages[0]["meta"]["next_token"]


def test_timeline_time_window(server, client):
    tweets = add_timeline(server, 20)

    response = client.get_users_tweets(LIBRARY_ID, start_time=START + timedelta(hours=5),
                                       end_time=START + timedelta(hours=8), tweet_fields=["created_at"])

    # start_time is inclusive and end_time exclusive.
    assert [tweet["id"] for tweet in response["data"]] == [tweets[7]["id"], tweets[6]["id"], tweets[5]["id"]]
    request = server.received(f"/2/users/{LIBRARY_ID}/tweets")[0]
    assert request.query["start_time"] == "2026-11-01T05:00:00Z"


def test_timeline_until_id_default_page(server, client):
    tweets = add_timeline(server, 30)

    response = client.get_users_tweets(LIBRARY_ID, until_id=tweets[25]["id"])

    assert response["meta"]["result_count"] == 10
    assert response["data"][0]["id"] == tweets[24]["id"]
    assert "next_token" in response["meta"]


def test_timeline_excludes_replies_and_retweets(server, client):
    server.add_tweet(LIBRARY_ID, make_tweet(snowflake(START), LIBRARY_ID, "Open late today", START))
    reply_time = START + timedelta(minutes=1)
    server.add_tweet(LIBRARY_ID, make_tweet(snowflake(reply_time), LIBRARY_ID, "@patron_ann yes", reply_time,
                                            kind="reply", referenced_id="7", in_reply_to_user_id=PATRON_ID))
    retweet_time = START + timedelta(minutes=2)
    server.add_tweet(LIBRARY_ID, make_tweet(snowflake(retweet_time), LIBRARY_ID, "RT @patron_ann: hi",
                                            retweet_time, kind="retweet", referenced_id="8"))

    response = client.get_users_tweets(LIBRARY_ID, exclude=["replies", "retweets"])

    assert [tweet["text"] for tweet in response["data"]] == ["Open late today"]


def test_empty_timeline_has_only_result_count(client):
    response = client.get_users_tweets(LIBRARY_ID, max_results=5)

    assert response == {"meta": {"result_count": 0}}


def test_timeline_of_unknown_user_is_partial_error(client):
    response = client.get_users_tweets("42")

    assert response["errors"][0]["detail"] == "Could not find user with id: [42]."
    assert "data" not in response


def test_timeline_keeps_newest_3200(server, client):
    tweets = add_timeline(server, 3300)

    collected = list(tweepy.Paginator(client.get_users_tweets, LIBRARY_ID, max_results=100,
                                      since_id=tweets[0]["id"]).flatten())

    # The since_id falls outside the cap, so X starts from the oldest tweet it still serves.
    assert len(collected) == 3200
    assert collected[0]["id"] == tweets[-1]["id"]
    assert collected[-1]["id"] == tweets[100]["id"]
    assert server.count(f"/2/users/{LIBRARY_ID}/tweets") == 32


def test_mentions_keep_newest_800(server, client):
    mentions = add_timeline(server, 850, mentions=True)

    collected = list(tweepy.Paginator(client.get_users_mentions, LIBRARY_ID, max_results=100).flatten())

    assert len(collected) == 800
    assert collected[-1]["id"] == mentions[50]["id"]
    assert server.count(f"/2/users/{LIBRARY_ID}/mentions") == 8


# Field selection and expansions.


def test_default_tweet_fields_only(server, client):
    add_timeline(server, 1)

    tweet = client.get_users_tweets(LIBRARY_ID)["data"][0]

    assert set(tweet) == {"id", "text", "edit_history_tweet_ids"}
    assert tweet["edit_history_tweet_ids"] == [tweet["id"]]


def test_requested_tweet_fields(server, client):
    add_timeline(server, 1)

    tweet = client.get_users_tweets(LIBRARY_ID, tweet_fields=["created_at", "public_metrics"])["data"][0]

    assert set(tweet) == {"id", "text", "edit_history_tweet_ids", "created_at", "public_metrics"}
    assert CREATED_AT.fullmatch(tweet["created_at"])
    assert tweet["public_metrics"] == {"retweet_count": 0, "reply_count": 0, "like_count": 0, "quote_count": 0,
                                       "bookmark_count": 0, "impression_count": 0}


def test_unknown_field_is_bad_request(server, client):
    with pytest.raises(tweepy.BadRequest) as raised:
        client.get_users_tweets(LIBRARY_ID, tweet_fields=["created_at", "favourites"])

    assert raised.value.response.json()["title"] == "Invalid Request"
    assert raised.value.api_errors[0]["parameters"] == {"tweet.fields": ["favourites"]}
    assert "[favourites] is not one of" in raised.value.api_messages[0]


def test_author_and_referenced_tweet_expansions(server, client):
    original = make_tweet(snowflake(START), PATRON_ID, "Is the library open Sunday?", START)
    server.add_tweet(PATRON_ID, original)
    reply_time = START + timedelta(minutes=5)
    reply = make_tweet(snowflake(reply_time), LIBRARY_ID, "@patron_ann Yes, 12 to 5.", reply_time, kind="reply",
                       referenced_id=original["id"], in_reply_to_user_id=PATRON_ID)
    server.add_tweet(LIBRARY_ID, reply)

    response = client.get_users_tweets(
        LIBRARY_ID, expansions=["author_id", "referenced_tweets.id", "referenced_tweets.id.author_id"],
        tweet_fields=["author_id", "referenced_tweets", "conversation_id"], user_fields=["public_metrics"])

    assert response["data"][0]["referenced_tweets"] == [{"type": "replied_to", "id": original["id"]}]
    assert response["data"][0]["conversation_id"] == original["id"]
    assert [user["username"] for user in response["includes"]["users"]] == ["NorthbrookHSL", "patron_ann"]
    assert response["includes"]["users"][0]["public_metrics"]["followers_count"] == 1200
    assert response["includes"]["tweets"] == [{
        "id": original["id"], "text": "Is the library open Sunday?", "edit_history_tweet_ids": [original["id"]],
        "author_id": PATRON_ID, "conversation_id": original["id"],
    }]
    assert "errors" not in response


def test_mention_entities_carry_user_ids(server, client):
    server.add_mention(LIBRARY_ID, make_tweet(snowflake(START), PATRON_ID, "Thanks @NorthbrookHSL!", START))

    tweet = client.get_users_mentions(LIBRARY_ID, tweet_fields=["entities"])["data"][0]

    assert tweet["entities"]["mentions"] == [{"start": 7, "end": 21, "username": "NorthbrookHSL", "id": LIBRARY_ID}]


# Partial errors.


def test_hidden_referenced_tweet_errors_beside_data(server, client):
    quoted = make_tweet(snowflake(START), PATRON_ID, "Our new reading room", START)
    server.add_tweet(PATRON_ID, quoted)
    quote_time = START + timedelta(minutes=1)
    server.add_tweet(LIBRARY_ID, make_tweet(snowflake(quote_time), LIBRARY_ID, "Come visit", quote_time,
                                            kind="quote", referenced_id=quoted["id"]))
    server.hidden_ids.add(quoted["id"])

    response = client.get_users_tweets(LIBRARY_ID, expansions=["referenced_tweets.id"])

    assert [tweet["text"] for tweet in response["data"]] == ["Come visit"]
    assert "includes" not in response
    assert response["errors"] == [{
        "value": quoted["id"], "detail": f"Could not find tweet with referenced_tweets.id: [{quoted['id']}].",
        "title": "Not Found Error", "resource_type": "tweet", "parameter": "referenced_tweets.id",
        "resource_id": quoted["id"], "type": "https://api.twitter.com/2/problems/resource-not-found",
    }]


def test_lookup_reports_missing_ids(server, client):
    tweets = add_timeline(server, 3)
    server.hidden_ids.add(tweets[1]["id"])

    response = client.get_tweets(ids=[tweets[0]["id"], tweets[1]["id"], "1234"], tweet_fields=["public_metrics"])

    assert [tweet["id"] for tweet in response["data"]] == [tweets[0]["id"]]
    assert [error["value"] for error in response["errors"]] == [tweets[1]["id"], "1234"]
    assert {error["parameter"] for error in response["errors"]} == {"ids"}
    assert {error["resource_type"] for error in response["errors"]} == {"tweet"}
    assert response["errors"][1]["resource_id"] == "1234"


def test_hidden_tweet_leaves_timeline(server, client):
    tweets = add_timeline(server, 3)
    server.hidden_ids.add(tweets[2]["id"])

    response = client.get_users_tweets(LIBRARY_ID)

    assert [tweet["id"] for tweet in response["data"]] == [tweets[1]["id"], tweets[0]["id"]]


def test_lookup_of_101_ids_is_bad_request(client):
    with pytest.raises(tweepy.BadRequest) as raised:
        client.get_tweets(ids=[str(1000 + index) for index in range(101)])

    assert "[101] is not between 1 and 100" in raised.value.api_messages[0]


# Parameter checks.


def test_max_results_101_is_bad_request(server, client):
    with pytest.raises(tweepy.BadRequest) as raised:
        client.get_users_tweets(LIBRARY_ID, max_results=101)

    body = raised.value.response.json()
    assert body["type"] == "https://api.twitter.com/2/problems/invalid-request"
    assert raised.value.api_errors[0]["parameters"] == {"max_results": ["101"]}
    assert raised.value.api_messages == ["The `max_results` query parameter value [101] is not between 5 and 100"]


def test_unknown_pagination_token_is_bad_request(client):
    with pytest.raises(tweepy.BadRequest) as raised:
        client.get_users_tweets(LIBRARY_ID, pagination_token="7140dibdnow9c7btw4232poeq0wapgnwgwqwvuwn3peex")

    assert raised.value.api_errors[0]["parameters"].keys() == {"pagination_token"}


def test_page_token_from_other_list_is_rejected(server, client):
    add_timeline(server, 12)
    token = client.get_users_tweets(LIBRARY_ID)["meta"]["next_token"]

    with pytest.raises(tweepy.BadRequest):
        client.get_users_mentions(LIBRARY_ID, pagination_token=token)


# Metric names.


def test_spec_metric_names():
    server = XServer(metric_names="spec").start()
    try:
        server.add_user("NorthbrookHSL", LIBRARY_ID, tweets=4500)
        server.add_tweet(LIBRARY_ID, make_tweet(snowflake(START), LIBRARY_ID, "Hello", START, retweets=3))
        client = make_client(BEARER_TOKEN, server.api_url)

        user = client.get_user(id=LIBRARY_ID, user_fields=["public_metrics"])["data"]
        tweet = client.get_users_tweets(LIBRARY_ID, tweet_fields=["public_metrics"])["data"][0]
    finally:
        server.stop()

    assert user["public_metrics"]["post_count"] == 4500
    assert "tweet_count" not in user["public_metrics"]
    assert tweet["public_metrics"]["repost_count"] == 3
    assert "retweet_count" not in tweet["public_metrics"]


# Headers, auth and routes.


def test_rate_limit_headers_count_down(server, client):
    client.return_type = requests.Response

    first = client.get_users_tweets(LIBRARY_ID)
    second = client.get_users_tweets(LIBRARY_ID)

    assert first.headers["content-type"] == "application/json; charset=utf-8"
    assert first.headers["x-rate-limit-limit"] == "1500"
    assert first.headers["x-rate-limit-remaining"] == "1499"
    assert second.headers["x-rate-limit-remaining"] == "1498"
    assert 0 < int(first.headers["x-rate-limit-reset"]) - time.time() <= 900


def test_spent_window_is_rate_limited():
    server = XServer(rate_limits={"/2/users/by/username/:username": 2}).start()
    try:
        server.add_user("NorthbrookHSL", LIBRARY_ID)
        client = make_client(BEARER_TOKEN, server.api_url)
        client.get_user(username="NorthbrookHSL")
        client.get_user(username="NorthbrookHSL")

        with pytest.raises(tweepy.TooManyRequests) as raised:
            client.get_user(username="NorthbrookHSL")
    finally:
        server.stop()

    assert raised.value.response.headers["x-rate-limit-remaining"] == "0"
    assert raised.value.response.json()["title"] == "Too Many Requests"


def test_wrong_token_is_unauthorized(server):
    client = make_client("not-the-token", server.api_url)

    with pytest.raises(tweepy.Unauthorized) as raised:
        client.get_user(username="NorthbrookHSL")

    assert raised.value.response.json() == {"title": "Unauthorized", "type": "about:blank", "status": 401,
                                            "detail": "Unauthorized"}
    assert "x-rate-limit-reset" in raised.value.response.headers


def test_unknown_route_and_post_not_found(server, client):
    with pytest.raises(tweepy.NotFound) as unknown_route:
        client.request("GET", "/2/spaces/1")
    with pytest.raises(tweepy.NotFound) as post:
        client.request("POST", "/2/tweets", json={"text": "Hello"})

    assert unknown_route.value.response.json()["status"] == 404
    assert "x-rate-limit-limit" in unknown_route.value.response.headers
    assert post.value.response.json()["status"] == 404
    assert [request.method for request in server.received("/2/")] == ["GET", "POST"]


# Injected faults.


def test_rate_limit_fault(server, client):
    server.fail_next(f"/2/users/{LIBRARY_ID}/tweets", "rate_limit", reset_in=120)

    with pytest.raises(tweepy.TooManyRequests) as raised:
        client.get_users_tweets(LIBRARY_ID)

    headers = raised.value.response.headers
    assert headers["x-rate-limit-remaining"] == "0"
    assert 118 <= int(headers["x-rate-limit-reset"]) - time.time() <= 121
    assert raised.value.reset_time == int(headers["x-rate-limit-reset"])
    assert raised.value.response.json()["title"] == "Too Many Requests"
    assert client.get_users_tweets(LIBRARY_ID) == {"meta": {"result_count": 0}}


def test_usage_cap_fault(server, client):
    server.fail_next("/2/users/", "usage_cap", reset_in=3600)

    with pytest.raises(tweepy.TooManyRequests) as raised:
        client.get_users_tweets(LIBRARY_ID)

    assert int(raised.value.response.headers["x-rate-limit-remaining"]) > 0
    assert raised.value.response.json()["title"] == "UsageCapExceeded"
    assert raised.value.response.json()["type"] == "https://api.twitter.com/2/problems/usage-capped"
    # X sends the usage cap as one top-level problem, with no "errors" list, so
    # tweepy 4.17 fills api_messages from "detail" and leaves api_errors empty.
    assert raised.value.api_errors == []
    assert raised.value.api_messages == ["Usage cap exceeded: Monthly product cap"]


def test_server_error_fault_counts_down(server, client):
    server.fail_next("/2/users/by/", "server_error", count=2)

    for _ in range(2):
        with pytest.raises(tweepy.TwitterServerError) as raised:
            client.get_user(username="NorthbrookHSL")
        assert raised.value.response.status_code == 503

    assert client.get_user(username="NorthbrookHSL")["data"]["id"] == LIBRARY_ID


def test_fault_skips_other_paths(server, client):
    server.fail_next("/2/tweets", "server_error")

    assert client.get_user(id=LIBRARY_ID)["data"]["id"] == LIBRARY_ID
    with pytest.raises(tweepy.TwitterServerError):
        client.get_tweets(ids=["1"])


def test_forbidden_fault(server, client):
    server.fail_next("/2/", "forbidden")

    with pytest.raises(tweepy.Forbidden) as raised:
        client.get_user(id=LIBRARY_ID)

    assert raised.value.response.json()["reason"] == "client-not-enrolled"
    assert raised.value.api_messages[0].startswith("When authenticating requests")


def test_unauthorized_fault(server, client):
    server.fail_next("/2/", "unauthorized")

    with pytest.raises(tweepy.Unauthorized):
        client.get_user(id=LIBRARY_ID)


def test_timeout_fault_delays_only_its_request(server, client):
    server.fail_next(f"/2/users/{LIBRARY_ID}/tweets", "timeout", delay=2.0)
    impatient = make_client(BEARER_TOKEN, server.api_url, timeout=(1.0, 0.3))

    started = time.monotonic()
    with pytest.raises(requests.exceptions.ReadTimeout):
        impatient.get_users_tweets(LIBRARY_ID)
    timed_out_after = time.monotonic() - started
    # The server is still delaying the first response while it serves this request.
    answered = client.get_users_tweets(LIBRARY_ID)
    answered_after = time.monotonic() - started

    assert 0.3 <= timed_out_after < 1.0
    assert answered == {"meta": {"result_count": 0}}
    assert answered_after < 1.0


def test_fail_next_rejects_unknown_fault(server):
    with pytest.raises(ValueError, match="unknown fault"):
        server.fail_next("/2/", "teapot")
    with pytest.raises(ValueError, match="invalid options"):
        server.fail_next("/2/", "rate_limit", delay=1)


# The tweet builder.


def test_make_tweet_links_and_entities():
    created = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    tweet = make_tweet(snowflake(created), LIBRARY_ID, "Hours for @patron_ann: https://northbrook.example/hours #open",
                       created, urls=["https://northbrook.example/hours", "https://northbrook.example/events"])

    assert tweet["created_at"] == "2026-11-30T12:00:00.000Z"
    assert tweet["edit_history_tweet_ids"] == [tweet["id"]]
    assert "referenced_tweets" not in tweet
    urls = tweet["entities"]["urls"]
    assert [url["expanded_url"] for url in urls] == ["https://northbrook.example/hours",
                                                     "https://northbrook.example/events"]
    for url in urls:
        assert tweet["text"][url["start"]:url["end"]] == url["url"]
        assert url["url"].startswith("https://t.co/")
    assert urls[0]["display_url"] == "northbrook.example/hours"
    mention = tweet["entities"]["mentions"][0]
    assert tweet["text"][mention["start"]:mention["end"]] == "@patron_ann"
    assert tweet["entities"]["hashtags"][0]["tag"] == "open"


def test_make_tweet_urls_in_text_order():
    tweet = make_tweet("30", LIBRARY_ID, "Events https://b.example then hours https://a.example", START,
                       urls=["https://a.example", "https://b.example"])

    urls = tweet["entities"]["urls"]
    assert [url["expanded_url"] for url in urls] == ["https://b.example", "https://a.example"]
    assert [tweet["text"][url["start"]:url["end"]] for url in urls] == [url["url"] for url in urls]
    assert "example" not in tweet["text"]


def test_make_tweet_kinds():
    retweet = make_tweet("20", LIBRARY_ID, "RT @patron_ann: hi", START, kind="retweet", referenced_id=10)
    quote = make_tweet("21", LIBRARY_ID, "Look", START, kind="quote", referenced_id=10)

    assert retweet["referenced_tweets"] == [{"type": "retweeted", "id": "10"}]
    assert quote["referenced_tweets"] == [{"type": "quoted", "id": "10"}]
    assert "entities" not in quote
    with pytest.raises(ValueError, match="needs referenced_id"):
        make_tweet("22", LIBRARY_ID, "hi", START, kind="reply")


def test_snowflake_embeds_time():
    created = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)

    tweet_id = int(snowflake(created))

    assert datetime.fromtimestamp(((tweet_id >> 22) + 1288834974657) / 1000, UTC) == created
