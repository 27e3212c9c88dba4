"""The floor for the import benchmark: a streaming parse plus one executemany.

It reads a tweets.js, drops the ``window.YTD… =`` frame, parses the array with ijson
and inserts the report's columns in one ``executemany``. No real importer can do
less work, so it bounds what tweetstats could reach.

Usage: python bench/floor_import.py TWEETS_JS DATABASE
"""

import sqlite3
import sys

import ijson


def rows(path: str):
    with open(path, "rb") as file:
        head = file.read(4096)
        file.seek(head.index(b"=") + 1)
        for entry in ijson.items(file, "item", use_float=True):
            tweet = entry.get("tweet", entry)
            yield (
                tweet["id_str"], tweet["created_at"], tweet["full_text"], tweet.get("favorite_count"),
                tweet.get("retweet_count"), tweet.get("in_reply_to_status_id_str"),
                tweet.get("in_reply_to_user_id_str"),
            )


def main(path: str, database: str) -> None:
    connection = sqlite3.connect(database)
    connection.execute(
        "CREATE TABLE tweets (id INTEGER PRIMARY KEY, created_at TEXT, text TEXT, likes INTEGER, "
        "retweets INTEGER, in_reply_to_status_id INTEGER, in_reply_to_user_id INTEGER)"
    )
    with connection:
        connection.executemany("INSERT INTO tweets VALUES (?, ?, ?, ?, ?, ?, ?)", rows(path))
    connection.close()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
