"""The whole year at each size, in one command, with the figures issue 13 asks for.

    .venv/bin/python bench/run_all.py [--units 28,150,600] [--json FILE] [--runs 3]

For each size: every stage of the year (list set-up, intake, forms, recompute, survey, documents, status) and
two watch-mode passes: ``pass_one_workbook`` (one revised self-assessment arrives with N units archived, in a
process that has already made one pass, as a watcher has) and ``pass_one_doc`` (one .doc list arrives, the
resident LibreOffice warm).  Each stage runs in a forked child, so its peak resident memory is its own.  The
JSON holds, per size and stage, ``seconds`` and ``peak_rss_mib`` (and a note); the targets are checked at the
end and printed with what was measured.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import random
import resource
import shutil
import statistics
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
        note, seconds, more = fn(*args), None, {}
        if isinstance(note, tuple):  # (note, seconds[, more figures]): the stage timed its own part
            note, seconds, more = (*note, {})[:3]
        error = None
    except Exception as exc:  # reported, the other stages go on
        note, seconds, more, error = "", None, {}, f"{type(exc).__name__}: {exc}"
    elapsed = time.perf_counter() - t0 if seconds is None else seconds
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB -> MiB on Linux
    queue.put((elapsed, peak, note, error, more))


def stage(label: str, fn, *args) -> dict:
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_child, args=(fn, args, queue))
    proc.start()
    elapsed, peak, note, error, more = queue.get()
    proc.join()
    shown = f"{label:<44} {elapsed:8.3f} s  peak {peak:6.0f} MiB"
    print(shown + (f"  {note}" if note else "") + (f"  FAILED {error}" if error else ""), flush=True)
    out = {"seconds": round(elapsed, 4), "peak_rss_mib": round(peak, 1), "note": note, **more}
    if error:
        out["error"] = error
    return out


# --- the stages (each returns a short note, or (note, seconds) when it times its own part) ----------------

def make_lists(ws: Path) -> str:
    from automation.config import load_settings
    from automation.demo.samples import make_sample_lists

    files = make_sample_lists(ws / "mau", load_settings(ws))
    for f in files:
        shutil.copyfile(f.path, ws / "inbox" / f.path.name)
    return f"{len(files)} lists"


def intake(ws: Path):
    """The inbox pass over every unit's list; the time LibreOffice spends converting the legacy ones is
    measured too (the target of 60 ms per list excludes it)."""
    from automation.app import process_inbox
    from automation.config import load_settings
    from automation.formats import convert

    in_lo = [0.0]
    real = convert.Converter.convert_many

    def timed(self, *a, **kw):
        t0 = time.perf_counter()
        try:
            return real(self, *a, **kw)
        finally:
            in_lo[0] += time.perf_counter() - t0

    convert.Converter.convert_many = timed
    n = len(list((ws / "inbox").iterdir()))
    t0 = time.perf_counter()
    r = process_inbox(load_settings(ws))
    took = time.perf_counter() - t0
    per = (took - in_lo[0]) / max(n, 1) * 1000
    return (f"{r.claimed} files, {r.statuses}; LibreOffice {in_lo[0]:.1f} s; {per:.0f} ms per list without it",
            took, {"lo_seconds": round(in_lo[0], 3), "ms_per_list_without_lo": round(per, 1)})


def forms(ws: Path) -> str:
    from automation.config import load_settings
    from automation.forms.self_assessment import write_forms
    from automation.scoring.framework import workspace_framework

    s = load_settings(ws)
    r = write_forms(s.path("outbox"), s, workspace_framework(s))
    return f"{len(r.workbooks)} workbooks"


def self_assessments_arrive(ws: Path) -> str:
    """Set-up: every unit's filled self-assessment through the inbox (its scores stored in the ledger)."""
    from automation.app import process_inbox
    from automation.config import load_settings
    from automation.forms.self_assessment import write_forms
    from automation.scoring.framework import workspace_framework
    from bench.bench_rebuild_one import fill

    s = load_settings(ws)
    fw = workspace_framework(s)
    made = write_forms(ws / "mau" / "tu-cham", s, fw)
    for i, (unit, form) in enumerate(zip(s.units, made.workbooks)):
        fill(form, ws / "inbox" / f"tu-cham-{unit.slug}.xlsx", fw, 0.5 + (i % 5) / 10)
    shutil.copyfile(made.workbooks[0], ws / "mau" / "form-0.xlsx")
    r = process_inbox(s, settle_timeout_s=900)
    return f"{r.claimed} self-assessments"


