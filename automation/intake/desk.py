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
import os
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable

from automation import clock, files
from automation.check import FileReport, check_paths
from automation.ledger import Ledger
from automation.ledger import records as m
from automation.problems import Problem, Severity, problem, verdict
from automation.units import Unit
from automation.workspace import CONVERTED, DUPLICATES, SURVEY_ENTRIES, Workspace

log = logging.getLogger(__name__)

_CRITERION = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})(?=$|[\s._\-)])")
_KINDS = {"respondent_list": m.RESPONDENT_LIST, "workbook": m.WORKBOOK, "survey_entry": m.SURVEY_ENTRY}


@dataclass
class Claim:
    claim_id: str
    path: Path  # inside dang-xu-ly/
    rel: PurePosixPath  # as dropped into the inbox
    received_at: dt.datetime
    row_id: int | None = None


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
        received = clock.received_at(cand.first_seen, _created(cand.path))
        claim_id = _claim_id(received)
        rel = PurePosixPath(cand.rel.as_posix())
        target = self.processing / claim_id / Path(*rel.parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(cand.path, target)
        except FileNotFoundError:  # gone since the scan (taken by someone, or deleted)
            files.prune(self.processing / claim_id)
            return None
        except PermissionError:  # still held open by Word/Excel on Windows: next pass
            files.prune(self.processing / claim_id)
            return None
        return Claim(claim_id, target, rel, received)

    # --- recovery ------------------------------------------------------------------------------
    def recover(self, progress=None) -> int:
        """Finish what a crashed pass left; returns how many files it took over."""
        redo: list[Claim] = []
        for row in self.subs.unfinished():
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
        known = {c.claim_id for c in redo} | {r["claim_id"] for r in self.subs.unfinished()}
        if self.processing.is_dir():
            for folder in sorted(self.processing.iterdir()):
                if not folder.is_dir() or folder.name.startswith(".") or folder.name in known \
                        or self.subs.by_claim(folder.name) is not None:
                    continue
                files = [p for p in folder.rglob("*") if p.is_file()]
                for f in files:  # claimed, then the process died before the ledger row
                    rel = PurePosixPath(f.relative_to(folder).as_posix())
                    redo.append(Claim(folder.name, f, rel, _received_from_claim(folder.name)))
        if redo:
            self.subs.log("recover", f"{len(redo)} claims")
            self.process(redo, progress)
        self._sweep()
        return len(redo)

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
        check stages over the rest in one batch, then file and record each."""
        fresh: list[Claim] = []
        duplicates: list[Claim] = []
        shas: dict[int, str] = {}
        in_batch: set[str] = set()
        for c in claims:
            sha = files.sha256_of(c.path)
            if c.row_id is None:
                with self.ledger.transaction():
                    c.row_id = self.subs.claim(c.claim_id, sha, c.rel.as_posix(), c.path.stat().st_size,
                                               c.received_at, self.rel(c.path))
            shas[c.row_id] = sha
            if sha in in_batch or self.subs.first_with_sha(sha, c.row_id) is not None:
                duplicates.append(c)  # filed once the earlier copy has its final row
            else:
                in_batch.add(sha)
                fresh.append(c)
        hints = {c.path: u for c in fresh if (u := self._folder_unit(c.rel)) is not None}
        conversions = self.ws.conversions / uuid.uuid4().hex
        try:
            reports = check_paths([c.path for c in fresh], self.settings, progress=progress, hints=hints,
                                  keep_converted=conversions, lo_workdir=self.ws.libreoffice)
            for c, rep in zip(fresh, reports):
                self._file_checked(c, rep, shas[c.row_id])
        finally:
            _remove_tree(conversions)
        for c in duplicates:
            first = self.subs.first_with_sha(shas[c.row_id], c.row_id)
            self._file(c, self.archive / DUPLICATES / files.fit_name(f"{c.claim_id}-{c.path.name}"), m.DUPLICATE,
                       unit_code=first.unit_code, kind=first.kind, duplicate_of=first.id, verdict=None)
            if progress:
                progress(None)
        return [self.subs.get(c.row_id) for c in claims]

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
            dest = self.quarantine / files.fit_name(f"{c.claim_id}-{c.path.name}", files.NAME_MAX_BYTES - 4)
            files.write_text_atomic(dest.with_name(dest.name + ".txt"), _reason(c, problems))
            self._file(c, dest, m.QUARANTINED, **fields)
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
