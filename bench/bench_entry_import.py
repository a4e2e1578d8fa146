"""Benchmark: import of a filled survey entry workbook of 4,500 forms (150 units x 30 people, 27 questions).

    .venv/bin/python bench/bench_entry_import.py

Target (issue 13): import of 4,500 forms <= 2 s.  Prints the time with python-calamine (the reader used) and
with openpyxl (the reader used when a sheet holds a formula), and the survey points computed from them.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import openpyxl  # noqa: E402

from automation.config import load_settings  # noqa: E402
from automation.survey import entry  # noqa: E402
from automation.survey.model import ANSWERS  # noqa: E402
from automation.survey.questions import load_questions  # noqa: E402
from bench.bench_check import machine  # noqa: E402
from bench.bench_recompute import workspace  # noqa: E402
from bench.bench_survey import people_of  # noqa: E402

TARGET_S = 2.0


def entry_workbook(tmp: Path, units: int = 150, per_unit: int = 30):
    """(path, issued form codes, questions) of a filled entry workbook written by openpyxl."""
    settings = load_settings(workspace(tmp / "ws", units, 60))
    people = people_of(settings, per_unit)
    questions = load_questions().questions
    rng = random.Random(3)
    path = tmp / "nhap-phieu.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    sheet = wb.create_sheet("NhapPhieu")
    sheet.append(["Mã phiếu", "Mã đơn vị", "Đơn vị", "Họ và tên", *(q.code for q in questions)])
    for p in people:
        sheet.append([p.form_code, p.unit_code, p.unit_name, p.name, *(rng.choice(ANSWERS) for _ in questions)])
    wb.save(path)
    return path, {p.form_code for p in people}, questions


def _timed(path: Path, issued: set[str], questions, runs: int) -> tuple[float, int]:
    times, forms = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        result = entry.read_entry_workbook(path, issued, questions)
        times.append(time.perf_counter() - t0)
        forms = len(result.forms)
    return statistics.median(times), forms


def import_4500(tmp: Path, runs: int = 3) -> dict:
    """Seconds to import 4,500 filled forms (median of ``runs``), with calamine and with openpyxl."""
    path, issued, questions = entry_workbook(Path(tmp))
    seconds, forms = _timed(path, issued, questions, runs)
    with mock.patch.object(entry, "_value_sheets", return_value=None):  # the openpyxl reader, for comparison
        openpyxl_seconds, forms_openpyxl = _timed(path, issued, questions, 1)
    assert forms == forms_openpyxl == len(issued), (forms, forms_openpyxl, len(issued))
    return {"seconds": seconds, "openpyxl_seconds": openpyxl_seconds, "forms": forms}


def main() -> int:
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        r = import_4500(Path(tmp))
    ok = "OK" if r["seconds"] <= TARGET_S else "MISSED"
    print(f"import of {r['forms']} forms: {r['seconds']:.2f} s with python-calamine (median of 3), "
          f"{r['openpyxl_seconds']:.2f} s with openpyxl; target <= {TARGET_S:.0f} s: {ok}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
