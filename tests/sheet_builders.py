"""Respondent lists as commune clerks lay them out in Excel, written with openpyxl (and LibreOffice for
.xls/.ods): title block in merged cells, one- or two-row merged header, people, signature rows."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import unicodedata
from pathlib import Path

from automation.formats.legacy import TCVN3_TABLE
from tests.builders import HEADERS, person_rows

TCVN3 = {ch: chr(b) for b, ch in TCVN3_TABLE.items()}


def tcvn3(text: str) -> str:
    """``text`` typed in a TCVN3 font (.VnTime): one legacy byte per letter (no upper-case toned letters)."""
    return "".join(TCVN3.get(ch, ch) for ch in unicodedata.normalize("NFC", text))


def _as_date(text: str) -> dt.date:
    d, m, y = (int(x) for x in text.split("/"))
    return dt.date(y, m, d)


def list_workbook(path: Path, rows=None, *, unit: str = "Kim Xá", titles: tuple[str, ...] | None = None,
                  headers: list[str] | None = None, two_row_header: bool = False, sheet: str = "Danh sách",
                  before: tuple[str, ...] = (), start_col: int = 1, real_dates: bool = True,
                  phone_numbers: bool = True, legacy: bool = False, hidden_people=None,
                  numbering_row: bool = False, signature: bool = True) -> Path:
    """A list on sheet ``sheet`` (after the sheets named in ``before``, which hold a note each).

    ``real_dates`` writes dates as Excel dates (dd/mm/yyyy format), ``phone_numbers`` phones as numbers
    (Excel drops their leading zero); ``legacy`` types the people in TCVN3 (.VnTime) and the list's title
    in upper-case TCVN3 (.VnTimeH: lower-case bytes), the header staying Unicode, as old lists mix them;
    ``hidden_people`` adds those rows, hidden (a filtered list).
    """
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    first = wb.active
    for i, name in enumerate(before):
        ws = first if i == 0 else wb.create_sheet()
        ws.title = name
        ws["A1"] = "Ghi chú: danh sách ở trang tính sau."
    ws = wb.create_sheet() if before else first
    ws.title = sheet
    wb.active = len(before)
    c0 = start_col
    headers = headers or HEADERS
    width = len(headers)
    last = c0 + width - 1
    half = c0 + min(2, width - 1)

    def put(r, c, value, merge_to=None, rows=1, font=None):
        if font == ".VnTime" and isinstance(value, str):
            value = tcvn3(value)
        elif font == ".VnTimeH":
            value = tcvn3(value.lower())
        cell = ws.cell(r, c, value)
        cell.font = Font(name=font or "Times New Roman")
        if merge_to is not None or rows > 1:
            ws.merge_cells(start_row=r, start_column=c, end_row=r + rows - 1, end_column=merge_to or c)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        return cell

    titles = titles if titles is not None else (f"UBND XÃ {unit.upper()}", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                                                 "Số: 15/DS-UBND", "Độc lập - Tự do - Hạnh phúc")
    r = 1
    for i in range(0, len(titles), 2):  # the two-column header block: issuing body | national motto
        put(r, c0, titles[i], merge_to=half)
        if i + 1 < len(titles):
            put(r, half + 1, titles[i + 1], merge_to=last)
        r += 1
    r += 1
    put(r, c0, "DANH SÁCH TỔ CHỨC, CÁ NHÂN ĐÃ GIAO DỊCH VÀ NHẬN KẾT QUẢ GIẢI QUYẾT TTHC NĂM 2021", merge_to=last,
        font=".VnTimeH" if legacy else None)
    put(r + 1, c0, "(Kèm theo Công văn số 15/UBND ngày 20/10/2021 của UBND xã)", merge_to=last)
    r += 3
    if two_row_header:
        for j, h in enumerate(headers[:-2]):
            put(r, c0 + j, h, rows=2)
        put(r, c0 + width - 2, "Thời gian giải quyết", merge_to=last)
        put(r + 1, c0 + width - 2, headers[-2])
        put(r + 1, last, headers[-1])
        r += 2
    else:
        for j, h in enumerate(headers):
            put(r, c0 + j, h)
        r += 1
    if numbering_row:
        for j in range(width):
            put(r, c0 + j, f"({j + 1})")
        r += 1
    rows = person_rows(30, unit=unit) if rows is None else rows
    hidden = list(hidden_people or [])
    font = ".VnTime" if legacy else None
    for n, person in enumerate(rows):
        if hidden and n % 6 == 5:  # hidden rows among the people, as an autofilter leaves them
            _person(put, r, c0, hidden.pop(0), real_dates, phone_numbers, font)
            ws.row_dimensions[r].hidden = True
            r += 1
        _person(put, r, c0, person, real_dates, phone_numbers, font)
        r += 1
    if signature:
        r += 1
        put(r, half + 1, f"{unit}, ngày 20 tháng 10 năm 2021", merge_to=last)
        put(r + 1, c0, "NGƯỜI LẬP BIỂU", merge_to=half)
        put(r + 1, half + 1, "CHỦ TỊCH", merge_to=last)
        put(r + 5, c0, "Nguyễn Văn Lập", merge_to=half)
        put(r + 5, half + 1, "Trần Văn Chủ", merge_to=last)
    wb.save(path)
    return path


def _person(put, r, c0, person, real_dates, phone_numbers, font) -> None:
    for j, value in enumerate(person):
        if j == 0 and value.isdigit():
            value = int(value)
        elif j == 3 and phone_numbers and value.isdigit():
            value = int(value)  # Excel drops the leading zero
        elif j in (6, 7) and real_dates and value.count("/") == 2:
            value = _as_date(value)
        cell = put(r, c0 + j, value, font=font)
        if isinstance(value, dt.date):
            cell.number_format = "dd/mm/yyyy"


def convert(path: Path, ext: str, outdir: Path) -> Path:
    """``path`` saved as .xls, .ods or .odt by LibreOffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    outdir.mkdir(parents=True, exist_ok=True)
    profile = (outdir / ".lo-profile").as_uri()
    filt = {"xls": "xls:MS Excel 97", "ods": "ods", "odt": "odt"}[ext]
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", filt,
                    "--outdir", str(outdir), str(path)], check=True, capture_output=True, timeout=180)
    out = outdir / f"{path.stem}.{ext}"
    assert out.exists(), f"LibreOffice made no {ext}"
    return out
