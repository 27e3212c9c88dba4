"""Questions from users that the account has not answered yet, oldest first.

The mention text may carry a health question from the public: it goes to the
library's own team in Slack and never into a log line or an error message.
"""

from dataclasses import dataclass

import sqlite_utils

# A question is unanswered until the account replies to it on X, or someone
# marks it in Slack as answered another way or as no question at all.
UNANSWERED = """is_question = 1 AND answered_by IS NULL AND NOT EXISTS (
    SELECT 1 FROM question_marks marks
    WHERE marks.account_id = mentions.account_id AND marks.mention_id = mentions.id
)"""


@dataclass(frozen=True)
class Question:
    id: int
    author_handle: str | None
    created_at: str
    text: str

    @property
    def url(self) -> str:
        """The mention on X. X redirects /i/web/status/ID to the tweet when the author is unknown."""
        if self.author_handle:
            return f"https://x.com/{self.author_handle}/status/{self.id}"
        return f"https://x.com/i/web/status/{self.id}"


def count_unanswered(db: sqlite_utils.Database, account_id: int) -> int:
    return db.execute(
        f"SELECT count(*) FROM mentions WHERE account_id = ? AND {UNANSWERED}",
        [account_id],
    ).fetchone()[0]


def list_unanswered(db: sqlite_utils.Database, account_id: int, limit: int) -> list[Question]:
    """Return at most ``limit`` unanswered questions to the account, the oldest first."""
    rows = db.execute(
        f"""SELECT id, author_handle, created_at, text FROM mentions
           WHERE account_id = ? AND {UNANSWERED}
           ORDER BY created_at, id LIMIT ?""",
        [account_id, limit],
    )
    return [Question(*row) for row in rows]
