"""Read a commune's self-assessment workbook (sheet ``TuDanhGia``) and check it against the framework.

Layout: a few title rows (title, "Đơn vị: Xã Kim Xá", "Mã đơn vị: 09079"), the header row
``Mã tiêu chí | Nội dung | Điểm tối đa | Điểm tự chấm | Tài liệu kiểm chứng | Giải trình cách chấm`` (or just
``Giải trình``), one row per scored criterion (in any order), maybe a total row ("Tổng điểm tự chấm", first
cell empty).  A score lies in its criterion's :attr:`~automation.scoring.framework.Criterion.range` (a penalty
from minus its maximum to 0); a non-zero score needs evidence or an explanation (``score.evidence_missing``).
Formulas are computed by :mod:`automation.formats.formula`; cached values are never trusted.
"""

from __future__ import annotations

import datetime as dt
import re
import warnings
from dataclasses import dataclass, field, replace
from decimal import Context, Decimal
from pathlib import Path

from automation import vntext
from automation.formats.formula import FormulaError, SheetEvaluator
from automation.problems import FileRejected, Location, Problem, problem
from automation.scoring.framework import Framework, show_points

SHEET = "TuDanhGia"
CODE, CONTENT, MAX, SCORE, EVIDENCE, EXPLANATION = HEADERS = (
    "Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Tài liệu kiểm chứng", "Giải trình")
UNIT_CODE_LABEL = "Mã đơn vị"
_HEADER_SCAN_ROWS = 50
_LIST_MAX = 12  # codes listed in one structure problem
_BLANK_RUN = 1000  # rows without a code that end the table (sheets formatted down to row 1 048 576)
_CODE = re.compile(r"^\d+(\.\d+)*$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)?|[.,]\d+)$")
_FIXED = re.compile(r"^0(?:\.(0+))?$")
_DIGITS15 = Context(prec=15)
_TOTAL_WORDS = {vntext.key("Tổng"), vntext.key("Cộng")}


@dataclass
class ScoreLine:
    code: str
    row: int  # sheet row number
    self_score: Decimal | None  # None when left empty or not a number; out-of-range numbers are kept as typed
    evidence: str = ""
    explanation: str = ""


@dataclass
class SelfAssessment:
    unit_text: str  # the lines above the header (title, "Đơn vị: ...", "Mã đơn vị: ...")
    unit_code: str | None  # the value next to "Mã đơn vị", if any
    lines: dict[str, ScoreLine] = field(default_factory=dict)  # by criterion code, scored criteria only
    total: Decimal = Decimal(0)  # sum of the valid self scores (missing / invalid count 0)
    sheet: str = SHEET

    def to_dict(self) -> dict:
        """Plain values (Decimals as text) for the ledger: what was read, so nobody reads the file again."""
        return {"unit_text": self.unit_text, "unit_code": self.unit_code, "total": str(self.total),
                "sheet": self.sheet,
                "lines": [{"code": ln.code, "row": ln.row, "self_score": None if ln.self_score is None
                           else str(ln.self_score), "evidence": ln.evidence, "explanation": ln.explanation}
                          for ln in self.lines.values()]}

    @classmethod
    def from_dict(cls, d: dict) -> "SelfAssessment":
        lines = {x["code"]: ScoreLine(x["code"], x["row"], None if x["self_score"] is None
                                      else Decimal(x["self_score"]), x.get("evidence", ""),
                                      x.get("explanation", "")) for x in d["lines"]}
        return cls(d["unit_text"], d["unit_code"], lines, Decimal(d["total"]), d.get("sheet", SHEET))


def read_self_assessment(path: Path, framework: Framework) -> tuple[SelfAssessment | None, list[Problem]]:
    """The self-assessment in ``path`` (.xlsx/.xlsm) and the problems found; ``None`` if no table is readable."""
    import openpyxl  # noqa: PLC0415

    from automation.formats.ooxml import refuse_dtds  # noqa: PLC0415

    try:
        refuse_dtds(path)  # openpyxl parses the parts itself: none may declare a DTD (defusedxml is a second line)
    except FileRejected as exc:
        return None, [replace(exc.problem, location=Location(part=Path(path).name))]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, data_only=False, keep_links=False)
    except Exception as exc:  # damaged or not a workbook: the format layer normally caught it earlier
        return None, [problem("file.unreadable", Location(part=Path(path).name),
                              detail=f"tệp Excel hỏng hoặc không đúng định dạng ({type(exc).__name__})")]
    try:
        return _read(wb, framework)
    finally:
        wb.close()


# --- finding the table --------------------------------------------------------------------------

def _is_self_sheet(name: str) -> bool:
    return vntext.ascii_key(name).replace(" ", "") == SHEET.lower()


