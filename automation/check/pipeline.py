"""The read-only stages of checking a batch of files a commune sent, listed once in :data:`STAGES`.

    identify -> convert -> read -> classify -> check

Each stage takes the batch's :class:`~automation.check.report.FileReport` records and fills in what it
learns (what the file is, its Word/Excel form, what kind of submission it is and for which unit, what is
wrong with it).  A file a stage refuses carries the problem and is left alone by the later stages; nothing
here raises for a bad file.  A workbook is parsed only after sniffing, the size and zip-bomb limits and the
DTD refusal.  The desk (:mod:`automation.intake.desk`) then files and records what the stages found.
"""

from __future__ import annotations

import logging
import shutil
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from automation.check.fonts import decode_legacy
from automation.check.report import FileReport
from automation.check.word import check_word, classify_word
from automation.check.workbook import check_workbook, classify_workbook
from automation.config import LIST_FORMATS, Settings
from automation.formats.sniff import FileKind, sniff
from automation.problems import CchcError, FileRejected, Problem, problem
from automation.units import Unit

if TYPE_CHECKING:
    from automation.formats.resident import ResidentOffice

log = logging.getLogger(__name__)

_MACRO_WORD_SUFFIXES = {".docm", ".dotm"}
_SHEET_SUFFIXES = {".xls", ".xlsx", ".xlsm", ".xlt", ".xltx", ".xltm", ".ods", ".ots"}
_TARGET = {"word": "docx", "sheet": "xlsx"}
SHEET_ROWS_FLOOR = 2000  # a workbook's sheets are read this far at least (a self-assessment of many criteria)
LIST_READ_FACTOR = 10  # a table's rows are read up to this many times the list size ([list] size), then counted
# this many legacy files or more: one batch process even when a resident LibreOffice runs. Measured
# (bench/bench_resident.py, 2 cores): the resident takes ~0.09 s a .doc, a batch process ~1.2 s to start then
# ~0.07 s a .doc, so they cross at about 60 files; below 30 the resident is clearly faster.
BATCH_FROM_FILES = 30


@dataclass
class Batch:
    settings: Settings
    hints: dict[Path, Unit] = field(default_factory=dict)  # a unit already known (the inbox subfolder)
    keep_converted: Path | None = None  # copy LibreOffice's outputs here (they outlive the batch)
    progress: Callable[[FileReport], None] | None = None  # called once per file, when it is checked
    lo_workdir: Path | None = None  # where LibreOffice works (the workspace's folder for it; None: system temp)
    office: ResidentOffice | None = None  # a resident LibreOffice (cchc watch) for batches of few legacy files
    kept: list[Path] = field(default_factory=list)  # the copies made in keep_converted
    stack: ExitStack = field(default_factory=ExitStack)


def _each(reports: list[FileReport], work: Callable[[FileReport], None]) -> None:
    """Run ``work`` on every live report; a refusal or an unexpected failure stops that file only."""
    for rep in reports:
        if rep.done:
            continue
        try:
            work(rep)
        except CchcError as exc:
            rep.stop(exc.problem)
        except Exception as exc:  # never a traceback for a commune's file; the log keeps the detail
            log.exception("unexpected failure reading %s", rep.path)
            rep.stop(problem("file.unreadable", detail=f"lỗi khi đọc tệp ({type(exc).__name__})"))


# --- the stages -------------------------------------------------------------------------------

def identify(batch: Batch, reports: list[FileReport]) -> None:
    """What each file really is, by its bytes; formats not taken and Word files with macros are refused."""
    def one(rep: FileReport) -> None:
        try:
            rep.sniffed = sniffed = sniff(rep.path, batch.settings.limits)
        except OSError as exc:
            raise FileRejected("file.unreadable", detail=f"không mở được tệp ({exc.strerror})") from None
        if sniffed.family == "word" and (sniffed.macro or rep.path.suffix.lower() in _MACRO_WORD_SUFFIXES):
            # Word files carrying (or claiming to carry) VBA are not opened: a security rule, not a format one
            why = "có macro (mã lệnh VBA)" if sniffed.macro else f"mang đuôi {rep.path.suffix} của văn bản có macro"
            raise FileRejected("file.unsupported", detail=f"{sniffed.detail} {why}, không tiếp nhận vì lý do an "
                                                          "toàn; hãy lưu lại dưới dạng .docx")
        if sniffed.family == "other":
            raise FileRejected("file.unsupported", detail=sniffed.detail)
        rep.source = rep.path

    _each(reports, one)


def convert(batch: Batch, reports: list[FileReport]) -> None:
    """Legacy files (.doc, .rtf, .odt, web pages, .xls, .ods) to .docx/.xlsx: one LibreOffice process per
    target format for the whole batch, or the resident LibreOffice when there is one and the files are few
    (fewer than :data:`BATCH_FROM_FILES`: for many, one process that starts once is faster)."""
    legacy = [r for r in reports if not r.done and r.sniffed.needs_conversion]
    if not legacy:
        return
    from automation.formats.convert import Converter  # noqa: PLC0415 (LibreOffice is heavy)

    settings = batch.settings
    try:
        engine = batch.office if len(legacy) < BATCH_FROM_FILES else None
        conv = batch.stack.enter_context(Converter(timeout_s=settings.limits.conversion_timeout_s,
                                                   workdir=batch.lo_workdir, limits=settings.limits, engine=engine))
    except CchcError as exc:  # LibreOffice missing: every legacy file gets the message
        for rep in legacy:
            rep.stop(exc.problem)
        return
    for family, target in _TARGET.items():
        group = [r for r in legacy if r.family == family]
        if not group:
            continue
        results = conv.convert_many([r.path for r in group], target)
        for rep in group:
            out = results[rep.path]
            if isinstance(out, CchcError):
                rep.stop(out.problem)
                continue
            rep.source = out
            if batch.keep_converted is not None:
                rep.converted = _keep(out, batch.keep_converted, len(batch.kept))
                batch.kept.append(rep.converted)


