"""The check pipeline for files a commune sends: identify -> read -> check -> report.

``check_paths`` sniffs every file, converts all legacy files in one LibreOffice batch, reads each
(Word: fonts, legacy encodings, the respondent list; workbooks: a self-assessment, or a respondent list
on any sheet) and returns one :class:`FileReport` per file.  Nothing here raises for a bad file: every
failure is a problem in its report.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from pathlib import Path

from automation.config import LIST_FORMATS, Settings
from automation.formats import legacy, wordfonts
from automation.formats.sniff import FileKind, Sniffed, sniff
from automation.formats.word import Fonts, WordDocument, read_docx
from automation.lists.columns import accepted_names
from automation.lists.extract import find_list, largest_table_headers, looks_like_list_title
from automation.lists.model import AREA, COLUMN_TITLES, RespondentList
from automation.lists.rules import check_list
from automation.problems import CchcError, FileRejected, Location, Problem, Severity, problem
from automation.units import Unit

log = logging.getLogger(__name__)

_PART_NAMES = {"header": "đầu trang", "footer": "chân trang", "footnotes": "chú thích", "endnotes": "chú thích cuối"}


@dataclass
class FileReport:
    path: Path
    kind: str = "unknown"  # respondent_list | document | workbook | spreadsheet | unknown
    unit: Unit | None = None
    problems: list[Problem] = field(default_factory=list)
    respondent_list: RespondentList | None = None
    sniffed: Sniffed | None = None

    @property
    def verdict(self) -> str:
        if any(p.severity is Severity.ERROR for p in self.problems):
            return "rejected"
        if self.problems:
            return "accepted_with_warnings"
        return "accepted"

    @property
    def respondents(self) -> int | None:
        return len(self.respondent_list.respondents) if self.respondent_list else None

    def as_dict(self) -> dict:
        return {"file": str(self.path), "kind": self.kind,
                "unit": self.unit.as_dict() if self.unit else None, "verdict": self.verdict,
                "respondents": self.respondents, "problems": [p.as_dict() for p in self.problems]}


# --- Word ---------------------------------------------------------------------------------------

def _text_font(text: str, fonts: Fonts) -> str | None:
    return fonts.hAnsi if any(ord(c) > 0x7F for c in text) else fonts.ascii


# runs repeat (the same header cells, names, dates): detection is pure, so remember it
_detect = lru_cache(maxsize=65536)(legacy.detect)


class _LegacyDecoder:
    """``decode(text, fonts)`` for :func:`read_docx`: the Unicode text a legacy-encoded run means, or None.

    ``read_docx`` first hands it every run of the document (:meth:`for_document`), so that runs which read as
    Vietnamese both ways are judged like the rest of their document (:class:`legacy.DocumentEncodings`).
    """

    def __init__(self, encodings: legacy.DocumentEncodings | None = None):
        self.encodings = encodings

    def __call__(self, text: str, fonts: Fonts) -> str | None:
        font = _text_font(text, fonts)
        enc = self.encodings.detect(text, font) if self.encodings else _detect(text, font)
        return legacy.decode(text, enc, font) if enc else None

    def for_document(self, runs: list[tuple[str, Fonts]]) -> "_LegacyDecoder | None":
        """The decoder for a document of these (text, fonts) runs; None when no run is legacy text."""
        fonted = [(text, _text_font(text, fonts)) for text, fonts in runs]
        encodings = legacy.DocumentEncodings(fonted)
        return _LegacyDecoder(encodings) if any(encodings.detect(t, f) for t, f in fonted) else None


decode_legacy = _LegacyDecoder()


def _is_tnr(font: str | None) -> bool:
    # no font named anywhere: Word's built-in default (Times New Roman) applies; letter case does not matter
    return wordfonts.is_times_new_roman(font)


def _font_label(font: str | None) -> str:
    return font or "không xác định"


def format_problems(doc: WordDocument) -> list[Problem]:
    """font.not_times_new_roman (one per font) and encoding.legacy (one per encoding) findings, per story.

    Fonts are judged by the name Word's font box shows (the reader resolves alternate names, CSS lists and
    theme references).  Each story (the body, headers, footers, footnotes, endnotes) gets its own findings: one
    in a header or footer is located there ("đầu trang", "chân trang"); one in the body that stays within one
    table says which table; one spread over the body has no location and counts its runs.  A misspelt
    "Times New Roman" gets the wording that names the misspelling.
    """
    fonts: dict[tuple[str, str | None], list] = {}
    encodings: dict[tuple[str, str], list] = {}
    visible = [run for run in doc.runs if run.visible_text]
    document = legacy.DocumentEncodings([(run.text, _text_font(run.text, run.fonts)) for run in visible])
    for run in visible:
        for font in run.fonts.used_by(run.text):
            if not _is_tnr(font):
                fonts.setdefault((run.part, font), []).append(run)
        enc = document.detect(run.text, _text_font(run.text, run.fonts))
        if enc:
            encodings.setdefault((run.part, enc), []).append(run)
    out = []
    for (_part, enc), runs in encodings.items():
        sample = _sample(runs)
        font = _text_font(sample.text, sample.fonts)
        names = sorted({_font_label(_text_font(r.text, r.fonts)) for r in runs})
        out.append(problem("encoding.legacy", _where(runs), encoding=enc, font="”, “".join(names),
                           sample=_short(sample.text),
                           decoded=_short(sample.shown or legacy.decode(sample.text, enc, font)), count=len(runs)))
    for (_part, font), runs in fonts.items():
        sample = _sample(runs)
        out.append(problem("font.not_times_new_roman", _where(runs),
                           variant="misspelt" if wordfonts.misspelt_times_new_roman(font) else None, font=_font_label(font),
                           sample=_short(sample.shown or sample.text), count=len(runs)))
    return out


def _sample(runs: list) -> object:
    return next((r for r in runs if len(r.text.strip()) > 3), runs[0])


def _where(runs: list) -> Location | None:
    """Where the runs of one finding are (they share a story): the header/footer part, and the table of the
    body when they all lie in one."""
    part = _PART_NAMES.get(runs[0].part)
    tables = {r.table for r in runs}
    table = tables.pop() if len(tables) == 1 else None
    return Location(table=table, part=part) if part or table else None


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def check_word(docx: Path, original: Path, settings: Settings, report: FileReport, hint: Unit | None = None) -> None:
    doc = read_docx(docx, max_part_bytes=settings.limits.max_uncompressed_bytes, decode=decode_legacy)
    report.problems.extend(format_problems(doc))
    rl = find_list(doc)
    top = [p for p in doc.paragraphs if p.strip()][:8]
    heading = rl.heading if rl else top
    report.unit = hint or _identify(settings, report, " ".join(doc.headers + heading), original)
    if rl is None and not looks_like_list_title(top[:4] + [original.stem]):
        report.kind = "document"
        return
    report.kind = "respondent_list"
    if rl is None:
        report.problems.append(table_missing(doc))
        return
    report.respondent_list = rl
    report.problems[:] = [_in_list(p, rl) for p in report.problems]
    report.problems.extend(check_list(rl, report.unit, settings))


def _in_list(p: Problem, rl: RespondentList) -> Problem:
    """A formatting finding confined to the list's table is located as "danh sách", not by table number."""
    loc = p.location
    if loc is None or loc.area is not None or loc.table not in rl.tables:
        return p
    return replace(p, location=replace(loc, area=AREA))


