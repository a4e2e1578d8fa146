"""The workbook side of the check: what a workbook is (classify) and what is wrong with it (check).

A workbook is classified by what its sheets hold: a "Mã tiêu chí" header makes it a self-assessment (checked
score by score against the criteria framework, computed values, never a formula's cached value); a "Mã phiếu"
header the office's survey entry workbook; a list header on any sheet a respondent list (read and checked as a
Word list is); anything else another spreadsheet (kind "spreadsheet", ``file.unsupported``).
"""

from __future__ import annotations

from dataclasses import replace

from automation.check.fonts import decode_legacy, format_problems
from automation.check.report import FileReport
from automation.check.word import identify_unit, table_missing
from automation.config import Settings
from automation.lists.model import AREA, RespondentList
from automation.lists.rules import check_list
from automation.problems import FileRejected, Location, Problem, Severity
from automation.units import Unit


def classify_workbook(rep: FileReport, settings: Settings, hint: Unit | None) -> None:
    from automation.lists.from_sheet import find_sheet_list  # noqa: PLC0415

    book = rep.book
    if _is_survey_entry(book):  # before the criteria: its question sheet has a "Mã tiêu chí" column
        rep.kind = "survey_entry"
        return
    if _has_criteria_header(book):
        rep.kind = "workbook"  # the unit is read from the form's own cells when it is checked
        rep.unit = hint
        return
    found = find_sheet_list(book, decode_legacy)
    if found is None:
        rep.kind = "spreadsheet"
        raise FileRejected("file.unsupported", detail="bảng tính không theo mẫu biểu tự đánh giá, chấm điểm "
                                                      "(không có cột “Mã tiêu chí”), cũng không có bảng danh sách "
                                                      "người đã giao dịch TTHC")
    rep.kind = "respondent_list"
    rep.sheet_list = found
    rep.respondent_list = rl = found.respondent_list
    heading = rl.heading if rl and rl.heading else found.view.titles
    rep.unit = hint or identify_unit(settings, rep, " ".join(heading), rep.path, found.view.sheet.name)


def check_workbook(rep: FileReport, settings: Settings) -> None:
    if rep.kind == "workbook":
        _check_self_assessment(rep, settings)
    elif rep.kind == "respondent_list":
        _check_sheet_list(rep, settings)


def _check_self_assessment(rep: FileReport, settings: Settings) -> None:
    from automation.scoring.framework import workspace_framework  # noqa: PLC0415
    from automation.scoring.selfassess import read_self_assessment  # noqa: PLC0415

    sa, problems = read_self_assessment(rep.source, workspace_framework(settings))
    rep.self_assessment = sa
    rep.problems.extend(configured_severity(problems, settings))
    if rep.unit is not None:
        return
    by_code = settings.units.by_code(sa.unit_code) if sa and sa.unit_code else None
    rep.unit = by_code or identify_unit(settings, rep, sa.unit_text if sa else "", rep.path)


def configured_severity(problems: list[Problem], settings: Settings) -> list[Problem]:
    """The self-assessment's problems with the severities ``cchc.toml`` sets (``[self_assessment]
    evidence_missing``: a warning as the plan has it, or an error that rejects the workbook)."""
    severity = {"score.evidence_missing": Severity(settings.self_assessment.evidence_missing)}
    return [replace(p, severity=severity[p.code]) if p.code in severity else p for p in problems]


def _is_survey_entry(book) -> bool:
    """The office's survey entry workbook: a "Mã phiếu" header in the first rows of a sheet."""
    from automation.survey.entry import HEADER_SCAN_ROWS, is_form_header  # noqa: PLC0415

    for sheet in book.sheets:
        for r, row in sheet.cells.items():
            if r <= HEADER_SCAN_ROWS and any(isinstance(cell.value, str) and is_form_header(cell.value) for cell in row.values()):
                return True
    return False


def _has_criteria_header(book) -> bool:
    """A "Mã tiêu chí" cell in the first 30 rows and 12 columns of any sheet (hidden ones too)."""
    for sheet in book.sheets:
        for r, row in sheet.cells.items():
            if r <= 30 and any(c < 12 and isinstance(cell.value, str) and "mã tiêu chí" in cell.value.lower()
                               for c, cell in row.items()):
                return True
    return False


def _check_sheet_list(rep: FileReport, settings: Settings) -> None:
    """The workbook's respondent list, checked as a Word list is.

    Fonts are not judged in a workbook (the plan's Times New Roman rule is for Word documents; Excel's
    own default is Calibri); legacy encodings are, since they change what the cells say.
    """
    view, rl = rep.sheet_list.view, rep.respondent_list
    problems = [p for p in format_problems(view.document) if p.code.startswith("encoding.")]
    if rl is None:
        problems.append(table_missing(view.document))
    else:
        problems.extend(check_list(rl, rep.unit, settings))
    part = view.label if len(rep.book.visible) > 1 else None
    rep.problems.extend(_on_sheet(p, part, rl) for p in problems)


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
