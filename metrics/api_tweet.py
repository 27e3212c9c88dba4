"""Read one X API v2 tweet object (from the poller or a twarc2 file) into a ``Tweet``."""

from metrics.tweets import Tweet, add_hashtags, add_urls, parse_time, to_int, unescape


class SkippedTweet(Exception):
    """A v2 object that cannot be read as a tweet; the message is the reason."""


def tweet_from_api(fields: object, usernames: dict[str, str] | None = None) -> Tweet:
    """Build a Tweet from a v2 ``data`` object or a twarc2 flattened line.

    ``usernames`` maps user ids to usernames from the page's ``includes.users``.
    A flattened line carries ``author`` and ``in_reply_to_user`` inline instead.
    Raises SkippedTweet when a required field is missing or invalid.
    """
    if not isinstance(fields, dict):
        raise SkippedTweet("tweet is not a JSON object")
    try:
        return _build_tweet(fields, usernames or {})
    except KeyError as error:
        raise SkippedTweet(f"missing field {error.args[0]}") from None
    except (ValueError, TypeError, AttributeError) as error:
        raise SkippedTweet(f"invalid field value ({error})") from None


def _build_tweet(fields: dict, usernames: dict[str, str]) -> Tweet:
    note = fields.get("note_tweet") or fields.get("note_post") or {}
    text = unescape(note.get("text") or fields.get("text") or "")
    author_id = to_int(fields.get("author_id"))
    reply_user_id = to_int(fields.get("in_reply_to_user_id"))
    tweet = Tweet(
        id=int(fields["id"]),
        created_at=parse_time(fields["created_at"]),
        text=text,
        lang=fields.get("lang"),
        author_id=author_id,
        author_handle=_username(fields.get("author"), usernames, author_id),
        in_reply_to_user_id=reply_user_id,
        in_reply_to_handle=_username(fields.get("in_reply_to_user"), usernames, reply_user_id),
        conversation_id=to_int(fields.get("conversation_id")),
        is_retweet=text.startswith("RT @"),
    )
    edit_ids = fields.get("edit_history_tweet_ids") or fields.get("edit_history_post_ids") or ()
    tweet.edit_ids = tuple(int(value) for value in edit_ids) if len(edit_ids) > 1 else ()
    _add_references(tweet, fields.get("referenced_tweets") or fields.get("referenced_posts") or [])
    _add_metrics(tweet, fields.get("public_metrics") or {})
    _add_entities(tweet, fields.get("entities") or {})
    _add_entities(tweet, note.get("entities") or {})
    return tweet


def _add_references(tweet: Tweet, references: list) -> None:
    for reference in references:
        kind = reference.get("type")
        target = to_int(reference.get("id"))
        if kind in ("retweeted", "reposted"):
            tweet.is_retweet, tweet.retweeted_id = True, target
        elif kind == "quoted":
            tweet.is_quote, tweet.quoted_id = True, target
        elif kind == "replied_to":
            tweet.in_reply_to_status_id = target


def _add_metrics(tweet: Tweet, metrics: dict) -> None:
    # X's published OpenAPI spec renames retweet_count to repost_count; the wire
    # format has kept the tweet names, so both are read.
    tweet.likes = to_int(metrics.get("like_count"))
    tweet.retweets = to_int(_first_present(metrics, "retweet_count", "repost_count"))
    tweet.replies = to_int(metrics.get("reply_count"))
    tweet.quotes = to_int(metrics.get("quote_count"))
    tweet.impressions = to_int(metrics.get("impression_count"))


def _add_entities(tweet: Tweet, entities: dict) -> None:
    urls = [item.get("unwound_url") or item.get("expanded_url") or item.get("url") or ""
            for item in entities.get("urls") or []]
    add_urls(tweet, urls, detect_quotes=False)
    add_hashtags(tweet, [item.get("tag") or "" for item in entities.get("hashtags") or []])
    for item in entities.get("mentions") or []:
        tweet.mentioned.append((to_int(item.get("id")), item.get("username") or ""))


def _username(inline: object, usernames: dict[str, str], user_id: int | None) -> str | None:
    if isinstance(inline, dict) and inline.get("username"):
        return inline["username"]
    if user_id is None:
        return None
    return usernames.get(str(user_id))


def _first_present(fields: dict, *names: str) -> object:
    for name in names:
        if fields.get(name) is not None:
            return fields[name]
    return None
