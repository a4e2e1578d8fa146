"""Rebuilding the appraisal workbook from the ledger: the stored self-scores and evidence of every unit, the
council's input kept from the workbook, the survey points from the imported answers.

The workbook is written only under the workspace lock and never while Excel has it open.  Reading back what
the council typed costs a full read of the .xlsm, so it is skipped when the file is byte for byte what the
tool last wrote (its SHA-256 and the council's input are recorded in the ledger's ``outputs``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from automation.appraisal.sources import latest_inputs
from automation.appraisal.survey import unit_surveys
from automation.appraisal.workbook import open_in_excel, read_workbook, write_workbook
from automation.config import Settings
from automation.files import sha256_of
from automation.ledger import Ledger
from automation.problems import CchcError
from automation.scoring.framework import Framework, workspace_framework
from automation.ledger import records as m
from automation.ledger.council import from_plain, plain
from automation.scoring.table import Row, Table, assemble_table, compute_table, council_typed, unit_rows
from automation.workspace import Workspace

log = logging.getLogger(__name__)


def _council(table: Table) -> dict:
    """What staff type into the workbook: appraised scores, comments, survey points (as plain values)."""
    return {"rows": [[r.unit_code, r.code, plain(r.appraised), r.comment, plain(r.revised), r.reason]
                     for r in table.rows if r.appraised is not None or r.comment or r.revised is not None or r.reason],
            "survey": {k: plain(v) for k, v in table.survey.items()}}


def _from_council(data: dict) -> Table:
    rows = []
    for u, c, a, comment, *after in data["rows"]:  # rows recorded before the explanation round have 4 fields
        revised, reason = after if after else (None, "")
        rows.append(Row(u, "", c, "", Decimal(0), appraised=from_plain(a), comment=comment,
                        revised=from_plain(revised), reason=reason))
    return Table(rows, {k: from_plain(v) for k, v in data["survey"].items()})


def existing_input(ws: Workspace, ledger: Ledger, framework: Framework) -> Table | None:
    """The council's input as the workbook holds it now: from the ledger when the file is unchanged since the
    tool wrote it, else read from the file; None without a workbook."""
    path = ws.appraisal_workbook
    if not path.exists():
        return None
    recorded = ledger.outputs.data(ws.rel(path))
    if recorded is not None and recorded[1] is not None and _as_written(ws, ledger):
        return _from_council(recorded[1])
    return read_workbook(path, framework, ws.settings)


@dataclass
class _Memo:
    """What this process last computed for a workspace: each unit's rows with the marks of the inputs they
    came from, and the survey points with the version of the answers."""

    key: tuple = ()
    marks: dict = field(default_factory=dict)  # unit -> (ledger marks of its inputs, the council's input)
    rows: dict = field(default_factory=dict)  # unit -> [Row]
    survey: tuple = ((), None)  # (answers' version, unit code -> UnitSurvey)
    changed: bool = True  # the last compute changed a row or the survey points


_MEMOS: dict[str, _Memo] = {}


def _council_marks(existing: Table | None) -> dict[str, tuple]:
    out: dict[str, tuple] = {}
    for r in existing.rows if existing else ():
        if r.appraised is not None or r.comment or r.revised is not None or r.reason:
            out[r.unit_code] = out.get(r.unit_code, ()) + ((r.code, r.appraised, r.comment, r.revised, r.reason),)
    return out


def compute(ws: Workspace, ledger: Ledger, framework: Framework | None = None,
            existing: Table | None = None) -> Table:
    """The appraisal table from the ledger and the council's input (``existing``, else the workbook's).

    Incremental: a unit's rows are made again only when its inputs changed since this process last computed
    them (a self-assessment or evidence archived, replaced or set aside; the council's input for it), from the
    stored extractions; the others are kept.  The index and ranks are computed over every unit each time."""
    settings: Settings = ws.settings
    framework = framework or workspace_framework(settings)
    if existing is None:
        existing = existing_input(ws, ledger, framework)
    key = (id(settings), settings.year, tuple((u.code, u.full_name) for u in settings.units),
           tuple((c.code, c.content, c.max_points) for c in framework.scored))
    memo = _MEMOS.get(str(ws.root))
    if memo is None or memo.key != key:
        memo = _MEMOS[str(ws.root)] = _Memo(key)
    inputs, council = ledger.submissions.input_marks(), _council_marks(existing)
    marks = {u.code: (inputs.get(u.code), council.get(u.code)) for u in settings.units}
    changed = [code for code, mark in marks.items() if memo.marks.get(code) != mark or code not in memo.rows]
    if changed:
        own, evidence = latest_inputs(settings, ledger, framework, changed)
        typed = council_typed(existing)
        for code in changed:
            unit = settings.units.by_code(code)
            memo.rows[code] = unit_rows(unit, framework, own.get(code), evidence, typed)
            if code in own or inputs.get(code) is None or not any(k == m.WORKBOOK for k, *_ in inputs[code]):
                memo.marks[code] = marks[code]
            else:  # a workbook not read (yet): made again next time
                memo.marks.pop(code, None)
    version = ledger.survey.version()
    survey_changed = memo.survey[0] != version
    if survey_changed:
        memo.survey = (version, unit_surveys(settings, ledger))
    memo.changed = bool(changed) or survey_changed
    table = assemble_table(settings, memo.rows, existing, memo.survey[1])
    hold_late_changes(settings, ledger, table)
    return compute_table(table, framework, settings)


def hold_late_changes(settings: Settings, ledger: Ledger, table: Table) -> None:
    """The explanation round's rule (:mod:`automation.scoring.revision`) applied to ``table`` against the
    council's input the ledger accepted; what it accepts and the changes it logs are recorded."""
    from automation import clock  # noqa: PLC0415
    from automation.scoring.revision import review  # noqa: PLC0415

    deadline = settings.deadlines.get(m.KIND_DEADLINES[m.EVIDENCE])
    closed = deadline is not None and not deadline.is_on_time(clock.now().date())
    found = review(table, ledger.council.accepted(), deadline.last_day if deadline else None, closed)
    table.held, table.held_notes = found.held, found.notes
    ledger.council.record(found.accept, found.changes)


def write(ws: Workspace, ledger: Ledger, table: Table, framework: Framework | None = None) -> Path:
    """Write the workbook and record what was written (its hash and the council's input)."""
    framework = framework or workspace_framework(ws.settings)
    path = write_workbook(ws.appraisal_workbook, table, framework, ws.settings)
    ledger.outputs.record(ws.rel(path), sha256_of(path), _council(table))
    return path


def rebuild(ws: Workspace, ledger: Ledger) -> Table | None:
    """Rebuild after new scores, evidence or answers; skipped (and logged) while Excel has it open.  Not
    written again when nothing in it would change (no unit's input, no survey point) and the file is the one
    the tool wrote last.

    Holds the workspace lock (re-entrant: a pass already holds it), so a rebuild from the command line and
    one after an inbox pass never write the workbook at the same time."""
    with ws.lock():
        path = ws.appraisal_workbook
        if open_in_excel(path):
            log.warning("appraisal workbook %s is open in Excel; not rebuilt now", path)
            return None
        framework = workspace_framework(ws.settings)
        table = compute(ws, ledger, framework)
        if not _MEMOS[str(ws.root)].changed and _as_written(ws, ledger):
            return table
        write(ws, ledger, table, framework)
        return table


def _as_written(ws: Workspace, ledger: Ledger) -> bool:
    recorded = ledger.outputs.sha256(ws.rel(ws.appraisal_workbook))
    try:
        return recorded is not None and sha256_of(ws.appraisal_workbook) == recorded
    except OSError:
        return False


def recompute(ws: Workspace, ledger: Ledger) -> Table:
    """`cchc recompute`: refused while Excel has the workbook open (use its button then)."""
    path = ws.appraisal_workbook
    if open_in_excel(path):
        raise CchcError("appraisal.locked", path=str(path))
    return rebuild(ws, ledger)