def pass_one_workbook(ws: Path, runs: int):
    """A watcher's pass after one revised self-assessment arrives (claim, check, file, record, letter,
    appraisal rebuild and write), with every unit archived; the first pass of the process warms it."""
    from automation import app
    from automation.config import load_settings
    from automation.intake.desk import Desk
    from automation.intake.service import process_once
    from automation.ledger import open_ledger
    from automation.scoring.framework import workspace_framework
    from automation.workspace import Workspace
    from bench.bench_rebuild_one import fill

    s = load_settings(ws)
    # a watcher's pass starts once a file is stable: the stability window is not part of the pass
    s = dataclasses.replace(s, inbox=dataclasses.replace(s.inbox, stable_window_s=0.01))
    fw, w = workspace_framework(s), Workspace.of(s)
    times = []
    with open_ledger(w.ledger_path) as ledger:
        desk = Desk(w, ledger)
        follow = app.follow_up(w, ledger, app.Pacing(0))  # every pass writes the workbook: the worst case
        for run in range(runs + 1):
            fill(ws / "mau" / "form-0.xlsx", w.inbox / f"tu-cham-lan-{run + 2}.xlsx", fw, 0.9 - run / 100)
            t0 = time.perf_counter()
            r = process_once(desk, follow, settle_timeout_s=60)
            times.append(time.perf_counter() - t0)
            if r.appraisal is None:
                raise RuntimeError("the pass did not write the appraisal workbook")
    med = statistics.median(times[1:])
    return f"median of {runs} {med:.3f} s (first pass of the process {times[0]:.2f} s)", med


def pass_one_doc(ws: Path, runs: int):
    """A watcher's pass after one .doc list arrives, the resident LibreOffice warm (bench/bench_resident.py),
    in a workspace of the same number of units."""
    from automation.config import load_settings
    from bench.bench_resident import pass_one_doc as measure

    r = measure(ws.parent / f"doc-{ws.name}", max(runs, 5), units=len(list(load_settings(ws).units)))
    return (f"median of {len(r['runs'])} {r['median_s']:.3f} s; cold start {r['first_s']:.2f} s; "
            f"with a batch process {r['batch_median_s']:.2f} s", r["median_s"], {"batch_median_s": r["batch_median_s"]})


def appraisal(ws: Path) -> str:
    from automation.app import recompute
    from automation.appraisal.workbook import workbook_path, write_workbook
    from automation.config import load_settings
    from automation.scoring.framework import workspace_framework
    from automation.scoring.table import Row, Table, compute_table

    s = load_settings(ws)
    fw = workspace_framework(s)
    rng = random.Random(1)
    rows = [Row(u.code, u.full_name, c.code, c.content, c.max_points,
                self_score=Decimal(rng.randint(5, 10)) / 10 * c.max_points,
                appraised=Decimal(rng.randint(5, 10)) / 10 * c.max_points) for u in s.units for c in fw.scored]
    write_workbook(workbook_path(s), compute_table(Table(rows, {}), fw, s), fw, s)  # as if the council typed it all
    t = recompute(s)
    return f"{len(t.rows)} rows recomputed"


def survey(ws: Path) -> str:
    """The survey stage: the sample drawn from the stored lists and saved, the printable forms and the entry
    workbook written."""
    from automation import app
    from automation.config import load_settings
    from automation.forms.survey import write_survey_forms
    from automation.survey.questions import load_questions

    s = load_settings(ws)
    app.save_sample(s, app.draw_sample(s, None, seed=1))
    people = app.sampled_people(s)
    r = write_survey_forms(s.path("outbox"), s, load_questions(), people)
    return f"{len(people)} forms in {len(r.unit_files)} files"


def survey_import(ws: Path):
    try:
        from bench.bench_entry_import import import_4500
    except ImportError:
        return "bench/bench_entry_import.py missing", float("nan")
    r = import_4500(ws.parent / f"entry-{ws.name}")
    return f"{r.get('forms', 4500)} forms", r["seconds"]


def letter(ws: Path):
    from bench.bench_docx_items import letters

    folder = ws.parent / f"letters-{ws.name}"
    folder.mkdir(parents=True, exist_ok=True)
    return "median of 150 letters", letters(folder, 150) / 1000


def documents(ws: Path) -> str:
    from automation.app import generate
    from automation.config import load_settings

    return f"{len(generate(load_settings(ws), 'all'))} drafts"


def status(ws: Path) -> str:
    from automation.app import write_status
    from automation.config import load_settings

    return write_status(load_settings(ws)).name


