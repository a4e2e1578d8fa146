"""Benchmark of the appraisal rebuild after ONE new self-assessment, with N units already archived (issue
"One house": it must cost no more than reading that one workbook plus writing the .xlsm).

    .venv/bin/python bench/bench_rebuild_one.py [--units 150] [--criteria 60] [--runs 3]

Sets up a workspace whose N units each sent a self-assessment (through the inbox, so each is recorded with
what was read from it) and whose appraisal workbook exists, then times, for one revised workbook of one unit:
- the pass: claim, check, file, record, letter and the appraisal rebuild (``app.process_inbox``);
- the floor: reading that workbook (``read_self_assessment``) plus writing the .xlsm (``write_workbook``);
- and the rebuild alone (``appraisal.rebuild.rebuild``), to compare with the floor.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from automation import app  # noqa: E402
from automation.appraisal.rebuild import compute, rebuild  # noqa: E402
from automation.appraisal.workbook import write_workbook  # noqa: E402
from automation.config import load_settings  # noqa: E402
from automation.forms.self_assessment import write_forms  # noqa: E402
from automation.ledger import open_ledger  # noqa: E402
from automation.scoring.framework import workspace_framework  # noqa: E402
from automation.scoring.selfassess import read_self_assessment  # noqa: E402
from automation.workspace import Workspace  # noqa: E402
from bench.bench_check import machine  # noqa: E402
from bench.bench_recompute import workspace  # noqa: E402


def fill(form: Path, target: Path, framework, share: float) -> Path:
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.load_workbook(form)
    ws = wb["TuDanhGia"]
    for row in ws.iter_rows(min_row=1):
        code = row[0].value
        c = next((x for x in framework.scored if x.code == code), None)
        if c is not None:
            row[3].value = float(Decimal(str(share)) * c.max_points)
            row[4].value = "Báo cáo"
    wb.save(target)
    return target


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=150)
    ap.add_argument("--criteria", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.2f}")
    os.environ["CCHC_NOW"] = "2021-11-10T09:00:00"
    with tempfile.TemporaryDirectory() as tmp:
        root = workspace(Path(tmp) / "ws", args.units, args.criteria)
        toml = root / "cchc.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.05"),
                        encoding="utf-8")
        settings = load_settings(root)
        framework = workspace_framework(settings)
        forms = write_forms(root / "outbox", settings, framework)
        units = list(settings.units)
        t0 = time.perf_counter()
        for i, (unit, form) in enumerate(zip(units, forms.workbooks)):
            fill(form, root / "inbox" / f"tu-cham-{unit.slug}.xlsx", framework, 0.5 + (i % 5) / 10)
        app.process_inbox(settings, settle_timeout_s=600)
        print(f"set-up: {len(units)} self-assessments through the inbox in {time.perf_counter() - t0:.1f} s")
        ws = Workspace.of(settings)
        passes, rebuilds, floors = [], [], []
        for run in range(args.runs):
            revised = fill(forms.workbooks[0], Path(tmp) / f"v{run}.xlsx", framework, 0.9 - run / 100)
            shutil.copyfile(revised, root / "inbox" / f"tu-cham-lan-{run + 2}.xlsx")
            t0 = time.perf_counter()
            result = app.process_inbox(settings, settle_timeout_s=60)
            passes.append(time.perf_counter() - t0)
            assert result.appraisal is not None, "the pass did not rebuild the workbook"
            with open_ledger(ws.ledger_path) as ledger:
                t0 = time.perf_counter()
                table = rebuild(ws, ledger)
                rebuilds.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                read_self_assessment(revised, framework)
                write_workbook(Path(tmp) / "floor.xlsm", table, framework, settings)
                floors.append(time.perf_counter() - t0)
                assert compute(ws, ledger).results == table.results
        med = statistics.median
        print(f"one revised workbook, {len(units)} units x {len(framework.scored)} criteria archived:")
        print(f"  pass (claim, check, file, record, letter, rebuild): median {med(passes):.2f} s")
        print(f"  rebuild alone: median {med(rebuilds):.2f} s; floor (read that workbook + write the .xlsm): "
              f"median {med(floors):.2f} s; rebuild/floor {med(rebuilds) / med(floors):.2f} "
              f"(target <= 1: {'OK' if med(rebuilds) <= med(floors) * 1.05 else 'MISSED'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
