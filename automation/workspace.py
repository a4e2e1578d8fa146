"""A workspace on disk: every folder and file name the tool uses, in one place.

A workspace is a folder holding ``cchc.toml`` with ``inbox/`` (where files are dropped), ``outbox/`` (what the
tool writes for people: letters, forms, drafts, workbooks), ``templates/`` (the office's editable copies of
the templates), the archive, the quarantine, the claim area and the ledger.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from automation.config import Settings
from automation.lock import WorkspaceLock
from automation.problems import UsageError

INBOX = "inbox"
OUTBOX = "outbox"
TEMPLATES = "templates"
PROCESSING = "dang-xu-ly"  # files claimed from the inbox while they are checked
CONVERSIONS = ".chuyen-doi"  # inside PROCESSING: LibreOffice's .docx/.xlsx of the files being checked
ARCHIVE = "luu-tru"
CONVERTED = "ban-chuyen-doi"  # inside an archive folder: the .docx/.xlsx of each legacy original beside it
DUPLICATES = "_trung-lap"
SURVEY_ENTRIES = "_dieu-tra"
METADATA = "_so-lieu"  # inside ARCHIVE: one small JSON per received file, all a ledger rebuild needs
BACKUPS = "_sao-luu"  # inside ARCHIVE: online backups of the ledger
QUARANTINE = "cach-ly"
LETTERS = "phan-hoi"
DRAFTS = "du-thao"
STATUS = "trang-thai"
FORMS = "bieu-mau"
SURVEY = "dieu-tra"
LEDGER = "so-theo-doi.sqlite3"
LOCK = ".cchc.lock"
LIBREOFFICE = ".libreoffice"  # LibreOffice's private profiles and outputs while a command converts (see below)


def libreoffice_dir(workspace: Path | str | None) -> Path | None:
    """The base folder handed to every ``Converter`` of a command run in ``workspace``: ``<ws>/.libreoffice``
    (None outside a workspace: the system temp folder). Each converter makes its own ``cchc-lo-<pid>-…`` folder
    there, removed when it closes, or by :func:`sweep_libreoffice` once its process is gone."""
    return Path(workspace) / LIBREOFFICE if workspace is not None else None


def sweep_libreoffice(workspace: Path | str | None) -> list[Path]:
    """At the start of every command: remove what LibreOffice left behind for a dead process, in ``workspace``
    (if any) and in the system temp folder, killing any LibreOffice process still running on it. Never raises:
    a failed sweep is logged and tried again by the next command."""
    from automation.formats.soffice_proc import sweep  # noqa: PLC0415

    try:
        return sweep([libreoffice_dir(workspace), None] if workspace is not None else [None])
    except OSError as exc:
        logging.getLogger(__name__).warning("LibreOffice leftovers not swept: %s", exc)
        return []


@dataclass(frozen=True)
class Workspace:
    root: Path
    settings: Settings

    @classmethod
    def of(cls, settings: Settings) -> "Workspace":
        if settings.workspace is None:
            raise UsageError("usage.bad_argument", detail="Lệnh này cần một không gian làm việc (--workspace)")
        return cls(Path(settings.workspace), settings)

    def path(self, *parts: str) -> Path:
        return self.root.joinpath(*parts)

    def rel(self, path: Path) -> str:
        """``path`` relative to the workspace, with forward slashes (as the ledger keeps it)."""
        return Path(path).relative_to(self.root).as_posix()

    @property
    def inbox(self) -> Path:
        return self.root / INBOX

    @property
    def metadata(self) -> Path:
        return self.root / ARCHIVE / METADATA

    @property
    def backups(self) -> Path:
        return self.root / ARCHIVE / BACKUPS

    @property
    def outbox(self) -> Path:
        return self.root / OUTBOX

    @property
    def templates(self) -> Path:
        return self.root / TEMPLATES

    @property
    def processing(self) -> Path:
        return self.root / PROCESSING

    @property
    def conversions(self) -> Path:
        return self.root / PROCESSING / CONVERSIONS

    @property
    def libreoffice(self) -> Path:
        return self.root / LIBREOFFICE

    @property
    def archive(self) -> Path:
        return self.root / ARCHIVE

    @property
    def quarantine(self) -> Path:
        return self.root / QUARANTINE

    @property
    def letters(self) -> Path:
        return self.outbox / LETTERS

    @property
    def drafts(self) -> Path:
        return self.outbox / DRAFTS

    @property
    def status(self) -> Path:
        return self.outbox / STATUS

    @property
    def forms(self) -> Path:
        return self.outbox / FORMS

    @property
    def survey(self) -> Path:
        return self.outbox / SURVEY

    @property
    def appraisal_workbook(self) -> Path:
        return self.outbox / f"tham-dinh-{self.settings.year}.xlsm"

    @property
    def ledger_path(self) -> Path:
        return self.root / LEDGER

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK

    def lock(self) -> WorkspaceLock:
        """The workspace lock (re-entrant): one pass or rebuild at a time, across processes."""
        return WorkspaceLock(self.lock_path)
