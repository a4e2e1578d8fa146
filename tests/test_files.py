"""automation/files.py: atomic writes, moves across file systems, names within limits, never clobber."""

import os
import tempfile
from pathlib import Path

import pytest

from automation import files


def test_atomic_save_leaves_nothing_half_written(tmp_path):
    target = tmp_path / "a" / "b.txt"
    files.write_text_atomic(target, "một")

    def boom(tmp: Path) -> None:
        tmp.write_text("nửa chừng")
        raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError):
        files.atomic_save(target, boom)
    assert target.read_text(encoding="utf-8") == "một" and list(target.parent.iterdir()) == [target]


def test_sweep_removes_only_temporary_files(tmp_path):
    (tmp_path / "sub").mkdir()
    for name in (".~cchc-1.docx", "sub/.~cchc-2.xlsx", "keep.docx"):
        (tmp_path / name).write_bytes(b"x")
    assert files.sweep_temps(tmp_path) == 1 and (tmp_path / "sub/.~cchc-2.xlsx").exists()
    assert files.sweep_temps(tmp_path, recursive=True) == 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == ["keep.docx"]


@pytest.fixture()
def other_device(tmp_path):
    """A folder on another file system than tmp_path (the RAM disk), as a mapped network share would be."""
    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("no second file system here")
    with tempfile.TemporaryDirectory(dir=shm) as d:
        yield Path(d)


def test_move_across_file_systems_copies_verifies_and_removes(tmp_path, other_device):
    src = other_device / "DS Kim Xá.docx"
    src.write_bytes(os.urandom(3 * 1024 * 1024))
    data = src.read_bytes()
    moved = files.move(src, tmp_path / "luu-tru" / "v01-DS Kim Xá.docx")
    assert moved.source_removed and not src.exists()
    assert moved.path.read_bytes() == data and [p.name for p in moved.path.parent.iterdir()] == [moved.path.name]


def test_move_keeps_the_copy_when_the_source_cannot_be_deleted(tmp_path, other_device):
    if os.geteuid() == 0:
        pytest.skip("root deletes from read-only folders")
    folder = other_device / "ro"
    folder.mkdir()
    src = folder / "a.docx"
    src.write_bytes(b"abc")
    folder.chmod(0o555)
    try:
        moved = files.move(src, tmp_path / "a.docx")
    finally:
        folder.chmod(0o755)
    assert not moved.source_removed and moved.path.read_bytes() == b"abc" and src.exists()


def test_names_stay_within_255_bytes_and_keep_extension_and_prefix():
    long = "Danh sách người dân giao dịch thủ tục hành chính xã Kim Xá " * 6 + ".docx"
    assert len(long.encode()) > 255
    short = files.fit_name(long)
    assert len(short.encode()) <= 255 and short.endswith(".docx") and short.startswith("Danh sách")
    assert files.fit_name("v01-" + long, keep_prefix="v01-").startswith("v01-")
    assert files.fit_name("ngắn.docx") == "ngắn.docx"


def test_unique_path_never_overwrites(tmp_path):
    (tmp_path / "a.docx").write_bytes(b"1")
    (tmp_path / "a-2.docx").write_bytes(b"2")
    assert files.unique_path(tmp_path / "a.docx") == tmp_path / "a-3.docx"
    long = tmp_path / ("x" * 254 + ".docx")
    assert len(files.unique_path(long).name.encode()) <= 255


def test_save_new_version_writes_beside_a_file_it_must_keep(tmp_path):
    target = tmp_path / "du-thao.docx"
    target.write_bytes(b"edited by staff")
    saved = files.save_new_version(target, lambda tmp: tmp.write_bytes(b"new"), lambda p: "đã được sửa")
    assert target.read_bytes() == b"edited by staff"
    assert (saved.path.name, saved.kept, saved.reason) == ("du-thao-v2.docx", target, "đã được sửa")
    again = files.save_new_version(target, lambda tmp: tmp.write_bytes(b"newer"),
                                   lambda p: None if p.name.endswith("-v2.docx") else "đã được sửa")
    assert again.path == saved.path and saved.path.read_bytes() == b"newer"


def test_open_in_office_sees_the_owner_file(tmp_path):
    book = tmp_path / "tham-dinh-2021.xlsm"
    book.write_bytes(b"x")
    assert not files.open_in_office(book)
    (tmp_path / "~$am-dinh-2021.xlsm").write_bytes(b"owner")
    assert files.open_in_office(book)
