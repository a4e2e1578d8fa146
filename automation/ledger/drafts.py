"""What the tool wrote into the outbox: the ``drafts`` (documents for signature: hash, final, sent; and the day
each document was first drafted, the date it keeps) and the
``outputs`` (every other file a person may edit: forms, the survey entry workbook, the status sheet, the
appraisal workbook), each with the SHA-256 of what was written, so a file staff changed is never replaced."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from automation import clock
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the connection owner imports this module
    from automation.ledger.db import Ledger


def _now() -> str:
    return clock.now().isoformat(timespec="seconds")


class Drafts:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.db

    def get(self, path: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM drafts WHERE path = ?", (path,)).fetchone()

    def record(self, kind: str, unit_code: str | None, path: str, sha256: str, final: bool) -> None:
        self.db.execute(
            "INSERT INTO drafts (kind, unit_code, path, sha256, final, written_at, sent_at) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL) ON CONFLICT(path) DO UPDATE SET kind = excluded.kind, "
            "unit_code = excluded.unit_code, sha256 = excluded.sha256, final = excluded.final, "
            "written_at = excluded.written_at, sent_at = NULL",
            (kind, unit_code, path, sha256, int(final), _now()))

    def first_drafted(self, kind: str, unit_code: str | None) -> dt.date | None:
        """The day the document ``kind`` (of ``unit_code``) was first drafted, None before its first draft."""
        row = self.db.execute("SELECT first_drafted FROM draft_dates WHERE kind = ? AND unit_code = ?",
                              (kind, unit_code or "")).fetchone()
        return dt.date.fromisoformat(row[0]) if row else None

    def keep_dates(self, dates: list[tuple[str, str | None, dt.date]], *, replace: bool = False) -> None:
        """Remember each (kind, unit_code, day) as that document's date, in one transaction: only the first
        time, unless ``replace`` (staff asked for today's date)."""
        verb = "INSERT OR REPLACE" if replace else "INSERT OR IGNORE"
        with self.ledger.transaction() as db:
            db.executemany(f"{verb} INTO draft_dates (kind, unit_code, first_drafted) VALUES (?, ?, ?)",
                           [(kind, unit_code or "", day.isoformat()) for kind, unit_code, day in dates])

    def ready_to_send(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT id, kind, unit_code, path, sha256 FROM drafts "
                               "WHERE final = 1 AND sent_at IS NULL ORDER BY id").fetchall()

    def awaiting_signature(self) -> list[str]:
        """The workspace-relative paths of the final drafts not yet sent for signature."""
        return [r["path"] for r in self.ready_to_send()]

    def mark_sent(self, ids: list[int]) -> None:
        sent_at = _now()
        with self.ledger.transaction() as db:
            db.executemany("UPDATE drafts SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                           [(sent_at, i) for i in ids])


class Outputs:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.db

    def sha256(self, path: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM outputs WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def data(self, path: str) -> tuple[str, object] | None:
        """(sha256, data) recorded for ``path``: what the tool wrote there and what it put in it."""
        row = self.db.execute("SELECT sha256, data FROM outputs WHERE path = ?", (path,)).fetchone()
        if row is None:
            return None
        return row[0], (json.loads(row[1]) if row[1] else None)

    def written_at(self, path: str) -> str | None:
        row = self.db.execute("SELECT written_at FROM outputs WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def keeper(self, root: Path):
        """(recorded, record) for :func:`automation.files.save_editable`, paths relative to ``root``."""
        def rel(path: Path) -> str:
            return Path(path).relative_to(root).as_posix()

        return (lambda path: self.sha256(rel(path))), (lambda path, sha: self.record(rel(path), sha))

    def record(self, path: str, sha256: str, data: object = None) -> None:
        with self.ledger.transaction() as db:
            db.execute("INSERT INTO outputs (path, sha256, written_at, data) VALUES (?, ?, ?, ?) "
                       "ON CONFLICT(path) DO UPDATE SET sha256 = excluded.sha256, written_at = excluded.written_at, "
                       "data = excluded.data",
                       (path, sha256, _now(), "" if data is None else json.dumps(data, ensure_ascii=False)))
