"""The printable survey forms and the data-entry workbook, written into ``outbox/dieu-tra/``.

* ``<unit slug>/phieu-dieu-tra-<unit slug>-<year>.docx``: every form of the unit in one A4 portrait document,
  one form per sampled person, separated by page breaks, Times New Roman everywhere.  One form is built once
  with python-docx and kept as XML text; each person's form is that text with the person's fields filled in,
  written into the package of a blank document kept for the run (:mod:`automation.formats.docx_package`).
* ``nhap-phieu-<year>.xlsx``: sheet ``NhapPhieu``, one row per sampled person and one drop-down column per
  question (the six answers), sheet ``CauHoi`` listing the questions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from automation import vntext
from automation.config import Settings
from automation.files import Saved, atomic_save, save_editable
from automation.formats import decree30 as d30
from automation.formats import docx_write as dw
from automation.formats import docx_xml as dx
from automation.formats.docx_package import Package, cached, default_template_key
from automation.ledger import Ledger, open_ledger
from automation.formats.docx_write import CENTER as _CENTER, JUSTIFY as _JUSTIFY, LEFT as _LEFT
from automation.formats.excel import append_row
from automation.survey.model import ANSWERS, ENTRY_SHEET, FORM_CODE, QUESTION_HEADERS, QUESTION_SHEET, SampledPerson
from automation.survey.questions import QuestionSet
from automation.workspace import Workspace

FOLDER = "dieu-tra"
ENTRY_HEADERS = (FORM_CODE, "Mã đơn vị", "Đơn vị", "Họ và tên")
LIST_SHEET = "DanhMuc"  # the answers, when they do not fit an inline list
BOX = "☐"
TITLE = "PHIẾU KHẢO SÁT SỰ HÀI LÒNG"
ANSWER_HEADERS = ("STT", "Câu hỏi", *ANSWERS)
# top, bottom, left, right: narrower than a document's (NĐ 30: 20-25, 20-25, 30-35, 15-20) so that a form
# prints on two pages, not three; a form handed to a citizen is not a văn bản hành chính
MARGINS_MM = (15, 15, 20, 15)
TEXT_MM = 210 - MARGINS_MM[2] - MARGINS_MM[3]  # 175 mm
ANSWER_WIDTHS_MM = (10, TEXT_MM - 10 - 14 * len(ANSWERS)) + (14,) * len(ANSWERS)
PERSON_LABELS = {"form_code": f"{FORM_CODE}: ", "name": "Họ và tên: ", "address": "Địa chỉ: ",
                 "phone": "Số điện thoại: ", "field": "Lĩnh vực: ", "procedure": "Thủ tục hành chính: "}
_BLANK = "……………………………"


@dataclass
class SurveyFormsResult:
    folder: Path
    unit_files: list[Path]
    entry_workbook: Path
    kept: list[Saved] = field(default_factory=list)  # files staff changed, kept; the new one went beside


@dataclass
class _Group:
    code: str
    name: str  # "Xã Kim Xá"
    place: str  # "xã Kim Xá", as written inside a sentence
    slug: str
    people: list[SampledPerson] = field(default_factory=list)


def write_survey_forms(outbox: Path, settings: Settings, questions: QuestionSet,
                       people: list[SampledPerson], ledger: Ledger | None = None) -> SurveyFormsResult:
    """One printable form file per unit and the entry workbook; a file staff changed (the entry workbook with
    its answers typed in, above all) or that is open is kept, and the new one written beside it (``-v2``)."""
    if ledger is None and settings.workspace is not None:
        with open_ledger(Workspace.of(settings).ledger_path) as own:
            return write_survey_forms(outbox, settings, questions, people, own)
    recorded, record = (ledger.outputs.keeper(Workspace.of(settings).root) if ledger is not None
                        else (None, None))  # outside a workspace: nothing to protect, files are replaced
    kept: list[Saved] = []

    def _atomic(target: Path, write) -> Path:
        if recorded is None:
            return atomic_save(target, write)
        saved = save_editable(target, write, recorded, record)
        if saved.kept is not None:
            kept.append(saved)
        return saved.path

    folder = Path(outbox) / FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    groups = _groups(settings, people)
    form = _prototype(settings, questions) if groups else []
    package = _package()
    files = []
    for g in groups:
        path = folder / g.slug / f"phieu-dieu-tra-{g.slug}-{settings.year}.docx"
        path.parent.mkdir(exist_ok=True)
        document = package.document_xml(_forms_xml(form, g))
        files.append(_atomic(path, lambda tmp, xml=document: package.write(tmp, {"word/document.xml": xml})))
    entry = _atomic(folder / f"nhap-phieu-{settings.year}.xlsx", _entry_workbook(questions, groups).save)
    return SurveyFormsResult(folder, files, entry, kept)


def _clean(text) -> str:
    return dw.xml_chars(vntext.clean(str(text or "")))


def _groups(settings: Settings, people: list[SampledPerson]) -> list[_Group]:
    """The sampled people by unit: units in the order of the settings, then unknown codes as met."""
    by_code: dict[str, _Group] = {}
    for person in people:
        code = person.unit_code
        if code not in by_code:
            unit, name = settings.units.by_code(code), _clean(person.unit_name) or code
            by_code[code] = _Group(code, unit.full_name, f"{unit.type.lower()} {unit.name}", unit.slug) if unit \
                else _Group(code, name, name, "-".join(vntext.ascii_key(f"{name} {code}").split()))
        by_code[code].people.append(person)
    order = {u.code: i for i, u in enumerate(settings.units)}
    return sorted(by_code.values(), key=lambda g: order.get(g.code, len(order)))


# --- the printable forms (Word) -------------------------------------------------------------------

def _base_document():
    """A blank A4 portrait document on the Decree 30 base: Times New Roman 13 pt, 1.05 lines, margins 15 mm
    (top, bottom, right) and 20 mm (left) to fit a form on a page."""
    doc = dw.new_document(size_pt=13, margins_mm=MARGINS_MM, line_spacing=1.05)
    doc.core_properties.author, doc.core_properties.title = "cchc", TITLE.capitalize()
    return doc


def _package():
    """The package of a unit's file without its body, kept for the run."""
    return cached(("survey-forms", default_template_key()), lambda: Package.from_document(_base_document()))


