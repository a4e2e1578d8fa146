"""Read the survey entry workbook staff fill from the paper forms (sheet ``NhapPhieu``).

Layout (made by the forms module): a header row ``Mã phiếu | Mã đơn vị | Đơn vị | Họ và tên | CH01 | CH02 …``
(the header may sit anywhere in the first rows), then one row per issued form; answer cells hold one of
the six answers of :data:`~automation.survey.model.ANSWERS`, blank when the question was not answered.

Answers are matched tolerantly (case, NFC/NFD, tone placement, spacing; typed without diacritics when
that names exactly one answer).  Valid rows are kept when others are wrong:

* ``survey.unknown_form`` — a form code that was not issued (or no code at all): the row is skipped;
* ``survey.duplicate_form`` — the same form twice: the first row is kept, later ones skipped;
* ``survey.bad_answer`` — an answer outside the scale (or a formula): that answer is dropped; also an
  extra column whose header is not a question code: the column is ignored;
* ``survey.unanswered`` (warning) — a form with no answer at all: kept with zero answers.

"""

from __future__ import annotations

import re
import warnings
from itertools import islice
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from automation import vntext
from automation.problems import FileRejected, Location, Problem, problem
from automation.survey.model import ANSWERS, ENTRY_SHEET, FORM_CODE, Question

HEADER_SCAN_ROWS = 20
# columns of the layout that are not questions (ignored when present)
INFO_HEADERS = ("Mã đơn vị", "Đơn vị", "Họ và tên", "STT", "Địa chỉ", "Số điện thoại", "Lĩnh vực",
                "Thủ tục hành chính", "Tên thủ tục hành chính", "Ghi chú")
_BLANK_RUN = 1000  # blank rows that end the table (sheets formatted down to row 1 048 576)
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_FORM_KEY = vntext.key(FORM_CODE)
_INFO_KEYS = frozenset(vntext.key(h) for h in INFO_HEADERS)


@dataclass
class ImportedForm:
    form_code: str
    row: int  # sheet row number
    answers: dict[str, str] = field(default_factory=dict)  # question code -> one of ANSWERS; blanks omitted


@dataclass
class EntryImport:
    forms: list[ImportedForm]
    problems: list[Problem]


# --- answers ------------------------------------------------------------------------------------

_BY_KEY = {vntext.key(a): a for a in ANSWERS}
_BY_ASCII: dict[str, list[str]] = {}
for _a in ANSWERS:
    _BY_ASCII.setdefault(vntext.ascii_key(_a), []).append(_a)


def canonical_answer(text: str) -> str | None:
    """The answer of the scale ``text`` names ("hài lòng", " RẤT HÀI LÒNG ", "Rat hai long"), else None."""
    k = vntext.key(text)
    if not k:
        return None
    found = _BY_KEY.get(k)
    if found is not None:
        return found
    candidates = _BY_ASCII.get(vntext.ascii_key(text), ())
    return candidates[0] if len(candidates) == 1 else None


# --- small helpers ------------------------------------------------------------------------------

def _compact(text: str) -> str:
    """A code compared ignoring case, spacing and the kind of dash: "ch 01" == "CH01"."""
    return _DASHES.sub("-", vntext.clean(text)).replace(" ", "").casefold()


def _is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value) -> str:
    """A number typed in a cell as the text it shows: 9079 -> "9079", 12.0 -> "12"."""
    d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _shown(value) -> str:
    if isinstance(value, str):
        return vntext.clean(value)
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return _number_text(value)
    text = getattr(value, "text", None)  # an array formula
    return vntext.clean(str(text if text is not None else value))


def _is_formula(value) -> bool:
    return (isinstance(value, str) and value.startswith("=")) or hasattr(value, "text")


def _is_entry_sheet(name: str) -> bool:
    return vntext.ascii_key(name).replace(" ", "") == ENTRY_SHEET.lower()


def is_form_header(value: str) -> bool:
    """The "Mã phiếu" header of the entry workbook, however it is typed."""
    return vntext.key(value) == _FORM_KEY


def _find_form_column(row) -> int | None:
    for i, value in enumerate(row):
        if isinstance(value, str) and is_form_header(value):
            return i
    return None


def _open(path: Path):
    import openpyxl  # noqa: PLC0415

    with warnings.catch_warnings():  # openpyxl warns (in English) about every extension it drops
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path, read_only=True, data_only=False, keep_links=False)