def table_missing(doc: WordDocument) -> Problem:
    """``list.table_missing``, quoting the headers of the largest table and what they lack when there is one."""
    found = largest_table_headers(doc)
    if found is None or not found[0]:
        return problem("list.table_missing")
    headers, missing = found
    return problem("list.table_missing", variant="headers", headers=", ".join(f"“{h}”" for h in headers[:12]),
                   missing=_and([f"“{COLUMN_TITLES[k]}”" for k in missing]),
                   accepted="; ".join(f"cột “{COLUMN_TITLES[k]}”: {accepted_names(k)}" for k in missing))


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " và " + items[-1]


def _identify(settings: Settings, report: FileReport, heading: str, original: Path, *more: str) -> Unit | None:
    match = settings.units.find_first(heading, original.stem, *more)
    if match.unit is None:
        report.problems.append(problem("unit.unknown", detail=match.reason()))
    return match.unit


# --- workbooks ----------------------------------------------------------------------------------

def check_workbook(xlsx: Path, original: Path, settings: Settings, report: FileReport,
                   hint: Unit | None = None) -> None:
    """A workbook is classified by what its sheets hold: a "Mã tiêu chí" header makes it a self-assessment
    (checked score by score against the criteria framework, computed values, never a formula's cached
    value); a list header on any sheet a respondent list (read and checked as a Word list is); anything
    else is another spreadsheet (kind "spreadsheet", ``file.unsupported``)."""
    from automation.formats import ooxml  # noqa: PLC0415
    from automation.formats.sheet import read_workbook  # noqa: PLC0415

    report.kind = "workbook"
    ooxml.refuse_dtds(xlsx)
    book = read_workbook(xlsx, settings.limits.max_uncompressed_bytes)
    if _has_criteria_header(book):
        _check_self_assessment(xlsx, original, settings, report, hint)
    elif not _check_sheet_list(book, original, settings, report, hint):
        report.kind = "spreadsheet"
        raise FileRejected("file.unsupported", detail="bảng tính không theo mẫu biểu tự đánh giá, chấm điểm "
                                                      "(không có cột “Mã tiêu chí”), cũng không có bảng danh sách "
                                                      "người đã giao dịch TTHC")