_PAGE_BREAK = ('<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/><w:rPr><w:sz '
               'w:val="2"/></w:rPr></w:pPr><w:r><w:rPr><w:sz w:val="2"/></w:rPr><w:br w:type="page"/></w:r></w:p>')


# the form's tables: fixed widths, left-aligned, 1 mm of padding inside each cell; borders=True draws the lines
_table = partial(dw.table, align=None, cell_margins_mm=1)


def _para(container, runs, *, size=13, align=None, before=0, after=0, first=False):
    """A paragraph of ``runs`` (text, "b"/"i"/"u" flags); ``first``: a cell's own first paragraph."""
    p = dw.para(container, align=align, before=before, after=after,
                paragraph=container.paragraphs[0] if first else container.add_paragraph())
    for text, flags in runs:
        dw.run(p, text, size=size, bold=("b" in flags) or None, italic=("i" in flags) or None,
               underline=("u" in flags) or None)


def _prototype(settings: Settings, questions: QuestionSet) -> list[str]:
    """One form built with python-docx, as XML cut around the ``{field}`` runs where each person's details go
    (:func:`docx_xml.split_fields`)."""
    doc = _base_document()
    auth = settings.authority  # the body that runs the survey issues the form (NĐ 30 header, ô 1-2)
    d30.append(doc, d30.header([_clean(auth.issuing_body).upper()],
                               parent=[_clean(auth.parent_body).upper()] if auth.parent_body else []))
    d30.append(doc, d30.title(TITLE, ["Về việc giải quyết thủ tục hành chính tại Bộ phận một cửa ", "{unit}",
                                      f" năm {settings.year}"], before=12, after=6, summary_pt=13,
                              within_mm=TEXT_MM))
    box = _table(doc, (TEXT_MM,), borders=True).cell(0, 0)
    for i, (key, label) in enumerate(PERSON_LABELS.items()):
        _para(box, [(label, "b"), ("{%s}" % key, "" if i else "b")], size=12, before=0 if i else 2,
              after=2 if i == len(PERSON_LABELS) - 1 else 0, first=i == 0)
    _para(doc, [("Để góp phần nâng cao chất lượng phục vụ, đề nghị Ông/Bà cho biết mức độ hài lòng của mình về "
                 f"từng nội dung dưới đây bằng cách đánh dấu X vào một ô {BOX} ở mỗi dòng. Ý kiến của Ông/Bà "
                 "chỉ dùng để đánh giá Chỉ số cải cách hành chính và được giữ kín.", "i")],
          size=12, align=_JUSTIFY, before=8, after=6)
    table = _table(doc, ANSWER_WIDTHS_MM, rows=1 + len(questions.questions), borders=True, header_rows=1,
                   cant_split=True)  # no question split over two pages; the header repeats on the second
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            if r == 0:
                _para(cell, [(ANSWER_HEADERS[c], "b")], size=10, align=_CENTER, first=True)
            elif c == 1:
                _para(cell, [(questions.questions[r - 1].text, "")], size=11, align=_LEFT, first=True)
            else:
                _para(cell, [(str(r) if c == 0 else BOX, "")], size=11 if c == 0 else 14, align=_CENTER, first=True)
    _para(doc, [("Xin trân trọng cảm ơn!", "bi")], align=_CENTER, before=8, after=8)
    _para(doc, [("Người khảo sát: ……………………………………………   Ngày khảo sát: ……/……/…………", "")], size=12)
    return dx.split_fields(dx.body_xml(doc.element), (*PERSON_LABELS, "unit"))


