"""The survey's side of the appraisal: an entry workbook stored as THE survey data, and the survey points per
unit computed from the stored answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from automation.config import Settings
from automation.ledger import Ledger
from automation.problems import Problem
from automation.survey.sample import people_from_rows


@dataclass
class ImportSummary:
    forms: int
    problems: list[Problem]
    units: dict = field(default_factory=dict)  # unit code -> UnitSurvey
    appraisal: Path | None = None


def store_entry(settings: Settings, ledger: Ledger, path: Path, submission_id: int | None = None) -> ImportSummary:
    """Read a filled entry workbook and make it THE survey data (a corrected workbook replaces the earlier
    import); valid rows are kept when others are wrong."""
    from automation.survey.entry import read_entry_workbook  # noqa: PLC0415
    from automation.survey.questions import workspace_questions  # noqa: PLC0415

    questions = workspace_questions(settings).questions
    issued = {r["form_code"] for r in ledger.survey.people()}
    result = read_entry_workbook(Path(path), issued, questions)
    ledger.survey.replace_answers(Path(path).name, submission_id,
                                  [(f.form_code, f.row, f.answers) for f in result.forms],
                                  [p.as_dict() for p in result.problems])
    return ImportSummary(len(result.forms), result.problems, units=unit_surveys(settings, ledger) or {})


def unit_surveys(settings: Settings, ledger: Ledger) -> dict | None:
    """Survey points per unit from the imported answers; None while no answers were imported."""
    from automation.scoring.framework import workspace_framework  # noqa: PLC0415
    from automation.survey.entry import ImportedForm  # noqa: PLC0415
    from automation.survey.points import survey_points  # noqa: PLC0415
    from automation.survey.questions import workspace_questions  # noqa: PLC0415

    if not ledger.survey.has_imports():
        return None
    people = people_from_rows(ledger.survey.people(), settings)
    forms = [ImportedForm(code, row, answers) for code, row, answers in ledger.survey.forms()]
    questions = workspace_questions(settings).questions
    return survey_points(workspace_framework(settings), questions, people, forms)
