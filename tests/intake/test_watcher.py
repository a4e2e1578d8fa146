"""Inbox readiness and the watcher, on real files in tmp_path with real watchdog observers."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from automation.intake.scan import Candidate, StabilityTracker, is_ignored, is_ignored_path
from automation.intake.watcher import InboxWatcher


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, s: float) -> None:
        self.now += s


def wait_for(cond: Callable[[], bool], timeout: float) -> float | None:
    """Seconds until cond() became true, or None after timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return time.monotonic() - t0
        time.sleep(0.02)
    return None


def rels(cands: list[Candidate]) -> list[str]:
    return [c.rel.as_posix() for c in cands]


# -- names --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["~$DS_KimXa.docx", "~$ Kim Xá.xlsx", "~WRL0001.tmp", "~wrl3705.TMP", "~DF12AB.tmp",
                                  "abc.tmp", ".~lock.DS.docx#", "x.crdownload", "x.part", "Thumbs.db", "THUMBS.DB",
                                  "desktop.ini", "Desktop.ini", "._x.docx", ".DS_Store", ".hidden.docx", ".git"])
def test_ignored_names(name):
    assert is_ignored(name)


@pytest.mark.parametrize("name", ["DS_KimXa.docx", "Danh sách Kim Xá.docx", "Báo cáo tự đánh giá - Tứ Trưng.xlsx",
                                  "Biểu chấm điểm (bản 2).xls", "ĐỀ NGHỊ.pdf", "partial.docx", "temp.docx", "x.part1"])
def test_ordinary_names_are_not_ignored(name):
    assert not is_ignored(name)


def test_ignored_paths():
    assert is_ignored_path(Path(".Trash-1000/DS.docx"))
    assert is_ignored_path(Path("Kim Xa/~$DS.docx"))
    assert not is_ignored_path(Path("Kim Xá/DS.docx"))


# -- stability ----------------------------------------------------------------------------------------------

def test_growing_file_is_ready_only_after_the_window(tmp_path):
    clock = FakeClock()
    tracker = StabilityTracker(window_s=0.5, clock=clock)
    f = tmp_path / "DS Kim Xá.docx"
    with open(f, "wb") as out:
        for i in range(3):
            out.write(b"x" * 1000)
            out.flush()
            assert tracker.scan(tmp_path) == [], f"ready while growing (chunk {i})"
            clock.advance(0.3)
    assert tracker.scan(tmp_path) == [] and tracker.pending() == 1  # only 0.3 s unchanged
    clock.advance(0.3)
    (cand,) = tracker.scan(tmp_path)
    assert cand.path == f and cand.rel == Path(f.name) and cand.size == 3000
    assert cand.mtime_ns == f.stat().st_mtime_ns and tracker.pending() == 0


def test_growing_file_real_time(tmp_path):
    tracker = StabilityTracker(window_s=0.5)
    f = tmp_path / "bao_cao.docx"
    out = open(f, "wb")

    def writer() -> None:
        with out:
            for _ in range(3):
                out.write(b"y" * 4096)
                out.flush()
                os.fsync(out.fileno())
                time.sleep(0.3)

    t = threading.Thread(target=writer)
    t.start()
    while t.is_alive():
        assert tracker.scan(tmp_path) == []
        time.sleep(0.05)
    assert wait_for(lambda: rels(tracker.scan(tmp_path)) == ["bao_cao.docx"], 2.0) is not None


def test_empty_file_needs_three_windows(tmp_path):
    clock = FakeClock()
    tracker = StabilityTracker(window_s=0.5, clock=clock)
    (tmp_path / "empty.docx").touch()
    for _ in range(3):
        assert tracker.scan(tmp_path) == []
        clock.advance(0.5)
    assert rels(tracker.scan(tmp_path)) == ["empty.docx"]  # 1.5 s = 3 windows unchanged


def test_vanished_file_is_forgotten_and_forget(tmp_path):
    clock = FakeClock()
    tracker = StabilityTracker(window_s=0.5, clock=clock)
    (tmp_path / "a.docx").write_bytes(b"a")
    (tmp_path / "b.docx").write_bytes(b"b")
    tracker.scan(tmp_path)
    assert tracker.pending() == 2
    (tmp_path / "a.docx").unlink()
    tracker.scan(tmp_path)
    assert tracker.pending() == 1
    clock.advance(1)
    (cand,) = tracker.scan(tmp_path)
    tracker.forget(cand.path)
    assert tracker.pending() == 0 and tracker.scan(tmp_path) == []  # seen afresh: not ready yet
    assert tracker.pending() == 1


