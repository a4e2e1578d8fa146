"""`cchc watch` end to end: a file dropped while it runs gets its ledger entry within seconds."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from automation.config import init_workspace
from automation.ledger.db import LEDGER_NAME, Ledger
from tests.builders import list_document


def _ledger_names(ws):
    if not (ws / LEDGER_NAME).exists():
        return set()
    with Ledger(ws / LEDGER_NAME) as ledger:
        return {s.original_name for s in ledger.submissions.all() if s.status != "processing"}


@pytest.mark.parametrize("polling", [False, True])
def test_watch_takes_a_dropped_file(tmp_path, polling):
    ws = init_workspace(tmp_path / "ws")
    toml = ws / "cchc.toml"
    text = toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.3")
    text = text.replace("polling = false", f"polling = {'true' if polling else 'false'}")
    toml.write_text(text.replace("polling_interval_s = 5", "polling_interval_s = 0.5"), encoding="utf-8")
    src = list_document(tmp_path / "ds.docx")
    proc = subprocess.Popen([sys.executable, "-m", "automation", "watch", "--workspace", str(ws)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "CCHC_NOW": "2021-10-20T08:00:00"})
    try:
        time.sleep(1.5)  # started and watching
        part = ws / "inbox" / "Kim Xa.docx.part"
        part.write_bytes(src.read_bytes())
        os.replace(part, ws / "inbox" / "Kim Xa.docx")
        deadline = time.monotonic() + 15
        while "Kim Xa.docx" not in _ledger_names(ws) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "Kim Xa.docx" in _ledger_names(ws)
    finally:
        proc.send_signal(signal.SIGINT if os.name != "nt" else signal.CTRL_C_EVENT)
        out, err = proc.communicate(timeout=20)
    assert "Traceback" not in err
    assert "Đang theo dõi" in out


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
@pytest.mark.parametrize("how", ["sigterm", "sigint_ignored_at_start"])
def test_watch_stops_cleanly_on_sigterm_and_on_ctrl_c_a_shell_had_ignored(tmp_path, how):
    """A service manager stops the watcher with SIGTERM; a watcher started in the background of a shell script
    inherits Ctrl+C ignored: both still end the watch cleanly (the closing line printed, exit 0)."""
    ws = init_workspace(tmp_path / "ws")

    def ignore_sigint():
        signal.signal(signal.SIGINT, signal.SIG_IGN)

    proc = subprocess.Popen([sys.executable, "-m", "automation", "watch", "--workspace", str(ws)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            preexec_fn=ignore_sigint if how == "sigint_ignored_at_start" else None)
    try:
        time.sleep(1.5)
        proc.send_signal(signal.SIGTERM if how == "sigterm" else signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0 and "Traceback" not in err
    assert "Đã dừng theo dõi." in out
