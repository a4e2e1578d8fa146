"""What the archive carries about each received file, so that losing the ledger loses nothing.

When the desk finishes a file (archived, quarantined or set aside as a duplicate) it writes
``luu-tru/_so-lieu/<claim id>.json``: the file's ledger row (names, hash, unit, kind, version, verdict,
problems, times, where it is) and what was read from it (a list's people, a workbook's scores).  The
claim id starts with the time of receipt, so the folder sorts in the order files came in; ``seq`` keeps
the ledger's own order (which a clock set backwards cannot disturb).  ``cchc ledger rebuild`` reads these
back (:mod:`automation.intake.rebuild`).
"""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from automation import files

VERSION = 1
FIELDS = ("claim_id", "sha256", "original_name", "size", "unit_code", "kind", "version", "status", "verdict",
          "received_at", "processed_at", "on_time", "path", "target", "criterion", "converted_path")


def path_for(folder: Path, claim_id: str) -> Path:
    return Path(folder) / f"{claim_id}.json"


def write(folder: Path, row: sqlite3.Row, *, duplicate_of_claim: str | None, extraction: dict | None) -> Path:
    """The sidecar of the finished ledger ``row``, written atomically (replacing an earlier one of the same
    claim: the row is the truth).  Not flushed to the disk: the ledger is the durable record, and a sidecar
    lost to a power cut only leaves a rebuild reading that file's folder and name instead (5 % of a pass)."""
    data = {"cchc_sidecar": VERSION, "seq": row["id"], **{k: row[k] for k in FIELDS},
            "problems": json.loads(row["problems"] or "[]"), "duplicate_of_claim": duplicate_of_claim,
            "extraction": extraction}
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True)
    return files.write_text_atomic(path_for(folder, row["claim_id"]), text + "\n")


def read_all(folder: Path) -> tuple[list[dict], list[Path]]:
    """Every readable sidecar in ``folder`` in the ledger's order, and the files that could not be read."""
    found, bad = [], []
    folder = Path(folder)
    if not folder.is_dir():
        return found, bad
    for p in sorted(folder.glob("*.json")):
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
            if not isinstance(data, dict) or data.get("cchc_sidecar") != VERSION or not data.get("claim_id"):
                raise ValueError("not a sidecar")
        except (OSError, ValueError):
            bad.append(p)
            continue
        found.append(data)
    found.sort(key=lambda d: (d.get("seq") or 0, d["claim_id"]))
    return found, bad