def _value_sheets(path: Path, formulas_ok: bool = False) -> list[tuple[str, Callable[[], Rows]]] | None:
    """The sheets' values read with python-calamine (9× faster than openpyxl, .xls/.ods without LibreOffice);
    None when a sheet holds a formula (it must be seen as one: an answer is typed, never computed) or the file
    is one calamine may not read: then openpyxl reads it.  ``FileRejected`` for an unsafe or damaged file."""
    from automation.formats.values import Unsuitable, read_values  # noqa: PLC0415
    from automation.formats.valuescan import MAX_CELLS  # noqa: PLC0415

    try:
        book = read_values(path, max_rows=MAX_CELLS)
    except Unsuitable:
        return None
    if book.formulas and not formulas_ok:
        return None
    return [(s.name, s.numbered) for s in book.sheets]


def _ordered_sheets(wb) -> list:
    return sorted(wb.worksheets, key=lambda ws: not _is_entry_sheet(ws.title))


# --- the public API -----------------------------------------------------------------------------

def looks_like_entry_workbook(path: Path) -> bool:
    """Cheap test: a sheet (``NhapPhieu`` first) with a “Mã phiếu” header in its first rows."""
    try:
        sheets = _value_sheets(Path(path), formulas_ok=True)
    except FileRejected:
        return False
    if sheets is not None:
        return any(_find_form_column(row) is not None for _, rows in sheets
                   for _n, row in islice(rows(), HEADER_SCAN_ROWS))
    try:
        wb = _open(Path(path))
    except Exception:  # not a workbook, damaged, encrypted
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for ws in _ordered_sheets(wb):
                if not hasattr(ws, "iter_rows"):  # chart sheets
                    continue
                if hasattr(ws, "reset_dimensions"):
                    ws.reset_dimensions()  # a stale <dimension> must not hide the header's columns
                for row in ws.iter_rows(min_row=1, max_row=HEADER_SCAN_ROWS, values_only=True):
                    if _find_form_column(row) is not None:
                        return True
    except Exception:
        return False
    finally:
        wb.close()
    return False


def read_entry_workbook(path: Path, issued: set[str], questions: list[Question]) -> EntryImport:
    """The forms typed into the entry workbook ``path`` and the problems found.

    ``issued`` are the form codes handed out (the sampled people); ``questions`` the survey's questions,
    whose codes head the answer columns.  Valid rows are kept when others are wrong.
    """
    path = Path(path)
    try:
        sheets = _value_sheets(path)
    except FileRejected as exc:  # unsafe, damaged, encrypted: the format layer's code and detail
        return EntryImport([], [replace(exc.problem, location=Location(part=path.name))])
    if sheets is not None:
        return _scan(sheets, issued, questions)
    try:
        wb = _open(path)
    except Exception as exc:  # damaged or not a workbook
        return EntryImport([], [problem("file.unreadable", Location(part=path.name),
                                        detail=f"tệp Excel hỏng hoặc không đúng định dạng ({type(exc).__name__})")])
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return _scan(_sheets(wb), issued, questions)
    except Exception as exc:  # a broken part found while streaming the sheet
        return EntryImport([], [problem("file.unreadable", Location(part=path.name),
                                        detail=f"không đọc được trang nhập phiếu ({type(exc).__name__})")])
    finally:
        wb.close()


# --- reading ------------------------------------------------------------------------------------

