"""Reading the worksheets of an .xlsx/.xlsm package into cells as a person sees them in Excel.

Each cell keeps its raw value (text, number, date, boolean) and the text Excel shows for it: dates as
dd/mm/yyyy (date cells and date-formatted numbers), integers without ".0", the literal zeros of a
number format such as ``0#########``; its style's font (and each rich-text run's font) for legacy
encodings.  Merged cells show their top-left value in every cell of the merge (as ``formats/word.py``
repeats gridSpan/vMerge cells); hidden rows, columns and sheets are noted, not dropped.

The worksheet XML is streamed with lxml (no DTD, no entities, no network) inside the package limits of
:class:`~automation.formats.ooxml.Package`; reading a sheet stops :data:`ROW_GAP` rows past its last
non-empty row (a note at row 1 048 576, styled empty rows to the end of the sheet cost nothing).  Knows SpreadsheetML, nothing of
communes or lists.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from automation.formats.numfmt import BUILTIN_FORMATS, date_cell, format_kind, from_serial, number_text
from automation.formats.ooxml import REL_NS, Package
from automation.formats.xmlscan import refuse_dtd_bytes
from automation.problems import FileRejected

_MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
_RELS = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
         "http://purl.oclc.org/ooxml/officeDocument/relationships")
MAX_COLUMNS = 256  # cells right of this are not read (a list has a few dozen columns)
ROW_GAP = 1000  # a sheet is read from the top to this many rows past its last non-empty row
MAX_ROWS = 100_000  # non-empty rows read per sheet, at most
MAX_MERGE_FILL = 1_000_000  # cells filled from merges per sheet, at most
_TRUE = ("1", "true")
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")  # OOXML's escape of control characters in strings


@dataclass(frozen=True)
class Cell:
    value: object  # str | int | float | bool | dt.date | dt.datetime (a date-formatted number)
    text: str  # what Excel shows
    font: str | None = None  # the font of the cell's style
    runs: tuple[tuple[str, str | None], ...] = ()  # rich text: (text, font; None = the cell's font) per run
    merged: bool = False  # covered by a merge: shows the value of the merge's top-left cell
    number_format: str = "General"

    @property
    def is_number(self) -> bool:
        return isinstance(self.value, (int, float)) and not isinstance(self.value, bool)


@dataclass
class Sheet:
    name: str
    index: int  # 1-based position among the workbook's worksheets
    hidden: bool  # state "hidden" or "veryHidden"
    cells: dict[int, dict[int, Cell]]  # row number (1-based) -> column (0 = A) -> non-empty cell
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()
    truncated: bool = False  # non-empty cells past the reading limits were left out
    rows_dropped: int = 0  # how many rows with cells were left out

    @property
    def width(self) -> int:
        return max((max(r) + 1 for r in self.cells.values() if r), default=0)

    def row(self, number: int, width: int | None = None) -> list[Cell | None]:
        cells = self.cells.get(number, {})
        return [cells.get(c) for c in range(self.width if width is None else width)]


@dataclass
class Workbook:
    sheets: list[Sheet]  # worksheets in workbook order (chart and macro sheets left out)
    active: int = 0  # 0-based index in ``sheets`` of the sheet Excel opens on

    @property
    def visible(self) -> list[Sheet]:
        return [s for s in self.sheets if not s.hidden]


# --- parts --------------------------------------------------------------------------------------

class _Styles:
    def __init__(self, root):
        self.fonts: list[str | None] = []
        self.xfs: list[tuple[int, int]] = []
        self.formats: dict[int, str] = dict(BUILTIN_FORMATS)
        if root is None:
            return
        for nf in root.iterfind("{*}numFmts/{*}numFmt"):
            try:
                self.formats[int(nf.get("numFmtId", ""))] = nf.get("formatCode", "General")
            except ValueError:
                continue
        for font in root.iterfind("{*}fonts/{*}font"):
            name = font.find("{*}name")
            self.fonts.append(name.get("val") if name is not None else None)
        for xf in root.iterfind("{*}cellXfs/{*}xf"):
            self.xfs.append((_int(xf.get("numFmtId")), _int(xf.get("fontId"))))

    def of(self, s: int) -> tuple[str | None, str]:
        """(font name, number format code) of cell style ``s``."""
        if not 0 <= s < len(self.xfs):
            return (self.fonts[0] if self.fonts else None), "General"
        fmt, font = self.xfs[s]
        return (self.fonts[font] if 0 <= font < len(self.fonts) else None), self.formats.get(fmt, "General")


def _int(v: str | None, default: int = 0) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _unescape(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def _string_item(si) -> tuple[str, tuple[tuple[str, str | None], ...]]:
    """Text of a shared or inline string (phonetic runs left out) and its rich-text runs."""
    parts, runs = [], []
    for child in si:
        tag = etree.QName(child).localname
        if tag == "t":
            parts.append(_unescape(child.text or ""))
        elif tag == "r":
            t = child.find("{*}t")
            text = _unescape(t.text or "") if t is not None else ""
            rf = child.find("{*}rPr/{*}rFont")
            parts.append(text)
            runs.append((text, rf.get("val") if rf is not None else None))
    return "".join(parts), tuple(runs)


def _rel_targets(pkg: Package, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, absolute part name) of the internal relationships of ``part``."""
    folder, base = posixpath.split(part)
    name = posixpath.join(folder, "_rels", base + ".rels")
    if not pkg.has(name):
        return {}
    out = {}
    for rel in pkg.xml(name).iter(f"{{{REL_NS}}}Relationship"):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target", "")
        target = posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), target)
    return out


