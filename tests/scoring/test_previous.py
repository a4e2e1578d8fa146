"""``cchc previous import``: last year's results read from a CSV or last year's appraisal workbook, mapped to
this year's units through ``former``, and shown beside this year in the report and the decision's annex."""

from __future__ import annotations

import dataclasses
from decimal import Decimal as D

import pytest
from docx import Document

from automation.documents import context as ctx
from automation.problems import UsageError
from automation.scoring.index import UnitResult
from automation.scoring.previous import NOT_COMPARABLE, PreviousResult, compare, from_csv, from_rows
from automation.units import FormerUnit, Unit, UnitRegistry
from tests.documents.test_context import TODAY, small_settings, small_table
from tests.documents.test_templates import lines, render

MERGED = UnitRegistry([
    Unit("100", "Xã", "Vĩnh An", former=(FormerUnit("Kim Xá", "Xã", "9001"), FormerUnit("Yên Bình", "Xã", "9002"))),
    Unit("200", "Xã", "Vĩnh Hưng", former=(FormerUnit("Chấn Hưng", "Xã", "9003"),)),
    Unit("300", "Phường", "Vĩnh Phúc"), Unit("400", "Xã", "Vĩnh Thành")])


def _result(code, index, rank):
    return UnitResult(code, code, D(0), D(0), None, D(index), D(index), rank, "Chính thức", 1, 1)


def test_csv_with_a_header_in_any_order_and_either_delimiter():
    rows = from_csv("rank;name;code;index\n2;Xã Kim Xá;9001;87,5\n1;;9003;90.25\n", "kq-2025.csv")
    assert rows == [PreviousResult("9001", "Xã Kim Xá", D("87.50"), 2), PreviousResult("9003", "", D("90.25"), 1)]
    assert from_csv("code,index\n9001,70\n", "a.csv") == [PreviousResult("9001", "", D("70.00"), None)]


@pytest.mark.parametrize("text, words", [
    ("", "tệp trống"), ("ma,chiso\n1,2\n", "thiếu cột code, index"), ("code,index,rank\n", "không có dòng"),
    ("code,index,rank\n1,abc,1\n", "dòng 2): chỉ số “abc” không phải số"),
    ("code,index,rank\n1,80,1\n2,120,2\n", "dòng 3): chỉ số 120 ngoài khoảng 0 – 100"),
    ("code,index,rank\n1,80,1\n1,70,2\n", "dòng 3): mã đơn vị 1 trùng"),
    ("code,index,rank\n1,80,0\n", "xếp hạng 0 phải từ 1"), ("code,index,rank\n1,80,nhất\n", "không phải số nguyên"),
])
def test_bad_files_are_told_with_their_line(text, words):
    with pytest.raises(UsageError) as exc:
        from_csv(text, "kq.csv")
    assert exc.value.problem.code == "previous.invalid" and words in str(exc.value) and "kq.csv" in str(exc.value)


def test_former_codes_map_to_the_new_unit_and_merged_rankings_are_not_comparable():
    results = [_result("100", "91.00", 1), _result("200", "88.50", 2), _result("300", "80", 3),
               _result("400", "75", 4)]
    last = [PreviousResult("9001", "Xã Kim Xá", D("89.25"), 5), PreviousResult("9003", "", D("90.00"), 1),
            PreviousResult("400", "", D("75.00"), 4)]
    c = compare(MERGED, results, last)
    assert (c["100"].index, c["100"].index_change, c["100"].rank_change) == ("89,25", "+1,75", "↑ 4")
    assert (c["200"].index, c["200"].index_change, c["200"].rank_change) == ("90,00", "-1,50", "↓ 1")
    assert c["300"].index == "-" and not c["300"].comparable
    assert (c["400"].index_change, c["400"].rank_change) == ("0,00", "=")
    both = last + [PreviousResult("9002", "Xã Yên Bình", D("70"), 20)]
    assert compare(MERGED, results, both)["100"].index == NOT_COMPARABLE
    assert set(dataclasses.astuple(compare(MERGED, results, both)["100"])) == {NOT_COMPARABLE}


def test_report_and_decision_show_last_year_only_when_imported(tmp_path):
    s = small_settings()
    table = small_table(s)
    codes = [u.code for u in s.units]
    last = [PreviousResult(codes[0], "", D("95.00"), 2), PreviousResult(codes[2], "", D("80.10"), 1)]
    for kind, build in (("report", lambda p: ctx.report_context(s, table, [], today=TODAY, draft=False, previous=p)),
                        ("decision", lambda p: ctx.decision_context(s, table, today=TODAY, draft=False, previous=p))):
        assert "So sánh với năm 2020" not in lines(render(kind, build(None), tmp_path))
        doc = Document(render(kind, build(last), tmp_path))
        assert "So sánh với năm 2020" in [p.text for p in doc.paragraphs]
        [grid] = [t for t in doc.tables if t.rows[0].cells[0].text == "Đơn vị"
                  and "Chỉ số năm 2020 (%)" in [c.text for c in t.rows[0].cells]]
        rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in grid.rows[1:]}
        assert len(rows) == len(table.results)
        first = next(r for r in table.results if r.code == codes[0])
        assert rows[first.name][0] == "95,00" and rows[first.name][3] == "2"
        third = next(r for r in table.results if r.code == codes[2])
        assert rows[third.name][2] == f"{'+' if third.index > D('80.10') else '-'}" \
            f"{abs(third.index - D('80.10')):.2f}".replace(".", ",")
        second = rows[next(r.name for r in table.results if r.code == codes[1])]
        assert (second[0], second[2], second[3], second[5]) == ("-", "-", "-", "-")  # no result last year


