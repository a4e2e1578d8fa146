"""`cchc watch` under the office's conditions: its workspace replaced while it runs, several watchers at once."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from automation.config import init_workspace
from automation.ledger.db import LEDGER_NAME, Ledger
from tests.builders import list_document, person_rows

ENV = {**os.environ, "CCHC_NOW": "2021-10-20T08:00:00"}


def _workspace(root: Path) -> Path:
    ws = init_workspace(root)
    toml = ws / "cchc.toml"
    text = toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.3")
    toml.write_text(text.replace("rescan_s = 60", "rescan_s = 2"), encoding="utf-8")
    return ws


def _final(ws: Path) -> list:
    if not (ws / LEDGER_NAME).exists():
        return []
    with Ledger(ws / LEDGER_NAME) as ledger:
        return [s for s in ledger.submissions.all() if s.status != "processing"]


def _wait(cond, timeout: float = 30.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.2)
    return cond()


def _drop(src: Path, dest: Path) -> None:
    part = dest.with_name(dest.name + ".part")
    part.write_bytes(src.read_bytes())
    os.replace(part, dest)


def _watch(ws: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "automation", "watch", "--workspace", str(ws)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV)


def _stop(proc: subprocess.Popen) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    return proc.communicate(timeout=60)


def test_a_workspace_deleted_and_made_again_is_reopened(tmp_path):
    ws = _workspace(tmp_path / "ws")
    src = list_document(tmp_path / "ds.docx")
    proc = _watch(ws)
    try:
        time.sleep(1.5)
        _drop(src, ws / "inbox" / "DS Kim Xá.docx")
        assert _wait(lambda: [s.original_name for s in _final(ws)] == ["DS Kim Xá.docx"])
        shutil.move(ws, tmp_path / "ws-cu")  # staff move the folder away on the share...
        _workspace(ws)  # ...and set up a new one in its place
        time.sleep(1.0)
        _drop(src, ws / "inbox" / "DS Kim Xá.docx")  # the same file again: new for the new ledger
        assert _wait(lambda: len(_final(ws)) == 1, timeout=40), "the new workspace's file was never recorded"
    finally:
        out, err = _stop(proc)
    (row,) = _final(ws)
    assert (row.status, row.version, row.duplicate_of) == ("archived", 1, None)
    assert (ws / row.path).is_file() and not (ws / "luu-tru" / "_trung-lap").exists()
    assert len(_final(tmp_path / "ws-cu")) == 1  # the old ledger got nothing more
    assert "[workspace.replaced]" in err and "Traceback" not in err


def test_several_watchers_and_files_dropped_throughout_each_file_once(tmp_path):
    ws = _workspace(tmp_path / "ws")
    units = ("Kim Xá", "Yên Bình", "Chấn Hưng", "Nghĩa Hưng", "Yên Lập", "Việt Xuân")
    sources = []
    (tmp_path / "src").mkdir()
    for i in range(24):
        u = units[i % len(units)]
        sources.append(list_document(tmp_path / "src" / f"DS {u} lần {i // len(units) + 1}.docx",
                                     rows=person_rows(30 - i // len(units), unit=u),
                                     heading=(f"UBND XÃ {u.upper()}", "DANH SÁCH")))
    expected = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sources}
    watchers = [_watch(ws) for _ in range(3)]

    def dropper() -> None:
        for p in sources:
            _drop(p, ws / "inbox" / p.name)
            time.sleep(0.25)

    try:
        time.sleep(1.5)
        t = threading.Thread(target=dropper)
        t.start()
        t.join()
        assert _wait(lambda: len(_final(ws)) == len(sources), timeout=120)
    finally:
        results = [_stop(w) for w in watchers]
    rows = _final(ws)
    assert sorted(r.original_name for r in rows) == sorted(expected)  # each exactly one row
    assert all(r.sha256 == expected[r.original_name] and (ws / r.path).is_file() for r in rows)
    on_disk = [p for p in (ws / "luu-tru").rglob("*.docx") if "ban-chuyen-doi" not in p.parts]
    assert sorted(ws.joinpath(r.path) for r in rows) == sorted(on_disk)  # and exactly one place
    for u in units:  # versions in the order the ledger received them, the last one current
        mine = sorted((r for r in rows if r.original_name.startswith(f"DS {u} ")), key=lambda r: r.id)
        assert [r.version for r in mine] == [1, 2, 3, 4] and [r.status for r in mine][-1] == "archived"
    assert not list((ws / "inbox").iterdir()) and not list(ws.rglob(".~cchc-*"))
    assert all("Traceback" not in err for _out, err in results)
