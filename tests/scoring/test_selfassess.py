"""Reading self-assessment workbooks: real .xlsx files written with openpyxl, checked against a small framework."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import time
import unicodedata
import zipfile
from decimal import Decimal

import openpyxl

from automation.scoring.framework import parse_rows
from automation.scoring.selfassess import HEADERS, read_self_assessment

FW_ROWS = [
    ("BỘ TIÊU CHÍ (mẫu dùng cho kiểm thử)",),
    ("Mã tiêu chí", "Nội dung", "Điểm tối đa", "Cách đánh giá", "Tài liệu kiểm chứng"),
    ("1", "Công tác chỉ đạo, điều hành", 6, "Thẩm định", ""),
    ("1.1", "Ban hành kế hoạch cải cách hành chính năm", 2, "Thẩm định", "Kế hoạch"),
    ("1.2", "Báo cáo định kỳ đúng hạn", 1.5, "Thẩm định", "Báo cáo"),
    ("1.3", "Kiểm tra công tác cải cách hành chính", 2.5, "Thẩm định", "Kết luận kiểm tra"),
    ("2", "Thủ tục hành chính", 8, "Thẩm định", ""),
    ("2.1", "Công khai thủ tục hành chính", 3, "Thẩm định", "Ảnh chụp"),
    ("2.2", "Giải quyết hồ sơ đúng hạn", 2, "Thẩm định", "Sổ theo dõi"),
    ("2.3", "Mức độ hài lòng của người dân", 3, "Điều tra XHH", ""),
]
FW = parse_rows(FW_ROWS)
TITLE = ["BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH", "Đơn vị: Xã Kim Xá", "Mã đơn vị: 09079"]
# code -> (score, evidence, explanation): a clean workbook totalling 2 + 1.5 + 2 + 2.5 + 0 = 8
GOOD = {"1.1": (2, "Kế hoạch số 12/KH-UBND", ""), "1.2": (1.5, "Báo cáo số 30/BC-UBND", ""),
        "1.3": (2, "Kết luận kiểm tra", ""), "2.1": (2.5, "", "Niêm yết tại bộ phận một cửa"),
        "2.2": (0, "", "")}


def lines_of(scores=None, content=None):
    scores = {**GOOD, **(scores or {})}
    out = []
    for c in FW.scored:
        if c.code in scores:
            score, evidence, explanation = scores[c.code]
            out.append([c.code, (content or {}).get(c.code, c.content), float(c.max_points), score, evidence,
                        explanation])
    return out


def write(path, lines=None, title=TITLE, sheet="TuDanhGia", total=True, headers=HEADERS, blank_rows=0,
          extra=None, before=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    if before:  # another sheet first
        ws.title = before
        ws.append(["Hướng dẫn điền biểu"])
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for t in title:
        ws.append([t])
    for _ in range(blank_rows):
        ws.append([])
    ws.append(list(headers))
    first = ws.max_row + 1
    for line in (lines_of() if lines is None else lines):
        ws.append(line)
    if total:
        ws.append([None, "Tổng điểm tự chấm", None, f"=SUM(D{first}:D{ws.max_row})"])
    for coord, value in (extra or {}).items():
        ws[coord] = value
    wb.save(path)
    return path


def codes(problems):
    return [p.code for p in problems]


def test_clean_workbook(tmp_path):
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx"), FW)
    assert problems == []
    assert sa.total == Decimal(8)
    assert list(sa.lines) == ["1.1", "1.2", "1.3", "2.1", "2.2"]
    line = sa.lines["1.2"]
    assert (line.row, line.self_score, line.evidence, line.explanation) == (6, Decimal("1.5"),
                                                                            "Báo cáo số 30/BC-UBND", "")
    assert sa.lines["2.2"].self_score == Decimal(0)
    assert "Xã Kim Xá" in sa.unit_text and TITLE[0] in sa.unit_text
    assert sa.unit_code == "09079"
    assert sa.sheet == "TuDanhGia"


def test_each_score_problem_with_its_row_and_column(tmp_path):
    scores = {"1.1": ("hai", "KH", ""), "1.2": (-1, "BC", ""), "1.3": (3, "KL", ""), "2.1": (None, "", ""),
              "2.2": (1, "", "")}
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines_of(scores)), FW)
    expect = [("score.not_a_number", 5, "Điểm tự chấm", "error"), ("score.negative", 6, "Điểm tự chấm", "error"),
              ("score.above_max", 7, "Điểm tự chấm", "error"), ("score.missing", 8, "Điểm tự chấm", "warning"),
              ("score.evidence_missing", 9, "Tài liệu kiểm chứng", "warning")]
    assert [(p.code, p.location.row, p.location.column, p.severity.value) for p in problems] == expect
    assert all(p.location.part == "TuDanhGia" for p in problems)
    assert "“hai”" in problems[0].message and "1.1" in problems[0].message
    assert "là -1" in problems[1].message and "1,5" in problems[1].fix  # max of 1.2, Vietnamese decimal comma
    assert "là 3,00, vượt điểm tối đa 2,50" in problems[2].message  # the one number style
    # only the valid score (2.2: 1 point) counts; invalid, negative, above max and missing count 0
    assert sa.total == Decimal(1)
    assert sa.lines["1.1"].self_score is None and sa.lines["2.1"].self_score is None
    assert sa.lines["1.3"].self_score == Decimal(3)  # kept as typed, but not counted


def test_evidence_rules(tmp_path):
    scores = {"1.1": (2, "", "Đã giải trình"), "1.2": (0, "", ""), "1.3": (1, "  ", ""), "2.1": (1, "Ảnh", "")}
    _, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines_of(scores)), FW)
    assert [(p.code, p.params["code"]) for p in problems] == [("score.evidence_missing", "1.3")]


def test_formulas_in_score_cells_without_cached_values(tmp_path):
    scores = {"1.1": ("=2*0.5", "KH", ""), "1.2": ("=ROUND(1.25,1)", "BC", ""), "1.3": ("=H5/2", "KL", ""),
              "2.1": ("=IF(H5>2,2.5,0)", "Ảnh", ""), "2.2": ("=1/0", "Sổ", "")}
    path = write(tmp_path / "a.xlsx", lines_of(scores), extra={"H5": 3})
    cached = openpyxl.load_workbook(path, data_only=True)["TuDanhGia"]
    assert cached["D5"].value is None  # openpyxl never computes: no cached value at all
    sa, problems = read_self_assessment(path, FW)
    assert sa.lines["1.1"].self_score == Decimal(1)
    assert sa.lines["1.2"].self_score == Decimal("1.3")  # half away from zero
    assert sa.lines["1.3"].self_score == Decimal("1.5")
    assert sa.lines["2.1"].self_score == Decimal("2.5")
    assert [(p.code, p.location.row) for p in problems] == [("score.not_a_number", 9)]
    assert "=1/0" in problems[0].message
    assert sa.total == Decimal("6.3")


def _patch_cached(path, coord, value):
    """Rewrite the cached <v> of ``coord`` in the sheet XML (what a stale or doctored file looks like)."""
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                xml = data.decode()
                cell = re.search(rf'<c r="{coord}"[^>]*>.*?</c>', xml)
                fixed = re.sub(r"<v>[^<]*</v>|<v\s*/>", "", cell[0]).replace("</c>", f"<v>{value}</v></c>")
                data = xml.replace(cell[0], fixed).encode()
            zout.writestr(item, data)
    tmp.replace(path)


def test_lying_cached_value_is_ignored(tmp_path):
    scores = {"1.1": ("=2*0.5", "KH", ""), "1.2": ("=D5+0.5", "BC", "")}
    path = write(tmp_path / "a.xlsx", lines_of(scores))
    _patch_cached(path, "D5", 99)
    _patch_cached(path, "D6", 100)
    cached = openpyxl.load_workbook(path, data_only=True)["TuDanhGia"]
    assert (cached["D5"].value, cached["D6"].value) == (99, 100)  # the lie is really in the file
    sa, problems = read_self_assessment(path, FW)
    assert sa.lines["1.1"].self_score == Decimal(1) and sa.lines["1.2"].self_score == Decimal("1.5")
    assert problems == []


def test_comma_decimal_text_and_other_typed_values(tmp_path):
    scores = {"1.1": ("1,5", "KH", ""), "1.2": (" 1.5 ", "BC", ""), "1.3": ("2,5 điểm", "KL", ""),
              "2.1": (dt.datetime(2021, 5, 1), "Ảnh", ""), "2.2": ("#N/A", "Sổ", "")}
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines_of(scores)), FW)
    assert sa.lines["1.1"].self_score == Decimal("1.5") and sa.lines["1.2"].self_score == Decimal("1.5")
    assert [(p.code, p.location.row) for p in problems] == [("score.not_a_number", 7), ("score.not_a_number", 8),
                                                            ("score.not_a_number", 9)]
    assert "01/05/2021" in problems[1].message and "#N/A" in problems[2].message
    assert sa.total == Decimal(3)


def test_renamed_criterion(tmp_path):
    nfd_upper = unicodedata.normalize("NFD", "  BÁO  CÁO định kỳ đúng hạn ")
    content = {"1.1": "Ban hành kế hoạch CCHC", "1.2": nfd_upper, "2.2": "Giải quyết hồ sơ  đúng\nhạn"}
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines_of(content=content)), FW)
    assert [(p.code, p.params["detail"]) for p in problems] == [("score.structure_changed",
                                                                 "sửa nội dung tiêu chí 1.1")]
    assert problems[0].location.part == "TuDanhGia" and problems[0].location.row is None
    assert sa.total == Decimal(8)  # the scores are still read


def test_missing_and_added_rows(tmp_path):
    lines = [line for line in lines_of() if line[0] not in ("1.2", "2.1")]
    lines.append(["9.9", "Tiêu chí tự thêm", 1, 1, "Báo cáo", ""])
    lines.append(["1.1", "Ban hành kế hoạch cải cách hành chính năm", 2, 1, "KH", ""])  # a duplicate row
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines), FW)
    details = [p.params["detail"] for p in problems]
    assert codes(problems) == ["score.structure_changed"] * 2
    assert details == ["thiếu tiêu chí 1.2, 2.1", "thêm dòng 9.9, 1.1 (trùng, dòng 9)"]
    assert "thiếu tiêu chí 1.2, 2.1" in problems[0].message
    assert set(sa.lines) == {"1.1", "1.3", "2.2"} and sa.lines["1.1"].row == 5
    assert sa.total == Decimal(4)


def test_codes_compared_as_text(tmp_path):
    rows = [FW_ROWS[1], ("1", "Lĩnh vực một", 10, "Thẩm định", "")]
    rows += [(f"1.{i}", f"Tiêu chí một chấm {i}", 1, "Thẩm định", "") for i in range(1, 11)]
    fw = parse_rows(rows)
    lines = [[float(c.code) if c.code in ("1.1", "1.10", "1.2") else c.code, c.content, 1, 1, "BC", ""]
             for c in fw.scored]
    path = write(tmp_path / "a.xlsx", lines)
    wb = openpyxl.load_workbook(path)
    wb["TuDanhGia"]["A14"].number_format = "0.00"  # 1.10 typed as a number, shown "1.10"
    assert wb["TuDanhGia"]["A14"].value == 1.1
    wb.save(path)
    sa, problems = read_self_assessment(path, fw)
    assert problems == [] and sa.total == Decimal(10) and sa.lines["1.10"].row == 14
    # without the number format, 1.10 typed as a number is 1.1: a duplicate, and 1.10 is missing
    wb["TuDanhGia"]["A14"].number_format = "General"
    wb.save(path)
    _, problems = read_self_assessment(path, fw)
    assert [p.params["detail"] for p in problems] == ["thiếu tiêu chí 1.10", "thêm dòng 1.1 (trùng, dòng 14)"]


def test_reordered_rows_parent_and_survey_rows_are_fine(tmp_path):
    lines = list(reversed(lines_of()))
    lines.insert(0, ["2", "Thủ tục hành chính", 8, None, "", ""])
    lines.append(["2.3", "Mức độ hài lòng của người dân", 3, None, "", ""])
    lines.append(["1.", "Công tác chỉ đạo, điều hành", 6, "=SUM(D6:D8)", "", ""])
    lines.append([None, "Lĩnh vực khác (dòng tiêu đề nhóm)", None, None, None, None])
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines), FW)
    assert problems == []
    assert sa.total == Decimal(8) and sa.lines["2.2"].row == 6


def test_header_moved_down_and_tolerant_headers(tmp_path):
    headers = ["MÃ TIÊU CHÍ", "Nội dung tiêu chí", "Điểm  tối đa", "Điểm tự\nchấm", "Tài liệu kiểm chứng (số, ký hiệu)",
               "Giải trình"]
    title = ["", "UBND XÃ KIM XÁ", "", *TITLE]
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx", title=title, headers=headers, blank_rows=3), FW)
    assert problems == []
    assert sa.lines["1.1"].row == 11 and sa.total == Decimal(8)
    assert "UBND XÃ KIM XÁ" in sa.unit_text and sa.unit_code == "09079"


def test_total_row_ends_the_table(tmp_path):
    path = write(tmp_path / "a.xlsx", extra={"A12": "3", "B12": "Ghi chú: gửi kèm tài liệu", "A13": "4",
                                             "B13": "Hạn gửi 15/11", "D13": 7, "E15": "Kim Xá, ngày 10/11/2021"})
    sa, problems = read_self_assessment(path, FW)
    assert problems == [] and sa.total == Decimal(8)


def test_total_label_in_first_cell(tmp_path):
    lines = lines_of() + [["Tổng cộng", None, None, "=SUM(D5:D9)", None, None], ["3.1", "Ghi chú", None, None]]
    _, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines, total=False), FW)
    assert problems == []


def test_sheet_found_by_header_and_unit_code_next_cell(tmp_path):
    path = write(tmp_path / "a.xlsx", sheet="Biểu 1", before="Hướng dẫn",
                 title=[TITLE[0], "Đơn vị: Xã Kim Xá", "Mã đơn vị:"], extra={"B3": 9079})
    wb = openpyxl.load_workbook(path)
    wb["Biểu 1"]["B3"].number_format = "00000"
    wb.save(path)
    sa, problems = read_self_assessment(path, FW)
    assert problems == [] and sa.sheet == "Biểu 1" and sa.unit_code == "09079"
    path = write(tmp_path / "b.xlsx", sheet="Tu Danh Gia", title=["Đơn vị: Xã Kim Xá"])
    sa, problems = read_self_assessment(path, FW)
    assert problems == [] and sa.sheet == "Tu Danh Gia" and sa.unit_code is None


def test_no_header(tmp_path):
    path = write(tmp_path / "a.xlsx", headers=["STT", "Tên", "Điểm"])
    sa, problems = read_self_assessment(path, FW)
    assert sa is None
    assert codes(problems) == ["score.structure_changed"]
    assert "không tìm thấy dòng tiêu đề" in problems[0].message and problems[0].location.part == "TuDanhGia"


def test_missing_optional_columns(tmp_path):
    lines = [line[:4] for line in lines_of()]
    sa, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines, headers=HEADERS[:4]), FW)
    assert [p.params["detail"] for p in problems] == ["thiếu cột Tài liệu kiểm chứng, Giải trình"]
    assert sa.total == Decimal(8)


def test_unreadable_file(tmp_path):
    path = tmp_path / "hong.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    sa, problems = read_self_assessment(path, FW)
    assert sa is None and codes(problems) == ["file.unreadable"]


def test_xlsm(tmp_path):
    path = write(tmp_path / "a.xlsx")
    shutil.copy(path, tmp_path / "a.xlsm")
    sa, problems = read_self_assessment(tmp_path / "a.xlsm", FW)
    assert problems == [] and sa.total == Decimal(8)


def test_performance_150_workbooks_of_60_criteria(tmp_path):
    rows = [FW_ROWS[1]]
    for a in range(1, 7):
        rows.append((str(a), f"Lĩnh vực {a}", 10, "Thẩm định", ""))
        rows += [(f"{a}.{b}", f"Tiêu chí {a}.{b} về cải cách hành chính", 1, "Thẩm định", "") for b in range(1, 11)]
    fw = parse_rows(rows)
    lines = [[c.code, c.content, 1, "=0.5*2" if i % 3 == 0 else 0.75, "Báo cáo số 1" if i % 5 else "", ""]
             for i, c in enumerate(fw.scored)]
    source = write(tmp_path / "src.xlsx", lines)
    paths = []
    for i in range(150):
        paths.append(tmp_path / f"xa{i:03d}.xlsx")
        shutil.copy(source, paths[-1])
    start = time.perf_counter()
    results = [read_self_assessment(p, fw) for p in paths]
    elapsed = time.perf_counter() - start
    print(f"\n150 workbooks x {len(fw.scored)} criteria read in {elapsed:.2f} s ({elapsed / 150 * 1000:.1f} ms each)")
    sa, problems = results[0]
    assert sa.total == Decimal(20) + Decimal("0.75") * 40
    assert codes(problems) == ["score.evidence_missing"] * 12
    assert elapsed < 30
