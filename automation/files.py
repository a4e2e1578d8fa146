"""Writing and moving files safely: the one place the package does it.

* Every output is written to a temporary file in its target folder (one name scheme,
  ``.~cchc-<hex><suffix>``) and moved into place with :func:`os.replace`, so a reader never sees half a
  file and a crash leaves at most a temporary file, which :func:`sweep_temps` removes.
* :func:`move` works across file systems (the inbox on a mapped drive, the archive on the local disk):
  copy to a temporary name, flush file and folder, check size and SHA-256, rename, then remove the source.
* A file a person may have edited is never replaced: :func:`save_new_version` writes beside it
  (``name-v2.docx``) unless the caller's ``why_keep`` says the file is exactly what the tool last wrote.
* Names stay within the limits of the file systems offices use (255 bytes per component).
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

TEMP_PREFIX = ".~cchc-"
NAME_MAX_BYTES = 255  # per path component, on ext4, NTFS (in UTF-16 units: fewer bytes there), SMB
PATH_MAX = 259 if os.name == "nt" else 4095  # a whole path (Windows without the long-path setting)


def temp_path(target: Path) -> Path:
    """A fresh temporary name beside ``target``, with its suffix (some writers choose the format by it)."""
    return target.with_name(f"{TEMP_PREFIX}{uuid.uuid4().hex}{target.suffix}")


def is_temp(path: Path) -> bool:
    return path.name.startswith(TEMP_PREFIX)


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_save(target: Path, save: Callable[[Path], None], *, durable: bool = False) -> Path:
    """Call ``save(tmp)`` to write a temporary file beside ``target``, then move it into place.

    ``durable`` also flushes the file and its folder to the disk before and after the rename.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    try:
        save(tmp)
        if durable:
            with tmp.open("rb+") as fh:
                os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(target.parent)
    return target


def write_bytes_atomic(target: Path, data: bytes, *, durable: bool = False) -> Path:
    return atomic_save(target, lambda tmp: tmp.write_bytes(data), durable=durable)


def write_text_atomic(target: Path, text: str, *, durable: bool = False) -> Path:
    return atomic_save(target, lambda tmp: tmp.write_text(text, encoding="utf-8"), durable=durable)


@dataclass(frozen=True)
class Moved:
    path: Path
    source_removed: bool = True  # False: copied, but the source could not be deleted (read-only share)


class MoveVerifyError(OSError):
    """The copy made across file systems does not match its source (size or SHA-256)."""


def move(src: Path, dst: Path) -> Moved:
    """Move ``src`` to ``dst`` atomically; across file systems copy, flush, verify, rename, then delete.

    When the source cannot be deleted after a verified copy (a read-only share), the copy stays and the
    result says ``source_removed=False``: the caller records that the source was taken.
    """
    src, dst = Path(src), Path(dst)
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(src, dst)
        return Moved(dst)
    except OSError as exc:
        if exc.errno != errno.EXDEV:
            raise
    size, digest = src.stat().st_size, sha256_of(src)
    tmp = temp_path(dst)
    try:
        with src.open("rb") as fin, tmp.open("wb") as fout:
            shutil.copyfileobj(fin, fout, 1 << 20)
            fout.flush()
            os.fsync(fout.fileno())
        if tmp.stat().st_size != size or sha256_of(tmp) != digest:
            raise MoveVerifyError(errno.EIO, f"copy of {src} does not match it")
        os.replace(tmp, dst)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(dst.parent)
    try:
        src.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        if exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM, errno.EBUSY):
            return Moved(dst, source_removed=False)
        raise
    return Moved(dst)


def fit_name(name: str, max_bytes: int = NAME_MAX_BYTES, keep_prefix: str = "") -> str:
    """``name`` shortened (UTF-8 bytes) to fit one path component, keeping ``keep_prefix`` and the extension."""
    if len(name.encode("utf-8")) <= max_bytes:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot or len(ext) > 16:
        stem, ext = name, ""
    suffix = f".{ext}" if ext else ""
    body = stem[len(keep_prefix):] if keep_prefix and stem.startswith(keep_prefix) else stem
    room = max_bytes - len((keep_prefix + "…" + suffix).encode("utf-8"))
    cut = body.encode("utf-8")[:max(room, 1)].decode("utf-8", "ignore")
    return f"{keep_prefix}{cut}…{suffix}"


def path_room(folder: Path, max_bytes: int = NAME_MAX_BYTES) -> int:
    """How many bytes a new name in ``folder`` may have: 255 per component, and the whole path within the
    platform's limit (4096 bytes on Linux; 260 characters on Windows without long paths)."""
    full = PATH_MAX - len(os.fsencode(str(Path(folder).absolute()))) - 1
    return max(16, min(max_bytes, full))


