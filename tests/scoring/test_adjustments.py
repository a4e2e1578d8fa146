"""Bonus and penalty criteria (Điểm thưởng, Điểm trừ): the framework, the self-assessment, the index."""

from __future__ import annotations

import subprocess
import sys
import unicodedata
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from automation.scoring.framework import (BONUS, BONUS_PENALTY, PENALTY, FrameworkError, load_framework,
                                          parse_rows)
from automation.scoring.index import FINAL, UnitInput, compute
from automation.scoring.selfassess import read_self_assessment
from tests.builders import ADJUSTED_FRAMEWORK, self_assessment_workbook

ROOT = Path(__file__).resolve().parents[2]
PRESET = ROOT / "automation" / "data" / "presets" / "phu-tho" / "bo-tieu-chi.xlsx"
FW = parse_rows(ADJUSTED_FRAMEWORK)


# --- the framework --------------------------------------------------------------------------------

def test_bonus_and_penalty_leaves_are_scored_and_outside_the_scale():
    assert [c.code for c in FW.scored] == ["1.1", "1.2", "3.1", "3.2", "3.3"]
    assert [c.code for c in FW.survey] == ["2.1"]
    assert (FW.total_max, FW.appraisal_max, FW.survey_max, FW.bonus_max, FW.penalty_max) == (80, 60, 20, 3, D("3.5"))
    assert [c.method for c in FW.adjustments] == [BONUS, PENALTY, PENALTY]  # "ĐIỂM TRỪ" read as Điểm trừ
    assert FW.by_code["3"].method == BONUS_PENALTY and FW.by_code["3"].is_adjustment
    assert FW.by_code["3.2"].range == (D(-2), D(0)) and FW.by_code["3.2"].range_text == "từ -2 đến 0"
    assert FW.by_code["3.3"].range_text == "từ -1,5 đến 0" and FW.by_code["3.3"].min_points == D("-1.5")
    assert FW.by_code["3.1"].range == (D(0), D(3)) and FW.by_code["1.2"].range_text == "từ 0 đến 40"


def test_method_variants_in_case_and_diacritics():
    nfd = unicodedata.normalize("NFD", "điểm thưởng")
    rows = [r if r[0] != "3.1" else (*r[:3], nfd, r[4]) for r in ADJUSTED_FRAMEWORK]
    rows = [r if r[0] != "3.2" else (*r[:3], "Diem tru", r[4]) for r in rows]
    fw = parse_rows(rows)
    assert [fw.by_code[c].method for c in ("3.1", "3.2")] == [BONUS, PENALTY]


def _error(*changed) -> str:
    rows = list(ADJUSTED_FRAMEWORK)
    for new in changed:
        rows = [new if r[0] == new[0] else r for r in rows] if any(r[0] == new[0] for r in rows) else rows + [new]
    with pytest.raises(FrameworkError) as info:
        parse_rows(rows)
    return str(info.value)


def test_the_maximum_of_a_bonus_and_penalty_parent_is_its_bonus_sum():
    text = _error(("3", "Điểm thưởng, điểm trừ", 6.5, "Điểm thưởng, điểm trừ", ""))  # 3 + 2 + 1,5
    assert "mã 3)" in text and "điểm thưởng con cộng lại 3" in text and "điểm trừ không cộng" in text


def test_mixing_regular_and_bonus_children_is_an_error():
    text = _error(("1.3", "Sáng kiến", 1, "Điểm thưởng", "Quyết định"))
    assert "mã 1)" in text and "tách điểm thưởng, điểm trừ thành một tiêu chí riêng" in text


