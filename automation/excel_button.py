"""The entry point of the appraisal workbook's "Tính lại" button.

The button's VBA macro calls ``RunPython "import automation.excel_button as b; b.recompute()"``
(xlwings, standalone VBA module, version pinned to the Python package).  ``recompute`` takes
``xw.Book.caller()``, runs the same recompute as ``cchc recompute`` on the open workbook's values, and
writes the ``TongHop`` results into the open workbook.  Only ``sheets[name].range(...).value``,
``.expand()`` and ``.clear_contents()`` are used, so any object with that API (tests use a small
stand-in; xlwings' JSON-backed ``Book`` works too) can be driven.  It then refreshes the drafts of the
plan, notices, report and decision from the same results.
"""

from __future__ import annotations

import os
from pathlib import Path

from automation.appraisal.workbook import MAX_NOTES, NOTES_ROW
from automation.scoring.table import (TH_HEADERS, THAM_DINH, TONG_HOP, compute_table, table_from_values, th_extra_values,
                                     th_extras, th_notes_column)


def recompute() -> None:  # pragma: no cover - runs inside Excel on Windows
    import xlwings as xw  # noqa: PLC0415

    run(xw.Book.caller())


def _refresh_drafts(settings, table) -> str:
    """The button also refreshes the drafts of the documents (never over a draft staff edited)."""
    from automation.app import generate  # noqa: PLC0415
    from automation.problems import CchcError  # noqa: PLC0415

    try:
        drafts = generate(settings, "all", table=table)
    except CchcError as exc:
        return f"Chưa cập nhật dự thảo văn bản: {exc.problem.message}"
    kept = sum(1 for d in drafts if d.replaced_edited is not None)
    return (f"Đã cập nhật {len(drafts)} dự thảo trong outbox/du-thao"
            + (f" ({kept} bản đã sửa tay được giữ, bản mới ghi bên cạnh)" if kept else "") + ".")


def _workspace_of(book) -> Path:
    """The workbook lives in ``<workspace>/outbox/``; ``CCHC_WORKSPACE`` overrides."""
    if os.environ.get("CCHC_WORKSPACE"):
        return Path(os.environ["CCHC_WORKSPACE"])
    return Path(book.fullname).resolve().parent.parent


def run(book, workspace: Path | None = None):
    """Recompute the open ``book`` in place; returns the ranked results."""
    from automation.config import load_settings  # noqa: PLC0415
    from automation.scoring.framework import workspace_framework  # noqa: PLC0415

    from automation.workspace import sweep_libreoffice  # noqa: PLC0415

    settings = load_settings(workspace or _workspace_of(book))
    sweep_libreoffice(settings.workspace)
    framework = workspace_framework(settings)
    td = book.sheets[THAM_DINH].range("A1").expand().value
    th_sheet = book.sheets[TONG_HOP]
    th = th_sheet.range("A1").expand().value
    table = table_from_values(td, th, framework, settings)
    from automation.appraisal.rebuild import hold_late_changes  # noqa: PLC0415
    from automation.ledger.db import open_ledger  # noqa: PLC0415
    from automation.workspace import Workspace  # noqa: PLC0415

    with open_ledger(Workspace.of(settings).ledger_path) as ledger:  # changes after the deadline need a reason
        hold_late_changes(settings, ledger, table)
    table = compute_table(table, framework, settings)
    rows = []
    for r in table.results:
        survey = table.survey.get(r.code)
        rows.append([r.code, r.name, float(r.self_total), float(r.appraised_total),
                     float(survey) if survey is not None and not isinstance(survey, str) else survey,
                     float(r.total), float(r.index), r.rank, r.status, *th_extra_values(r, settings)])
    old = max(len(th) - 1, 0)
    if old:
        th_sheet.range((2, 1), (1 + old, len(TH_HEADERS) + len(th_extras(settings)))).clear_contents()
    if rows:
        th_sheet.range((2, 1)).value = rows
    notes = table.notes[:MAX_NOTES] or ["Đã tính lại: mọi điểm hợp lệ."]
    notes = notes[:MAX_NOTES - 1] + [_refresh_drafts(settings, table)]
    col = th_notes_column(settings) + 1
    th_sheet.range((NOTES_ROW, col), (NOTES_ROW + MAX_NOTES, col)).clear_contents()
    th_sheet.range((NOTES_ROW, col)).value = [[n] for n in notes]
    return table.results
