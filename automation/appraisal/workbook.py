"""The appraisal workbook ``outbox/tham-dinh-<year>.xlsm``: the council's desk, with a "Tính lại" button.

``ThamDinh`` has one row per unit and scored criterion (self-score, the council's score and comment,
links to the archived evidence); ``TongHop`` one row per unit with the index and rank.  The workbook is
rebuilt whenever scores arrive without losing what the council typed (merged back by unit and
criterion), never while Excel has it open, always atomically, and always with its VBA project and
button (XlsxWriter writes both; openpyxl only reads).
"""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

from automation import vntext
from automation.appraisal.reading import read_workbook  # noqa: F401 (read here, written below)
from automation.config import Settings
from automation.files import atomic_save, open_in_office
from automation.formats.print_setup import PrintSetup, apply_xlsxwriter, breaks_between, wrapped_height
from automation.formats.xlsx_rows import RowCache, column_letter
from automation.problems import CchcError
from automation.workspace import Workspace
from automation.scoring.framework import Framework
from automation.scoring.table import (TD_HEADERS, TH_HEADERS, THAM_DINH, TONG_HOP, Table, th_extra_values,
                                     th_extras, th_notes_column)

MACRO = "TinhLai"
BUTTON_CAPTION = "Tính lại"
VBA_PROJECT = Path(__file__).resolve().parents[1] / "data" / "vbaProject.bin"
NOTES_ROW = 9  # TongHop!K9 down: cells the recompute could not count
MAX_NOTES = 30
NOTE_WIDTH = 48  # TongHop's column of notes
THAM_DINH_PART = "xl/worksheets/sheet1.xml"  # the first sheet XlsxWriter adds
TD_WIDTHS = (10, 22, 10, 60, 9, 9, 11, 36, 40, 11, 36)  # ThamDinh's columns A to K
TD_WRAPPED = (1, 3, 7, 8, 10)  # its columns of text that wraps: unit, content, comment, evidence, reason
_ROWS = RowCache()  # ThamDinh's rows as last written by this process (a watcher writes them again and again)


def workbook_path(settings: Settings) -> Path:
    return Workspace.of(settings).appraisal_workbook


def open_in_excel(path: Path) -> bool:
    """Excel marks an open workbook with an owner file ``~$<name>``."""
    return open_in_office(path)


def write_workbook(path: Path, table: Table, framework: Framework, settings: Settings) -> Path:
    """Write the whole workbook atomically: XlsxWriter makes it (VBA project, button, formats, filter,
    validation, TongHop) with ThamDinh's rows left out, and those rows, the large part, are spliced in as XML
    (:mod:`automation.formats.xlsx_rows`), each row's XML kept for the next write of this process."""
    from automation.formats.xlsx_rows import splice_sheet  # noqa: PLC0415

    if open_in_excel(path):
        raise CchcError("appraisal.locked", path=str(path))
    skeleton, styles = _skeleton(table, framework, settings)
    rows, links = _tham_dinh_rows(table, styles)
    last = f"{column_letter(len(TD_HEADERS) - 1)}{len(table.rows) + 1}"
    atomic_save(path, lambda tmp: splice_sheet(io.BytesIO(skeleton), tmp, THAM_DINH_PART, rows, links, last))
    return path


def _skeleton(table: Table, framework: Framework, settings: Settings) -> tuple[bytes, dict[str, int]]:
    """The workbook as XlsxWriter writes it, ThamDinh without rows (one row using every format, so each
    gets its style index, replaced by the splice); the style index of each format."""
    import xlsxwriter  # noqa: PLC0415

    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    wb.set_vba_name("ThisWorkbook")
    wb.add_vba_project(str(VBA_PROJECT))
    wb.set_properties({"title": f"Thẩm định Chỉ số CCHC năm {settings.year}", "author": "cchc"})
    formats = _formats(wb, settings.documents.decimals)
    _write_tham_dinh(wb, formats, len(table.rows), framework)
    _print_tham_dinh(wb.get_worksheet_by_name(THAM_DINH), table, settings)
    _write_tong_hop(wb, formats, table, framework, settings)
    wb.close()
    return out.getvalue(), {name: f.xf_index for name, f in formats.items()}


