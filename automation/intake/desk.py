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
import errno
import hashlib
import logging
import os
import re
import shutil
import uuid
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from automation import clock
from automation.check import FileReport, check_paths
from automation.config import Settings
from automation.formats.sniff import FileKind
from automation.ledger import records as m
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.lock import WorkspaceLock
from automation.problems import CchcError, Problem, Severity, problem
from automation.units import Unit

log = logging.getLogger(__name__)

PROCESSING_DIR = "dang-xu-ly"
ARCHIVE_DIR = "luu-tru"
QUARANTINE_DIR = "cach-ly"
FEEDBACK_DIR = ("outbox", "phan-hoi")
LOCK_NAME = ".cchc.lock"
TEMP_PREFIX = ".~cchc-"
_CRITERION = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})(?=$|[\s._\-)])")
_OFFICE = {FileKind.DOCX, FileKind.DOC, FileKind.RTF, FileKind.HTML, FileKind.ODT,
           FileKind.XLSX, FileKind.XLS, FileKind.ODS}


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
    appraisal: Path | None = None  # the appraisal workbook, when this pass rebuilt it


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def move(src: Path, dst: Path) -> None:
    """Move atomically; across file systems copy to a temporary name, fsync, rename, then delete."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
        return
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    tmp = dst.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}{dst.suffix}")
    with src.open("rb") as fin, tmp.open("wb") as fout:
        shutil.copyfileobj(fin, fout)
        fout.flush()
        os.fsync(fout.fileno())
    os.replace(tmp, dst)
    src.unlink()


def unique_path(path: Path) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… when it exists (never overwrite)."""
    if not path.exists():
        return path
    n = 2
    while (cand := path.with_name(f"{path.stem}-{n}{path.suffix}")).exists():
        n += 1
    return cand


def write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}.txt")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _claim_id(received: dt.datetime) -> str:
    return f"{received:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:12]}"


def _received_from_claim(claim_id: str) -> dt.datetime:
    return dt.datetime.strptime(claim_id.split("-", 1)[0], "%Y%m%dT%H%M%S")


