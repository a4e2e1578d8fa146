"""Write ``automation/data/presets/phu-tho/don-vi.csv``: the 148 units of Phú Thọ from 1 July 2025, each with
the former Vĩnh Tường units merged into it (``former``), for ``cchc init --preset phu-tho``.

Sources (``../shared/data``): ``units-phu-tho-2025.csv`` (GSO list, NQ 1676/NQ-UBTVQH15) and
``vinh-tuong-2021-to-2025.csv`` (each 2021 unit -> its 2025-01 unit -> its commune from 1 July 2025).  A former
unit is written with its type and old code, ``Xã Kim Xá (09079)``; the 2025-01 names a 2024 merger gave
(``Xã Sao Đại Việt``) are former units too.  Units absorbed in 2024 whose receiving unit is not confirmed (blank
cells in the mapping) are left out rather than guessed.  The output is deterministic.

    .venv/bin/python tools/make_preset_units.py [SHARED_DATA_FOLDER]
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTPUT = ROOT / "automation" / "data" / "presets" / "phu-tho" / "don-vi.csv"


def main(shared: Path) -> None:
    types_2021 = {r["gso_code"]: r["type"] for r in csv.DictReader(
        (shared / "units-vinh-tuong-2021.csv").open(encoding="utf-8"))}
    former: dict[str, list[str]] = {}
    for r in csv.DictReader((shared / "vinh-tuong-2021-to-2025.csv").open(encoding="utf-8")):
        target = r["code_2025_07"].strip()
        if not target:
            continue
        entries = former.setdefault(target, [])
        for entry in (f"{types_2021[r['code_2021']]} {r['name_2021']} ({r['code_2021']})",
                      f"{r['name_2025_01']} ({r['code_2025_01']})" if r["code_2025_01"] else ""):
            normal = " ".join(w if i else w.capitalize() for i, w in enumerate(entry.split()))
            if normal and normal.lower() not in {e.lower() for e in entries}:
                entries.append(normal)
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["code", "kind", "name", "aliases", "group", "former"])
    for r in csv.DictReader((shared / "units-phu-tho-2025.csv").open(encoding="utf-8")):
        w.writerow([r["code"], r["kind"], r["name"], "", "", "; ".join(former.get(r["code"], []))])
    OUTPUT.parent.mkdir(parents=True, exist_ok=True)
    OUTPUT.write_text(out.getvalue(), encoding="utf-8")
    print(f"{OUTPUT.relative_to(ROOT)}: {out.getvalue().count(chr(10)) - 1} units, "
          f"{sum(len(v) for v in former.values())} former units")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data")
