"""The desk in the office's real conditions: an inbox on another file system (a share, read-only too), names
of 255 bytes, a file that breaks the desk or kills the process, a workbook open in Excel, a clock set back."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from automation.app import process_inbox
from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from tests.builders import list_document, person_rows

UNITS = ("Kim Xá", "Yên Bình", "Chấn Hưng", "Nghĩa Hưng", "Yên Lập", "Việt Xuân")


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _rows(ws: Path) -> list:
    with Ledger(ws / LEDGER_NAME) as ledger:
        return ledger.submissions.all()


def _lists(folder: Path, units=UNITS, stem="DS") -> dict[str, str]:
    """A real list per unit dropped in ``folder``; {name: sha256}."""
    out = {}
    for u in units:
        p = list_document(folder / f"{stem} {u}.docx", rows=person_rows(30, unit=u), heading=(f"UBND XÃ {u.upper()}",
                                                                                             "DANH SÁCH"))
        out[p.name] = _sha(p)
    return out


def _run(ws: Path):
    return process_inbox(load_settings(ws), settle_timeout_s=20)


@pytest.fixture()
def share(fast_ws):
    """The workspace's inbox on a file system of its own (a real tmpfs, as a mounted share would be)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a second file system needs root (CI runs as root)")
    inbox = fast_ws / "inbox"
    inbox.mkdir(exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(inbox)], capture_output=True).returncode:
        pytest.skip("mount -t tmpfs is not allowed here")
    yield inbox
    subprocess.run(["umount", "-l", str(inbox)], capture_output=True)


def test_an_inbox_on_another_file_system_is_claimed_by_verified_copy(fast_ws, share):
    assert os.stat(share).st_dev != os.stat(fast_ws).st_dev
    sent = _lists(share)
    result = _run(fast_ws)
    assert result.claimed == len(sent) and result.statuses == {"archived": len(sent)}
    rows = _rows(fast_ws)
    assert {r.original_name: r.sha256 for r in rows} == sent
    assert all(_sha(fast_ws / r.path) == r.sha256 for r in rows)
    assert not list(share.iterdir()), "the originals are deleted once their copies are verified"
    assert not list(fast_ws.rglob(".~cchc-*"))


def test_a_read_only_share_is_taken_once_and_a_new_version_still_comes_in(fast_ws, share):
    sent = _lists(share, UNITS[:2])
    assert subprocess.run(["mount", "-o", "remount,ro", str(share)], capture_output=True).returncode == 0
    first = _run(fast_ws)
    assert first.claimed == 2 and first.statuses == {"archived": 2}
    assert sorted(p.name for p in share.iterdir()) == sorted(sent)  # could not be deleted: still there
    again = _run(fast_ws)
    assert again.claimed == 0 and len(_rows(fast_ws)) == 2  # never claimed twice
    subprocess.run(["mount", "-o", "remount,rw", str(share)], check=True)
    list_document(share / f"DS {UNITS[0]}.docx", rows=person_rows(29, unit=UNITS[0]),
                  heading=(f"UBND XÃ {UNITS[0].upper()}", "DANH SÁCH"))  # the commune sends a corrected list
    third = _run(fast_ws)
    assert third.claimed == 1
    latest = {(r.unit_code, r.version, r.status) for r in _rows(fast_ws) if r.original_name == f"DS {UNITS[0]}.docx"}
    assert latest == {("09079", 1, "superseded"), ("09079", 2, "archived")}


def test_a_copy_cut_short_across_file_systems_is_finished_once(fast_ws):
    """What a crash leaves in a claim folder: a temporary copy (swept, the original still in the inbox) and a
    finished copy whose original was not yet deleted (filed once, the original removed)."""
    sent = _lists(fast_ws / "inbox", UNITS[:2])
    names = sorted(sent)
    half = fast_ws / "dang-xu-ly" / "20211025T093000-aaaaaaaaaaaa"
    half.mkdir(parents=True)
    (half / ".~cchc-0123456789abcdef.docx").write_bytes((fast_ws / "inbox" / names[0]).read_bytes()[:500])
    whole = fast_ws / "dang-xu-ly" / "20211025T093001-bbbbbbbbbbbb"
    whole.mkdir(parents=True)
    shutil.copyfile(fast_ws / "inbox" / names[1], whole / names[1])
    _run(fast_ws)
    rows = _rows(fast_ws)
    assert sorted(r.original_name for r in rows) == names  # one row each: no duplicate of the finished copy
    assert {r.status for r in rows} == {"archived"}
    assert not list((fast_ws / "inbox").iterdir()) and not list(fast_ws.rglob(".~cchc-*"))


def _name_of_bytes(n: int, suffix: str, base: str = "Danh sách người dân đã giải quyết TTHC xã Kim Xá ") -> str:
    out = ""
    while len((out + base + suffix).encode()) <= n:
        out += base
    while len((out + "x" + suffix).encode()) <= n:
        out += "x"
    name = out + suffix
    assert len(name.encode()) == n
    return name


