"""The survey's operations: sample, forms, import of the entry workbook, points for the index."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from automation import clock
from automation.config import Settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.problems import Problem
from automation.scoring.framework import workspace_framework
from automation.survey.sample import load_people


@dataclass
class ImportSummary:
    forms: int
    problems: list[Problem]
    units: dict = field(default_factory=dict)  # unit code -> UnitSurvey
    appraisal: Path | None = None


def import_entry(settings: Settings, path: Path, submission_id: int | None = None,
                 rebuild_appraisal: bool = True) -> ImportSummary:
    """Read a filled entry workbook and make it THE survey data (a corrected workbook replaces the
    earlier import); valid rows are kept when others are wrong."""
    from automation.survey.entry import read_entry_workbook  # noqa: PLC0415
    from automation.survey.questions import workspace_questions  # noqa: PLC0415

    questions = workspace_questions(settings).questions
    with Ledger(settings.path(LEDGER_NAME)) as ledger:
        issued = {p.form_code for p in load_people(ledger, settings)}
        result = read_entry_workbook(Path(path), issued, questions)
        with ledger.transaction() as db:
            db.execute("DELETE FROM survey_answers")
            db.execute("DELETE FROM survey_forms")
            cur = db.execute("INSERT INTO survey_imports (at, source, submission_id, forms, problems) VALUES (?, ?, ?, ?, ?)",
                             (clock.now().isoformat(timespec="seconds"), Path(path).name, submission_id,
                              len(result.forms), json.dumps([p.as_dict() for p in result.problems], ensure_ascii=False)))
            import_id = cur.lastrowid
            db.executemany("INSERT INTO survey_forms (form_code, import_id, sheet_row) VALUES (?, ?, ?)",
                           [(f.form_code, import_id, f.row) for f in result.forms])
            db.executemany("INSERT INTO survey_answers (form_code, question, answer) VALUES (?, ?, ?)",
                           [(f.form_code, q, a) for f in result.forms for q, a in f.answers.items()])
    summary = ImportSummary(len(result.forms), result.problems, units=unit_surveys(settings) or {})
    if rebuild_appraisal:
        from automation.appraisal.workbook import rebuild, workbook_path  # noqa: PLC0415
        if rebuild(settings) is not None:
            summary.appraisal = workbook_path(settings)
    return summary


def unit_surveys(settings: Settings) -> dict | None:
    """Survey points per unit from the imported answers; None while no answers were imported."""
    from automation.survey.entry import ImportedForm  # noqa: PLC0415
    from automation.survey.points import survey_points  # noqa: PLC0415
    from automation.survey.questions import workspace_questions  # noqa: PLC0415

    path = settings.path(LEDGER_NAME)
    if not path.exists():
        return None
    with Ledger(path) as ledger:
        if ledger.db.execute("SELECT COUNT(*) FROM survey_imports").fetchone()[0] == 0:
            return None
        people = load_people(ledger, settings)
        answers: dict[str, dict[str, str]] = {}
        for r in ledger.db.execute("SELECT form_code, question, answer FROM survey_answers"):
            answers.setdefault(r[0], {})[r[1]] = r[2]
        forms = [ImportedForm(r[0], r[1] or 0, answers.get(r[0], {}))
                 for r in ledger.db.execute("SELECT form_code, sheet_row FROM survey_forms")]
    questions = workspace_questions(settings).questions
    return survey_points(workspace_framework(settings), questions, people, forms)
