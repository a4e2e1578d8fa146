"""`cchc watch` converts a dropped .doc with its resident LibreOffice, and leaves no LibreOffice when it stops."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from pathlib import Path

import pytest

from automation.config import init_workspace, load_settings
from automation.formats import resident, soffice_proc
from automation.formats.convert import Converter, find_soffice
from tests.builders import list_document
from tests.formats.test_resident import _spy_soffice
from tests.intake.test_watch_conditions import _final, _wait

SOFFICE = find_soffice()
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed"),
              pytest.mark.skipif(SOFFICE is not None and resident.find_uno_python(SOFFICE) is None,
                                 reason="no Python with the uno module (Debian: python3-uno)")]


def test_watch_converts_a_dropped_doc_with_the_resident_office(tmp_path, monkeypatch):
    from automation.app import watch

    monkeypatch.setenv("CCHC_NOW", "2021-10-20T08:00:00")
    ws = init_workspace(tmp_path / "ws")
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.3"),
                    encoding="utf-8")
    with Converter(workdir=tmp_path / "lo") as conv:
        doc = shutil.copyfile(conv.convert(list_document(tmp_path / "ds.docx"), "doc"), tmp_path / "ds.doc")
    used, real_run = [], resident.ResidentOffice.run

    def run(office, names, *a, **kw):
        used.append((office, list(names)))
        return real_run(office, names, *a, **kw)

    monkeypatch.setattr(resident.ResidentOffice, "run", run)
    batches = _spy_soffice(monkeypatch)
    stop = threading.Event()
    thread = threading.Thread(target=watch, args=(load_settings(ws), stop), daemon=True)
    thread.start()
    try:
        time.sleep(1.0)
        assert used == []  # not started with the watcher: on the first legacy file
        part = ws / "inbox" / "DS Kim Xá.doc.part"
        part.write_bytes(doc.read_bytes())
        os.replace(part, ws / "inbox" / "DS Kim Xá.doc")
        assert _wait(lambda: len(_final(ws)) == 1, timeout=60), "the .doc was never recorded"
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


def test_many_legacy_files_go_to_one_batch_process(tmp_path, monkeypatch):
    """Below BATCH_FROM_FILES legacy files a check uses the resident office; from it on, one batch process; the
    reports are the same either way."""
    from automation.check import check_paths, pipeline
    from automation.config import default_settings
    from automation.formats.convert import resident_office

    monkeypatch.setattr(pipeline, "BATCH_FROM_FILES", 2)  # real LibreOffice either way; 2 files keep it short
    docs = []
    with Converter(workdir=tmp_path / "lo") as conv:
        for unit in ("Kim Xá", "Yên Bình"):
            src = list_document(tmp_path / f"ds {unit}.docx", heading=(f"UBND XÃ {unit.upper()}", "DANH SÁCH"))
            docs.append(Path(shutil.copyfile(conv.convert(src, "doc"), tmp_path / f"ds {unit}.doc")))
    used, real_run = [], resident.ResidentOffice.run
    monkeypatch.setattr(resident.ResidentOffice, "run", lambda office, names, *a, **kw: (
        used.append(list(names)), real_run(office, names, *a, **kw))[1])
    batches = _spy_soffice(monkeypatch)
    settings = default_settings()
    with resident_office(tmp_path / "lo") as office:
        one = check_paths(docs[:1], settings, lo_workdir=tmp_path / "lo", office=office)
        assert len(used) == 1 and batches == []
        both = check_paths(docs, settings, lo_workdir=tmp_path / "lo", office=office)
        assert len(used) == 1 and len(batches) == 1
    alone = check_paths(docs[:1], settings, lo_workdir=tmp_path / "lo")
    for reports in (one, both, alone):
        assert reports[0].kind == "respondent_list" and reports[0].respondents == 30  # read from the conversion
    assert [p.message for p in one[0].problems] == [p.message for p in alone[0].problems] \
        == [p.message for p in both[0].problems]


def _processes_under(folder: Path) -> list[int]:
    needle = os.fsencode(str(folder))
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if needle in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(int(pid))
        except OSError:
            continue
    return found


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_cchc_watch_stopped_leaves_no_libreoffice(tmp_path):
    """The real command: a .doc dropped, a resident listener running on the workspace's folder; Ctrl+C; none left."""
    from tests.intake.test_watch_conditions import _stop, _watch, _workspace

    ws = _workspace(tmp_path / "ws")
    with Converter(workdir=tmp_path / "lo") as conv:
        doc = shutil.copyfile(conv.convert(list_document(tmp_path / "ds.docx"), "doc"), tmp_path / "ds.doc")
    proc = _watch(ws)
    try:
        time.sleep(1.5)
        part = ws / "inbox" / "DS Kim Xá.doc.part"
        part.write_bytes(doc.read_bytes())
        os.replace(part, ws / "inbox" / "DS Kim Xá.doc")
        assert _wait(lambda: len(_final(ws)) == 1, timeout=60), "the .doc was never recorded"
        assert _processes_under(ws / ".libreoffice")  # the listener stays for the next file
    finally:
        _stop(proc)
    assert proc.returncode == 0
    assert _processes_under(ws / ".libreoffice") == [] and list((ws / ".libreoffice").iterdir()) == []
    assert [s.status for s in _final(ws)] == ["archived"]
