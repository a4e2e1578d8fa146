"""Reading worksheets as a person sees them: values and shown texts, merges, hidden parts, limits."""

from __future__ import annotations

import datetime as dt
import time
import zipfile

import openpyxl
import pytest
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font

from automation.formats.numfmt import format_kind, from_serial, number_text
from automation.formats.sheet import ROW_GAP, read_workbook
from automation.problems import FileRejected


def _book(path, fill, epoch=None):
    wb = openpyxl.Workbook()
    if epoch is not None:
        wb.epoch = epoch
    fill(wb)
    wb.save(path)
    return read_workbook(path)


def test_cells_keep_their_value_and_show_what_excel_shows(tmp_path):
    def fill(wb):
        ws = wb.active
        ws["A1"] = dt.date(2021, 3, 5)
        ws["A1"].number_format = "mm-dd-yy"  # a US order: still shown dd/mm/yyyy
        ws["A2"] = 44260  # a date serial typed into a cell formatted as a date
        ws["A2"].number_format = "dd/mm/yyyy"
        ws["A3"] = dt.datetime(2021, 3, 5, 14, 30)
        ws["A3"].number_format = "dd/mm/yyyy hh:mm"
        ws["A4"] = 5.0
        ws["A5"] = 2.5
        ws["A6"] = 912345678  # a phone number typed as a number: Excel dropped its zero
        ws["A7"] = 912345678
        ws["A7"].number_format = "0#########"  # the zero kept by the cell's format
        ws["A8"] = 912345678
        ws["A8"].number_format = '"0"#'
        ws["A9"] = 0.25
        ws["A9"].number_format = "0%"
        ws["A10"] = True
        ws["A11"] = "  "  # blank to the eye: not a cell
        ws["A12"] = "Dòng một\nDòng hai"
        ws["B1"] = "Nguyễn Văn An"
        ws["B1"].font = Font(name="Arial")

    sheet = _book(tmp_path / "o.xlsx", fill).sheets[0]
    col = {r: row[0] for r, row in sheet.cells.items()}
    shown = {r: c.text for r, c in col.items()}
    assert shown == {1: "05/03/2021", 2: "05/03/2021", 3: "05/03/2021 14:30", 4: "5", 5: "2.5", 6: "912345678",
                     7: "0912345678", 8: "0912345678", 9: "25%", 10: "TRUE", 12: "Dòng một\nDòng hai"}
    assert col[1].value == dt.date(2021, 3, 5) and col[2].value == dt.date(2021, 3, 5)
    assert col[3].value == dt.datetime(2021, 3, 5, 14, 30)
    assert col[4].value == 5 and isinstance(col[4].value, int) and col[5].value == 2.5
    assert col[7].value == 912345678 and col[7].is_number and not col[12].is_number
    assert col[10].value is True and not col[10].is_number
    assert sheet.cells[1][1].font == "Arial" and sheet.cells[1][1].value == "Nguyễn Văn An"


def test_1904_dates(tmp_path):
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    def fill(wb):
        wb.active["A1"] = dt.date(2021, 10, 15)
        wb.active["A1"].number_format = "d/m/yyyy"

    assert _book(tmp_path / "mac.xlsx", fill, CALENDAR_MAC_1904).sheets[0].cells[1][0].text == "15/10/2021"


def test_rich_text_runs_keep_their_fonts(tmp_path):
    def fill(wb):
        wb.active["A1"] = CellRichText(TextBlock(InlineFont(rFont=".VnTime"), "NguyÔn"), " ",
                                       TextBlock(InlineFont(rFont="Times New Roman"), "An"))
        wb.active["A1"].font = Font(name="Calibri")

    book = read_workbook(_book_rich(tmp_path, fill))
    cell = book.sheets[0].cells[1][0]
    assert cell.text == "NguyÔn An" and cell.font == "Calibri"
    assert cell.runs == (("NguyÔn", ".VnTime"), (" ", None), ("An", "Times New Roman"))


def _book_rich(tmp_path, fill):
    wb = openpyxl.Workbook()
    fill(wb)
    path = tmp_path / "rich.xlsx"
    wb.save(path)
    return path


def test_merges_repeat_their_value_and_hidden_parts_are_noted(tmp_path):
    def fill(wb):
        ws = wb.active
        ws.title = "DS"
        ws["A1"] = "UBND XÃ KIM XÁ"
        ws.merge_cells("A1:C1")
        ws["A3"] = "Họ và tên"
        ws["B4"] = "ẩn dưới ô gộp"  # a value under a merge: Excel does not show it
        ws.merge_cells("A3:B4")
        ws["D6"] = "hàng ẩn"
        ws.row_dimensions[6].hidden = True
        ws.column_dimensions["E"].hidden = True
        ws["E2"] = "cột ẩn"
        other = wb.create_sheet("An")
        other["A1"] = "trang tính ẩn"
        other.sheet_state = "hidden"
        wb.create_chartsheet("Biểu đồ")

    book = _book(tmp_path / "m.xlsx", fill)
    assert [s.name for s in book.sheets] == ["DS", "An"] and [s.name for s in book.visible] == ["DS"]
    sheet = book.sheets[0]
    assert [c.text if c else "" for c in sheet.row(1, 4)] == ["UBND XÃ KIM XÁ"] * 3 + [""]
    assert [c.merged for c in sheet.row(1, 3)] == [False, True, True]
    assert [[c.text if c else "" for c in sheet.row(r, 3)] for r in (3, 4)] == [["Họ và tên"] * 2 + [""]] * 2
    assert sheet.hidden_rows == {6} and sheet.hidden_columns == {4}
    assert sheet.cells[6][3].text == "hàng ẩn" and sheet.cells[2][4].text == "cột ẩn"  # noted, not dropped