def _tham_dinh_rows(table: Table, st: dict[str, int]) -> tuple[list[bytes], list]:
    """ThamDinh's rows as XML (header first) and the hyperlinks of its evidence column."""
    from automation.formats.xlsx_rows import Link, blank_cell, number_cell, row_xml, string_cell  # noqa: PLC0415
    from automation.formats.xlsx_rows import hyperlink_target  # noqa: PLC0415

    def put(ref: str, value, num: int, text: int) -> str:
        if isinstance(value, Decimal):
            return number_cell(ref, num, float(value))
        return blank_cell(ref, num) if value is None else string_cell(ref, text, str(value))

    def make(n: int, r, linked: bool) -> str:
        shown = "; ".join(filter(None, [r.evidence_text, *(name for name, _ in r.evidence)]))
        height = wrapped_height(zip((r.unit_name, r.content, r.comment, shown[:250] if linked else shown, r.reason),
                                    (TD_WIDTHS[i] for i in TD_WRAPPED)))
        return row_xml(n, [
            string_cell(f"A{n}", st["code"], r.unit_code), string_cell(f"B{n}", st["text"], r.unit_name),
            string_cell(f"C{n}", st["code"], r.code), string_cell(f"D{n}", st["text"], r.content),
            number_cell(f"E{n}", st["num"], float(r.max_points)), put(f"F{n}", r.self_score, st["num"], st["text"]),
            put(f"G{n}", r.appraised, st["input"], st["input_text"]),
            string_cell(f"H{n}", st["input_text"], r.comment) if r.comment else blank_cell(f"H{n}", st["input_text"]),
            string_cell(f"I{n}", st["link"] if linked else st["text"], shown[:250] if linked else shown),
            put(f"J{n}", r.revised, st["input"], st["input_text"]),
            string_cell(f"K{n}", st["input_text"], r.reason) if r.reason else blank_cell(f"K{n}", st["input_text"])],
            height)

    styles = tuple(st.items())
    header = row_xml(1, [string_cell(f"{column_letter(c)}1", st["head"], h) for c, h in enumerate(TD_HEADERS)],
                     wrapped_height(zip(TD_HEADERS, TD_WIDTHS)))
    rows, links, keys = [header.encode("utf-8")], [], []
    for n, r in enumerate(table.rows, start=2):
        target = hyperlink_target(r.evidence[0][1]) if r.evidence else None
        linked = target is not None
        key = (n, styles, r.unit_code, r.unit_name, r.code, r.content, r.max_points, r.self_score, r.appraised,
               r.comment, r.evidence_text, tuple(r.evidence), linked, r.revised, r.reason)
        rows.append(_ROWS.get(key, lambda n=n, r=r, linked=linked: make(n, r, linked)))
        keys.append(key)
        if linked:
            links.append(Link(f"I{n}", target))
    _ROWS.keep_only(keys)
    return rows, links


