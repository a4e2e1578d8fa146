"""`cchc watch` converts a dropped .doc with its resident LibreOffice, and leaves no LibreOffice when it stops."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from automation.config import init_workspace, load_settings
from automation.formats import resident, soffice_proc
from automation.formats.convert import Converter, find_soffice
from automation.ledger.db import LEDGER_NAME, Ledger
from tests.builders import list_document

SOFFICE = find_soffice()
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed"),
              pytest.mark.skipif(SOFFICE is not None and resident.find_uno_python(SOFFICE) is None,
                                 reason="no Python with the uno module (Debian: python3-uno)")]


def _final(ws: Path) -> list:
    if not (ws / LEDGER_NAME).exists():
        return []
    with Ledger(ws / LEDGER_NAME) as ledger:
        return [s for s in ledger.submissions.all() if s.status != "processing"]


def _wait(cond, timeout: float = 60.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return True
        time.sleep(0.1)
    return cond()


def test_watch_converts_a_dropped_doc_with_the_resident_office(tmp_path, monkeypatch):
    from automation.app import watch

    monkeypatch.setenv("CCHC_NOW", "2021-10-20T08:00:00")
    ws = init_workspace(tmp_path / "ws")
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.3"),
                    encoding="utf-8")
    with Converter(workdir=tmp_path / "lo") as conv:
        doc = shutil.copyfile(conv.convert(list_document(tmp_path / "ds.docx"), "doc"), tmp_path / "ds.doc")
    used, batches = [], []
    real_run, real_start = resident.ResidentOffice.run, soffice_proc.start

    def run(office, names, *a, **kw):
        used.append((office, list(names)))
        return real_run(office, names, *a, **kw)

    def start(args, *a, **kw):
        if "--convert-to" in args:
            batches.append(args)
        return real_start(args, *a, **kw)

    monkeypatch.setattr(resident.ResidentOffice, "run", run)
    monkeypatch.setattr(soffice_proc, "start", start)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(load_settings(ws), stop), daemon=True)
    thread.start()
    try:
        time.sleep(1.0)
        assert used == []  # not started with the watcher: on the first legacy file
        part = ws / "inbox" / "DS Kim Xá.doc.part"
        part.write_bytes(doc.read_bytes())
        os.replace(part, ws / "inbox" / "DS Kim Xá.doc")
        assert _wait(lambda: len(_final(ws)) == 1), "the .doc was never recorded"
        office = used[0][0]
        pid, root = office.pid(), office.root
        assert pid and soffice_proc.processes_on([root]) == [pid]
    finally:
        stop.set()
        thread.join(60)
    assert not thread.is_alive()
    (row,) = _final(ws)
    assert (row.original_name, row.status, row.kind) == ("DS Kim Xá.doc", "archived", "respondent_list")
    assert (ws / row.path).read_bytes() == doc.read_bytes()  # the original is archived, the conversion read
    assert len(used) == 1 and batches == []  # the resident converted it; no batch process ran
    assert soffice_proc.processes_on([root]) == [] and not root.exists()  # closed with the watcher
    assert list((ws / ".libreoffice").iterdir()) == []
