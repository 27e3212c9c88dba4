"""Read one tweet entry of an X archive export, of any generation, into a ``Tweet``.

Archive entries use the API v1.1 field names: ``full_text`` (``text`` before 2019),
``entities.urls[].expanded_url``, ``in_reply_to_*_str``, and counts as strings.
This runs once per tweet of archives that reach hundreds of thousands of
tweets, so it reads each field directly rather than through helpers.
"""

from metrics.tweets import BARE_URL, Tweet, add_hashtags, add_urls, parse_time, to_int, unescape


class SkippedEntry(Exception):
    """An entry that cannot be read as a tweet; the message is the reason, shown in the summary."""


def tweet_from_archive(entry: object) -> Tweet:
    """Build a Tweet from a ``tweets.js``, ``tweet.js`` or Grailbird entry.

    Entries since January 2020 are wrapped as ``{"tweet": {...}}``; older ones are
    bare. Raises SkippedEntry when a required field is missing or invalid.
    """
    if not isinstance(entry, dict):
        raise SkippedEntry("entry is not a JSON object")
    fields = entry.get("tweet")
    if not isinstance(fields, dict):
        fields = entry
    try:
        return _build_tweet(fields)
    except KeyError as error:
        raise SkippedEntry(f"missing field {error.args[0]}") from None
    except (ValueError, TypeError, AttributeError) as error:
        raise SkippedEntry(f"invalid field value ({error})") from None


def _build_tweet(fields: dict) -> Tweet:
    get = fields.get
    text = get("full_text") or get("text") or ""
    if "&" in text:
        text = unescape(text)
    retweeted_status = get("retweeted_status")
    is_retweet = text.startswith("RT @") or isinstance(retweeted_status, dict)
    reply_status = get("in_reply_to_status_id_str") or get("in_reply_to_status_id")
    reply_user = get("in_reply_to_user_id_str") or get("in_reply_to_user_id")
    tweet = Tweet(
        int(get("id_str") or fields["id"]),
        parse_time(fields["created_at"]),
        text,
        get("lang"),
        is_retweet=is_retweet,
        in_reply_to_status_id=int(reply_status) if reply_status else None,
        in_reply_to_user_id=int(reply_user) if reply_user else None,
        in_reply_to_handle=get("in_reply_to_screen_name") or None,
    )

    edit_info = get("edit_info")
    if edit_info:
        tweet.edit_ids = _edit_ids(edit_info)
    user = get("user")
    if isinstance(user, dict):
        # Only Grailbird entries carry the author, which gives the account's id.
        tweet.author_id = to_int(user.get("id_str") or user.get("id"))
        tweet.author_handle = user.get("screen_name")

    if is_retweet:
        # Archives zero the counts of retweets, so they stay unknown.
        if isinstance(retweeted_status, dict):
            tweet.retweeted_id = to_int(retweeted_status.get("id_str") or retweeted_status.get("id"))
    else:
        # Grailbird archives have no counts at all.
        likes = get("favorite_count")
        retweets = get("retweet_count")
        tweet.likes = int(likes) if likes is not None and likes != "" else None
        tweet.retweets = int(retweets) if retweets is not None and retweets != "" else None
        quoted = get("quoted_status_id_str")
        if quoted:
            tweet.is_quote, tweet.quoted_id = True, int(quoted)

    entities = get("entities")
    if entities and (entities.get("urls") or entities.get("hashtags")):
        _add_entities(tweet, entities)
    elif not is_retweet and "http" in text:
        _add_entities(tweet, {})
    return tweet


def _add_entities(tweet: Tweet, entities: dict) -> None:
    url_entities = entities.get("urls")
    if url_entities:
        add_urls(tweet, [item.get("expanded_url") or item.get("url") or "" for item in url_entities],
                 detect_quotes=True)
    elif not tweet.is_retweet and "http" in tweet.text:
        # Tweets older than August 2011 carry their links in the text only.
        add_urls(tweet, [url.rstrip(".,;:!?)") for url in BARE_URL.findall(tweet.text)], detect_quotes=True)
    hashtags = entities.get("hashtags")
    if hashtags:
        add_hashtags(tweet, [item.get("text") or "" for item in hashtags])


def _edit_ids(edit_info: object) -> tuple[int, ...]:
    """Return every version id of an edited tweet in order, or () for an unedited one."""
    if not isinstance(edit_info, dict):
        return ()
    control = edit_info.get("initial")
    if control is None and isinstance(edit_info.get("edit"), dict):
        control = edit_info["edit"].get("editControlInitial")
    if not isinstance(control, dict):
        return ()
    ids = control.get("editTweetIds")
    if not ids or len(ids) < 2:
        return ()
    return tuple(int(value) for value in ids)
