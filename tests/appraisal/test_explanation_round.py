"""The explanation round: a commune's explanation arrives after the notices (filed as such, shown beside the
criteria it speaks of), the council revises a score with a reason in “Điểm sau giải trình”, the index counts
the revised score, the final notice shows both, and after the deadline nothing changes without a new reason."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import docx
import openpyxl
import pytest

from automation.appraisal import rebuild as rb
from automation.appraisal.workbook import workbook_path
from automation.app import generate, recompute
from automation.app import process_inbox as process_once
from automation.config import load_settings
from automation.ledger import open_ledger
from automation.ledger import records as m
from automation.scoring.revision import review
from automation.scoring.table import Row, Table
from automation.workspace import Workspace
from tests.appraisal.test_workbook import KIM_XA, TAM_PHUC, _council_types, _drop_self_assessment, _sheet_rows, ws  # noqa: F401


def _explanation(path, unit_name: str, table_rows, title="GIẢI TRÌNH KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2021"):
    """A commune's explanation letter as Word writes it, with its table "Tiêu chí | Giải trình | Tài liệu"."""
    d = docx.Document()
    style = d.styles["Normal"]
    style.font.name = "Times New Roman"
    d.add_paragraph(f"UBND {unit_name.upper()}")
    d.add_paragraph(title)
    d.add_paragraph("Kính gửi: Hội đồng thẩm định Chỉ số CCHC huyện Vĩnh Tường.")
    t = d.add_table(rows=1, cols=3)
    for cell, text in zip(t.rows[0].cells, ("Tiêu chí", "Nội dung giải trình", "Tài liệu bổ sung")):
        cell.text = text
    for row in table_rows:
        cells = t.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    d.save(path)
    return path


def _revise(path, entries: dict):
    """The council types a revised score and its reason (columns J and K) and saves."""
    wb = openpyxl.load_workbook(path, keep_vba=True)
    for row in wb["ThamDinh"].iter_rows(min_row=2):
        key = (row[0].value, row[2].value)
        if key in entries:
            row[9].value, row[10].value = entries[key]
    wb.save(path)


@pytest.fixture()
def appraised(ws, monkeypatch):  # noqa: F811
    monkeypatch.setattr(rb, "_MEMOS", {})
    _drop_self_assessment(ws, KIM_XA, {"1.1": 8, "1.2": 15, "2.1": 10, "2.2": 20})
    _drop_self_assessment(ws, TAM_PHUC, {"1.1": 10, "1.2": 20, "2.1": 15, "2.2": 25})
    path = workbook_path(load_settings(ws))
    _council_types(path, {("09079", "1.1"): (6, "Kế hoạch ban hành muộn"), ("09079", "1.2"): (15, ""),
                          ("09079", "2.1"): (10, ""), ("09079", "2.2"): (18, "Thiếu sổ theo dõi")},
                   survey={"09079": 20})
    table = recompute(load_settings(ws))
    kim = next(r for r in table.results if r.code == "09079")
    assert kim.appraised_total == Decimal(49)  # 6 + 15 + 10 + 18
    return ws, path


def test_an_explanation_is_filed_as_such_and_shown_beside_its_criteria(appraised, monkeypatch):
    ws, path = appraised
    monkeypatch.setenv("CCHC_NOW", "2021-11-25T09:00:00")
    inbox = ws / "inbox" / "Xã Kim Xá"
    inbox.mkdir()
    _explanation(inbox / "Van ban so 12.docx", "Xã Kim Xá",
                 [("2.2", "Đã có sổ theo dõi, gửi kèm bản chụp.", "2.2 So theo doi.pdf"),
                  ("Tiêu chí 1.1 (kế hoạch)", "Kế hoạch ban hành đúng hạn.", "")])
    process_once(load_settings(ws), settle_timeout_s=20)
    with open_ledger(Workspace.of(load_settings(ws)).ledger_path) as ledger:
        [sub] = ledger.submissions.of_kind(m.EXPLANATION)
        assert sub.unit_code == "09079" and sub.status == m.ARCHIVED and sub.on_time is True
        assert "/giai-trinh/" in sub.path
        assert ledger.submissions.extractions([sub.sha256])[sub.sha256]["criteria"] == ["2.2", "1.1"]
    recompute(load_settings(ws))
    kim = {r[2]: r[8] for r in _sheet_rows(path, "ThamDinh") if r[0] == "09079"}
    shown = "Giải trình: Van ban so 12.docx"
    assert kim["2.2"].endswith("; " + shown) and kim["1.1"].endswith("; " + shown)  # after the commune's own
    assert shown not in kim["1.2"] and shown not in kim["2.1"]