def _header_columns(row: tuple) -> dict[str, tuple[int, str]]:
    """{canonical header: (0-based column, header text as written)} for the header cells in ``row``."""
    found: dict[str, tuple[int, str]] = {}
    for i, cell in enumerate(row):
        if not isinstance(cell.value, str):
            continue
        k = vntext.key(cell.value)
        for h in HEADERS:
            hk = vntext.key(h)
            if h not in found and (k == hk or k.startswith(hk + " ")):
                found[h] = (i, vntext.clean(cell.value))
                break
    return found


def _find_table(wb):
    sheets = sorted(wb.worksheets, key=lambda ws: not _is_self_sheet(ws.title))
    for ws in sheets:
        for n, row in enumerate(ws.iter_rows(max_row=min(ws.max_row, _HEADER_SCAN_ROWS)), start=1):
            cols = _header_columns(row)
            if CODE in cols and SCORE in cols:
                return ws, n, cols
    return None, None, None


# --- reading cells ------------------------------------------------------------------------------

def _raw(ev: SheetEvaluator, cell):
    """The cell's value with formulas computed (FormulaError when they cannot be)."""
    if cell.data_type == "e":
        raise FormulaError(str(cell.value))
    if cell.data_type == "f" or hasattr(cell.value, "text"):
        return ev.value(cell.coordinate)
    return cell.value


def _text(ev: SheetEvaluator, cell) -> str:
    try:
        value = _raw(ev, cell)
    except FormulaError:
        return vntext.clean(str(cell.value))
    if value is None:
        return ""
    if isinstance(value, (float, Decimal)) and not isinstance(value, bool):
        return _show(Decimal(repr(value)) if isinstance(value, float) else value)
    return vntext.clean(str(value))


def _code(ev: SheetEvaluator, cell) -> str:
    """A criterion code as the sheet shows it: 1.10 formatted "0.00" stays "1.10"; General 1.1 is "1.1"."""
    try:
        value = _raw(ev, cell)
    except FormulaError:
        return vntext.clean(str(cell.value))
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        fixed = _FIXED.match(cell.number_format or "")
        if fixed:
            return f"{value:.{len(fixed[1] or '')}f}"
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return format(_DIGITS15.plus(d).normalize(), "f")
    return "" if value is None else vntext.clean(str(value)).rstrip(".").strip()


_show = show_points  # a number as a Vietnamese reader writes it: 1,5


def _score(ev: SheetEvaluator, cell) -> tuple[str, Decimal | str | None]:
    """("ok", number) | ("missing", None) | ("nan", text as typed)."""
    try:
        value = _raw(ev, cell)
    except FormulaError:
        return "nan", vntext.clean(str(getattr(cell.value, "text", cell.value)))
    if value is None:
        return "missing", None
    if isinstance(value, bool):
        return "nan", "TRUE" if value else "FALSE"
    if isinstance(value, (int, float, Decimal)):
        d = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        return "ok", _DIGITS15.plus(d)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):  # "1.5" typed where Excel reads dates
        return "nan", value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)
    text = vntext.clean(str(value)).replace(" ", "")
    if not text:
        return "missing", None
    if _NUMBER.match(text):  # "1,5" typed as text (Vietnamese decimal comma) or "1.5"
        return "ok", Decimal(text.replace(",", "."))
    return "nan", vntext.clean(str(value))


def _unit(ev: SheetEvaluator, rows: list[tuple]) -> tuple[str, str | None]:
    lines, code = [], None
    label = vntext.key(UNIT_CODE_LABEL)
    for row in rows:
        texts = [(cell, _text(ev, cell)) for cell in row]
        texts = [(cell, t) for cell, t in texts if t]
        if texts:
            lines.append(" ".join(t for _, t in texts))
        for i, (cell, t) in enumerate(texts):
            if code is None and vntext.key(t).startswith(label):
                after = t.split(":", 1)[1].strip() if ":" in t else ""
                if not after and i + 1 < len(texts):
                    nxt = texts[i + 1][0]
                    after = texts[i + 1][1]
                    zeros = re.fullmatch(r"0+", nxt.number_format or "")
                    if isinstance(nxt.value, int) and zeros:
                        after = str(nxt.value).zfill(len(zeros[0]))
                code = after or None
    return "\n".join(lines), code


def _is_total(texts: list[str]) -> bool:
    return any(vntext.key(t).split(" ", 1)[0] in _TOTAL_WORDS for t in texts if t)


def _listing(items: list[str]) -> str:
    shown = ", ".join(items[:_LIST_MAX])
    return shown + (f" … ({len(items)} dòng)" if len(items) > _LIST_MAX else "")


