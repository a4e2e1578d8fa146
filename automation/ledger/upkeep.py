"""Keeping the ledger trustworthy: online backups (``cchc ledger backup``; ``cchc watch`` makes one a day and
keeps the newest :data:`KEEP`) and the integrity check (``cchc ledger check``)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from automation import clock, files

if TYPE_CHECKING:  # the connection owner imports this module's callers
    from automation.ledger.db import Ledger

KEEP = 14
PREFIX = "so-theo-doi-"
SUFFIX = ".sqlite3"


def backups(folder: Path) -> list[Path]:
    """The backups in ``folder``, oldest first (their names carry the time they were made)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if not files.is_temp(p))


def backup(ledger: "Ledger", folder: Path, keep: int = KEEP) -> Path:
    """An online backup of ``ledger`` into ``folder`` (written under a temporary name, flushed, then
    renamed: a backup file is always whole), then all but the newest ``keep`` removed."""
    target = files.unique_path(Path(folder) / f"{PREFIX}{clock.now():%Y%m%d-%H%M%S}{SUFFIX}")

    def save(tmp: Path) -> None:
        ledger.backup_to(tmp)

    files.atomic_save(target, save, durable=True)
    for old in backups(folder)[:-keep] if keep > 0 else []:
        old.unlink(missing_ok=True)
    return target


def backup_due(folder: Path, now: dt.datetime | None = None) -> bool:
    """No backup was made today (by the clock of the tool)."""
    found = backups(folder)
    if not found:
        return True
    today = (now or clock.now()).strftime("%Y%m%d")
    return not found[-1].name[len(PREFIX):].startswith(today)