def _cli(args, capsys):
    from automation.cli import main

    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_import_last_years_workbook_and_a_csv_then_the_report_shows_them(tmp_path, monkeypatch, capsys):
    import shutil

    from automation.app import generate
    from automation.appraisal.workbook import workbook_path
    from automation.ledger.db import LEDGER_NAME, Ledger
    from tests.documents.test_generate import all_text, final_workspace

    monkeypatch.setenv("CCHC_NOW", "2022-01-10T09:00:00")
    settings, table = final_workspace(tmp_path / "ws")
    ws = tmp_path / "ws"
    last_year = shutil.copy(workbook_path(settings), tmp_path / "tham-dinh-2020.xlsm")  # the tool's own workbook
    code, out, err = _cli(["previous", "import", str(last_year), "-w", str(ws)], capsys)
    assert code == 0 and err == "", err
    assert f"Đã nhập kết quả năm trước của {len(table.results)} đơn vị từ tham-dinh-2020.xlsm." in out
    assert f"Đối chiếu với năm nay: {len(table.results)} đơn vị so sánh được." in out
    with Ledger(ws / LEDGER_NAME) as ledger:
        stored = {c: (i, r) for c, _, i, r in ledger.previous.all()}
    assert stored == {r.code: (r.index, r.rank) for r in table.results}
    report = next(d.path for d in generate(settings, "report"))
    text = all_text(report)
    assert "So sánh với năm 2020" in text and "Chỉ số năm 2020 (%)" in text
    grid = next(t for t in Document(report).tables if "Tăng, giảm" in [c.text for c in t.rows[0].cells])
    assert [(r.cells[3].text, r.cells[6].text) for r in grid.rows[1:]] == [("0,00", "=")] * len(table.results)

    first, second = table.results[0], table.results[1]
    csv = tmp_path / "kq-2020.csv"
    csv.write_text(f"code,index,rank\n{first.code},50,9\n{second.code},99.5,1\n", encoding="utf-8")
    code, out, _ = _cli(["previous", "import", str(csv), "-w", str(ws)], capsys)
    assert code == 0 and "của 2 đơn vị" in out and f"{len(table.results) - 2} đơn vị không có kết quả năm trước" in out
    decision = next(d.path for d in generate(settings, "decision"))
    grid = next(t for t in Document(decision).tables if "Tăng, giảm" in [c.text for c in t.rows[0].cells])
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in grid.rows[1:]}
    assert rows[first.name][0] == "50,00" and rows[first.name][5] == f"↑ {9 - first.rank}"
    assert rows[second.name][0] == "99,50" and rows[second.name][5] == f"↓ {second.rank - 1}"


@pytest.mark.parametrize("content, words", [
    (b"code,index\n1,80\n\xff\xfe", "phải lưu bằng UTF-8"), (b"PK\x03\x04 not a zip", "kq.xlsx"),
])
def test_a_bad_file_is_one_vietnamese_line(tmp_path, capsys, content, words):
    from automation.config import init_workspace

    ws = init_workspace(tmp_path / "ws")
    bad = tmp_path / ("kq.csv" if content.startswith(b"code") else "kq.xlsx")
    bad.write_bytes(content)
    code, out, err = _cli(["previous", "import", str(bad), "-w", str(ws)], capsys)
    assert code != 0 and err.startswith("Lỗi [previous.invalid]") and words in err and "Traceback" not in err
    code, _, err = _cli(["previous", "import", str(tmp_path), "-w", str(ws)], capsys)
    assert code == 2 and "là thư mục" in err


def test_an_oversized_csv_is_refused_before_it_is_read(tmp_path, capsys):
    from automation.config import init_workspace

    ws = init_workspace(tmp_path / "ws")
    toml = ws / "cchc.toml"
    text = toml.read_text(encoding="utf-8")
    assert "max_file_mb = 25\n" in text
    toml.write_text(text.replace("max_file_mb = 25\n", "max_file_mb = 0.001\n"), encoding="utf-8")
    big = tmp_path / "kq.csv"
    big.write_text("code,index,rank\n" + "".join(f"{i},80,{i}\n" for i in range(1, 200)), encoding="utf-8")
    code, _, err = _cli(["previous", "import", str(big), "-w", str(ws)], capsys)
    assert code != 0 and err.startswith("Lỗi [previous.invalid]") and "quá lớn" in err
