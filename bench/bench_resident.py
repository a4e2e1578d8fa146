"""Benchmark of the resident LibreOffice of `cchc watch` (issue 13).

    .venv/bin/python bench/bench_resident.py [--runs 5] [--units 28]

Figures printed:
- ``pass_one_doc``: one watch-mode inbox pass (claim, convert, check, archive, ledger, follow-ups: letters,
  appraisal) after a single .doc respondent list arrives, with the resident LibreOffice warm: the median of
  ``runs`` passes, each run's time, and the first pass (cold: the listener starts). Target: median <= 1 s.
  The same pass with the batch process (what every pass cost before) for comparison.
- 30 and 60 .doc converted by the resident listener vs one batch process: where the batch process, which
  starts once, catches up (a pass of ``BATCH_FROM_FILES`` legacy files or more uses it).
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_check import machine  # noqa: E402
from bench.bench_recompute import workspace  # noqa: E402


def _doc_lists(tmp: Path, settings, n: int) -> list[Path]:
    """``n`` respondent lists as real .doc files (python-docx lists saved as .doc by LibreOffice), one per unit."""
    from automation.demo.samples import make_sample_lists
    from automation.formats.convert import Converter

    made = [f.path for f in make_sample_lists(tmp / "mau", settings, doc_files=False) if f.path.suffix == ".docx"]
    out = []
    with Converter(workdir=tmp / "lo-setup") as conv:
        results = conv.convert_many(made[:n], "doc")
        for i, src in enumerate(made[:n]):
            out.append(Path(shutil.copyfile(results[src], tmp / f"{i:02d}-{src.stem}.doc")))
    return out


def _passes(ws: Path, docs: list[Path], resident: bool, statuses: dict | None = None) -> list[float]:
    """One inbox pass per .doc, each timed: the desk and follow-ups of a watch pass, the resident kept between."""
    from automation.app import follow_up
    from automation.config import load_settings
    from automation.formats.convert import resident_office
    from automation.intake.desk import Desk
    from automation.intake.scan import StabilityTracker
    from automation.ledger.db import open_ledger
    from automation.workspace import Workspace

    settings = load_settings(ws)
    wspace = Workspace.of(settings)
    times = []
    with open_ledger(wspace.ledger_path) as ledger:
        desk = Desk(wspace, ledger)
        after = follow_up(wspace, ledger)
        desk.office = resident_office(wspace.libreoffice) if resident else None
        tick = itertools.count(0, 100)
        tracker = StabilityTracker(settings.inbox.stable_window_s, clock=lambda: next(tick))
        try:
            desk.run_pass([], follow_up=after)  # the watcher's first pass: nothing yet
            for doc in docs:
                shutil.copyfile(doc, desk.inbox / doc.name)
                tracker.scan(desk.inbox)
                ready = tracker.scan(desk.inbox)  # seen twice, a window apart: stable
                assert len(ready) == 1
                t0 = time.perf_counter()
                result = desk.run_pass(ready, follow_up=after)
                times.append(time.perf_counter() - t0)
                tracker.forget(ready[0].path)
                assert result.claimed == 1 and sum(result.statuses.values()) == 1, result.statuses
                for k, v in result.statuses.items():
                    if statuses is not None:
                        statuses[k] = statuses.get(k, 0) + v
            if resident:
                assert desk.office.starts == 1, "the resident LibreOffice was restarted or not used"
        finally:
            if desk.office is not None:
                desk.office.close()
    return times


def pass_one_doc(tmp: Path, runs: int = 5, units: int = 28) -> dict:
    """A watch-mode pass after a single .doc list arrives, the resident LibreOffice warm.

    Returns ``{"median_s", "runs", "first_s"}`` (seconds; ``first_s``: the first .doc, the listener starting),
    plus ``"batch_median_s"``: the same pass converting with a new batch process, and ``"statuses"``: what the
    resident passes made of the files (ledger statuses)."""
    from automation.config import load_settings

    tmp = Path(tmp)
    ws = workspace(tmp / "ws", units, 60)
    docs = _doc_lists(tmp / "docs", load_settings(ws), 2 * (runs + 1))
    statuses: dict[str, int] = {}
    times = _passes(ws, docs[:runs + 1], resident=True, statuses=statuses)
    batch = _passes(ws, docs[runs + 1:], resident=False)
    return {"median_s": statistics.median(times[1:]), "runs": times[1:], "first_s": times[0],
            "batch_median_s": statistics.median(batch[1:]), "statuses": statuses}


def many(tmp: Path, sizes: tuple[int, ...] = (30, 60), repeat: int = 3) -> list[dict]:
    """``n`` .doc to .docx for each ``n`` of ``sizes``: the resident listener (warm) vs one batch process (its
    profile made), the median of ``repeat`` runs each."""
    from automation.config import default_settings
    from automation.formats.convert import Converter, resident_office

    tmp = Path(tmp)
    made = _doc_lists(tmp / "docs", default_settings(), 30)
    docs = [Path(shutil.copyfile(made[i % len(made)], tmp / f"{i:03d}.doc")) for i in range(max(sizes))]
    office = resident_office(tmp / "lo")
    out = []
    try:
        for n in sizes:
            times: dict[str, list[float]] = {"resident": [], "batch": []}
            for _ in range(repeat):
                for label, engine in (("resident", office), ("batch", None)):
                    with Converter(workdir=tmp / "lo", engine=engine) as conv:
                        conv.convert(docs[0], "docx")  # warm: listener running, or the profile made
                        t0 = time.perf_counter()
                        done = conv.convert_many(docs[:n], "docx")
                        times[label].append(time.perf_counter() - t0)
                        assert all(isinstance(p, Path) for p in done.values())
            out.append({"files": n, "resident_s": statistics.median(times["resident"]),
                        "batch_s": statistics.median(times["batch"])})
    finally:
        office.close()
    return out


def main() -> int:
    import os

    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--units", type=int, default=28)
    args = ap.parse_args()
    print(f"machine: {machine()}; load {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        r = pass_one_doc(Path(tmp) / "one", args.runs, args.units)
        print(f"pass_one_doc ({args.units} units): median {r['median_s']:.2f} s over {len(r['runs'])} warm passes "
              f"({', '.join(f'{t:.2f}' for t in r['runs'])}); first (cold) {r['first_s']:.2f} s; "
              f"batch process {r['batch_median_s']:.2f} s; files {r['statuses']}; target <= 1 s: {'OK' if r['median_s'] <= 1 else 'MISSED'}")
        from automation.check.pipeline import BATCH_FROM_FILES

        for t in many(Path(tmp) / "many"):
            print(f"{t['files']} .doc -> .docx: resident {t['resident_s']:.2f} s, one batch process "
                  f"{t['batch_s']:.2f} s (resident/batch {t['resident_s'] / t['batch_s']:.2f}); "
                  f"a watch pass uses the batch process from {BATCH_FROM_FILES} legacy files")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
