"""Benchmark of `cchc documents all`: the plan, one notice per unit, the report and the decision.

    .venv/bin/python bench/bench_documents.py [--runs 3] [--skip-pdf]

Three cases, each timed end to end (appraisal table rebuilt and its workbook written, contexts built,
templates checked, every draft rendered, hashed and recorded in the ledger):
  * 28 units (the shipped workspace), .docx only          target <= 10 s
  * 28 units, .docx + PDF (one LibreOffice process)       target <= 30 s
  * 150 units x 60 criteria, .docx only                   target <= 5 s (issue 13)
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from automation.config import init_workspace, load_settings  # noqa: E402
from automation.app import generate  # noqa: E402
from bench.bench_check import machine  # noqa: E402
from bench.bench_recompute import workspace as big_workspace  # noqa: E402


def timed(settings, pdf: bool, runs: int) -> tuple[float, float, int]:
    times, count = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        drafts = generate(settings, "all", pdf=pdf)
        times.append(time.perf_counter() - t0)
        count = len(drafts)
        if pdf:
            assert all(d.pdf is not None for d in drafts), [d.pdf_error for d in drafts if d.pdf is None]
    return statistics.median(times), min(times), count


def report(label: str, med: float, best: float, count: int, runs: int, target: float) -> None:
    print(f"{label}: {count} documents, median {med:.2f} s over {runs} runs (min {best:.2f}); "
          f"target <= {target:g} s: {'OK' if med <= target else 'MISSED'}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--skip-pdf", action="store_true")
    args = ap.parse_args()
    try:
        from automation.documents import context  # noqa: F401
    except ImportError as exc:
        print(f"automation.documents.context is not there yet ({exc})")
        return 1
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(init_workspace(Path(tmp) / "ws28"))
        report("28 units, .docx", *timed(settings, False, args.runs), args.runs, 10)
        if args.skip_pdf or not (shutil.which("soffice") or shutil.which("libreoffice")):
            print("28 units, .docx + PDF: skipped (LibreOffice not installed or --skip-pdf)")
        else:
            report("28 units, .docx + PDF", *timed(settings, True, args.runs), args.runs, 30)
        big = load_settings(big_workspace(Path(tmp) / "ws150", 150, 60))
        report("150 units x 60 criteria, .docx", *timed(big, False, args.runs), args.runs, 5)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