STAGES = [  # (key, label, function, a target stage?)
    ("lists", "make sample lists (setup)", make_lists, False),
    ("intake", "intake: process the inbox", intake, True),
    ("forms", "forms: self-assessment workbooks", forms, True),
    ("self_assessments", "self-assessments arrive (setup)", self_assessments_arrive, False),
    ("pass_one_workbook", "pass_one_workbook (watch)", pass_one_workbook, True),
    ("pass_one_doc", "pass_one_doc (watch, resident LibreOffice)", pass_one_doc, True),
    ("recompute", "appraisal: recompute", appraisal, True),
    ("survey", "survey: sample, forms, entry workbook", survey, True),
    ("documents", "documents: plan, notices, report, decision", documents, True),
    ("status", "status workbook", status, True),
]
ONCE = [("survey_import", "import of 4,500 filled forms", survey_import),
        ("letter", "one feedback letter", letter)]


def targets(result: dict) -> list[tuple[str, bool, str]]:
    """(target, met, what was measured) for the figures of issue 13."""
    sizes = result["sizes"]
    out = []

    def sec(n, key):
        return sizes.get(str(n), {}).get(key, {}).get("seconds", float("nan"))

    if "150" in sizes and "600" in sizes:
        for key, _, _, timed in STAGES:
            if timed and not key.startswith("pass_"):
                a, b = sec(150, key), sec(600, key)
                out.append((f"{key}: 600 units <= 5x 150 units", b <= 5 * a, f"{b:.2f} s / {a:.2f} s = {b / a:.1f}x"))
    if "600" in sizes:
        out.append(("pass_one_workbook <= 1 s at 600 units", sec(600, "pass_one_workbook") <= 1,
                    f"{sec(600, 'pass_one_workbook'):.3f} s"))
        peak = max(v.get("peak_rss_mib", 0) for v in sizes["600"].values())
        out.append(("peak memory of every stage <= 1 GB at 600 units", peak <= 1024, f"{peak:.0f} MiB"))
    big = str(max(int(n) for n in sizes))
    out.append((f"pass_one_doc <= 1 s median (at {big} units)", sec(big, "pass_one_doc") <= 1,
                f"{sec(big, 'pass_one_doc'):.3f} s"))
    if "150" in sizes:
        for key, limit in (("survey", 15), ("documents", 5), ("status", 0.5)):
            out.append((f"{key} <= {limit} s at 150 units", sec(150, key) <= limit, f"{sec(150, key):.2f} s"))
        per_list = sizes["150"].get("intake", {}).get("ms_per_list_without_lo", float("nan"))
        out.append(("intake <= 60 ms per list file excluding LibreOffice (150 units)", per_list <= 60,
                    f"{per_list:.0f} ms"))
    once = result.get("once", {})
    imp = once.get("survey_import", {}).get("seconds", float("nan"))
    out.append(("import of 4,500 forms <= 2 s", imp <= 2, f"{imp:.2f} s"))
    let = once.get("letter", {}).get("seconds", float("nan")) * 1000
    out.append(("a feedback letter <= 30 ms", let <= 30, f"{let:.1f} ms"))
    return out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--units", default="28,150,600", help="sizes, comma-separated (28,150,600)")
    ap.add_argument("--json", type=Path, help="write the figures to this file")
    ap.add_argument("--runs", type=int, default=3, help="watch-mode passes measured (after a warm-up)")
    ap.add_argument("--only", default="", help="comma-separated stage keys to run (set-up stages always run)")
    args = ap.parse_args()
    sizes = [int(n) for n in args.units.replace(" ", ",").split(",") if n]
    only = {k for k in args.only.split(",") if k}
    result = {"machine": machine(), "load_at_start": os.getloadavg(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
              "sizes": {}, "once": {}}
    print(f"machine: {result['machine']}; load at start {result['load_at_start'][0]:.2f}", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for key, label, fn in ONCE:
            if not only or key in only:
                result["once"][key] = stage(label, fn, tmp / "once")
        for n in sizes:
            ws = workspace(tmp / f"ws-{n}", n, 60)
            toml = ws / "cchc.toml"
            toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.5"),
                            encoding="utf-8")
            print(f"--- {n} units, 60 criteria ---", flush=True)
            per = result["sizes"][str(n)] = {}
            for key, label, fn, timed in STAGES:
                if timed and only and key not in only:
                    continue
                extra = (args.runs,) if key.startswith("pass_") else ()
                per[key] = stage(label, fn, ws, *extra)
            total = sum(v["seconds"] for k, v in per.items() if v["seconds"] == v["seconds"])
            print(f"{'all stages':<44} {total:8.2f} s", flush=True)
    result["load_at_end"] = os.getloadavg()
    result["targets"] = [{"target": t, "met": bool(ok), "measured": m} for t, ok, m in targets(result)]
    print("--- targets ---")
    for t in result["targets"]:
        print(f"{'met   ' if t['met'] else 'MISSED'} {t['target']}: {t['measured']}")
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
