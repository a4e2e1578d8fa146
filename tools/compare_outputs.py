"""Compare what two runs wrote (two demo workspaces, say one made by an older commit): the same files, and in
each the same content.

    .venv/bin/python tools/compare_outputs.py DIR_A DIR_B

Word files are compared by their paragraphs and table cells (text, and each run's font, size, bold and
italic), workbooks by every cell's value on every sheet, text files by their text, PDFs by ``pdftotext``.
The ledger, LibreOffice's folders, backups and zip bytes (times, compression) are not compared, and the
random part of a claim's name (``20211025T090000-c920afd4bf2f``) is taken as the same in both.  Exit 0 when
everything matches, 1 otherwise, with the differences listed.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

SKIP_PARTS = {".libreoffice", "_sao-luu", "__pycache__"}
SKIP_SUFFIXES = {".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".lock"}
CLAIM_ID = re.compile(r"(\d{8}T\d{6})-[0-9a-f]{12}")  # a claim's random part: the same file, another run


def _same_claims(text: str) -> str:
    return CLAIM_ID.sub(r"\1-ID", text)


def _docx(path: Path) -> list:
    import docx

    d = docx.Document(str(path))

    def para(p):
        return (p.text, p.style.name if p.style is not None else None,
                [(r.font.name, r.font.size, r.bold, r.italic) for r in p.runs if r.text])

    out = [para(p) for p in d.paragraphs]
    for t in d.tables:
        out.append([[c.text for c in row.cells] for row in t.rows])
    for s in d.sections:
        out.append((s.page_width, s.page_height, s.left_margin, s.right_margin, s.top_margin, s.bottom_margin,
                    [para(p) for p in s.header.paragraphs], [para(p) for p in s.footer.paragraphs]))
    return out


def _xlsx(path: Path) -> list:
    import openpyxl

    wb = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return [(ws.title, [list(r) for r in ws.iter_rows(values_only=True)]) for ws in wb.worksheets]
    finally:
        wb.close()


def _pdf(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=False).stdout


def content(path: Path):
    suffix = path.suffix.lower()
    if suffix == ".docx":
        return _docx(path)
    if suffix in (".xlsx", ".xlsm"):
        return _xlsx(path)
    if suffix == ".pdf":
        return _pdf(path)
    if suffix in (".txt", ".json", ".csv", ".eml", ".toml", ".md"):
        return _same_claims(path.read_text(encoding="utf-8", errors="replace"))
    return path.read_bytes()


def files(root: Path) -> dict[str, Path]:
    return {_same_claims(p.relative_to(root).as_posix()): p for p in sorted(root.rglob("*"))
            if p.is_file() and not SKIP_PARTS & set(p.relative_to(root).parts) and p.suffix not in SKIP_SUFFIXES}


def main(argv: list[str]) -> int:
    a, b = (Path(x) for x in argv[1:3])
    fa, fb = files(a), files(b)
    diffs = [f"only in {a}: {n}" for n in sorted(set(fa) - set(fb))]
    diffs += [f"only in {b}: {n}" for n in sorted(set(fb) - set(fa))]
    for name in sorted(set(fa) & set(fb)):
        try:
            same = content(fa[name]) == content(fb[name])
        except Exception as exc:  # a file one reader cannot open is a difference to look at, not a crash
            diffs.append(f"{name}: not compared ({type(exc).__name__}: {exc})")
            continue
        if not same:
            diffs.append(f"{name}: content differs")
    for d in diffs:
        print(d)
    print(f"{len(set(fa) & set(fb))} files compared, {len(diffs)} differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