class Desk:
    def __init__(self, settings: Settings):
        self.settings = settings
        ws = settings.path()
        self.ws = ws
        self.inbox = ws / "inbox"
        self.processing = ws / PROCESSING_DIR
        self.archive = ws / ARCHIVE_DIR
        self.quarantine = ws / QUARANTINE_DIR
        self.feedback = ws.joinpath(*FEEDBACK_DIR)
        self.lock = WorkspaceLock(ws / LOCK_NAME)
        self.ledger = Ledger(ws / LEDGER_NAME)

    def close(self) -> None:
        self.ledger.close()

    def rel(self, path: Path) -> str:
        return path.relative_to(self.ws).as_posix()

    # --- the pass ------------------------------------------------------------------------------
    def run_pass(self, candidates, progress=None) -> PassResult:
        """Claim ``candidates`` (stable inbox files) and process them, after finishing any earlier
        crashed work; holds the workspace lock throughout, so two passes never interleave."""
        result = PassResult()
        with self.lock:
            result.recovered = self.recover(progress)
            claims = [c for c in (self.claim(cand) for cand in candidates) if c is not None]
            result.claimed = len(claims)
            subs = self.process(claims, progress)
            self.write_missing_feedback()
            if any(s.kind in (m.WORKBOOK, m.EVIDENCE, m.SURVEY_ENTRY) and s.status == m.ARCHIVED for s in subs):
                result.appraisal = self.refresh_appraisal()
        result.submissions = subs
        for s in subs:
            result.statuses[s.status] = result.statuses.get(s.status, 0) + 1
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
            _prune(self.processing / claim_id)
            return None
        except PermissionError:  # still held open by Word/Excel on Windows: next pass
            _prune(self.processing / claim_id)
            return None
        return Claim(claim_id, target, rel, received)

    # --- recovery ------------------------------------------------------------------------------
    def recover(self, progress=None) -> int:
        """Finish what a crashed pass left; returns how many files it took over."""
        redo: list[Claim] = []
        for row in self.ledger.unfinished():
            claim_path = self.ws / row["path"]
            target = self.ws / row["target"] if row["target"] else None
            if target is not None and target.exists() and not claim_path.exists():
                with self.ledger.transaction():
                    self._finalise(row["id"], target)
            elif claim_path.exists():
                rel = PurePosixPath(row["original_name"])
                redo.append(Claim(row["claim_id"], claim_path, rel, dt.datetime.fromisoformat(row["received_at"]),
                                  row["id"]))
            else:
                log.error("ledger row %s: file neither at %s nor at %s", row["id"], claim_path, target)
        known = {c.claim_id for c in redo} | {r["claim_id"] for r in self.ledger.unfinished()}
        if self.processing.is_dir():
            for folder in sorted(self.processing.iterdir()):
                if not folder.is_dir() or folder.name in known or self.ledger.by_claim(folder.name) is not None:
                    continue
                files = [p for p in folder.rglob("*") if p.is_file()]
                for f in files:  # claimed, then the process died before the ledger row
                    rel = PurePosixPath(f.relative_to(folder).as_posix())
                    redo.append(Claim(folder.name, f, rel, _received_from_claim(folder.name)))
        if redo:
            self.ledger.log("recover", f"{len(redo)} claims")
            self.process(redo, progress)
        self._sweep()
        return len(redo)

    def _sweep(self) -> None:
        """Remove empty claim folders and temporary files of interrupted atomic writes."""
        if self.processing.is_dir():
            for folder in self.processing.iterdir():
                if folder.is_dir():
                    _prune(folder)
        for root in (self.archive, self.quarantine, self.feedback):
            if root.is_dir():
                for tmp in root.rglob(f"{TEMP_PREFIX}*"):
                    tmp.unlink(missing_ok=True)
        # the appraisal workbook's own temporary file (it is only written under this same lock)
        for tmp in self.ws.joinpath("outbox").glob(f"{TEMP_PREFIX}*.xlsm"):
            tmp.unlink(missing_ok=True)

    # --- processing ------------------------------------------------------------------------------
    def process(self, claims: list[Claim], progress=None) -> list[m.Submission]:
        fresh: list[Claim] = []
        duplicates: list[Claim] = []
        in_batch: set[str] = set()
        for c in claims:
            sha = sha256_of(c.path)
            if c.row_id is None:
                with self.ledger.transaction():
                    c.row_id = self.ledger.claim(c.claim_id, sha, c.rel.as_posix(), c.path.stat().st_size,
                                                 c.received_at, self.rel(c.path))
            if sha in in_batch or self.ledger.first_with_sha(sha, c.row_id) is not None:
                duplicates.append(c)  # filed once the earlier copy has its final row
            else:
                in_batch.add(sha)
                fresh.append(c)
        entries = [c for c in fresh if _is_survey_entry(c.path)]
        fresh = [c for c in fresh if c not in entries]
        for c in entries:
            self._file_survey_entry(c)
        hints = {c.path: u for c in fresh if (u := self._folder_unit(c.rel)) is not None}
        reports = check_paths([c.path for c in fresh], self.settings, progress=progress, hints=hints)
        for c, rep in zip(fresh, reports):
            self._file_checked(c, rep)
        for c in duplicates:
            first = self.ledger.first_with_sha(self.ledger.raw(c.row_id)["sha256"], c.row_id)
            self._file(c, self.archive / "_trung-lap" / f"{c.claim_id}-{c.path.name}", m.DUPLICATE,
                       unit_code=first.unit_code, kind=first.kind, duplicate_of=first.id, verdict=None)
            if progress:
                progress(None)
        return [self.ledger.get(c.row_id) for c in claims]

    def _folder_unit(self, rel: PurePosixPath) -> Unit | None:
        for folder in rel.parts[:-1]:
            match = self.settings.units.find(folder)
            if match.unit is not None:
                return match.unit
        return None

    def _classify(self, c: Claim, rep: FileReport) -> tuple[str, Unit | None, list[Problem], str | None]:
        """(kind, unit, problems, criterion) of a checked file."""
        names = [*c.rel.parts[:-1], c.rel.name]
        criterion = next((mt.group(1) for n in reversed(names) if (mt := _CRITERION.match(n))), None)
        problems = list(rep.problems)
        unit = rep.unit
        sniffed = rep.sniffed
        if sniffed is not None and sniffed.kind not in _OFFICE or rep.kind == "spreadsheet":
            kind = m.EVIDENCE  # anything else a known unit sends: scans, photos, other spreadsheets
            problems = [p for p in problems if p.code != "file.unsupported"]
            if unit is None:
                unit = self._folder_unit(c.rel) or self.settings.units.find_first(
                    c.rel.stem, *reversed(c.rel.parts[:-1])).unit
            if unit is None:
                problems.append(problem("unit.unknown", detail="tên tệp và thư mục không nêu tên đơn vị"))
        elif rep.kind == "respondent_list":
            kind = m.RESPONDENT_LIST
        elif rep.kind == "workbook":
            kind = m.WORKBOOK
        elif rep.kind == "document":
            kind = m.EVIDENCE if criterion else m.REPORT
        else:
            kind = m.UNKNOWN
            if unit is None:
                unit = self._folder_unit(c.rel) or self.settings.units.find_first(c.rel.stem).unit
        return kind, unit, problems, criterion if kind == m.EVIDENCE else None

    def _file_checked(self, c: Claim, rep: FileReport) -> None:
        kind, unit, problems, criterion = self._classify(c, rep)
        quarantine = unit is None or kind == m.UNKNOWN or any(
            p.code.startswith("file.") and p.severity is Severity.ERROR for p in problems)
        verdict = _verdict(problems)
        deadline = self.settings.deadlines.get(m.KIND_DEADLINES.get(kind, ""))
        on_time = deadline.is_on_time(c.received_at.date()) if deadline and not quarantine else None
        fields = dict(unit_code=unit.code if unit else None, kind=kind, verdict=verdict, on_time=on_time,
                      problems=[p.as_dict(with_fix=True) for p in problems], criterion=criterion)
        if quarantine:
            dest = self.quarantine / f"{c.claim_id}-{c.path.name}"
            write_text_atomic(dest.with_name(dest.name + ".txt"), _reason(c, problems))
            self._file(c, dest, m.QUARANTINED, **fields)
            return
        with self.ledger.transaction():
            row = self.ledger.raw(c.row_id)
            version = row["version"] or self.ledger.next_version(unit.code, kind)
            folder = self.archive / unit.slug / m.KIND_FOLDERS[kind]
            dest = self.ws / row["target"] if row["target"] else unique_path(folder / f"v{version:02d}-{c.path.name}")
            self.ledger.update(c.row_id, version=version, target=self.rel(dest), **fields)
        self._move_and_finalise(c, dest)

    def _file_survey_entry(self, c: Claim) -> None:
        """The office's filled survey entry workbook: imported (replacing the earlier import), archived."""
        from automation.appraisal.survey import import_entry  # noqa: PLC0415

        summary = import_entry(self.settings, c.path, submission_id=c.row_id, rebuild_appraisal=False)
        with self.ledger.transaction():
            row = self.ledger.raw(c.row_id)
            version = row["version"] or self.ledger.next_version(None, m.SURVEY_ENTRY)
            dest = self.ws / row["target"] if row["target"] else unique_path(
                self.archive / "_dieu-tra" / f"v{version:02d}-{c.path.name}")
            self.ledger.update(c.row_id, kind=m.SURVEY_ENTRY, version=version, target=self.rel(dest),
                               verdict=_verdict(summary.problems),
                               problems=[p.as_dict(with_fix=True) for p in summary.problems])
        self._move_and_finalise(c, dest)

    def _file(self, c: Claim, dest: Path, status: str, **fields) -> None:
        with self.ledger.transaction():
            self.ledger.update(c.row_id, target=self.rel(dest), **fields)
        self._move_and_finalise(c, dest, status)

    def _move_and_finalise(self, c: Claim, dest: Path, status: str = m.ARCHIVED) -> None:
        move(c.path, dest)
        with self.ledger.transaction():
            self._finalise(c.row_id, dest, status)
        _prune(self.processing / c.claim_id)

    def _finalise(self, row_id: int, dest: Path, status: str | None = None) -> None:
        row = self.ledger.raw(row_id)
        if status is None:  # recovery: derive the status from where the file went
            status = (m.QUARANTINED if dest.is_relative_to(self.quarantine) else
                      m.DUPLICATE if row["duplicate_of"] else m.ARCHIVED)
        self.ledger.update(row_id, status=status, path=self.rel(dest),
                           processed_at=clock.now().isoformat(timespec="seconds"))
        if status == m.ARCHIVED and row["version"] and (row["unit_code"] or row["kind"] == m.SURVEY_ENTRY):
            same_name = row["original_name"] if row["kind"] == m.EVIDENCE else None
            self.ledger.supersede_older(row["unit_code"], row["kind"], row["version"], same_name)

    # --- feedback --------------------------------------------------------------------------------
    def write_missing_feedback(self) -> None:
        from automation.documents.letters import write_feedback  # noqa: PLC0415 (python-docx)

        latest: dict[str, dict[str, m.Submission]] = {}
        for sub in self.ledger.all():
            if sub.feedback_path or sub.unit_code is None or sub.status in (m.DUPLICATE, m.PROCESSING):
                continue
            if sub.kind not in (m.RESPONDENT_LIST, m.WORKBOOK) and sub.status != m.QUARANTINED:
                continue
            unit = self.settings.units.by_code(sub.unit_code)
            folder = self.feedback / unit.slug
            problems = [Problem.from_dict(p) for p in sub.problems]
            copy = self._unicode_copy(sub, folder) if any(p.code == "encoding.legacy" for p in problems) else None
            newer = None
            if sub.status == m.SUPERSEDED:  # a newer version came in the same pass, before this letter
                if sub.kind not in latest:
                    latest[sub.kind] = self.ledger.latest_by_unit(sub.kind)
                newer = latest[sub.kind].get(sub.unit_code)
            letter = write_feedback(folder, sub, unit, problems, self.settings, unicode_copy=copy, now=clock.now(),
                                    replaced_by=newer)
            with self.ledger.transaction():
                self.ledger.update(sub.id, feedback_path=self.rel(letter))

    def _unicode_copy(self, sub: m.Submission, folder: Path) -> Path | None:
        from automation.formats.legacy_docx import convert_file  # noqa: PLC0415

        source = self.ws / sub.path
        target = folder / f"{Path(sub.original_name).stem}-v{sub.version or 0:02d}-unicode.docx"
        try:
            return convert_file(source, target, self.settings.limits).path
        except CchcError as exc:
            log.warning("no Unicode copy of %s: %s", source, exc.problem.code)
            return None

    def refresh_appraisal(self) -> Path | None:
        """Rebuild the appraisal workbook after new scores or evidence (kept as is while Excel has it open)."""
        from automation.appraisal.workbook import rebuild, workbook_path  # noqa: PLC0415

        try:
            return workbook_path(self.settings) if rebuild(self.settings) is not None else None
        except CchcError as exc:
            log.warning("appraisal workbook not rebuilt: %s", exc.problem.message)
            return None

    # --- reading -------------------------------------------------------------------------------
    def submissions(self) -> list[m.Submission]:
        return self.ledger.all()


def _verdict(problems: list[Problem]) -> str:
    if any(p.severity is Severity.ERROR for p in problems):
        return "rejected"
    return "accepted_with_warnings" if problems else "accepted"


def _reason(c: Claim, problems: list[Problem]) -> str:
    lines = [f"Tệp: {c.rel.as_posix()}", f"Nhận lúc: {c.received_at:%H:%M ngày %d/%m/%Y}",
             "Tệp được đưa vào khu cách ly, chưa được tiếp nhận, vì:"]
    lines += [f"- {p.describe()}" + (f" Cách khắc phục: {p.fix}" if p.fix else "") for p in problems]
    return "\n".join(lines) + "\n"


def _is_survey_entry(path: Path) -> bool:
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        return False
    from automation.survey.entry import looks_like_entry_workbook  # noqa: PLC0415

    try:
        return looks_like_entry_workbook(path)
    except Exception:  # a damaged workbook is for the checker to report, not for this test
        return False


def _created(path: Path) -> float | None:
    try:
        return path.stat().st_ctime
    except OSError:
        return None


def _prune(folder: Path) -> None:
    """Remove ``folder`` and its sub-folders if they hold no file."""
    if not folder.is_dir():
        return
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        try:
            sub.rmdir()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass
