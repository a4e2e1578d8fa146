"""``mail_sendings``: every attempt at a periodic mail (the weekly status), so it goes out exactly once per
period, even across restarts and with two senders (see automation/status/schedule.py for the protocol)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the connection owner imports this module
    from automation.ledger.db import Ledger


INTERRUPTED = "bị gián đoạn (chương trình dừng giữa chừng)"


class Mailings:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.db

    def sent(self, kind: str, period: str) -> bool:
        return self.db.execute("SELECT 1 FROM mail_sendings WHERE kind = ? AND period = ? AND sent_at IS NOT NULL",
                               (kind, period)).fetchone() is not None

    def unsent(self, kind: str, period: str) -> list[sqlite3.Row]:
        return self.db.execute("SELECT attempted_at, error FROM mail_sendings WHERE kind = ? AND period = ? "
                               "AND sent_at IS NULL ORDER BY id", (kind, period)).fetchall()

    def failures(self, kind: str, period: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM mail_sendings WHERE kind = ? AND period = ? AND sent_at IS NULL",
                               (kind, period)).fetchone()[0]

    def claim(self, kind: str, period: str, now: dt.datetime, may_start) -> int | None:
        """In one write transaction: ask ``may_start()`` (checks that read this table), mark a stale claim
        as interrupted, insert the claim row; its id, or None when ``may_start`` says no."""
        with self.ledger.transaction() as db:
            if not may_start():
                return None
            db.execute("UPDATE mail_sendings SET error = ? WHERE kind = ? AND period = ? AND sent_at IS NULL "
                       "AND error IS NULL", (INTERRUPTED, kind, period))
            cur = db.execute("INSERT INTO mail_sendings (kind, period, attempted_at, sent_at, error, detail) "
                             "VALUES (?, ?, ?, NULL, NULL, '')", (kind, period, now.isoformat(timespec="seconds")))
            return cur.lastrowid

    def finish(self, claim: int, sent_at: dt.datetime | None, error: str | None, detail: str) -> bool:
        """Record the claim's outcome; False when another sender recorded this period as sent first."""
        try:
            with self.ledger.transaction() as db:
                db.execute("UPDATE mail_sendings SET sent_at = ?, error = ?, detail = ? WHERE id = ?",
                           (sent_at.isoformat(timespec="seconds") if sent_at else None, error, detail, claim))
            return True
        except sqlite3.IntegrityError:
            with self.ledger.transaction() as db:
                db.execute("UPDATE mail_sendings SET error = ?, detail = ? WHERE id = ?",
                           ("tuần này đã được gửi bởi tiến trình khác", detail, claim))
            return False

    def last_failures(self, kind: str, limit: int) -> list[sqlite3.Row]:
        return self.db.execute(
            "SELECT f.period, f.attempted_at, f.error, "
            "(SELECT s.sent_at FROM mail_sendings s WHERE s.kind = f.kind AND s.period = f.period "
            " AND s.sent_at IS NOT NULL) AS later_sent "
            "FROM mail_sendings f WHERE f.kind = ? AND f.error IS NOT NULL ORDER BY f.id DESC LIMIT ?",
            (kind, limit)).fetchall()
