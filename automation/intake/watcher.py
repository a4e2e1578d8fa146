"""When to run an intake pass: watchdog events as hints, ticks while files are pending, periodic rescans.

The observer is supervised and restarted with back-off; a missing inbox (a share that blipped) is never fatal.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import BaseObserver
from watchdog.observers.polling import PollingObserver

from automation.intake.scan import is_ignored_path

log = logging.getLogger(__name__)

_STEP_S = 0.1  # how often the loop wakes to look at its timers
_MAX_DELAY_S = 1.0  # a stream of events never delays a pass longer than this
_BACKOFF_MIN_S, _BACKOFF_MAX_S = 1.0, 30.0


class _Hints(FileSystemEventHandler):
    """Turns create/modify/move/close events of non-ignored files into a 'dirty' mark on the watcher."""

    def __init__(self, watcher: InboxWatcher) -> None:
        self._watcher = watcher

    def _hint(self, raw: str | bytes, *, dirs: bool, event: FileSystemEvent) -> None:
        if not raw or (event.is_directory and not dirs):
            return  # a folder's own "modified" fires for every change inside it, including ignored files
        path = Path(os.fsdecode(raw))
        try:
            rel = path.relative_to(self._watcher.inbox)
        except ValueError:
            rel = Path(path.name)  # moved out of the inbox, or a path spelled differently: judge by its name
        if not is_ignored_path(rel):
            self._watcher.mark_dirty()

    def on_created(self, event: FileSystemEvent) -> None:
        self._hint(event.src_path, dirs=True, event=event)

    def on_modified(self, event: FileSystemEvent) -> None:
        self._hint(event.src_path, dirs=False, event=event)

    def on_moved(self, event: FileSystemEvent) -> None:
        self._hint(event.dest_path, dirs=True, event=event)

    def on_closed(self, event: FileSystemEvent) -> None:  # Linux (inotify IN_CLOSE_WRITE) only
        self._hint(event.src_path, dirs=False, event=event)


def _identity(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


class InboxWatcher:
    """Runs `on_pass()` whenever files may be ready: after watchdog events (debounced), every `tick_s` while
    `needs_tick()` says files are pending, and a full rescan every `rescan_s` seconds regardless of events
    (events are hints, not truth). Native observer by default, watchdog's PollingObserver when polling=True
    (shared folders: inotify misses changes made by other SMB/NFS clients). The observer is supervised: if
    its thread or its emitter dies, it fails to start, or the inbox disappears or is replaced, it is stopped
    and restarted with back-off (1 s doubling to 30 s) while rescans continue."""

    def __init__(self, inbox: Path, on_pass: Callable[[], object], *, polling: bool = False,
                 polling_interval_s: float = 5.0, tick_s: float = 1.0, rescan_s: float = 60.0,
                 needs_tick: Callable[[], bool] = lambda: False, debounce_s: float = 0.25) -> None:
        self.inbox = Path(os.path.abspath(inbox))
        self._on_pass, self._needs_tick = on_pass, needs_tick
        self.polling, self.polling_interval_s = polling, polling_interval_s
        self.tick_s, self.rescan_s, self.debounce_s = tick_s, rescan_s, debounce_s
        self._lock = threading.Lock()
        self._dirty_since: float | None = None
        self._last_event = 0.0
        self._observer: BaseObserver | None = None
        self._identity: tuple[int, int] | None = None
        self._started_at = 0.0
        self._retry_at: float | None = None
        self._backoff = _BACKOFF_MIN_S
        self._restarts = 0

    @property
    def restarts(self) -> int:
        """How many times the observer was (re)started after the first attempt."""
        return self._restarts

    def mark_dirty(self) -> None:
        """Ask for a pass soon (called from the observer thread on every relevant event)."""
        now = time.monotonic()
        with self._lock:
            self._last_event = now
            if self._dirty_since is None:
                self._dirty_since = now

    def run(self, stop: threading.Event) -> None:
        """Loop until `stop` is set: one pass at start, then passes on events, ticks and rescans."""
        try:
            self._start_observer(first=True)
            self._pass()
            next_tick, next_rescan = time.monotonic() + self.tick_s, time.monotonic() + self.rescan_s
            while not stop.wait(_STEP_S):
                now = time.monotonic()
                wanted = self._take_dirty(now) or now >= next_rescan
                if now >= next_tick:
                    next_tick = now + self.tick_s
                    self._supervise(now)
                    wanted = wanted or self._ask_tick()
                if wanted and not stop.is_set():
                    self._pass()
                    next_rescan = time.monotonic() + self.rescan_s
        finally:
            self._stop_observer()

    def _take_dirty(self, now: float) -> bool:
        with self._lock:
            due = self._dirty_since is not None and (now - self._last_event >= self.debounce_s
                                                     or now - self._dirty_since >= _MAX_DELAY_S)
            if due:
                self._dirty_since = None  # events arriving during the pass ask for another one
            return due

    def _ask_tick(self) -> bool:
        try:
            return bool(self._needs_tick())
        except Exception:
            log.exception("needs_tick() failed; treating it as False")
            return False

    def _pass(self) -> None:
        try:
            self._on_pass()
        except Exception:
            log.exception("Intake pass failed; the watcher keeps running")

    # -- observer supervision -------------------------------------------------------------------------------

    def _problem(self) -> str | None:
        """Why the running observer cannot be trusted any more, or None if it looks fine."""
        obs = self._observer
        if obs is None or not obs.is_alive():
            return "its thread ended"
        emitters = list(obs.emitters)
        if not emitters or not all(e.is_alive() for e in emitters):
            return "it stopped watching (the folder was deleted?)"  # watchdog stops the emitter itself
        try:
            ident = _identity(self.inbox)
        except OSError as exc:
            return f"the folder is not reachable: {exc}"
        # inotify keeps watching a folder that was renamed away; polling watches by path, so only native cares
        if not self.polling and 0 not in ident and ident != self._identity:
            return "the folder was replaced"
        return None

    def _supervise(self, now: float) -> None:
        if self._observer is not None:
            problem = self._problem()
            if problem is None:
                if now - self._started_at >= _BACKOFF_MAX_S:
                    self._backoff = _BACKOFF_MIN_S
                return
            log.warning("File watcher on %s failed (%s); restarting in %.0f s", self.inbox, problem, self._backoff)
            self._stop_observer()
            self._schedule_retry(now)
        elif self._retry_at is not None and now >= self._retry_at:
            self._start_observer(first=False)

    def _schedule_retry(self, now: float) -> None:
        self._retry_at = now + self._backoff
        self._backoff = min(self._backoff * 2, _BACKOFF_MAX_S)

    def _start_observer(self, *, first: bool) -> None:
        obs: BaseObserver = (PollingObserver(timeout=self.polling_interval_s) if self.polling else Observer())
        try:
            ident = _identity(self.inbox)
            obs.schedule(_Hints(self), str(self.inbox), recursive=True)
            obs.start()
        except Exception as exc:  # missing inbox, unreachable share, inotify limits...: retry later
            log.warning("Cannot watch %s (%s); retrying in %.0f s, rescans continue", self.inbox, exc,
                        self._backoff)
            self._schedule_retry(time.monotonic())
            return
        self._observer, self._identity = obs, ident
        self._started_at, self._retry_at = time.monotonic(), None
        if not first:
            self._restarts += 1
            log.info("File watcher on %s restarted (%d restarts)", self.inbox, self._restarts)
            self.mark_dirty()  # events were lost while it was down

    def _stop_observer(self) -> None:
        obs, self._observer = self._observer, None
        try:
            if obs is not None:
                obs.stop()
                obs.join(timeout=2.0)
        except Exception:
            log.exception("Error while stopping the file watcher on %s", self.inbox)
