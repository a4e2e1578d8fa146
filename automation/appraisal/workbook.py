"""The appraisal workbook ``outbox/tham-dinh-<year>.xlsm``: the council's desk, with a "Tính lại" button.

``ThamDinh`` has one row per unit and scored criterion (self-score, the council's score and comment,
links to the archived evidence); ``TongHop`` one row per unit with the index and rank.  The workbook is
rebuilt whenever scores arrive without losing what the council typed (merged back by unit and
criterion), never while Excel has it open, always atomically, and always with its VBA project and
button (XlsxWriter writes both; openpyxl only reads).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from automation.appraisal.reading import read_workbook  # noqa: F401 (read here, written below)
from automation.config import Settings
from automation.files import atomic_save, open_in_office
from automation.problems import CchcError
from automation.workspace import Workspace
from automation.scoring.framework import Framework
from automation.scoring.table import TD_HEADERS, TH_HEADERS, THAM_DINH, TONG_HOP, Table, table_from_values

MACRO = "TinhLai"
BUTTON_CAPTION = "Tính lại"
VBA_PROJECT = Path(__file__).resolve().parents[1] / "data" / "vbaProject.bin"
NOTES_ROW = 9  # TongHop!K9 down: cells the recompute could not count
MAX_NOTES = 30


def workbook_path(settings: Settings) -> Path:
    return Workspace.of(settings).appraisal_workbook


def open_in_excel(path: Path) -> bool:
    """Excel marks an open workbook with an owner file ``~$<name>``."""
    return open_in_office(path)


def write_workbook(path: Path, table: Table, framework: Framework, settings: Settings) -> Path:
    """Write the whole workbook atomically with XlsxWriter (VBA project and button included)."""
    import xlsxwriter  # noqa: PLC0415

    if open_in_excel(path):
        raise CchcError("appraisal.locked", path=str(path))

    def save(tmp: Path) -> None:
        wb = xlsxwriter.Workbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_vba_name("ThisWorkbook")
        wb.add_vba_project(str(VBA_PROJECT))
        wb.set_properties({"title": f"Thẩm định Chỉ số CCHC năm {settings.year}", "author": "cchc"})
        formats = _formats(wb)
        _write_tham_dinh(wb, formats, table)
        _write_tong_hop(wb, formats, table, framework)
        try:
            wb.close()
        except xlsxwriter.exceptions.FileCreateError as exc:  # the OSError it wraps (a full disk) is the fault
            raise exc.__context__ if isinstance(exc.__context__, OSError) else exc

    atomic_save(path, save)
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
