"""Helpers of the storage-fault tests: real mounts, the CLI as a subprocess, and where every dropped file is."""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import list_document, person_rows, self_assessment_workbook

WORKTREE = Path(__file__).resolve().parents[2]
NOW = "2021-10-25T09:30:00"
LEDGER = "so-theo-doi.sqlite3"
KEPT = ("inbox", "dang-xu-ly", "luu-tru", "cach-ly")  # where a received file may be
NOT_RECEIVED = {"_so-lieu", "_sao-luu", "ban-chuyen-doi", ".chuyen-doi"}


def sha(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cchc(ws: Path, *args: str, now: str = NOW) -> subprocess.CompletedProcess:
    """``cchc <args> --workspace ws`` run from the worktree, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(WORKTREE), "CCHC_NOW": now}
    return subprocess.run([sys.executable, "-m", "automation", *args, "--workspace", str(ws)], env=env,
                          capture_output=True, text=True, timeout=300)


def assert_fault(run: subprocess.CompletedProcess, code: str, *words: str) -> None:
    """The command failed with ``[code]``, a Vietnamese message holding ``words``, no traceback."""
    err = run.stderr
    assert run.returncode != 0, (run.stdout, err)
    assert f"[{code}]" in err and "Lỗi" in err, err
    assert "Traceback" not in err and "internal.error" not in err, err
    for w in words:
        assert w in err, (w, err)


def mount(request, *args: str, target: Path) -> None:
    """``mount <args> target`` undone at teardown (lazily); the test is skipped when that cannot be done."""
    if os.name != "posix" or os.geteuid() != 0:
        pytest.skip("mounting a file system needs root on Linux")
    r = subprocess.run(["mount", *args, str(target)], capture_output=True, text=True)
    if r.returncode != 0:
        pytest.skip(f"mount {' '.join(args)} {target} failed: {r.stderr.strip()}")
    request.addfinalizer(lambda: subprocess.run(["umount", "-l", str(target)], capture_output=True))


def mount_read_only(request, target: Path) -> None:
    """``target`` (a folder or a file) bind-mounted read-only over itself."""
    mount(request, "--bind", str(target), target=target)
    mount(request, "-o", "remount,bind,ro", target=target)
    if target.is_dir() and subprocess.run(["touch", str(target / ".probe")], capture_output=True).returncode == 0:
        pytest.skip(f"{target} still writable after a read-only bind mount")


def umount(target: Path) -> None:
    subprocess.run(["umount", str(target)], check=True)


def drop(inbox: Path) -> dict[str, str]:
    """Real files into ``inbox``: a second version of Kim Xá's list, Tam Phúc's list, a list of no known
    unit, Kim Xá's self-assessment workbook.  {name: sha256}."""
    from automation.scoring.framework import load_framework

    fw = load_framework()
    made = [list_document(inbox / "ds-kim-xa-v2.docx", rows=person_rows(31)),
            list_document(inbox / "ds-tam-phuc.docx", heading=("UBND XÃ TAM PHÚC", "DANH SÁCH"),
                          rows=person_rows(30, unit="Tam Phúc")),
            list_document(inbox / "khong-ro.docx", heading=("DANH SÁCH",)),
            self_assessment_workbook(inbox / "tu-cham Kim Xá.xlsx", "Xã Kim Xá", "09079", fw.scored,
                                     {c.code: float(c.max_points) for c in fw.scored})]
    return {p.name: sha(p) for p in made}


# after the first pass (ds-kim-xa.docx alone) and the drop: (status, version) of each
EXPECTED = {"ds-kim-xa.docx": ("superseded", 1), "ds-kim-xa-v2.docx": ("archived", 2),
            "ds-tam-phuc.docx": ("archived", 1), "khong-ro.docx": ("quarantined", None),
            "tu-cham Kim Xá.xlsx": ("archived", 1)}


def first_pass(ws: Path) -> dict[str, str]:
    """A clean pass with Kim Xá's first list (the ledger and the archive exist), then the drop."""
    first = list_document(ws / "inbox" / "ds-kim-xa.docx")
    shas = {first.name: sha(first)}
    run = cchc(ws, "process")
    assert run.returncode == 0, run.stderr
    return {**shas, **drop(ws / "inbox")}


def rows(ws: Path) -> list[dict]:
    """The submissions, read straight from the file (no migration, no write)."""
    db = sqlite3.connect(f"file:{ws / LEDGER}?mode=ro", uri=True)
    db.row_factory = sqlite3.Row
    try:
        assert db.execute("PRAGMA integrity_check").fetchall()[0][0] == "ok"
        return [dict(r) for r in db.execute("SELECT * FROM submissions ORDER BY id")]
    finally:
        db.close()


def where(ws: Path, shas: dict[str, str]) -> dict[str, list[Path]]:
    """Every place each dropped file is (by its bytes), in the inbox, the claims, the archive, the quarantine."""
    by_sha = {v: k for k, v in shas.items()}
    found: dict[str, list[Path]] = {name: [] for name in shas}
    for top in KEPT:
        for p in (ws / top).rglob("*"):
            if p.is_file() and not NOT_RECEIVED & set(p.relative_to(ws).parts) and (s := sha(p)) in by_sha:
                found[by_sha[s]].append(p.relative_to(ws))
    return found


def assert_nothing_half_written(ws: Path, shas: dict[str, str]) -> None:
    """No temporary file; each dropped file in one place; each row's file where the row says, byte for byte."""
    assert not [p for p in ws.rglob(".~cchc-*")], "temporary files left"
    places = where(ws, shas)
    assert all(len(v) == 1 for v in places.values()), places
    recorded = rows(ws)
    for r in recorded:  # an unfinished row's file is claimed, or already moved to its target
        at = ws / r["path"] if (ws / r["path"]).exists() or r["status"] != "processing" else ws / r["target"]
        assert sha(at) == r["sha256"], r
    for name, (place,) in places.items():
        if place.parts[0] in ("luu-tru", "cach-ly"):  # filed: its row says so
            mine = [r for r in recorded if r["original_name"] == name]
            assert len(mine) == 1 and place.as_posix() in (mine[0]["path"], mine[0]["target"]), (name, mine)


def assert_all_done(ws: Path, shas: dict[str, str]) -> list[dict]:
    """Everything filed as it should be, one row each, letters and the appraisal workbook written."""
    recorded = rows(ws)
    assert sorted(r["original_name"] for r in recorded) == sorted(EXPECTED)
    assert {r["original_name"]: (r["status"], r["version"]) for r in recorded} == EXPECTED
    assert not [p for p in (ws / "inbox").rglob("*") if p.is_file()]
    assert not [p for p in (ws / "dang-xu-ly").rglob("*") if p.is_file()]
    assert_nothing_half_written(ws, shas)
    for r in recorded:
        if r["unit_code"] and r["kind"] in ("respondent_list", "workbook"):
            assert r["feedback_path"] and (ws / r["feedback_path"]).stat().st_size > 0, r
    assert (ws / "outbox" / "tham-dinh-2021.xlsm").stat().st_size > 0
    return recorded


def submissions(ws: Path) -> list[dict]:
    run = cchc(ws, "submissions", "--json")
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)
