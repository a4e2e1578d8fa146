"""The README's demo: sample lists of all 28 units go through the inbox end to end."""

import os

import pytest

from automation.cli import main
from automation.ledger.db import LEDGER_NAME, Ledger


@pytest.mark.libreoffice
def test_cchc_demo(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("CCHC_NOW", raising=False)  # the demo sets its own day, and puts it back
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--only-lists", str(tmp_path / "demo")])
    out = capsys.readouterr().out
    assert exc.value.code == 0, out
    assert "28/28 tệp đúng như dự kiến" in out
    ws = tmp_path / "demo"
    with Ledger(ws / LEDGER_NAME) as ledger:
        subs = ledger.submissions.all()
    assert len(subs) == 28 and {s.status for s in subs} == {"archived", "quarantined"}
    assert all(s.on_time for s in subs if s.status == "archived")
    assert len(list((ws / "outbox" / "phan-hoi").rglob("phan-hoi-*.docx"))) == 27
    assert list((ws / "outbox" / "phan-hoi").rglob("*-unicode.docx"))  # the TCVN3 list's corrected copy
    assert not any((ws / "inbox").iterdir())
    # a second run replaces the demo workspace it made itself
    with pytest.raises(SystemExit) as exc:
        main(["demo", "--only-lists", str(ws)])
    assert exc.value.code == 0
    assert "CCHC_NOW" not in os.environ
