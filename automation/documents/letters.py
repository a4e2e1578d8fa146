"""Feedback letters ("phiếu phản hồi") to a commune about one checked submission.

One .docx per letter, laid out after Decree 30/2020 (domain.md §5): A4 portrait, margins 20/20/30/15 mm,
Times New Roman in every font slot (no theme fonts), body 14 pt, the header table of issuing body and
national motto, the place/date line in italics, and "Nơi nhận" at the foot.  The letter is saved to a
temporary ``.~cchc-*.docx`` next to its final name and moved into place with :func:`os.replace`.
"""

from __future__ import annotations

import copy
import datetime as dt
import logging
import os
import re
import secrets
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from automation.config import Settings
from automation.ledger.records import KIND_DEADLINES, KIND_FOLDERS, KIND_NAMES, Submission
from automation.problems import Problem, Severity, verdict
from automation.units import Unit
from automation.vntext import nfc

log = logging.getLogger(__name__)

FONT = "Times New Roman"
BODY_PT, TABLE_PT = 14, 13
TEMP_PREFIX = ".~cchc-"
CENTER, LEFT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.JUSTIFY
VERDICTS = {"accepted": "ĐẠT", "accepted_with_warnings": "ĐẠT, có lưu ý",
            "rejected": "KHÔNG ĐẠT – đề nghị sửa và gửi lại"}
