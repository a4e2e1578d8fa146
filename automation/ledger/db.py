"""The ledger: the workspace's SQLite database, the only place the package runs SQL.

This module owns the connection: WAL journal, ``synchronous=FULL``, ``BEGIN IMMEDIATE`` transactions, the
schema versioned with ``PRAGMA user_version`` and applied by :data:`MIGRATIONS` in order (so later versions
of the tool upgrade an existing ledger in place), and the wait for a database another process is creating.
Each group of tables has its module and is reached from the open ledger: ``ledger.submissions``,
``ledger.survey``, ``ledger.drafts``, ``ledger.outputs``, ``ledger.mailings``.  A command opens the ledger
once and hands it down.
"""

from __future__ import annotations

import sqlite3
import time
from functools import cached_property
from pathlib import Path

from automation import files
from automation.ledger.council import CouncilScores
from automation.ledger.drafts import Drafts, Outputs
from automation.ledger.mailings import Mailings
from automation.ledger.previous import Previous
from automation.ledger.submissions import Submissions
from automation.ledger.survey import SurveyStore
from automation.storage import as_storage_error

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
MIGRATIONS.append((5, """
        CREATE TABLE extractions (
            sha256 TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            data TEXT NOT NULL,
            extracted_at TEXT NOT NULL
        );
        ALTER TABLE submissions ADD COLUMN converted_path TEXT;
        CREATE TABLE outputs (
            path TEXT PRIMARY KEY,
            sha256 TEXT NOT NULL,
            written_at TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT ''
        );
"""))
MIGRATIONS.append((6, """
        ALTER TABLE submissions ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE taken_sources (
            inbox_path TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            claim_id TEXT NOT NULL,
            PRIMARY KEY (inbox_path, size, mtime_ns)
        );
"""))
MIGRATIONS.append((7, """
        CREATE INDEX ix_submissions_kind_status ON submissions(kind, status, unit_code, version);
        CREATE INDEX ix_submissions_letter_owed ON submissions(id) WHERE feedback_path IS NULL;
        CREATE INDEX ix_submissions_status ON submissions(status);
"""))  # a pass asks for the current inputs, the letters owed and the unfinished claims, never the whole history
MIGRATIONS.append((8, """
        CREATE TABLE previous_results (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL DEFAULT '',
            idx TEXT NOT NULL,
            rank INTEGER,
            source TEXT NOT NULL,
            imported_at TEXT NOT NULL
        );
"""))  # last year's index and rank per unit code of that year (`cchc previous import`)
MIGRATIONS.append((9, """
        CREATE TABLE council_scores (
            unit_code TEXT NOT NULL,
            criterion TEXT NOT NULL,
            appraised TEXT,
            revised TEXT,
            reason TEXT NOT NULL DEFAULT '',
            accepted_at TEXT NOT NULL,
            PRIMARY KEY (unit_code, criterion)
        );
        CREATE TABLE score_changes (
            id INTEGER PRIMARY KEY,
            unit_code TEXT NOT NULL,
            criterion TEXT NOT NULL,
            old_appraised TEXT,
            old_revised TEXT,
            new_appraised TEXT,
            new_revised TEXT,
            reason TEXT NOT NULL DEFAULT '',
            after_deadline INTEGER NOT NULL,
            changed_at TEXT NOT NULL
        );
"""))  # the explanation round: the council's accepted input per row, and every change of a recorded score
MIGRATIONS.append((10, """
        CREATE TABLE draft_dates (
            kind TEXT NOT NULL,
            unit_code TEXT NOT NULL DEFAULT '',
            first_drafted TEXT NOT NULL,
            PRIMARY KEY (kind, unit_code)
        );
        INSERT INTO draft_dates (kind, unit_code, first_drafted)
            SELECT kind, COALESCE(unit_code, ''), substr(MIN(written_at), 1, 10) FROM drafts
            GROUP BY kind, COALESCE(unit_code, '');
"""))  # the day each document was first drafted: the date it keeps when drafted again (`cchc generate --today`)
SCHEMA_VERSION = MIGRATIONS[-1][0]



class Ledger:
    """An open ledger.  Used as a context manager, a storage fault or a damaged database inside the block
    leaves it as a :class:`~automation.storage.StorageError` naming this file (``storage.full``,
    ``storage.read_only``, ``ledger.corrupt``)."""

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            self.db.row_factory = sqlite3.Row
            self._wal()
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.migrate()
            self.identity = files.identity(self.path)
        except (sqlite3.Error, OSError) as exc:
            fault = as_storage_error(exc, self.path)
            if fault is None:
                raise
            raise fault from exc

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

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close()
        if isinstance(exc, sqlite3.Error):
            fault = as_storage_error(exc, self.path)
            if fault is not None:
                raise fault from exc

    def replaced(self) -> bool:
        """True when the file at :attr:`path` is no longer the database this connection has open (deleted,
        or the workspace restored from a backup or moved under a running ``cchc watch``)."""
        return files.identity(self.path) != self.identity

    # --- keeping it trustworthy -----------------------------------------------------------------
    def integrity(self) -> list[str]:
        """SQLite's own integrity check: [] when the database is sound, else what it found."""
        rows = [r[0] for r in self.db.execute("PRAGMA integrity_check")]
        return [] if rows == ["ok"] else rows

    def backup_to(self, target: Path) -> None:
        """An online backup (consistent even while other processes write) into the new file ``target``."""
        dest = sqlite3.connect(target)
        try:
            self.db.backup(dest)
        finally:
            dest.close()

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

    # --- the groups of tables, each in its own module -------------------------------------------
    @cached_property
    def submissions(self) -> Submissions:
        return Submissions(self)

    @cached_property
    def survey(self) -> SurveyStore:
        return SurveyStore(self)

    @cached_property
    def drafts(self) -> Drafts:
        return Drafts(self)

    @cached_property
    def outputs(self) -> Outputs:
        return Outputs(self)

    @cached_property
    def mailings(self) -> Mailings:
        return Mailings(self)

    @cached_property
    def previous(self) -> "Previous":
        return Previous(self)

    @cached_property
    def council(self) -> CouncilScores:
        return CouncilScores(self)


def open_ledger(path: Path) -> Ledger:
    """The ledger at ``path`` (created and migrated when new); use as a context manager."""
    return Ledger(path)


class _Tx:
    """``with ledger.transaction():`` — BEGIN IMMEDIATE ... COMMIT, rolled back on error."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, exc_type, *exc) -> None:
        if exc_type is None:
            self.db.execute("COMMIT")
            return
        try:
            self.db.execute("ROLLBACK")
        except sqlite3.Error:  # SQLite already rolled back (a full disk does that)
            pass
