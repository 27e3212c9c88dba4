-- A tweetstats database at schema version 1 (PRAGMA user_version = 1), with sample rows.
PRAGMA user_version = 1;
BEGIN TRANSACTION;
CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            user_id INTEGER UNIQUE,
            handle TEXT NOT NULL UNIQUE COLLATE NOCASE,
            display_name TEXT,
            added_at TEXT NOT NULL
        );
INSERT INTO "accounts" VALUES(1,1500000000000000001,'TestHealthLib','Test Health Library','2026-01-01T00:00:00Z');
CREATE TABLE cursors (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            name TEXT NOT NULL,
            value TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (account_id, name)
        );
CREATE TABLE follower_snapshots (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            taken_at TEXT NOT NULL,
            followers INTEGER,
            following INTEGER,
            tweets INTEGER,
            listed INTEGER,
            source TEXT NOT NULL,
            PRIMARY KEY (account_id, taken_at)
        );
CREATE TABLE hashtags (
            tweet_id INTEGER NOT NULL REFERENCES tweets(id) ON DELETE CASCADE,
            tag TEXT NOT NULL,
            PRIMARY KEY (tweet_id, tag)
        ) WITHOUT ROWID;
CREATE TABLE imports (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            source TEXT NOT NULL,
            name TEXT NOT NULL,
            generated_at TEXT NOT NULL,
            imported_at TEXT NOT NULL,
            tweets INTEGER NOT NULL,
            mentions INTEGER NOT NULL,
            UNIQUE (account_id, source, name, generated_at)
        );
CREATE TABLE links (
            tweet_id INTEGER NOT NULL REFERENCES tweets(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            expanded_url TEXT NOT NULL,
            domain TEXT NOT NULL,
            PRIMARY KEY (tweet_id, position)
        ) WITHOUT ROWID;
CREATE TABLE mentions (
            id INTEGER NOT NULL,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            author_id INTEGER,
            author_handle TEXT,
            created_at TEXT NOT NULL,
            text TEXT NOT NULL,
            lang TEXT,
            in_reply_to_status_id INTEGER,
            is_question INTEGER NOT NULL,
            question_reason TEXT NOT NULL,
            answered_by INTEGER,
            answered_at TEXT,
            source TEXT NOT NULL,
            PRIMARY KEY (id, account_id)
        );
INSERT INTO "mentions" VALUES(2008763289937559554,1,777,'curious_reader','2026-01-05T11:00:00Z','Are you open?',NULL,NULL,1,'question_mark',NULL,NULL,'twarc');
CREATE TABLE own_domains (
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            domain TEXT NOT NULL,
            PRIMARY KEY (account_id, domain)
        );
INSERT INTO "own_domains" VALUES(1,'testhealthlib.example');
CREATE TABLE tweets (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
            created_at TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL,
            lang TEXT,
            in_reply_to_status_id INTEGER,
            in_reply_to_user_id INTEGER,
            referenced_id INTEGER,
            conversation_id INTEGER,
            edit_group INTEGER,
            likes INTEGER,
            retweets INTEGER,
            replies INTEGER,
            quotes INTEGER,
            impressions INTEGER,
            source TEXT NOT NULL,
            deleted_at TEXT
        );
INSERT INTO "tweets" VALUES(2008763289937559553,1,'2026-01-05T10:00:00Z','original','Hello',NULL,NULL,NULL,NULL,NULL,NULL,3,1,NULL,NULL,NULL,'archive',NULL);
CREATE INDEX tweets_by_account_time ON tweets (account_id, created_at, kind);
CREATE INDEX tweets_by_reply_target ON tweets (in_reply_to_status_id)
            WHERE in_reply_to_status_id IS NOT NULL;
CREATE INDEX tweets_by_edit_group ON tweets (edit_group) WHERE edit_group IS NOT NULL;
CREATE INDEX mentions_by_account_time ON mentions (account_id, created_at);
COMMIT;
