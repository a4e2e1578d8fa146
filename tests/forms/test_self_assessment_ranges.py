"""The self-assessment form validates each score cell to its criterion's range (a penalty: −max to 0)."""

from __future__ import annotations

import openpyxl
import pytest

from automation.check import check_paths
from automation.config import init_workspace, load_settings
from automation.forms.self_assessment import HEADER_ROW, HELP_SHEET, SCORE_SHEET, write_forms
from automation.scoring.framework import load_framework
from tests.builders import ADJUSTED_FRAMEWORK, framework_workbook


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    root = init_workspace(tmp_path_factory.mktemp("forms") / "ws")
    framework_workbook(root / "templates" / "bo-tieu-chi.xlsx", ADJUSTED_FRAMEWORK)
    return root


def _validations(path) -> dict[str, tuple]:
    """Score cell -> (formula1, formula2, prompt title, prompt, error) of its validation."""
    wb = openpyxl.load_workbook(path)
    out = {}
    for dv in wb[SCORE_SHEET].data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row in range(rng.min_row, rng.max_row + 1):
                out[f"D{row}"] = (dv.formula1, dv.formula2, dv.promptTitle, dv.prompt, dv.error)
    return out


def test_each_row_is_validated_to_its_range(ws):
    settings = load_settings(ws)
    forms = write_forms(settings.path("outbox"), settings, load_framework(ws / "templates" / "bo-tieu-chi.xlsx"))
    path = forms.folder / "tu-cham-xa-kim-xa-2021.xlsx"
    wb = openpyxl.load_workbook(path)
    codes = {r: wb[SCORE_SHEET].cell(r, 1).value for r in range(HEADER_ROW + 1, HEADER_ROW + 6)}
    assert list(codes.values()) == ["1.1", "1.2", "3.1", "3.2", "3.3"]
    found = {codes[int(ref[1:])]: v for ref, v in _validations(path).items()}
    assert {k: v[:2] for k, v in found.items()} == {"1.1": ("0", "20"), "1.2": ("0", "40"), "3.1": ("0", "3"),
                                                    "3.2": ("-2", "0"), "3.3": ("-1.5", "0")}
    assert found["3.2"][2] == "Điểm trừ" and "từ -2 đến 0" in found["3.2"][3] and "số âm" in found["3.2"][4]
    assert found["3.3"][3] == "Ghi số âm từ -1,5 đến 0 (0 khi không bị trừ)."
    assert found["1.1"][2:] == ("Điểm tự chấm", "Nhập điểm từ 0 đến 20.",
                                "Điểm tự chấm phải là số từ 0 đến 20 (điểm tối đa của tiêu chí).")
    guide = "\n".join(str(r[0].value or "") for r in wb[HELP_SHEET].iter_rows())
    assert "Tiêu chí điểm thưởng (3.1)" in guide and "Tiêu chí điểm trừ (3.2, 3.3): ghi số âm" in guide
    assert "Giải trình cách chấm" in guide


def test_a_filled_form_with_a_penalty_and_an_explanation_is_accepted(ws):
    settings = load_settings(ws)
    forms = write_forms(settings.path("outbox"), settings, load_framework(ws / "templates" / "bo-tieu-chi.xlsx"))
    path = forms.folder / "tu-cham-xa-kim-xa-2021.xlsx"
    wb = openpyxl.load_workbook(path)
    sheet = wb[SCORE_SHEET]
    for r, (score, evidence, explanation) in enumerate(
            [(20, "Kế hoạch số 5", ""), (30, "", "Chấm theo số báo cáo gửi đúng hạn"), (0, "", ""),
             (-1, "", "Một công chức bị khiển trách"), (0, "", "")], start=HEADER_ROW + 1):
        sheet.cell(r, 4, score), sheet.cell(r, 5, evidence), sheet.cell(r, 6, explanation)
    filled = ws / "inbox" / "tu-cham-kim-xa.xlsx"
    wb.save(filled)
    [rep] = check_paths([filled], settings)
    assert (rep.kind, rep.unit.code, rep.verdict, rep.problems) == ("workbook", "09079", "accepted", [])
    assert rep.self_assessment.total == 49
    assert rep.self_assessment.lines["3.2"].explanation == "Một công chức bị khiển trách"


def test_the_default_framework_keeps_its_validation(tmp_path, settings):
    fw = load_framework()
    forms = write_forms(tmp_path, settings, fw)
    found = _validations(forms.folder / "tu-cham-xa-kim-xa-2021.xlsx")
    assert len(found) == len(fw.scored)
    for r, crit in enumerate(fw.scored, start=HEADER_ROW + 1):  # the wording the form always had
        shown = str(crit.max_points).replace(".", ",")
        assert found[f"D{r}"] == ("0", str(crit.max_points), "Điểm tự chấm", f"Nhập điểm từ 0 đến {shown}.",
                                  f"Điểm tự chấm phải là số từ 0 đến {shown} (điểm tối đa của tiêu chí)."), crit.code
