"""A self-assessment rejected for a score without evidence or explanation (``[self_assessment]
evidence_missing = "error"``): the usual feedback letter and the status sheet say so."""

from __future__ import annotations

import datetime as dt

import docx
import openpyxl

from automation.app import process_inbox, write_status
from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.problems import CATALOG
from automation.scoring.framework import load_framework
from automation.status.workbook import KIND_LABELS, SHEET_PROBLEMS, SHEET_UNITS, WORKBOOK
from tests.builders import self_assessment_workbook


def _letter_text(path) -> str:
    d = docx.Document(str(path))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for row in t.rows for c in row.cells])


def test_a_workbook_rejected_for_missing_evidence_gets_a_letter_and_shows_in_the_status(fast_ws, monkeypatch):
    ws = fast_ws
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('evidence_missing = "warning"',
                                                             'evidence_missing = "error"'), encoding="utf-8")
    monkeypatch.setenv("CCHC_NOW", "2021-11-10T09:00:00")
    fw = load_framework()
    first = fw.scored[0]
    self_assessment_workbook(ws / "inbox" / "tu-cham Kim Xá.xlsx", "Xã Kim Xá", "09079", fw.scored,
                             {c.code: float(c.max_points) for c in fw.scored},
                             {c.code: "" if c is first else f"Tài liệu {c.code}" for c in fw.scored})
    process_inbox(load_settings(ws), settle_timeout_s=20)
    with Ledger(ws / LEDGER_NAME) as ledger:
        [sub] = ledger.submissions.all()
    assert (sub.kind, sub.unit_code, sub.verdict) == ("workbook", "09079", "rejected")
    assert [(p["code"], p["severity"]) for p in sub.problems] == [("score.evidence_missing", "error")]
    text = _letter_text(ws / sub.feedback_path)
    assert "KHÔNG ĐẠT" in text and f"Tiêu chí {first.code} tự chấm" in text
    assert CATALOG["score.evidence_missing"].fix in text
    wb = openpyxl.load_workbook(write_status(load_settings(ws), dt.date(2021, 11, 10)))
    sheet = wb[SHEET_UNITS]
    heads = [c.value for c in sheet[1]]
    row = next([c.value for c in r] for r in sheet.iter_rows(min_row=2) if r[0].value == "09079")
    label = KIND_LABELS[WORKBOOK]
    assert row[heads.index(f"{label}: kết luận")] == "Không đạt"
    assert row[heads.index(f"{label}: lỗi")] == "1 lỗi"
    [problem_row] = [r for r in wb[SHEET_PROBLEMS].iter_rows(min_row=2, values_only=True) if r[0] == "09079"]
    assert problem_row[4:] == ("Lỗi", sub.problems[0]["message"], "score.evidence_missing")
    assert problem_row[5].startswith(f"Tiêu chí {first.code} tự chấm")