def test_subfolders_rel_paths_order_and_ignored(tmp_path):
    clock, wall = FakeClock(), FakeClock()
    tracker = StabilityTracker(window_s=0.5, clock=clock, wall=wall)
    (tmp_path / "Kim Xa").mkdir()
    (tmp_path / "Kim Xa" / "DS.docx").write_bytes(b"1")
    (tmp_path / "Kim Xa" / "~$ac thu.docx").write_bytes(b"lock")
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.docx").write_bytes(b"h")
    (tmp_path / "Thumbs.db").write_bytes(b"t")
    tracker.scan(tmp_path)
    wall.advance(5)
    (tmp_path / "A.docx").write_bytes(b"2")  # later but sorts first by name: order is by first_seen
    tracker.scan(tmp_path)
    clock.advance(1)
    cands = tracker.scan(tmp_path)
    assert rels(cands) == ["Kim Xa/DS.docx", "A.docx"]
    assert cands[0].path == tmp_path / "Kim Xa" / "DS.docx" and cands[0].first_seen == 1000.0
    tracker.forget(Path("Kim Xa/DS.docx"))  # a relative path works too
    assert rels(tracker.scan(tmp_path)) == ["A.docx"]


def test_symlinks_are_not_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.docx").write_bytes(b"s")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    try:
        (inbox / "link").symlink_to(outside, target_is_directory=True)
    except OSError:
        pytest.skip("symlinks not permitted here")
    tracker = StabilityTracker(window_s=0)
    tracker.scan(inbox)
    assert tracker.scan(inbox) == [] and tracker.pending() == 0


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads anything; needs chmod")
def test_unreadable_file_is_not_ready(tmp_path):
    f = tmp_path / "locked.docx"
    f.write_bytes(b"x")
    f.chmod(0)
    tracker = StabilityTracker(window_s=0)
    try:
        assert tracker.scan(tmp_path) == [] and tracker.scan(tmp_path) == []
        f.chmod(0o644)
        assert rels(tracker.scan(tmp_path)) == ["locked.docx"]
    finally:
        f.chmod(0o644)


def test_missing_inbox_gives_nothing_and_keeps_records(tmp_path, caplog):
    clock = FakeClock()
    tracker = StabilityTracker(window_s=0.5, clock=clock)
    assert tracker.scan(tmp_path / "nope") == []
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "DS.docx").write_bytes(b"x")
    tracker.scan(inbox)
    hidden = tmp_path / "inbox-away"
    inbox.rename(hidden)  # the share blips
    with caplog.at_level(logging.WARNING, logger="automation.intake.scan"):
        assert tracker.scan(inbox) == [] and tracker.pending() == 1
    assert "not reachable" in caplog.text
    hidden.rename(inbox)
    clock.advance(1)
    assert rels(tracker.scan(inbox)) == ["DS.docx"]


# -- the watcher --------------------------------------------------------------------------------------------

class Run:
    """A watcher running in a thread, recording the monotonic time of each pass."""

    def __init__(self, inbox: Path, on_pass: Callable[[], object] | None = None, **kw) -> None:
        self.passes: list[float] = []
        self._user = on_pass

        def record() -> object:
            self.passes.append(time.monotonic())
            return self._user() if self._user else None

        kw.setdefault("tick_s", 0.2)
        self.watcher = InboxWatcher(inbox, record, **kw)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.watcher.run, args=(self.stop,), daemon=True)
        self.thread.start()
        assert wait_for(lambda: len(self.passes) >= 1, 2.0) is not None, "no pass at start"

    def pass_after(self, action: Callable[[], object], timeout: float) -> float | None:
        """Seconds from `action` to the next pass (None if none within timeout)."""
        n = len(self.passes)
        t0 = time.monotonic()
        action()
        if wait_for(lambda: len(self.passes) > n, timeout) is None:
            return None
        return self.passes[n] - t0

    def close(self) -> float:
        t0 = time.monotonic()
        self.stop.set()
        self.thread.join(5)
        assert not self.thread.is_alive(), "run() did not end"
        return time.monotonic() - t0


@pytest.fixture
def running(tmp_path) -> Iterator[Callable[..., Run]]:
    runs: list[Run] = []

    def start(inbox: Path | None = None, **kw) -> Run:
        r = Run(inbox or tmp_path, **kw)
        runs.append(r)
        return r

    yield start
    for r in runs:
        assert r.close() < 2.0


