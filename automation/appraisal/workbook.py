"""The appraisal workbook ``outbox/tham-dinh-<year>.xlsm``: the council's desk, with a "Tính lại" button.

``ThamDinh`` has one row per unit and scored criterion (self-score, the council's score and comment,
links to the archived evidence); ``TongHop`` one row per unit with the index and rank.  The workbook is
rebuilt whenever scores arrive without losing what the council typed (merged back by unit and
criterion), never while Excel has it open, always atomically, and always with its VBA project and
button (XlsxWriter writes both; openpyxl only reads).
"""

from __future__ import annotations

import logging
import os
import uuid
import warnings
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from automation import vntext
from automation.config import Settings
from automation.problems import CchcError
from automation.scoring.framework import Framework, workspace_framework
from automation.scoring.index import UnitInput, UnitResult, compute

log = logging.getLogger(__name__)

THAM_DINH = "ThamDinh"
TONG_HOP = "TongHop"
TD_HEADERS = ("Mã đơn vị", "Đơn vị", "Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Điểm thẩm định",
              "Nhận xét", "Tài liệu kiểm chứng")
TH_HEADERS = ("Mã đơn vị", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm",
              "Chỉ số (%)", "Xếp hạng", "Trạng thái")
MACRO = "TinhLai"
BUTTON_CAPTION = "Tính lại"
VBA_PROJECT = Path(__file__).resolve().parents[1] / "data" / "vbaProject.bin"
TEMP_PREFIX = ".~cchc-"
NOTES_ROW = 9  # TongHop!K9 down: cells the recompute could not count
MAX_NOTES = 30


@dataclass
class Row:
    """One ThamDinh row: a unit and a scored criterion."""

    unit_code: str
    unit_name: str
    code: str
    content: str
    max_points: Decimal
    self_score: object = None  # Decimal, or text as typed (never lost)
    appraised: object = None  # Decimal, or text as typed
    comment: str = ""
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (display name, path from outbox/)
    evidence_text: str = ""  # the commune's own reference


@dataclass
class Table:
    rows: list[Row]
    survey: dict[str, object]  # unit code -> survey points (Decimal or text as typed)
    results: list[UnitResult] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # Vietnamese notes on cells that are not numbers
    survey_notes: list[str] = field(default_factory=list)  # survey criteria without answers


def workbook_path(settings: Settings) -> Path:
    return settings.path("outbox", f"tham-dinh-{settings.year}.xlsm")


def open_in_excel(path: Path) -> bool:
    """Excel marks an open workbook with an owner file ``~$<name>`` (long names lose leading letters)."""
    folder = path.parent
    if not folder.is_dir():
        return False
    tail = path.name[2:].lower()
    return any(p.name.startswith("~$") and p.name.lower().endswith(tail) for p in folder.iterdir())


