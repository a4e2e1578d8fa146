"""Benchmark of the feedback letter (issue 13: a letter <= 30 ms).

    .venv/bin/python bench/bench_letters.py [--letters 150]

Writes one letter per unit of a 150-unit list (a rejected list with three problems, as the desk writes
after a pass), in one process as a pass does, and prints the median time of a letter.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def letter_median(tmp: Path, letters: int = 150) -> dict:
    from automation.config import default_settings
    from automation.documents.letters import write_feedback
    from automation.ledger.records import RESPONDENT_LIST, Submission
    from automation.problems import Location, problem

    settings = default_settings()
    unit = settings.units.by_code("09079")
    problems = [problem("list.bad_phone", Location(table=1, row=3, column="Số điện thoại", area="danh sách", stt="3",
                                                   person="Lê Văn Ba"), value="12345"),
                problem("list.count", None, found=28, expected=30),
                problem("font.not_times_new_roman", Location(part="tiêu đề"), font="Arial", sample="DANH SÁCH",
                        count=3)]
    times = []
    for i in range(letters):
        sub = Submission(id=i + 1, sha256="ab" * 32, original_name=f"DS {i}.docx", unit_code=unit.code,
                         kind=RESPONDENT_LIST, version=1, status="archived", verdict="rejected",
                         received_at=dt.datetime(2021, 10, 25, 9, 15, i % 60), on_time=True)
        t0 = time.perf_counter()
        write_feedback(tmp / "phan-hoi", sub, unit, problems, settings, now=dt.datetime(2021, 10, 26, 8, 30))
        times.append(time.perf_counter() - t0)
    return {"letters": letters, "median_s": statistics.median(times), "first_s": times[0]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=150)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        r = letter_median(Path(tmp), args.letters)
    print(f"{r['letters']} letters: median {r['median_s'] * 1000:.1f} ms (first {r['first_s'] * 1000:.0f} ms); "
          f"target <= 30 ms: {'OK' if r['median_s'] <= 0.030 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
