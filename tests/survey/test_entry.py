"""Reading the survey entry workbook: tolerant answers, each problem code, valid rows kept."""

from __future__ import annotations

import unicodedata
import warnings
import zipfile

import openpyxl
import pytest

from automation.problems import CATALOG, Severity
from automation.survey.entry import (EntryImport, ImportedForm, canonical_answer, looks_like_entry_workbook,
                                     read_entry_workbook)
from automation.survey.model import ANSWERS, ENTRY_SHEET, FORM_CODE, NO_ANSWER, Question

def test_the_survey_codes_are_catalogued():
    for code in ("survey.unknown_form", "survey.duplicate_form", "survey.bad_answer", "survey.unanswered"):
        assert code in CATALOG


QUESTIONS = [Question("CH01", "Thái độ", "7.1.1"), Question("CH02", "Thời gian", "7.1.1"),
             Question("CH03", "Kết quả", "7.1.2")]
ISSUED = {"09079-01", "09079-02", "09079-03", "09079-04", "09082-01"}
INFO = ["Mã đơn vị", "Đơn vị", "Họ và tên"]


def entry_workbook(path, rows, headers=None, sheet=ENTRY_SHEET, title_rows=(), extra_sheets=()):
    wb = openpyxl.Workbook()
    for name in extra_sheets:
        wb.create_sheet(name).append(["Hướng dẫn nhập phiếu"])
    ws = wb.active
    ws.title = sheet
    for t in title_rows:
        ws.append(list(t))
    ws.append(headers or [FORM_CODE, *INFO, "CH01", "CH02", "CH03"])
    for r in rows:
        ws.append(list(r))
    wb.save(path)
    return path


def row(code, *answers, unit="09079"):
    return [code, unit, "Xã Kim Xá", "Nguyễn Văn A", *answers]


def codes(result: EntryImport) -> list[str]:
    return [p.code for p in result.problems]


# --- answers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("hài lòng", "Hài lòng"), ("HÀI LÒNG", "Hài lòng"), (" RẤT HÀI LÒNG ", "Rất hài lòng"),
    ("Rất   hài  lòng", "Rất hài lòng"), (unicodedata.normalize("NFD", "Không hài lòng"), "Không hài lòng"),
    ("Rat hai long", "Rất hài lòng"), ("rat khong hai long", "Rất không hài lòng"),
    ("khong tra loi", "Không trả lời"), ("Bình Thường", "Bình thường"), ("\u00a0Hài lòng\u00a0", "Hài lòng"),
])
def test_answer_variants_are_canonicalised(typed, expected):
    assert canonical_answer(typed) == expected


@pytest.mark.parametrize("typed", ["", "  ", "Tốt", "Hài", "Rất rất hài lòng", "5", "hai long lam"])
def test_other_text_is_not_an_answer(typed):
    assert canonical_answer(typed) is None


def test_every_answer_reads_as_itself():
    assert [canonical_answer(a) for a in ANSWERS] == list(ANSWERS)


# --- a clean import -----------------------------------------------------------------------------

def test_clean_import(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [
        row("09079-01", "hài lòng", " RẤT HÀI LÒNG ", unicodedata.normalize("NFD", "Bình thường")),
        row("09079-02", "Rat hai long", None, NO_ANSWER),
        row("09082-01", "Không hài lòng", "Rất không hài lòng", "Hài lòng", unit="09082"),
    ])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.problems == []
    assert result.forms == [
        ImportedForm("09079-01", 2, {"CH01": "Hài lòng", "CH02": "Rất hài lòng", "CH03": "Bình thường"}),
        ImportedForm("09079-02", 3, {"CH01": "Rất hài lòng", "CH03": "Không trả lời"}),
        ImportedForm("09082-01", 4, {"CH01": "Không hài lòng", "CH02": "Rất không hài lòng", "CH03": "Hài lòng"}),
    ]
    assert all(a in ANSWERS for f in result.forms for a in f.answers.values())


