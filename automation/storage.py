"""Storage faults in words: a full disk, a read-only folder, a damaged ledger.

The one place an :class:`OSError` or a :mod:`sqlite3` error of the machine (not of a commune's file) becomes a
problem of the catalogue: ``storage.full``, ``storage.read_only`` or ``ledger.corrupt``.  The desk lets such a
fault stop the pass (the file it was working on stays claimed, nothing is half-written, the next pass finishes
it) instead of quarantining a good file for a fault of the office's disk; the command line and ``cchc watch``
show the message.
"""

from __future__ import annotations

import errno
import sqlite3

from automation.problems import CchcError, Problem, problem

_FULL = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG}
_READ_ONLY = {errno.EROFS, errno.EACCES, errno.EPERM}
_SQLITE_FULL = ("database or disk is full", "disk is full")
_SQLITE_READ_ONLY = ("readonly database", "read-only", "unable to open database file")
_SQLITE_CORRUPT = ("malformed", "not a database", "file is encrypted", "corrupt")
# "disk I/O error" that is a full disk: the WAL index (-shm) could not grow (opening the ledger, no room left)
_SQLITE_FULL_CODES = {"SQLITE_IOERR_SHMSIZE"}


class StorageError(CchcError):
    """The machine's storage refused a write, or the ledger is damaged (storage.*, ledger.corrupt)."""

    def __init__(self, p: Problem, cause: BaseException | None = None):
        self.problem = p
        self.cause = cause
        Exception.__init__(self, p.message)


def problem_of(exc: BaseException, path: object = None) -> Problem | None:
    """The storage problem ``exc`` is, or None when it is not a fault of the storage.

    ``path`` names the file or folder when the error does not (sqlite3 errors never do)."""
    if isinstance(exc, StorageError):
        return exc.problem
    if isinstance(exc, sqlite3.Error):
        text = str(exc).lower()
        where = str(path) if path is not None else "sổ theo dõi"
        if any(t in text for t in _SQLITE_FULL) or getattr(exc, "sqlite_errorname", None) in _SQLITE_FULL_CODES:
            return problem("storage.full", path=where)
        if any(t in text for t in _SQLITE_READ_ONLY):
            return problem("storage.read_only", path=where)
        if isinstance(exc, sqlite3.DatabaseError) and (
                any(t in text for t in _SQLITE_CORRUPT) or "disk i/o error" in text):
            return problem("ledger.corrupt", path=where, detail=str(exc))
        return None
    if isinstance(exc, OSError) and exc.errno is not None:
        where = exc.filename if exc.filename is not None else path
        where = str(where) if where is not None else "thư mục làm việc"
        if exc.errno in _FULL:
            return problem("storage.full", path=where)
        if exc.errno in _READ_ONLY:
            return problem("storage.read_only", path=where)
    return None


def is_storage_fault(exc: BaseException) -> bool:
    return problem_of(exc) is not None


def as_storage_error(exc: BaseException, path: object = None) -> StorageError | None:
    p = problem_of(exc, path)
    if p is None:
        return None
    return exc if isinstance(exc, StorageError) else StorageError(p, exc)
