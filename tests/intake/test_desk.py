"""The intake desk on real files: claim, archive by unit/kind/version, duplicates, quarantine, ledger."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys

import pytest
from docx import Document

from automation.cli import main
from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, SCHEMA_VERSION, Ledger
from automation.app import process_inbox as process_once
from tests.builders import list_document, person_rows


def _sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def ws(fast_ws):
    return fast_ws


def _run(ws):
    return process_once(load_settings(ws), settle_timeout_s=20)


def _subs(ws):
    with Ledger(ws / LEDGER_NAME) as ledger:
        return {s.original_name: s for s in ledger.submissions.all()}


def test_lists_are_archived_byte_for_byte_and_recorded(ws):
    src = list_document(ws / "inbox" / "DS Kim Xá.docx")
    sha = _sha(src)
    result = _run(ws)
    assert result.claimed == 1 and result.statuses == {"archived": 1}
    sub = _subs(ws)["DS Kim Xá.docx"]
    assert (sub.unit_code, sub.kind, sub.version, sub.status, sub.verdict, sub.on_time) == \
        ("09079", "respondent_list", 1, "archived", "accepted", True)
    archived = ws / sub.path
    assert archived == ws / "luu-tru" / "xa-kim-xa" / "danh-sach" / "v01-DS Kim Xá.docx"
    assert _sha(archived) == sha == sub.sha256 and not src.exists()
    assert sub.received_at.isoformat() == "2021-10-25T09:30:00"
    letter = ws / sub.feedback_path
    text = "\n".join(p.text for p in Document(letter).paragraphs)
    assert "Kim Xá" in text and "đúng hạn" in text
    assert not any((ws / "dang-xu-ly").iterdir())


def test_duplicates_versions_and_superseding(ws, monkeypatch):
    first = list_document(ws / "inbox" / "ds1.docx", rows=person_rows(29))
    shutil.copyfile(first, ws / "inbox" / "ds1-gui-lai.docx")  # the same bytes twice in one drop
    _run(ws)
    monkeypatch.setenv("CCHC_NOW", "2021-11-02T08:00:00")
    list_document(ws / "inbox" / "ds2.docx")  # the corrected list, after the deadline
    shutil.copyfile(ws / "luu-tru" / "xa-kim-xa" / "danh-sach" / "v01-ds1.docx", ws / "inbox" / "ds1-lan-3.docx")
    _run(ws)
    subs = _subs(ws)
    assert subs["ds1.docx"].status == "superseded" and subs["ds1.docx"].verdict == "rejected"
    assert subs["ds1-gui-lai.docx"].status == "duplicate"
    assert subs["ds1-gui-lai.docx"].duplicate_of == subs["ds1.docx"].id
    assert subs["ds1-lan-3.docx"].status == "duplicate"
    new = subs["ds2.docx"]
    assert (new.version, new.status, new.verdict, new.on_time) == (2, "archived", "accepted", False)
    # every version and every duplicate stays on disk, byte for byte
    for s in subs.values():
        assert (ws / s.path).exists() and _sha(ws / s.path) == s.sha256


def test_quarantine_unknown_unit_and_unreadable_files(ws, samples):
    list_document(ws / "inbox" / "danh-sach.docx", heading=("DANH SÁCH",))
    (ws / "inbox" / "hong.docx").write_bytes(b"PK\x03\x04 broken")
    shutil.copyfile(samples / "bad" / "poi-protected_sha512.xlsx", ws / "inbox" / "Tam Phuc - bieu cham.xlsx")
    _run(ws)
    subs = _subs(ws)
    for name, code in (("danh-sach.docx", "unit.unknown"), ("hong.docx", "file.unreadable"),
                       ("Tam Phuc - bieu cham.xlsx", "file.encrypted")):
        s = subs[name]
        assert s.status == "quarantined" and code in [p["code"] for p in s.problems], name
        path = ws / s.path
        assert path.parent.name == "cach-ly" and path.exists()
        reason = path.with_name(path.name + ".txt").read_text(encoding="utf-8")
        assert code in reason and "cách ly" in reason
    assert subs["Tam Phuc - bieu cham.xlsx"].unit_code == "09142"  # told what to fix, by letter
    assert subs["Tam Phuc - bieu cham.xlsx"].feedback_path


def test_subfolders_evidence_and_ignored_files(ws):
    folder = ws / "inbox" / "Xã Tam Phúc"
    folder.mkdir()
    list_document(folder / "danh-sach.docx", heading=("DANH SÁCH",), rows=person_rows(30, unit="Tam Phúc"))
    (folder / "1.2 Quyet dinh kiem tra.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    (folder / "anh chup.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"0" * 100)
    for junk in ("~$danh-sach.docx", "~WRL0001.tmp", ".~lock.danh-sach.docx#", "Thumbs.db", "tai.crdownload"):
        (ws / "inbox" / junk).write_bytes(b"x")
    _run(ws)
    subs = _subs(ws)
    assert subs["Xã Tam Phúc/danh-sach.docx"].unit_code == "09142"
    pdf = subs["Xã Tam Phúc/1.2 Quyet dinh kiem tra.pdf"]
    assert (pdf.kind, pdf.criterion, pdf.unit_code, pdf.status) == ("evidence", "1.2", "09142", "archived")
    assert subs["Xã Tam Phúc/anh chup.jpg"].kind == "evidence"
    assert {p.name for p in (ws / "inbox").iterdir()} == {"~$danh-sach.docx", "~WRL0001.tmp",
                                                           ".~lock.danh-sach.docx#", "Thumbs.db", "tai.crdownload",
                                                           "Xã Tam Phúc"}


def test_submissions_json(ws, capsys):
    list_document(ws / "inbox" / "ds.docx")
    _run(ws)
    with pytest.raises(SystemExit) as exc:
        main(["submissions", "--json", "--workspace", str(ws)])
    assert exc.value.code == 0
    [row] = json.loads(capsys.readouterr().out)
    assert {"file", "sha256", "unit", "kind", "version", "status", "verdict", "received_at", "on_time",
            "path"} <= set(row)
    assert row["unit"] == {"code": "09079", "name": "Xã Kim Xá"} and row["status"] == "archived"


def test_ledger_schema_is_versioned_and_wal(ws):
    _run(ws)
    with Ledger(ws / LEDGER_NAME) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert ledger.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_processes_at_once_never_double_process(ws):
    for i in range(40):
        list_document(ws / "inbox" / f"ds-{i:02d}.docx", heading=("UBND XÃ KIM XÁ", f"DANH SÁCH lần {i}"))
    env = dict(os.environ)
    cmd = [sys.executable, "-m", "automation", "process", "--workspace", str(ws)]
    procs = [subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = [p.communicate(timeout=300) for p in procs]  # wait for both before judging either
    for p, (_out, err) in zip(procs, results):
        assert p.returncode == 0, err.decode()
    subs = _subs(ws)
    assert len(subs) == 40
    assert [s.version for s in sorted(subs.values(), key=lambda s: s.id)] == list(range(1, 41))
    archived = [p for p in (ws / "luu-tru").rglob("*") if p.is_file() and "_so-lieu" not in p.parts]
    assert len(archived) == 40 and not list((ws / "inbox").iterdir())
    assert len(list((ws / "luu-tru" / "_so-lieu").glob("*.json"))) == 40


def test_desk_needs_a_workspace(settings):
    from automation.problems import UsageError
    with pytest.raises(UsageError):
        process_once(settings)  # the built-in settings name no workspace: no inbox, no ledger


def test_a_new_ledger_opened_by_many_at_once(tmp_path):
    import threading

    for n in range(10):
        path = tmp_path / f"so-{n}.sqlite3"
        errors = []

        def open_it():
            try:
                Ledger(path).close()
            except Exception as exc:  # noqa: BLE001 - collected for the assertion
                errors.append(exc)

        threads = [threading.Thread(target=open_it) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert errors == []
        with Ledger(path) as ledger:
            assert ledger.schema_version == SCHEMA_VERSION


def test_lock_is_reentrant_and_a_pass_sweeps_interrupted_workbook_writes(ws):
    from automation.workspace import LOCK as LOCK_NAME
    from automation.lock import WorkspaceLock

    leftover = ws / "outbox" / ".~cchc-0123abcd.xlsm"  # a rebuild killed before its os.replace
    leftover.write_bytes(b"half")
    with WorkspaceLock(ws / LOCK_NAME):
        with WorkspaceLock(ws / LOCK_NAME):  # the desk holding it, the appraisal rebuild taking it again
            pass
        assert WorkspaceLock._held[str((ws / LOCK_NAME).resolve())] == 1
    assert str((ws / LOCK_NAME).resolve()) not in WorkspaceLock._held
    _run(ws)
    assert not leftover.exists()


def test_letter_of_a_version_replaced_in_the_same_pass_says_so(ws):
    list_document(ws / "inbox" / "ds-a.docx", rows=person_rows(29))
    _run(ws)
    list_document(ws / "inbox" / "ds-b.docx", rows=person_rows(28))
    list_document(ws / "inbox" / "ds-c.docx")  # two files in one pass: the later replaces the earlier
    _run(ws)
    subs = _subs(ws)
    older, newer = sorted((subs["ds-b.docx"], subs["ds-c.docx"]), key=lambda s: s.version)
    assert older.status == "superseded" and newer.status == "archived"
    text = "\n".join(p.text for p in Document(ws / older.feedback_path).paragraphs)
    assert f"đã được thay thế bằng lần gửi thứ {newer.version}" in text
    assert f"“{newer.original_name}”" in text and "Đề nghị" not in text
    latest = "\n".join(p.text for p in Document(ws / newer.feedback_path).paragraphs)
    assert "đã được thay thế" not in latest