def _col(ref: str) -> int:
    n = 0
    for ch in ref:
        o = ord(ch) | 0x20
        if not 0x61 <= o <= 0x7A:
            break
        n = n * 26 + o - 0x60
    return n - 1


def _bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) of "B2:D5": rows 1-based, columns 0-based."""
    m = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)(?::\$?([A-Za-z]{1,3})\$?(\d+))?", ref.strip())
    if not m:
        return None
    c1, r1 = _col(m.group(1)), int(m.group(2))
    c2, r2 = (_col(m.group(3)), int(m.group(4))) if m.group(3) else (c1, r1)
    return min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)


class _SheetReader:
    def __init__(self, strings: list, styles: _Styles, date1904: bool, max_rows: int = MAX_ROWS):
        self.strings, self.styles, self.date1904 = strings, styles, date1904
        self.max_rows = min(max_rows, MAX_ROWS)

    def cell(self, c, ns: str) -> Cell | None:
        t = c.get("t", "n")
        font, code = self.styles.of(_int(c.get("s")))
        if t == "inlineStr":
            box = c.find(ns + "is")
            text, runs = _string_item(box) if box is not None else ("", ())
            return Cell(text, text, font, runs, number_format=code) if text.strip() else None
        v = c.find(ns + "v")
        raw = v.text if v is not None else None
        if raw is None or raw == "":
            return None
        if t == "s":
            i = _int(raw, -1)
            text, runs = self.strings[i] if 0 <= i < len(self.strings) else ("", ())
            return Cell(text, text, font, runs, number_format=code) if text.strip() else None
        if t in ("str", "e"):
            text = _unescape(raw)
            return Cell(text, text, font, number_format=code) if text.strip() else None
        if t == "b":
            return Cell(raw in _TRUE, "TRUE" if raw in _TRUE else "FALSE", font, number_format=code)
        if t == "d":
            try:
                moment = dt.datetime.fromisoformat(raw.replace("Z", ""))
            except ValueError:
                return Cell(raw, raw, font, number_format=code)
            value, text = date_cell(moment, format_kind(code) if format_kind(code) in ("datetime", "time")
                                     else "date", code)
            return Cell(value, text, font, number_format=code)
        try:
            number: int | float = int(raw) if raw.lstrip("-").isdigit() else float(raw)
        except ValueError:
            return Cell(raw, raw, font, number_format=code)
        kind = format_kind(code)
        if kind in ("date", "datetime", "time"):
            moment = from_serial(float(number), self.date1904)
            if moment is not None:
                value, text = date_cell(moment, kind, code)
                return Cell(value, text, font, number_format=code)
        if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
            number = int(number)
        return Cell(number, number_text(number, code), font, number_format=code)

    def read(self, data: bytes, name: str, index: int, hidden: bool) -> Sheet:
        refuse_dtd_bytes(data, f"trang tính {name}")
        tags = [f"{{{ns}}}{t}" for ns in _MAIN for t in ("row", "mergeCell", "col")]
        cells: dict[int, dict[int, Cell]] = {}
        hidden_rows, hidden_cols, merges = set(), set(), []
        last, number, stopped, truncated, dropped = 0, 0, False, False, 0
        try:
            for _, el in etree.iterparse(io.BytesIO(data), events=("end",), tag=tags, resolve_entities=False,
                                         no_network=True, load_dtd=False, huge_tree=False):
                tag = el.tag
                local = tag[tag.index("}") + 1:]
                if local == "mergeCell":
                    merges.append(el.get("ref", ""))
                elif local == "col":
                    if el.get("hidden") in _TRUE:
                        lo, hi = _int(el.get("min"), 1), min(_int(el.get("max"), 1), MAX_COLUMNS)
                        hidden_cols.update(range(lo - 1, hi))
                else:
                    number = _int(el.get("r"), number + 1)
                    stopped = stopped or number > last + ROW_GAP
                    if stopped:
                        if any(len(c) for c in el):
                            truncated, dropped = True, dropped + 1
                    else:
                        ns = tag[:tag.index("}") + 1]
                        row, col = {}, -1
                        for c in el:
                            if c.tag != ns + "c":
                                continue
                            ref = c.get("r")
                            col = _col(ref) if ref else col + 1
                            if 0 <= col < MAX_COLUMNS and (cell := self.cell(c, ns)) is not None:
                                row[col] = cell
                        if row:
                            cells[number] = row
                            last = number
                            stopped = len(cells) >= self.max_rows
                        if el.get("hidden") in _TRUE or el.get("ht") in ("0", "0.0"):
                            hidden_rows.add(number)
                el.clear()
                parent = el.getparent()
                while parent is not None and el.getprevious() is not None:
                    del parent[0]
        except etree.XMLSyntaxError:
            raise FileRejected("file.unreadable", detail=f"trang tính “{name}” bị hỏng (XML không hợp lệ)") from None
        sheet = Sheet(name, index, hidden, cells, frozenset(r for r in hidden_rows if r <= last),
                      frozenset(hidden_cols), truncated, dropped)
        _fill_merges(sheet, merges)
        return sheet


def _fill_merges(sheet: Sheet, merges: list[str]) -> None:
    """Every cell of a merge shows its top-left value, as Excel does; values hidden under a merge go."""
    cells = sheet.cells
    width, last = sheet.width, max(cells, default=0)
    budget = MAX_MERGE_FILL
    for ref in merges:
        b = _bounds(ref)
        if b is None:
            continue
        r1, c1, r2, c2 = b
        r2, c2 = min(r2, last), min(c2, width - 1, MAX_COLUMNS - 1)
        anchor = cells.get(r1, {}).get(c1)
        covered = replace(anchor, merged=True) if anchor is not None else None
        for r in range(r1, r2 + 1):
            if budget <= 0:
                return
            row = cells.get(r)
            if row is None and covered is None:
                continue
            row = cells.setdefault(r, {})
            for c in range(c1, c2 + 1):
                if (r, c) == (r1, c1):
                    continue
                if covered is None:
                    row.pop(c, None)
                else:
                    row[c] = covered
            budget -= c2 - c1 + 1
            if not row:
                del cells[r]


def read_workbook(path: Path, max_part_bytes: int = 64 * 1024 * 1024, max_rows: int = MAX_ROWS) -> Workbook:
    """Read every worksheet of an .xlsx/.xlsm package (already sniffed as OOXML Excel), at most ``max_rows``
    rows with cells per sheet (the rest counted: :attr:`Sheet.rows_dropped`)."""
    with Package(path, max_part_bytes) as pkg:
        main = pkg.main_part()
        root = pkg.xml(main)
        pr = root.find("{*}workbookPr")
        date1904 = pr is not None and pr.get("date1904", "") in _TRUE
        view = root.find("{*}bookViews/{*}workbookView")
        active = _int(view.get("activeTab")) if view is not None else 0
        rels = _rel_targets(pkg, main)
        strings: list = []
        for typ, target in rels.values():
            if typ.endswith("/sharedStrings") and pkg.has(target):
                strings = [_string_item(si) for si in pkg.xml(target).iterfind("{*}si")]
        styles = next((_Styles(pkg.xml(t)) for typ, t in rels.values() if typ.endswith("/styles") and pkg.has(t)),
                      _Styles(None))
        reader = _SheetReader(strings, styles, date1904, max_rows)
        sheets, active_sheet = [], 0
        for position, el in enumerate(root.iterfind("{*}sheets/{*}sheet")):
            rid = next((el.get(f"{{{ns}}}id") for ns in _RELS if el.get(f"{{{ns}}}id")), "")
            typ, target = rels.get(rid, ("", ""))
            if not typ.endswith("/worksheet") or not pkg.has(target):
                continue
            if position == active:
                active_sheet = len(sheets)
            name = el.get("name", f"Sheet{position + 1}")
            hidden = el.get("state", "visible") in ("hidden", "veryHidden")
            sheets.append(reader.read(pkg.read(target), name, len(sheets) + 1, hidden))
        return Workbook(sheets, active_sheet)