def unique_path(path: Path, sep: str = "-", max_bytes: int = NAME_MAX_BYTES) -> Path:
    """``path``, or ``name-2.ext``, ``name-3.ext``… when it exists (never overwrite); the name shortened to
    ``max_bytes`` and the platform's path limit, keeping its extension."""
    room = path_room(path.parent, max_bytes)
    path = path.with_name(fit_name(path.name, room))
    if not path.exists():
        return path
    n = 2
    while True:
        stem = fit_name(path.name, room - len(f"{sep}{n}".encode()))
        base = Path(stem)
        cand = path.with_name(f"{base.stem}{sep}{n}{base.suffix}")
        if not cand.exists():
            return cand
        n += 1


def owned(name: str, others) -> bool:
    """Does one of the file names ``others`` hold an Office owner file for ``name``?  Word and Excel write
    ``~$`` + the name, its first two letters replaced when the name is long, so the owner's name without ``~$``
    ends the file's name."""
    low = name.lower()
    return any(o.startswith("~$") and len(o) > 2 and low.endswith(o[2:].lower()) for o in others)


def open_in_office(path: Path) -> bool:
    """Word or Excel has ``path`` open: its owner file ``~$…`` is beside it (:func:`owned`)."""
    folder = path.parent
    if not folder.is_dir():
        return False
    return owned(path.name, (p.name for p in folder.iterdir()))


def identity(path: Path) -> tuple[int, int] | None:
    """(device, inode) of ``path``, None when it does not exist: tells a file or folder from one made again
    under the same name."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


WhyKeep = Callable[[Path], "str | None"]


@dataclass(frozen=True)
class Saved:
    path: Path  # where the new file went
    kept: Path | None = None  # the file left in the target's place, if any
    reason: str | None = None  # why it was kept ("đã được sửa", "đang mở trong Word" …)


def save_new_version(target: Path, save: Callable[[Path], None], why_keep: WhyKeep, *, sep: str = "-v",
                     open_reason: str = "đang mở") -> Saved:
    """Write ``target`` unless the file there must be kept; then write ``<stem>-v2<suffix>`` (``-v3`` …).

    ``why_keep(path)`` returns None when ``path`` may be replaced (it is what the tool last wrote there and
    nobody has it open), else the reason, in Vietnamese, to keep it.  A file Windows refuses to replace
    (held open without an owner file) is kept too, with ``open_reason``.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = temp_path(target)
    skip: dict[Path, str] = {}
    try:
        save(tmp)
        while True:
            kept = reason = None
            n, cand = 1, target
            while cand.exists() or cand in skip:
                why = skip.get(cand) or why_keep(cand)
                if why is None:
                    break
                kept, reason = cand, why
                n += 1
                cand = target.with_name(f"{target.stem}{sep}{n}{target.suffix}")
            try:
                os.replace(tmp, cand)
                return Saved(cand, kept, reason)
            except PermissionError:
                if len(skip) >= 20:
                    raise
                skip[cand] = open_reason
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


EDITED = "đã được sửa"
OPEN = "đang mở"
NOT_OURS = "không do chương trình ghi"


def save_editable(target: Path, save: Callable[[Path], None], recorded: Callable[[Path], "str | None"],
                  record: Callable[[Path, str], None], *, open_reason: str = OPEN) -> Saved:
    """Write an output a person may edit (a form, the entry workbook, the status sheet): replace the file in
    ``target``'s place only if it is byte for byte what the tool last wrote there (``recorded(path)`` gives
    that SHA-256, None for a file the tool did not write) and nobody has it open; else write beside it.
    ``record(path, sha256)`` keeps the new file's hash."""
    def why_keep(path: Path) -> str | None:
        sha = recorded(path)
        if sha is None:
            return NOT_OURS
        if open_in_office(path):
            return open_reason
        try:
            return None if sha256_of(path) == sha else EDITED
        except OSError:
            return open_reason

    written: list[str] = []

    def save_and_hash(tmp: Path) -> None:
        save(tmp)
        written.append(sha256_of(tmp))

    saved = save_new_version(target, save_and_hash, why_keep, open_reason=open_reason)
    record(saved.path, written[0])
    return saved


def sweep_temps(folder: Path, recursive: bool = False) -> int:
    """Remove temporary files of interrupted writes in ``folder``; returns how many."""
    folder = Path(folder)
    if not folder.is_dir():
        return 0
    found = folder.rglob(f"{TEMP_PREFIX}*") if recursive else folder.glob(f"{TEMP_PREFIX}*")
    n = 0
    for tmp in found:
        if tmp.is_file():
            tmp.unlink(missing_ok=True)
            n += 1
    return n


def prune(folder: Path) -> None:
    """Remove ``folder`` and its sub-folders if they hold no file."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: len(p.parts), reverse=True):
        try:
            sub.rmdir()
        except OSError:
            pass
    try:
        folder.rmdir()
    except OSError:
        pass
