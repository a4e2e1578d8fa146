"""The incremental appraisal of a long-running watcher: only the units whose inputs changed are made again,
the table is always the one a full compute gives, nothing unchanged is written again, and while files keep
arriving the workbook is written at most once per interval."""

from __future__ import annotations

import time

import pytest

from automation import app
from automation.appraisal import rebuild as rb
from automation.config import init_workspace, load_settings
from automation.intake.desk import Desk
from automation.intake.service import process_once
from automation.ledger import open_ledger
from automation.scoring.framework import load_framework
from automation.workspace import Workspace
from tests.appraisal.test_workbook import KIM_XA, TAM_PHUC, _council_types, _sheet_rows, ws  # noqa: F401
from tests.builders import self_assessment_workbook


@pytest.fixture()
def desk(ws, monkeypatch):  # noqa: F811 (the workspace of test_workbook: a framework, a fixed clock)
    monkeypatch.setattr(rb, "_MEMOS", {})
    ws = Workspace.of(load_settings(ws))
    with open_ledger(ws.ledger_path) as ledger:
        yield ws, ledger, Desk(ws, ledger)


def _drop(ws, unit, scores, name=None, evidence=None):
    fw = load_framework(ws.root / "templates" / "bo-tieu-chi.xlsx")
    self_assessment_workbook(ws.inbox / (name or f"tu-cham-{unit[0]}.xlsx"), unit[1], unit[0], fw.scored, scores,
                             evidence)


def _shown(table) -> tuple:
    return ([(r.unit_code, r.code, r.self_score, r.appraised, r.comment, tuple(r.evidence), r.evidence_text)
             for r in table.rows], [(r.code, r.total, r.index, r.rank, r.status) for r in table.results],
            dict(table.survey), table.invalid)


def _full(ws, ledger):
    kept = rb._MEMOS
    rb._MEMOS = {}  # a new process: nothing kept
    try:
        return rb.compute(ws, ledger)
    finally:
        rb._MEMOS = kept


def test_only_changed_units_are_made_again_and_the_table_is_a_full_compute(desk, monkeypatch):
    ws, ledger, d = desk
    made = []
    real = rb.unit_rows
    monkeypatch.setattr(rb, "unit_rows", lambda unit, *a: made.append(unit.code) or real(unit, *a))
    passes = [
        lambda: _drop(ws, KIM_XA, {"1.1": 8, "1.2": 15, "2.1": 10, "2.2": 20}),
        lambda: _drop(ws, TAM_PHUC, {"1.1": 10, "1.2": 20}),
        lambda: (ws.inbox / "Xã Kim Xá").mkdir() or (ws.inbox / "Xã Kim Xá" / "1.2 Bao cao.pdf").write_bytes(
            b"%PDF-1.4\n%%EOF\n"),
        lambda: _council_types(ws.appraisal_workbook, {("09142", "1.1"): (7, "Thiếu quyết định")}),
        lambda: _drop(ws, KIM_XA, {"1.1": 9, "1.2": 15, "2.1": 10, "2.2": 20}, name="tu-cham-v2.xlsx"),
    ]
    expected_made = [None, ["09142"], ["09079"], ["09142"], ["09079"]]
    for step, expected in zip(passes, expected_made):
        made.clear()
        step()
        result = process_once(d, app.follow_up(ws, ledger), settle_timeout_s=20)
        table = rb.compute(ws, ledger)  # the council's input is read when the table is next computed
        if expected is not None:
            assert sorted(made) == expected
        assert result.claimed or expected == ["09142"]
        assert _shown(table) == _shown(_full(ws, ledger))
    kim = {r[2]: r for r in _sheet_rows(ws.appraisal_workbook, "ThamDinh") if r[0] == "09079"}
    tam = {r[2]: r for r in _sheet_rows(ws.appraisal_workbook, "ThamDinh") if r[0] == "09142"}
    assert kim["1.1"][5] == 9 and "1.2 Bao cao.pdf" in kim["1.2"][8]
    assert tam["1.1"][6] == 7 and tam["1.1"][7] == "Thiếu quyết định"


def test_nothing_changed_nothing_written(desk):
    ws, ledger, d = desk
    _drop(ws, KIM_XA, {"1.1": 8})
    process_once(d, app.follow_up(ws, ledger), settle_timeout_s=20)
    rel = ws.rel(ws.appraisal_workbook)
    before = (ledger.outputs.written_at(rel), ws.appraisal_workbook.stat().st_mtime_ns)
    time.sleep(1.1)  # written_at has whole seconds
    assert rb.rebuild(ws, ledger) is not None
    assert (ledger.outputs.written_at(rel), ws.appraisal_workbook.stat().st_mtime_ns) == before
    ws.appraisal_workbook.unlink()  # gone: written again
    rb.rebuild(ws, ledger)
    assert ws.appraisal_workbook.exists()


def test_while_files_keep_arriving_the_workbook_is_written_once_per_interval(desk):
    ws, ledger, d = desk
    pacing = app.Pacing(interval_s=3600)
    follow = app.follow_up(ws, ledger, pacing)
    _drop(ws, KIM_XA, {"1.1": 8})
    assert process_once(d, follow, settle_timeout_s=20).appraisal == ws.appraisal_workbook
    _drop(ws, TAM_PHUC, {"1.1": 10}, name="tu-cham-tam-phuc.xlsx")
    result = process_once(d, follow, settle_timeout_s=20)
    assert result.claimed == 1 and result.appraisal is None and pacing.owed
    assert not [r for r in _sheet_rows(ws.appraisal_workbook, "ThamDinh") if r[0] == "09142" and r[5] is not None]
    assert pacing.catch_up(ws, ledger) is None  # the interval has not passed
    pacing.last -= 3600
    assert pacing.catch_up(ws, ledger) == ws.appraisal_workbook and not pacing.owed
    tam = [r for r in _sheet_rows(ws.appraisal_workbook, "ThamDinh") if r[0] == "09142" and r[2] == "1.1"]
    assert tam[0][5] == 10


def test_the_interval_is_a_setting(tmp_path):
    root = init_workspace(tmp_path / "ws")
    toml = root / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("appraisal_interval_s = 30", "appraisal_interval_s = 5"),
                    encoding="utf-8")
    assert load_settings(root).inbox.appraisal_interval_s == 5
    assert load_settings(init_workspace(tmp_path / "other")).inbox.appraisal_interval_s == 30
