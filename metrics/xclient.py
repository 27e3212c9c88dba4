"""A tweepy ``Client`` for X API v2 with a configurable host and a request timeout.

tweepy's ``Client`` sends every request to https://api.twitter.com, with no
setting to change it. ``make_client`` mounts a requests transport adapter on
the client's public ``session`` that sends those requests to ``api_url``
instead (X_API_URL: a proxy, or a local server in tests) and gives each one a
timeout, which tweepy does not set.
"""

import logging

import requests
import tweepy
from requests.adapters import HTTPAdapter

# The host tweepy 4.17 writes into every request URL.
TWEEPY_HOST = "https://api.twitter.com"
# Seconds to connect and to wait for each read of a response.
CONNECT_TIMEOUT = 10
READ_TIMEOUT = 30


class RoutingAdapter(HTTPAdapter):
    """Send requests for TWEEPY_HOST to ``api_url``, each with a timeout."""

    def __init__(self, api_url: str | None, timeout: tuple[float, float]) -> None:
        super().__init__()
        self.api_url = api_url.rstrip("/") if api_url else None
        self.timeout = timeout

    def send(self, request: requests.PreparedRequest, **kwargs) -> requests.Response:
        if self.api_url and request.url.startswith(TWEEPY_HOST):
            request.url = self.api_url + request.url[len(TWEEPY_HOST):]
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().send(request, **kwargs)


def make_client(bearer_token: str, api_url: str | None = None,
                timeout: tuple[float, float] = (CONNECT_TIMEOUT, READ_TIMEOUT)) -> tweepy.Client:
    """Return a tweepy Client using app-only auth, routed to ``api_url`` when it is given.

    ``wait_on_rate_limit`` stays off: with it, tweepy sleeps and retries a 429
    without any bound, and never stops on a monthly usage cap.
    """
    # tweepy logs each request's headers, the bearer token among them, at DEBUG: keep
    # its logger at INFO, so that those records reach no handler whatever the root level.
    logging.getLogger("tweepy").setLevel(logging.INFO)
    client = tweepy.Client(bearer_token=bearer_token, return_type=dict, wait_on_rate_limit=False)
    adapter = RoutingAdapter(api_url, timeout)
    client.session.mount(TWEEPY_HOST + "/", adapter)
    if api_url:
        client.session.mount(api_url.rstrip("/") + "/", adapter)
    return client
