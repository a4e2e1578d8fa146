"""One file's check result, built stage by stage (see :mod:`automation.check.pipeline`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from automation.formats.sniff import Sniffed
from automation.formats.word import WordDocument
from automation.lists.model import RespondentList
from automation.problems import Problem, verdict
from automation.scoring.selfassess import SelfAssessment
from automation.units import Unit


@dataclass
class FileReport:
    path: Path
    kind: str = "unknown"  # respondent_list | document | explanation | workbook | survey_entry | spreadsheet | unknown
    unit: Unit | None = None
    problems: list[Problem] = field(default_factory=list)
    respondent_list: RespondentList | None = None
    sniffed: Sniffed | None = None
    self_assessment: SelfAssessment | None = None
    converted: Path | None = None  # the .docx/.xlsx LibreOffice made of a legacy file, when kept
    criteria: list[str] | None = None  # an explanation: the criterion codes it speaks of
    # working state of the stages (not part of the result)
    source: Path | None = field(default=None, repr=False)  # what is read: the file, or its conversion
    doc: WordDocument | None = field(default=None, repr=False)
    book: object = field(default=None, repr=False)  # formats.sheet.Workbook
    sheet_list: object = field(default=None, repr=False)  # lists.from_sheet.SheetList
    done: bool = field(default=False, repr=False)  # a stage refused the file: later stages skip it

    @property
    def verdict(self) -> str:
        return verdict(self.problems)

    @property
    def respondents(self) -> int | None:
        return len(self.respondent_list.respondents) if self.respondent_list else None

    @property
    def family(self) -> str:
        return self.sniffed.family if self.sniffed else "other"

    def stop(self, p: Problem) -> None:
        """A stage refuses the file: record why; later stages leave it alone."""
        self.problems.append(p)
        self.done = True

    def extracted(self) -> dict | None:
        """What was read, as plain values for the ledger (a list's people, a workbook's self-scores)."""
        if self.respondent_list is not None:
            return {"kind": "respondent_list", "list": self.respondent_list.to_dict()}
        if self.self_assessment is not None:
            return {"kind": "self_assessment", "self_assessment": self.self_assessment.to_dict()}
        if self.criteria is not None:
            return {"kind": "explanation", "criteria": self.criteria}
        return None

    def as_dict(self) -> dict:
        return {"file": str(self.path), "kind": self.kind,
                "unit": self.unit.as_dict() if self.unit else None, "verdict": self.verdict,
                "respondents": self.respondents, "problems": [p.as_dict() for p in self.problems]}
