"""Survey points per unit: hand-computed examples, half-up rounding, response rate, and speed."""

from __future__ import annotations

import random
import time
from decimal import Decimal

import openpyxl
import pytest

from automation.scoring.framework import APPRAISAL, SURVEY, Criterion, Framework
from automation.survey.entry import ImportedForm, read_entry_workbook
from automation.survey.model import (ANSWERS, DISSATISFIED, ENTRY_SHEET, FORM_CODE, NEUTRAL, NO_ANSWER, SATISFIED,
                                     VERY_DISSATISFIED, VERY_SATISFIED, Question, SampledPerson)
from automation.survey.points import UnitSurvey, criterion_points, survey_points


def framework(*survey: tuple[str, str]) -> Framework:
    crits = [Criterion("1.1", "Ban hành văn bản", Decimal(3), APPRAISAL)]
    crits += [Criterion(code, f"Hài lòng {code}", Decimal(mx), SURVEY) for code, mx in survey]
    return Framework(crits)


def people(unit: str, n: int) -> list[SampledPerson]:
    return [SampledPerson(f"{unit}-{i:02d}", unit, f"Xã {unit}", f"Người {i}", "", "", "", "") for i in range(1, n + 1)]


def forms_of(unit: str, *answer_sets: dict) -> list[ImportedForm]:
    return [ImportedForm(f"{unit}-{i:02d}", i + 1, dict(a)) for i, a in enumerate(answer_sets, start=1)]


Q = [Question("CH01", "", "7.1"), Question("CH02", "", "7.1"), Question("CH03", "", "7.2")]


# --- hand-computed examples ---------------------------------------------------------------------

def test_three_positive_of_four_answers():
    fw = framework(("7.1", "4"), ("7.2", "2"))
    forms = forms_of("A", {"CH01": VERY_SATISFIED, "CH03": SATISFIED}, {"CH01": SATISFIED, "CH03": SATISFIED},
                     {"CH01": SATISFIED}, {"CH01": NEUTRAL})
    result = survey_points(fw, [Q[0], Q[2]], people("A", 5), forms)
    unit = result["A"]
    assert unit.by_criterion == {"7.1": Decimal("3.00"), "7.2": Decimal("2.00")}  # 4 × 3/4; 2 × 2/2
    assert unit.points == Decimal("5.00")
    assert unit.warnings == []
    assert (unit.sampled, unit.responded) == (5, 4)


def test_no_answer_is_excluded_from_the_denominator():
    fw = framework(("7.1", "4"))
    forms = forms_of("A", {"CH01": SATISFIED}, {"CH01": NO_ANSWER}, {"CH01": DISSATISFIED}, {"CH01": NO_ANSWER})
    unit = survey_points(fw, Q[:1], people("A", 4), forms)["A"]
    assert unit.by_criterion["7.1"] == Decimal("2.00")  # 4 × 1/2, the two “Không trả lời” not counted
    assert unit.responded == 4  # a form answered “Không trả lời” was still answered


def test_only_no_answer_gives_zero_with_a_warning():
    fw = framework(("7.1", "4"), ("7.2", "2"))
    forms = forms_of("A", {"CH01": SATISFIED, "CH03": NO_ANSWER}, {"CH01": SATISFIED, "CH03": NO_ANSWER})
    unit = survey_points(fw, Q, people("A", 2), forms)["A"]
    assert unit.by_criterion == {"7.1": Decimal("4.00"), "7.2": Decimal("0.00")}
    assert unit.points == Decimal("4.00")
    assert unit.warnings == ["Tiêu chí 7.2: chưa có câu trả lời nào, tính 0 điểm"]


def test_criterion_without_questions_gives_zero_with_a_warning():
    fw = framework(("7.1", "4"), ("7.3", "1"))
    unit = survey_points(fw, Q, people("A", 1), forms_of("A", {"CH01": SATISFIED}))["A"]
    assert unit.by_criterion["7.3"] == Decimal("0.00")
    assert unit.warnings == ["Tiêu chí 7.3: không có câu hỏi nào gắn với tiêu chí, tính 0 điểm"]