def _check_self_assessment(xlsx: Path, original: Path, settings: Settings, report: FileReport,
                           hint: Unit | None) -> None:
    from automation.scoring.framework import workspace_framework  # noqa: PLC0415
    from automation.scoring.selfassess import read_self_assessment  # noqa: PLC0415

    sa, problems = read_self_assessment(xlsx, workspace_framework(settings))
    report.problems.extend(problems)
    if hint is not None:
        report.unit = hint
        return
    by_code = settings.units.by_code(sa.unit_code) if sa and sa.unit_code else None
    report.unit = by_code or _identify(settings, report, sa.unit_text if sa else "", original)


def _has_criteria_header(book) -> bool:
    """A "Mã tiêu chí" cell in the first 30 rows and 12 columns of any sheet (hidden ones too)."""
    for sheet in book.sheets:
        for r, row in sheet.cells.items():
            if r <= 30 and any(c < 12 and isinstance(cell.value, str) and "mã tiêu chí" in cell.value.lower()
                               for c, cell in row.items()):
                return True
    return False


def _check_sheet_list(book, original: Path, settings: Settings, report: FileReport, hint: Unit | None) -> bool:
    """Read the workbook's respondent list, if it has one, as ``check_word`` reads a Word list.

    Fonts are not judged in a workbook (the plan's Times New Roman rule is for Word documents; Excel's
    own default is Calibri); legacy encodings are, since they change what the cells say.
    """
    from automation.lists.from_sheet import find_sheet_list  # noqa: PLC0415

    found = find_sheet_list(book, decode_legacy)
    if found is None:
        return False
    view, rl = found.view, found.respondent_list
    report.kind = "respondent_list"
    problems = [p for p in format_problems(view.document) if p.code.startswith("encoding.")]
    heading = rl.heading if rl and rl.heading else view.titles
    report.unit = hint or _identify(settings, report, " ".join(heading), original, view.sheet.name)
    if rl is None:
        problems.append(table_missing(view.document))
    else:
        report.respondent_list = rl
        problems.extend(check_list(rl, report.unit, settings))
    part = view.label if len(book.visible) > 1 else None
    report.problems.extend(_on_sheet(p, part, rl) for p in problems)
    return True


def _on_sheet(p: Problem, part: str | None, rl: RespondentList | None) -> Problem:
    """A finding located in a sheet's terms: its sheet (when the workbook has several), and "danh sách"
    rather than "bảng thứ 1 của văn bản" for the list's table."""
    loc = p.location
    if loc is None and part is None:
        return p
    loc = loc or Location()
    if loc.area is None and loc.table is not None:
        area = AREA if rl is not None and loc.table == rl.table else f"bảng thứ {loc.table} của trang tính"
        loc = replace(loc, area=area)
    if part is not None and loc.part is None:
        loc = replace(loc, part=part)
    return replace(p, location=loc)


def _list_format_problem(rep: FileReport, settings: Settings) -> Problem | None:
    """list.not_word when a list came in a file family ``[list] formats`` does not allow.

    The family is the file's content, except for a web page: web software saves its HTML tables as .xls
    ("Xuất Excel") or .doc ("Xuất Word"), and the commune opens, and sends, it as what its name says.
    """
    detail, suffix = rep.sniffed.detail, rep.path.suffix.lower()
    if rep.sniffed.kind in _SHEET_KINDS:
        family = "excel"
    elif rep.sniffed.kind is FileKind.HTML and suffix in _SHEET_SUFFIXES:
        family, detail = "excel", f"{detail} mang đuôi {suffix}"
    else:
        family = "word"
    allowed = settings.list_rules.formats
    if family in allowed:
        return None
    return problem("list.not_word", allowed=" hoặc ".join(LIST_FORMATS[f] for f in allowed), detail=detail)


