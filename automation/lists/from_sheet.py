"""A respondent list in a workbook: each worksheet seen as a Word document, read by ``find_list``.

A sheet is laid out as clerks lay out a list: title rows ("UBND XÃ …", "CỘNG HÒA …", "DANH SÁCH …", often
merged across the page), the header row(s), the people, then the signature rows.  :func:`sheet_view` turns
it into a :class:`~automation.formats.word.WordDocument`: rows outside tables become paragraphs, each block of
table-like rows a table, so the list is found and read exactly as in a Word file.  Hidden rows and columns
are left out (a person reading the sheet does not see them); legacy-encoded text is decoded, each cell
becoming a run for the encoding findings.

Domain decisions made here: a phone number Excel stored as a number (912345678, its leading zero dropped)
gets the zero back in the list's phone column; which sheet holds the list; and when a title announces a
list of TTHC respondents whose table is not recognised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from automation import vntext
from automation.formats.sheet import Cell, Sheet, Workbook
from automation.formats.word import Fonts, Paragraph, Run, Table, WordDocument
from automation.lists.extract import find_list, looks_like_list_title
from automation.lists.model import RespondentList
from automation.lists.values import is_vietnamese_phone

Decoder = Callable[[str, Fonts], "str | None"]
MAX_GAP = 1  # blank or sparse rows a table may hold between two of its rows
TITLE_ROWS = 8  # rows above the first table read for a title
_NUMBER = re.compile(r"^\d{1,4}[.)]?$")  # an STT
# words of a respondent list's title besides "danh sách" (the plan's list of people who did TTHC)
_LIST_TITLE_WORDS = ("thu tuc hanh chinh", "tthc", "giao dich", "nhan ket qua", "mot cua")


@dataclass
class SheetView:
    sheet: Sheet
    document: WordDocument
    cells: dict[int, list[list[Cell | None]]]  # table index -> its cells, aligned with Table.rows
    titles: list[str]  # paragraph texts above the first table

    @property
    def label(self) -> str:
        return f"trang tính “{self.sheet.name}”"


@dataclass
class SheetList:
    view: SheetView
    respondent_list: RespondentList | None  # None: a title announces a list, no table is recognised


def _fonts(name: str | None) -> Fonts:
    return Fonts(name, name, name, name)


class _Shower:
    """The text each cell shows once decoded, and the runs of the cells that hold text."""

    def __init__(self, decode: Decoder | None):
        self.decode = decode
        self.cache: dict[tuple, tuple[str, list[tuple[str, str | None, str | None]]]] = {}

    def __call__(self, cell: Cell) -> tuple[str, list[tuple[str, str | None, str | None]]]:
        if not isinstance(cell.value, str):
            return cell.text, []
        key = (cell.text, cell.font, cell.runs)
        hit = self.cache.get(key)
        if hit is None:
            pieces = cell.runs or ((cell.text, None),)
            runs = []
            for text, font in pieces:
                font = font or cell.font
                shown = self.decode(text, _fonts(font)) if self.decode and text.strip() else None
                runs.append((text, font, shown if shown != text else None))
            hit = self.cache[key] = ("".join(s or t for t, _, s in runs), runs)
        return hit


def _distinct(texts: list[str]) -> list[str]:
    return list(dict.fromkeys(t for t in (vntext.clean(x) for x in texts) if t))


def sheet_view(sheet: Sheet, decode: Decoder | None = None) -> SheetView:
    """The sheet as a document: paragraphs for title and signature rows, tables for blocks of rows."""
    cols = [c for c in range(sheet.width) if c not in sheet.hidden_columns]
    show = _Shower(decode)
    blocks: list[Paragraph | Table] = []
    tables: dict[int, list[list[Cell | None]]] = {}
    runs: list[Run] = []
    titles: list[str] = []
    table: list[tuple[list[str], list[Cell | None], list[Run]]] = []
    pending: list[tuple[list[str], list[Cell | None], list[Run]] | None] = []

    def paragraph(line) -> None:
        if line is not None and (text := " ".join(_distinct(line[0]))):
            blocks.append(Paragraph(text))
            if not tables and not table:
                titles.append(text)

    def close() -> None:
        if table:
            t = Table(index=len(tables) + 1, rows=[texts for texts, _, _ in table])
            blocks.append(t)
            tables[t.index] = [cells for _, cells, _ in table]
            for _, _, line_runs in table:
                for run in line_runs:
                    run.table = t.index
            table.clear()
        for line in pending:
            paragraph(line)
        pending.clear()

    def feed(line) -> None:
        distinct = _distinct(line[0]) if line is not None else []
        if not table:
            if len(distinct) >= 3:  # a table starts at a row of at least three texts: its header
                table.append(line)
            else:
                paragraph(line)
        elif distinct and _goes_on(line[0], distinct, table[0][0], after_blank=None in pending):
            table.extend(p for p in pending if p is not None)
            pending.clear()
            table.append(line)
        else:  # blank or sparse: kept if the table goes on after it, else the table ended above it
            pending.append(line)
            if len(pending) > MAX_GAP:
                close()

    previous = 0
    for r in sorted(sheet.cells):
        if r in sheet.hidden_rows:
            continue
        blank = sum(1 for x in range(previous + 1, min(r, previous + MAX_GAP + 2)) if x not in sheet.hidden_rows)
        for _ in range(blank if previous else 0):
            feed(None)
        previous = r
        row = sheet.cells[r]
        cells = [row.get(c) for c in cols]
        texts, line_runs = [], []
        for cell in cells:
            if cell is None:
                texts.append("")
                continue
            shown, pieces = show(cell)
            texts.append(shown)
            if not cell.merged:
                line_runs.extend(Run(t, _fonts(f), False, "body", None, s) for t, f, s in pieces)
        runs.extend(line_runs)
        feed((texts, cells, line_runs))
    close()
    last = next((b for b in reversed(blocks) if isinstance(b, Table)), None)
    if sheet.truncated and last is not None:  # rows past the reading limit: counted, not read
        last.total_rows = len(last.rows) + sheet.rows_dropped
    doc = WordDocument(blocks=blocks, tables=[b for b in blocks if isinstance(b, Table)], runs=runs)
    return SheetView(sheet, doc, tables, titles)


def _goes_on(texts: list[str], distinct: list[str], header: list[str], after_blank: bool) -> bool:
    """Does a row carry on the table above it?  A numbered row (an STT), a text across the table (a group
    title, a total) or the header typed again always do; after a blank row nothing else does (three
    signature titles are not people), right below the table any row of three texts does."""
    if any(_NUMBER.match(t) for t in distinct) or _is_band(texts, header):
        return True
    if sum(1 for a, b in zip(texts, header) if a.strip() and vntext.clean(a) == vntext.clean(b)) >= 2:
        return True
    return not after_blank and len(distinct) >= 3


def _is_band(texts: list[str], first: list[str]) -> bool:
    """One text across most of the table (a group title "I. LĨNH VỰC HỘ TỊCH", a total), merged or not."""
    filled = [t for t in texts if t.strip()]
    wide = sum(1 for t in first if t.strip())
    return len(set(filled)) == 1 and len(filled) >= max(2, (wide + 1) // 2)


def _restore_phone_zeros(view: SheetView, rl: RespondentList) -> bool:
    """Give phone numbers stored as numbers (912345678) their leading zero back, in the phone column."""
    col = rl.columns.get("phone")
    if col is None:
        return False
    changed = False
    for table in view.document.tables:
        for texts, cells in zip(table.rows, view.cells.get(table.index, [])):
            cell = cells[col] if col < len(cells) else None
            if cell is None or not cell.is_number or cell.merged:
                continue
            text = texts[col]
            if text.isdigit() and not is_vietnamese_phone(text) and is_vietnamese_phone("0" + text):
                texts[col] = "0" + text
                changed = True
    return changed


def announces_list(texts: list[str]) -> bool:
    """Does a title say this is the list of people who did administrative procedures?"""
    for text in texts:
        k = f" {vntext.ascii_key(text)} "
        if looks_like_list_title([text]) and any(f" {w} " in k for w in _LIST_TITLE_WORDS):
            return True
    return False


def find_sheet_list(book: Workbook, decode: Decoder | None = None) -> SheetList | None:
    """The list of the workbook: on the sheet Excel opens on if it holds one, else on the first sheet that
    does (visible sheets before hidden ones); else a sheet whose title announces a list; else None."""
    views: list[SheetView] = []
    active = book.sheets[book.active] if 0 <= book.active < len(book.sheets) else None
    for group in (book.visible, [s for s in book.sheets if s.hidden]):
        found = []
        for sheet in group:
            view = sheet_view(sheet, decode)
            views.append(view)
            rl = find_list(view.document)
            if rl is not None and _restore_phone_zeros(view, rl):
                rl = find_list(view.document) or rl
            if rl is not None:
                found.append(SheetList(view, rl))
        if found:
            return next((f for f in found if f.view.sheet is active), found[0])
    for view in views:
        if announces_list(view.titles[:TITLE_ROWS]):
            return SheetList(view, None)
    return None