def test_header_below_title_rows_other_sheets_and_tolerant_headers(tmp_path):
    headers = [" mã  PHIẾU ", "Họ và tên", "ch01", "CH 02", "CH03. Kết quả giải quyết"]
    path = entry_workbook(tmp_path / "nhap.xlsx", [["09079-01", "A", "Hài lòng", "Hài lòng", "Bình thường"]],
                          headers=headers, sheet="Phiếu", title_rows=[["PHIẾU NHẬP"], [], ["Năm 2024"]],
                          extra_sheets=["HuongDan"])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.problems == []
    assert result.forms == [ImportedForm("09079-01", 5, {"CH01": "Hài lòng", "CH02": "Hài lòng",
                                                         "CH03": "Bình thường"})]


def test_columns_in_any_order_and_missing_question_column(tmp_path):
    headers = ["CH03", FORM_CODE, "CH01"]  # CH02 not in the workbook: simply no answers for it
    path = entry_workbook(tmp_path / "nhap.xlsx", [["Hài lòng", "09079-01", "Bình thường"]], headers=headers)
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.problems == []
    assert result.forms == [ImportedForm("09079-01", 2, {"CH03": "Hài lòng", "CH01": "Bình thường"})]


def test_form_code_typed_as_a_number_is_text(tmp_path):
    issued = {"9079", "0907901", "12.5"}
    path = entry_workbook(tmp_path / "nhap.xlsx", [
        [9079, "", "", "", "Hài lòng"], [907901.0, "", "", "", "Hài lòng"], [12.5, "", "", "", "Hài lòng"]])
    result = read_entry_workbook(path, issued, QUESTIONS)
    assert result.problems == []
    assert [f.form_code for f in result.forms] == ["9079", "0907901", "12.5"]


def test_form_code_spacing_and_dash_tolerated(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [row(" 09079 – 01 ", "Hài lòng")])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.problems == [] and [f.form_code for f in result.forms] == ["09079-01"]


def test_empty_rows_are_skipped(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [
        row("09079-01", "Hài lòng"), [], [None, None, None, None, "  "], ["", "09079", "Xã Kim Xá", "Nguyễn B"],
        row("09079-02", "Bình thường")])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.problems == []
    assert [(f.form_code, f.row) for f in result.forms] == [("09079-01", 2), ("09079-02", 6)]


# --- problems -----------------------------------------------------------------------------------

def test_unknown_form_is_skipped_and_valid_rows_kept(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [
        row("09079-01", "Hài lòng"), row("09079-99", "Hài lòng", "Hài lòng"), row("09079-02", "Bình thường"),
        [None, "09079", "", "", "Hài lòng"]])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert [f.form_code for f in result.forms] == ["09079-01", "09079-02"]
    assert codes(result) == ["survey.unknown_form", "survey.unknown_form"]
    p, blank = result.problems
    assert p.severity is Severity.ERROR
    assert (p.location.part, p.location.row, p.location.column) == (ENTRY_SHEET, 3, FORM_CODE)
    assert p.params["form"] == "09079-99" and "09079-99" in p.message
    assert blank.location.row == 5 and blank.params["form"] == "" and "chưa ghi mã phiếu" in blank.message


def test_duplicate_form_keeps_the_first(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [
        row("09079-01", "Hài lòng"), row("09079-02", "Bình thường"), row("09079-01", "Không hài lòng"),
        row("09079-01 ", "Rất hài lòng")])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert [(f.form_code, f.row, f.answers) for f in result.forms] == [
        ("09079-01", 2, {"CH01": "Hài lòng"}), ("09079-02", 3, {"CH01": "Bình thường"})]
    assert codes(result) == ["survey.duplicate_form"] * 2
    first, second = result.problems
    assert first.severity is Severity.ERROR
    assert (first.location.part, first.location.row, first.location.column) == (ENTRY_SHEET, 4, FORM_CODE)
    assert second.location.row == 5
    assert first.params == {"form": "09079-01", "first_row": 2} and "dòng 2" in first.message


