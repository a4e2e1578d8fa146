"""Rebuilding the appraisal workbook from the ledger: the stored self-scores and evidence of every unit, the
council's input kept from the workbook, the survey points from the imported answers.

The workbook is written only under the workspace lock and never while Excel has it open.  Reading back what
the council typed costs a full read of the .xlsm, so it is skipped when the file is byte for byte what the
tool last wrote (its SHA-256 and the council's input are recorded in the ledger's ``outputs``).
"""

from __future__ import annotations

import logging
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
from automation.scoring.table import Row, Table, compute_table, rebuild_table
from automation.workspace import Workspace

log = logging.getLogger(__name__)


def _council(table: Table) -> dict:
    """What staff type into the workbook: appraised scores, comments, survey points (as plain values)."""
    def plain(v):
        return None if v is None else {"n": str(v)} if isinstance(v, Decimal) else {"t": v}

    return {"rows": [[r.unit_code, r.code, plain(r.appraised), r.comment] for r in table.rows
                     if r.appraised is not None or r.comment],
            "survey": {k: plain(v) for k, v in table.survey.items()}}


def _from_council(data: dict) -> Table:
    def value(v):
        return None if v is None else Decimal(v["n"]) if "n" in v else v["t"]

    rows = [Row(u, "", c, "", Decimal(0), appraised=value(a), comment=comment) for u, c, a, comment in data["rows"]]
    return Table(rows, {k: value(v) for k, v in data["survey"].items()})


def existing_input(ws: Workspace, ledger: Ledger, framework: Framework) -> Table | None:
    """The council's input as the workbook holds it now: from the ledger when the file is unchanged since the
    tool wrote it, else read from the file; None without a workbook."""
    path = ws.appraisal_workbook
    if not path.exists():
        return None
    recorded = ledger.outputs.data(ws.rel(path))
    if recorded is not None and recorded[1] is not None:
        try:
            if sha256_of(path) == recorded[0]:
                return _from_council(recorded[1])
        except OSError:
            pass
    return read_workbook(path, framework, ws.settings)


def compute(ws: Workspace, ledger: Ledger, framework: Framework | None = None,
            existing: Table | None = None) -> Table:
    """The appraisal table from the ledger and the council's input (``existing``, else the workbook's)."""
    settings: Settings = ws.settings
    framework = framework or workspace_framework(settings)
    if existing is None:
        existing = existing_input(ws, ledger, framework)
    own, evidence = latest_inputs(settings, ledger, framework)
    table = rebuild_table(settings, framework, own, evidence, existing, unit_surveys(settings, ledger))
    return compute_table(table, framework, settings)


def write(ws: Workspace, ledger: Ledger, table: Table, framework: Framework | None = None) -> Path:
    """Write the workbook and record what was written (its hash and the council's input)."""
    framework = framework or workspace_framework(ws.settings)
    path = write_workbook(ws.appraisal_workbook, table, framework, ws.settings)
    ledger.outputs.record(ws.rel(path), sha256_of(path), _council(table))
    return path


def rebuild(ws: Workspace, ledger: Ledger) -> Table | None:
    """Rebuild after new scores, evidence or answers; skipped (and logged) while Excel has it open.

    Holds the workspace lock (re-entrant: a pass already holds it), so a rebuild from the command line and
    one after an inbox pass never write the workbook at the same time."""
    with ws.lock():
        path = ws.appraisal_workbook
        if open_in_excel(path):
            log.warning("appraisal workbook %s is open in Excel; not rebuilt now", path)
            return None
        framework = workspace_framework(ws.settings)
        table = compute(ws, ledger, framework)
        write(ws, ledger, table, framework)
        return table


def recompute(ws: Workspace, ledger: Ledger) -> Table:
    """`cchc recompute`: refused while Excel has the workbook open (use its button then)."""
    path = ws.appraisal_workbook
    if open_in_excel(path):
        raise CchcError("appraisal.locked", path=str(path))
    return rebuild(ws, ledger)
