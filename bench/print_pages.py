"""How the 28-unit demo's workbooks print: each converted to PDF by LibreOffice (one batch), pages counted.

    PYTHONPATH=$PWD .venv/bin/python -m automation demo /tmp/demo --dry-run
    PYTHONPATH=$PWD .venv/bin/python bench/print_pages.py /tmp/demo [--templates templates]

Prints one line per workbook: its name, its sheets, the pages of the PDF and how many of them are landscape
(``pdfinfo``), e.g. the appraisal workbook ``outbox/tham-dinh-2021.xlsm``, the status workbook, one
self-assessment form, the survey entry workbook and the framework ``templates/bo-tieu-chi.xlsx``.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from automation.formats.convert import Converter  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def workbooks(demo: Path, templates: Path) -> list[Path]:
    """The demo's workbooks of each kind (the first of a kind made per unit) and the framework."""
    outbox = demo / "outbox"
    found = [*sorted(outbox.glob("tham-dinh-*.xlsm"))[:1], *sorted((outbox / "trang-thai").glob("*.xlsx")),
             *sorted((outbox / "bieu-mau").glob("tu-cham-*.xlsx"))[:1],
             *sorted((outbox / "dieu-tra").glob("nhap-phieu-*.xlsx"))[:1], templates / "bo-tieu-chi.xlsx"]
    return [p for p in found if p.is_file()]


def sheets(book: Path) -> dict[str, str]:
    """The printed (visible) sheets and the title each prints in its page header ("" when none)."""
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.load_workbook(book, read_only=False)
    return {ws.title: re.sub(r'&"[^"]*"|&\d+', "", ws.oddHeader.center.text or "").replace("&&", "&")
            for ws in wb.worksheets if ws.sheet_state == "visible"}


def per_sheet(pdf: Path, titles: dict[str, str], pages: int) -> str:
    """Pages of each sheet, told by the title in each page's header ("?" when the sheets print no title)."""
    flat = {name: re.sub(r"\s+", "", t) for name, t in titles.items() if t.strip()}
    if len(flat) < len(titles):
        return ", ".join(titles)
    count = dict.fromkeys(titles, 0)
    for p in range(1, pages + 1):
        text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"],
                                                 capture_output=True, text=True, check=True).stdout)
        found = [name for name, t in sorted(flat.items(), key=lambda kv: -len(kv[1])) if t in text]
        if found:
            count[found[0]] += 1
    return ", ".join(f"{name} {n}" for name, n in count.items())


def page_sizes(pdf: Path) -> list[tuple[float, float]]:
    """Width and height (points) of every page."""
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


def measure(books: list[Path]) -> list[tuple[Path, str, int, int]]:
    """Per workbook: its sheets (with their pages when the headers tell), pages, landscape pages."""
    with Converter(timeout_s=180) as conv:
        pdfs = conv.convert_many(books, "pdf")
        rows = []
        for book in books:
            pdf, titles = pdfs[book], sheets(book)
            if not isinstance(pdf, Path):
                rows.append((book, ", ".join(titles), -1, -1))
                continue
            sizes = page_sizes(pdf)
            rows.append((book, per_sheet(pdf, titles, len(sizes)), len(sizes), sum(1 for w, h in sizes if w > h)))
    return rows


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("demo", type=Path, help="a workspace made by `cchc demo DIR --dry-run`")
    parser.add_argument("--templates", type=Path, default=ROOT / "templates")
    args = parser.parse_args(argv)
    if shutil.which("pdfinfo") is None:
        print("pdfinfo (poppler-utils) is needed", file=sys.stderr)
        return 2
    rows = measure(workbooks(args.demo, args.templates))
    print(f"{'workbook':<54} {'pages':>5} {'landscape':>9}  sheets (pages)")
    for book, names, pages, wide in rows:
        shown = book.relative_to(args.demo) if book.is_relative_to(args.demo) else book.name
        print(f"{str(shown):<54} {pages:>5} {wide:>9}  {names}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
