"""The ledger damaged for real (garbage over its header, cut to half its size, deleted, a sidecar lost) and
its upkeep: `ledger.corrupt` in Vietnamese pointing to `cchc ledger rebuild`, nothing in the inbox touched,
the rebuild giving back every row as it was, and `cchc ledger backup` keeping the newest 14 whole backups."""

from __future__ import annotations

import sqlite3

import pytest

from tests.builders import list_document, person_rows
from tests.intake.faults import LEDGER, assert_fault, cchc, first_pass, sha, submissions

FIELDS = ("file", "sha256", "kind", "version", "status", "verdict", "path", "on_time", "duplicate_of")


def _snapshot(ws) -> dict[str, tuple]:
    return {r["file"]: (r["unit"]["code"] if r["unit"] else None, *(r[k] for k in FIELDS))
            for r in submissions(ws)}


@pytest.fixture()
def done(fast_ws):
    """A workspace after two clean passes (five files: versions, a quarantine, a workbook), and its rows."""
    first_pass(fast_ws)
    run = cchc(fast_ws, "process")
    assert run.returncode == 0, run.stderr
    before = _snapshot(fast_ws)
    assert {v[5] for v in before.values()} == {"archived", "superseded", "quarantined"}
    return fast_ws, before


def _garbage_header(path):
    with path.open("r+b") as fh:
        fh.write(b"\xde\xad\xbe\xef" * 25)


def _half(path):
    with path.open("r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


@pytest.mark.parametrize("damage", [_garbage_header, _half], ids=["garbage-header", "truncated"])
def test_damaged_ledger_is_reported_then_rebuilt(done, damage):
    ws, before = done
    ledger = ws / LEDGER
    for suffix in ("-wal", "-shm"):  # as after a clean close
        ledger.with_name(LEDGER + suffix).unlink(missing_ok=True)
    assert ledger.stat().st_size > 8192  # several pages: half of it is a real cut
    damage(ledger)
    damaged = sha(ledger)
    new = list_document(ws / "inbox" / "ds-kim-xa-v3.docx", rows=person_rows(32))
    new_sha = sha(new)

    for args in (("process",), ("submissions",), ("submissions", "--json")):
        run = cchc(ws, *args)
        assert_fault(run, "ledger.corrupt", "bị hỏng", "cchc ledger rebuild", LEDGER)
        assert sha(new) == new_sha and not [p for p in (ws / "dang-xu-ly").rglob("*") if p.is_file()]
    assert sha(ledger) == damaged  # nothing written into the damaged ledger
    check = cchc(ws, "ledger", "check")
    assert check.returncode != 0 and "[ledger.corrupt]" in check.stderr + check.stdout
    assert "Traceback" not in check.stderr

    rebuilt = cchc(ws, "ledger", "rebuild", "--yes")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "Đã dựng lại sổ theo dõi: 5 tệp theo phiếu thông tin lưu kèm, 0 tệp theo tên" in rebuilt.stdout
    [aside] = [p for p in ws.glob(LEDGER + ".hong-*")]
    assert sha(aside) == damaged
    assert _snapshot(ws) == before
    assert cchc(ws, "ledger", "check").returncode == 0

    run = cchc(ws, "process", now="2021-10-25T11:00:00")
    assert run.returncode == 0, run.stderr
    after = _snapshot(ws)
    assert after["ds-kim-xa-v3.docx"][:6] == ("09079", "ds-kim-xa-v3.docx", new_sha, "respondent_list", 3,
                                               "archived")
    v2 = before["ds-kim-xa-v2.docx"]
    assert {k: v for k, v in after.items() if k != "ds-kim-xa-v3.docx"} == \
        {**before, "ds-kim-xa-v2.docx": (*v2[:5], "superseded", *v2[6:])}


def test_lost_ledger_is_rebuilt_from_sidecars_and_names(done):
    ws, before = done
    for suffix in ("", "-wal", "-shm"):
        (ws / (LEDGER + suffix)).unlink(missing_ok=True)
    rebuilt = cchc(ws, "ledger", "rebuild", "--yes")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert _snapshot(ws) == before
    assert not list(ws.glob(LEDGER + ".hong-*"))  # there was nothing to keep

    # one sidecar lost too: that file gets its row from its folder and name
    rows = {r["file"]: r for r in submissions(ws)}
    tam_phuc = rows["ds-tam-phuc.docx"]
    [card] = [p for p in (ws / "luu-tru" / "_so-lieu").glob("*.json") if tam_phuc["sha256"] in p.read_text()]
    card.unlink()
    for suffix in ("", "-wal", "-shm"):
        (ws / (LEDGER + suffix)).unlink(missing_ok=True)
    rebuilt = cchc(ws, "ledger", "rebuild", "--yes")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "4 tệp theo phiếu thông tin lưu kèm, 1 tệp theo tên và thư mục" in rebuilt.stdout
    after = _snapshot(ws)
    assert set(after) == set(before)
    got = after["ds-tam-phuc.docx"]
    unit, _file, digest, kind, version, status, _verdict, path, *_ = got
    assert (unit, digest, kind, version, status, path) == ("09142", tam_phuc["sha256"], "respondent_list", 1,
                                                           "archived", tam_phuc["path"])
    assert {k: v for k, v in after.items() if "tam-phuc" not in k} == \
        {k: v for k, v in before.items() if "tam-phuc" not in k}
    assert cchc(ws, "ledger", "check").returncode == 0


def test_backup_is_whole_and_the_newest_14_are_kept(done):
    ws, before = done
    made = []
    for second in range(15):
        run = cchc(ws, "ledger", "backup", now=f"2021-10-25T10:00:{second:02d}")
        assert run.returncode == 0, run.stderr
        made.append(ws / "luu-tru" / "_sao-luu" / f"so-theo-doi-20211025-1000{second:02d}.sqlite3")
        assert made[-1].name in run.stdout and made[-1].exists()
    kept = sorted((ws / "luu-tru" / "_sao-luu").iterdir())
    assert kept == made[1:]  # the oldest removed, no temporary file left
    db = sqlite3.connect(f"file:{made[-1]}?mode=ro", uri=True)
    try:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert db.execute("SELECT count(*) FROM submissions").fetchone()[0] == len(before) == 5
        assert sorted(r[0] for r in db.execute("SELECT original_name FROM submissions")) == sorted(before)
    finally:
        db.close()