def test_names_of_255_bytes_are_filed_within_limits_and_kept_in_the_ledger(fast_ws):
    long_list = _name_of_bytes(255, ".docx")
    long_scan = _name_of_bytes(255, ".pdf", "Ảnh chụp hồ sơ không rõ nơi gửi ")  # no unit: quarantined
    list_document(fast_ws / "inbox" / long_list)
    (fast_ws / "inbox" / long_scan).write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    sent = _lists(fast_ws / "inbox", UNITS[1:3])
    first = _run(fast_ws)
    assert first.claimed == 4
    list_document(fast_ws / "inbox" / long_list, rows=person_rows(28))  # a second version, same long name
    _run(fast_ws)
    rows = {(r.original_name, r.version): r for r in _rows(fast_ws)}
    assert {n for n, _ in rows} == {long_list, long_scan, *sent}
    v1, v2 = rows[(long_list, 1)], rows[(long_list, 2)]
    assert (v1.status, v2.status) == ("superseded", "archived")
    for r in rows.values():
        stored = fast_ws / r.path
        assert stored.is_file() and len(stored.name.encode()) <= 255
    assert Path(v1.path).name.startswith("v01-") and Path(v2.path).name.startswith("v02-")
    assert Path(v2.path).suffix == ".docx" and v1.path != v2.path
    scan = rows[(long_scan, None)]
    assert scan.status == "quarantined" and Path(scan.path).suffix == ".pdf"
    reason = (fast_ws / scan.path).with_name(Path(scan.path).name + ".txt")
    assert len(reason.name.encode()) <= 255 and long_scan in reason.read_text(encoding="utf-8")
    assert all(r.feedback_path and (fast_ws / r.feedback_path).is_file() for r in rows.values()
               if r.kind == "respondent_list")


def test_a_file_that_breaks_the_desk_is_quarantined_and_the_others_go_on(fast_ws, monkeypatch):
    from automation.ledger.submissions import Submissions

    sent = _lists(fast_ws / "inbox")
    poison = sent[f"DS {UNITS[2]}.docx"]
    store = Submissions.store_extraction

    def broken(self, sha256, kind, data):  # a bug that only this file's content reaches
        if sha256 == poison:
            raise KeyError("ho_ten")
        return store(self, sha256, kind, data)

    monkeypatch.setattr(Submissions, "store_extraction", broken)
    result = _run(fast_ws)
    assert result.claimed == len(sent)
    rows = {r.original_name: r for r in _rows(fast_ws)}
    bad = rows.pop(f"DS {UNITS[2]}.docx")
    assert bad.status == "quarantined" and [p["code"] for p in bad.problems] == ["file.processing_failed"]
    assert "KeyError" in bad.problems[0]["message"] and _sha(fast_ws / bad.path) == poison
    assert {r.status for r in rows.values()} == {"archived"} and len(rows) == len(sent) - 1
    assert not any((fast_ws / "dang-xu-ly").iterdir())


KILLER = textwrap.dedent("""
    import os, signal, sys
    import automation.intake.desk as desk
    real = desk.check_paths
    def check_paths(paths, *a, **k):  # this file makes the process die (as a crash of a reader would)
        if any("Chấn Hưng" in p.name for p in paths):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(paths, *a, **k)
    desk.check_paths = check_paths
    from automation.cli import main
    main(["process", "--workspace", sys.argv[1]])
""")


def test_a_file_that_kills_the_process_is_quarantined_after_bounded_attempts(fast_ws):
    from automation.intake.desk import MAX_ATTEMPTS

    sent = _lists(fast_ws / "inbox")
    codes = []
    for _ in range(MAX_ATTEMPTS + 3):
        run = subprocess.run([sys.executable, "-c", KILLER, str(fast_ws)], capture_output=True, text=True,
                             env={**os.environ, "CCHC_NOW": "2021-10-25T09:30:00"}, timeout=300)
        codes.append(run.returncode)
        if run.returncode == 0:
            break
    assert codes[-1] == 0 and codes[:-1] == [-signal.SIGKILL] * (len(codes) - 1)
    assert len(codes) - 1 == MAX_ATTEMPTS  # killed MAX_ATTEMPTS times, then set aside
    rows = {r.original_name: r for r in _rows(fast_ws)}
    assert set(rows) == set(sent)
    bad = rows.pop(f"DS {UNITS[2]}.docx")
    assert bad.status == "quarantined" and bad.problems[0]["code"] == "file.processing_failed"
    assert f"{MAX_ATTEMPTS} lần" in bad.problems[0]["message"]
    assert {r.status for r in rows.values()} == {"archived"}
    assert all(_sha(fast_ws / r.path) == sent[r.original_name] for r in rows.values())


def test_a_workbook_open_in_excel_waits_and_owner_files_are_never_taken(fast_ws):
    from tests.sheet_builders import list_workbook

    book = list_workbook(fast_ws / "inbox" / "Tu cham Kim Xa.xlsx")
    owner = fast_ws / "inbox" / "~$ cham Kim Xa.xlsx"  # Excel's owner file: the first two letters replaced
    owner.write_bytes(b"\x0bKim Xa clerk" + b" " * 150)
    held = process_inbox(load_settings(fast_ws), settle_timeout_s=1.5)
    assert held.claimed == 0 and book.exists() and owner.exists()
    owner.unlink()  # Excel closed
    taken = _run(fast_ws)
    assert taken.claimed == 1 and [r.original_name for r in _rows(fast_ws)] == [book.name]


def test_a_clock_set_back_does_not_reorder_versions(fast_ws, monkeypatch):
    list_document(fast_ws / "inbox" / "DS Kim Xá.docx")
    _run(fast_ws)
    monkeypatch.setenv("CCHC_NOW", "2021-10-01T08:00:00")  # the office PC's clock moved back weeks
    list_document(fast_ws / "inbox" / "DS Kim Xá (sửa).docx", rows=person_rows(29))
    _run(fast_ws)
    rows = sorted(_rows(fast_ws), key=lambda r: r.id)
    assert [(r.version, r.status) for r in rows] == [(1, "superseded"), (2, "archived")]
    assert rows[1].received_at < rows[0].received_at  # later by the ledger, earlier by the clock
    with Ledger(fast_ws / LEDGER_NAME) as ledger:
        assert ledger.submissions.latest_by_unit("respondent_list")["09079"].id == rows[1].id