def _out_of_range(crit, value: Decimal, at: Location) -> list[Problem]:
    """The problem of a score outside the criterion's range, if it is."""
    lo, hi = crit.range
    # the letter's scores in the documents' style ("3,00", "2,50"); the range is a rule, written as configured
    params = dict(code=crit.code, value=vntext.number(value), max=vntext.number(crit.max_points),
                  range=crit.range_text)
    if value < lo:
        return [problem("score.below_min" if crit.is_penalty else "score.negative", at, **params)]
    if value > hi:
        return [problem("score.penalty_positive" if crit.is_penalty else "score.above_max", at, **params)]
    return []


# --- the whole sheet ----------------------------------------------------------------------------

def _read(wb, framework: Framework) -> tuple[SelfAssessment | None, list[Problem]]:
    ws, header_row, cols = _find_table(wb)
    if ws is None:
        part = next((w.title for w in wb.worksheets if _is_self_sheet(w.title)), None)
        return None, [problem("score.structure_changed", Location(part=part),
                              detail=f"không tìm thấy dòng tiêu đề có cột “{CODE}” và cột “{SCORE}”")]
    where = ws.title
    ev = SheetEvaluator(ws)
    width = max(i for i, _ in cols.values()) + 1  # the table needs no column right of its header
    above = (list(ws.iter_rows(min_row=1, max_row=header_row - 1, max_col=max(width, min(ws.max_column, 30))))
             if header_row > 1 else [])
    unit_text, unit_code = _unit(ev, above)
    problems: list[Problem] = []
    missing_cols = [h for h in (CONTENT, EVIDENCE, EXPLANATION) if h not in cols]
    if missing_cols:
        problems.append(problem("score.structure_changed", Location(part=where),
                                detail="thiếu cột " + ", ".join(missing_cols)))

    def cell_of(row, name):
        return row[cols[name][0]] if name in cols and cols[name][0] < len(row) else None

    expected = {c.code: c for c in framework.scored}
    found: dict[str, tuple[int, tuple]] = {}
    added: list[str] = []
    uncoded = 0
    for n, row in enumerate(ws.iter_rows(min_row=header_row + 1, max_row=ws.max_row, max_col=width),
                            start=header_row + 1):
        code = _code(ev, row[cols[CODE][0]])
        if not _CODE.match(code):  # no code (a heading, a blank or a signature line) or the total
            content = cell_of(row, CONTENT)
            uncoded += 1
            if _is_total([code, _text(ev, content) if content is not None else ""]) or uncoded > _BLANK_RUN:
                break
            continue
        uncoded = 0
        if code in found:
            added.append(f"{code} (trùng, dòng {n})")
        elif code in expected:
            found[code] = (n, row)
        elif code not in framework.by_code:  # parent and survey criteria rows are tolerated
            added.append(code)

    sa = SelfAssessment(unit_text, unit_code, sheet=where)
    renamed: list[str] = []
    score_col = cols[SCORE][1]
    note_col = cols[EVIDENCE][1] if EVIDENCE in cols else EVIDENCE
    for code, (n, row) in sorted(found.items(), key=lambda item: item[1][0]):
        crit = expected[code]
        content = cell_of(row, CONTENT)
        if content is not None and vntext.key(_text(ev, content)) != vntext.key(crit.content):
            renamed.append(code)
        evidence = _text(ev, cell_of(row, EVIDENCE)) if EVIDENCE in cols else ""
        explanation = _text(ev, cell_of(row, EXPLANATION)) if EXPLANATION in cols else ""
        kind, value = _score(ev, row[cols[SCORE][0]])
        at = Location(part=where, row=n, column=score_col)
        line = ScoreLine(code, n, value if kind == "ok" else None, evidence, explanation)
        sa.lines[code] = line
        if kind == "missing":
            problems.append(problem("score.missing", at, code=code))
            continue
        if kind == "nan":
            problems.append(problem("score.not_a_number", at, code=code, value=value))
            continue
        wrong = _out_of_range(crit, value, at)
        problems.extend(wrong)
        if not wrong:
            sa.total += value
        if (value > 0 or (crit.is_penalty and value < 0)) and not evidence and not explanation \
                and (EVIDENCE in cols or EXPLANATION in cols):
            problems.append(problem("score.evidence_missing", Location(part=where, row=n, column=note_col),
                                    code=code, value=vntext.number(value)))

    missing = [c.code for c in framework.scored if c.code not in found]
    structure = [(missing, "thiếu tiêu chí "), (added, "thêm dòng "), (renamed, "sửa nội dung tiêu chí ")]
    problems[:0] = [problem("score.structure_changed", Location(part=where), detail=label + _listing(items))
                    for items, label in structure if items]
    return sa, problems
