"""``[ranking] groups`` and ``[ranking] bands``: ranks within groups, bands, and every output that shows them."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import openpyxl
import pytest
from docx import Document

from automation.config import DEFAULT_CONFIG, _load_toml, parse_settings
from automation.documents import context as ctx
from automation.problems import ConfigError
from automation.ranking_rules import Band, Group, Ranking
from automation.scoring.index import UnitResult, rank_in_groups
from automation.units import Unit, UnitRegistry
from tests.documents.test_context import TODAY, small_table
from tests.documents.test_templates import lines, render

GROUPS = [{"name": "Phường", "kinds": ["phuong"]}, {"name": "Xã, đặc khu", "kinds": ["xa", "dac_khu"]}]
BANDS = [{"name": "Tốt", "min": 90}, {"name": "Khá", "min": 80}, {"name": "Trung bình", "min": 70}]
UNITS = [Unit("1", "Phường", "Tân Hòa"), Unit("2", "Xã", "Đà Bắc"), Unit("3", "Xã", "Cao Sơn"),
         Unit("4", "Phường", "Hòa Bình"), Unit("5", "Đặc khu", "Cô Tô")]


def _settings(groups=GROUPS, bands=BANDS, units=UNITS[:4]):
    data = _load_toml(DEFAULT_CONFIG)
    data["units"] = [{"code": u.code, "type": u.type, "name": u.name} for u in units]
    data["ranking"] = {"groups": groups, "bands": bands}
    return parse_settings(data)


def _result(code, name, index):
    return UnitResult(code, name, D(0), D(0), None, D(index), D(index), 0, "Chính thức", 1, 1)


def test_ranks_within_groups_with_ties_and_bands():
    s = _settings(units=UNITS)
    results = [_result("1", "Phường Tân Hòa", "91"), _result("2", "Xã Đà Bắc", "85"),
               _result("3", "Xã Cao Sơn", "85"), _result("4", "Phường Hòa Bình", "95"),
               _result("5", "Đặc khu Cô Tô", "60")]
    out = rank_in_groups(results, s.ranking, {u.code: s.ranking.group_of(u) for u in s.units})
    assert [(r.name, r.group, r.rank, r.group_size, r.band) for r in out] == [
        ("Phường Hòa Bình", "Phường", 1, 2, "Tốt"), ("Phường Tân Hòa", "Phường", 2, 2, "Tốt"),
        ("Xã Cao Sơn", "Xã, đặc khu", 1, 3, "Khá"), ("Xã Đà Bắc", "Xã, đặc khu", 1, 3, "Khá"),
        ("Đặc khu Cô Tô", "Xã, đặc khu", 3, 3, "")]


def test_one_group_by_default_and_the_list_group_wins():
    assert _settings(groups=[], bands=[]).ranking == Ranking()
    r = Ranking((Group("A", ("xa",)), Group("B", ("phuong",))))
    assert r.group_of(Unit("9", "Xã", "X", group="B")) == "B" and r.group_of(Unit("9", "Xã", "X")) == "A"
    assert Ranking(bands=(Band("Tốt", D(90)),)).band_of(D("89.99")) == ""


@pytest.mark.parametrize("ranking, key, words", [
    ({"groups": [{"name": "Phường", "kinds": ["phuong"]}]}, "ranking.groups", "không thuộc nhóm nào"),
    ({"groups": [{"name": "A", "kinds": ["huyen"]}]}, "ranking.groups[0].kinds", "không phải loại đơn vị"),
    ({"groups": [{"name": "A", "kinds": ["xa"]}, {"name": "a", "kinds": ["phuong"]}]}, "ranking.groups[1].name", "trùng"),
    ({"groups": [{"name": "A", "kinds": ["xa"]}, {"name": "B", "kinds": ["xa", "phuong"]}]},
     "ranking.groups[1].kinds", "đã thuộc nhóm"),
    ({"groups": [{"name": "A", "kind": ["xa"]}]}, "ranking.groups[0].kind", "không được hỗ trợ"),
    ({"bands": [{"name": "Tốt", "min": 90}, {"name": "Khá", "min": 95}]}, "ranking.bands[1].min", "từ cao xuống thấp"),
    ({"bands": [{"name": "Tốt", "min": 120}]}, "ranking.bands[0].min", "từ 0 đến 100"),
    ({"bands": [{"min": 90}]}, "ranking.bands[0].name", "cần tên"),
    ({"order": 1}, "ranking.order", "không được hỗ trợ"),
])
def test_config_errors_name_the_key(ranking, key, words):
    data = _load_toml(DEFAULT_CONFIG)
    data["units"] = [{"code": u.code, "type": u.type, "name": u.name} for u in UNITS[:4]]
    data["ranking"] = ranking
    with pytest.raises(ConfigError) as exc:
        parse_settings(data)
    assert key in str(exc.value) and words in str(exc.value)


@pytest.fixture()
def grouped():
    s = _settings()
    table = small_table(s)
    table.results = rank_in_groups(table.results, s.ranking, {u.code: s.ranking.group_of(u) for u in s.units})
    return s, table


def test_notice_says_the_rank_in_its_group_and_the_band(grouped, tmp_path):
    s, table = grouped
    c = ctx.notice_context(s, table, "4", today=TODAY, draft=False)  # Phường Hòa Bình, 76,88
    text = "\n".join(lines(render("notice", c, tmp_path)))
    assert "xếp thứ 2/2 phường; xếp loại trung bình." in text
    c = ctx.notice_context(s, table, "2", today=TODAY, draft=False)  # Xã Đà Bắc, 97
    assert "xếp thứ 1/2 xã, đặc khu; xếp loại tốt." in "\n".join(lines(render("notice", c, tmp_path)))


def test_report_and_decision_have_a_table_per_group_and_the_bands(grouped, tmp_path):
    s, table = grouped
    report = render("report", ctx.report_context(s, table, [], today=TODAY, draft=False), tmp_path)
    text = lines(report)
    assert "Phường (2 đơn vị)" in text and "Xã, đặc khu (2 đơn vị)" in text
    assert "- Xếp loại theo Chỉ số CCHC:" in text and "Tốt (từ 90% trở lên)" in text
    decision = render("decision", ctx.decision_context(s, table, today=TODAY, draft=False), tmp_path)
    doc = Document(decision)
    annex = [t for t in doc.tables if t.rows[0].cells[0].text == "Xếp hạng"]
    assert len(annex) == 2
    for t in annex:  # every group's table says what each result is
        assert [c.text for c in t.rows[0].cells] == ["Xếp hạng", "Đơn vị", "Tổng điểm", "Chỉ số CCHC (%)", "Xếp loại",
                                                     "Tình trạng kết quả"]
        assert all(r.cells[5].text in ("Chính thức", "Tạm tính", "Chưa có điều tra XHH") for r in t.rows[1:])
    assert [(r.cells[0].text, r.cells[1].text, r.cells[4].text) for r in annex[0].rows[1:]] == [
        ("1", "Phường Tân Hòa", "Khá"), ("2", "Phường Hòa Bình", "Trung bình")]
    assert [(r.cells[0].text, r.cells[1].text, r.cells[4].text) for r in annex[1].rows[1:]] == [
        ("1", "Xã Đà Bắc", "Tốt"), ("2", "Xã Cao Sơn", "Chưa xếp loại")]
    assert "Về việc công bố Chỉ số cải cách hành chính năm 2021 của các xã, phường trên địa bàn huyện Vĩnh Tường" \
        in lines(decision)
    assert "CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021 CỦA CÁC XÃ, PHƯỜNG" in lines(decision)  # the annex's title too


def test_appraisal_and_status_workbooks_show_group_and_band(tmp_path):
    from automation.appraisal.workbook import write_workbook
    from automation.config import init_workspace, load_settings
    from automation.status.workbook import write_status
    from tests.documents.test_context import FW

    root = init_workspace(tmp_path / "ws")
    s = dataclasses.replace(load_settings(root), units=UnitRegistry(UNITS[:4]), ranking=_settings().ranking)
    table = small_table(s)
    from automation.scoring.table import compute_table
    table = compute_table(table, FW, s)
    path = write_workbook(root / "outbox" / "td.xlsm", table, FW, s)
    ws = openpyxl.load_workbook(path)["TongHop"]
    assert [c.value for c in ws[1]][9:11] == ["Nhóm xếp hạng", "Xếp loại"]
    rows = {r[0].value: (r[7].value, r[9].value, r[10].value) for r in ws.iter_rows(min_row=2, max_row=5)}
    expected = {r.code: (r.rank, r.group, r.band or "Chưa xếp loại") for r in table.results}
    assert rows == expected and {g for _, g, _ in rows.values()} == {"Phường", "Xã, đặc khu"}
    status = openpyxl.load_workbook(write_status(s, TODAY, table=table)).worksheets[0]
    heads = [c.value for c in status[1]]
    assert heads[-3:] == ["Nhóm xếp hạng", "Xếp hạng trong nhóm", "Xếp loại"]
    row = next(r for r in status.iter_rows(min_row=2, values_only=True) if r[0] == "4")
    res = next(r for r in table.results if r.code == "4")
    assert row[-3:] == ("Phường", f"{res.rank}/2", res.band or "Chưa xếp loại")
