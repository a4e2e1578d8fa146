"""Feedback letters ("phiếu phản hồi") to a commune about one checked submission.

One .docx per letter, laid out after Decree 30/2020 (domain.md §5) as a công văn of the issuing body (Mẫu
1.4: no type name; the summary "V/v …" under the number "Số:       /UBND-NV", the drafting office's
abbreviation after the body's): A4 portrait, margins 20/20/30/15 mm, Times New Roman in every font slot (no
theme fonts), body 14 pt, and the parts every document shares (:mod:`automation.formats.decree30`): the
header table with the rules under the issuing body and the motto, the place/date line in italics, the
signer of ``[documents]`` with a space to sign and "Nơi nhận".  The package without its body is
built once a run with python-docx and kept (:mod:`automation.formats.docx_package`); each letter's body is
written as one piece of XML (:mod:`automation.formats.docx_xml`).  The letter is saved to a temporary
``.~cchc-*.docx`` next to its final name and moved into place with :func:`os.replace`.
"""

from __future__ import annotations

import datetime as dt
import logging
from functools import partial
from pathlib import Path

from automation.config import Settings
from automation.documents import context as ctx
from automation.formats import decree30 as d30
from automation.formats import docx_write as dw
from automation.formats import docx_xml as dx
from automation.formats.docx_package import Package, cached, default_template_key
from automation.formats.docx_write import xml_text
from automation.ledger.records import KIND_DEADLINES, KIND_FOLDERS, KIND_NAMES, Submission
from automation.problems import Problem, Severity, verdict
from automation.units import Unit
from automation.files import atomic_save, unique_path

log = logging.getLogger(__name__)

BODY_PT, TABLE_PT = 14, 13
VERDICTS = {"accepted": "ĐẠT", "accepted_with_warnings": "ĐẠT, có lưu ý",
            "rejected": "KHÔNG ĐẠT – đề nghị sửa và gửi lại"}
PROBLEM_HEADERS = ("STT", "Nội dung", "Vị trí", "Cách khắc phục")
PROBLEM_WIDTHS_MM = (15, 64, 38, 48)  # 165 mm = 210 - 30 (left) - 15 (right)
WHOLE_DOCUMENT = "Toàn văn bản"
CENTER, JUSTIFY = "center", "justify"
# every run of a letter has its size written out and its text on one line (file names, damaged documents)
_run = partial(dx.run, size=BODY_PT, one_line=True)
_lines = partial(dx.cell_lines, size=BODY_PT, one_line=True)


def write_feedback(folder: Path, submission: Submission, unit: Unit, problems: list[Problem],
                   settings: Settings, *, unicode_copy: Path | None = None,
                   now: dt.datetime | None = None, replaced_by: Submission | None = None) -> Path:
    """Write the feedback letter for ``submission`` into ``folder`` (created if missing); return its path.

    The name is ``phan-hoi-<kind>-v<version>-<YYYYMMDD-HHMMSS of receipt>.docx``, with ``-2``, ``-3``…
    added rather than overwriting an existing letter.
    """
    now = now or dt.datetime.now()
    package = _package()
    document = package.document_xml(_letter(submission, unit, problems, settings, unicode_copy, now, replaced_by))
    target = unique_path(Path(folder) / f"{feedback_stem(submission, now)}.docx")
    return atomic_save(target, lambda tmp: package.write(tmp, {"word/document.xml": document}))


def feedback_stem(submission: Submission, now: dt.datetime) -> str:
    """``phan-hoi-danh-sach-v2-20211025-091500`` (ASCII, no spaces)."""
    kind = KIND_FOLDERS.get(submission.kind, KIND_FOLDERS["unknown"])
    version = f"-v{submission.version}" if submission.version is not None else ""
    return f"phan-hoi-{kind}{version}-{(submission.received_at or now):%Y%m%d-%H%M%S}"


# ------------------------------------------------------------------------------------------ wording

def date_line(place: str, day: dt.date) -> str:
    """"Vĩnh Tường, ngày 05 tháng 01 năm 2022": a leading 0 for days below 10 and months 1–2."""
    return f"{place}, {ctx.long_date(day)}"


def by_office(settings: Settings) -> bool:
    """Are the letters the standing office's own (``[documents] letter_signer_title`` set, the default)?"""
    return bool(settings.documents.letter_signer_title)


def letter_number(settings: Settings) -> str:
    """A công văn (NĐ 30, Phụ lục III and Phụ lục I, I.3.b: no type name, so its symbol is the issuer's
    abbreviation, then the drafting unit's): "Số:       /NV" from the standing office itself, "Số:       /UBND-NV"
    from the issuing body; the number left for the văn thư."""
    doc = settings.documents
    parts = (doc.office_abbreviation,) if by_office(settings) else (doc.body_abbreviation, doc.office_abbreviation)
    return f"Số: {' ' * 6}/{'-'.join(x for x in parts if x)}"