def test_two_questions_of_one_criterion_are_pooled():
    fw = framework(("7.1", "3"))
    # CH01: 2 positive of 2; CH02: 0 positive of 2 -> pooled 2 of 4 (not the mean of per-question shares
    # weighted otherwise): 3 × 2/4 = 1.50
    forms = forms_of("A", {"CH01": VERY_SATISFIED, "CH02": VERY_DISSATISFIED},
                     {"CH01": SATISFIED, "CH02": NEUTRAL}, {"CH02": NO_ANSWER})
    unit = survey_points(fw, Q[:2], people("A", 3), forms)["A"]
    assert unit.by_criterion["7.1"] == Decimal("1.50")
    # 3 answers for CH01 (all positive), 1 for CH02 (negative): pooled 3/4 -> 2.25 (per-question mean would be 1.5)
    forms = forms_of("A", {"CH01": SATISFIED, "CH02": DISSATISFIED}, {"CH01": SATISFIED}, {"CH01": SATISFIED})
    assert survey_points(fw, Q[:2], people("A", 3), forms)["A"].by_criterion["7.1"] == Decimal("2.25")


def test_every_answer_of_the_scale():
    fw = framework(("7.1", "6"))
    forms = forms_of("A", *({"CH01": a} for a in ANSWERS))
    unit = survey_points(fw, Q[:1], people("A", 6), forms)["A"]
    assert unit.by_criterion["7.1"] == Decimal("2.40")  # 6 × 2/5


def test_units_are_kept_apart_and_units_without_forms_listed():
    fw = framework(("7.1", "4"))
    ppl = people("A", 2) + people("B", 3) + people("C", 1)
    forms = forms_of("A", {"CH01": SATISFIED}, {"CH01": DISSATISFIED}) + forms_of("B", {"CH01": SATISFIED})
    result = survey_points(fw, Q[:1], ppl, forms)
    assert list(result) == ["A", "B", "C"]
    assert result["A"].by_criterion["7.1"] == Decimal("2.00")
    assert result["B"].by_criterion["7.1"] == Decimal("4.00")
    assert result["C"] == UnitSurvey("C", 1, 0, Decimal("0.00"), {"7.1": Decimal("0.00")},
                                     ["Tiêu chí 7.1: chưa có câu trả lời nào, tính 0 điểm"])


def test_forms_of_nobody_sampled_and_repeated_forms_are_ignored():
    fw = framework(("7.1", "4"))
    forms = forms_of("A", {"CH01": SATISFIED}) + [ImportedForm("Z-01", 9, {"CH01": DISSATISFIED}),
                                                  ImportedForm("A-01", 10, {"CH01": DISSATISFIED})]
    unit = survey_points(fw, Q[:1], people("A", 2), forms)["A"]
    assert (unit.responded, unit.by_criterion["7.1"]) == (1, Decimal("4.00"))


def test_questions_of_other_criteria_and_unknown_questions_do_not_count():
    fw = framework(("7.1", "4"))
    questions = Q[:1] + [Question("CH09", "", "1.1")]  # mapped to an appraisal criterion
    forms = forms_of("A", {"CH01": SATISFIED, "CH09": DISSATISFIED, "CH77": DISSATISFIED})
    assert survey_points(fw, questions, people("A", 1), forms)["A"].by_criterion == {"7.1": Decimal("4.00")}


# --- response rate ------------------------------------------------------------------------------

def test_response_rate():
    fw = framework(("7.1", "4"))
    forms = forms_of("A", {"CH01": SATISFIED}, {}, {"CH01": NO_ANSWER}, {})
    unit = survey_points(fw, Q[:1], people("A", 5), forms)["A"]
    assert (unit.sampled, unit.responded) == (5, 2)
    assert unit.response_rate == Decimal("0.4")
    assert UnitSurvey("X", 0, 0, Decimal(0)).response_rate == Decimal(0)
    assert UnitSurvey("X", 3, 1, Decimal(0)).response_rate.quantize(Decimal("0.0001")) == Decimal("0.3333")


# --- rounding -----------------------------------------------------------------------------------

def test_rounding_half_up_to_two_decimals():
    assert criterion_points(Decimal("2.5"), 1, 3) == Decimal("0.83")  # 0.8333…
    assert criterion_points(Decimal("2.5"), 2, 3) == Decimal("1.67")  # 1.6666…
    assert criterion_points(Decimal("1.01"), 1, 2) == Decimal("0.51")  # 0.505 exactly: half up (half-even: 0.50)
    assert criterion_points(Decimal("0.25"), 1, 2) == Decimal("0.13")  # 0.125 exactly
    assert criterion_points(Decimal("4"), 0, 0) == Decimal("0.00")
    assert str(criterion_points(Decimal("4"), 3, 4)) == "3.00"


