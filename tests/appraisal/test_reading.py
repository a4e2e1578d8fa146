"""The council's columns read back: with calamine when no formula is typed, with the tool's evaluator when one is."""

from __future__ import annotations

from decimal import Decimal

import openpyxl

from automation.appraisal.reading import read_with_formulas
from automation.appraisal.workbook import read_workbook, write_workbook
from automation.config import init_workspace, load_settings
from automation.scoring.framework import load_framework
from automation.scoring.table import Row, Table, compute_table
from tests.builders import framework_workbook


def _workbook(tmp_path):
    root = init_workspace(tmp_path / "ws")
    framework_workbook(root / "templates" / "bo-tieu-chi.xlsx")
    settings = load_settings(root)
    fw = load_framework(root / "templates" / "bo-tieu-chi.xlsx")
    rows = [Row(u.code, u.full_name, c.code, c.content, c.max_points, self_score=c.max_points / 2,
                appraised=Decimal("0.5") if i % 2 else None, comment="Đạt yêu cầu" if i % 3 else "")
            for u in settings.units for i, c in enumerate(fw.scored)]
    table = compute_table(Table(rows, {settings.units.units[0].code: Decimal("12.5")}), fw, settings)
    path = write_workbook(tmp_path / "tham-dinh.xlsm", table, fw, settings)
    return path, fw, settings


def _same(a, b):
    assert [(r.unit_code, r.code, r.self_score, r.appraised, r.comment, r.evidence_text) for r in a.rows] == \
           [(r.unit_code, r.code, r.self_score, r.appraised, r.comment, r.evidence_text) for r in b.rows]
    assert a.survey == b.survey


def test_calamine_reads_what_openpyxl_reads(tmp_path):
    path, fw, settings = _workbook(tmp_path)
    fast = read_workbook(path, fw, settings)
    _same(fast, read_with_formulas(path, fw, settings))
    assert any(r.appraised == Decimal("0.5") for r in fast.rows) and any(r.comment == "Đạt yêu cầu" for r in fast.rows)


def test_a_formula_typed_by_staff_is_computed_by_the_tool(tmp_path):
    path, fw, settings = _workbook(tmp_path)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    td = wb["ThamDinh"]
    td["G2"] = "=E2/4"  # cached value: none (openpyxl computes nothing), so only the tool can give it
    td["H2"] = "sửa: xem lại"
    wb.save(path)
    table = read_workbook(path, fw, settings)
    first = table.rows[0]
    assert first.appraised == first.max_points / 4 and first.comment == "sửa: xem lại"