def _forms_xml(form: list[str], group: _Group) -> str:
    """The body of the unit's file: the form of each person of ``group``, a page break between two."""
    forms = []
    for person in group.people:
        values = {f: _clean(getattr(person, f)) or _BLANK for f in PERSON_LABELS}
        values["unit"] = group.place
        forms.append(dx.fill_fields(form, values))
    return _PAGE_BREAK.join(forms)


# --- the entry workbook (Excel) -------------------------------------------------------------------

def _entry_workbook(questions: QuestionSet, groups: list[_Group]):
    wb = Workbook()
    ws = wb.active
    ws.title = ENTRY_SHEET
    codes = [q.code for q in questions.questions]
    ws.append([*ENTRY_HEADERS, *codes])
    _head(ws)
    for g in groups:
        for person in g.people:
            row = append_row(ws, [_clean(person.form_code), g.code, g.name, _clean(person.name)])
            ws.cell(row, 1).number_format = ws.cell(row, 2).number_format = "@"  # "09079" stays
    rows, first, last = ws.max_row, get_column_letter(len(ENTRY_HEADERS) + 1), get_column_letter(ws.max_column)
    if rows > 1 and codes:
        dv = DataValidation(type="list", formula1=_answer_list(wb), allow_blank=True, showErrorMessage=True,
                            errorStyle="stop", errorTitle="Câu trả lời không hợp lệ",
                            error=("Chọn một trong các mức: " + ", ".join(ANSWERS) + ".")[:225])
        dv.add(f"{first}2:{last}{rows}")
        ws.add_data_validation(dv)
    for c, width in enumerate((12, 10, 22, 26) + (14,) * len(codes), start=1):
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = f"{first}2"
    ws.auto_filter.ref = f"A1:{last}{rows}"

    qs = wb.create_sheet(QUESTION_SHEET)
    qs.append(list(QUESTION_HEADERS))
    _head(qs)
    for q in questions.questions:
        qs.append([q.code, q.text, q.criterion])
        qs.cell(qs.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
        qs.cell(qs.max_row, 3).number_format = "@"
    for col, width in zip("ABC", (12, 90, 12)):
        qs.column_dimensions[col].width = width
    qs.freeze_panes = "A2"
    return wb


def _head(ws) -> None:
    thin = Side(style="thin", color="808080")
    for cell in ws[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="D9E1F2")
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)


def _answer_list(wb) -> str:
    """The drop-down's source: an inline list when it fits Excel's 255 characters, else a hidden sheet."""
    if len(",".join(ANSWERS)) <= 255:
        return '"' + ",".join(ANSWERS) + '"'
    ws = wb.create_sheet(LIST_SHEET)
    ws.sheet_state = "hidden"
    for answer in ANSWERS:
        ws.append([answer])
    return f"{LIST_SHEET}!$A$1:$A${len(ANSWERS)}"