# --- the pipeline -------------------------------------------------------------------------------

_WORD_KINDS = {FileKind.DOCX, FileKind.DOC, FileKind.RTF, FileKind.HTML, FileKind.ODT}
_SHEET_KINDS = {FileKind.XLSX, FileKind.XLS, FileKind.ODS}
_MACRO_WORD_SUFFIXES = {".docm", ".dotm"}
_SHEET_SUFFIXES = {".xls", ".xlsx", ".xlsm", ".xlt", ".xltx", ".xltm", ".ods", ".ots"}


def check_paths(paths: list[Path], settings: Settings, progress=None,
                hints: dict[Path, Unit] | None = None) -> list[FileReport]:
    """Check every file; one LibreOffice process converts all legacy files together.

    ``hints`` gives the unit of a file already known from elsewhere (the inbox subfolder it came in).
    """
    hints = hints or {}
    reports = [FileReport(Path(p)) for p in paths]
    todo: list[FileReport] = []
    for rep in reports:  # stage: identify
        try:
            rep.sniffed = sniff(rep.path, settings.limits)
        except FileRejected as exc:
            rep.problems.append(exc.problem)
            continue
        except OSError as exc:
            rep.problems.append(problem("file.unreadable", detail=f"không mở được tệp ({exc.strerror})"))
            continue
        kind = rep.sniffed.kind
        if kind in _WORD_KINDS and (rep.sniffed.macro or rep.path.suffix.lower() in _MACRO_WORD_SUFFIXES):
            # Word files carrying (or claiming to carry) VBA are not opened: a security rule, not a format one
            why = "có macro (mã lệnh VBA)" if rep.sniffed.macro else f"mang đuôi {rep.path.suffix} của văn bản có macro"
            rep.problems.append(problem("file.unsupported", detail=f"{rep.sniffed.detail} {why}, không tiếp nhận "
                                        "vì lý do an toàn; hãy lưu lại dưới dạng .docx"))
        elif kind in _WORD_KINDS or kind in _SHEET_KINDS:
            todo.append(rep)
        else:
            rep.problems.append(problem("file.unsupported", detail=rep.sniffed.detail))

    with ExitStack() as stack:
        converted: dict[Path, Path | FileRejected] = {}
        legacy_files = [r for r in todo if r.sniffed.needs_conversion]
        if legacy_files:  # stage: convert, one batch per target format
            from automation.formats.convert import Converter  # noqa: PLC0415 (LibreOffice is heavy)
            try:
                conv = stack.enter_context(Converter(timeout_s=settings.limits.conversion_timeout_s,
                                                     limits=settings.limits))
                for target, kinds in (("docx", _WORD_KINDS), ("xlsx", _SHEET_KINDS)):
                    batch = [r.path for r in legacy_files if r.sniffed.kind in kinds]
                    if batch:
                        converted.update(conv.convert_many(batch, target))
            except CchcError as exc:  # LibreOffice missing: every legacy file gets the message
                converted.update((r.path, exc) for r in legacy_files)
        for rep in todo:  # stage: read and check
            source = converted.get(rep.path, rep.path)
            try:
                if isinstance(source, CchcError):
                    raise source
                check = check_word if rep.sniffed.kind in _WORD_KINDS else check_workbook
                check(source, rep.path, settings, rep, hints.get(rep.path))
            except CchcError as exc:
                rep.problems.append(exc.problem)
            except Exception as exc:  # never a traceback for a commune's file; the log keeps the detail
                log.exception("unexpected failure reading %s", rep.path)
                rep.problems.append(problem("file.unreadable", detail=f"lỗi khi đọc tệp ({type(exc).__name__})"))
            if rep.kind == "respondent_list" and (wrong := _list_format_problem(rep, settings)) is not None:
                rep.problems.insert(0, wrong)  # with every content finding, so one letter says it all
            if progress:
                progress(rep)
    return reports