def as_number(value) -> Decimal | None:
    """A score as staff or communes type it (1.5, "1,5", " 2 "); None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


# --- reading the workbook (openpyxl here, xlwings in automation.excel_button) ---------------------------

def _key(v) -> str:
    return "" if v is None else vntext.clean(str(v))


def table_from_values(td: list[list], th: list[list], framework: Framework, settings: Settings) -> Table:
    """The table as the workbook holds it, from the two sheets' values (header rows included).

    Shared by ``cchc recompute`` (openpyxl) and the Excel button (xlwings), so both compute alike.
    """
    typed: dict[tuple[str, str], tuple] = {}
    for r in td[1:]:
        r = list(r) + [None] * (len(TD_HEADERS) - len(r))
        if _key(r[0]) and _key(r[2]):
            typed[(_key(r[0]), _key(r[2]))] = (r[5], r[6], _key(r[7]), r[8])
    survey = {}
    for r in th[1:]:
        r = list(r) + [None] * (len(TH_HEADERS) - len(r))
        if _key(r[0]) and r[4] not in (None, ""):
            survey[_key(r[0])] = r[4]
    rows = []
    for unit in settings.units:
        for c in framework.scored:
            own, council, comment, evidence = typed.get((unit.code, c.code), (None, None, "", None))
            rows.append(Row(unit.code, unit.full_name, c.code, c.content, c.max_points,
                            _number_or_text(own), _number_or_text(council), comment,
                            evidence_text=_key(evidence)))
    return Table(rows, {k: _number_or_text(v) for k, v in survey.items()})


def _number_or_text(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    n = as_number(v)
    return n if n is not None else vntext.clean(str(v))


def read_workbook(path: Path, framework: Framework, settings: Settings) -> Table:
    """The workbook's two tables, read in one streaming pass; formulas typed by staff are computed by
    the tool (a cached value is never trusted)."""
    import openpyxl  # noqa: PLC0415
    from automation.formats.formula import FormulaError, SheetEvaluator  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheets = []
        for name in (THAM_DINH, TONG_HOP):
            if name not in wb.sheetnames:
                sheets.append([])
                continue
            values, formulas, cells = [], [], {}
            for row in wb[name].iter_rows():
                out = []
                for cell in row:
                    if cell.value is not None and hasattr(cell, "column"):
                        cells[(cell.row, cell.column)] = cell
                        if cell.data_type == "f":
                            formulas.append((len(values), len(out), cell.coordinate))
                    out.append(cell.value)
                values.append(out)
            if formulas:
                ev = SheetEvaluator(cells=cells)
                for r, c, coord in formulas:
                    try:
                        values[r][c] = ev.value(coord)
                    except FormulaError:
                        pass  # kept as typed, reported as not a number
            sheets.append(values)
    finally:
        wb.close()
    return table_from_values(sheets[0], sheets[1], framework, settings)


# --- computing ----------------------------------------------------------------------------------

def compute_table(table: Table, framework: Framework, settings: Settings) -> Table:
    inputs: dict[str, UnitInput] = {u.code: UnitInput(u.code, u.full_name) for u in settings.units}
    table.invalid = []
    for r in table.rows:
        u = inputs[r.unit_code]
        for label, raw, target in (("tự chấm", r.self_score, u.self_scores), ("thẩm định", r.appraised, u.appraised)):
            n = raw if isinstance(raw, Decimal) else None
            if raw is not None and (n is None or n < 0 or n > r.max_points):
                table.invalid.append(f"{r.unit_name}, tiêu chí {r.code}: điểm {label} “{raw}” không hợp lệ "
                                     f"(0 – {r.max_points}), chưa được tính")
                n = None
            target[r.code] = n
        if r.self_score is not None:
            u.has_self_assessment = True
    for code, raw in table.survey.items():
        if code in inputs:
            if isinstance(raw, Decimal) and raw >= 0:
                inputs[code].survey = raw
            else:
                table.invalid.append(f"đơn vị {code}: điểm điều tra XHH “{raw}” không hợp lệ, chưa được tính")
    table.results = compute(framework, list(inputs.values()))
    return table


# --- writing ------------------------------------------------------------------------------------

def write_workbook(path: Path, table: Table, framework: Framework, settings: Settings) -> Path:
    """Write the whole workbook atomically with XlsxWriter (VBA project and button included)."""
    import xlsxwriter  # noqa: PLC0415

    if open_in_excel(path):
        raise CchcError("appraisal.locked", path=str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}.xlsm")
    try:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_vba_name("ThisWorkbook")
        wb.add_vba_project(str(VBA_PROJECT))
        wb.set_properties({"title": f"Thẩm định Chỉ số CCHC năm {settings.year}", "author": "cchc"})
        formats = _formats(wb)
        _write_tham_dinh(wb, formats, table)
        _write_tong_hop(wb, formats, table, framework)
        wb.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _formats(wb) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top"}
    return {
        "head": wb.add_format({**base, "bold": True, "text_wrap": True, "bg_color": "#DDEBF7", "border": 1,
                               "align": "center", "valign": "vcenter"}),
        "text": wb.add_format({**base, "text_wrap": True, "border": 1}),
        "code": wb.add_format({**base, "border": 1, "num_format": "@"}),
        "num": wb.add_format({**base, "border": 1, "num_format": "0.00"}),
        "input": wb.add_format({**base, "border": 1, "num_format": "0.00", "bg_color": "#FFF2CC", "locked": False}),
        "input_text": wb.add_format({**base, "border": 1, "text_wrap": True, "bg_color": "#FFF2CC", "locked": False}),
        "link": wb.add_format({**base, "border": 1, "font_color": "blue", "underline": 1, "text_wrap": True}),
        "note": wb.add_format({**base, "italic": True, "text_wrap": True}),
    }


def _put(ws, r: int, c: int, value, fmt_num, fmt_text) -> None:
    """Numbers as numbers; anything else as TEXT, so "=..." typed in a commune file never becomes a formula."""
    if isinstance(value, Decimal):
        ws.write_number(r, c, float(value), fmt_num)
    elif value is None:
        ws.write_blank(r, c, None, fmt_num)
    else:
        ws.write_string(r, c, str(value), fmt_text)


def _write_tham_dinh(wb, f: dict, table: Table) -> None:
    ws = wb.add_worksheet(THAM_DINH)
    ws.set_vba_name("Sheet1")
    ws.write_row(0, 0, TD_HEADERS, f["head"])
    for i, r in enumerate(table.rows, start=1):
        ws.write_string(i, 0, r.unit_code, f["code"])
        ws.write_string(i, 1, r.unit_name, f["text"])
        ws.write_string(i, 2, r.code, f["code"])
        ws.write_string(i, 3, r.content, f["text"])
        ws.write_number(i, 4, float(r.max_points), f["num"])
        _put(ws, i, 5, r.self_score, f["num"], f["text"])
        _put(ws, i, 6, r.appraised, f["input"], f["input_text"])
        ws.write_string(i, 7, r.comment, f["input_text"]) if r.comment else ws.write_blank(i, 7, None, f["input_text"])
        shown = "; ".join(filter(None, [r.evidence_text, *(name for name, _ in r.evidence)]))
        if r.evidence:
            ws.write_url(i, 8, "external:" + r.evidence[0][1], f["link"], string=shown[:250])
        else:
            ws.write_string(i, 8, shown, f["text"])
    last = len(table.rows)
    if last:
        ws.data_validation(1, 6, last, 6, {
            "validate": "custom", "value": "=AND(ISNUMBER(G2),G2>=0,G2<=E2)",
            "error_title": "Điểm thẩm định", "error_message": "Nhập số từ 0 đến điểm tối đa của tiêu chí.",
            "input_title": "Điểm thẩm định", "input_message": "Từ 0 đến điểm tối đa (cột E)."})
        ws.autofilter(0, 0, last, len(TD_HEADERS) - 1)
    ws.freeze_panes(1, 0)
    for col, width in enumerate((10, 22, 10, 60, 9, 9, 11, 36, 40)):
        ws.set_column(col, col, width)


def _write_tong_hop(wb, f: dict, table: Table, framework: Framework) -> None:
    ws = wb.add_worksheet(TONG_HOP)
    ws.set_vba_name("Sheet2")
    ws.write_row(0, 0, TH_HEADERS, f["head"])
    for i, r in enumerate(table.results, start=1):
        ws.write_string(i, 0, r.code, f["code"])
        ws.write_string(i, 1, r.name, f["text"])
        ws.write_number(i, 2, float(r.self_total), f["num"])
        ws.write_number(i, 3, float(r.appraised_total), f["num"])
        raw_survey = table.survey.get(r.code)
        _put(ws, i, 4, raw_survey, f["input"], f["input_text"])
        ws.write_number(i, 5, float(r.total), f["num"])
        ws.write_number(i, 6, float(r.index), f["num"])
        ws.write_number(i, 7, r.rank, f["code"])
        ws.write_string(i, 8, r.status, f["text"])
    ws.freeze_panes(1, 0)
    for col, width in enumerate((10, 24, 11, 11, 11, 10, 10, 8, 22)):
        ws.set_column(col, col, width)
    ws.set_column(10, 10, 48)
    ws.insert_button(1, 10, {"macro": MACRO, "caption": BUTTON_CAPTION, "width": 140, "height": 36})
    notes = [f"Tổng điểm tối đa: {framework.total_max} (thẩm định {framework.appraisal_max}, "
             f"điều tra XHH {framework.survey_max}).",
             "Nhập điểm thẩm định và nhận xét ở trang ThamDinh (ô nền vàng), điểm điều tra XHH ở cột E, "
             "rồi bấm “Tính lại”; hoặc chạy lệnh “cchc recompute”."]
    if framework.sample:
        notes.append("Lưu ý: đang dùng BỘ TIÊU CHÍ MẪU, chưa phải bộ tiêu chí chính thức của tỉnh.")
    for j, text in enumerate(notes):
        ws.write_string(4 + j, 10, text, f["note"])
    for j, text in enumerate((table.invalid + table.survey_notes)[:MAX_NOTES] or ["Đã tính lại: mọi điểm hợp lệ."]):
        ws.write_string(NOTES_ROW - 1 + j, 10, text, f["note"])


# --- the operations ------------------------------------------------------------------------------

def recompute(settings: Settings) -> Table:
    """`cchc recompute`: the council's input from the workbook, self-scores and evidence from the ledger,
    computed and written back; refused while Excel has the workbook open (use its button then)."""
    path = workbook_path(settings)
    if open_in_excel(path):
        raise CchcError("appraisal.locked", path=str(path))
    return rebuild(settings)


def rebuild_table(settings: Settings, framework: Framework, existing: Table | None) -> Table:
    """Self-scores and evidence from the ledger's latest files; the council's input from ``existing``."""
    from automation.appraisal.sources import latest_inputs  # noqa: PLC0415

    own, evidence = latest_inputs(settings, framework)
    typed = {(r.unit_code, r.code): r for r in existing.rows} if existing else {}
    rows = []
    for unit in settings.units:
        sa = own.get(unit.code)
        for c in framework.scored:
            prev = typed.get((unit.code, c.code))
            line = sa.lines.get(c.code) if sa else None
            rows.append(Row(unit.code, unit.full_name, c.code, c.content, c.max_points,
                            self_score=line.self_score if line else None,
                            appraised=prev.appraised if prev else None, comment=prev.comment if prev else "",
                            evidence=evidence.get((unit.code, c.code), []),
                            evidence_text=line.evidence if line else ""))
    survey = dict(existing.survey) if existing else {}
    table = Table(rows, survey)
    from automation.appraisal.survey import unit_surveys  # noqa: PLC0415

    surveys = unit_surveys(settings)
    if surveys:  # imported answers decide the survey points of the sampled units
        for code, us in surveys.items():
            survey[code] = us.points
            unit = settings.units.by_code(code)
            table.survey_notes.extend(f"{unit.full_name if unit else code}: {w}" for w in us.warnings)
    return table


def rebuild(settings: Settings) -> Table | None:
    """Rebuild after new scores or evidence arrived; skipped (and logged) while Excel has it open.

    Holds the workspace lock (re-entrant: the desk already holds it during a pass), so a rebuild from the
    command line and one after an inbox pass never write the workbook at the same time."""
    from automation.intake.desk import LOCK_NAME  # noqa: PLC0415
    from automation.lock import WorkspaceLock  # noqa: PLC0415

    with WorkspaceLock(settings.path(LOCK_NAME)):
        return _rebuild(settings)


def _rebuild(settings: Settings) -> Table | None:
    framework = workspace_framework(settings)
    path = workbook_path(settings)
    if open_in_excel(path):
        log.warning("appraisal workbook %s is open in Excel; not rebuilt now", path)
        return None
    existing = read_workbook(path, framework, settings) if path.exists() else None
    table = compute_table(rebuild_table(settings, framework, existing), framework, settings)
    write_workbook(path, table, framework, settings)
    return table