PROBLEM_HEADERS = ("STT", "Nội dung", "Vị trí", "Cách khắc phục")
PROBLEM_WIDTHS_MM = (15, 64, 38, 48)  # 165 mm = 210 - 30 (left) - 15 (right)
WHOLE_DOCUMENT = "Toàn văn bản"
_NOT_XML = re.compile(r"[\x00-\x08\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BREAKS = re.compile(r"[\t\n\r\x0b\x0c]")


def write_feedback(folder: Path, submission: Submission, unit: Unit, problems: list[Problem],
                   settings: Settings, *, unicode_copy: Path | None = None,
                   now: dt.datetime | None = None, replaced_by: Submission | None = None) -> Path:
    """Write the feedback letter for ``submission`` into ``folder`` (created if missing); return its path.

    The name is ``phan-hoi-<kind>-v<version>-<YYYYMMDD-HHMMSS of receipt>.docx``, with ``-2``, ``-3``…
    added rather than overwriting an existing letter.
    """
    now = now or dt.datetime.now()
    doc = _new_document()
    _letter(doc, submission, unit, problems, settings, unicode_copy, now, replaced_by)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = _free_path(folder, feedback_stem(submission, now))
    tmp = folder / f"{TEMP_PREFIX}{secrets.token_hex(8)}.docx"
    try:
        doc.save(str(tmp))
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def feedback_stem(submission: Submission, now: dt.datetime) -> str:
    """``phan-hoi-danh-sach-v2-20211025-091500`` (ASCII, no spaces)."""
    kind = KIND_FOLDERS.get(submission.kind, KIND_FOLDERS["unknown"])
    version = f"-v{submission.version}" if submission.version is not None else ""
    return f"phan-hoi-{kind}{version}-{(submission.received_at or now):%Y%m%d-%H%M%S}"


def _free_path(folder: Path, stem: str) -> Path:
    path, n = folder / f"{stem}.docx", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.docx"
    return path


# ------------------------------------------------------------------------------------------ wording

def date_line(place: str, day: dt.date) -> str:
    """"Vĩnh Tường, ngày 05 tháng 01 năm 2022": a leading 0 for days below 10 and months 1–2."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def addressee(unit: Unit) -> str:
    """"Ủy ban nhân dân xã Kim Xá", "Ủy ban nhân dân thị trấn Thổ Tang"."""
    return f"Ủy ban nhân dân {unit.type.lower()} {unit.name}"


def verdict_of(submission: Submission, problems: list[Problem]) -> str:
    return submission.verdict if submission.verdict in VERDICTS else verdict(problems)


def _timeliness(submission: Submission, settings: Settings) -> str | None:
    key = KIND_DEADLINES.get(submission.kind)
    if submission.on_time is None or key not in settings.deadlines:
        return None
    status = "đúng hạn" if submission.on_time else "quá hạn"
    return f"{status} (hạn nộp: {settings.deadlines[key].wording()})"


def _text(text: str) -> str:
    """NFC on one line, without the control characters XML cannot hold (damaged documents, file names)."""
    return _NOT_XML.sub("", _BREAKS.sub(" ", nfc(text)))


def _version_words(sub: Submission) -> str:
    """"lần gửi thứ 2 (tệp “DS.docx”, nhận lúc 09:15 ngày 25/10/2021)"."""
    when = f", nhận lúc {sub.received_at:%H:%M ngày %d/%m/%Y}" if sub.received_at else ""
    version = f"lần gửi thứ {sub.version}" if sub.version else "lần gửi sau"
    return f"{version} (tệp “{Path(sub.original_name).name}”{when})"


def _where(p: Problem) -> str:
    return (p.location.describe() if p.location else "") or WHOLE_DOCUMENT


# ------------------------------------------------------------------------------------------ the letter

def _letter(doc, sub: Submission, unit: Unit, problems: list[Problem], settings: Settings,
            unicode_copy: Path | None, now: dt.datetime, replaced_by: Submission | None = None) -> None:
    auth, to = settings.authority, addressee(unit)
    office = auth.standing_office

    head = _table(doc, (62, 103), borders=False, rows=2)
    _lines(head.cell(0, 0), [(auth.issuing_body.upper(), {"size": 13}),
                             (office.upper(), {"size": 13, "bold": True})])
    _lines(head.cell(0, 1), [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {"size": 12, "bold": True}),
                             ("Độc lập - Tự do - Hạnh phúc", {"size": 13, "bold": True, "underline": True})])
    _lines(head.cell(1, 1), [(date_line(auth.place_name, now.date()), {"italic": True, "before": 6})])

    _para(doc, "PHIẾU PHẢN HỒI", bold=True, align=CENTER, before=18)
    _para(doc, f"Kết quả tiếp nhận và kiểm tra hồ sơ Chỉ số CCHC năm {settings.year}", bold=True,
          align=CENTER, after=12)
    _para(doc, f"Kính gửi: {to}.", align=CENTER, after=12)

    _para(doc, f"{office} đã tiếp nhận hồ sơ của {to} như sau:", indent=True, after=6, align=JUSTIFY)
    kind = KIND_NAMES.get(sub.kind, KIND_NAMES["unknown"])
    items = [f"Tên tệp: {sub.original_name}",
             f"Loại hồ sơ: {kind}" + (f" (lần gửi thứ {sub.version})" if sub.version else "")]
    when = [f"{sub.received_at:%H:%M} ngày {sub.received_at:%d/%m/%Y}"] if sub.received_at else []
    timeliness = _timeliness(sub, settings)
    when += [timeliness] if timeliness else []
    if when:
        items.append("Thời điểm nhận: " + ", ".join(when))
    for i, item in enumerate(items):
        _para(doc, f"- {item}" + ("." if i == len(items) - 1 else ";"), indent=True, after=6, align=JUSTIFY)

    if replaced_by is not None:
        _para(doc, f"Lưu ý: hồ sơ này đã được thay thế bằng {_version_words(replaced_by)}; {office} dùng lần gửi "
                   "mới để thẩm định, kết quả kiểm tra lần gửi đó được thông báo trong phiếu phản hồi riêng.",
              indent=True, after=6, align=JUSTIFY, italic=True)
    verdict = verdict_of(sub, problems)
    _para(doc, f"Kết quả kiểm tra: {VERDICTS[verdict]}", bold=True, indent=True, after=6)
    ordered = sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
    if ordered:
        errors = sum(p.severity is Severity.ERROR for p in ordered)
        counts = ", ".join(f"{n} {label}" for n, label in ((errors, "lỗi"), (len(ordered) - errors, "cảnh báo"))
                           if n)
        _para(doc, f"Chi tiết ({counts}; lỗi phải sửa, cảnh báo đề nghị xem lại):", indent=True, after=6)
        _problem_table(doc, ordered)
    else:
        _para(doc, "Hồ sơ đáp ứng các yêu cầu kiểm tra, không phát hiện lỗi.", indent=True, after=6,
              align=JUSTIFY)

    if unicode_copy is not None:
        _para(doc, f"{office} đã chuyển danh sách sang bảng mã Unicode, phông chữ Times New Roman "
                   f"(tệp “{Path(unicode_copy).name}”). Đề nghị {to} kiểm tra, chỉnh sửa (nếu cần) "
                   "và gửi lại bản này.", indent=True, before=6, after=6, align=JUSTIFY)

    if verdict == "rejected" and replaced_by is None:
        by = "trước hạn nêu trên" if sub.on_time and timeliness else "trong thời gian sớm nhất"
        closing = f"Đề nghị {to} kiểm tra, hoàn thiện và gửi lại {by}./."
    else:
        closing = f"{office} thông báo để {to} biết./."
    _para(doc, closing, indent=True, before=6, after=12, align=JUSTIFY)

    foot = _table(doc, (80, 85), borders=False)
    _lines(foot.cell(0, 0), [("Nơi nhận:", {"size": 12, "bold": True, "italic": True}),
                             ("- Như trên;", {"size": 11}), ("- Lưu: VT.", {"size": 11})], align=LEFT)
    _lines(foot.cell(0, 1), [(office.upper(), {"size": BODY_PT, "bold": True})], align=CENTER)


def _problem_table(doc, problems: list[Problem]) -> None:
    """One row per problem, made by copying a formatted prototype row (``add_row`` is O(n) per call)."""
    table = _table(doc, PROBLEM_WIDTHS_MM, borders=True, rows=2)
    head, proto = table.rows[0]._tr, table.rows[1]
    for cell, text in zip(table.rows[0].cells, PROBLEM_HEADERS):
        _lines(cell, [(text, {"size": TABLE_PT, "bold": True})], align=CENTER)
    head.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat on every page
    proto._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    for i, cell in enumerate(proto.cells):
        p = _lines(cell, [], align=CENTER if i == 0 else None)
        if i == 1:
            _run(p, "·", size=TABLE_PT, bold=True)  # severity label
        _run(p, "·", size=TABLE_PT)
    for n, prob in enumerate(problems, 1):
        tr = copy.deepcopy(proto._tr)
        values = (str(n), f"{prob.severity.label}: ", prob.message, _where(prob), prob.fix)
        for t, value in zip(tr.iter(qn("w:t")), values):
            t.text = _text(value)
            t.set(qn("xml:space"), "preserve")
        proto._tr.addprevious(tr)
    table._tbl.remove(proto._tr)


# ------------------------------------------------------------------------------------------ python-docx plumbing

def _new_document():
    """A blank A4 document whose defaults and Normal style are Times New Roman 14 pt, Vietnamese."""
    doc = Document()
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    normal = doc.styles["Normal"]
    for r in (rpr, normal.element.get_or_add_rPr()):
        fonts = r.get_or_add_rFonts()
        fonts.attrib.clear()  # drop asciiTheme/hAnsiTheme/eastAsiaTheme/cstheme
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            fonts.set(qn(f"w:{slot}"), FONT)
    for tag in ("w:sz", "w:szCs"):
        rpr.find(qn(tag)).set(qn("w:val"), str(BODY_PT * 2))
    rpr.find(qn("w:lang")).set(qn("w:val"), "vi-VN")
    normal.font.size = Pt(BODY_PT)
    spacing = defaults.find(qn("w:pPrDefault")).find(qn("w:pPr")).find(qn("w:spacing"))
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "264")  # 1.1 lines

    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    # page numbers centred in the top margin, none on page 1
    section.different_first_page_header_footer = True
    p = section.header.paragraphs[0]
    p.alignment = CENTER
    p._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>2</w:t></w:r></w:fldSimple>'))
    return doc


def _run(p, text: str, *, size: int = BODY_PT, bold=False, italic=False, underline=False):
    run = p.add_run(_text(text))
    run.font.size = Pt(size)
    run.bold, run.italic = bold or None, italic or None
    run.underline = underline or None
    return run


def _para(container, text: str = "", *, size: int = BODY_PT, bold=False, italic=False, underline=False,
          align=None, before: float = 0, after: float = 0, indent=False, paragraph=None):
    p = paragraph if paragraph is not None else container.add_paragraph()
    fmt = p.paragraph_format
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    if indent:
        fmt.first_line_indent = Mm(12.7)
    if align is not None:
        p.alignment = align
    if text:
        _run(p, text, size=size, bold=bold, italic=italic, underline=underline)
    return p


def _lines(cell, lines: list[tuple[str, dict]], align=CENTER):
    """Write ``lines`` (text, formatting) into ``cell``, one paragraph each; return the last one."""
    p = _para(cell, paragraph=cell.paragraphs[0], align=align)
    for i, (text, fmt) in enumerate(lines):
        p = _para(cell, text, align=align, paragraph=p if i == 0 else None, **fmt)
    return p


def _table(doc, widths_mm: tuple[int, ...], *, borders: bool, rows: int = 1):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    val = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
    edges = parse_xml(f'<w:tblBorders {nsdecls("w")}>'
                      + "".join(f"<w:{e} {val}/>" for e in ("top", "left", "bottom", "right", "insideH", "insideV"))
                      + "</w:tblBorders>")
    table._tbl.tblPr.insert_element_before(edges, "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook",
                                           "w:tblCaption", "w:tblDescription", "w:tblPrChange")
    for col, width in zip(table.columns, widths_mm):
        col.width = Mm(width)
        for cell in col.cells:
            cell.width = Mm(width)
    return table


# ------------------------------------------------------------------------------------------ every letter owed

def write_missing_letters(ws, ledger, now: dt.datetime) -> list[Path]:
    """A letter for every list and workbook (and every quarantined file of a known unit) that has none yet;
    each recorded in the ledger as it is written, so a crash never loses one and a rerun never repeats one.

    A legacy-encoded list gets a Unicode, Times New Roman copy beside its letter, made from the .docx kept
    beside the original (LibreOffice is not run again)."""
    from automation.ledger.records import DUPLICATE, PROCESSING, QUARANTINED, RESPONDENT_LIST, SUPERSEDED, WORKBOOK  # noqa: PLC0415

    settings = ws.settings
    latest: dict[str, dict[str, Submission]] = {}
    written = []
    for sub in ledger.submissions.all():
        if sub.feedback_path or sub.unit_code is None or sub.status in (DUPLICATE, PROCESSING):
            continue
        if sub.kind not in (RESPONDENT_LIST, WORKBOOK) and sub.status != QUARANTINED:
            continue
        unit = settings.units.by_code(sub.unit_code)
        folder = ws.letters / unit.slug
        problems = [Problem.from_dict(p) for p in sub.problems]
        copy = _unicode_copy(ws, sub, folder) if any(p.code == "encoding.legacy" for p in problems) else None
        newer = None
        if sub.status == SUPERSEDED:  # a newer version came in the same pass, before this letter
            if sub.kind not in latest:
                latest[sub.kind] = ledger.submissions.latest_by_unit(sub.kind)
            newer = latest[sub.kind].get(sub.unit_code)
        letter = write_feedback(folder, sub, unit, problems, settings, unicode_copy=copy, now=now, replaced_by=newer)
        with ledger.transaction():
            ledger.submissions.update(sub.id, feedback_path=ws.rel(letter))
        written.append(letter)
    return written


def _unicode_copy(ws, sub: Submission, folder: Path) -> Path | None:
    from automation.formats.legacy_docx import convert_file, unicode_copy  # noqa: PLC0415
    from automation.problems import CchcError  # noqa: PLC0415

    target = folder / f"{Path(sub.original_name).stem}-v{sub.version or 0:02d}-unicode.docx"
    limits = ws.settings.limits
    try:
        if sub.converted_path:
            return unicode_copy(ws.root / sub.converted_path, target, limits.max_uncompressed_bytes).path
        return convert_file(ws.root / sub.path, target, limits).path
    except CchcError as exc:
        log.warning("no Unicode copy of %s: %s", sub.path, exc.problem.code)
        return None
