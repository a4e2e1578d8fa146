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

import datetime as dt
import logging
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from automation import clock, files
from automation.check import FileReport, check_paths
from automation.intake import sidecar
from automation.ledger import Ledger
from automation.ledger import records as m
from automation.problems import Problem, Severity, problem, verdict
from automation.storage import is_storage_fault
from automation.units import Unit
from automation.workspace import CONVERTED, DUPLICATES, QUARANTINE, SURVEY_ENTRIES, Workspace

log = logging.getLogger(__name__)

_CRITERION = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})(?=$|[\s._\-)])")
MAX_ATTEMPTS = 3  # interrupted processings of one claim before it is quarantined
_KINDS = {"respondent_list": m.RESPONDENT_LIST, "workbook": m.WORKBOOK, "survey_entry": m.SURVEY_ENTRY}


@dataclass
class Claim:
    claim_id: str
    path: Path  # inside dang-xu-ly/
    rel: PurePosixPath  # as dropped into the inbox
    received_at: dt.datetime
    row_id: int | None = None
    failure: BaseException | None = None  # why the check stages gave no report


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


class Desk:
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

    def rel(self, path: Path) -> str:
        return self.ws.rel(path)

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
                                  row["id"]))
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
                    redo.append(Claim(folder.name, f, rel, _received_from_claim(folder.name)))
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
        atomic writes."""
        if self.processing.is_dir():
            for folder in self.processing.iterdir():
                if folder.name == self.ws.conversions.name:
                    _remove_tree(folder)
                elif folder.is_dir():
                    files.prune(folder)
        for root in (self.archive, self.quarantine, self.ws.letters):
            files.sweep_temps(root, recursive=True)
        files.sweep_temps(self.ws.outbox)  # the appraisal workbook's own (only written under this lock)

    # --- processing ------------------------------------------------------------------------------
    def process(self, claims: list[Claim], progress=None) -> list[m.Submission]:
        """The desk's stages for claimed files: record the claim (hash, row), set duplicates aside, run the
        check stages over the rest in one batch, then file and record each.

        One file's unexpected failure quarantines that file (``file.processing_failed``) and the others go
        on; a storage fault (disk full, read-only folder, damaged ledger) stops the pass instead, leaving
        every unfinished file claimed for the next pass."""
        fresh: list[Claim] = []
        duplicates: list[Claim] = []
        shas: dict[int, str] = {}
        in_batch: set[str] = set()
        for c in claims:
            sha = files.sha256_of(c.path)
            with self.ledger.transaction():
                if c.row_id is None:
                    c.row_id = self.subs.claim(c.claim_id, sha, c.rel.as_posix(), c.path.stat().st_size,
                                               c.received_at, self.rel(c.path))
                tries = self.subs.attempt(c.row_id)
            shas[c.row_id] = sha
            if tries > MAX_ATTEMPTS:
                self._guarded(c, self._quarantine_failed, c, None, tries - 1)
            elif sha in in_batch or self.subs.first_with_sha(sha, c.row_id) is not None:
                duplicates.append(c)  # filed once the earlier copy has its final row
            else:
                in_batch.add(sha)
                fresh.append(c)
        hints = {c.path: u for c in fresh if (u := self._folder_unit(c.rel)) is not None}
        conversions = self.ws.conversions / uuid.uuid4().hex
        try:
            for c, rep in self._checked(fresh, hints, conversions, progress):
                if rep is None:
                    self._guarded(c, self._quarantine_failed, c, c.failure)
                else:
                    self._guarded(c, self._file_checked, c, rep, shas[c.row_id])
        finally:
            _remove_tree(conversions)
        for c in duplicates:
            self._guarded(c, self._file_duplicate, c, shas[c.row_id])
            if progress:
                progress(None)
        return [self.subs.get(c.row_id) for c in claims]

    def _checked(self, fresh: list[Claim], hints, conversions: Path, progress):
        """(claim, report) for each file: the check stages in one batch; should the batch itself fail
        unexpectedly, each file alone, so only the file that fails gets no report (None)."""
        try:
            reports = check_paths([c.path for c in fresh], self.settings, progress=progress, hints=hints,
                                  keep_converted=conversions, lo_workdir=self.ws.libreoffice)
            return list(zip(fresh, reports))
        except Exception as exc:
            if is_storage_fault(exc):
                raise
            log.exception("the check of a batch of %d files failed; checking them one by one", len(fresh))
        out = []
        for c in fresh:
            try:
                rep, = check_paths([c.path], self.settings, hints=hints, keep_converted=conversions,
                                   lo_workdir=self.ws.libreoffice)
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
            if is_storage_fault(exc) or work == self._quarantine_failed:
                raise
            log.exception("unexpected failure filing %s", c.path)
            self._quarantine_failed(c, exc)

    def _quarantine_failed(self, c: Claim, exc: BaseException | None, attempts: int = 0) -> None:
        if not c.path.exists():  # it reached its destination: recovery finishes the row
            return
        exc = exc or getattr(c, "failure", None)
        if exc is None:
            p = problem("file.processing_failed", variant="repeated", attempts=attempts, detail="")
        else:
            p = problem("file.processing_failed", detail=f"{type(exc).__name__}: {exc}"[:300])
        unit = self._folder_unit(c.rel)
        self._quarantine(c, [p], unit_code=unit.code if unit else None, kind=m.UNKNOWN, verdict="rejected",
                         on_time=None, problems=[p.as_dict(with_fix=True)], criterion=None)

    def _quarantine(self, c: Claim, found: list[Problem], **fields) -> None:
        row = self.subs.raw(c.row_id)
        dest = self.ws.root / row["target"] if row["target"] and row["target"].startswith(QUARANTINE + "/") \
            else files.unique_path(self.quarantine / f"{c.claim_id}-{c.path.name}",
                                   max_bytes=files.NAME_MAX_BYTES - len(".txt"))
        files.write_text_atomic(dest.with_name(dest.name + ".txt"), _reason(c, found))
        self._file(c, dest, m.QUARANTINED, **fields)

    def _file_duplicate(self, c: Claim, sha: str) -> None:
        first = self.subs.first_with_sha(sha, c.row_id)
        self._file(c, files.unique_path(self.archive / DUPLICATES / files.fit_name(f"{c.claim_id}-{c.path.name}")),
                   m.DUPLICATE, unit_code=first.unit_code, kind=first.kind, duplicate_of=first.id, verdict=None)

    def _folder_unit(self, rel: PurePosixPath) -> Unit | None:
        for folder in rel.parts[:-1]:
            match = self.settings.units.find(folder)
            if match.unit is not None:
                return match.unit
        return None

    def _classify(self, c: Claim, rep: FileReport) -> tuple[str, Unit | None, list[Problem], str | None]:
        """(kind, unit, problems, criterion) of a checked file, as a submission."""
        names = [*c.rel.parts[:-1], c.rel.name]
        criterion = next((mt.group(1) for n in reversed(names) if (mt := _CRITERION.match(n))), None)
        problems = list(rep.problems)
        unit = rep.unit
        if rep.family == "other" or rep.kind == "spreadsheet":
            kind = m.EVIDENCE  # anything else a known unit sends: scans, photos, other spreadsheets
            problems = [p for p in problems if p.code != "file.unsupported"]
            if unit is None:
                unit = self._folder_unit(c.rel) or self.settings.units.find_first(
                    c.rel.stem, *reversed(c.rel.parts[:-1])).unit
            if unit is None:
                problems.append(problem("unit.unknown", detail="tên tệp và thư mục không nêu tên đơn vị"))
        elif rep.kind in _KINDS:
            kind = _KINDS[rep.kind]
        elif rep.kind == "document":
            kind = m.EVIDENCE if criterion else m.REPORT
        else:
            kind = m.UNKNOWN
            if unit is None:
                unit = self._folder_unit(c.rel) or self.settings.units.find_first(c.rel.stem).unit
        return kind, unit, problems, criterion if kind == m.EVIDENCE else None

    def _file_checked(self, c: Claim, rep: FileReport, sha: str) -> None:
        """File one checked claim: the archive (with its conversion beside it) or the quarantine; record what
        was read from it with its row."""
        kind, unit, problems, criterion = self._classify(c, rep)
        if kind == m.SURVEY_ENTRY:  # the office's entry workbook: imported by the pass's follow-ups
            self._file_survey_entry(c)
            return
        quarantine = unit is None or kind == m.UNKNOWN or any(
            p.code.startswith("file.") and p.severity is Severity.ERROR for p in problems)
        deadline = self.settings.deadlines.get(m.KIND_DEADLINES.get(kind, ""))
        on_time = deadline.is_on_time(c.received_at.date()) if deadline and not quarantine else None
        fields = dict(unit_code=unit.code if unit else None, kind=kind, verdict=verdict(problems), on_time=on_time,
                      problems=[p.as_dict(with_fix=True) for p in problems], criterion=criterion)
        if quarantine:
            self._quarantine(c, problems, **fields)
            return
        extracted = rep.extracted()
        with self.ledger.transaction():
            row = self.subs.raw(c.row_id)
            version = row["version"] or self.subs.next_version(unit.code, kind)
            folder = self.archive / unit.slug / m.KIND_FOLDERS[kind]
            dest = self.ws.root / row["target"] if row["target"] else files.unique_path(
                folder / files.fit_name(f"v{version:02d}-{c.path.name}"))
            converted = self._keep_conversion(rep, dest) if rep.converted else None
            self.subs.update(c.row_id, version=version, target=self.rel(dest),
                             converted_path=self.rel(converted) if converted else None, **fields)
            if extracted is not None:
                self.subs.store_extraction(sha, extracted["kind"], extracted)
        self._move_and_finalise(c, dest)

    def _keep_conversion(self, rep: FileReport, dest: Path) -> Path:
        """LibreOffice's .docx/.xlsx of a legacy original, kept beside it so it is never converted again."""
        target = dest.parent / CONVERTED / files.fit_name(f"{dest.stem}{rep.converted.suffix}")
        return files.move(rep.converted, files.unique_path(target)).path

    def _file_survey_entry(self, c: Claim) -> None:
        """The office's filled survey entry workbook, archived; the pass's follow-ups import it."""
        with self.ledger.transaction():
            row = self.subs.raw(c.row_id)
            version = row["version"] or self.subs.next_version(None, m.SURVEY_ENTRY)
            dest = self.ws.root / row["target"] if row["target"] else files.unique_path(
                self.archive / SURVEY_ENTRIES / files.fit_name(f"v{version:02d}-{c.path.name}"))
            self.subs.update(c.row_id, kind=m.SURVEY_ENTRY, version=version, target=self.rel(dest))
        self._move_and_finalise(c, dest)

    def _file(self, c: Claim, dest: Path, status: str, **fields) -> None:
        with self.ledger.transaction():
            self.subs.update(c.row_id, target=self.rel(dest), **fields)
        self._move_and_finalise(c, dest, status)

    def _move_and_finalise(self, c: Claim, dest: Path, status: str = m.ARCHIVED) -> None:
        files.move(c.path, dest)
        with self.ledger.transaction():
            self._finalise(c.row_id, dest, status)
        files.prune(self.processing / c.claim_id)

    def _finalise(self, row_id: int, dest: Path, status: str | None = None) -> None:
        row = self.subs.raw(row_id)
        if status is None:  # recovery: derive the status from where the file went
            status = (m.QUARANTINED if dest.is_relative_to(self.quarantine) else
                      m.DUPLICATE if row["duplicate_of"] else m.ARCHIVED)
        self.subs.update(row_id, status=status, path=self.rel(dest),
                         processed_at=clock.now().isoformat(timespec="seconds"))
        if status == m.ARCHIVED and row["version"] and (row["unit_code"] or row["kind"] == m.SURVEY_ENTRY):
            same_name = row["original_name"] if row["kind"] == m.EVIDENCE else None
            self.subs.supersede_older(row["unit_code"], row["kind"], row["version"], same_name)
        row = self.subs.raw(row_id)
        first = self.subs.raw(row["duplicate_of"]) if row["duplicate_of"] else None
        sidecar.write(self.ws.metadata, row, duplicate_of_claim=first["claim_id"] if first else None,
                      extraction=self.subs.extraction(row["sha256"]))

def _reason(c: Claim, problems: list[Problem]) -> str:
    lines = [f"Tệp: {c.rel.as_posix()}", f"Nhận lúc: {c.received_at:%H:%M ngày %d/%m/%Y}",
             "Tệp được đưa vào khu cách ly, chưa được tiếp nhận, vì:"]
    lines += [f"- {p.describe()}" + (f" Cách khắc phục: {p.fix}" if p.fix else "") for p in problems]
    return "\n".join(lines) + "\n"


def _created(path: Path) -> float | None:
    try:
        return path.stat().st_ctime
    except OSError:
        return None


def _remove_tree(folder: Path) -> None:
    import shutil  # noqa: PLC0415

    shutil.rmtree(folder, ignore_errors=True)
