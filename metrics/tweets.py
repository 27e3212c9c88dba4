"""One normalised tweet, built from an archive entry or an X API v2 object.

Both sources become a ``Tweet``; the importers and the poller store only that.
"""

import html
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from urllib.parse import urlsplit

KINDS = ("original", "reply", "thread", "retweet", "quote")

# Hosts whose URLs are not links to information: X itself and its shortener.
# Subdomains (mobile.twitter.com, pic.x.com) count as the same host.
X_HOSTS = ("twitter.com", "x.com", "t.co")

# A quote shows up in an archive only as a link to the quoted tweet.
QUOTE_URL = re.compile(
    r"https?://(?:(?:www|mobile)\.)?(?:twitter|x)\.com/(?:i/web|[A-Za-z0-9_]{1,50})/status(?:es)?/(\d+)",
    re.IGNORECASE,
)
# The host of an absolute URL, as urlsplit finds it for the URLs X expands.
URL_HOST = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#@\[\]]*@)?([^:/?#\[\]@]+)(?::\d*)?(?:[/?#]|$)")
# Links written in the text of tweets older than August 2011, whose entities are empty.
BARE_URL = re.compile(r"https?://[^\s<>\"']+")

MONTHS = {
    name: number
    for number, name in enumerate(
        ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), start=1
    )
}
# "Thu Nov 03 08:50:26 +0000 2022": archives since 2019 and Grailbird archives from 2013.
CLASSIC_TIME = re.compile(
    r"[A-Z][a-z]{2} ([A-Z][a-z]{2}) (\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4}) (\d{4})"
)
# "2016-09-30 14:58:28 +0000": Grailbird archives.
GRAILBIRD_TIME = re.compile(r"(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-]\d{4})")


@dataclass(slots=True)
class Link:
    expanded_url: str
    domain: str


@dataclass(slots=True)
class Tweet:
    """A tweet in the fields the metrics use. Counts are None where the source lacks them."""

    id: int
    created_at: str
    text: str
    lang: str | None = None
    author_id: int | None = None
    author_handle: str | None = None
    is_retweet: bool = False
    quoted_id: int | None = None
    is_quote: bool = False
    retweeted_id: int | None = None
    in_reply_to_status_id: int | None = None
    in_reply_to_user_id: int | None = None
    in_reply_to_handle: str | None = None
    conversation_id: int | None = None
    edit_ids: tuple[int, ...] = ()
    likes: int | None = None
    retweets: int | None = None
    replies: int | None = None
    quotes: int | None = None
    impressions: int | None = None
    links: list[Link] = field(default_factory=list)
    hashtags: list[str] = field(default_factory=list)
    mentioned: list[tuple[int | None, str]] = field(default_factory=list)

    @property
    def edit_group(self) -> int | None:
        """The id of the first version when the tweet was edited, else None."""
        return self.edit_ids[0] if len(self.edit_ids) > 1 else None

    @property
    def referenced_id(self) -> int | None:
        return self.retweeted_id or self.quoted_id


def classify_kind(tweet: Tweet, account_user_id: int | None, account_handle: str) -> str:
    """Return the tweet's one kind, in the order retweet, reply, thread, quote, original.

    A reply to the account itself is a thread. When the account's user id is not
    known yet (a lone tweets file), the reply's screen name decides.
    """
    if tweet.is_retweet:
        return "retweet"
    if tweet.in_reply_to_user_id is not None or tweet.in_reply_to_handle:
        if account_user_id is not None and tweet.in_reply_to_user_id is not None:
            to_self = tweet.in_reply_to_user_id == account_user_id
        else:
            to_self = (tweet.in_reply_to_handle or "").lower() == account_handle.lower()
        return "thread" if to_self else "reply"
    if tweet.is_quote:
        return "quote"
    return "original"


def parse_time(value: str) -> str:
    """Convert any X time format to ``YYYY-MM-DDTHH:MM:SSZ`` in UTC.

    Accepts ``Thu Nov 03 08:50:26 +0000 2022``, ``2016-09-30 14:58:28 +0000`` and
    ISO 8601 (``2022-10-07T12:00:00.000Z``). Raises ValueError on anything else.
    """
    match = CLASSIC_TIME.fullmatch(value)
    if match and match[4] == "+0000" and match[1] in MONTHS:
        return f"{match[5]}-{MONTHS[match[1]]:02d}-{match[2]}T{match[3]}Z"
    if match:
        moment = datetime.strptime(value, "%a %b %d %H:%M:%S %z %Y")
        return format_time(moment)
    match = GRAILBIRD_TIME.fullmatch(value)
    if match:
        return format_time(datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z"))
    moment = datetime.fromisoformat(value)
    if moment.tzinfo is None:
        raise ValueError(f"time {value!r} has no time zone")
    return format_time(moment)


def format_time(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def normalize_domain(host: str) -> str:
    """Lowercase a host name, drop a trailing dot and a leading ``www.``, and write it in ASCII.

    An internationalised name (``bibliothèque.ca``) becomes its IDNA form
    (``xn--bibliothque-…``), so a link written either way matches the same own domain.
    """
    domain = host.lower().rstrip(".")
    if not domain.isascii():
        try:
            domain = domain.encode("idna").decode("ascii")
        except UnicodeError:
            pass
    if domain.startswith("www."):
        domain = domain[4:]
    return domain


def is_x_host(domain: str) -> bool:
    return any(domain == host or domain.endswith("." + host) for host in X_HOSTS)


def make_link(url: str) -> Link | None:
    """Return the link to store for an expanded URL, or None for X's own URLs and bad URLs."""
    if "://" not in url:
        url = "http://" + url
    # The pattern takes the common case fast; anything unusual (IPv6 hosts,
    # odd characters) goes through urlsplit.
    match = URL_HOST.match(url)
    if match:
        host = match[1]
    else:
        try:
            host = urlsplit(url).hostname
        except ValueError:
            return None
    if not host:
        return None
    domain = normalize_domain(host)
    if is_x_host(domain):
        return None
    return Link(url, domain)


def add_urls(tweet: Tweet, urls: list[str], *, detect_quotes: bool) -> None:
    """Record expanded URLs on a tweet, each link once.

    With ``detect_quotes`` a link to a tweet marks the tweet as a quote, which is
    the only sign of a quote in an archive. The API marks quotes itself.
    """
    known = {link.expanded_url for link in tweet.links}
    for url in urls:
        quote = QUOTE_URL.match(url)
        if quote:
            if detect_quotes:
                tweet.is_quote = True
                tweet.quoted_id = tweet.quoted_id or int(quote[1])
            continue
        link = make_link(url)
        if link and link.expanded_url not in known:
            known.add(link.expanded_url)
            tweet.links.append(link)


def add_hashtags(tweet: Tweet, tags: list[str]) -> None:
    for tag in tags:
        lowered = tag.lower()
        if lowered and lowered not in tweet.hashtags:
            tweet.hashtags.append(lowered)


def to_int(value: object) -> int | None:
    """Read an id or count that may be a string, an int or missing."""
    if value is None or value == "":
        return None
    return int(value)


def unescape(text: str) -> str:
    """Undo X's HTML escaping (``&amp;``, ``&lt;``, ``&gt;``) for storage and display."""
    return html.unescape(text) if "&" in text else text
