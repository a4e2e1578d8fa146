"""What a workbook's bytes say before python-calamine may read it: its formulas and the size of its grids.

python-calamine (Rust) reads a sheet into a dense grid from A1 to its last cell; a sheet with one cell at
A1 and one at XFD1048576 asks for 17 billion cells, and a failed allocation aborts the whole process (no
exception to catch).  So calamine never is the first to touch a file: the package has passed the DTD refusal
(:mod:`automation.formats.xmlscan`), and this module bounds every sheet's grid from the cell references
(.xlsx/.xlsm), the repeated rows and cells (.ods) or the cell records (.xls), cheaply, with byte patterns.
It also says whether any sheet holds a formula: calamine shows a formula's cached value, which the tool
never trusts, so a caller that must see formulas reads such a file its other way.

A member that is not plain 8-bit XML (UTF-16, a prefix the patterns do not know) is not vouched for:
:class:`Unsuitable`, and the caller reads the file as it did before calamine.
"""

from __future__ import annotations

import re
import struct
import zipfile
import zlib
from pathlib import Path

from automation.formats.sniff import read_member
from automation.formats.xmlscan import encoding_of
from automation.problems import FileRejected

MAX_CELLS = 20_000_000  # cells of one sheet's grid calamine may allocate (about 32 bytes each)
_PREFIX = rb"(?:[A-Za-z_][\w.\-]*:)?"
_CELL = re.compile(rb"<" + _PREFIX + rb"c[\s/>]")
_REF = re.compile(rb"<" + _PREFIX + rb"c\s[^>]*?\br\s*=\s*[\"']\$?([A-Za-z]{1,4})\$?(\d{1,9})")
_ROW = re.compile(rb"<" + _PREFIX + rb"row[\s/>]")
_ROW_REF = re.compile(rb"<" + _PREFIX + rb"row\s[^>]*?\br\s*=\s*[\"'](\d{1,9})")
_ODS_TABLE_NS = b"urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_ODS_TABLE = re.compile(rb"<table:table[\s>]")
_ODS_ROW = re.compile(rb"<table:table-row\b([^>]*?)(?:/>|>(.*?)</table:table-row>)", re.S)
_ODS_CELL = re.compile(rb"<table:(?:covered-)?table-cell\b([^>]*?)(/?)>")
_ODS_ROWS_REP = re.compile(rb"table:number-rows-repeated\s*=\s*[\"'](\d{1,9})")
_ODS_COLS_REP = re.compile(rb"table:number-columns-repeated\s*=\s*[\"'](\d{1,9})")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Unsuitable(Exception):
    """The file is not one this scan can vouch for: read it without calamine."""


