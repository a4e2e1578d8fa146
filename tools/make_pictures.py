"""The README's pictures: a feedback letter, a page of the decision (its annex) and the status sheet of the
2021 demo, rendered by the tool's own ``cchc preview`` and turned into PNG by ``pdftoppm``, under ``docs/``.

    python tools/make_pictures.py [DEMO_WORKSPACE]

Without a workspace the 2021 demo is run first (``cchc demo --dry-run`` in a temporary folder).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def _cchc(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "automation", *args], check=True, cwd=ROOT, stdout=subprocess.DEVNULL)


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _png(pdf: Path, page: int, name: str) -> Path:
    target = DOCS / name
    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile", str(pdf),
                    str(target.with_suffix(""))], check=True)
    return target


def _rejected_list_letter(ws: Path) -> Path:
    """The letter that told a commune its list was not accepted (what the letters are most often about)."""
    sys.path.insert(0, str(ROOT))
    from automation.ledger.db import LEDGER_NAME, Ledger  # noqa: PLC0415

    with Ledger(ws / LEDGER_NAME) as ledger:
        subs = ledger.submissions.all()
    return next(ws / s.feedback_path for s in subs
                if s.kind == "respondent_list" and s.verdict == "rejected" and s.feedback_path and s.unit_code)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        ws = Path(argv[0]).resolve() if argv else Path(tmp) / "demo"
        if not argv:
            _cchc("demo", str(ws), "--dry-run")
        letter = _rejected_list_letter(ws)
        decision = next((ws / "outbox" / "du-thao").glob("quyet-dinh-*.docx"))
        status = sorted((ws / "outbox" / "trang-thai").glob("trang-thai-*.xlsx"))[-1]
        _cchc("preview", str(letter), str(decision), str(status), "--workspace", str(ws))
        previews = ws / "outbox" / "xem-truoc"
        pdf = {p.stem: p for p in previews.rglob("*.pdf")}
        DOCS.mkdir(exist_ok=True)
        made = [_png(pdf[letter.stem], 1, "thu-phan-hoi.png"),
                _png(pdf[decision.stem], _pages(pdf[decision.stem]), "quyet-dinh-phu-luc.png"),
                _png(pdf[status.stem], 1, "bang-trang-thai.png")]
    for path in made:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
