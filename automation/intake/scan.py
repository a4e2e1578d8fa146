"""Which inbox files are ready: ignored names and a size+mtime stability check.

Portable (Windows office PCs and Linux): only ``os.scandir``/``os.stat``/``os.open``, no platform APIs.
"""

from __future__ import annotations

import fnmatch
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from automation import files

log = logging.getLogger(__name__)

# Office/LibreOffice locks and temp files, partial downloads and copies, OS litter. Matched case-insensitively.
IGNORED_PATTERNS: tuple[str, ...] = (
    "~$*",  # Office owner/lock file (Word may overwrite the first characters of the name: match the prefix)
    "~WR*.tmp", "~*.tmp", "*.tmp",  # Word/Excel save temporaries
    ".~lock.*#",  # LibreOffice lock
    "*.crdownload", "*.part",  # browser downloads in progress
    "Thumbs.db", "desktop.ini", "._*", ".DS_Store",  # Windows and macOS litter
    ".*",  # anything hidden
)
OWNER_WAIT_S = 600.0  # a file open in Word/Excel is taken after this long unchanged (a stale owner file)
_PATTERNS_LOWER = tuple(p.lower() for p in IGNORED_PATTERNS)


def is_ignored(name: str) -> bool:
    """True if a file or folder NAME (one path component) is never a submission."""
    low = name.lower()
    return any(fnmatch.fnmatchcase(low, pat) for pat in _PATTERNS_LOWER)


def is_ignored_path(rel: Path) -> bool:
    """True if any component of ``rel`` (relative to the inbox) is ignored, e.g. a file in a hidden folder."""
    return any(is_ignored(part) for part in Path(rel).parts)


@dataclass(frozen=True)
class Candidate:
    """A file that looks complete and may be claimed."""

    path: Path  # absolute
    rel: Path  # relative to the inbox, e.g. Path("Kim Xa/DS.docx")
    size: int
    mtime_ns: int
    first_seen: float  # wall clock (time.time()) when the tracker first saw the file


@dataclass
class _Seen:
    rel: Path
    size: int
    mtime_ns: int
    since: float  # monotonic time when this (size, mtime) was first observed
    first_seen: float
    ready: bool = False


def _can_open(path: Path) -> bool:
    """True if the file opens for reading; False while a writer holds it (Windows sharing violation)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
    except OSError:  # PermissionError = locked by Word/Excel/Explorer copy; anything else: retry later too
        return False
    os.close(fd)
    return True


class StabilityTracker:
    """Remembers size+mtime of each inbox file across scans; a file is ready when both were unchanged for
    `window_s` seconds (measured with `clock`) AND it can be opened for reading (a PermissionError, i.e. a
    Windows sharing violation, means a program still holds it) AND it is not empty-and-young (a 0-byte file
    is ready only after 3*window_s, since copies start empty)."""

    def __init__(self, window_s: float = 2.0, clock: Callable[[], float] = time.monotonic,
                 wall: Callable[[], float] = time.time) -> None:
        self.window_s = window_s
        self._clock = clock
        self._wall = wall
        self._seen: dict[Path, _Seen] = {}  # keyed by absolute path
        self._inbox: Path | None = None
        self._inbox_down = False

    def scan(self, inbox: Path) -> list[Candidate]:
        """Walk ``inbox`` (recursively, symlinks not followed), record observations and return the files
        ready now, sorted by (first_seen, rel). Files that disappeared are forgotten. Never raises for a
        file or folder that vanishes or is unreadable mid-scan; a missing/unreachable inbox gives []."""
        root = Path(os.path.abspath(inbox))
        self._inbox = root
        now = self._clock()
        present: set[Path] = set()
        failed_dirs: list[Path] = []  # unreadable this round: keep what we knew about their files
        stack = [Path()]
        while stack:
            rel_dir = stack.pop()
            try:
                with os.scandir(root / rel_dir) as it:
                    entries = list(it)
            except OSError as exc:
                if rel_dir == Path():
                    if not self._inbox_down:
                        log.warning("Inbox %s is not reachable, will retry: %s", root, exc)
                    self._inbox_down = True
                    return []
                log.info("Skipping folder %s this round: %s", root / rel_dir, exc)
                failed_dirs.append(root / rel_dir)
                continue
            if rel_dir == Path() and self._inbox_down:
                log.info("Inbox %s is reachable again", root)
                self._inbox_down = False
            owners = [e.name for e in entries if e.name.startswith("~$")]
            for entry in entries:
                if is_ignored(entry.name):
                    continue
                rel = rel_dir / entry.name
                try:
                    if entry.is_symlink() or getattr(entry, "is_junction", lambda: False)():
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(rel)
                        continue
                    if not entry.is_file(follow_symlinks=False):
                        continue
                    st = entry.stat(follow_symlinks=False)
                except FileNotFoundError:
                    continue  # vanished: forgotten below
                except OSError as exc:
                    log.info("Skipping %s this round: %s", root / rel, exc)
                    present.add(root / rel)  # keep its record
                    continue
                present.add(root / rel)
                held = bool(owners) and files.owned(entry.name, owners)
                self._observe(root / rel, rel, st.st_size, st.st_mtime_ns, now, held)

        for path in [p for p in self._seen if p not in present]:
            if not any(d in path.parents for d in failed_dirs):
                del self._seen[path]
        ready = [Candidate(p, s.rel, s.size, s.mtime_ns, s.first_seen) for p, s in self._seen.items() if s.ready]
        return sorted(ready, key=lambda c: (c.first_seen, c.rel))

    def _observe(self, path: Path, rel: Path, size: int, mtime_ns: int, now: float, held: bool = False) -> None:
        """``held``: Word or Excel has the file open (its owner file ``~$…`` is beside it); it is waited for,
        up to :data:`OWNER_WAIT_S` of no change (an owner file left by a crash must not hold it for ever)."""
        seen = self._seen.get(path)
        if seen is None or (seen.size, seen.mtime_ns) != (size, mtime_ns):
            first = seen.first_seen if seen else self._wall()
            self._seen[path] = _Seen(rel, size, mtime_ns, since=now, first_seen=first)
            return
        needed = self.window_s if size > 0 else 3 * self.window_s
        if held:
            needed = max(needed, OWNER_WAIT_S)
        seen.ready = now - seen.since >= needed and _can_open(path)

    def pending(self) -> int:
        """How many files were seen but were not ready at the last scan."""
        return sum(1 for s in self._seen.values() if not s.ready)

    def forget(self, path: Path) -> None:
        """Drop what we know about ``path`` (absolute, or relative to the inbox) after the caller claimed it."""
        p = Path(path)
        if not p.is_absolute() and self._inbox is not None:
            p = self._inbox / p
        self._seen.pop(Path(os.path.abspath(p)), None)
