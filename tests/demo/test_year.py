"""``run_year_demo``: the whole 2021 cycle of the 28 units through the real pipeline, in a fresh workspace."""

from __future__ import annotations

import os

import openpyxl
import pytest

from automation.demo import year as demo_year
from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.appraisal.workbook import workbook_path

pytestmark = pytest.mark.libreoffice


def _run(tmp_path, monkeypatch, dry_run: bool):
    monkeypatch.delenv("CCHC_NOW", raising=False)
    lines: list[str] = []
    root = tmp_path / "nam"
    code = demo_year.run_year_demo(root, echo=lines.append, dry_run=dry_run)
    assert "CCHC_NOW" not in os.environ  # restored: it was not set before
    return code, root, "\n".join(lines)


def _check_workspace(root, out):
    settings = load_settings(root)
    codes = {u.code for u in settings.units}
    assert len(codes) == 28
    with Ledger(root / LEDGER_NAME) as ledger:
        subs = ledger.submissions.all()
    by_kind: dict[str, set] = {}
    for s in subs:
        by_kind.setdefault(s.kind, set()).add(s.unit_code)
    for kind in ("respondent_list", "workbook", "evidence"):
        assert by_kind.get(kind, set()) >= codes, kind
    assert "survey_entry" in by_kind
    lists = [s for s in subs if s.kind == "respondent_list" and s.unit_code]
    assert sum(s.on_time is False for s in lists) == 1
    assert all(s.on_time for s in subs if s.kind in ("workbook", "evidence"))
    assert {s.criterion for s in subs if s.kind == "evidence"} - {None}

    th = [r for r in openpyxl.load_workbook(workbook_path(settings))["TongHop"].iter_rows(min_row=2, values_only=True)
          if r[0] in codes]
    assert len(th) == 28 and all(isinstance(r[6], (int, float)) and 0 < r[6] <= 100 for r in th)
    statuses = {r[8] for r in th}
    assert {"Chính thức", "Tạm tính"} <= statuses

    drafts = root / "outbox" / "du-thao"
    docx = {p.relative_to(drafts).as_posix() for p in drafts.rglob("*.docx")}
    assert len([p for p in docx if p.startswith("thong-bao/")]) == 28
    assert len(docx) == 31  # plan, 28 notices, report, decision
    assert list((root / "outbox" / "trang-thai").glob("trang-thai-2022-02-20.xlsx"))
    for word in ("Tổng kết năm", "Hạng 1:", "Bảng thẩm định:", "Dự thảo văn bản:", "DỰ THẢO", "1 nộp muộn"):
        assert word in out, word


def test_year_demo_sends_the_status_mail(tmp_path, monkeypatch):
    before = len(demo_year.DELIVERED)
    code, root, out = _run(tmp_path, monkeypatch, dry_run=False)
    assert code == 0, out
    _check_workspace(root, out)
    assert demo_year.DELIVERED[before:] == [1]
    assert "đã gửi tới máy chủ thư thử nghiệm 127.0.0.1:" in out
    assert not list((root / "outbox" / "trang-thai").glob("*.eml"))


def test_year_demo_dry_run_writes_the_mail_and_keeps_a_set_clock(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2030-01-01T08:00:00")
    root = tmp_path / "kho"
    lines: list[str] = []
    assert demo_year.run_year_demo(root, echo=lines.append, dry_run=True) == 0
    assert os.environ["CCHC_NOW"] == "2030-01-01T08:00:00"
    _check_workspace(root, "\n".join(lines))
    [eml] = (root / "outbox" / "trang-thai").glob("*.eml")
    assert str(eml) in "\n".join(lines)
