"""The intake desk: claim stable inbox files, check them, archive or quarantine them, record it all.

Every step survives a crash (SIGKILL included) at any moment:

1. claim: the file is moved atomically from ``inbox/`` into ``dang-xu-ly/<claim id>/`` (its relative
   path kept; the claim id carries the time it was received);
2. the ledger gets a ``processing`` row with the file's SHA-256;
3. the file is checked; its destination (``luu-tru/<unit>/<kind>/vNN-<name>`` or ``cach-ly/``) is
   written to the row before the move;
4. the file is moved there and the row gets its final status in one transaction with the versions
   it supersedes; feedback letters follow, each written atomically.

``recover()`` runs first in every pass, under the workspace lock, and finishes whatever a dead process
left: claims without a row, rows whose move did or did not happen, letters not yet written.
Originals are only ever moved, never opened for writing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from automation import clock, files
from automation.check import check_paths
from automation.intake.filing import Claim, Filing
from automation.ledger import Ledger
from automation.ledger import records as m
from automation.storage import is_storage_fault
from automation.workspace import Workspace

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3  # interrupted processings of one claim before it is quarantined


@dataclass
class PassResult:
    claimed: int = 0
    recovered: int = 0
    statuses: dict[str, int] = field(default_factory=dict)
    submissions: list[m.Submission] = field(default_factory=list)
    appraisal: Path | None = None  # the appraisal workbook, when the pass's follow-ups rebuilt it

    @property
    def needs_appraisal(self) -> bool:
        """Scores, evidence or survey answers were archived: the appraisal workbook is out of date."""
        return any(s.kind in (m.WORKBOOK, m.EVIDENCE, m.SURVEY_ENTRY) and s.status == m.ARCHIVED
                   for s in self.submissions)


def _claim_id(received: dt.datetime) -> str:
    return f"{received:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}"


def _received_from_claim(claim_id: str) -> dt.datetime:
    return dt.datetime.strptime(claim_id.split("-", 1)[0], "%Y%m%dT%H%M%S")


class Desk(Filing):
    """claim -> (the check stages) -> file -> record, and recover; the follow-ups of a pass (survey import,
    letters, the appraisal workbook) are the caller's (automation.app), run while the lock is held."""

    def __init__(self, ws: Workspace, ledger: Ledger):
        self.ws = ws
        self.settings = ws.settings
        self.ledger = ledger
        self.subs = ledger.submissions
        self.inbox = ws.inbox
        self.processing = ws.processing
        self.archive = ws.archive
        self.quarantine = ws.quarantine
        self.lock = ws.lock()
        self._swept = False  # the archive, quarantine and letters walked for temporary files once per desk
        self.office = None  # a resident LibreOffice (cchc watch sets one) for passes with few legacy files
        self.remember_places()

    def rel(self, path: Path) -> str:
        return self.ws.rel(path)

    # --- the places it works in ----------------------------------------------------------------------
    def remember_places(self) -> None:
        """Note which workspace folder and inbox this desk has (device and inode), for :meth:`replaced`."""
        self._places = {p: files.identity(p) for p in (self.ws.root, self.inbox)}

    def replaced(self) -> bool:
        """True when the workspace folder, the inbox or the ledger file is no longer the one this desk
        opened (deleted, restored from a backup, moved on the share): it must not write there any more."""
        if self.ledger.replaced():
            return True
        return any(files.identity(p) != ident for p, ident in getattr(self, "_places", {}).items())

    # --- the pass ------------------------------------------------------------------------------
    def run_pass(self, candidates, progress=None, follow_up: Callable[[PassResult], None] | None = None) -> PassResult:
        """Claim ``candidates`` (stable inbox files) and process them, after finishing any earlier
        crashed work, then ``follow_up(result)``; holds the workspace lock throughout, so two passes never
        interleave."""
        result = PassResult()
        with self.lock:
            result.recovered = self.recover(progress)
            claims = [c for c in (self.claim(cand) for cand in candidates) if c is not None]
            result.claimed = len(claims)
            result.submissions = self.process(claims, progress)
            for s in result.submissions:
                result.statuses[s.status] = result.statuses.get(s.status, 0) + 1
            if follow_up is not None:
                follow_up(result)
        return result

    def claim(self, cand) -> Claim | None:
        """Take ``cand`` out of the inbox into a claim folder of its own: a rename on one file system, a
        verified copy then a delete across two (the inbox on a share or a mapped drive).  A file that can be
        copied but not deleted (a read-only share) is remembered, so it is never claimed twice."""
        rel = PurePosixPath(cand.rel.as_posix())
        if self.subs.was_taken(rel.as_posix(), cand.size, cand.mtime_ns):
            return None
        received = clock.received_at(cand.first_seen, _created(cand.path))
        claim_id = _claim_id(received)
        target = self.processing / claim_id / Path(*(files.fit_name(part) for part in rel.parts))
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            moved = files.move(cand.path, target)
        except FileNotFoundError:  # gone since the scan (taken by someone, or deleted)
            files.prune(self.processing / claim_id)
            return None
        except PermissionError as exc:  # held open by Word/Excel on Windows, or unreadable: next pass
            files.prune(self.processing / claim_id)
            if exc.filename is not None and Path(exc.filename) != Path(cand.path):
                raise  # our own folder refused the write: a storage fault, not the file's
            return None
        if not moved.source_removed:
            with self.ledger.transaction():
                self.subs.mark_taken(rel.as_posix(), cand.size, cand.mtime_ns, claim_id)
        return Claim(claim_id, target, rel, received)

    # --- recovery ------------------------------------------------------------------------------
    def recover(self, progress=None) -> int:
        """Finish what a crashed pass left; returns how many files it took over.  A claim whose processing
        was interrupted :data:`MAX_ATTEMPTS` times (the file kills the process) is quarantined instead."""
        redo: list[Claim] = []
        unfinished = self.subs.unfinished()
        for row in unfinished:
            claim_path = self.ws.root / row["path"]
            target = self.ws.root / row["target"] if row["target"] else None
            if target is not None and target.exists() and not claim_path.exists():
                with self.ledger.transaction():
                    self._finalise(row["id"], target)
            elif claim_path.exists():
                rel = PurePosixPath(row["original_name"])
                redo.append(Claim(row["claim_id"], claim_path, rel, dt.datetime.fromisoformat(row["received_at"]),
                                  row["id"], recovered=True))
            else:
                log.error("ledger row %s: file neither at %s nor at %s", row["id"], claim_path, target)
        known = {r["claim_id"] for r in unfinished}
        if self.processing.is_dir():
            for folder in sorted(self.processing.iterdir()):
                if not folder.is_dir() or folder.name.startswith(".") or folder.name in known \
                        or self.subs.by_claim(folder.name) is not None:
                    continue
                files.sweep_temps(folder, recursive=True)  # a copy across file systems cut short
                for f in (p for p in folder.rglob("*") if p.is_file()):
                    # claimed, then the process died before the ledger row
                    rel = PurePosixPath(f.relative_to(folder).as_posix())
                    self._finish_taking(f, rel, folder.name)
                    redo.append(Claim(folder.name, f, rel, _received_from_claim(folder.name), recovered=True))
        if redo:
            self.subs.log("recover", f"{len(redo)} claims")
            self.process(redo, progress)
        self._sweep()
        return len(redo)

    def _finish_taking(self, claimed: Path, rel: PurePosixPath, claim_id: str) -> None:
        """A copy across file systems that died before deleting its source: the inbox still holds the same
        file; delete it now (or remember it was taken), so it is not received twice."""
        source = self.inbox / Path(*rel.parts)
        try:
            st = source.stat()
            if st.st_size != claimed.stat().st_size or files.sha256_of(source) != files.sha256_of(claimed):
                return
            source.unlink()
        except FileNotFoundError:
            return
        except OSError:
            with self.ledger.transaction():
                self.subs.mark_taken(rel.as_posix(), st.st_size, st.st_mtime_ns, claim_id)

    def _sweep(self) -> None:
        """Remove empty claim folders, conversions left by a dead pass, and temporary files of interrupted
        atomic writes.  The archive, the quarantine and the letters are walked once, by the first pass of
        this desk: a temporary file there is what a process that died left (a living one removes its own when
        a write fails), so later passes do not walk folders that grow all season."""
        if self.processing.is_dir():
            for folder in self.processing.iterdir():
                if folder.name == self.ws.conversions.name:
                    _remove_tree(folder)
                elif folder.is_dir():
                    files.prune(folder)
        if not self._swept:
            for root in (self.archive, self.quarantine, self.ws.letters):
                files.sweep_temps(root, recursive=True)
            self._swept = True
        files.sweep_temps(self.ws.outbox)  # the appraisal workbook's own (only written under this lock)

    # --- processing ------------------------------------------------------------------------------
    def process(self, claims: list[Claim], progress=None) -> list[m.Submission]:
        """The desk's stages for claimed files: record the claim (hash, row), set duplicates aside, run the
        check stages over the rest in one batch, then file and record each.

        One file's unexpected failure quarantines that file (``file.processing_failed``) and the others go
        on; a storage fault (disk full, read-only folder, damaged ledger) stops the pass instead, leaving
        every unfinished file claimed for the next pass.  Claims a crash interrupted are taken one at a time,
        the least tried first, each attempt counted: a file that kills the process takes only itself down,
        and after :data:`MAX_ATTEMPTS` interruptions it is quarantined."""
        shas: dict[int, str] = {}
        for c in claims:
            row_id = self._record(c)
            shas[row_id] = self.subs.raw(row_id)["sha256"]
        new = [c for c in claims if not c.recovered]
        if new:
            with self.ledger.transaction():
                for c in new:
                    self.subs.attempt(c.row_id)
            self._process_group(new, shas, progress)
        suspects = sorted((c for c in claims if c.recovered), key=lambda c: self.subs.raw(c.row_id)["attempts"])
        for c in suspects:
            with self.ledger.transaction():
                tries = self.subs.attempt(c.row_id)
            if tries > MAX_ATTEMPTS:
                self._quarantine_failed(c, None, tries - 1)
                continue
            try:
                self._process_group([c], shas, progress)
            except Exception as exc:
                if is_storage_fault(exc):  # not the file's doing: this attempt does not count
                    with contextlib.suppress(Exception), self.ledger.transaction():
                        self.subs.attempt(c.row_id, -1)
                raise
        return [self.subs.get(c.row_id) for c in claims]

    def _record(self, c: Claim) -> int:
        """The claim's ledger row (made now for a fresh claim); its id."""
        if c.row_id is None:
            with self.ledger.transaction():
                c.row_id = self.subs.claim(c.claim_id, files.sha256_of(c.path), c.rel.as_posix(),
                                           c.path.stat().st_size, c.received_at, self.rel(c.path))
        return c.row_id

    def _process_group(self, claims: list[Claim], shas: dict[int, str], progress) -> None:
        fresh: list[Claim] = []
        duplicates: list[Claim] = []
        in_batch: set[str] = set()
        for c in claims:
            sha = shas[c.row_id]
            if sha in in_batch or self.subs.first_with_sha(sha, c.row_id) is not None:
                duplicates.append(c)  # filed once the earlier copy has its final row
            else:
                in_batch.add(sha)
                fresh.append(c)
        hints = {c.path: u for c in fresh if (u := self._folder_unit(c.rel)) is not None}
        conversions = self.ws.conversions / uuid.uuid4().hex
        try:
            for c, rep in self._checked(fresh, hints, conversions, progress):
                if rep is None:
                    self._quarantine_failed(c, c.failure)
                else:
                    self._guarded(c, self._file_checked, c, rep, shas[c.row_id])
        finally:
            _remove_tree(conversions)
        for c in duplicates:
            self._guarded(c, self._file_duplicate, c, shas[c.row_id])
            if progress:
                progress(None)

    def _checked(self, fresh: list[Claim], hints, conversions: Path, progress):
        """(claim, report) for each file: the check stages in one batch; should the batch itself fail
        unexpectedly, each file alone, so only the file that fails gets no report (None)."""
        try:
            reports = check_paths([c.path for c in fresh], self.settings, progress=progress, hints=hints,
                                  keep_converted=conversions, lo_workdir=self.ws.libreoffice, office=self.office)
            return list(zip(fresh, reports))
        except Exception as exc:
            if is_storage_fault(exc):
                raise
            log.exception("the check of a batch of %d files failed; checking them one by one", len(fresh))
        out = []
        for c in fresh:
            try:
                rep, = check_paths([c.path], self.settings, hints=hints, keep_converted=conversions,
                                   lo_workdir=self.ws.libreoffice, office=self.office)
            except Exception as exc:
                if is_storage_fault(exc):
                    raise
                log.exception("unexpected failure checking %s", c.path)
                c.failure = exc
                rep = None
            out.append((c, rep))
        return out

    def _guarded(self, c: Claim, work, *args) -> None:
        """``work(*args)`` for claim ``c``; an unexpected failure quarantines ``c`` and the pass goes on."""
        try:
            work(*args)
        except Exception as exc:
            if is_storage_fault(exc):
                raise
            log.exception("unexpected failure filing %s", c.path)
            self._quarantine_failed(c, exc)

def _created(path: Path) -> float | None:
    try:
        return path.stat().st_ctime
    except OSError:
        return None


def _remove_tree(folder: Path) -> None:
    import shutil  # noqa: PLC0415

    shutil.rmtree(folder, ignore_errors=True)
