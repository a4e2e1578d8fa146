"""``cchc ledger rebuild``: the submissions of the ledger made again from the archive and quarantine alone.

Each file the desk finished has its sidecar (:mod:`automation.intake.sidecar`) with its whole row and what
was read from it; those rows are restored in the ledger's original order, duplicates linked again and
older versions superseded again.  A file in the archive or the quarantine without a sidecar (copied in by
hand, or from a version of the tool before sidecars) still gets a row, read from where it lies:
``luu-tru/<unit>/<kind>/vNN-<name>``, ``luu-tru/_trung-lap/``, ``luu-tru/_dieu-tra/``, ``cach-ly/``.
The damaged ledger is never deleted: it is moved aside as ``so-theo-doi.sqlite3.hong-<time>``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from automation import clock, files
from automation.intake import sidecar
from automation.ledger import open_ledger
from automation.ledger import records as m
from automation.workspace import BACKUPS, CONVERTED, DUPLICATES, METADATA, SURVEY_ENTRIES, Workspace

_VERSION = re.compile(r"^v(\d{1,4})-(.+)$")
_CLAIM = re.compile(r"^(\d{8}T\d{6}-[0-9a-f]{12})-(.+)$")
_SKIP = {METADATA, BACKUPS, CONVERTED}
_KIND_OF_FOLDER = {v: k for k, v in m.KIND_FOLDERS.items()}


@dataclass
class Rebuilt:
    from_sidecars: int = 0
    from_names: int = 0
    missing: list[str] = field(default_factory=list)  # sidecars whose file is nowhere
    unreadable: list[str] = field(default_factory=list)  # sidecars that could not be read
    moved_aside: list[Path] = field(default_factory=list)


def move_aside(ledger_path: Path) -> list[Path]:
    """The ledger file (and its -wal/-shm) renamed ``….hong-<time>``: kept, never deleted."""
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    moved = []
    for suffix in ("", "-wal", "-shm"):
        p = ledger_path.with_name(ledger_path.name + suffix)
        if p.exists():
            dest = files.unique_path(p.with_name(f"{ledger_path.name}.hong-{stamp}{suffix}"))
            os.replace(p, dest)
            moved.append(dest)
    return moved


def stored_files(ws: Workspace) -> dict[str, Path]:
    """Every file kept in the archive and the quarantine (not reasons, sidecars, backups, conversions), by
    its path relative to the workspace."""
    out = {}
    for root in (ws.archive, ws.quarantine):
        if not root.is_dir():
            continue
        for p in root.rglob("*"):
            rel = p.relative_to(root).parts
            if not p.is_file() or files.is_temp(p) or any(part in _SKIP for part in rel[:-1]):
                continue
            if root == ws.quarantine and p.suffix == ".txt" and p.with_suffix("").exists():
                continue  # the reason beside a quarantined file
            out[ws.rel(p)] = p
    return out


def rebuild(ws: Workspace) -> Rebuilt:
    """A new ledger from the archive and the quarantine; the old one moved aside.  Run under the lock."""
    result = Rebuilt(moved_aside=move_aside(ws.ledger_path))
    stored = stored_files(ws)
    sidecars, bad = sidecar.read_all(ws.metadata)
    result.unreadable = [ws.rel(p) for p in bad]
    by_sha: dict[str, list[str]] = {}
    with open_ledger(ws.ledger_path) as ledger:
        subs = ledger.submissions
        ids: dict[str, int] = {}
        with ledger.transaction():
            for d in sidecars:
                rel = d["path"]
                if rel not in stored:
                    result.missing.append(d["original_name"])
                    continue
                stored.pop(rel)
                sub_id = subs.claim(d["claim_id"], d["sha256"], d["original_name"], d["size"],
                                    dt.datetime.fromisoformat(d["received_at"]), rel)
                ids[d["claim_id"]] = sub_id
                subs.update(sub_id, **{k: d[k] for k in ("unit_code", "kind", "version", "status", "verdict",
                                                         "processed_at", "on_time", "target", "criterion",
                                                         "converted_path")},
                            problems=d["problems"], duplicate_of=ids.get(d.get("duplicate_of_claim") or ""))
                if d.get("extraction"):
                    subs.store_extraction(d["sha256"], d["extraction"]["kind"], d["extraction"])
                by_sha.setdefault(d["sha256"], []).append(rel)
                _supersede(subs, d)
                result.from_sidecars += 1
            used = set(ids)
            for rel, path in sorted(stored.items(), key=lambda kv: (kv[1].stat().st_mtime, kv[0])):
                row = _row_from_name(ws, rel, path, used)
                sub_id = subs.claim(row.pop("claim_id"), row["sha256"], row.pop("original_name"),
                                    path.stat().st_size, row.pop("received_at"), rel)
                first = subs.first_with_sha(row["sha256"], sub_id)
                if row["status"] == m.DUPLICATE and first is not None:
                    row.update(duplicate_of=first.id, unit_code=first.unit_code, kind=first.kind)
                row.pop("sha256")
                subs.update(sub_id, **row)
                _supersede(subs, {**row, "original_name": subs.raw(sub_id)["original_name"]})
                result.from_names += 1
            subs.log("rebuild", f"{result.from_sidecars} from sidecars, {result.from_names} from names")
    return result


def _supersede(subs, d: dict) -> None:
    if d["status"] in (m.ARCHIVED, m.SUPERSEDED) and d.get("version") and (d.get("unit_code") or
                                                                            d["kind"] == m.SURVEY_ENTRY):
        same_name = d["original_name"] if d["kind"] in (m.EVIDENCE, m.EXPLANATION) else None
        subs.supersede_older(d.get("unit_code"), d["kind"], d["version"], same_name)


def _row_from_name(ws: Workspace, rel: str, path: Path, used: set[str]) -> dict:
    """A row for a stored file that has no sidecar, from the folders and the name it has."""
    parts = Path(rel).parts
    received = dt.datetime.fromtimestamp(path.stat().st_mtime).replace(microsecond=0)
    sha = files.sha256_of(path)
    name = path.name
    row = dict(sha256=sha, received_at=received, unit_code=None, kind=m.UNKNOWN, version=None, status=m.ARCHIVED,
               verdict=None, target=rel, processed_at=received.isoformat(timespec="seconds"))
    claim_id = f"{received:%Y%m%dT%H%M%S}-{sha[:12]}"
    if parts[0] == ws.quarantine.name or (len(parts) > 2 and parts[1] == DUPLICATES):
        row["status"] = m.QUARANTINED if parts[0] == ws.quarantine.name else m.DUPLICATE
        if (mt := _CLAIM.match(name)) is not None:
            claim_id, name = mt.group(1), mt.group(2)
    elif (mv := _VERSION.match(name)) is not None:
        row["version"], name = int(mv.group(1)), mv.group(2)
        if len(parts) > 2 and parts[1] == SURVEY_ENTRIES:
            row["kind"] = m.SURVEY_ENTRY
        elif len(parts) >= 4:
            unit = next((u for u in ws.settings.units if u.slug == parts[1]), None)
            row["unit_code"] = unit.code if unit else None
            row["kind"] = _KIND_OF_FOLDER.get(parts[2], m.UNKNOWN)
    n, base = 1, claim_id
    while claim_id in used:
        n += 1
        claim_id = f"{base}-{n}"
    used.add(claim_id)
    row.update(claim_id=claim_id, original_name=name)
    return row