def test_reading_stops_far_past_the_last_row(tmp_path):
    path = tmp_path / "xa.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "đầu"
    ws["B500"] = "giữa"
    for r in range(600, 600 + ROW_GAP + 5):
        ws.row_dimensions[r].height = 20  # styled empty rows, as other software leaves them
    ws["C1048576"] = "tận cùng"
    other = wb.create_sheet("B")
    other["A1"] = "đầu"
    other["A1048576"] = "tận cùng"  # no row in between: still past the reading distance
    wb.save(path)
    # merges over the whole sheet, as other software writes them (openpyxl would build every cell)
    merges = b'<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>'
    _rewrite(path, "xl/worksheets/sheet2.xml", lambda x: x.replace(b"</sheetData>", b"</sheetData>" + merges))
    _rewrite(path, "xl/worksheets/sheet1.xml", lambda x: x.replace(b"</sheetData>", b"</sheetData>" + merges
                                                                   .replace(b"A1:XFD", b"D1:D")))
    t0 = time.perf_counter()
    first, second = read_workbook(path).sheets
    assert time.perf_counter() - t0 < 2
    assert sorted(first.cells) == [1, 500] and first.truncated and first.width == 2
    assert sorted(second.cells) == [1] and second.truncated and second.width == 1


def _rewrite(path, member, change) -> None:
    """Change one part of a package in place."""
    with zipfile.ZipFile(path) as zin:
        parts = [(info, zin.read(info)) for info in zin.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for info, data in parts:
            zout.writestr(info, change(data) if info.filename == member else data)


def test_a_damaged_or_unsafe_sheet_is_refused(tmp_path):
    wb = openpyxl.Workbook()
    wb.active["A1"] = "x"
    good = tmp_path / "good.xlsx"
    wb.save(good)

    def rewrite(name, data):
        out = tmp_path / name
        with zipfile.ZipFile(good) as zin, zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                zout.writestr(info, data if info.filename == "xl/worksheets/sheet1.xml" else zin.read(info))
        return out

    broken = rewrite("broken.xlsx", b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1">')
    with pytest.raises(FileRejected) as exc:
        read_workbook(broken)
    assert exc.value.code == "file.unreadable" and "Sheet" in exc.value.problem.message
    dtd = rewrite("dtd.xlsx", b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><worksheet/>')
    with pytest.raises(FileRejected) as exc:
        read_workbook(dtd)
    assert "DTD" in exc.value.problem.message


def test_number_formats():
    assert [format_kind(c) for c in ("General", "0", "dd/mm/yyyy", "[$-42A]d/m/yyyy", "h:mm", "[h]:mm:ss",
                                     "dd/mm/yyyy hh:mm", "0%", "@", '#,##0 "đ"', "0.00E+00", "mmm-yy")] == \
        ["number", "number", "date", "date", "time", "time", "datetime", "percent", "text", "number", "number", "date"]
    assert number_text(5, "000") == "005" and number_text(1234567, "#,##0") == "1234567"
    assert number_text(912345678, "\\0#") == "0912345678" and number_text(-7, "00") == "-07"
    assert from_serial(1) == dt.datetime(1900, 1, 1) and from_serial(61) == dt.datetime(1900, 3, 1)
    assert from_serial(44260.5) == dt.datetime(2021, 3, 5, 12) and from_serial(-1) is None


def test_real_workbooks_are_read(samples):
    """Every real .xlsx/.xlsm/.xltx sample (Strict OOXML, inline strings, 800 KB of merges, macros)."""
    files = sorted((samples / "xlsx").iterdir())
    assert len(files) >= 15
    for path in files:
        t0 = time.perf_counter()
        book = read_workbook(path)
        assert time.perf_counter() - t0 < 5, path.name
        assert book.sheets, path.name
    strict = read_workbook(samples / "xlsx" / "poi-SampleSS.strict.xlsx")
    assert strict.sheets[0].cells[1][0].text == "Test spreadsheet"
    inline = read_workbook(samples / "xlsx" / "poi-InlineStrings.xlsx")
    assert any(c.text for s in inline.sheets for row in s.cells.values() for c in row.values())
    two = read_workbook(samples / "xlsx" / "poi-TwoSheetsOneHidden.xlsx")
    assert [(s.name, s.hidden) for s in two.sheets] == [("Sheet1", True), ("Sheet2", False)]
    assert two.sheets[two.active].name == "Sheet2"