def test_parent_and_leaf_marks_must_agree():
    text = _error(("3", "Điểm thưởng, điểm trừ", 3, "Thẩm định", ""))
    assert "mã 3)" in text and "tiêu chí cha của các tiêu chí điểm thưởng/điểm trừ" in text
    text = _error(("1", "Công tác chỉ đạo, điều hành", 60, "Điểm trừ", ""))
    assert "mã 1)" in text and "không phải điểm thưởng/điểm trừ" in text
    text = _error(("3.1", "Sáng kiến", 3, "Điểm thưởng, điểm trừ", "Quyết định"))
    assert "mã 3.1)" in text and "“Điểm thưởng” hoặc “Điểm trừ”" in text
    text = _error(("3.1", "Sáng kiến", 3, "Cộng điểm", "Quyết định"))
    assert "Cộng điểm" in text and "Điểm thưởng" in text and "Điểm trừ" in text


def test_the_default_framework_has_no_bonus_or_penalty():
    fw = load_framework()
    assert fw.adjustments == [] and fw.bonus_max == fw.penalty_max == 0
    assert fw.total_max == 100 and fw.appraisal_max + fw.survey_max == 100
    assert all(c.range == (0, c.max_points) for c in fw.scored)


def test_the_preset_framework_loads_with_bonus_and_penalty_on_100_points(tmp_path):
    from automation.survey.questions import load_questions

    fw = load_framework(PRESET)
    assert fw.sample and "BỘ TIÊU CHÍ MẪU" in fw.note and "5666/QĐ-UBND" in fw.note
    assert fw.total_max == 100 and len(fw.top) == 9
    assert [c.content for c in fw.top][:1] == ["Công tác chỉ đạo, điều hành cải cách hành chính"]
    assert fw.top[-1].is_adjustment and fw.top[-1].max_points == fw.bonus_max > 0 and fw.penalty_max > 0
    assert {c.method for c in fw.adjustments} == {BONUS, PENALTY}
    assert all(c.evidence for c in fw.leaves)
    questions = load_questions(PRESET, fw)
    assert questions.sample and {q.criterion for q in questions.questions} == {c.code for c in fw.survey}
    assert "Bộ phận một cửa" not in " ".join(q.text for q in questions.questions)
    out = tmp_path / "bo-tieu-chi.xlsx"
    for _ in range(2):
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_framework.py"), "--preset", "phu-tho", str(out)],
                       check=True, capture_output=True, cwd=tmp_path)
    assert out.read_bytes() == PRESET.read_bytes()


# --- the self-assessment --------------------------------------------------------------------------

IN_RANGE = {"1.1": 20, "1.2": 30, "3.1": 2, "3.2": -2, "3.3": 0}


def _read(tmp_path, scores, evidence=None):
    path = self_assessment_workbook(tmp_path / "tu-cham.xlsx", "Xã Kim Xá", "09079", FW.scored,
                                    {**IN_RANGE, **scores}, evidence)
    return read_self_assessment(path, FW)


def test_penalties_and_bonuses_in_range_are_accepted(tmp_path):
    sa, problems = _read(tmp_path, {})
    assert problems == [] and sa.total == D(50)  # 20 + 30 + 2 - 2 + 0
    assert sa.lines["3.2"].self_score == D(-2)


def test_a_positive_penalty_and_a_penalty_below_its_minimum(tmp_path):
    sa, problems = _read(tmp_path, {"3.2": 1, "3.3": -2})
    assert [p.code for p in problems] == ["score.penalty_positive", "score.below_min"]
    positive, below = problems
    assert "3.2" in positive.message and "điểm trừ" in positive.message and "từ -2 đến 0" in positive.fix
    assert "3.3" in below.message and "-2" in below.message and "1,5" in below.message
    assert below.fix == "Ghi điểm trừ từ -1,5 đến 0."
    assert all(p.severity.value == "error" for p in problems)
    assert sa.total == D(52)  # the two invalid scores count nothing


def test_a_negative_bonus_and_a_bonus_above_its_maximum(tmp_path):
    _, problems = _read(tmp_path, {"3.1": -1})
    assert [p.code for p in problems] == ["score.negative"]
    _, problems = _read(tmp_path, {"3.1": 4})
    assert [p.code for p in problems] == ["score.above_max"] and "vượt điểm tối đa 3" in problems[0].message


