"""The ``submissions`` table (every file the desk received), its ``events`` log and the ``extractions``
kept with each file: what a stage read from it (a list's people, a workbook's self-scores), keyed by the
file's SHA-256, so nothing downstream opens the commune's file again."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from automation import clock
from automation.ledger.records import ARCHIVED, EVIDENCE, PROCESSING, SUPERSEDED, Submission
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the connection owner imports this module
    from automation.ledger.db import Ledger


def _row(r: sqlite3.Row) -> Submission:
    return Submission(
        id=r["id"], sha256=r["sha256"], original_name=r["original_name"], unit_code=r["unit_code"],
        kind=r["kind"], version=r["version"], status=r["status"], verdict=r["verdict"],
        problems=json.loads(r["problems"]), received_at=dt.datetime.fromisoformat(r["received_at"]),
        on_time=None if r["on_time"] is None else bool(r["on_time"]), path=r["path"], criterion=r["criterion"],
        duplicate_of=r["duplicate_of"], feedback_path=r["feedback_path"], converted_path=r["converted_path"])


class Submissions:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.db

    # --- writing -------------------------------------------------------------------------------
    def claim(self, claim_id: str, sha256: str, original_name: str, size: int, received_at: dt.datetime,
              path: str) -> int:
        cur = self.db.execute(
            "INSERT INTO submissions (claim_id, sha256, original_name, size, status, received_at, path) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (claim_id, sha256, original_name, size, PROCESSING, received_at.isoformat(), path))
        return cur.lastrowid

    def update(self, sub_id: int, **fields) -> None:
        if "problems" in fields:
            fields["problems"] = json.dumps(fields["problems"], ensure_ascii=False)
        if "on_time" in fields and fields["on_time"] is not None:
            fields["on_time"] = int(fields["on_time"])
        cols = ", ".join(f"{k} = ?" for k in fields)
        self.db.execute(f"UPDATE submissions SET {cols} WHERE id = ?", (*fields.values(), sub_id))

    def next_version(self, unit_code: str | None, kind: str) -> int:
        row = self.db.execute("SELECT MAX(version) FROM submissions WHERE unit_code IS ? AND kind = ?",
                              (unit_code, kind)).fetchone()
        return (row[0] or 0) + 1

    def supersede_older(self, unit_code: str | None, kind: str, version: int, same_name: str | None = None) -> None:
        """Mark earlier archived versions superseded; with ``same_name`` only those of that file name
        (evidence files are a collection: a new one replaces only the file of the same name)."""
        sql = ("UPDATE submissions SET status = ? WHERE unit_code IS ? AND kind = ? AND status = ? "
               "AND version < ?")
        args: tuple = (SUPERSEDED, unit_code, kind, ARCHIVED, version)
        if same_name is not None:
            sql += " AND lower(original_name) = lower(?)"
            args += (same_name,)
        self.db.execute(sql, args)

    def log(self, kind: str, detail: str = "") -> None:
        self.db.execute("INSERT INTO events (at, kind, detail) VALUES (?, ?, ?)",
                        (dt.datetime.now().isoformat(timespec="seconds"), kind, detail))

    # --- reading -------------------------------------------------------------------------------
    def get(self, sub_id: int) -> Submission:
        return _row(self.db.execute("SELECT * FROM submissions WHERE id = ?", (sub_id,)).fetchone())

    def raw(self, sub_id: int) -> sqlite3.Row:
        return self.db.execute("SELECT * FROM submissions WHERE id = ?", (sub_id,)).fetchone()

    def first_with_sha(self, sha256: str, exclude_id: int) -> Submission | None:
        r = self.db.execute("SELECT * FROM submissions WHERE sha256 = ? AND id != ? AND status != ? "
                            "ORDER BY id LIMIT 1", (sha256, exclude_id, PROCESSING)).fetchone()
        return _row(r) if r else None

    def by_claim(self, claim_id: str) -> sqlite3.Row | None:
        return self.db.execute("SELECT * FROM submissions WHERE claim_id = ?", (claim_id,)).fetchone()

    def unfinished(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM submissions WHERE status = ? ORDER BY id", (PROCESSING,)).fetchall()

    def all(self) -> list[Submission]:
        return [_row(r) for r in self.db.execute("SELECT * FROM submissions ORDER BY id")]

    def of_kind(self, *kinds: str) -> list[Submission]:
        marks = ", ".join("?" * len(kinds))
        return [_row(r) for r in self.db.execute(f"SELECT * FROM submissions WHERE kind IN ({marks}) ORDER BY id",
                                                 kinds)]

    def latest_by_unit(self, kind: str) -> dict[str, Submission]:
        """Each unit's current (archived, highest version) submission of ``kind``."""
        rows = self.db.execute("SELECT * FROM submissions WHERE kind = ? AND status = ? AND unit_code IS NOT NULL "
                               "ORDER BY version", (kind, ARCHIVED))
        return {r["unit_code"]: _row(r) for r in rows}

    def archived_evidence(self) -> list[Submission]:
        """Archived evidence files that name a criterion, with their unit."""
        return [_row(r) for r in self.db.execute(
            "SELECT * FROM submissions WHERE kind = ? AND status = ? AND unit_code IS NOT NULL "
            "AND criterion IS NOT NULL ORDER BY id", (EVIDENCE, ARCHIVED))]

    def attempt(self, sub_id: int, step: int = 1) -> int:
        """Count one more attempt at processing a claim (``step=-1``: take one back); how many there are."""
        self.db.execute("UPDATE submissions SET attempts = MAX(0, attempts + ?) WHERE id = ?", (step, sub_id))
        return self.db.execute("SELECT attempts FROM submissions WHERE id = ?", (sub_id,)).fetchone()[0]

    # --- inbox files copied but not deleted (a read-only share) -------------------------------
    def mark_taken(self, inbox_path: str, size: int, mtime_ns: int, claim_id: str) -> None:
        self.db.execute("INSERT OR IGNORE INTO taken_sources (inbox_path, size, mtime_ns, claim_id) "
                        "VALUES (?, ?, ?, ?)", (inbox_path, size, mtime_ns, claim_id))

    def was_taken(self, inbox_path: str, size: int, mtime_ns: int) -> bool:
        return self.db.execute("SELECT 1 FROM taken_sources WHERE inbox_path = ? AND size = ? AND mtime_ns = ?",
                               (inbox_path, size, mtime_ns)).fetchone() is not None

    # --- what was read from each file ----------------------------------------------------------
    def store_extraction(self, sha256: str, kind: str, data: dict) -> None:
        self.db.execute("INSERT INTO extractions (sha256, kind, data, extracted_at) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT(sha256) DO UPDATE SET kind = excluded.kind, data = excluded.data, "
                        "extracted_at = excluded.extracted_at",
                        (sha256, kind, json.dumps(data, ensure_ascii=False),
                         clock.now().isoformat(timespec="seconds")))

    def extraction(self, sha256: str) -> dict | None:
        row = self.db.execute("SELECT data FROM extractions WHERE sha256 = ?", (sha256,)).fetchone()
        return json.loads(row[0]) if row else None

    def extractions(self, shas: list[str]) -> dict[str, dict]:
        out: dict[str, dict] = {}
        for start in range(0, len(shas), 500):
            chunk = shas[start:start + 500]
            marks = ", ".join("?" * len(chunk))
            for sha, data in self.db.execute(f"SELECT sha256, data FROM extractions WHERE sha256 IN ({marks})",
                                             chunk):
                out[sha] = json.loads(data)
        return out
