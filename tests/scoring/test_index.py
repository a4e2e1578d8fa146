from decimal import Decimal as D

from automation.scoring.framework import parse_rows
from automation.scoring.index import FINAL, NO_SELF_ASSESSMENT, NO_SURVEY, PROVISIONAL, UnitInput, compute

ROWS = [("Mã tiêu chí", "Nội dung", "Điểm tối đa", "Cách đánh giá", "Tài liệu kiểm chứng"),
        ("1", "Chỉ đạo điều hành", 30, "Thẩm định", ""),
        ("1.1", "Kế hoạch", 10, "Thẩm định", "Kế hoạch"),
        ("1.2", "Báo cáo", 20, "Thẩm định", "Báo cáo"),
        ("2", "Một cửa", 40, "Thẩm định", ""),
        ("2.1", "Niêm yết", 40, "Thẩm định", "Ảnh"),
        ("3", "Hài lòng", 30, "Điều tra XHH", ""),
        ("3.1", "Sự hài lòng", 30, "Điều tra XHH", "")]
FW = parse_rows(ROWS)


def unit(code, name, self_scores=None, appraised=None, survey=None):
    return UnitInput(code, name, {k: D(v) for k, v in (self_scores or {}).items()},
                     {k: D(v) for k, v in (appraised or {}).items()},
                     None if survey is None else D(survey), has_self_assessment=self_scores is not None)


def test_framework_totals():
    assert FW.total_max == 100 and FW.appraisal_max == 70 and FW.survey_max == 30
    assert [c.code for c in FW.scored] == ["1.1", "1.2", "2.1"] and [c.code for c in FW.survey] == ["3.1"]


def test_index_status_and_half_up_rounding():
    full = {"1.1": "10", "1.2": "20", "2.1": "40"}
    res = {r.code: r for r in compute(FW, [
        unit("A", "Xã A", full, full, "25.005"),  # 95.005 -> 95.01 half up
        unit("B", "Xã B", full, {"1.1": "5"}),  # 1.2 and 2.1 count their self-scores
        unit("C", "Xã C", full, full),
        unit("D", "Xã D"),
    ])}
    assert res["A"].index == D("95.01") and res["A"].status == FINAL
    assert res["B"].appraised_total == D("65") and res["B"].status == PROVISIONAL and res["B"].index == D("65.00")
    assert res["C"].status == NO_SURVEY and res["C"].survey is None
    assert res["D"].status == NO_SELF_ASSESSMENT and res["D"].index == D("0.00")


def test_ties_share_a_rank_in_vietnamese_order():
    s = {"1.1": "10", "1.2": "10", "2.1": "10"}
    res = compute(FW, [unit("1", "Xã Đại Đồng", s), unit("2", "Xã Dương", s), unit("3", "Xã Ân", s),
                       unit("4", "Xã Bồ Sao", {"1.1": "10", "1.2": "20", "2.1": "40"}), unit("5", "Xã Vũ Di")])
    assert [(r.name, r.rank) for r in res] == [("Xã Bồ Sao", 1), ("Xã Ân", 2), ("Xã Dương", 2),
                                               ("Xã Đại Đồng", 2), ("Xã Vũ Di", 5)]