def test_native_event_triggers_a_pass(running, tmp_path):
    r = running()
    delay = r.pass_after(lambda: (tmp_path / "DS Kim Xá.docx").write_bytes(b"x"), 2.0)
    assert delay is not None and delay < 1.0
    time.sleep(0.5)  # the ignored lock file alone does not ask for a pass
    assert r.pass_after(lambda: (tmp_path / "~$DS Kim Xá.docx").write_bytes(b"l"), 0.8) is None


def test_polling_event_triggers_a_pass(running, tmp_path):
    r = running(polling=True, polling_interval_s=0.3)
    delay = r.pass_after(lambda: (tmp_path / "DS.docx").write_bytes(b"x"), 2.5)
    assert delay is not None and delay < 0.3 + 1.0
    assert r.watcher.restarts == 0


def test_office_save_is_seen_as_the_final_name(running, tmp_path):
    tracker = StabilityTracker(window_s=0.2)
    seen: list[list[str]] = []
    r = running(on_pass=lambda: seen.append(rels(tracker.scan(tmp_path))),
                needs_tick=lambda: tracker.pending() > 0)

    def office_save() -> None:
        (tmp_path / "~$DS.docx").write_bytes(b"owner")
        (tmp_path / "~WRL0001.tmp").write_bytes(b"PK new content")
        os.replace(tmp_path / "~WRL0001.tmp", tmp_path / "DS.docx")
        (tmp_path / "~$DS.docx").unlink()

    delay = r.pass_after(office_save, 2.0)
    assert delay is not None and delay < 1.0
    assert wait_for(lambda: ["DS.docx"] in seen, 2.0) is not None  # ticks while pending, until ready
    assert {name for batch in seen for name in batch} == {"DS.docx"}


def test_inbox_removed_and_recreated(running, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = running(inbox)
    shutil.rmtree(inbox)
    time.sleep(0.3)
    inbox.mkdir()
    assert wait_for(lambda: r.watcher.restarts > 0, 5.0) is not None
    time.sleep(0.5)  # let the catch-up pass after the restart go by
    delay = r.pass_after(lambda: (inbox / "DS.docx").write_bytes(b"x"), 2.0)
    assert delay is not None and delay < 1.0


def test_inbox_renamed_away_and_replaced(running, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = running(inbox)
    inbox.rename(tmp_path / "old")  # inotify would keep watching the old folder
    inbox.mkdir()
    assert wait_for(lambda: r.watcher.restarts > 0, 5.0) is not None
    time.sleep(0.5)
    assert r.pass_after(lambda: (inbox / "DS.docx").write_bytes(b"x"), 2.0) is not None


def test_polling_survives_a_missing_inbox(running, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    r = running(inbox, polling=True, polling_interval_s=0.3)
    shutil.rmtree(inbox)
    time.sleep(0.8)  # long enough for the poller to notice and stop
    inbox.mkdir()
    assert wait_for(lambda: r.watcher.restarts > 0, 5.0) is not None
    time.sleep(0.5)
    delay = r.pass_after(lambda: (inbox / "DS.docx").write_bytes(b"x"), 2.5)
    assert delay is not None and delay < 1.3


def test_missing_inbox_at_start_is_not_fatal(running, tmp_path):
    inbox = tmp_path / "later"
    r = running(inbox)
    inbox.mkdir()
    assert wait_for(lambda: r.watcher.restarts == 1, 4.0) is not None
    time.sleep(0.5)
    assert r.pass_after(lambda: (inbox / "DS.docx").write_bytes(b"x"), 2.0) is not None


def test_dead_observer_thread_is_restarted(running, tmp_path):
    r = running()
    r.watcher._observer.stop()  # the observer thread ends as if it had crashed
    assert wait_for(lambda: r.watcher.restarts == 1, 4.0) is not None


def test_failing_pass_is_logged_and_the_loop_continues(running, tmp_path, caplog):
    calls = []

    def flaky() -> None:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("boom")

    with caplog.at_level(logging.ERROR, logger="automation.intake.watcher"):
        r = running(on_pass=flaky)
        assert r.pass_after(lambda: (tmp_path / "DS.docx").write_bytes(b"x"), 2.0) is not None
    assert "Intake pass failed" in caplog.text and "boom" in caplog.text


def test_ticks_and_rescans(running, tmp_path):
    wanted = [True]
    r = running(tick_s=0.1, rescan_s=0.6, needs_tick=lambda: wanted[0])
    assert r.pass_after(lambda: None, 0.5) is not None  # ticks while pending
    wanted[0] = False
    time.sleep(0.3)
    assert r.pass_after(lambda: None, 1.5) is not None  # the periodic rescan, without events
