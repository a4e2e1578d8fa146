"""A workspace-wide lock held by the process that processes the inbox.

An operating-system file lock (``fcntl.flock`` on POSIX, ``msvcrt.locking`` on Windows): the system
releases it when the holder dies, even by SIGKILL, so a crash never leaves the workspace locked.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from automation.problems import LockTimeout  # workspace.locked, in the problem catalogue

__all__ = ["LockTimeout", "WorkspaceLock"]


class WorkspaceLock:
    """Re-entrant within one process: code already holding the workspace's lock (a pass of the desk that
    rebuilds the appraisal workbook) may take it again without waiting for itself."""

    _held: dict[str, int] = {}  # lock file -> how many holders in this process

    def __init__(self, path: Path):
        self.path = Path(path)
        self._fd: int | None = None
        self._nested = False

    def _try(self) -> bool:
        if os.name == "nt":  # pragma: no cover - exercised on the office PCs
            import msvcrt  # noqa: PLC0415
            try:
                msvcrt.locking(self._fd, msvcrt.LK_NBLCK, 1)
                return True
            except OSError:
                return False
        import fcntl  # noqa: PLC0415
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except OSError:
            return False

    def acquire(self, timeout: float | None = None, poll: float = 0.2) -> None:
        """Wait for the lock; ``timeout`` None waits for ever; raises LockTimeout."""
        key = str(self.path.resolve())
        if WorkspaceLock._held.get(key):
            WorkspaceLock._held[key] += 1
            self._nested = True
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._try():
            if deadline is not None and time.monotonic() >= deadline:
                os.close(self._fd)
                self._fd = None
                raise LockTimeout(self.path)
            time.sleep(poll)
        WorkspaceLock._held[key] = 1

    def release(self) -> None:
        key = str(self.path.resolve())
        if self._nested:
            WorkspaceLock._held[key] -= 1
            self._nested = False
            return
        if self._fd is None:
            return
        WorkspaceLock._held.pop(key, None)
        if os.name == "nt":  # pragma: no cover
            import msvcrt  # noqa: PLC0415
            try:
                os.lseek(self._fd, 0, os.SEEK_SET)
                msvcrt.locking(self._fd, msvcrt.LK_UNLCK, 1)
            except OSError:
                pass
        os.close(self._fd)  # closing releases a flock
        self._fd = None

    def __enter__(self) -> "WorkspaceLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