class _Reader:
    def __init__(self, sheet: str, issued: set[str], questions: list[Question]):
        self.sheet = sheet
        self.problems: list[Problem] = []
        self.forms: list[ImportedForm] = []
        self.first_row: dict[str, int] = {}  # form code -> row it was first seen
        self.issued = {_compact(c): c for c in issued}
        # a code typed as a number loses its leading zeros: 907901 for "0907901"
        self.issued_digits = {c.lstrip("0"): c for c in issued if c.isdigit()}
        self.by_code = {_compact(q.code): q.code for q in questions}
        self.answer_cache: dict[str, str | None] = {}
        self.form_col = 0
        self.form_header = FORM_CODE
        self.columns: list[tuple[int, str, str]] = []  # (0-based column, question code, header as written)

    def loc(self, row: int, column: str | None) -> Location:
        return Location(part=self.sheet, row=row, column=column)

    # the header row
    def header(self, row: tuple, n: int, form_col: int) -> None:
        self.form_col = form_col
        self.form_header = vntext.clean(row[form_col])
        taken: dict[str, str] = {}
        for i, value in enumerate(row):
            if i == form_col or _is_blank(value):
                continue
            text = _shown(value)
            if vntext.key(text) in _INFO_KEYS:
                continue
            code = self._question_code(text)
            if code is None:
                self.problems.append(problem(
                    "survey.bad_answer", self.loc(n, text), column=text,
                    detail=f"cột “{text}” không phải mã câu hỏi nào của phiếu khảo sát, cột này bị bỏ qua"))
            elif code in taken:
                self.problems.append(problem(
                    "survey.bad_answer", self.loc(n, text), column=text, question=code,
                    detail=f"cột “{text}” lặp lại câu hỏi {code} của cột “{taken[code]}”, cột này bị bỏ qua"))
            else:
                taken[code] = text
                self.columns.append((i, code, text))

    def _question_code(self, text: str) -> str | None:
        code = self.by_code.get(_compact(text))
        if code is None:  # "CH01. Thái độ của công chức" or "CH01 - …"
            first = re.split(r"[\s.:\-–—)]+", vntext.clean(text), maxsplit=1)[0]
            code = self.by_code.get(_compact(first))
        return code

    # the data rows
    def form_code(self, value) -> tuple[str | None, str]:
        """(the issued code, the code as typed) for the form-code cell."""
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            typed = _number_text(value)
            found = self.issued.get(_compact(typed)) or self.issued_digits.get(typed.lstrip("0"))
            return found, typed
        typed = _shown(value)
        if _is_formula(value):
            return None, typed
        return self.issued.get(_compact(typed)), typed

    def answer(self, value) -> str | None:
        if isinstance(value, str):
            found = self.answer_cache.get(value, False)
            if found is False:
                found = self.answer_cache[value] = None if value.startswith("=") else canonical_answer(value)
            return found
        return None

    def row(self, row: tuple, n: int) -> None:
        width = len(row)
        raw_code = row[self.form_col] if self.form_col < width else None
        cells = [(code, text, row[i] if i < width else None) for i, code, text in self.columns]
        has_answer = any(not _is_blank(v) for _, _, v in cells)
        if _is_blank(raw_code):
            if has_answer:
                self.problems.append(problem("survey.unknown_form", self.loc(n, self.form_header), form="",
                                             detail="dòng có câu trả lời nhưng chưa ghi mã phiếu"))
            return  # an empty row (or only names typed): nothing to import
        code, typed = self.form_code(raw_code)
        if code is None:
            what = (f"ô mã phiếu chứa công thức “{typed}”" if _is_formula(raw_code)
                    else f"mã phiếu “{typed}”")
            self.problems.append(problem("survey.unknown_form", self.loc(n, self.form_header), form=typed,
                                         detail=what))
            return
        if code in self.first_row:
            self.problems.append(problem("survey.duplicate_form", self.loc(n, self.form_header), form=code,
                                         first_row=self.first_row[code]))
            return
        self.first_row[code] = n
        answers: dict[str, str] = {}
        for q, header, value in cells:
            if _is_blank(value):
                continue
            found = self.answer(value)
            if found is None:
                shown = _shown(value)
                what = (f"ô chứa công thức “{shown}”, cần ghi trực tiếp câu trả lời" if _is_formula(value)
                        else f"“{shown}” không phải một trong sáu mức trả lời")
                self.problems.append(problem("survey.bad_answer", self.loc(n, header), form=code, question=q,
                                             value=shown, detail=f"phiếu {code}, câu {q}: {what}"))
                continue
            answers[q] = found
        if not has_answer:
            self.problems.append(problem("survey.unanswered", self.loc(n, self.form_header), form=code))
        self.forms.append(ImportedForm(code, n, answers))


Rows = Iterable[tuple[int, tuple]]  # (sheet row number, cell values by column), blank rows may be left out


def _scan(sheets: list[tuple[str, Callable[[], Rows]]], issued: set[str], questions: list[Question]) -> EntryImport:
    """Find the header (sheet ``NhapPhieu`` first) and read the forms below it."""
    for title, rows in sorted(sheets, key=lambda s: not _is_entry_sheet(s[0])):
        reader = None
        last = 0  # the last non-blank row
        for n, row in rows():
            if reader is None:
                if n > HEADER_SCAN_ROWS:
                    break
                col = _find_form_column(row)
                if col is not None:
                    reader = _Reader(title, issued, questions)
                    reader.header(row, n, col)
                    last = n
                continue
            if n - last > _BLANK_RUN:  # far below the last filled row: the rest is formatting only
                break
            if all(_is_blank(v) for v in row):
                continue
            last = n
            reader.row(row, n)
        if reader is not None:
            return EntryImport(reader.forms, reader.problems)
    return EntryImport([], [problem(
        "file.unreadable", Location(part=ENTRY_SHEET),
        detail=f"không có trang “{ENTRY_SHEET}” với cột “{FORM_CODE}” trong {HEADER_SCAN_ROWS} dòng đầu")])


def _sheets(wb) -> list[tuple[str, Callable[[], Rows]]]:
    def rows(ws) -> Rows:
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # a wrong <dimension> in the file must not cut rows or columns off
        return enumerate(ws.iter_rows(min_row=1, values_only=True), start=1)

    return [(ws.title, lambda ws=ws: rows(ws)) for ws in wb.worksheets if hasattr(ws, "iter_rows")]
