"""Writing the appraisal workbook again and again in one process (a watcher): the rows it keeps from the
last write never show what changed since, and the file holds what a single write of the same table holds."""

from __future__ import annotations

import zipfile
from decimal import Decimal

import openpyxl

from automation.appraisal import workbook as wbmod
from automation.config import init_workspace, load_settings
from automation.formats.xlsx_rows import RowCache
from automation.scoring.framework import load_framework
from automation.scoring.table import Row, Table, compute_table
from tests.builders import framework_workbook


def _table(settings, fw, changed: str | None = None, comment: str = "") -> Table:
    rows = []
    for u in settings.units:
        for i, c in enumerate(fw.scored):
            score = c.max_points / 2 if changed != u.code else c.max_points
            rows.append(Row(u.code, u.full_name, c.code, c.content, c.max_points, self_score=score,
                            appraised=Decimal("0.5") if i == 0 else None,
                            comment=comment if changed == u.code and i == 0 else "",
                            evidence=[(f"bc {u.code}.pdf", f"../luu-tru/{u.slug}/bc {u.code}.pdf")] if i == 1 else []))
    return compute_table(Table(rows, {}), fw, settings)


def _cells(path) -> list:
    wb = openpyxl.load_workbook(path, keep_vba=True)
    return [(sh.title, c.coordinate, c.value, c.style_id, c.hyperlink.target if c.hyperlink else None)
            for sh in wb.worksheets for row in sh.iter_rows() for c in row]


def test_kept_rows_never_hide_a_change(tmp_path, monkeypatch):
    root = init_workspace(tmp_path / "ws")
    framework_workbook(root / "templates" / "bo-tieu-chi.xlsx")
    settings = load_settings(root)
    fw = load_framework(root / "templates" / "bo-tieu-chi.xlsx")
    unit = list(settings.units)[3].code
    monkeypatch.setattr(wbmod, "_ROWS", RowCache())
    wbmod.write_workbook(tmp_path / "a.xlsm", _table(settings, fw), fw, settings)
    wbmod.write_workbook(tmp_path / "b.xlsm", _table(settings, fw, unit, "Thiếu hồ sơ"), fw, settings)
    monkeypatch.setattr(wbmod, "_ROWS", RowCache())  # a new process: nothing kept
    wbmod.write_workbook(tmp_path / "fresh.xlsm", _table(settings, fw, unit, "Thiếu hồ sơ"), fw, settings)

    kept, fresh = _cells(tmp_path / "b.xlsm"), _cells(tmp_path / "fresh.xlsm")
    assert kept == fresh
    assert kept != _cells(tmp_path / "a.xlsm")
    sheet = openpyxl.load_workbook(tmp_path / "b.xlsm")["ThamDinh"]
    mine = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == unit]
    assert mine[0][7] == "Thiếu hồ sơ" and all(r[5] == r[4] for r in mine)
    with zipfile.ZipFile(tmp_path / "b.xlsm") as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert z.read("xl/worksheets/_rels/sheet1.xml.rels").count(b"hyperlink") == len(settings.units)