def test_unit_total_is_the_sum_of_rounded_criterion_points():
    fw = framework(("7.1", "2.5"), ("7.2", "2.5"))
    # each criterion 2.5 × 1/3 = 0.8333… -> 0.83; total 1.66 (rounding the exact sum would give 1.67)
    forms = forms_of("A", {"CH01": SATISFIED, "CH03": SATISFIED}, {"CH01": NEUTRAL, "CH03": NEUTRAL},
                     {"CH01": NEUTRAL, "CH03": NEUTRAL})
    unit = survey_points(fw, [Q[0], Q[2]], people("A", 3), forms)["A"]
    assert unit.by_criterion == {"7.1": Decimal("0.83"), "7.2": Decimal("0.83")}
    assert unit.points == Decimal("1.66")


def test_rounding_of_a_point_five_in_a_unit():
    fw = framework(("7.1", "1.01"))
    forms = forms_of("A", {"CH01": SATISFIED}, {"CH01": DISSATISFIED})
    assert survey_points(fw, Q[:1], people("A", 2), forms)["A"].points == Decimal("0.51")


# --- end to end and speed -----------------------------------------------------------------------

def test_import_and_points_end_to_end(tmp_path):
    fw = framework(("7.1", "4"), ("7.2", "2"))
    ppl = people("A", 3)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = ENTRY_SHEET
    ws.append([FORM_CODE, "Mã đơn vị", "Đơn vị", "Họ và tên", "CH01", "CH02", "CH03"])
    ws.append(["A-01", "A", "Xã A", "Người 1", "hài lòng", "BÌNH THƯỜNG", "Rất hài lòng"])
    ws.append(["A-02", "A", "Xã A", "Người 2", "Không trả lời", "Rat hai long", "Không hài lòng"])
    ws.append(["A-03", "A", "Xã A", "Người 3"])
    wb.save(tmp_path / "nhap.xlsx")
    imported = read_entry_workbook(tmp_path / "nhap.xlsx", {p.form_code for p in ppl}, Q)
    assert [p.code for p in imported.problems] == ["survey.unanswered"]
    unit = survey_points(fw, Q, ppl, imported.forms)["A"]
    assert (unit.sampled, unit.responded) == (3, 2)
    assert unit.by_criterion == {"7.1": Decimal("2.67"), "7.2": Decimal("1.00")}  # 4 × 2/3; 2 × 1/2
    assert unit.points == Decimal("3.67")


def test_speed_4500_forms(tmp_path):
    """150 units × 30 answered forms, 15 questions: import + points well within 5 s (bound 15 s)."""
    units = [f"{9000 + i:05d}" for i in range(150)]
    ppl = [p for u in units for p in people(u, 30)]
    questions = [Question(f"CH{i:02d}", "", f"7.{(i - 1) // 3 + 1}") for i in range(1, 16)]
    fw = framework(*((f"7.{k}", "2") for k in range(1, 6)))
    rnd = random.Random(7)
    variants = [*ANSWERS, "hài lòng", " RẤT HÀI LÒNG ", "Rat hai long"]
    path = tmp_path / "nhap.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet(ENTRY_SHEET)
    ws.append([FORM_CODE, "Mã đơn vị", "Đơn vị", "Họ và tên", *(q.code for q in questions)])
    for p in ppl:
        ws.append([p.form_code, p.unit_code, p.unit_name, p.name,
                   *(rnd.choice(variants) if rnd.random() > 0.05 else None for _ in questions)])
    wb.save(path)

    start = time.perf_counter()
    imported = read_entry_workbook(path, {p.form_code for p in ppl}, questions)
    read_s = time.perf_counter() - start
    result = survey_points(fw, questions, ppl, imported.forms)
    total_s = time.perf_counter() - start
    print(f"\nimport {len(imported.forms)} forms: {read_s:.2f} s; with points for {len(result)} units: {total_s:.2f} s")
    assert len(imported.forms) == 4500 and imported.problems == []
    assert len(result) == 150 and all(u.sampled == 30 and u.responded == 30 for u in result.values())
    assert all(Decimal(0) <= u.points <= Decimal(10) for u in result.values())
    assert total_s < 15
