"""Per-item cost of the Word outputs (issue 13): one feedback letter, one notice, one unit's survey form file.

    .venv/bin/python bench/bench_docx_items.py [--letters 150] [--notices 150] [--units 20]

* letter: median of ``write_feedback`` over N letters (a rejected list with three problems);     target <= 30 ms
* notice: median of ``render_docx`` of the shipped notice template over N notices (28-unit contexts, cycled);
* survey form file: (``write_survey_forms`` for U units x 30 people - its entry workbook) / U.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_check import machine  # noqa: E402


def letters(tmp: Path, n: int) -> float:
    from automation.config import default_settings
    from automation.documents.letters import write_feedback
    from automation.ledger.records import RESPONDENT_LIST, Submission
    from automation.problems import Location, problem

    settings = default_settings()
    unit = settings.units.by_code("09079")
    problems = [problem("list.bad_phone", Location(table=1, row=3, column="Số điện thoại", area="danh sách",
                                                   stt="3", person="Lê Văn Ba"), value="12345"),
                problem("list.count", None, found=28, expected=30),
                problem("font.not_times_new_roman", Location(part="tiêu đề"), font="Arial", sample="DANH SÁCH",
                        count=3)]
    times = []
    for i in range(n):
        sub = Submission(id=i, sha256="ab" * 32, original_name=f"DS Kim Xá {i}.doc", unit_code="09079",
                         kind=RESPONDENT_LIST, version=2, status="archived", verdict="rejected",
                         received_at=dt.datetime(2021, 10, 25, 9, 15, 3), on_time=True)
        t0 = time.perf_counter()
        write_feedback(tmp / "letters", sub, unit, problems, settings, now=dt.datetime(2021, 10, 26, 8, 30))
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def notices(tmp: Path, n: int) -> float:
    from automation.app import _ws, appraisal_table
    from automation.config import init_workspace, load_settings
    from automation.documents import context as ctx
    from automation.documents.render import render_docx, template_path

    os.environ.setdefault("CCHC_NOW", "2021-12-20T09:00:00")
    settings = load_settings(init_workspace(tmp / "ws"))
    from automation.ledger import open_ledger

    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        table = appraisal_table(ws, ledger)
    template = template_path(settings, ctx.TEMPLATES["notice"])
    today = dt.date(2021, 12, 20)
    contexts = [ctx.notice_context(settings, table, u.code, today=today, draft=True) for u in settings.units]
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        render_docx(template, contexts[i % len(contexts)], tmp / "notices" / f"tb-{i}.docx")
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def survey_files(tmp: Path, units: int) -> float:
    from automation.config import load_settings
    from automation.forms import survey
    from automation.survey.model import SampledPerson
    from automation.survey.questions import load_questions
    from bench.bench_recompute import workspace

    settings = load_settings(workspace(tmp / "survey", units, 60))
    people = [SampledPerson(f"{u.code}-{i:02d}", u.code, u.full_name, f"Nguyễn Văn {i}", "Thôn Đông", "0912345678",
                            "Hộ tịch", "Đăng ký khai sinh") for u in settings.units for i in range(1, 31)]
    questions = load_questions()
    t0 = time.perf_counter()
    survey.write_survey_forms(tmp / "survey" / "outbox", settings, questions, people)
    total = time.perf_counter() - t0
    t0 = time.perf_counter()
    survey._entry_workbook(questions, survey._groups(settings, people)).save(tmp / "entry.xlsx")
    entry = time.perf_counter() - t0
    return (total - entry) / units * 1000


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--letters", type=int, default=150)
    ap.add_argument("--notices", type=int, default=150)
    ap.add_argument("--units", type=int, default=20)
    args = ap.parse_args()
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        ms = letters(tmp, args.letters)
        print(f"feedback letter: median {ms:.1f} ms over {args.letters}; target <= 30 ms: "
              f"{'OK' if ms <= 30 else 'MISSED'}")
        print(f"notice: median {notices(tmp, args.notices):.1f} ms over {args.notices}")
        print(f"survey form file (30 forms): {survey_files(tmp, args.units):.1f} ms per unit over {args.units} units")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
