"""Every stage of the year for 28 and for 150 units, in one command.

    .venv/bin/python bench/run_all.py [--units 28 150]

For each stage: wall time and peak memory (the stage runs in a forked child process, so its peak
resident memory is its own), and where an issue named a naive baseline, the ratio measured in the same
run (.doc lists: one LibreOffice batch against one `soffice --convert-to` call per file).
The per-issue scripts beside this one (bench_check, bench_inbox, bench_recompute, bench_survey,
bench_documents) print more detail for each stage.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import resource
import shutil
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_check import machine  # noqa: E402
from bench.bench_recompute import workspace  # noqa: E402


def _child(fn, args, queue) -> None:
    t0 = time.perf_counter()
    try:
        note = fn(*args)
        error = None
    except Exception as exc:  # reported, the other stages go on
        note, error = "", f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    queue.put((elapsed, peak, note, error))


def stage(label: str, fn, *args) -> float:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    elapsed, peak, note, error = queue.get()
    proc.join()
    shown = f"{label:<46} {elapsed:7.2f} s  peak {peak:6.0f} MiB"
    print(shown + (f"  {note}" if note else "") + (f"  FAILED {error}" if error else ""), flush=True)
    return elapsed


# --- the stages (each returns a short note) -------------------------------------------------------------

def make_lists(ws: Path) -> str:
    from automation.config import load_settings
    from automation.demo.samples import make_sample_lists

    files = make_sample_lists(ws / "mau", load_settings(ws))
    for f in files:
        shutil.copyfile(f.path, ws / "inbox" / f.path.name)
    return f"{len(files)} lists"


def intake(ws: Path) -> str:
    from automation.config import load_settings
    from automation.app import process_inbox as process_once

    r = process_once(load_settings(ws))
    return f"{r.claimed} files, {r.statuses}"


def forms(ws: Path) -> str:
    from automation.config import load_settings
    from automation.forms.self_assessment import write_forms
    from automation.scoring.framework import workspace_framework

    s = load_settings(ws)
    r = write_forms(s.path("outbox"), s, workspace_framework(s))
    return f"{len(r.workbooks)} workbooks"


def appraisal(ws: Path) -> str:
    from automation.config import load_settings
    from automation.app import recompute
    from automation.appraisal.workbook import workbook_path, write_workbook
    from automation.scoring.table import Row, Table, compute_table
    from automation.scoring.framework import workspace_framework

    s = load_settings(ws)
    fw = workspace_framework(s)
    rng = random.Random(1)
    rows = [Row(u.code, u.full_name, c.code, c.content, c.max_points,
                self_score=Decimal(rng.randint(5, 10)) / 10 * c.max_points,
                appraised=Decimal(rng.randint(5, 10)) / 10 * c.max_points) for u in s.units for c in fw.scored]
    write_workbook(workbook_path(s), compute_table(Table(rows, {}), fw, s), fw, s)
    t = recompute(s)
    return f"{len(t.rows)} rows recomputed"


def survey(ws: Path) -> str:
    from automation.config import load_settings
    from automation.forms.survey import write_survey_forms
    from automation.survey.model import SampledPerson
    from automation.survey.questions import load_questions

    s = load_settings(ws)
    people = [SampledPerson(f"{u.code}-{i:02d}", u.code, u.full_name, f"Nguyễn Văn {i}", "Thôn Đông", "0912345678",
                            "Hộ tịch", "Đăng ký khai sinh") for u in s.units for i in range(1, 31)]
    r = write_survey_forms(s.path("outbox"), s, load_questions(), people)
    return f"{len(people)} forms in {len(r.unit_files)} files"


def documents(ws: Path) -> str:
    from automation.config import load_settings
    from automation.app import generate

    return f"{len(generate(load_settings(ws), 'all'))} drafts"


def status(ws: Path) -> str:
    from automation.config import load_settings
    from automation.app import write_status

    return write_status(load_settings(ws)).name


def doc_ratio(tmp: Path) -> str:
    from automation.check import check_paths
    from automation.config import default_settings
    from automation.formats.convert import find_soffice
    from bench.bench_check import naive, thirty_lists, to_doc

    soffice = find_soffice()
    if not soffice:
        return "LibreOffice missing"
    settings = default_settings()
    docs = to_doc(thirty_lists(tmp, settings), tmp / "doc", soffice)
    t0 = time.perf_counter()
    check_paths(docs, settings)
    ours = time.perf_counter() - t0
    base = naive(docs, tmp, soffice)
    return f"cchc {ours:.1f} s vs naive {base:.1f} s: {base / ours:.1f}x (target >= 5x)"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", type=int, nargs="+", default=[28, 150])
    args = ap.parse_args()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        stage("30 .doc lists checked vs naive soffice", doc_ratio, tmp / "ratio")
        for n in args.units:
            ws = workspace(tmp / f"ws-{n}", n, 60)
            toml = ws / "cchc.toml"
            toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.5"),
                            encoding="utf-8")
            print(f"--- {n} units, 60 criteria ---")
            total = 0.0
            for label, fn in (("make sample lists (setup)", make_lists), ("intake: process the inbox", intake),
                              ("forms: self-assessment workbooks", forms), ("appraisal: recompute", appraisal),
                              ("survey: printable forms + entry workbook", survey),
                              ("documents: plan, notices, report, decision", documents),
                              ("status workbook", status)):
                total += stage(f"{label}", fn, ws)
            print(f"{'all stages':<46} {total:7.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
