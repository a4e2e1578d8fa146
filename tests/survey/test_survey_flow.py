"""The survey end to end: sample from the archived lists, forms, a filled entry workbook through the
inbox, survey points in the appraisal workbook."""

from __future__ import annotations

import json
from collections import Counter

import openpyxl
import pytest

from automation.cli import main
from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.app import process_inbox as process_once
from automation.appraisal.workbook import workbook_path
from automation.survey.model import ANSWERS, NO_ANSWER
from automation.app import draw_sample, sampled_people
from tests.builders import list_document, person_rows


@pytest.fixture()
def ws(fast_ws):
    root = fast_ws
    inbox = root / "inbox"
    list_document(inbox / "kim-xa.docx")
    rows = person_rows(30, unit="Tam Phúc")
    rows[4][6] = "31/02/2021"  # a bad date: this person is left out of the sample
    rows[9][7] = ""  # no result yet: left out too
    list_document(inbox / "tam-phuc.docx", rows=rows, heading=("UBND XÃ TAM PHÚC", "DANH SÁCH"))
    list_document(inbox / "yen-binh.docx", font="Arial", rows=person_rows(30, unit="Yên Bình"),
                  heading=("UBND XÃ YÊN BÌNH", "DANH SÁCH"))
    process_once(load_settings(root), settle_timeout_s=20)
    return root


def _run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_sample_is_stratified_reproducible_and_reports_missing_units(ws, capsys):
    settings = load_settings(ws)
    code, out, _ = _run(["survey", "sample", "--per-unit", "10", "--seed", "7", "--workspace", str(ws)], capsys)
    assert code == 0 and "Đã chọn 20 người của 2 đơn vị (hạt giống 7" in out
    assert "Xã Yên Bình – danh sách chưa đạt (font.not_times_new_roman)" in out
    assert "Xã Vĩnh Ninh – chưa gửi danh sách" in out
    people = sampled_people(settings)
    with Ledger(ws / LEDGER_NAME) as ledger:
        assert ledger.db.execute("SELECT seed, per_unit FROM survey_samples").fetchall()[-1][:] == (7, 10)
    kim = [p for p in people if p.unit_code == "09079"]
    assert [p.form_code for p in kim] == [f"09079-{i:02d}" for i in range(1, 11)]
    # 30 people in 4 fields of 8, 8, 7, 7: 10 are drawn 3, 3, 2, 2
    assert sorted(Counter(p.field for p in kim).values()) == [2, 2, 3, 3]
    tam = {p.name for p in people if p.unit_code == "09142"}
    bad = {person_rows(30, unit="Tam Phúc")[i][1] for i in (4, 9)}
    assert len(tam) == 10 and not tam & bad
    # the same lists and seed give the same sample; another seed another one
    again = draw_sample(settings, 10, 7)
    assert [(p.form_code, p.name) for p in again.people] == [(p.form_code, p.name) for p in people]
    other = draw_sample(settings, 10, 8)
    assert [p.name for p in other.people] != [p.name for p in people]


def test_forms_entry_through_the_inbox_and_survey_points(ws, capsys):
    _run(["survey", "sample", "--per-unit", "4", "--workspace", str(ws)], capsys)
    code, out, _ = _run(["survey", "forms", "--workspace", str(ws)], capsys)
    assert code == 0
    entry = ws / "outbox" / "dieu-tra" / "nhap-phieu-2021.xlsx"
    assert entry.exists() and len(list((ws / "outbox" / "dieu-tra").rglob("phieu-dieu-tra-*.docx"))) == 2
    wb = openpyxl.load_workbook(entry)
    sheet = wb["NhapPhieu"]
    header = [c.value for c in sheet[1]]
    questions = header[4:]
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == 8
    for row in rows:  # Kim Xá: all satisfied; Tam Phúc: half satisfied, one form blank, one bad answer
        unit = row[1].value
        for j, cell in enumerate(row[4:4 + len(questions)]):
            if unit == "09079":
                cell.value = ANSWERS[0]
            elif row[0].value == "09142-04":
                cell.value = None
            else:
                cell.value = ANSWERS[j % 2] if j else ANSWERS[3]
    rows[-2][4].value = "rất tốt"  # not on the scale
    wb.save(ws / "inbox" / "nhap-phieu-da-dien.xlsx")
    result = process_once(load_settings(ws), settle_timeout_s=20)
    [sub] = result.submissions
    assert (sub.kind, sub.status, sub.verdict) == ("survey_entry", "archived", "rejected")
    assert {p["code"] for p in sub.problems} == {"survey.bad_answer", "survey.unanswered"}
    th = {r[0].value: r for r in openpyxl.load_workbook(workbook_path(load_settings(ws)))["TongHop"].iter_rows(min_row=2)
          if r[0].value}
    survey_max = 30
    assert th["09079"][4].value == pytest.approx(survey_max)  # everyone satisfied
    assert 0 < th["09142"][4].value < survey_max
    assert th["09082"][4].value is None  # Yên Bình: not sampled, no survey
    code, out, _ = _run(["submissions", "--json", "--workspace", str(ws)], capsys)
    assert any(r["kind"] == "survey_entry" for r in json.loads(out))
    # a corrected workbook imported by command replaces the earlier import
    wb2 = openpyxl.load_workbook(ws / "luu-tru" / "_dieu-tra" / "v01-nhap-phieu-da-dien.xlsx")
    for row in wb2["NhapPhieu"].iter_rows(min_row=2):
        for cell in row[4:]:
            cell.value = NO_ANSWER if row[1].value == "09142" else ANSWERS[1]
    wb2.save(ws / "sua.xlsx")
    code, out, _ = _run(["survey", "import", str(ws / "sua.xlsx"), "--workspace", str(ws)], capsys)
    assert code == 0 and "Đã nhập 8 phiếu" in out
    assert "Xã Tam Phúc: 0/4 phiếu có trả lời (0%)" in out or "Xã Tam Phúc: 4/4" in out
    th = {r[0].value: r for r in openpyxl.load_workbook(workbook_path(load_settings(ws)))["TongHop"].iter_rows(min_row=2)
          if r[0].value}
    assert th["09142"][4].value == 0
