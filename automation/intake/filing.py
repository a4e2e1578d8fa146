"""Filing a claimed file: where it goes (the archive by unit and kind with its version, the quarantine with
its reason, the duplicates), the move there and the row's final status with its sidecar, in that order, so
a crash at any point leaves something :meth:`~automation.intake.desk.Desk.recover` can finish.

:class:`Filing` is the half of the desk that files; it expects the desk's ``ws``, ``settings``, ``ledger``,
``subs``, ``archive``, ``quarantine`` and ``processing``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from automation import clock, files
from automation.check import FileReport
from automation.intake import sidecar
from automation.ledger import records as m
from automation.problems import Problem, Severity, problem, verdict
from automation.units import Unit
from automation.workspace import CONVERTED, DUPLICATES, QUARANTINE, SURVEY_ENTRIES

_CRITERION = re.compile(r"^\s*(\d{1,2}(?:\.\d{1,2}){0,3})(?=$|[\s._\-)])")
_KINDS = {"respondent_list": m.RESPONDENT_LIST, "workbook": m.WORKBOOK, "survey_entry": m.SURVEY_ENTRY,
          "explanation": m.EXPLANATION}


@dataclass
class Claim:
    claim_id: str
    path: Path  # inside dang-xu-ly/
    rel: PurePosixPath  # as dropped into the inbox
    received_at: dt.datetime
    row_id: int | None = None
    failure: BaseException | None = None  # why the check stages gave no report
    recovered: bool = False  # taken over from a pass that died



class Filing:
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
        return kind, unit, problems, criterion if kind in (m.EVIDENCE, m.EXPLANATION) else None

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
            same_name = row["original_name"] if row["kind"] in (m.EVIDENCE, m.EXPLANATION) else None
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
