"""Read one tweet entry of an X archive export, of any generation, into a ``Tweet``.

Archive entries use the API v1.1 field names: ``full_text`` (``text`` before 2019),
``entities.urls[].expanded_url``, ``in_reply_to_*_str``, and counts as strings.
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
    fields = entry["tweet"] if isinstance(entry.get("tweet"), dict) else entry
    try:
        return _build_tweet(fields)
    except KeyError as error:
        raise SkippedEntry(f"missing field {error.args[0]}") from None
    except (ValueError, TypeError, AttributeError) as error:
        raise SkippedEntry(f"invalid field value ({error})") from None


def _build_tweet(fields: dict) -> Tweet:
    text = unescape(fields.get("full_text") or fields.get("text") or "")
    retweeted_status = fields.get("retweeted_status")
    is_retweet = isinstance(retweeted_status, dict) or text.startswith("RT @")
    tweet = Tweet(
        id=int(fields.get("id_str") or fields["id"]),
        created_at=parse_time(fields["created_at"]),
        text=text,
        lang=fields.get("lang"),
        is_retweet=is_retweet,
        in_reply_to_status_id=to_int(_first(fields, "in_reply_to_status_id_str", "in_reply_to_status_id")),
        in_reply_to_user_id=to_int(_first(fields, "in_reply_to_user_id_str", "in_reply_to_user_id")),
        in_reply_to_handle=fields.get("in_reply_to_screen_name") or None,
        edit_ids=_edit_ids(fields.get("edit_info")),
    )
    user = fields.get("user")
    if isinstance(user, dict):
        # Only Grailbird entries carry the author, which gives the account's id.
        tweet.author_id = to_int(_first(user, "id_str", "id"))
        tweet.author_handle = user.get("screen_name")
    if isinstance(retweeted_status, dict):
        tweet.retweeted_id = to_int(_first(retweeted_status, "id_str", "id"))
    quoted = to_int(fields.get("quoted_status_id_str"))
    if quoted:
        tweet.is_quote, tweet.quoted_id = True, quoted
    # Archives zero the counts of retweets, and Grailbird archives have none.
    if not is_retweet:
        tweet.likes = to_int(fields.get("favorite_count"))
        tweet.retweets = to_int(fields.get("retweet_count"))
    _add_entities(tweet, fields.get("entities") or {})
    return tweet


def _add_entities(tweet: Tweet, entities: dict) -> None:
    urls = [item.get("expanded_url") or item.get("url") or "" for item in entities.get("urls") or []]
    if not urls and not tweet.is_retweet and "http" in tweet.text:
        # Tweets older than August 2011 carry their links in the text only.
        urls = [url.rstrip(".,;:!?)") for url in BARE_URL.findall(tweet.text)]
    add_urls(tweet, urls, detect_quotes=True)
    add_hashtags(tweet, [item.get("text") or "" for item in entities.get("hashtags") or []])
    for item in entities.get("user_mentions") or []:
        tweet.mentioned.append((to_int(_first(item, "id_str", "id")), item.get("screen_name") or ""))


def _edit_ids(edit_info: object) -> tuple[int, ...]:
    """Return every version id of an edited tweet in order, or () for an unedited one."""
    if not isinstance(edit_info, dict):
        return ()
    control = edit_info.get("initial")
    if control is None and isinstance(edit_info.get("edit"), dict):
        control = edit_info["edit"].get("editControlInitial")
    if not isinstance(control, dict):
        return ()
    ids = tuple(int(value) for value in control.get("editTweetIds") or ())
    return ids if len(ids) > 1 else ()


def _first(fields: dict, *names: str) -> object:
    for name in names:
        value = fields.get(name)
        if value not in (None, ""):
            return value
    return None
