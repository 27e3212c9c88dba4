"""Tracked accounts and their own website domains."""

import re
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlite_utils

from metrics.errors import UsageError
from metrics.tweets import normalize_domain

# X usernames: 1 to 15 letters, digits or underscores (older accounts may be
# longer, so up to 50 is accepted).
HANDLE = re.compile(r"@?([A-Za-z0-9_]{1,50})")
DOMAIN = re.compile(r"(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,62}")


@dataclass(frozen=True)
class Account:
    id: int
    user_id: int | None
    handle: str
    display_name: str | None
    own_domains: tuple[str, ...]
    # Whether the poller reads the account from X; an untracked account keeps its history.
    tracked: bool = True


def parse_handle(value: str) -> str:
    """Return a handle without its ``@``, or raise UsageError naming the value."""
    match = HANDLE.fullmatch(value.strip())
    if not match:
        raise UsageError(f"'{value}' is not an X handle: use letters, digits and _ only, as in @NorthbrookHSL")
    return match[1]


def parse_domain(value: str) -> str:
    """Return a website domain in its stored form, or raise UsageError naming the value."""
    text = value.strip().lower()
    text = re.sub(r"^[a-z]+://", "", text).split("/")[0].split(":")[0]
    domain = normalize_domain(text)
    if not DOMAIN.fullmatch(domain):
        raise UsageError(f"'{value}' is not a website domain: give one such as library.example.org")
    return domain


def find_account(db: sqlite_utils.Database, handle: str) -> Account | None:
    row = db.execute("SELECT id FROM accounts WHERE handle = ?", [parse_handle(handle)]).fetchone()
    return load_account(db, row[0]) if row else None


def find_account_by_user_id(db: sqlite_utils.Database, user_id: int) -> Account | None:
    row = db.execute("SELECT id FROM accounts WHERE user_id = ?", [user_id]).fetchone()
    return load_account(db, row[0]) if row else None


def load_account(db: sqlite_utils.Database, account_id: int) -> Account:
    row = db.execute(
        "SELECT id, user_id, handle, display_name, tracked FROM accounts WHERE id = ?", [account_id]
    ).fetchone()
    domains = tuple(
        domain for (domain,) in db.execute(
            "SELECT domain FROM own_domains WHERE account_id = ? ORDER BY domain", [account_id]
        )
    )
    return Account(row[0], row[1], row[2], row[3], domains, bool(row[4]))


def list_accounts(db: sqlite_utils.Database) -> list[Account]:
    ids = [row[0] for row in db.execute("SELECT id FROM accounts ORDER BY handle")]
    return [load_account(db, account_id) for account_id in ids]


def add_account(
    db: sqlite_utils.Database, handle: str, user_id: int | None = None, display_name: str | None = None
) -> Account:
    """Insert an account and return it. The caller checks that the handle is free."""
    cursor = db.execute(
        "INSERT INTO accounts (user_id, handle, display_name, added_at) VALUES (?, ?, ?, ?)",
        [user_id, parse_handle(handle), display_name, utc_now()],
    )
    return load_account(db, cursor.lastrowid)


def update_account(db: sqlite_utils.Database, account: Account, user_id: int | None, display_name: str | None) -> Account:
    """Fill in an account's user id and display name where they were unknown or changed."""
    db.execute(
        "UPDATE accounts SET user_id = coalesce(user_id, ?), display_name = coalesce(?, display_name) WHERE id = ?",
        [user_id, display_name, account.id],
    )
    return load_account(db, account.id)


def track_account(db: sqlite_utils.Database, handle: str) -> tuple[Account, str]:
    """Mark an account as tracked, adding it when the store lacks it.

    Returns the account and what changed: "added", "resumed" (it was untracked) or "unchanged".
    """
    account = find_account(db, handle)
    if account is None:
        return add_account(db, handle), "added"
    if account.tracked:
        return account, "unchanged"
    db.execute("UPDATE accounts SET tracked = 1 WHERE id = ?", [account.id])
    return load_account(db, account.id), "resumed"


def untrack_account(db: sqlite_utils.Database, account: Account) -> Account:
    """Stop polling an account. Its stored tweets, mentions and follower counts stay for reports."""
    db.execute("UPDATE accounts SET tracked = 0 WHERE id = ?", [account.id])
    return load_account(db, account.id)


def add_own_domain(db: sqlite_utils.Database, account: Account, domain: str) -> Account:
    db.execute(
        "INSERT OR IGNORE INTO own_domains (account_id, domain) VALUES (?, ?)", [account.id, parse_domain(domain)]
    )
    return load_account(db, account.id)


def remove_own_domain(db: sqlite_utils.Database, account: Account, domain: str) -> Account:
    """Stop counting a domain as the account's own. Raises UsageError when it is not one of them."""
    parsed = parse_domain(domain)
    if parsed not in account.own_domains:
        listed = ", ".join(account.own_domains) or "none"
        raise UsageError(f"'{domain}' is not an own domain of @{account.handle}; its own domains are: {listed}")
    db.execute("DELETE FROM own_domains WHERE account_id = ? AND domain = ?", [account.id, parsed])
    return load_account(db, account.id)


def count_links_to(db: sqlite_utils.Database, account: Account, domain: str) -> int:
    """Count the account's stored links to a domain or its subdomains, to catch a mistyped own domain."""
    parsed = parse_domain(domain)
    return db.execute(
        """SELECT count(*) FROM links l JOIN tweets t ON t.id = l.tweet_id
           WHERE t.account_id = ? AND (l.domain = ? OR substr(l.domain, -length(?) - 1) = '.' || ?)""",
        [account.id, parsed, parsed, parsed],
    ).fetchone()[0]


def require_account(db: sqlite_utils.Database, handle: str | None) -> Account:
    """Return the named account, or the only tracked one when no handle is given.

    Raises UsageError saying what to type when the store is empty, the handle is
    unknown, or several accounts are tracked and none is named.
    """
    accounts = list_accounts(db)
    if not accounts:
        raise UsageError("the store has no accounts yet: run 'tweetstats import ARCHIVE.zip' first")
    if handle is None:
        if len(accounts) == 1:
            return accounts[0]
        names = ", ".join("@" + account.handle for account in accounts)
        raise UsageError(f"several accounts are tracked ({names}): choose one with --account @handle")
    account = find_account(db, handle)
    if account is None:
        names = ", ".join("@" + account.handle for account in accounts)
        raise UsageError(f"no account @{parse_handle(handle)} in the store; tracked accounts: {names}")
    return account


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
