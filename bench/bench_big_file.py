"""Benchmark of one large file within the size limit (issue 12): a .docx list of 100 000 table rows and an .xlsx
of 100 000 rows, each checked by `check_paths` in a child process.

    .venv/bin/python bench/bench_big_file.py [--rows 100000]

Figures printed per file: wall time and peak RSS of the child (its own VmHWM from /proc, which it prints: ru_maxrss
would be wrong, Linux keeps the parent's high-water mark across fork and exec), against the target (at most 300 MB and 10 s), PASS/FAIL, and the machine's load average.
The .docx is a python-docx package whose word/document.xml is written with lxml (python-docx is too slow to add
100 000 rows); the .xlsx is written by XlsxWriter in constant-memory mode.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MAX_MB, MAX_S = 300, 10.0
_CHILD = ("import sys; from pathlib import Path; from automation.check import check_paths; "
          "from automation.config import default_settings; "
          "[r] = check_paths([Path(sys.argv[1])], default_settings()); "
          "print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:'))); "
          "print(r.kind, r.verdict, sorted({p.code for p in r.problems}))")


def big_docx(path: Path, rows: int) -> Path:
    from lxml import etree  # noqa: PLC0415

    from tests.builders import list_document, person_rows  # noqa: PLC0415

    small = list_document(path.with_name("small.docx"), rows=person_rows(1))
    with zipfile.ZipFile(small) as zin:
        root = etree.fromstring(zin.read("word/document.xml"))
        ns = root.nsmap["w"]
        tbl = root.find(f".//{{{ns}}}tbl")
        template = tbl.findall(f"{{{ns}}}tr")[-1]
        tbl.remove(template)
        people = person_rows(8)
        for i in range(rows):
            tr = etree.fromstring(etree.tostring(template))
            for tc, text in zip(tr.iter(f"{{{ns}}}t"), people[i % 8]):
                tc.text = str(i + 1) if text == people[i % 8][0] else text
            tbl.append(tr)
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True) \
                    if info.filename == "word/document.xml" else zin.read(info)
                zout.writestr(info, data)
    return path


def big_xlsx(path: Path, rows: int) -> Path:
    import xlsxwriter  # noqa: PLC0415

    from tests.builders import HEADERS, person_rows  # noqa: PLC0415

    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    ws = book.add_worksheet("DanhSach")
    ws.write_row(0, 0, ["UBND XÃ KIM XÁ"])
    ws.write_row(2, 0, HEADERS)
    people = person_rows(8)
    for i in range(rows):
        ws.write_row(3 + i, 0, [str(i + 1), *people[i % 8][1:]])
    book.close()
    return path


def measure(path: Path) -> None:
    t0 = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, cwd=ROOT,
                         env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=600)
    wall = time.perf_counter() - t0
    lines = out.stdout.splitlines()
    # the child's own peak (VmHWM, in kB)
    mb = int(lines[0]) / 1024 if lines and lines[0].isdigit() else resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    ok = wall <= MAX_S and mb <= MAX_MB and out.returncode == 0
    print(f"{path.name} ({path.stat().st_size / 2**20:.1f} MB): {wall:.1f} s, peak RSS {mb:.0f} MB "
          f"(target <= {MAX_S:g} s, <= {MAX_MB} MB): {'PASS' if ok else 'FAIL'}; load {os.getloadavg()}")
    print("   ", (lines[-1] if out.returncode == 0 and lines else out.stderr.strip()[-300:]))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for build, name in ((big_docx, "ds-100k.docx"), (big_xlsx, "ds-100k.xlsx")):
            path = build(folder / name, args.rows)
            measure(path)


if __name__ == "__main__":
    main()