def scan(path: Path, limit: int) -> bool:
    """Whether the workbook at ``path`` holds formulas; :class:`Unsuitable` when a sheet's grid is too large
    or the bytes are not ones the patterns read.  An .xlsx/.xlsm/.ods has passed ``refuse_dtds`` already."""
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE_MAGIC):
        return _scan_biff(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            if "content.xml" in names and "xl/workbook.xml" not in names:
                return _scan_ods(read_member(zf, "content.xml", limit))
            formulas = False
            for info in zf.infolist():
                if info.is_dir() or info.file_size == 0:
                    continue
                with zf.open(info) as fh:
                    found = encoding_of(fh.read(4096), info.filename)
                if found is None:
                    continue  # not XML: a picture, vbaProject.bin
                if found[0] is not None:
                    raise Unsuitable(f"{info.filename}: XML in {found[0]}")
                data = read_member(zf, info.filename, limit)
                formulas = _scan_xml(data, info.filename) or formulas
            return formulas
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise FileRejected("file.unreadable", detail=f"tệp nén hỏng ({type(exc).__name__})") from None


def _column(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ch - 0x40
    return n


def _check(rows: int, columns: int, what: str) -> None:
    if rows * columns > MAX_CELLS:
        raise Unsuitable(f"{what}: {rows} x {columns} cells")


_LETTERS3 = re.compile(rb'<c r="[A-Za-z]{3}')
_LETTERS2 = re.compile(rb'<c r="[A-Za-z]{2}')


def _has_formula(data: bytes) -> bool:
    """A formula element in a worksheet (``<f>``, ``<f …/>``, prefixed ``<x:f>``); ``f>`` also finds ``</f>``
    and, harmlessly, ``</xm:sqref>`` (a false alarm only sends the file to the slower reader)."""
    return b"f>" in data or b"<f " in data or b":f " in data or b"<f/" in data


def _rows_below(data: bytes, limit: int) -> bool:
    """No cell reference names a row of ``limit`` or more (tested on its digit count and first digit)."""
    digits = len(str(limit))
    longer = re.compile(rb'<c r="[A-Za-z]{1,3}\d{%d}' % (digits + 1))
    lead = int(str(limit)[0])
    same = re.compile(rb'<c r="[A-Za-z]{1,3}[%d-9]\d{%d}"' % (lead, digits - 1))
    return not longer.search(data) and not same.search(data)


def _fast_ok(data: bytes) -> bool:
    """The grid is within :data:`MAX_CELLS`, seen from byte searches, when every cell is written as Office
    writes it (``<c r="B7" …>``, no prefix); False when the exact count is needed."""
    if b":c " in data or b":c>" in data or b"<c>" in data or data.count(b"<c ") != data.count(b'<c r="'):
        return False
    if _LETTERS3.search(data):
        return False
    width = 702 if _LETTERS2.search(data) else 26
    return _rows_below(data, MAX_CELLS // width)


def _scan_xml(data: bytes, what: str) -> bool:
    """Formulas in a SpreadsheetML part, and its grid bounded by its cell references (cells and rows written
    without a reference are placed after the last one, so they count on top)."""
    if b"sheetData" not in data:  # not a worksheet: calamine reads no cells from it
        return False
    if not _fast_ok(data):
        cells = len(_CELL.findall(data))
        refs = _REF.findall(data)
        rows_total = len(_ROW.findall(data))
        row_refs = [int(r) for r in _ROW_REF.findall(data)]
        height = max([int(r) for _, r in refs] + row_refs + [0]) + rows_total - len(row_refs)
        width = max((_column(c) for c in {c for c, _ in refs}), default=0) + cells - len(refs)
        _check(height, width, what)
    return _has_formula(data)


def _scan_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet's formulas and grids: repeated rows and cells count as often as repeated,
    up to the last that holds something (LibreOffice repeats empty rows to row 1 048 576)."""
    if data.count(_ODS_TABLE_NS) != 1 or b'xmlns:table="' + _ODS_TABLE_NS not in data:
        raise Unsuitable("content.xml: table namespace under another prefix")
    starts = [m.start() for m in _ODS_TABLE.finditer(data)] + [len(data)]
    for a, b in zip(starts, starts[1:]):
        height = width = row = 0
        for m in _ODS_ROW.finditer(data, a, b):
            rep = _ODS_ROWS_REP.search(m.group(1))
            row += int(rep.group(1)) if rep else 1
            col = last = 0
            for c in _ODS_CELL.finditer(m.group(2) or b""):
                rep = _ODS_COLS_REP.search(c.group(1))
                col += int(rep.group(1)) if rep else 1
                if b"value-type" in c.group(1) or not c.group(2):
                    last = col
            if last:
                height, width = row, max(width, last)
        _check(height, width, "content.xml")
    return b"table:formula=" in data


_BIFF_CELLS = {0x00FD, 0x0203, 0x027E, 0x0204, 0x0205, 0x0201, 0x00D6, 0x0006, 0x0406, 0x0206, 0x0003, 0x0004,
               0x0002, 0x0005, 0x0001}
_BIFF_FORMULAS = {0x0006, 0x0406, 0x0206, 0x0221, 0x04BC}
_BIFF_MULTI = {0x00BD, 0x00BE}  # MULRK, MULBLANK: row, first column, ..., last column
_BIFF_BOF = {0x0809, 0x0409, 0x0209, 0x0009}


def _scan_biff(path: Path) -> bool:
    """An .xls workbook's formulas and grids, from the cell records of its Workbook stream."""
    import olefile  # noqa: PLC0415

    try:
        with olefile.OleFileIO(str(path)) as ole:
            name = next((n for n in ("Workbook", "Book") if ole.exists(n)), None)
            if name is None:
                raise FileRejected("file.unreadable", detail="tệp Excel 97-2003 không có dữ liệu bảng tính")
            data = ole.openstream(name).read()
    except FileRejected:
        raise
    except Exception as exc:  # olefile raises OSError and assorted parse errors on damaged files
        raise FileRejected("file.unreadable", detail=f"tệp Excel 97-2003 hỏng ({type(exc).__name__})") from None
    formulas, pos, end = False, 0, len(data)
    height = width = 0
    unpack = struct.unpack_from
    while pos + 4 <= end:
        typ, size = unpack("<HH", data, pos)
        body = pos + 4
        if typ in _BIFF_BOF:
            _check(height, width, "Workbook")
            height = width = 0
        elif typ in _BIFF_CELLS and size >= 4:
            r, c = unpack("<HH", data, body)
            height, width = max(height, r + 1), max(width, c + 1)
        elif typ in _BIFF_MULTI and size >= 6:
            r, = unpack("<H", data, body)
            c, = unpack("<H", data, body + size - 2)
            height, width = max(height, r + 1), max(width, c + 1)
        if typ in _BIFF_FORMULAS:
            formulas = True
        pos = body + size
    _check(height, width, "Workbook")
    return formulas
