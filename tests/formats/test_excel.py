"""Text from communes written with openpyxl stays text, never a formula."""

import openpyxl

from automation.config import default_settings
from automation.formats.excel import append_row
from automation.forms.survey import write_survey_forms
from automation.survey.model import SampledPerson
from automation.survey.questions import load_questions

NASTY = ["=1+1", "=HYPERLINK(\"http://x\",\"y\")", "@SUM(A1)", "+84 912", "-5"]


def test_append_row_keeps_text(tmp_path):
    wb = openpyxl.Workbook()
    append_row(wb.active, [*NASTY, 3.5])
    wb.save(tmp_path / "a.xlsx")
    row = openpyxl.load_workbook(tmp_path / "a.xlsx").active[1]
    assert [(c.value, c.data_type) for c in row] == [*((v, "s") for v in NASTY), (3.5, "n")]


def test_survey_entry_workbook_writes_names_as_text(tmp_path):
    people = [SampledPerson("09079-01", "09079", "Xã Kim Xá", "=1+1", "@địa chỉ", "+84", "-", "=cmd")]
    result = write_survey_forms(tmp_path, default_settings(), load_questions(), people)
    name = openpyxl.load_workbook(result.entry_workbook)["NhapPhieu"]["D2"]
    assert (name.value, name.data_type) == ("=1+1", "s")


def test_append_row_after_many_rows_marks_the_row_it_appended(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["F1"] = "tiêu đề"  # a header cell further right than the rows: the appended row is still found
    for i in range(2, 1201):
        append_row(ws, [f"=A{i}", i, "@x"])
    wb.save(tmp_path / "b.xlsx")
    back = openpyxl.load_workbook(tmp_path / "b.xlsx").active
    assert back.max_row == 1200
    assert [(back.cell(1200, c).value, back.cell(1200, c).data_type) for c in (1, 2, 3)] == \
        [("=A1200", "s"), (1200, "n"), ("@x", "s")]
    assert all(back.cell(r, 1).data_type == "s" for r in range(2, 1201))