def test_a_revision_counts_with_its_reason_and_the_final_notice_shows_both(appraised, monkeypatch):
    ws, path = appraised
    monkeypatch.setenv("CCHC_NOW", "2021-12-01T09:00:00")
    _revise(path, {("09079", "2.2"): (20, "Đã bổ sung sổ theo dõi (Văn bản số 12)"), ("09079", "1.1"): (8, "")})
    table = recompute(load_settings(ws))
    kim = next(r for r in table.results if r.code == "09079")
    assert kim.appraised_total == Decimal(51)  # 6 + 15 + 10 + 20: the revision of 1.1 has no reason
    assert any("tiêu chí 1.1: điểm sau giải trình “8” chưa có lý do điều chỉnh" in n for n in table.notes)
    td = {r[2]: r for r in _sheet_rows(path, "ThamDinh") if r[0] == "09079"}
    assert (td["2.2"][6], td["2.2"][9], td["2.2"][10]) == (18, 20, "Đã bổ sung sổ theo dõi (Văn bản số 12)")
    notice = next(d.path for d in generate(load_settings(ws), "notices") if d.unit_code == "09079")
    doc = docx.Document(notice)
    [grid] = [t for t in doc.tables if "Thẩm định lần đầu" in [c.text for c in t.rows[0].cells]]
    assert [[c.text for c in r.cells] for r in grid.rows[1:]] == [
        ["2.2", grid.rows[1].cells[1].text, "18,00", "20,00", "Đã bổ sung sổ theo dõi (Văn bản số 12)"]]
    main = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mã")
    assert [r.cells[4].text for r in main.rows[1:5]] == ["6,00", "15,00", "10,00", "20,00"]
    tam = next(d.path for d in generate(load_settings(ws), "notices") if d.unit_code == "09142")
    assert not [t for t in docx.Document(tam).tables if "Thẩm định lần đầu" in [c.text for c in t.rows[0].cells]]


def test_after_the_deadline_nothing_changes_without_a_new_reason(appraised, monkeypatch):
    ws, path = appraised
    monkeypatch.setenv("CCHC_NOW", "2021-12-01T09:00:00")
    _revise(path, {("09079", "2.2"): (20, "Đã bổ sung sổ theo dõi")})
    recompute(load_settings(ws))
    monkeypatch.setenv("CCHC_NOW", "2021-12-15T09:00:00")  # [deadlines] supplementary_evidence: before 10/12
    _revise(path, {("09079", "2.2"): (22, "Đã bổ sung sổ theo dõi")})  # same reason: not a recorded one
    _council_types(path, {("09079", "1.1"): (4, "Kế hoạch ban hành muộn"), ("09142", "1.1"): (9, "Đạt")})
    table = recompute(load_settings(ws))
    kim = next(r for r in table.results if r.code == "09079")
    assert kim.appraised_total == Decimal(51)  # 6 + 15 + 10 + 20, as recorded before the deadline
    held = [n for n in table.notes if "sau hạn giải trình (09/12/2021)" in n]
    assert len(held) == 2 and any("tiêu chí 2.2" in n and "sau giải trình 20" in n for n in held)
    td = {(r[0], r[2]): r for r in _sheet_rows(path, "ThamDinh")[1:]}
    assert td[("09079", "2.2")][9] == 22 and td[("09079", "1.1")][6] == 4  # what staff typed stays in the cells
    tam = next(r for r in table.results if r.code == "09142")
    assert tam.appraised_total == Decimal(9 + 20 + 15 + 25)  # a first appraisal is no change

    _revise(path, {("09079", "2.2"): (22, "Hội đồng họp ngày 14/12: chấp nhận thêm biên bản kiểm tra")})
    table = recompute(load_settings(ws))
    assert next(r for r in table.results if r.code == "09079").appraised_total == Decimal(53)
    assert len([n for n in table.notes if "sau hạn giải trình" in n]) == 1  # 1.1 still held
    with open_ledger(Workspace.of(load_settings(ws)).ledger_path) as ledger:
        log = ledger.council.changes()
    assert [(c["criterion"], c["old_revised"], c["new_revised"], c["reason"], c["after_deadline"]) for c in log] == [
        ("2.2", None, Decimal(20), "Đã bổ sung sổ theo dõi", False),
        ("2.2", Decimal(20), Decimal(22), "Hội đồng họp ngày 14/12: chấp nhận thêm biên bản kiểm tra", True)]


def _rows(*council):
    return Table([Row("1", "Xã A", f"1.{i}", "", Decimal(10), appraised=a, revised=v, reason=why)
                  for i, (a, v, why) in enumerate(council, start=1)], {})


def test_the_rule_alone():
    accepted = {("1", "1.1"): (Decimal(5), None, ""), ("1", "1.2"): (Decimal(5), None, ""),
                ("1", "1.3"): (None, None, "")}
    now = _rows((Decimal(6), None, ""), (Decimal(5), None, "sửa lý do thôi"), (Decimal(7), None, ""),
                (Decimal(3), None, ""))
    before = review(now, accepted, dt.date(2021, 12, 9), closed=False)
    assert set(before.accept) == {("1", "1.1"), ("1", "1.2"), ("1", "1.3"), ("1", "1.4")} and not before.held
    assert [c.criterion for c in before.changes] == ["1.1"]
    after = review(now, accepted, dt.date(2021, 12, 9), closed=True)
    assert set(after.held) == {("1", "1.1")} and after.held[("1", "1.1")] == (Decimal(5), None, "")
    assert set(after.accept) == {("1", "1.2"), ("1", "1.3"), ("1", "1.4")} and not after.changes
    assert review(_rows((None, None, "")), {}, None, closed=True).accept == {}
