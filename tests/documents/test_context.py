"""The data of the four document templates: Vietnamese formatting and what each builder supplies."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal as D

import pytest

from automation.config import default_settings
from automation.documents import context as ctx
from automation.ledger.records import ARCHIVED, QUARANTINED, SUPERSEDED, Submission
from automation.problems import UsageError
from automation.scoring.table import Row, Table
from automation.scoring.framework import parse_rows
from automation.scoring.index import UnitInput, compute
from automation.units import UnitRegistry

FW = parse_rows([("Mã tiêu chí", "Nội dung", "Điểm tối đa", "Cách đánh giá", "Tài liệu kiểm chứng"),
                 ("1", "Chỉ đạo điều hành", 30, "Thẩm định", ""),
                 ("1.1", "Kế hoạch CCHC năm", 10, "Thẩm định", ""),
                 ("1.2", "Báo cáo CCHC định kỳ", 20, "Thẩm định", ""),
                 ("2", "Một cửa", 40, "Thẩm định", ""),
                 ("2.1", "Niêm yết công khai TTHC", 40, "Thẩm định", ""),
                 ("3", "Hài lòng", 30, "Điều tra XHH", ""),
                 ("3.1", "Sự hài lòng của người dân", 30, "Điều tra XHH", "")])
# unit index in the 2021 list -> (self-scores 1.1, 1.2, 2.1; appraised; survey); None: not appraised
SCORES = {0: (("9.5", "18", "36"), ("9", "17.5", "35.5"), "25.5"),  # Thị trấn Vĩnh Tường 87,5
          1: (("10", "20", "40"), ("10", "19.5", "39.5"), "28"),  # Xã Kim Xá 97
          2: (("8", "15.25", "30"), ("7.5", "14.75", None), None),  # Xã Yên Bình, provisional
          3: (("7", "16", "35"), ("6.5", "15.5", "34.5"), "20.38")}  # Xã Chấn Hưng 76,88
TODAY = dt.date(2021, 10, 20)


def small_settings(**documents):
    """The 2021 defaults with their first four units; ``documents`` overrides fields of [documents]."""
    s = default_settings()
    # with a parent body line (the default has none, as UBND headers usually do not): both layouts are tested
    s = dataclasses.replace(s, units=UnitRegistry(list(s.units)[:4]),
                            authority=dataclasses.replace(s.authority, parent_body="UBND tỉnh Vĩnh Phúc"))
    if documents:
        s = dataclasses.replace(s, documents=dataclasses.replace(s.documents, **documents))
    return s


def small_table(settings) -> Table:
    rows, inputs = [], []
    for i, unit in enumerate(settings.units):
        own, council, survey = SCORES[i]
        u = UnitInput(unit.code, unit.full_name, has_self_assessment=True,
                      survey=D(survey) if survey else None)
        for crit, a, b in zip(FW.scored, own, council):
            u.self_scores[crit.code] = D(a)
            u.appraised[crit.code] = D(b) if b else None
            rows.append(Row(unit.code, unit.full_name, crit.code, crit.content, crit.max_points, D(a),
                            D(b) if b else None, f"Nhận xét {crit.code}" if b else ""))
        inputs.append(u)
    table = Table(rows, {})
    table.results = compute(FW, inputs)
    return table


def submissions(settings) -> list[Submission]:
    codes = [u.code for u in settings.units]
    at = lambda m, d: dt.datetime(2021, m, d, 9, 30)  # noqa: E731
    return [
        Submission(1, "a", "ds.doc", codes[0], "respondent_list", 1, ARCHIVED, "ok", received_at=at(10, 25),
                   on_time=True),
        Submission(2, "b", "ds.doc", codes[1], "respondent_list", 1, SUPERSEDED, "ok", received_at=at(11, 2),
                   on_time=False),
        Submission(3, "c", "ds2.doc", codes[1], "respondent_list", 2, ARCHIVED, "ok", received_at=at(11, 3),
                   on_time=False),
        Submission(4, "d", "ds.doc", codes[2], "respondent_list", None, QUARANTINED, "error", received_at=at(10, 26)),
        Submission(5, "e", "tc.xlsx", codes[0], "workbook", 1, ARCHIVED, "ok", received_at=at(11, 10), on_time=True),
        Submission(6, "f", "bc.docx", codes[0], "report", 1, ARCHIVED, "ok", received_at=at(11, 10), on_time=True),
        Submission(7, "g", "1.1.pdf", codes[3], "evidence", 1, ARCHIVED, "ok", received_at=at(12, 15), on_time=False),
    ]


# --- formatting -----------------------------------------------------------------------------------

def test_dates_follow_the_decree():
    assert ctx.long_date(dt.date(2022, 1, 5)) == "ngày 05 tháng 01 năm 2022"
    assert ctx.long_date(dt.date(2022, 2, 28)) == "ngày 28 tháng 02 năm 2022"
    assert ctx.long_date(dt.date(2022, 3, 5)) == "ngày 05 tháng 3 năm 2022"  # months 3-12 without a 0
    assert ctx.long_date(dt.date(2021, 10, 20)) == "ngày 20 tháng 10 năm 2021"
    assert ctx.day(dt.date(2021, 11, 5)) == "05/11/2021"


def test_numbers_take_a_decimal_comma():
    # one style for every score and index: always [documents] decimals (2) decimals
    assert ctx.points(D("87.380")) == "87,38" and ctx.points(D("2")) == "2,00" and ctx.points(D("1.50")) == "1,50"
    assert ctx.points(D("0.125")) == "0,13" and ctx.points(7) == "7,00" and ctx.points(D("87.6")) == "87,60"
    assert ctx.points(D("87.6"), 1) == "87,6" and ctx.percent(D("90.1")) == "90,10"
    assert ctx.points(None) == "" and ctx.points("chưa chấm") == "chưa chấm"
    assert ctx.percent(D("90")) == "90,00" and ctx.percent(D("87.375")) == "87,38"


# --- common -----------------------------------------------------------------------------------------

def test_common_header_and_signature():
    c = ctx.common(small_settings(), "plan", draft=True, today=dt.date(2022, 1, 5))
    assert c["co_quan_ban_hanh"] == "ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG"
    assert c["co_quan_chu_quan"] == "UBND TỈNH VĨNH PHÚC"
    assert c["so_ky_hieu"] == f"Số: {' ' * 6}/KH-UBND"  # no number yet: room for the registry's
    assert c["dia_danh_ngay"] == "Vĩnh Tường, ngày 05 tháng 01 năm 2022"
    assert c["quyen_han"] == "TM. ỦY BAN NHÂN DÂN" and c["chuc_vu"] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert c["nguoi_ky"] == "Hoàng Tuấn Tam" and c["luu"] == "NV" and c["nam"] == "2021" and c["du_thao"] is True
    assert c["noi_nhan"][0] == "TT Huyện ủy (b/c)" and len(c["noi_nhan"]) == 6
    assert (c["co_quan"], c["cap"], c["dia_ban"], c["thuong_truc"]) == \
        ("UBND huyện", "huyện", "huyện Vĩnh Tường", "Phòng Nội vụ")


@pytest.mark.parametrize("kind, number, expected", [
    ("plan", "5", "Số: 05/KH-UBND"), ("notice", "15", "Số: 15/TB-UBND"), ("report", "120", "Số: 120/BC-UBND"),
    ("decision", "07", "Số: 07/QĐ-UBND")])
def test_number_and_symbol(kind, number, expected):
    s = small_settings(numbers={"plan": "", "report": "", "decision": "", "notice": "", kind: number})
    assert ctx.common(s, kind, draft=False, today=TODAY)["so_ky_hieu"] == expected


def test_recipient_lines_are_cleaned():
    s = small_settings(recipients={"plan": ("- Như trên;", "UBND tỉnh (b/c).", " ", "Lưu trữ"), "report": (),
                                   "decision": (), "notice": ()})
    assert ctx.common(s, "plan", draft=False, today=TODAY)["noi_nhan"] == ["Như trên", "UBND tỉnh (b/c)", "Lưu trữ"]


def test_parentless_body_has_no_parent_line():
    s = small_settings()
    s = dataclasses.replace(s, authority=dataclasses.replace(s.authority, parent_body=""))
    assert ctx.common(s, "plan", draft=False, today=TODAY)["co_quan_chu_quan"] == ""


# --- the builders -------------------------------------------------------------------------------------

def all_contexts(settings=None, draft=False):
    s = settings or small_settings()
    table = small_table(s)
    return {"plan": ctx.plan_context(s, today=TODAY, draft=draft),
            "notice": ctx.notice_context(s, table, list(s.units)[2].code, today=TODAY, draft=draft),
            "report": ctx.report_context(s, table, submissions(s), today=dt.date(2022, 2, 20), draft=draft),
            "decision": ctx.decision_context(s, table, today=dt.date(2022, 3, 5), draft=draft)}


def test_each_builder_supplies_exactly_its_variables():
    for kind, c in all_contexts().items():
        assert set(c) == ctx.supplied_variables(kind), kind
    assert set(ctx.TEMPLATES) == set(ctx.VARIABLES)
    with pytest.raises(UsageError):
        ctx.supplied_variables("memo")


def _strings_only(value, where="ctx"):
    """Every leaf is a string, except the flags the templates test."""
    if isinstance(value, dict):
        for k, v in value.items():
            _strings_only(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _strings_only(v, f"{where}[{i}]")
    else:
        assert isinstance(value, str) or where.rsplit(".", 1)[-1] in ("du_thao", "chinh_thuc", "co_xep_loai"), where


def test_values_are_strings_for_readers():
    for kind, c in all_contexts().items():
        _strings_only(c, kind)


def test_plan_takes_every_date_from_the_settings():
    c = ctx.plan_context(small_settings(), today=TODAY, draft=True)
    assert c["ngay"]["self_assessment_open"] == "05/11/2021" and c["ngay"]["self_assessment"] == "16/11/2021"
    assert c["han"]["self_assessment"] == "đến hết ngày 16/11/2021"
    assert [c["han"][k] for k in ("respondent_list", "supplementary_evidence", "appraisal", "survey",
                                  "combined_results", "final_report")] == \
        ["trước ngày 30/10/2021", "trước ngày 10/12/2021", "trước ngày 15/01/2022", "trước ngày 15/01/2022",
         "trước ngày 11/02/2022", "trước ngày 25/02/2022"]
    assert c["cong_bo"] == "trong Quý I/2022"
    assert (c["so_nguoi"], c["ds_tu_ngay"], c["ds_den_ngay"]) == ("30", "01/01/2021", "15/10/2021")
    assert c["qd_tieu_chi_so"] == "Quyết định số 2757/QĐ-UBND ngày 18/10/2017 của UBND tỉnh"
    assert c["qd_tieu_chi_rut_gon"].endswith("về việc ban hành chỉ số CCHC các cơ quan, đơn vị tỉnh Vĩnh Phúc")
    assert c["co_quan_day_du"] == "Ủy ban nhân dân huyện" and c["thuong_truc_thuong"] == "phòng Nội vụ"


def test_plan_follows_another_year():
    s = small_settings(publication="")
    deadlines = {k: dataclasses.replace(d, date=d.date.replace(year=d.date.year + 4)) for k, d in s.deadlines.items()}
    s = dataclasses.replace(s, year=2025, deadlines=deadlines,
                            list_rules=dataclasses.replace(s.list_rules, size=25, window_start=dt.date(2025, 1, 1),
                                                           window_end=dt.date(2025, 9, 30)))
    c = ctx.plan_context(s, today=dt.date(2025, 10, 1), draft=False)
    assert c["nam"] == "2025" and c["so_nguoi"] == "25" and c["ds_den_ngay"] == "30/09/2025"
    assert c["han"]["respondent_list"] == "trước ngày 30/10/2025"
    assert c["cong_bo"] == "đến hết ngày 31/03/2026"  # no publication wording: the decision deadline


def test_notice_of_one_unit():
    s = small_settings()
    c = all_contexts(s)["notice"]
    assert c["don_vi"] == "xã Yên Bình"
    assert [r["ma"] for r in c["tieu_chi"]] == ["1.1", "1.2", "2.1"]
    assert c["tieu_chi"][1] == {"ma": "1.2", "noi_dung": "Báo cáo CCHC định kỳ", "toi_da": "20,00", "tu_cham": "15,25",
                                "tham_dinh": "14,75", "nhan_xet": "Nhận xét 1.2"}
    assert c["tieu_chi"][2]["tham_dinh"] == "" and c["tieu_chi"][2]["nhan_xet"] == ""
    assert (c["cong_toi_da"], c["cong_tu_cham"], c["cong_tham_dinh"]) == ("70,00", "53,25", "52,25")
    assert c["diem_dtxhh"] == "chưa có" and c["tong_diem"] == "52,25" and c["chi_so"] == "52,25"
    assert (c["xep_hang"], c["so_don_vi"]) == ("4", "4")
    assert c["chinh_thuc"] is False and c["trang_thai"].startswith("Tạm tính: đã thẩm định 2/3 tiêu chí")
    assert c["ke_hoach"] == "Kế hoạch"
    with pytest.raises(UsageError):
        ctx.notice_context(s, small_table(s), "99999", today=TODAY, draft=False)


def test_notice_of_a_final_unit_and_a_numbered_plan():
    s = small_settings(numbers={"plan": "3", "report": "", "decision": "", "notice": ""})
    c = ctx.notice_context(s, small_table(s), "09079", today=TODAY, draft=False)
    assert c["chinh_thuc"] is True and c["trang_thai"] == "Chính thức"
    assert c["diem_dtxhh"] == "28,00 điểm" and c["chi_so"] == "97,00" and c["xep_hang"] == "1"
    assert c["ke_hoach"] == "Kế hoạch số 03/KH-UBND"


def test_report_process_statistics_and_late_units():
    c = all_contexts()["report"]
    process = {r["noi_dung"]: r for r in c["qua_trinh"]}
    lst = process["Danh sách tổ chức, cá nhân đã giao dịch TTHC"]
    assert (lst["han"], lst["dung_han"], lst["qua_han"], lst["chua_nop"]) == ("trước ngày 30/10/2021", "1", "1", "2")
    assert (process["Biểu tự đánh giá, chấm điểm"]["dung_han"], process["Biểu tự đánh giá, chấm điểm"]["chua_nop"]) \
        == ("1", "3")
    evidence = process["Tài liệu kiểm chứng bổ sung (nếu có)"]
    assert (evidence["qua_han"], evidence["chua_nop"]) == ("1", "-")
    assert [r["don_vi"] for r in c["ket_qua"]] == ["Xã Kim Xá", "Thị trấn Vĩnh Tường", "Xã Chấn Hưng", "Xã Yên Bình"]
    assert c["ket_qua"][0] == {"stt": "1", "don_vi": "Xã Kim Xá", "tu_cham": "70,00", "tham_dinh": "69,00",
                               "dtxhh": "28,00", "tong_diem": "97,00", "chi_so": "97,00", "xep_hang": "1",
                               "xep_loai": "Chưa xếp loại", "trang_thai": "Chính thức"}
    assert c["ket_qua"][3]["dtxhh"] == "-"
    assert c["nhom"] == [{"ten": "", "so_don_vi": "4", "ket_qua": c["ket_qua"], "ghi_chu": c["nhom"][0]["ghi_chu"]}]
    assert (c["chi_so_tb"], c["chi_so_cao_nhat"], c["don_vi_cao_nhat"]) == ("78,41", "97,00", "Xã Kim Xá")
    assert (c["chi_so_thap_nhat"], c["don_vi_thap_nhat"]) == ("52,25", "Xã Yên Bình")
    assert [(b["so_don_vi"], b["ty_le"]) for b in c["phan_bo"]] == \
        [("1", "25,00%"), ("1", "25,00%"), ("1", "25,00%"), ("1", "25,00%")]
    late = "\n".join(c["nop_muon"])
    assert "Xã Kim Xá: nộp danh sách tổ chức, cá nhân đã giao dịch TTHC quá hạn (ngày 02/11/2021)" in late
    assert "Xã Yên Bình: chưa nộp danh sách tổ chức, cá nhân đã giao dịch TTHC" in late  # its file was rejected
    assert "Xã Chấn Hưng: chưa nộp danh sách" in late and "tài liệu kiểm chứng bổ sung (nếu có) quá hạn" in late
    assert not any(x.startswith("Thị trấn Vĩnh Tường") for x in c["nop_muon"])
    assert c["chua_chinh_thuc"] == [
        "Xã Yên Bình: Tạm tính: đã thẩm định 2/3 tiêu chí, tiêu chí chưa thẩm định tính theo điểm tự chấm."]


def test_report_with_no_results_yet():
    s = small_settings()
    c = ctx.report_context(s, Table([], {}), [], today=TODAY, draft=True)
    assert c["ket_qua"] == [] and c["chi_so_tb"] == "-" and c["so_don_vi"] == "0"
    assert all(b["so_don_vi"] == "0" for b in c["phan_bo"]) and len(c["nop_muon"]) == 4


def test_decision_by_the_chairman():
    c = all_contexts()["decision"]
    assert c["quyen_han"] == "" and c["chuc_vu"] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert c["tham_quyen"] == "CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG"
    assert c["so_ky_hieu"] == f"Số: {' ' * 6}/QĐ-UBND" and c["de_nghi"] == "Trưởng phòng Nội vụ"
    assert all(line.startswith("Căn cứ ") and line.endswith(";") for line in c["can_cu"])
    assert "ngày 19 tháng 6 năm 2015" in c["can_cu"][0] and "2757/QĐ-UBND" in c["can_cu"][1]
    assert c["kem_theo"] == ("Kèm theo Quyết định số       /QĐ-UBND ngày 05 tháng 3 năm 2022 của Chủ tịch Ủy ban nhân "
                             "dân huyện Vĩnh Tường")
    assert [(r["xep_hang"], r["don_vi"]) for r in c["ket_qua"]] == \
        [("1", "Xã Kim Xá"), ("2", "Thị trấn Vĩnh Tường"), ("3", "Xã Chấn Hưng"), ("4", "Xã Yên Bình")]
    later = ctx.decision_context(small_settings(), small_table(small_settings()), today=dt.date(2026, 3, 1),
                                 draft=False)
    assert later["can_cu"][0] == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"


def test_legal_basis_as_configuration():
    s = small_settings(legal_basis=("Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
                                    "Căn cứ Quyết định số …/QĐ-UBND của UBND tỉnh;"))
    c = ctx.decision_context(s, small_table(s), today=dt.date(2026, 12, 1), draft=True)
    assert c["can_cu"][:2] == list(s.documents.legal_basis) and len(c["can_cu"]) == 3
    assert c["can_cu"][2].startswith("Căn cứ Kế hoạch") and "2757" not in " ".join(c["can_cu"])
    default = ctx.decision_context(small_settings(), small_table(s), today=dt.date(2026, 12, 1), draft=True)
    assert default["can_cu"][0] == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