def test_bad_answer_is_dropped_and_the_rest_of_the_row_kept(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [
        row("09079-01", "Hài lòng", "Tốt lắm", "Bình thường"), row("09079-02", 5, "Hài lòng", "Hài lòng")])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.forms == [ImportedForm("09079-01", 2, {"CH01": "Hài lòng", "CH03": "Bình thường"}),
                            ImportedForm("09079-02", 3, {"CH02": "Hài lòng", "CH03": "Hài lòng"})]
    assert codes(result) == ["survey.bad_answer", "survey.bad_answer"]
    p, q = result.problems
    assert p.severity is Severity.ERROR
    assert (p.location.part, p.location.row, p.location.column) == (ENTRY_SHEET, 2, "CH02")
    assert "Tốt lắm" in p.message and "09079-01" in p.message and "CH02" in p.message
    assert (q.location.row, q.location.column, q.params["value"]) == (3, "CH01", "5")


def test_formula_cell_is_a_bad_answer(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [row("09079-01", '="Hài lòng"', "Hài lòng")])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.forms == [ImportedForm("09079-01", 2, {"CH02": "Hài lòng"})]
    assert codes(result) == ["survey.bad_answer"]
    assert result.problems[0].location.column == "CH01" and "công thức" in result.problems[0].message


def test_unknown_question_column_is_reported_once_and_ignored(tmp_path):
    headers = [FORM_CODE, *INFO, "CH01", "CH99", "CH02", "ch01"]
    path = entry_workbook(tmp_path / "nhap.xlsx", [row("09079-01", "Hài lòng", "Hài lòng", "Bình thường", "Tốt"),
                                                   row("09079-02", "Hài lòng", "xyz", None, None)],
                          headers=headers)
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.forms == [ImportedForm("09079-01", 2, {"CH01": "Hài lòng", "CH02": "Bình thường"}),
                            ImportedForm("09079-02", 3, {"CH01": "Hài lòng"})]
    assert codes(result) == ["survey.bad_answer", "survey.bad_answer"]
    unknown, repeated = result.problems
    assert (unknown.location.row, unknown.location.column) == (1, "CH99") and "CH99" in unknown.message
    assert (repeated.location.row, repeated.location.column) == (1, "ch01") and "CH01" in repeated.message


def test_form_without_answers_is_a_warning_and_kept(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [row("09079-01", "Hài lòng"), row("09079-02"),
                                                   row("09079-03", None, "  ", None)])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.forms == [ImportedForm("09079-01", 2, {"CH01": "Hài lòng"}), ImportedForm("09079-02", 3, {}),
                            ImportedForm("09079-03", 4, {})]
    assert codes(result) == ["survey.unanswered", "survey.unanswered"]
    p = result.problems[0]
    assert p.severity is Severity.WARNING
    assert (p.location.part, p.location.row, p.location.column) == (ENTRY_SHEET, 3, FORM_CODE)
    assert p.params == {"form": "09079-02"} and "09079-02" in p.message


def test_form_with_only_bad_answers_has_zero_answers_without_the_warning(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [row("09079-01", "x", "y")])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert result.forms == [ImportedForm("09079-01", 2, {})]  # counts as not responded
    assert codes(result) == ["survey.bad_answer", "survey.bad_answer"]


def test_all_problems_together_keep_every_valid_row(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [
        row("09079-01", "Hài lòng", "Hài lòng", "Hài lòng"),
        row("X-1", "Hài lòng"),
        row("09079-01", "Bình thường"),
        row("09079-02", "??", "Hài lòng"),
        row("09079-03"),
        row("09082-01", "Rất hài lòng", unit="09082")])
    result = read_entry_workbook(path, ISSUED, QUESTIONS)
    assert [f.form_code for f in result.forms] == ["09079-01", "09079-02", "09079-03", "09082-01"]
    assert [(p.code, p.location.row) for p in result.problems] == [
        ("survey.unknown_form", 3), ("survey.duplicate_form", 4), ("survey.bad_answer", 5),
        ("survey.unanswered", 6)]
    for p in result.problems:  # every message renders fully (no missing parameter)
        assert "…" not in p.message and p.fix


def test_unreadable_workbook(tmp_path):
    bad = tmp_path / "hong.xlsx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    result = read_entry_workbook(bad, ISSUED, QUESTIONS)
    assert result.forms == [] and codes(result) == ["file.unreadable"]
    missing = read_entry_workbook(tmp_path / "khong-co.xlsx", ISSUED, QUESTIONS)
    assert codes(missing) == ["file.unreadable"]


