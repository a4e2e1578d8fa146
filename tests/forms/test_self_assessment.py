"""``write_forms``: the respondent-list template and the per-unit self-assessment workbooks."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT

from automation.check import check_paths
from automation.formats.word import read_docx
from automation.lists.model import COLUMN_TITLES, COLUMNS
from automation.forms.self_assessment import HEADER_ROW, SCORE_HEADERS, write_forms
from automation.scoring.framework import HEADERS, load_framework, parse_rows


@pytest.fixture(scope="module")
def framework():
    return load_framework()


@pytest.fixture(scope="module")
def forms(tmp_path_factory, settings, framework):
    return write_forms(tmp_path_factory.mktemp("outbox"), settings, framework)


def test_files_written(forms, settings):
    assert forms.folder.name == "bieu-mau" and forms.folder.is_dir()
    assert forms.list_template == forms.folder / "mau-danh-sach-2021.docx" and forms.list_template.is_file()
    assert len(forms.workbooks) == len(settings.units) == 28
    assert forms.folder / "tu-cham-xa-kim-xa-2021.xlsx" in forms.workbooks
    assert forms.folder / "tu-cham-thi-tran-vinh-tuong-2021.xlsx" in forms.workbooks
    assert sorted(p.name for p in forms.folder.iterdir()) == sorted(
        [forms.list_template.name] + [p.name for p in forms.workbooks])  # no temporary files left


def test_rewriting_overwrites_in_place(tmp_path, settings, framework):
    first = write_forms(tmp_path, settings, framework)
    again = write_forms(tmp_path, settings, framework)
    assert again.workbooks == first.workbooks and len(list(again.folder.iterdir())) == 29


# --- the self-assessment workbook -----------------------------------------------------------------

@pytest.fixture(scope="module")
def kim_xa(forms):
    return openpyxl.load_workbook(forms.folder / "tu-cham-xa-kim-xa-2021.xlsx")


def test_workbook_heading_and_header(kim_xa):
    assert kim_xa.sheetnames == ["TuDanhGia", "HuongDan"]
    ws = kim_xa["TuDanhGia"]
    assert ws["A1"].value == "BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021"
    assert (ws["A2"].value, ws["B2"].value) == ("Đơn vị:", "Xã Kim Xá")
    assert (ws["A3"].value, ws["B3"].value, ws["B3"].data_type) == ("Mã đơn vị:", "09079", "s")
    assert HEADER_ROW == 4
    assert tuple(c.value for c in ws[HEADER_ROW]) == SCORE_HEADERS == (
        "Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Tài liệu kiểm chứng", "Giải trình cách chấm")
    assert ws.freeze_panes == "A5"


def test_workbook_rows_are_the_scored_criteria(kim_xa, framework):
    ws = kim_xa["TuDanhGia"]
    scored = framework.scored
    assert scored and len(scored) < len(framework.leaves)  # survey criteria are not self-scored
    for i, crit in enumerate(scored):
        r = HEADER_ROW + 1 + i
        code, content, maximum, score, evidence, note = (c.value for c in ws[r])
        assert (code, content) == (crit.code, crit.content) and ws.cell(r, 1).data_type == "s"
        assert maximum == float(crit.max_points) and (score, evidence, note) == (None, None, None)
    total = HEADER_ROW + 1 + len(scored)
    assert ws.cell(total, 1).value is None and ws.cell(total, 2).value == "Tổng điểm tự chấm"
    assert ws.cell(total, 4).value == f"=SUM(D{HEADER_ROW + 1}:D{total - 1})"
    assert ws.max_row == total


def test_score_cells_are_validated_against_their_maximum(kim_xa, framework):
    ws = kim_xa["TuDanhGia"]
    limits = {}
    for dv in ws.data_validations.dataValidation:
        assert (dv.type, dv.operator, dv.formula1, dv.showErrorMessage) == ("decimal", "between", "0", True)
        assert "Điểm tự chấm phải là số" in dv.error
        for rng in dv.sqref.ranges:
            for row, col in rng.cells:
                assert (row, col) not in limits
                limits[(row, col)] = dv.formula2
    expected = {(HEADER_ROW + 1 + i, 4): str(c.max_points) for i, c in enumerate(framework.scored)}
    assert limits == expected
    assert len(set(expected.values())) > 1  # rows have different maxima, each validated against its own


def test_sheet_protection_leaves_only_the_inputs_open(kim_xa, framework):
    ws = kim_xa["TuDanhGia"]
    assert ws.protection.sheet is True and not ws.protection.password
    first, last = HEADER_ROW + 1, HEADER_ROW + len(framework.scored)
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=len(SCORE_HEADERS)):
        for cell in row:
            open_ = first <= cell.row <= last and cell.column_letter in "DEF"
            assert cell.protection.locked is (not open_), cell.coordinate


def test_help_sheet(kim_xa, framework, settings):
    text = "\n".join(str(r[0].value or "") for r in kim_xa["HuongDan"].iter_rows())
    assert "đến hết ngày 16/11/2021" in text and settings.authority.standing_office in text
    assert f"“{framework.scored[0].code} Ke hoach CCHC.pdf”" in text
    assert "BỘ TIÊU CHÍ MẪU" in text  # the sample framework is flagged to the communes too


def test_each_unit_has_its_own_name_and_code(forms, settings):
    for unit, path in zip(settings.units, forms.workbooks):
        wb = openpyxl.load_workbook(path, read_only=True)
        try:
            ws = wb["TuDanhGia"]
            assert (ws["B2"].value, ws["B3"].value) == (unit.full_name, unit.code)
        finally:
            wb.close()


def test_workbook_blank_and_filled_pass_the_intake_check(forms, settings, framework, tmp_path):
    blank = forms.folder / "tu-cham-xa-kim-xa-2021.xlsx"
    [rep] = check_paths([blank], settings)
    assert (rep.kind, rep.unit.code) == ("workbook", "09079")
    assert {p.code for p in rep.problems} <= {"score.missing"}  # only "not scored yet" warnings
    wb = openpyxl.load_workbook(blank)
    ws = wb["TuDanhGia"]
    for i, crit in enumerate(framework.scored):
        r = HEADER_ROW + 1 + i
        ws.cell(r, 4).value = float(crit.max_points)
        ws.cell(r, 5).value = f"{crit.code} Tai lieu kiem chung.pdf"
    filled = tmp_path / "tu-cham-xa-kim-xa-2021.xlsx"
    wb.save(filled)
    [rep] = check_paths([filled], settings)
    assert (rep.kind, rep.verdict, rep.unit.code) == ("workbook", "accepted", "09079"), rep.problems


def test_codes_like_1_10_stay_text(tmp_path, settings):
    rows = [("Thử",), HEADERS, ("1", "Lĩnh vực", 2, "Thẩm định", ""),
            *[(f"1.{i}", f"Tiêu chí {i}", 0.2, "Thẩm định", "Tài liệu") for i in range(1, 11)]]
    fw = parse_rows(rows)
    result = write_forms(tmp_path, settings, fw)
    ws = openpyxl.load_workbook(result.workbooks[0])["TuDanhGia"]
    codes = [ws.cell(HEADER_ROW + i, 1).value for i in range(1, 11)]
    assert codes == [f"1.{i}" for i in range(1, 11)] and codes[-1] == "1.10"


# --- the respondent-list template -----------------------------------------------------------------

def test_list_template_layout(forms, settings):
    doc = Document(forms.list_template)
    sec = doc.sections[0]
    assert sec.orientation == WD_ORIENT.LANDSCAPE
    assert abs(sec.page_width.mm - 297) < 0.5 and abs(sec.page_height.mm - 210) < 0.5
    head = doc.tables[0]
    assert head.cell(0, 0).paragraphs[0].text == "ỦY BAN NHÂN DÂN XÃ ………"
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in head.cell(0, 1).text
    assert "Độc lập - Tự do - Hạnh phúc" in head.cell(0, 1).text
    texts = [p.text for p in doc.paragraphs]
    assert "DANH SÁCH" in texts
    assert ("Tổ chức, cá nhân đã giao dịch và nhận kết quả giải quyết thủ tục hành chính từ ngày 01/01/2021 "
            "đến ngày 15/10/2021 tại Bộ phận một cửa") in texts
    table = doc.tables[1]
    assert [c.text for c in table.rows[0].cells] == [COLUMN_TITLES[c] for c in COLUMNS]
    data = table.rows[1:]
    assert len(data) == settings.list_rules.size == 30
    for i, row in enumerate(data, start=1):
        assert [c.text for c in row.cells] == [str(i)] + [""] * (len(COLUMNS) - 1)
    notes = " ".join(texts)
    assert "chưa nhận kết quả" in notes and "không có địa chỉ tại địa phương" in notes
    assert "Times New Roman" in notes and "trước ngày 30/10/2021" in notes
    assert "NGƯỜI LẬP DANH SÁCH" in doc.tables[2].cell(0, 0).text and "CHỦ TỊCH" in doc.tables[2].cell(0, 1).text


def test_list_template_is_times_new_roman_everywhere(forms):
    doc = read_docx(forms.list_template)
    runs = [r for r in doc.runs if r.visible_text]
    assert len(runs) > 40
    for run in runs:
        assert run.fonts.used_by(run.text) == {"Times New Roman"}, run.text


def test_blank_template_only_lacks_people_and_a_unit(forms, settings):
    [rep] = check_paths([forms.list_template], settings)
    assert rep.kind == "respondent_list" and rep.respondents == 0
    assert sorted(p.code for p in rep.problems) == ["list.count", "unit.unknown"]


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô"]
GIVEN = ["Văn Hùng", "Thị Lan", "Đức Mạnh"]
VILLAGES = ["Thôn Đông", "Thôn Đoài", "Thôn Nam", "Thôn Bắc", "Thôn Trung"]
PROCEDURES = [("Hộ tịch", "Đăng ký khai sinh"), ("Hộ tịch", "Đăng ký kết hôn"),
              ("Chứng thực", "Chứng thực bản sao từ bản chính"), ("Đất đai", "Đăng ký biến động đất đai"),
              ("Bảo trợ xã hội", "Trợ cấp xã hội hằng tháng"), ("Người có công", "Xác nhận thân nhân liệt sĩ")]


def _people(n, settings):
    start = settings.list_rules.window_start
    span = (settings.list_rules.window_end - start).days - 10
    out = []
    for i in range(n):
        field, procedure = PROCEDURES[i % len(PROCEDURES)]
        submitted = start + dt.timedelta(days=(i * 37) % span)
        received = submitted + dt.timedelta(days=1 + i % 7)
        out.append([str(i + 1), f"{FAMILY[i % 10]} {GIVEN[i // 10]}", f"{VILLAGES[i % 5]}, xã Kim Xá",
                    f"09{i:02d}{(i * 7919) % 1000000:06d}", field, procedure,
                    submitted.strftime("%d/%m/%Y"), received.strftime("%d/%m/%Y")])
    return out


def test_filled_template_is_accepted_by_the_checker(forms, settings, tmp_path):
    doc = Document(forms.list_template)
    doc.tables[0].cell(0, 0).paragraphs[0].runs[0].text = "ỦY BAN NHÂN DÂN XÃ KIM XÁ"
    table = doc.tables[1]
    people = _people(settings.list_rules.size, settings)
    for row, person in zip(table.rows[1:], people):
        for cell, value in zip(row.cells[1:], person[1:]):
            cell.paragraphs[0].add_run(value)
    path = tmp_path / "DS Kim Xa.docx"
    doc.save(path)
    [rep] = check_paths([path], settings)
    assert rep.problems == [] and rep.verdict == "accepted"
    assert (rep.kind, rep.unit.code, rep.respondents) == ("respondent_list", "09079", 30)
    assert [r.name for r in rep.respondent_list.respondents] == [p[1] for p in people]


def test_a_unit_name_with_markup_characters_reads_back_as_written(tmp_path, framework):
    """The forms are one saved workbook with each unit's name and code put in as XML text."""
    from automation.config import init_workspace, load_settings

    root = init_workspace(tmp_path / "ws")
    toml = root / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'type = "Thị trấn"\nname = "Vĩnh Tường"', 'type = "Thị trấn"\nname = "Vĩnh <Tường> & \\"Mới\\""'),
                    encoding="utf-8")
    settings = load_settings(root)
    made = write_forms(root / "outbox", settings, framework)
    unit = list(settings.units)[0]
    assert unit.full_name == 'Thị trấn Vĩnh <Tường> & "Mới"'
    wb = openpyxl.load_workbook(made.workbooks[0])
    assert (wb["TuDanhGia"]["B2"].value, wb["TuDanhGia"]["B3"].value) == (unit.full_name, unit.code)
    assert wb["TuDanhGia"].protection.sheet and wb["TuDanhGia"]["D5"].protection.locked is False