def letter_layout(settings: Settings, day: dt.date) -> tuple[dict, dict]:
    """The arguments of :func:`decree30.header` and :func:`decree30.signature` for a letter dated ``day``.

    By default the standing office issues and signs it (a routine letter about a file it received): the issuing
    body above it ("ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG", not bold), the office ("PHÒNG NỘI VỤ"), its head's title
    and name (``letter_signer_title``, ``letter_signer_name``) in their own right, its own copy ("Lưu: VT.").
    With ``letter_signer_title = ""``: the issuing body and the drafts' signer (the notice's "TM. ỦY BAN NHÂN
    DÂN"), as :func:`context.common` gives them."""
    c = ctx.common(settings, "notice", draft=False, today=day)
    summary = f"V/v kết quả tiếp nhận, kiểm tra hồ sơ Chỉ số CCHC năm {settings.year}"
    head = {"number": letter_number(settings), "place_date": c["dia_danh_ngay"], "summary": summary}
    if by_office(settings):
        doc = settings.documents
        head |= {"parent": [c["co_quan_ban_hanh"]], "body": [settings.authority.standing_office.upper()]}
        sign = {"authority": [], "name": doc.letter_signer_name, "recipients": ["Như trên"], "archive": "",
                "titles": ctx.title_lines(doc.letter_signer_title)}
        return head, sign
    head |= {"parent": [c["co_quan_chu_quan"]] if c["co_quan_chu_quan"] else [], "body": [c["co_quan_ban_hanh"]]}
    sign = {"authority": [c["quyen_han"]] if c["quyen_han"] else [], "titles": c["chuc_vu"],
            "name": c["nguoi_ky"], "recipients": ["Như trên"], "archive": c["luu"]}
    return head, sign


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


def _version_words(sub: Submission) -> str:
    """"lần gửi thứ 2 (tệp “DS.docx”, nhận lúc 09:15 ngày 25/10/2021)"."""
    when = f", nhận lúc {sub.received_at:%H:%M ngày %d/%m/%Y}" if sub.received_at else ""
    version = f"lần gửi thứ {sub.version}" if sub.version else "lần gửi sau"
    return f"{version} (tệp “{Path(sub.original_name).name}”{when})"


def _where(p: Problem) -> str:
    return (p.location.describe() if p.location else "") or WHOLE_DOCUMENT


# ------------------------------------------------------------------------------------------ the letter

def _letter(sub: Submission, unit: Unit, problems: list[Problem], settings: Settings,
            unicode_copy: Path | None, now: dt.datetime, replaced_by: Submission | None = None) -> str:
    """The body of the letter, as WordprocessingML."""
    auth, to = settings.authority, addressee(unit)
    office = auth.standing_office
    issuer = office if by_office(settings) else auth.short_name  # or "Phòng Nội vụ" drafts for "UBND huyện"
    head, sign = letter_layout(settings, now.date())
    out = [d30.header(**head)]
    def para(text: str, *, bold=None, italic=None, align=None, before=0, after=0, indent=False) -> None:
        out.append(dx.para(_run(text, bold=bold, italic=italic), align=align, before=before, after=after,
                           indent=indent))

    para(f"Kính gửi: {to}.", align=CENTER, before=18, after=12)

    via = "" if issuer == office else f" (qua {office})"
    para(f"{issuer}{via} đã tiếp nhận hồ sơ của {to} như sau:", indent=True, after=6, align=JUSTIFY)
    kind = KIND_NAMES.get(sub.kind, KIND_NAMES["unknown"])
    items = [f"Tên tệp: {sub.original_name}",
             f"Loại hồ sơ: {kind}" + (f" (lần gửi thứ {sub.version})" if sub.version else "")]
    when = [f"{sub.received_at:%H:%M} ngày {sub.received_at:%d/%m/%Y}"] if sub.received_at else []
    timeliness = _timeliness(sub, settings)
    when += [timeliness] if timeliness else []
    if when:
        items.append("Thời điểm nhận: " + ", ".join(when))
    for i, item in enumerate(items):
        para(f"- {item}" + ("." if i == len(items) - 1 else ";"), indent=True, after=6, align=JUSTIFY)

    if replaced_by is not None:
        para(f"Lưu ý: hồ sơ này đã được thay thế bằng {_version_words(replaced_by)}; {office} dùng lần gửi "
             "mới để thẩm định, kết quả kiểm tra lần gửi đó được thông báo trong phiếu phản hồi riêng.",
             indent=True, after=6, align=JUSTIFY, italic=True)
    verdict = verdict_of(sub, problems)
    para(f"Kết quả kiểm tra: {VERDICTS[verdict]}", bold=True, indent=True, after=6)
    ordered = sorted(problems, key=lambda p: p.severity is not Severity.ERROR)
    if ordered:
        errors = sum(p.severity is Severity.ERROR for p in ordered)
        counts = ", ".join(f"{n} {label}" for n, label in ((errors, "lỗi"), (len(ordered) - errors, "cảnh báo"))
                           if n)
        para(f"Chi tiết ({counts}; lỗi phải sửa, cảnh báo đề nghị xem lại):", indent=True, after=6)
        out.append(_problem_table(ordered))
    else:
        para("Hồ sơ đáp ứng các yêu cầu kiểm tra, không phát hiện lỗi.", indent=True, after=6, align=JUSTIFY)

    if unicode_copy is not None:
        para(f"{office} đã chuyển danh sách sang bảng mã Unicode, phông chữ Times New Roman "
             f"(tệp “{Path(unicode_copy).name}”). Đề nghị {to} kiểm tra, chỉnh sửa (nếu cần) "
             "và gửi lại bản này.", indent=True, before=6, after=6, align=JUSTIFY)

    if verdict == "rejected" and replaced_by is None:
        by = "trước hạn nêu trên" if sub.on_time and timeliness else "trong thời gian sớm nhất"
        closing = f"Đề nghị {to} kiểm tra, hoàn thiện và gửi lại {by}./."
    else:
        closing = f"{issuer} thông báo để {to} biết./."
    out.append(dx.para(_run(closing), indent=True, before=6, after=6, align=JUSTIFY, keep_next=True))
    out.append(d30.signature(**sign))
    return "".join(out)