def test_workbook_without_entry_table(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["Mã tiêu chí", "Nội dung"])
    wb.save(tmp_path / "khac.xlsx")
    result = read_entry_workbook(tmp_path / "khac.xlsx", ISSUED, QUESTIONS)
    assert result.forms == [] and codes(result) == ["file.unreadable"]
    assert FORM_CODE in result.problems[0].message


def test_wrong_dimension_does_not_cut_rows(tmp_path):
    """Some writers store a stale <dimension>; every row is still read."""
    path = entry_workbook(tmp_path / "nhap.xlsx", [row("09079-01", "Hài lòng"), row("09079-02", "Hài lòng")])
    patched = tmp_path / "patched.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(patched, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:G3"/>', b'<dimension ref="A1:A1"/>')
                assert b'ref="A1:A1"' in data
            dst.writestr(item, data)
    result = read_entry_workbook(patched, ISSUED, QUESTIONS)
    assert [f.form_code for f in result.forms] == ["09079-01", "09079-02"]
    assert result.forms[1].answers == {"CH01": "Hài lòng"}


def test_no_warnings_escape(tmp_path):
    path = entry_workbook(tmp_path / "nhap.xlsx", [row("09079-01", "Hài lòng")])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert read_entry_workbook(path, ISSUED, QUESTIONS).problems == []
        assert looks_like_entry_workbook(path)


# --- recognising an entry workbook ---------------------------------------------------------------

def test_looks_like_entry_workbook(tmp_path):
    assert looks_like_entry_workbook(entry_workbook(tmp_path / "a.xlsx", []))
    assert looks_like_entry_workbook(entry_workbook(tmp_path / "b.xlsx", [], sheet="Sheet1",
                                                    title_rows=[["PHIẾU"]] * 5, extra_sheets=["X"]))
    assert not looks_like_entry_workbook(entry_workbook(tmp_path / "c.xlsx", [], title_rows=[["x"]] * 25))
    other = openpyxl.Workbook()
    other.active.append(["Mã tiêu chí", "Nội dung", "Điểm tối đa"])
    other.save(tmp_path / "d.xlsx")
    assert not looks_like_entry_workbook(tmp_path / "d.xlsx")
    (tmp_path / "e.docx").write_bytes(b"not a workbook")
    assert not looks_like_entry_workbook(tmp_path / "e.docx")
    assert not looks_like_entry_workbook(tmp_path / "missing.xlsx")


# --- a workbook as Excel saves it ----------------------------------------------------------------------------

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"


def excel_like_workbook(path, sheet_data: str, shared: list[str]):
    """A minimal package as Excel writes it: shared strings (``<si>`` XML given), an instructions sheet first."""
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/worksheets/sheet2.xml" ContentType="{ct}.worksheet+xml"/>'
            f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/></Types>'),
        "_rels/.rels": (f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" '
                        f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
        "xl/workbook.xml": (f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets>'
                            '<sheet name="HuongDan" sheetId="1" r:id="rId1"/>'
                            f'<sheet name="{ENTRY_SHEET}" sheetId="2" r:id="rId2"/></sheets></workbook>'),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{PKG_REL}">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="/xl/worksheets/sheet2.xml"/>'
            f'<Relationship Id="rId3" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": (f'<worksheet xmlns="{NS}"><sheetData><row r="1"><c r="A1" t="inlineStr">'
                                     '<is><t>Nhập phiếu ở trang bên</t></is></c></row></sheetData></worksheet>'),
        "xl/worksheets/sheet2.xml": (f'<worksheet xmlns="{NS}"><dimension ref="A1"/><sheetData>{sheet_data}'
                                     '</sheetData></worksheet>'),
        "xl/sharedStrings.xml": f'<sst xmlns="{NS}">' + "".join(f"<si>{x}</si>" for x in shared) + "</sst>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, xml in parts.items():
            z.writestr(name, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + xml)
    return path