def test_a_penalty_needs_evidence_or_an_explanation(tmp_path):
    bare = {c.code: "" for c in FW.scored}
    _, problems = _read(tmp_path, {"3.2": -1}, bare)
    flagged = {p.params["code"] for p in problems if p.code == "score.evidence_missing"}
    assert flagged == {"1.1", "1.2", "3.1", "3.2"}  # 3.3 scored 0 needs nothing


def test_the_explanation_column_may_be_called_giai_trinh_cach_cham(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TuDanhGia"
    ws.append(["BIỂU TỰ ĐÁNH GIÁ"])
    ws.append(["Mã đơn vị:", "09079"])
    ws.append(["Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Tài liệu kiểm chứng",
               "Giải trình cách chấm"])
    for c in FW.scored:
        ws.append([c.code, c.content, float(c.max_points), IN_RANGE[c.code], "",
                   f"Cách chấm tiêu chí {c.code}" if IN_RANGE[c.code] else ""])
    wb.save(tmp_path / "a.xlsx")
    sa, problems = read_self_assessment(tmp_path / "a.xlsx", FW)
    assert problems == [] and sa.lines["3.2"].explanation == "Cách chấm tiêu chí 3.2"


# --- the index ------------------------------------------------------------------------------------

def _unit(code, appraised, survey):
    scores = {k: D(str(v)) for k, v in appraised.items()}
    return UnitInput(code, f"Xã {code}", dict(scores), dict(scores), D(str(survey)), has_self_assessment=True)


def test_the_index_is_on_the_framework_total_with_penalties_cap_and_floor():
    res = {r.code: r for r in compute(FW, [
        _unit("A", {"1.1": 20, "1.2": 40, "3.1": 3, "3.2": 0, "3.3": 0}, 20),  # 83 capped at 80
        _unit("B", {"1.1": 10, "1.2": 20, "3.1": 0, "3.2": -2, "3.3": -1.5}, 10),  # 36.5 / 80 = 45.625
        _unit("C", {"1.1": 0, "1.2": 0, "3.1": 0, "3.2": -2, "3.3": 0}, 0),  # -2 floored at 0
    ])}
    assert (res["A"].appraised_total, res["A"].total, res["A"].index, res["A"].rank) == (63, 80, D("100.00"), 1)
    assert (res["B"].self_total, res["B"].total, res["B"].index) == (D("26.5"), D("36.5"), D("45.63"))
    assert (res["C"].appraised_total, res["C"].total, res["C"].index, res["C"].rank) == (-2, 0, D("0.00"), 3)
    assert all(r.status == FINAL for r in res.values())


# --- the appraisal table's ranges -----------------------------------------------------------------

def test_compute_table_takes_each_criterion_range(settings):
    from automation.scoring.table import Row, Table, compute_table

    unit = settings.units.units[0]

    def row(code, own, council):
        c = FW.by_code[code]
        return Row(unit.code, unit.full_name, code, c.content, c.max_points, self_score=D(own), appraised=D(council))

    table = compute_table(Table([row("1.1", 20, 15), row("1.2", 40, 41), row("3.1", 3, 3), row("3.2", -1, 1),
                                 row("3.3", "-1.5", "-2")], {unit.code: D(10)}), FW, settings)
    assert table.invalid == [
        f"{unit.full_name}, tiêu chí 1.2: điểm thẩm định “41” không hợp lệ (0 – 40), chưa được tính",
        f"{unit.full_name}, tiêu chí 3.2: điểm thẩm định “1” không hợp lệ (-2 – 0), chưa được tính",
        f"{unit.full_name}, tiêu chí 3.3: điểm thẩm định “-2” không hợp lệ (-1.5 – 0), chưa được tính"]
    [res] = [r for r in table.results if r.code == unit.code]
    # 15 + 40 (self, not appraised validly) + 3 - 1 (self) - 1.5 (self) + 10 survey
    assert (res.self_total, res.appraised_total, res.total, res.index) == (D("60.5"), D("55.5"), D("65.5"),
                                                                          D("81.88"))