def _problem_table(problems: list[Problem]) -> str:
    """A header row repeated on every page, then one row per problem that never breaks across pages."""
    w = PROBLEM_WIDTHS_MM
    head = dx.row([dx.cell(width, _lines([(text, {"size": TABLE_PT, "bold": True})], align=CENTER))
                   for width, text in zip(w, PROBLEM_HEADERS)], header=True)

    def text_cell(i: int, runs: str) -> str:
        return dx.cell(w[i], dx.para(runs, align=CENTER if i == 0 else None))

    rows = [dx.row([text_cell(0, _cell_run(str(n))),
                    text_cell(1, _cell_run(f"{p.severity.label}: ", bold=True) + _cell_run(p.message)),
                    text_cell(2, _cell_run(_where(p))), text_cell(3, _cell_run(p.fix))], cant_split=True)
            for n, p in enumerate(problems, 1)]
    return dx.table(w, [head, *rows], borders=True)


def _cell_run(text: str, *, bold: bool | None = None) -> str:
    """A run of the problem table: always ``xml:space="preserve"`` (as the prototype row copy wrote it)."""
    props = ("<w:b/>" if bold else "") + f'<w:sz w:val="{TABLE_PT * 2}"/>'
    text = dx.escape(xml_text(text, one_line=True))
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{text}</w:t></w:r>'


def _package():
    """The letter's package without its body, kept for the run: Times New Roman 14 pt, Vietnamese, 1.1 lines,
    page numbers centred in the top margin from page 2 (built with python-docx on first use)."""
    def build():
        doc = dw.new_document(size_pt=BODY_PT, line_spacing=1.1, header_mm=10)
        dw.page_numbers(doc.sections[0])
        return Package.from_document(doc)

    return cached(("feedback-letter", default_template_key()), build)


# ------------------------------------------------------------------------------------------ every letter owed

def write_missing_letters(ws, ledger, now: dt.datetime) -> list[Path]:
    """A letter for every list and workbook (and every quarantined file of a known unit) that has none yet;
    each recorded in the ledger as it is written, so a crash never loses one and a rerun never repeats one.

    A legacy-encoded list gets a Unicode, Times New Roman copy beside its letter, made from the .docx kept
    beside the original (LibreOffice is not run again)."""
    from automation.ledger.records import SUPERSEDED  # noqa: PLC0415

    settings = ws.settings
    latest: dict[str, dict[str, Submission]] = {}
    written = []
    for sub in ledger.submissions.letters_owed():
        unit = settings.units.by_code(sub.unit_code)
        if unit is None:  # a unit no longer in the settings
            continue
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


def adopt_letters(ws, ledger) -> int:
    """After a ledger rebuild: every submission whose letter is already in ``phan-hoi/`` (its name is made
    from the row) gets it back, so no letter is written twice.  Returns how many."""
    n = 0
    for sub in ledger.submissions.all():
        unit = ws.settings.units.by_code(sub.unit_code) if sub.unit_code else None
        if sub.feedback_path or unit is None:
            continue
        letter = ws.letters / unit.slug / f"{feedback_stem(sub, sub.received_at)}.docx"
        if letter.is_file():
            with ledger.transaction():
                ledger.submissions.update(sub.id, feedback_path=ws.rel(letter))
            n += 1
    return n


def _unicode_copy(ws, sub: Submission, folder: Path) -> Path | None:
    from automation.formats.legacy_docx import convert_file, unicode_copy  # noqa: PLC0415
    from automation.problems import CchcError  # noqa: PLC0415
    from automation.workspace import libreoffice_dir  # noqa: PLC0415

    target = folder / f"{Path(sub.original_name).stem}-v{sub.version or 0:02d}-unicode.docx"
    limits = ws.settings.limits
    try:
        if sub.converted_path:
            return unicode_copy(ws.root / sub.converted_path, target, limits.max_uncompressed_bytes).path
        return convert_file(ws.root / sub.path, target, limits, libreoffice_dir(ws.root)).path
    except CchcError as exc:
        log.warning("no Unicode copy of %s: %s", sub.path, exc.problem.code)
        return None