def test_excel_like_workbook(tmp_path):
    shared = ["<t>Mã phiếu</t>", "<t>CH01</t>", "<t>CH02</t>", "<t>CH03</t>", "<t>09079-01</t>",
              '<r><t>Hài </t></r><r><rPr><b/></rPr><t xml:space="preserve">lòng </t></r>'
              "<rPh sb=\"0\" eb=\"1\"><t>XX</t></rPh>",  # rich text with a phonetic run
              "<t>09079-02</t>", "<t>Bình thường</t>"]
    data = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
            '<c r="D1" t="s"><v>3</v></c></row>'
            '<row r="2"><c r="A2" t="s"><v>4</v></c><c r="B2" t="s"><v>5</v></c>'
            '<c r="C2" t="str"><f>"Hài lòng"</f><v>Hài lòng</v></c><c r="D2" t="e"><v>#N/A</v></c></row>'
            '<row r="4" spans="1:4"><c r="A4" t="s"><v>6</v></c><c r="B4" s="3"/><c r="C4" t="b"><v>1</v></c>'
            '<c r="D4" t="inlineStr"><is><t>rất hài lòng</t></is></c></row>'
            '<row><c t="n"><v>9079</v></c><c t="s"><v>7</v></c></row>')  # no r attributes: row 5, A5 B5
    path = excel_like_workbook(tmp_path / "excel.xlsx", data, shared)
    result = read_entry_workbook(path, ISSUED | {"9079"}, QUESTIONS)
    assert result.forms == [ImportedForm("09079-01", 2, {"CH01": "Hài lòng"}),
                            ImportedForm("09079-02", 4, {"CH03": "Rất hài lòng"}),
                            ImportedForm("9079", 5, {"CH01": "Bình thường"})]
    assert [(p.code, p.location.part, p.location.row, p.location.column) for p in result.problems] == [
        ("survey.bad_answer", ENTRY_SHEET, 2, "CH02"), ("survey.bad_answer", ENTRY_SHEET, 2, "CH03"),
        ("survey.bad_answer", ENTRY_SHEET, 4, "CH02")]
    assert "công thức" in result.problems[0].message and "#N/A" in result.problems[1].message
    assert looks_like_entry_workbook(path)


# --- read with python-calamine (issue 13) ---------------------------------------------------------

def _calamine_entry(tmp_path, cells):
    import openpyxl as _ox

    from automation.survey.model import ANSWERS as _ANS
    path = tmp_path / "nhap.xlsx"
    wb = _ox.Workbook()
    ws = wb.active
    ws.title = "NhapPhieu"
    ws.append(["Mã phiếu", "Họ và tên", "CH01", "CH02"])
    ws.append(["0907901", "Nguyễn Văn A", _ANS[0], _ANS[1]])
    ws.append([907902, "Lê Thị B", _ANS[2], None])
    for ref, value in cells.items():
        ws[ref] = value
    wb.save(path)
    return path


def _qs():
    from automation.survey.questions import load_questions as _lq
    return _lq().questions


def test_calamine_and_openpyxl_import_alike(tmp_path):
    from unittest import mock

    from automation.survey import entry as _entry
    path = _calamine_entry(tmp_path, {})
    issued = {"0907901", "0907902"}
    fast = _entry.read_entry_workbook(path, issued, _qs())
    with mock.patch.object(_entry, "_value_sheets", return_value=None):
        slow = _entry.read_entry_workbook(path, issued, _qs())
    assert [(f.form_code, f.row, f.answers) for f in fast.forms] == [(f.form_code, f.row, f.answers) for f in slow.forms]
    assert [p.code for p in fast.problems] == [p.code for p in slow.problems]
    assert len(fast.forms) == 2 and fast.forms[1].form_code == "0907902"


def test_a_formula_answer_is_still_refused(tmp_path):
    from automation.survey.entry import read_entry_workbook as _read
    path = _calamine_entry(tmp_path, {"D3": '=C3'})
    result = _read(path, {"0907901", "0907902"}, _qs())
    assert any(p.code == "survey.bad_answer" and "công thức" in p.message for p in result.problems)


def test_a_truncated_entry_workbook_gives_the_problem_code(tmp_path):
    from automation.survey.entry import read_entry_workbook as _read
    path = _calamine_entry(tmp_path, {})
    path.write_bytes(path.read_bytes()[:1500])
    result = _read(path, {"0907901"}, _qs())
    assert not result.forms and [p.code for p in result.problems] == ["file.unreadable"]
