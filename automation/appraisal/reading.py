"""Reading the appraisal workbook back: the council's input (its scores, comments, the survey points).

A formula staff typed is computed by the tool, its cached value never trusted.  So the sheets are first
scanned for formula cells (:mod:`automation.formats.valuescan`, after the DTD refusal): a workbook without
any, which is every workbook the tool writes and most the council saves, is read with python-calamine (0.2 s
for 600 units, against 4 s with openpyxl); one with a formula, or one the scan cannot vouch for, is read with
openpyxl and the tool's evaluator, as before.  Both give :func:`table_from_values` the same values.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from automation.config import Settings
from automation.scoring.framework import Framework
from automation.scoring.table import THAM_DINH, TONG_HOP, Table, table_from_values


def read_workbook(path: Path, framework: Framework, settings: Settings) -> Table:
    """The workbook's two tables; formulas typed by staff are computed by the tool (a cached value is never
    trusted)."""
    from automation.formats.values import Unsuitable, read_values  # noqa: PLC0415

    try:
        book = read_values(path, limit=settings.limits.max_uncompressed_bytes, sheets=(THAM_DINH, TONG_HOP))
    except Unsuitable:
        book = None
    if book is None or book.formulas:
        return read_with_formulas(path, framework, settings)
    td, th = (list(s.rows) if (s := book.sheet(name)) else [] for name in (THAM_DINH, TONG_HOP))
    return table_from_values(td, th, framework, settings)


def read_with_formulas(path: Path, framework: Framework, settings: Settings) -> Table:
    """The two tables read in one streaming pass of openpyxl, every formula computed by the tool."""
    import openpyxl  # noqa: PLC0415
    from automation.formats.formula import FormulaError, SheetEvaluator  # noqa: PLC0415

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        sheets = []
        for name in (THAM_DINH, TONG_HOP):
            if name not in wb.sheetnames:
                sheets.append([])
                continue
            values, formulas, cells = [], [], {}
            for row in wb[name].iter_rows():
                out = []
                for cell in row:
                    if cell.value is not None and hasattr(cell, "column"):
                        cells[(cell.row, cell.column)] = cell
                        if cell.data_type == "f":
                            formulas.append((len(values), len(out), cell.coordinate))
                    out.append(cell.value)
                values.append(out)
            if formulas:
                ev = SheetEvaluator(cells=cells)
                for r, c, coord in formulas:
                    try:
                        values[r][c] = ev.value(coord)
                    except FormulaError:
                        pass  # kept as typed, reported as not a number
            sheets.append(values)
    finally:
        wb.close()
    return table_from_values(sheets[0], sheets[1], framework, settings)
