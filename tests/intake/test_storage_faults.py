"""Storage faults built for real: a small tmpfs filled to the brim, read-only bind mounts of the outbox, the
archive and the ledger.  `cchc process` stops with `storage.full` / `storage.read_only` in Vietnamese (never
`internal.error`, never a traceback), nothing is half-written or lost, and the next pass, once the fault is
cleared, completes everything with one ledger row per file."""

from __future__ import annotations

import os
import shutil

import pytest

from tests.intake.faults import (EXPECTED, assert_all_done, assert_fault, assert_nothing_half_written, cchc,
                                 first_pass, mount, mount_read_only, rows, umount, where)

pytestmark = pytest.mark.skipif(os.name != "posix", reason="mounts are Linux")


def _fill(mnt, leave_kb: int):
    """A filler file that takes all the space of ``mnt`` but ``leave_kb`` KiB; its path."""
    filler = mnt / "filler"
    with filler.open("wb") as fh:
        try:
            while True:
                fh.write(b"\0" * 65536)
                fh.flush()
        except OSError as exc:
            assert exc.errno == 28
    os.truncate(filler, max(0, filler.stat().st_size - leave_kb * 1024))
    return filler


# Where the fault lands with this room left (the files are ~40 KiB each): opening the ledger (its WAL index
# cannot grow), its first write, the archive and the sidecars, the letters, the appraisal workbook.
@pytest.mark.parametrize("leave_kb", [0, 8, 48, 200, 300, 430])
def test_disk_full_stops_the_pass_and_the_next_one_finishes(fast_ws, tmp_path, request, leave_kb):
    mnt = tmp_path / "tmpfs"
    mnt.mkdir()
    mount(request, "-t", "tmpfs", "-o", "size=8m", "tmpfs", target=mnt)
    ws = mnt / "ws"
    shutil.copytree(fast_ws, ws)
    shas = first_pass(ws)
    filler = _fill(mnt, leave_kb)

    run = cchc(ws, "process")
    assert_fault(run, "storage.full", "đã đầy", "không tệp nào bị mất")
    filler.unlink()
    assert_nothing_half_written(ws, shas)
    assert all(p.parts[0] in ("inbox", "dang-xu-ly", "luu-tru", "cach-ly") for v in where(ws, shas).values()
               for p in v)

    again = cchc(ws, "process")
    assert again.returncode == 0, again.stderr
    recorded = assert_all_done(ws, shas)
    assert len(recorded) == len(EXPECTED)


@pytest.mark.parametrize("folder, filed", [("outbox", True), ("luu-tru", False)])
def test_read_only_folder_stops_the_pass_and_the_next_one_finishes(fast_ws, request, folder, filed):
    shas = first_pass(fast_ws)
    target = fast_ws / folder
    mount_read_only(request, target)

    run = cchc(fast_ws, "process")
    assert_fault(run, "storage.read_only", "chỉ cho phép đọc", str(target))
    places = where(fast_ws, shas)
    assert all(len(v) == 1 for v in places.values()), places
    new = [name for name in shas if name != "ds-kim-xa.docx"]
    if filed:  # the desk filed everything; the letters and the workbook are what could not be written
        assert all(places[n][0].parts[0] in ("luu-tru", "cach-ly") for n in new), places
    else:  # nothing could be filed: every new file stays claimed (or still in the inbox)
        assert all(places[n][0].parts[0] in ("inbox", "dang-xu-ly") for n in new), places
        assert {r["original_name"]: r["status"] for r in rows(fast_ws)}["ds-kim-xa.docx"] == "archived"

    umount(target)
    assert_nothing_half_written(fast_ws, shas)
    again = cchc(fast_ws, "process")
    assert again.returncode == 0, again.stderr
    assert_all_done(fast_ws, shas)


def test_read_only_ledger_stops_the_pass_and_the_next_one_finishes(fast_ws, request):
    """The ledger file alone read-only (its folder writable, as when a copy came back from a CD or a share
    with read-only rights on the file): SQLite opens it read-only and refuses the first write."""
    shas = first_pass(fast_ws)
    ledger = fast_ws / "so-theo-doi.sqlite3"
    before = rows(fast_ws)
    mount_read_only(request, ledger)

    run = cchc(fast_ws, "process")
    assert_fault(run, "storage.read_only", "chỉ cho phép đọc", "so-theo-doi.sqlite3")
    places = where(fast_ws, shas)
    assert all(len(v) == 1 and v[0].parts[0] in ("inbox", "dang-xu-ly") for n, v in places.items()
               if n != "ds-kim-xa.docx"), places
    assert rows(fast_ws) == before

    umount(ledger)
    again = cchc(fast_ws, "process")
    assert again.returncode == 0, again.stderr
    assert_all_done(fast_ws, shas)
