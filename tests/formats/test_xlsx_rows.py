"""A sheet's rows written as XML and spliced into a workbook XlsxWriter made: what openpyxl and LibreOffice
read back is what was given, and a kept row is never shown for a row that changed."""

from __future__ import annotations

import csv
import io
import subprocess
import zipfile

import openpyxl
import pytest
import xlsxwriter

from automation.formats.xlsx_rows import (Link, RowCache, blank_cell, column_letter, hyperlink_target, number_cell,
                                          row_xml, splice_sheet, string_cell)

TEXTS = ["Xã Kim Xá", "  lề trái và phải  ", "a < b & c > d \"x\"", "dòng 1\ndòng 2", "mã _x0041_ giữ nguyên",
         "tab\tvà\x0bdấu"]


def _skeleton(tmp_path) -> tuple[bytes, dict]:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    fmt = {"text": wb.add_format({"font_name": "Times New Roman", "text_wrap": True}),
           "num": wb.add_format({"num_format": "0.00", "bold": True})}
    ws = wb.add_worksheet("Rows")
    ws.write_blank(0, 0, None, fmt["text"])
    ws.write_blank(0, 1, None, fmt["num"])
    ws.freeze_panes(1, 0)
    wb.add_worksheet("Other").write_string(0, 0, "giữ nguyên")
    wb.close()
    return out.getvalue(), {k: f.xf_index for k, f in fmt.items()}


def _write(tmp_path, links=()):
    skeleton, st = _skeleton(tmp_path)
    rows = [row_xml(1, [string_cell("A1", st["text"], "Tiêu đề"), string_cell("B1", st["text"], "Số")]).encode()]
    for i, text in enumerate(TEXTS, start=2):
        rows.append(row_xml(i, [string_cell(f"A{i}", st["text"], text),
                                number_cell(f"B{i}", st["num"], 1 / 3 if i % 2 else 12345678.125),
                                blank_cell(f"C{i}", st["num"])]).encode())
    path = tmp_path / "out.xlsx"
    splice_sheet(io.BytesIO(skeleton), path, "xl/worksheets/sheet1.xml", rows, list(links), f"C{len(TEXTS) + 1}")
    return path, st


def test_openpyxl_reads_back_what_was_given(tmp_path):
    path, st = _write(tmp_path, [Link("A2", hyperlink_target("../luu-tru/09079/báo cáo #1.pdf"))])
    wb = openpyxl.load_workbook(path)
    sh = wb["Rows"]
    got = [sh.cell(row=i, column=1).value for i in range(2, len(TEXTS) + 2)]
    assert got[:5] == TEXTS[:5]
    assert got[5] == "tab\tvà_x000B_dấu"  # a control character as Excel escapes it (XML 1.0 cannot hold it)
    assert sh["B2"].value == pytest.approx(12345678.125) and sh["B3"].value == pytest.approx(1 / 3)
    assert sh["B2"].number_format == "0.00" and sh["B2"].font.b and sh["A2"].font.name == "Times New Roman"
    assert sh["C2"].value is None and sh["C2"].number_format == "0.00"
    assert sh.freeze_panes == "A2"
    assert sh["A2"].hyperlink.target == hyperlink_target("../luu-tru/09079/báo cáo #1.pdf")
    assert "%23" in sh["A2"].hyperlink.target and "\\" in sh["A2"].hyperlink.target
    assert wb["Other"]["A1"].value == "giữ nguyên"
    assert sh.dimensions == f"A1:C{len(TEXTS) + 1}"


def test_a_sheet_with_links_in_the_skeleton_is_refused(tmp_path):
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True})
    wb.add_worksheet("Rows").write_url(0, 0, "external:a.pdf")
    wb.close()
    with pytest.raises(ValueError):
        splice_sheet(io.BytesIO(out.getvalue()), tmp_path / "x.xlsx", "xl/worksheets/sheet1.xml", [],
                     [Link("A1", "b.pdf")], "A1")


@pytest.mark.libreoffice
def test_libreoffice_reads_the_spliced_sheet(tmp_path):
    path, _ = _write(tmp_path)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir", str(tmp_path / "csv"), str(path)],
                   check=True, capture_output=True, timeout=120)
    with (tmp_path / "csv" / "out.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0][:2] == ["Tiêu đề", "Số"]
    assert [r[0] for r in rows[1:6]] == TEXTS[:5]
    assert rows[1][1] == "12345678.13" and rows[2][1] == "0.33"


def test_every_member_of_the_skeleton_is_kept(tmp_path):
    skeleton, _ = _skeleton(tmp_path)
    path, _ = _write(tmp_path)
    before, after = zipfile.ZipFile(io.BytesIO(skeleton)), zipfile.ZipFile(path)
    assert before.namelist() == after.namelist()
    for name in before.namelist():
        if name != "xl/worksheets/sheet1.xml":
            assert before.read(name) == after.read(name), name


def test_the_row_cache_gives_a_kept_row_only_for_the_same_key():
    cache, made = RowCache(), []

    def make(text):
        made.append(text)
        return row_xml(2, [string_cell("A2", 0, text)])

    first = cache.get((2, "a"), lambda: make("a"))
    assert cache.get((2, "a"), lambda: make("a")) is first
    changed = cache.get((2, "b"), lambda: make("b"))
    assert made == ["a", "b"] and b">b<" in changed
    cache.keep_only([(2, "b")])
    cache.get((2, "a"), lambda: make("a"))
    assert made == ["a", "b", "a"]


def test_columns_are_lettered_as_in_excel():
    assert [column_letter(c) for c in (0, 8, 25, 26, 27, 701, 702)] == ["A", "I", "Z", "AA", "AB", "ZZ", "AAA"]


def test_a_path_too_long_for_excel_gets_no_link():
    assert hyperlink_target("../" + "a" * 3000 + ".pdf") is None
