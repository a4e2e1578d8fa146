"""The blank forms the office sends to units (``cchc forms``), written into ``outbox/bieu-mau/``.

* ``mau-danh-sach-<year>.docx``: the respondent-list template (A4 landscape, Times New Roman everywhere),
  whose table has exactly the canonical columns, so a filled copy passes ``cchc check``.
* ``tu-cham-<unit slug>-<year>.xlsx``, one per unit: sheet ``TuDanhGia`` (B2 unit name, B3 unit code as
  text, header row :data:`SCORE_HEADERS` at :data:`HEADER_ROW`, then one row per leaf appraisal criterion
  with its code as text, and a total row whose first cell is empty), protected without a password with only
  the three input columns unlocked, each score cell validated to its criterion's range (a penalty from minus
  its maximum to 0); sheet ``HuongDan`` with instructions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docx.shared import Cm
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from automation.config import Settings
from automation.files import Saved, atomic_save, save_editable
from automation.formats import docx_write as dw
from automation.formats import print_setup
from automation.ledger import Ledger, open_ledger
from automation.lists.model import COLUMN_TITLES, COLUMNS
from automation.scoring.framework import Framework, show_points
from automation.workspace import Workspace

FOLDER = "bieu-mau"
SCORE_SHEET = "TuDanhGia"
HELP_SHEET = "HuongDan"
SCORE_HEADERS = ("Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Tài liệu kiểm chứng",
                 "Giải trình cách chấm")
HEADER_ROW = 4
INPUT_COLUMNS = ("D", "E", "F")  # Điểm tự chấm, Tài liệu kiểm chứng, Giải trình cách chấm
_DATE = "%d/%m/%Y"


@dataclass
class FormsResult:
    folder: Path
    list_template: Path
    workbooks: list[Path]
    kept: list[Saved] = field(default_factory=list)  # files staff changed, kept; the new one went beside


def write_forms(outbox: Path, settings: Settings, framework: Framework, ledger: Ledger | None = None) -> FormsResult:
    """The list template and every unit's self-assessment form; a form staff changed (or that is open) is
    kept and the new one written beside it (``-v2``)."""
    if ledger is None and settings.workspace is not None:
        with open_ledger(Workspace.of(settings).ledger_path) as own:
            return write_forms(outbox, settings, framework, own)
    folder = Path(outbox) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    recorded, record = (ledger.outputs.keeper(Workspace.of(settings).root) if ledger is not None
                        else (None, None))  # outside a workspace: nothing to protect, files are replaced
    kept: list[Saved] = []

    def save(target: Path, write) -> Path:
        if recorded is None:
            return atomic_save(target, write)
        saved = save_editable(target, write, recorded, record)
        if saved.kept is not None:
            kept.append(saved)
        return saved.path

    template = save(folder / f"mau-danh-sach-{settings.year}.docx", _list_template(settings).save)
    package, name, strings = _score_package(settings, framework)
    books = []
    for unit in settings.units:  # one workbook saved once; per unit only B2 and B3 (shared strings) change
        part = strings.replace(_NAME_MARK, _xml_text(unit.full_name)).replace(_CODE_MARK, _xml_text(unit.code))
        books.append(save(folder / f"tu-cham-{unit.slug}-{settings.year}.xlsx",
                          lambda tmp, part=part: package.write(tmp, {name: part})))
    return FormsResult(folder, template, books, kept)


_NAME_MARK, _CODE_MARK = b"CCHC-TEN-DON-VI-0b7e", b"CCHC-MA-DON-VI-0b7e"  # unit name, unit code


def _score_package(settings: Settings, framework: Framework):
    """The self-assessment workbook saved once by openpyxl with marks in B2 and B3, as a package, and the
    name and text of the one part that holds the marks (the sheet, or the shared strings)."""
    import io  # noqa: PLC0415

    from automation.formats.docx_package import Package  # noqa: PLC0415

    wb = _score_workbook(settings, framework)
    ws = wb[SCORE_SHEET]
    ws["B2"], ws["B3"] = _NAME_MARK.decode(), _CODE_MARK.decode()
    buf = io.BytesIO()
    wb.save(buf)
    package = Package.from_bytes(buf.getvalue())
    holders = [n for n, data in package.raw.items() if _NAME_MARK in data or _CODE_MARK in data]
    if len(holders) != 1 or package.raw[holders[0]].count(_NAME_MARK) != 1 \
            or package.raw[holders[0]].count(_CODE_MARK) != 1:
        raise RuntimeError(f"the unit cells are not in one part of the saved workbook: {holders}")
    return package, holders[0], package.raw[holders[0]]


def _xml_text(text: str) -> bytes:
    from automation.formats.docx_xml import escape  # noqa: PLC0415 (XML character data, as lxml writes it)

    return escape(text).encode("utf-8")


# --- the respondent-list template (Word) ----------------------------------------------------------

_WIDTHS_CM = {"stt": 1.2, "name": 4.4, "address": 4.8, "phone": 2.8, "field": 3.2, "procedure": 5.1,
              "submitted": 2.1, "received": 2.1}


def _lines(container, lines, size=13, align="center", after=0) -> None:
    """Paragraphs of (text, bold, italic); in a table cell the first line takes its empty paragraph."""
    for text, bold, italic in lines:
        dw.para(container, text, size=size, bold=bold, italic=italic, align=align, before=None, after=after)


def _list_template(settings: Settings):
    # A4 landscape, 13 pt; python-docx's paragraph spacing (10 pt after, 1.15 lines) as the template always had
    doc = dw.new_document(size_pt=13, margins_mm=(20, 20, 25, 15), landscape=True, space_after_pt=10,
                          line_spacing=1.15)
    rules, year = settings.list_rules, settings.deadlines["respondent_list"].date.year
    halves = [Cm(10), Cm(15.7)]

    head = dw.table(doc, halves, align=None)
    _lines(head.cell(0, 0), [("ỦY BAN NHÂN DÂN XÃ ………", True, False)])
    _lines(head.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False),
                             ("Độc lập - Tự do - Hạnh phúc", True, False),
                             (f"……………, ngày …… tháng …… năm {year}", False, True)])
    _lines(doc, [("", False, False), ("DANH SÁCH", True, False)], size=14)
    _lines(doc, [("Tổ chức, cá nhân đã giao dịch và nhận kết quả giải quyết thủ tục hành chính từ ngày "
                  f"{rules.window_start.strftime(_DATE)} đến ngày {rules.window_end.strftime(_DATE)} "
                  "tại Bộ phận một cửa", True, False)], after=12)

    table = dw.table(doc, [Cm(_WIDTHS_CM[col]) for col in COLUMNS], rows=1 + rules.size, style="Table Grid",
                     align=None, header_rows=1)  # the header row repeats on every page
    for cell, col in zip(table.rows[0].cells, COLUMNS):
        _lines(cell, [(COLUMN_TITLES[col], True, False)], size=12)
    for n, row in enumerate(table.rows[1:], start=1):
        _lines(row.cells[0], [(str(n), False, False)], size=12)

    notes = [
        f"1. Danh sách gồm đúng {rules.size} tổ chức, cá nhân đã giao dịch và đã nhận kết quả giải quyết thủ tục "
        f"hành chính tại Bộ phận một cửa trong khoảng thời gian trên, thuộc nhiều lĩnh vực thủ tục hành chính "
        f"của xã (ít nhất {rules.min_fields} lĩnh vực).",
        "2. Không đưa vào danh sách: (1) tổ chức, cá nhân đã giao dịch nhưng chưa nhận kết quả giải quyết thủ "
        "tục hành chính; (2) tổ chức, cá nhân đã nhận kết quả nhưng không có địa chỉ tại địa phương.",
        "3. Giữ nguyên các cột của bảng; ghi ngày theo dạng ngày/tháng/năm (ví dụ "
        f"05/03/{rules.window_start.year}); số điện thoại di động ghi đủ 10 chữ số.",
        "4. Văn bản dùng phông chữ Times New Roman (bảng mã Unicode), lưu dạng Word (.doc hoặc .docx), gửi về "
        f"{settings.authority.standing_office} {settings.deadlines['respondent_list'].wording()}.",
    ]
    _lines(doc, [("", False, False), ("Ghi chú:", True, True)], size=12, align="left", after=3)
    _lines(doc, [(line, False, False) for line in notes] + [("", False, False)], size=12, align="justify",
           after=3)
    sign = dw.table(doc, halves, align=None)
    _lines(sign.cell(0, 0), [("NGƯỜI LẬP DANH SÁCH", True, False), ("(Ký, ghi rõ họ tên)", False, True)])
    _lines(sign.cell(0, 1), [("TM. ỦY BAN NHÂN DÂN", True, False), ("CHỦ TỊCH", True, False),
                             ("(Ký tên, đóng dấu)", False, True)])
    return doc


# --- the self-assessment workbook (Excel) ---------------------------------------------------------

def _score_workbook(settings: Settings, framework: Framework):
    wb = Workbook()
    ws = wb.active
    ws.title = SCORE_SHEET
    width = len(SCORE_HEADERS)
    ws["A1"] = f"BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {settings.year}"
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws["A1"].font, ws["A1"].alignment = Font(bold=True, size=13), Alignment(horizontal="center", wrap_text=True)
    ws["A2"], ws["A3"] = "Đơn vị:", "Mã đơn vị:"
    for ref in ("A2", "A3", "B2", "B3"):
        ws[ref].font = Font(bold=True)
    ws["B3"].number_format = "@"  # the code stays text: "09079" keeps its leading 0
    ws["B3"].alignment = Alignment(horizontal="left")
    ws.row_dimensions[1].height = ws.row_dimensions[HEADER_ROW].height = 30

    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for c, title in enumerate(SCORE_HEADERS, start=1):
        cell = ws.cell(HEADER_ROW, c, title)
        cell.font, cell.fill, cell.border = Font(bold=True), PatternFill("solid", fgColor="D9E1F2"), border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    top = Alignment(vertical="top", wrap_text=True)
    unlocked = Protection(locked=False)
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    by_max: dict = {}
    r = HEADER_ROW
    for r, crit in enumerate(framework.scored, start=HEADER_ROW + 1):
        points = int(crit.max_points) if crit.max_points == crit.max_points.to_integral_value() \
            else float(crit.max_points)
        for c, value in enumerate((crit.code, crit.content, points, None, None, None), start=1):
            cell = ws.cell(r, c, value)
            cell.border, cell.alignment = border, top
        ws.cell(r, 1).number_format = "@"  # "1.10" must not become 1.1
        for col in INPUT_COLUMNS:
            ws[f"{col}{r}"].protection, ws[f"{col}{r}"].fill = unlocked, input_fill
        by_max.setdefault((crit.is_penalty, str(crit.max_points)), []).append((f"D{r}", crit))
        ws.row_dimensions[r].height = _height(crit.content, 60)
    for cells in by_max.values():
        dv = _score_validation(cells[0][1])
        for ref, _ in cells:
            dv.add(ref)
        ws.add_data_validation(dv)
    total = r + 1  # first cell empty: not a criterion row
    ws.cell(total, 2, "Tổng điểm tự chấm")
    if r > HEADER_ROW:
        ws.cell(total, 3, f"=SUM(C{HEADER_ROW + 1}:C{r})")
        ws.cell(total, 4, f"=SUM(D{HEADER_ROW + 1}:D{r})")
    for cell in ws[total][:width]:
        cell.border, cell.font = border, Font(bold=True)
    for col, w in zip("ABCDEF", (10, 60, 9, 10, 40, 35)):
        ws.column_dimensions[col].width = w
    ws.freeze_panes = f"A{HEADER_ROW + 1}"
    title = f"Biểu tự đánh giá, chấm điểm Chỉ số CCHC năm {settings.year}"
    print_setup.apply_openpyxl(ws, print_setup.PrintSetup(title, title_rows=(HEADER_ROW, HEADER_ROW), landscape=True))
    ws.protection.sheet = True  # no password: the lock guards against accidents, not people
    ws.protection.formatColumns = ws.protection.formatRows = False  # widths and heights stay adjustable

    hd = wb.create_sheet(HELP_SHEET)
    for line in _help_lines(settings, framework):
        hd.append([line])
    hd.column_dimensions["A"].width = 120
    for row in hd.iter_rows():
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
        hd.row_dimensions[row[0].row].height = _height(row[0].value or "", 120)
    hd["A1"].font = Font(bold=True, size=12)
    print_setup.apply_openpyxl(hd, print_setup.PrintSetup.text(f"{title}: hướng dẫn"))
    return wb


def _score_validation(crit) -> DataValidation:
    """The score cell's validation: a number in the criterion's range, said in Vietnamese."""
    lo, hi = crit.range
    if crit.is_penalty:
        error = (f"Điểm trừ phải là số {crit.range_text}: ghi số âm (ví dụ -1 khi bị trừ 1 điểm), 0 khi không bị "
                 f"trừ; trừ nhiều nhất {show_points(crit.max_points)} điểm.")
        title, prompt = "Điểm trừ", f"Ghi số âm {crit.range_text} (0 khi không bị trừ)."
    else:  # the default framework's wording, kept as it was
        error = f"Điểm tự chấm phải là số {crit.range_text} (điểm tối đa của tiêu chí)."
        title, prompt = "Điểm tự chấm", f"Nhập điểm {crit.range_text}."
    return DataValidation(type="decimal", operator="between", formula1=str(lo), formula2=str(hi),
                          allow_blank=True, showErrorMessage=True, errorStyle="stop",
                          errorTitle="Điểm không hợp lệ", error=error, showInputMessage=True,
                          promptTitle=title, prompt=prompt)


def _height(text: str, width: float) -> float:
    """Row height (points) showing ``text`` wrapped in a column ``width`` characters wide."""
    return 15.0 * max(1, -(-len(text) // int(width * 0.95)))


def _help_lines(settings: Settings, framework: Framework) -> list[str]:
    example = framework.scored[0].code if framework.scored else "1.1"
    office = settings.authority.standing_office
    lines = [
        "HƯỚNG DẪN LẬP BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM",
        "",
        f"1. Trang “{SCORE_SHEET}” liệt kê các tiêu chí đơn vị tự chấm. Các tiêu chí đánh giá qua điều tra xã "
        "hội học do cơ quan thẩm định chấm, không có trong biểu.",
        "2. Chỉ nhập vào ba cột tô màu: “Điểm tự chấm” (số, từ 0 đến điểm tối đa của tiêu chí, được dùng số lẻ "
        "như 0,5), “Tài liệu kiểm chứng” (tên các tài liệu chứng minh) và “Giải trình cách chấm” (cách tính "
        "điểm, nhất là khi không có hoặc chưa đủ tài liệu kiểm chứng). Tiêu chí có điểm khác 0 phải có tài liệu "
        "kiểm chứng hoặc giải trình cách chấm. Các ô khác đã được khóa; không thêm, bớt, sửa hay sắp xếp lại dòng.",
        "3. Chấm đủ mọi tiêu chí, kể cả tiêu chí 0 điểm. Dòng “Tổng điểm tự chấm” tự cộng.",
        f"4. Tệp tài liệu kiểm chứng đặt tên bắt đầu bằng mã tiêu chí, ví dụ “{example} Ke hoach CCHC.pdf”, để "
        "phần mềm tự gắn tài liệu với tiêu chí.",
        f"5. Không đổi tên tệp này và các trang của nó. Gửi biểu đã chấm cùng tài liệu kiểm chứng về {office} "
        f"{settings.deadlines['self_assessment'].wording()}.",
    ]
    lines += _adjustment_lines(framework)
    if framework.sample:
        lines += ["", "LƯU Ý: biểu này lập theo BỘ TIÊU CHÍ MẪU của phần mềm, chưa phải bộ tiêu chí chính thức "
                      "của tỉnh."]
    lines += ["", "TÀI LIỆU KIỂM CHỨNG THEO BỘ TIÊU CHÍ"]
    lines += [f"{c.code}. {c.evidence}" for c in framework.scored if c.evidence]
    return lines


def _adjustment_lines(framework: Framework) -> list[str]:
    """How to score the bonus and penalty criteria, for a framework that has them (none otherwise)."""
    bonus = [c.code for c in framework.adjustments if not c.is_penalty]
    penalty = [c.code for c in framework.adjustments if c.is_penalty]
    lines = []
    if bonus:
        lines.append(f"6. Tiêu chí điểm thưởng ({', '.join(bonus)}): ghi điểm từ 0 đến điểm tối đa của tiêu chí "
                     "khi đạt điều kiện được thưởng, 0 khi không đạt.")
    if penalty:
        lines.append(f"{6 + bool(bonus)}. Tiêu chí điểm trừ ({', '.join(penalty)}): ghi số âm, từ -(điểm tối đa) "
                     "đến 0, ví dụ -1 khi bị trừ 1 điểm; ghi 0 khi không bị trừ. Cột “Điểm tối đa” là số điểm "
                     "bị trừ nhiều nhất.")
    return lines
