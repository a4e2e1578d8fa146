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
