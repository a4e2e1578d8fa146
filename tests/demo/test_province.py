"""``cchc demo --preset phu-tho``: the whole 2026 year of the province's 148 units through the real pipeline."""

from __future__ import annotations

import openpyxl
import pytest
from click.testing import CliRunner
from docx import Document

from automation.appraisal.workbook import workbook_path
from automation.cli import cli
from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.scoring.table import TD_REASON, TD_REVISED

pytestmark = pytest.mark.libreoffice


def _texts(path) -> str:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def test_the_province_year_end_to_end(tmp_path, monkeypatch):
    monkeypatch.delenv("CCHC_NOW", raising=False)
    root = tmp_path / "tinh"
    run = CliRunner().invoke(cli, ["demo", str(root), "--preset", "phu-tho", "--dry-run"])
    out = run.output
    assert run.exit_code == 0, out
    settings = load_settings(root)
    codes = {u.code for u in settings.units}
    assert len(codes) == 148 and settings.year == 2026

    with Ledger(root / LEDGER_NAME) as ledger:
        subs = ledger.submissions.all()
        previous = ledger.previous.all()
    lists = [s for s in subs if s.kind == "respondent_list"]
    assert any(s.original_name.lower().endswith(".doc") and s.converted_path for s in lists)  # legacy Word
    assert sum(s.on_time is False for s in lists) == 1 and any(s.verdict == "rejected" for s in lists)
    explanations = [s for s in subs if s.kind == "explanation"]
    assert len(explanations) == 5 and all(s.unit_code in codes and s.on_time for s in explanations)
    assert {s.unit_code for s in subs if s.kind == "workbook"} == codes
    assert len(previous) > 148  # last year's units, under the codes of before the merger

    book = openpyxl.load_workbook(workbook_path(settings))
    td = [r for r in book["ThamDinh"].iter_rows(min_row=2, values_only=True) if r[0] in codes]
    revised = [r for r in td if r[TD_REVISED] is not None]
    assert len(revised) == 10 and sum(r[TD_REASON] is None for r in revised) == 1
    assert any(isinstance(r[6], (int, float)) and r[6] < 0 for r in td)  # a penalty scored below zero
    head = [c.value for c in book["TongHop"][1]]
    group, band = head.index("Nhóm xếp hạng"), head.index("Xếp loại")
    th = [r for r in book["TongHop"].iter_rows(min_row=2, values_only=True) if r[0] in codes]
    assert len(th) == 148 and {r[group] for r in th} == {"Phường", "Xã"}
    assert {r[band] for r in th} >= {"Tốt", "Khá"}
    assert sorted(r[7] for r in th if r[group] == "Phường")[0] == 1 == sorted(r[7] for r in th if r[group] == "Xã")[0]

    drafts = root / "outbox" / "du-thao"
    decision, report = _texts(drafts / "quyet-dinh-2026.docx"), _texts(drafts / "bao-cao-2026.docx")
    assert "72/2025/QH15" in decision
    for text in (decision, report):
        assert "So sánh với năm 2025" in text and "không so sánh được" in text
        assert "2757/QĐ-UBND" not in text
    notices = sorted((drafts / "thong-bao").glob("*.docx"))
    assert len(notices) == 148
    revised_notices = [n for n in notices if "Sau giải trình" in _texts(n)]
    assert len(revised_notices) == 5
    # first drafted on 30/11/2026, the final notices after the explanation round are dated when they were made
    assert "Phú Thọ, ngày 20 tháng 02 năm 2027" in _texts(revised_notices[0])
    assert sum("/15 phường" in _texts(n) for n in notices) == 15

    for word in ("4b. Vòng giải trình", "Phường (15 đơn vị):", "Xã (133 đơn vị):", "Xếp loại: Tốt",
                 "Đã nhập kết quả năm 2025", "Giải trình: 5 văn bản", "Tổng kết năm", "Thời gian:"):
        assert word in out, word
    assert list((root / "outbox" / "trang-thai").glob("*.eml"))
