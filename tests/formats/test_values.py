"""Values read with python-calamine are the values openpyxl reads, on files made by real tools; hostile or
damaged files are refused with a problem code before or instead of calamine's failure."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
import xlsxwriter

from automation.formats.values import read_values
from automation.formats.valuescan import Unsuitable
from automation.problems import FileRejected

ROWS = [
    ["Mã phiếu", "Họ và tên", "Số", "Điểm", "Ngày", "Lúc", "Đúng"],
    ["09079-01", "Nguyễn Thị Hằng", 12, 1.5, dt.datetime(2024, 3, 5), dt.datetime(2024, 3, 5, 10, 30), True],
    ["09079-02", "Trần Văn Đức  ", 0, -0.25, dt.datetime(1999, 12, 31), None, False],
    [None, None, None, None, None, None, None],
    ["Ghi chú: rất hài lòng", None, 907901, 1e20, None, None, None],
]


def _openpyxl_values(path, sheet=None):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        ws = wb[sheet] if sheet else wb.worksheets[0]
        ws.reset_dimensions()
        rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    finally:
        wb.close()
    while rows and all(v is None for v in rows[-1]):
        rows.pop()
    return rows


def _padded(rows, width):
    return [tuple(r) + (None,) * (width - len(r)) for r in rows]


def _by_openpyxl(path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "NhapPhieu"
    for r in ROWS:
        ws.append(r)
    ws.merge_cells("A7:C7")
    ws["A7"] = "Tổng cộng"
    wb.save(path)
    return path


def _compare(path, reference=None):
    book = read_values(path)
    ours = book.sheets[0].rows
    theirs = _openpyxl_values(reference or path)
    width = max(len(r) for r in ours + theirs)
    assert _padded(ours, width) == _padded(theirs, width)
    return book


def test_openpyxl_file_same_values(tmp_path):
    book = _compare(_by_openpyxl(tmp_path / "a.xlsx"))
    assert not book.formulas
    rows = book.sheets[0].rows
    assert rows[1][1] == "Nguyễn Thị Hằng" and type(rows[1][2]) is int and rows[1][3] == 1.5
    assert rows[1][4] == dt.datetime(2024, 3, 5) and rows[3] == (None,) * 7 and rows[6][0] == "Tổng cộng"


def test_xlsxwriter_file_same_values(tmp_path):
    path = tmp_path / "x.xlsx"
    wb = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False})
    ws = wb.add_worksheet("ThamDinh")
    date = wb.add_format({"num_format": "dd/mm/yyyy"})
    for r, row in enumerate(ROWS):
        for c, v in enumerate(row):
            if isinstance(v, dt.datetime):
                ws.write_datetime(r, c, v, date)
            elif v is not None:
                ws.write(r, c, v)
    wb.close()
    assert not _compare(path).formulas


@pytest.mark.parametrize("target", ["xls", "ods"])
def test_libreoffice_files_read_without_conversion(tmp_path, target):
    src = _by_openpyxl(tmp_path / "a.xlsx")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", target,
                    "--outdir", str(tmp_path / "out"), str(src)], check=True, capture_output=True, timeout=120)
    legacy = tmp_path / "out" / f"a.{target}"
    rows = read_values(legacy).sheets[0].rows
    expected = _padded(_openpyxl_values(src), 7)
    if target == "ods":  # calamine reads an OpenDocument boolean as 1/0
        expected = [tuple(int(v) if isinstance(v, bool) else v for v in r) for r in expected]
    assert _padded(rows, 7) == expected


def test_formulas_are_flagged(tmp_path):
    path = _by_openpyxl(tmp_path / "a.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["H2"] = "=C2*2"
    wb.save(path)
    assert read_values(path).formulas


def _patched(src, dst, fn):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, fn(data) if info.filename == "xl/worksheets/sheet1.xml" else data)
    return dst


def test_a_huge_grid_never_reaches_calamine(tmp_path):
    # calamine would allocate 17 billion cells and abort the process
    src = _by_openpyxl(tmp_path / "a.xlsx")
    big = _patched(src, tmp_path / "big.xlsx", lambda d: d.replace(
        b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row></sheetData>'))
    with pytest.raises(Unsuitable):
        read_values(big)


def test_a_dtd_is_refused_before_calamine(tmp_path):
    src = _by_openpyxl(tmp_path / "a.xlsx")
    bad = _patched(src, tmp_path / "dtd.xlsx", lambda d: b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + d)
    with pytest.raises(FileRejected) as e:
        read_values(bad)
    assert e.value.problem.code == "file.unreadable"


@pytest.mark.parametrize("cut", [3000, 200])
def test_a_truncated_file_is_unreadable(tmp_path, cut):
    src = _by_openpyxl(tmp_path / "a.xlsx")
    bad = tmp_path / "cut.xlsx"
    bad.write_bytes(src.read_bytes()[:cut])
    with pytest.raises(FileRejected) as e:
        read_values(bad)
    assert e.value.problem.code == "file.unreadable"


def test_garbage_member_is_unreadable(tmp_path):
    src = _by_openpyxl(tmp_path / "a.xlsx")
    bad = _patched(src, tmp_path / "g.xlsx", lambda d: d[: len(d) // 2])
    with pytest.raises(FileRejected) as e:
        read_values(bad)
    assert e.value.problem.code == "file.unreadable"