def _formats(wb, decimals: int = 2) -> dict:
    base = {"font_name": "Times New Roman", "font_size": 12, "valign": "top"}
    score = vntext.number_format(decimals)  # scores and indexes as numbers, in the documents' style ("0.00")
    return {
        "head": wb.add_format({**base, "bold": True, "text_wrap": True, "bg_color": "#DDEBF7", "border": 1,
                               "align": "center", "valign": "vcenter"}),
        "text": wb.add_format({**base, "text_wrap": True, "border": 1}),
        "code": wb.add_format({**base, "border": 1, "num_format": "@"}),
        "num": wb.add_format({**base, "border": 1, "num_format": score}),
        "input": wb.add_format({**base, "border": 1, "num_format": score, "bg_color": "#FFF2CC", "locked": False}),
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


def _write_tham_dinh(wb, f: dict, last: int, framework: Framework) -> None:
    ws = wb.add_worksheet(THAM_DINH)
    ws.set_vba_name("Sheet1")
    for col, name in enumerate(("head", "code", "text", "num", "input", "input_text", "link")):
        ws.write_blank(0, col, None, f[name])  # each format used once: it gets its style index
    if last:
        ws.data_validation(1, 6, last, 6, score_validation(framework))
        ws.data_validation(1, 9, last, 9, score_validation(framework, "J", "Điểm sau giải trình"))
        ws.autofilter(0, 0, last, len(TD_HEADERS) - 1)
    ws.freeze_panes(1, 0)
    for col, width in enumerate(TD_WIDTHS):
        ws.set_column(col, col, width)


def _print_tham_dinh(ws, table: Table, settings: Settings) -> None:
    """ThamDinh prints across A4, its header on every page, each unit from a new page."""
    title = f"Bảng thẩm định Chỉ số CCHC năm {settings.year}: điểm từng tiêu chí của từng đơn vị"
    breaks = breaks_between([r.unit_code for r in table.rows], first_row=2)
    apply_xlsxwriter(ws, PrintSetup(title, breaks=breaks), TD_WIDTHS)


def score_validation(framework: Framework, column: str = "G", title: str = "Điểm thẩm định") -> dict:
    """ThamDinh's column G (and J, the score after the explanation round): a number in the row's criterion's
    range.  A penalty row (told by its code in column C, so the rule follows the row when the council sorts or
    filters) takes −E to 0, any other row 0 to E; a framework without penalties keeps the plain rule."""
    regular = {"validate": "custom", "value": f"=AND(ISNUMBER({column}2),{column}2>=0,{column}2<=E2)",
               "error_title": title, "error_message": "Nhập số từ 0 đến điểm tối đa của tiêu chí.",
               "input_title": title, "input_message": "Từ 0 đến điểm tối đa (cột E)."}
    penalties = [c.code for c in framework.scored if c.is_penalty]
    if not penalties:
        return regular
    test = ",".join(f'C2="{code}"' for code in penalties)
    test = f"OR({test})" if len(penalties) > 1 else test
    value = f"=AND(ISNUMBER(G2),IF({test},AND(G2>=-E2,G2<=0),AND(G2>=0,G2<=E2)))".replace("G2", f"{column}2")
    if len(value) > 255:  # Excel's limit on a validation formula: a penalty row then takes any number ≤ E
        value = f"=AND(ISNUMBER({column}2),{column}2>=-E2,{column}2<=E2)"
    error = f"Nhập số từ 0 đến điểm tối đa của tiêu chí; tiêu chí điểm trừ ({', '.join(penalties)}): số âm " \
            "từ -(điểm tối đa) đến 0."
    return {**regular, "value": value,
            "error_message": error if len(error) <= 255 else "Nhập số từ 0 đến điểm tối đa của tiêu chí; tiêu "
                                                            "chí điểm trừ: số âm từ -(điểm tối đa) đến 0.",
            "input_message": "Từ 0 đến điểm tối đa (cột E); điểm trừ: từ -(cột E) đến 0."}


def _write_tong_hop(wb, f: dict, table: Table, framework: Framework, settings: Settings) -> None:
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
        for j, value in enumerate(th_extra_values(r, settings), start=len(TH_HEADERS)):
            ws.write_string(i, j, value, f["text"])
    ws.freeze_panes(1, 0)
    extras = th_extras(settings)
    widths = (10, 24, 11, 11, 11, 10, 10, 8, 22) + (16,) * len(extras)
    for col, width in enumerate(widths):
        ws.set_column(col, col, width)
    if extras:
        ws.write_row(0, len(TH_HEADERS), extras, f["head"])
    note_col = th_notes_column(settings)
    ws.set_column(note_col, note_col, NOTE_WIDTH)
    apply_xlsxwriter(ws, PrintSetup(f"Bảng thẩm định Chỉ số CCHC năm {settings.year}: tổng hợp kết quả"),
                     widths + (NOTE_WIDTH,))
    ws.insert_button(1, note_col, {"macro": MACRO, "caption": BUTTON_CAPTION, "width": 140, "height": 36})
    notes = [f"Tổng điểm tối đa: {framework.total_max} (thẩm định {framework.appraisal_max}, "
             f"điều tra XHH {framework.survey_max})."
             + (f" Điểm thưởng tối đa {framework.bonus_max}, điểm trừ tối đa {framework.penalty_max}; tổng điểm "
                f"không dưới 0 và không vượt {framework.total_max}." if framework.adjustments else ""),
             "Nhập điểm thẩm định và nhận xét ở trang ThamDinh (ô nền vàng), điểm điều tra XHH ở cột E, "
             "rồi bấm “Tính lại”; hoặc chạy lệnh “cchc recompute”.",
             "Sau giải trình của đơn vị: ghi điểm mới ở cột “Điểm sau giải trình” và lý do ở cột “Lý do điều "
             "chỉnh” (điểm thẩm định lần đầu giữ nguyên); điểm mới chỉ được tính khi có lý do."]
    if framework.sample:
        notes.append("Lưu ý: đang dùng BỘ TIÊU CHÍ MẪU, chưa phải bộ tiêu chí chính thức của tỉnh.")
    placed = [(4 + j, text) for j, text in enumerate(notes)]
    placed += [(NOTES_ROW - 1 + j, text) for j, text in enumerate(table.notes[:MAX_NOTES] or
                                                                   ["Đã tính lại: mọi điểm hợp lệ."])]
    for row, text in placed:
        ws.write_string(row, note_col, text, f["note"])
        height = wrapped_height([(text, NOTE_WIDTH)])
        if height is not None:  # printed whole (LibreOffice leaves an unsized row one line tall)
            ws.set_row(row, height)
