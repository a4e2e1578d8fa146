"""Benchmark of `cchc check` (issue: foundation).

    .venv/bin/python bench/bench_check.py [--runs 5]

Figures printed:
- 30 .docx lists checked in one process: median time per list over the runs (target: at most 50 ms, issue 10);
- 30 .xlsx lists (openpyxl, laid out as clerks do: merged title block, one- or two-row headers, a list on
  the first or a later sheet, some typed in TCVN3) checked the same way (target: at most 100 ms);
- 30 .doc lists: the pipeline (one LibreOffice batch + checks) against the naive baseline of one
  `soffice --convert-to docx` call per file, measured side by side in the same run (target: 5x).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from automation.check import check_paths  # noqa: E402
from automation.config import default_settings  # noqa: E402
from automation.demo.samples import make_sample_lists  # noqa: E402
from automation.formats.convert import find_soffice  # noqa: E402


def machine() -> str:
    mem = ""
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        mem = f", {os.sysconf('SC_PHYS_PAGES') * os.sysconf('SC_PAGE_SIZE') / 2**30:.0f} GiB"
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores{mem}, Python {platform.python_version()}"


def thirty_lists(folder: Path, settings) -> list[Path]:
    files = [f.path for f in make_sample_lists(folder / "gen", settings) if f.path.suffix == ".docx"]
    out = []
    for i in range(30):  # 30 lists: the generated ones, repeated under new names
        src = files[i % len(files)]
        dst = folder / "docx" / f"{i:02d}-{src.name}"
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dst)
        out.append(dst)
    return out


def thirty_workbooks(folder: Path) -> list[Path]:
    from tests.builders import person_rows  # noqa: PLC0415 (the test builders make real clerk-like lists)
    from tests.sheet_builders import list_workbook  # noqa: PLC0415

    units = ("Kim Xá", "Yên Bình", "Tam Phúc", "Chấn Hưng", "Vĩnh Ninh")
    (folder / "xlsx").mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(30):
        unit = units[i % len(units)]
        out.append(list_workbook(folder / "xlsx" / f"{i:02d}-ds.xlsx", person_rows(30, unit=unit), unit=unit,
                                 two_row_header=i % 2 == 1, before=("Hướng dẫn",) if i % 3 == 2 else (),
                                 start_col=1 + i % 2, legacy=i % 5 == 4, numbering_row=i % 4 == 3))
    return out


def timed(files: list[Path], settings, runs: int, label: str, target_ms: float, people: int | None = None) -> None:
    check_paths(files[:1], settings)  # warm imports
    per_list = []
    for _ in range(runs):
        t0 = time.perf_counter()
        reports = check_paths(files, settings)
        per_list.append((time.perf_counter() - t0) / len(files))
    assert all(r.kind == "respondent_list" and people in (None, r.respondents) for r in reports), \
        [(r.path.name, r.kind, r.respondents) for r in reports]
    med = statistics.median(per_list) * 1000
    print(f"{len(files)} {label} lists, one process: median {med:.1f} ms per list over {runs} runs "
          f"(min {min(per_list) * 1000:.1f}, max {max(per_list) * 1000:.1f}); target <= {target_ms:g} ms: "
          f"{'OK' if med <= target_ms else 'MISSED'}")


def to_doc(files: list[Path], folder: Path, soffice: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    profile = (folder.parent / "lo-profile-setup").as_uri()
    subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "doc",
                    "--outdir", str(folder), *map(str, files)], check=True, capture_output=True, timeout=600)
    docs = sorted(folder.glob("*.doc"))
    assert len(docs) == len(files), "LibreOffice did not make every .doc"
    return docs


def naive(docs: list[Path], folder: Path, soffice: str) -> float:
    """One soffice call per file, as a script calling `soffice --convert-to` in a loop would."""
    profile = (folder / "lo-profile-naive").as_uri()
    t0 = time.perf_counter()
    for d in docs:
        subprocess.run([soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "docx",
                        "--outdir", str(folder / "naive-out"), str(d)], check=True, capture_output=True, timeout=120)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    settings = default_settings()
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        docx = thirty_lists(tmp, settings)
        timed(docx, settings, args.runs, ".docx", 50)
        timed(thirty_workbooks(tmp), settings, args.runs, ".xlsx", 100, people=30)

        soffice = find_soffice()
        if not soffice:
            print("30 .doc lists: skipped (LibreOffice not installed)")
            return 0
        docs = to_doc(docx, tmp / "doc", soffice)
        t0 = time.perf_counter()
        reports = check_paths(docs, settings)
        ours = time.perf_counter() - t0
        assert all(r.kind == "respondent_list" for r in reports), [r.problems for r in reports if r.kind != "respondent_list"]
        base = naive(docs, tmp, soffice)
        ratio = base / ours
        print(f"30 .doc lists: cchc check (one LibreOffice batch + all checks) {ours:.2f} s; "
              f"naive soffice per file (conversion only) {base:.2f} s; ratio {ratio:.1f}x; target >= 5x: "
              f"{'OK' if ratio >= 5 else 'MISSED'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