def _keep(out: Path, folder: Path, n: int) -> Path:
    """A copy of LibreOffice's output that outlives the batch (numbered: two sources may share a name)."""
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{n:04d}{out.suffix}"
    shutil.copyfile(out, dest)
    return dest


def read(batch: Batch, reports: list[FileReport]) -> None:
    """Word files into a :class:`~automation.formats.word.WordDocument`, workbooks into a
    :class:`~automation.formats.sheet.Workbook` of cell texts, once none of their XML parts declares a DTD."""
    from automation.formats import ooxml  # noqa: PLC0415

    limit = batch.settings.limits.max_uncompressed_bytes

    def one(rep: FileReport) -> None:
        ooxml.refuse_dtds(rep.source, limit)  # before any parser sees a part, whichever reads it
        if rep.family == "word":
            from automation.formats.word import read_docx  # noqa: PLC0415
            rep.doc = read_docx(rep.source, max_part_bytes=limit, decode=decode_legacy,
                                max_table_rows=LIST_READ_FACTOR * batch.settings.list_rules.size)
        else:
            from automation.formats.sheet import read_workbook  # noqa: PLC0415
            rows = max(SHEET_ROWS_FLOOR, LIST_READ_FACTOR * batch.settings.list_rules.size)
            rep.book = read_workbook(rep.source, limit, max_rows=rows)

    _each(reports, one)


def classify(batch: Batch, reports: list[FileReport]) -> None:
    """The kind of each file (respondent list, document, self-assessment workbook, survey entry workbook,
    other spreadsheet) and its unit, from what it holds, never from an error code."""
    def one(rep: FileReport) -> None:
        hint = batch.hints.get(rep.path)
        (classify_word if rep.family == "word" else classify_workbook)(rep, batch.settings, hint)

    _each(reports, one)


def check(batch: Batch, reports: list[FileReport]) -> None:
    """The plan's rules for what each file is; a list in a format ``[list] formats`` does not take also gets
    ``list.not_word``, with every content finding, so one letter says it all."""
    def one(rep: FileReport) -> None:
        (check_word if rep.family == "word" else check_workbook)(rep, batch.settings)

    _each(reports, one)
    for rep in reports:
        if rep.kind == "respondent_list" and rep.sniffed and (wrong := _list_format_problem(rep, batch.settings)):
            rep.problems.insert(0, wrong)
        rep.doc = rep.book = rep.sheet_list = None  # the stages' working state goes with the batch
        if batch.progress:
            batch.progress(rep)


STAGES = (identify, convert, read, classify, check)


def _list_format_problem(rep: FileReport, settings: Settings) -> Problem | None:
    """list.not_word when a list came in a file family ``[list] formats`` does not allow.

    The family is the file's content, except for a web page: web software saves its HTML tables as .xls
    ("Xuất Excel") or .doc ("Xuất Word"), and the commune opens, and sends, it as what its name says.
    """
    detail, suffix = rep.sniffed.detail, rep.path.suffix.lower()
    if rep.sniffed.family == "sheet":
        family = "excel"
    elif rep.sniffed.kind is FileKind.HTML and suffix in _SHEET_SUFFIXES:
        family, detail = "excel", f"{detail} mang đuôi {suffix}"
    else:
        family = "word"
    allowed = settings.list_rules.formats
    if family in allowed:
        return None
    return problem("list.not_word", allowed=" hoặc ".join(LIST_FORMATS[f] for f in allowed), detail=detail)


def check_paths(paths: list[Path], settings: Settings, progress=None, hints: dict[Path, Unit] | None = None,
                keep_converted: Path | None = None, lo_workdir: Path | None = None,
                office: ResidentOffice | None = None) -> list[FileReport]:
    """Run :data:`STAGES` over ``paths``; one report per file, in order.

    ``hints`` gives the unit of a file already known from elsewhere (the inbox subfolder it came in);
    ``keep_converted`` is a folder where LibreOffice's .docx/.xlsx of each legacy file are kept
    (``report.converted``), so the file need never be converted again; ``lo_workdir`` is the folder LibreOffice
    works in (:func:`automation.workspace.libreoffice_dir`; None: the system temp folder); ``office`` a resident
    LibreOffice to convert few legacy files with (:func:`automation.formats.convert.resident_office`).
    """
    reports = [FileReport(Path(p)) for p in paths]
    batch = Batch(settings, hints or {}, keep_converted, progress, lo_workdir, office=office)
    with batch.stack:
        for stage in STAGES:
            stage(batch, reports)
    return reports
