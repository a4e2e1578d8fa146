"""Benchmark of the recompute (issue: criteria, self-assessment, appraisal workbook).

    .venv/bin/python bench/bench_recompute.py [--units 150] [--criteria 60]

Builds a workspace of N units and a framework of M scored criteria, writes an appraisal workbook
whose every row carries a self-score and a council score, then times `cchc recompute` end to end:
workbook read (openpyxl, formulas evaluated), index and ranking computed, workbook written (XlsxWriter,
VBA project and button included).  Target: 150 units x 60 criteria in at most 3 s.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402

from automation.config import init_workspace, load_settings  # noqa: E402
from automation.app import recompute  # noqa: E402
from automation.appraisal.workbook import workbook_path, write_workbook  # noqa: E402
from automation.scoring.table import Row, Table, compute_table  # noqa: E402
from automation.scoring.framework import load_framework  # noqa: E402
from bench.bench_check import machine  # noqa: E402


def workspace(root: Path, units: int, criteria: int) -> Path:
    ws = init_workspace(root)
    toml = ws / "cchc.toml"
    text = toml.read_text(encoding="utf-8")
    text = text[: text.index("[[units]]")]
    text += "".join(f'\n[[units]]\ncode = "{30000 + i:05d}"\ntype = "Xã"\nname = "Số {i + 1}"\n' for i in range(units))
    toml.write_text(text, encoding="utf-8")
    wb = openpyxl.Workbook()
    sh = wb.active
    sh.title = "TieuChi"
    sh.append(["Bộ tiêu chí thử (mẫu)"])
    sh.append(["Mã tiêu chí", "Nội dung", "Điểm tối đa", "Cách đánh giá", "Tài liệu kiểm chứng"])
    areas = 6
    per = criteria // areas
    appraisal_points = Decimal(70) / Decimal(criteria)
    for a in range(areas):
        sh.append([str(a + 1), f"Lĩnh vực {a + 1}", float(appraisal_points * per), "Thẩm định", ""])
        for c in range(per):
            sh.append([f"{a + 1}.{c + 1}", f"Tiêu chí {a + 1}.{c + 1}", float(appraisal_points), "Thẩm định", "Hồ sơ"])
    sh.append([str(areas + 1), "Hài lòng", 30, "Điều tra XHH", ""])
    sh.append([f"{areas + 1}.1", "Hài lòng", 30, "Điều tra XHH", ""])
    wb.save(ws / "templates" / "bo-tieu-chi.xlsx")
    return ws


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, default=150)
    ap.add_argument("--criteria", type=int, default=60)
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    print(f"machine: {machine()}")
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        ws = workspace(Path(tmp) / "ws", args.units, args.criteria)
        settings = load_settings(ws)
        fw = load_framework(ws / "templates" / "bo-tieu-chi.xlsx")
        rows = [Row(u.code, u.full_name, c.code, c.content, c.max_points,
                    self_score=Decimal(rng.randint(0, 10)) / 10 * c.max_points,
                    appraised=Decimal(rng.randint(0, 10)) / 10 * c.max_points, comment="Đạt")
                for u in settings.units for c in fw.scored]
        table = compute_table(Table(rows, {u.code: Decimal(rng.randint(15, 30)) for u in settings.units}), fw, settings)
        write_workbook(workbook_path(settings), table, fw, settings)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            out = recompute(settings)
            times.append(time.perf_counter() - t0)
        tracemalloc.start()  # one more run, traced, for the memory figure (tracing slows it down)
        recompute(settings)
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
        assert len(out.results) == args.units and not out.invalid
        med = statistics.median(times)
        print(f"recompute {args.units} units x {len(fw.scored)} criteria ({len(rows)} rows), read + compute + write: "
              f"median {med:.2f} s over {args.runs} runs (min {min(times):.2f}); peak Python memory {peak:.0f} MiB; "
              f"target <= 3 s: {'OK' if med <= 3 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
