"""The Word side of the check: is a document a respondent list, an explanation or another document (classify),
and what is wrong with it (check)."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from automation import vntext
from automation.check.fonts import format_problems
from automation.check.report import FileReport
from automation.config import Settings
from automation.formats.word import WordDocument
from automation.lists.columns import accepted_names
from automation.lists.extract import find_list, largest_table_headers, looks_like_list_title
from automation.lists.model import AREA, COLUMN_TITLES, RespondentList
from automation.lists.rules import check_list
from automation.problems import Problem, problem
from automation.units import Unit


def classify_word(rep: FileReport, settings: Settings, hint: Unit | None) -> None:
    """A respondent list (a table with a list header, or a document titled as a list) or another document;
    the unit from the header/footer and the text above the list (or the first lines), else the file name."""
    doc = rep.doc
    rl = find_list(doc)
    top = [p for p in doc.paragraphs if p.strip()][:8]
    heading = rl.heading if rl else top
    rep.unit = hint or identify_unit(settings, rep, " ".join(doc.headers + heading), rep.path)
    if rl is None and not looks_like_list_title(top[:4] + [rep.path.stem]):
        rep.kind = "explanation" if looks_like_explanation(top[:6] + [rep.path.stem]) else "document"
        if rep.kind == "explanation":
            rep.criteria = criteria_named(doc)
        return
    rep.kind = "respondent_list"
    rep.respondent_list = rl


def check_word(rep: FileReport, settings: Settings) -> None:
    """Formatting findings first (as Word shows the document), then the plan's rules for a list."""
    doc, rl = rep.doc, rep.respondent_list
    found = format_problems(doc)
    if rl is not None:
        found = [_in_list(p, rl) for p in found]
    rep.problems[:0] = found
    if rep.kind != "respondent_list":
        return
    if rl is None:
        rep.problems.append(table_missing(doc))
        return
    rep.problems.extend(check_list(rl, rep.unit, settings))


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


def identify_unit(settings: Settings, report: FileReport, heading: str, original: Path, *more: str) -> Unit | None:
    match = settings.units.find_first(heading, original.stem, *more)
    if match.unit is None:
        report.problems.append(problem("unit.unknown", detail=match.reason()))
    return match.unit


def looks_like_explanation(texts: list[str]) -> bool:
    """Does a heading or file name announce an explanation of the scores ("Văn bản giải trình", "V/v giải
    trình kết quả thẩm định", "giai-trinh-Kim-Xa.docx")?"""
    return any(" giai trinh " in f" {vntext.ascii_key(t).replace('-', ' ').replace('_', ' ')} " for t in texts)


_CODE = r"(\d{1,2}(?:\.\d{1,2}){0,3})"
_NAMED = re.compile(r"\btieu\s+chi\s+(?:so\s+)?" + _CODE + r"(?![\d.]*\d)")
_CELL = re.compile(r"^\s*" + _CODE.replace("{0,3}", "{1,3}") + r"\.?\s*$")


def criteria_named(doc: WordDocument) -> list[str]:
    """The criterion codes an explanation speaks of: after "tiêu chí" in its text, or alone in a table cell
    (a table "Tiêu chí | Giải trình | Tài liệu"), in the order met."""
    found: dict[str, None] = {}
    texts = list(doc.paragraphs) + [c for t in doc.tables for row in t.rows for c in row if c]
    for text in texts:
        for mt in _NAMED.finditer(vntext.strip_diacritics(text).lower()):
            found[mt.group(1).rstrip(".")] = None
        if (mt := _CELL.match(text)) is not None:
            found[mt.group(1)] = None
    return list(found)
