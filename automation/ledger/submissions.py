"""The ``submissions`` table (every file the desk received), its ``events`` log and the ``extractions``
kept with each file: what a stage read from it (a list's people, a workbook's self-scores), keyed by the
file's SHA-256, so nothing downstream opens the commune's file again."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from automation import clock
from automation.ledger.records import (ARCHIVED, DUPLICATE, EVIDENCE, EXPLANATION, PROCESSING, QUARANTINED,
                                       RESPONDENT_LIST, SUPERSEDED, SURVEY_ENTRY, WORKBOOK, Submission)
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


def _chunks(units: list[str] | None, size: int = 500):
    """[None] for every unit, else the units in chunks SQLite takes as parameters."""
    if units is None:
        return [None]
    return [units[i:i + size] for i in range(0, len(units), size)]


def _among(chunk: list[str] | None) -> str:
    return "" if chunk is None else f" AND unit_code IN ({', '.join('?' * len(chunk))})"


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

    def latest_by_unit(self, kind: str, units: list[str] | None = None) -> dict[str, Submission]:
        """Each unit's current (archived, highest version) submission of ``kind`` (of ``units`` only, if given)."""
        sql = "SELECT * FROM submissions WHERE kind = ? AND status = ? AND unit_code IS NOT NULL"
        out: dict[str, Submission] = {}
        for chunk in _chunks(units):
            rows = self.db.execute(sql + _among(chunk) + " ORDER BY version", (kind, ARCHIVED, *(chunk or ())))
            out.update({r["unit_code"]: _row(r) for r in rows})
        return out

    def archived_evidence(self, units: list[str] | None = None) -> list[Submission]:
        """Archived evidence files that name a criterion, with their unit (of ``units`` only, if given)."""
        sql = ("SELECT * FROM submissions WHERE kind = ? AND status = ? AND unit_code IS NOT NULL "
               "AND criterion IS NOT NULL")
        out: list[Submission] = []
        for chunk in _chunks(units):
            rows = self.db.execute(sql + _among(chunk) + " ORDER BY id", (EVIDENCE, ARCHIVED, *(chunk or ())))
            out.extend(_row(r) for r in rows)
        return sorted(out, key=lambda s: s.id)

    def archived(self, *kinds: str) -> list[Submission]:
        """The archived submissions of ``kinds`` that belong to a unit (the current ones, not the history)."""
        marks = ", ".join("?" * len(kinds))
        return [_row(r) for r in self.db.execute(
            f"SELECT * FROM submissions WHERE kind IN ({marks}) AND status = ? AND unit_code IS NOT NULL ORDER BY id",
            (*kinds, ARCHIVED))]

    def input_marks(self) -> dict[str, tuple]:
        """unit -> a mark of its current self-assessment, evidence and explanations (how many archived, the newest
        id): the mark changes whenever one of them is archived, replaced or set aside.  Reads only current rows."""
        marks: dict[str, tuple] = {}
        for unit, kind, count, newest in self.db.execute(
                "SELECT unit_code, kind, COUNT(*), MAX(id) FROM submissions WHERE kind IN (?, ?, ?) AND status = ? "
                "AND unit_code IS NOT NULL GROUP BY unit_code, kind", (WORKBOOK, EVIDENCE, EXPLANATION, ARCHIVED)):
            marks[unit] = marks.get(unit, ()) + ((kind, count, newest),)
        return marks

    def newest_input_at(self) -> str | None:
        """When the newest self-assessment, evidence file or survey entry still archived was processed."""
        return self.db.execute("SELECT MAX(processed_at) FROM submissions WHERE kind IN (?, ?, ?) AND status = ?",
                               (WORKBOOK, EVIDENCE, SURVEY_ENTRY, ARCHIVED)).fetchone()[0]

    def letters_owed(self) -> list[Submission]:
        """Lists and workbooks (and quarantined files of a known unit) that have no letter yet."""
        return [_row(r) for r in self.db.execute(
            "SELECT * FROM submissions WHERE feedback_path IS NULL AND unit_code IS NOT NULL "
            "AND status NOT IN (?, ?) AND (kind IN (?, ?) OR status = ?) ORDER BY id",
            (DUPLICATE, PROCESSING, RESPONDENT_LIST, WORKBOOK, QUARANTINED))]

    def entries_to_import(self) -> list[Submission]:
        """Survey entry workbooks archived (or superseded in the same pass) and not imported yet, oldest first."""
        return [_row(r) for r in self.db.execute(
            "SELECT * FROM submissions WHERE kind = ? AND status IN (?, ?) AND verdict IS NULL ORDER BY id",
            (SURVEY_ENTRY, ARCHIVED, SUPERSEDED))]

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
