"""The ledger: a SQLite database in the workspace recording every file the desk received.

WAL journal, schema versioned with ``PRAGMA user_version`` and applied by :data:`MIGRATIONS` in
order, so later versions of the tool upgrade an existing ledger in place.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import time
from pathlib import Path

from automation.ledger.records import ARCHIVED, PROCESSING, SUPERSEDED, Submission

LEDGER_NAME = "so-theo-doi.sqlite3"

MIGRATIONS: list[tuple[int, str]] = [
    (1, """
        CREATE TABLE submissions (
            id INTEGER PRIMARY KEY,
            claim_id TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            original_name TEXT NOT NULL,
            size INTEGER NOT NULL,
            unit_code TEXT,
            kind TEXT NOT NULL DEFAULT 'unknown',
            version INTEGER,
            status TEXT NOT NULL,
            verdict TEXT,
            problems TEXT NOT NULL DEFAULT '[]',
            received_at TEXT NOT NULL,
            processed_at TEXT,
            on_time INTEGER,
            path TEXT NOT NULL,
            target TEXT,
            criterion TEXT,
            duplicate_of INTEGER REFERENCES submissions(id),
            feedback_path TEXT
        );
        CREATE INDEX ix_submissions_sha ON submissions(sha256);
        CREATE INDEX ix_submissions_unit_kind ON submissions(unit_code, kind, version);
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            kind TEXT NOT NULL,
            detail TEXT NOT NULL DEFAULT ''
        );
    """),
]
MIGRATIONS.append((2, """
        CREATE TABLE survey_samples (
            id INTEGER PRIMARY KEY,
            created_at TEXT NOT NULL,
            seed INTEGER NOT NULL,
            per_unit INTEGER,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE survey_people (
            form_code TEXT PRIMARY KEY,
            sample_id INTEGER NOT NULL REFERENCES survey_samples(id),
            unit_code TEXT NOT NULL,
            submission_id INTEGER REFERENCES submissions(id),
            list_row INTEGER,
            name TEXT NOT NULL,
            address TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            field TEXT NOT NULL DEFAULT '',
            procedure TEXT NOT NULL DEFAULT ''
        );
        CREATE TABLE survey_imports (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            source TEXT NOT NULL,
            submission_id INTEGER REFERENCES submissions(id),
            forms INTEGER NOT NULL,
            problems TEXT NOT NULL DEFAULT '[]'
        );
        CREATE TABLE survey_forms (
            form_code TEXT PRIMARY KEY,
            import_id INTEGER NOT NULL REFERENCES survey_imports(id),
            sheet_row INTEGER
        );
        CREATE TABLE survey_answers (
            form_code TEXT NOT NULL REFERENCES survey_forms(form_code),
            question TEXT NOT NULL,
            answer TEXT NOT NULL,
            PRIMARY KEY (form_code, question)
        );
"""))
MIGRATIONS.append((3, """
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            unit_code TEXT,
            path TEXT NOT NULL UNIQUE,
            sha256 TEXT NOT NULL,
            final INTEGER NOT NULL DEFAULT 0,
            written_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX ix_drafts_kind_unit ON drafts(kind, unit_code);
"""))
MIGRATIONS.append((4, """
        CREATE TABLE mail_sendings (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            period TEXT NOT NULL,
            attempted_at TEXT NOT NULL,
            sent_at TEXT,
            error TEXT,
            detail TEXT NOT NULL DEFAULT ''
        );
        CREATE UNIQUE INDEX ix_mail_sent ON mail_sendings(kind, period) WHERE sent_at IS NOT NULL;
"""))
SCHEMA_VERSION = MIGRATIONS[-1][0]



def _row(r: sqlite3.Row) -> Submission:
    return Submission(
        id=r["id"], sha256=r["sha256"], original_name=r["original_name"], unit_code=r["unit_code"],
        kind=r["kind"], version=r["version"], status=r["status"], verdict=r["verdict"],
        problems=json.loads(r["problems"]), received_at=dt.datetime.fromisoformat(r["received_at"]),
        on_time=None if r["on_time"] is None else bool(r["on_time"]), path=r["path"], criterion=r["criterion"],
        duplicate_of=r["duplicate_of"], feedback_path=r["feedback_path"])


class Ledger:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.row_factory = sqlite3.Row
        self._wal()
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.migrate()

    def _wal(self, timeout_s: float = 30.0) -> None:
        """Switch to WAL; a brand-new database being set up by another process answers "locked" at once
        (the busy handler does not cover this), so wait for it here."""
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                self.db.execute("PRAGMA journal_mode=WAL")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Ledger":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        return self.db.execute("PRAGMA user_version").fetchone()[0]

    def migrate(self) -> None:
        """Apply the migrations the database lacks, each in its own write transaction; the version is
        read again inside the transaction, so two processes opening a new ledger at once are safe."""
        for version, sql in MIGRATIONS:
            if version <= self.schema_version:
                continue
            with self.transaction():
                if version <= self.schema_version:
                    continue
                for stmt in filter(str.strip, sql.split(";")):
                    self.db.execute(stmt)
                self.db.execute(f"PRAGMA user_version = {version}")

    def transaction(self):
        return _Tx(self.db)

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

    def latest_by_unit(self, kind: str) -> dict[str, Submission]:
        """Each unit's current (archived, highest version) submission of ``kind``."""
        rows = self.db.execute("SELECT * FROM submissions WHERE kind = ? AND status = ? AND unit_code IS NOT NULL "
                               "ORDER BY version", (kind, ARCHIVED))
        return {r["unit_code"]: _row(r) for r in rows}


class _Tx:
    """``with ledger.transaction():`` — BEGIN IMMEDIATE ... COMMIT, rolled back on error."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *exc) -> None:
        self.db.execute("ROLLBACK" if exc_type else "COMMIT")
