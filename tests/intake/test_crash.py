"""Crash safety: `cchc watch` killed with SIGKILL at random moments while 50+ files are dropped.

After a final `cchc process`, every dropped file is archived or quarantined exactly once, byte for
byte, the ledger agrees with the folders, and nothing is left half-written.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from docx import Document

from automation.config import init_workspace
from automation.ledger.db import LEDGER_NAME, Ledger
from tests.builders import list_document, person_rows

pytestmark = pytest.mark.skipif(os.name == "nt", reason="SIGKILL is POSIX")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _sources(folder: Path) -> list[Path]:
    folder.mkdir()
    out = []
    for i in range(40):
        out.append(list_document(folder / f"ds-{i:02d}.docx", heading=("UBND XÃ KIM XÁ", f"DANH SÁCH lần {i}"),
                                 rows=person_rows(30 - (i % 5 == 0))))
    for i in range(3):
        out.append(list_document(folder / f"khong-ro-{i}.docx", heading=("DANH SÁCH", f"lần {i}")))
    for i in range(6):
        p = folder / f"Tam Phuc - 1.{i} kiem chung.pdf"
        p.write_bytes(b"%PDF-1.4\n" + os.urandom(2000) + b"\n%%EOF\n")
        out.append(p)
    for i in range(4):
        p = folder / f"ghi-chu-{i}.docx"
        p.write_bytes(b"PK\x03\x04 not a real package " + bytes([i]))
        out.append(p)
    for i in range(3):  # the same bytes sent again under another name
        p = folder / f"gui-lai-{i}.docx"
        shutil.copyfile(out[i], p)
        out.append(p)
    return out


def _drop(files: list[Path], inbox: Path, rng: random.Random) -> None:
    for src in files:
        data = src.read_bytes()
        dst = inbox / src.name
        if rng.random() < 0.5:  # a browser download: written as .part, then renamed
            part = dst.with_name(dst.name + ".part")
            part.write_bytes(data)
            os.replace(part, dst)
        else:  # a slow copy in chunks
            with dst.open("wb") as fh:
                for i in range(0, len(data), 4096):
                    fh.write(data[i:i + 4096])
                    fh.flush()
                    time.sleep(rng.uniform(0, 0.02))
        time.sleep(rng.uniform(0, 0.08))


def test_sigkill_while_files_are_dropped_and_processed(tmp_path):
    ws = init_workspace(tmp_path / "ws")
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.3"),
                    encoding="utf-8")
    files = _sources(tmp_path / "src")
    assert len(files) >= 50
    expected = {f.name: _sha(f) for f in files}
    rng = random.Random(20211030)
    order = files[:]
    rng.shuffle(order)
    dropper = threading.Thread(target=_drop, args=(order, ws / "inbox", rng))
    env = {**os.environ, "CCHC_NOW": "2021-10-25T10:00:00"}
    cmd = [sys.executable, "-m", "automation", "watch", "--workspace", str(ws)]
    dropper.start()
    kills = 0
    claims = ws / "dang-xu-ly"
    while dropper.is_alive() or kills < 10:
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        if kills % 2:  # at a random moment
            time.sleep(rng.uniform(0.2, 1.8))
        else:  # in the middle of a pass: as soon as files are claimed, or a little after
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline and not (claims.exists() and any(claims.rglob("*.*"))):
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.15))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
    dropper.join()
    print(f"{kills} kills")
    final = subprocess.run([sys.executable, "-m", "automation", "process", "--workspace", str(ws)],
                           env=env, capture_output=True, text=True, timeout=300)
    assert final.returncode == 0, final.stderr
    assert kills >= 10

    with Ledger(ws / LEDGER_NAME) as ledger:
        rows = ledger.submissions.all()
        recoveries = ledger.db.execute("SELECT detail FROM events WHERE kind = 'recover'").fetchall()
    assert recoveries, "no kill interrupted a pass: the test did not exercise recovery"
    # every dropped file exactly once in the ledger, with its own bytes, at the place the ledger says
    assert sorted(r.original_name for r in rows) == sorted(expected)
    for r in rows:
        assert r.status in ("archived", "quarantined", "duplicate", "superseded"), r
        assert r.sha256 == expected[r.original_name]
        assert _sha(ws / r.path) == r.sha256
    # the folders hold exactly the ledger's files, nothing more
    kept = {p.relative_to(ws).as_posix() for d in ("luu-tru", "cach-ly") for p in (ws / d).rglob("*")
            if p.is_file() and p.suffix != ".txt" and not {"_so-lieu", "_sao-luu"} & set(p.parts)}
    assert kept == {r.path for r in rows}
    assert len(list((ws / "luu-tru" / "_sao-luu").glob("so-theo-doi-*.sqlite3"))) == 1  # the watcher's daily backup
    # and each carries its sidecar (what a ledger rebuild reads), in step with its row
    sidecars = {d["claim_id"]: d for d in map(json.loads, map(Path.read_text, (ws / "luu-tru" / "_so-lieu").glob("*.json")))}
    with Ledger(ws / LEDGER_NAME) as ledger:
        claims_of = {r["id"]: r["claim_id"] for r in ledger.db.execute("SELECT id, claim_id FROM submissions")}
    assert set(sidecars) == set(claims_of.values())
    assert all(sidecars[claims_of[r.id]]["path"] == r.path and sidecars[claims_of[r.id]]["sha256"] == r.sha256
               for r in rows)
    by_name = {r.original_name: r for r in rows}
    for i in range(3):  # whichever copy arrived second is the duplicate of the first
        pair = sorted((by_name[f"ds-{i:02d}.docx"], by_name[f"gui-lai-{i}.docx"]), key=lambda r: r.id)
        assert pair[1].status == "duplicate" and pair[1].duplicate_of == pair[0].id
    assert {r.status for r in rows if r.original_name.startswith(("ghi-chu", "khong-ro"))} == {"quarantined"}
    # nothing half-done or half-written
    assert not [p for p in (ws / "inbox").iterdir()]
    assert not (ws / "dang-xu-ly").exists() or not any((ws / "dang-xu-ly").iterdir())
    assert not [p for p in ws.rglob(".~cchc-*")]
    letters = [p for p in (ws / "outbox" / "phan-hoi").rglob("*.docx")]
    assert letters and all(Document(p).paragraphs for p in letters)
