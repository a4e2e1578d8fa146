"""ThamDinh's score column validated to each row's criterion's range: penalty rows take −max to 0."""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from automation.appraisal.workbook import score_validation, write_workbook
from automation.scoring.framework import load_framework, parse_rows
from automation.scoring.table import TONG_HOP, Row, Table, compute_table
from tests.builders import ADJUSTED_FRAMEWORK

FW = parse_rows(ADJUSTED_FRAMEWORK)
PLAIN = "=AND(ISNUMBER(G2),G2>=0,G2<=E2)"


def test_a_framework_without_penalties_keeps_the_plain_rule():
    rule = score_validation(load_framework())
    assert rule["value"] == PLAIN and rule["input_message"] == "Từ 0 đến điểm tối đa (cột E)."
    assert rule["error_message"] == "Nhập số từ 0 đến điểm tối đa của tiêu chí."


def test_penalty_rows_are_told_by_their_code():
    rule = score_validation(FW)
    assert rule["value"] == '=AND(ISNUMBER(G2),IF(OR(C2="3.2",C2="3.3"),AND(G2>=-E2,G2<=0),AND(G2>=0,G2<=E2)))'
    assert "điểm trừ (3.2, 3.3): số âm" in rule["error_message"] and "điểm trừ: từ -(cột E) đến 0" in rule["input_message"]


def test_too_many_penalties_for_one_formula_fall_back_to_a_wider_rule():
    rows = list(ADJUSTED_FRAMEWORK) + [(f"3.{n}", f"Điểm trừ số {n}", 1, "Điểm trừ", "Văn bản") for n in range(4, 40)]
    rule = score_validation(parse_rows(rows))
    assert rule["value"] == "=AND(ISNUMBER(G2),G2>=-E2,G2<=E2)"
    assert len(rule["error_message"]) <= 255 and len(rule["input_message"]) <= 255


def test_the_written_workbook_holds_the_rule_and_the_maxima(tmp_path, settings):
    rows = [Row(u.code, u.full_name, c.code, c.content, c.max_points, self_score=c.min_points)
            for u in list(settings.units)[:2] for c in FW.scored]
    table = compute_table(Table(rows, {}), FW, settings)
    path = write_workbook(tmp_path / "tham-dinh-2021.xlsm", table, FW, settings)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    dv, after = wb["ThamDinh"].data_validations.dataValidation  # the first appraisal, the score after explanation
    assert str(dv.sqref) == f"G2:G{len(rows) + 1}" and 'OR(C2="3.2",C2="3.3")' in dv.formula1
    assert str(after.sqref) == f"J2:J{len(rows) + 1}" and after.formula1 == dv.formula1.replace("G2", "J2")
    notes = [c.value for row in wb[TONG_HOP].iter_rows(min_col=11, max_col=11) for c in row if c.value]
    assert notes[0] == ("Tổng điểm tối đa: 80 (thẩm định 60, điều tra XHH 20). Điểm thưởng tối đa 3, điểm trừ "
                        "tối đa 3.5; tổng điểm không dưới 0 và không vượt 80.")
    assert table.invalid == [] and {r.total for r in table.results} == {Decimal(0)}  # -3.5 floored at 0
