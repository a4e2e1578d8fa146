"""Bounded work on a long list: a table's rows are read up to ten times the list size, then only counted."""

from __future__ import annotations

from automation.check import check_paths
from automation.check.pipeline import LIST_READ_FACTOR
from tests.builders import list_document, person_rows


def test_a_3000_row_list_is_too_long_and_still_checked(tmp_path, settings):
    path = list_document(tmp_path / "dai.docx", rows=person_rows(3000), font="Arial")
    [rep] = check_paths([path], settings)
    read = LIST_READ_FACTOR * settings.list_rules.size
    codes = {p.code for p in rep.problems}
    assert rep.kind == "respondent_list" and rep.unit is not None and rep.unit.code == "09079"
    assert "list.too_long" in codes and "list.count" not in codes
    [long] = [p for p in rep.problems if p.code == "list.too_long"]
    assert long.message == (f"Bảng danh sách có 3001 dòng, quá dài: chỉ {read} dòng đầu được đọc và kiểm tra; "
                            f"danh sách cần đúng {settings.list_rules.size} người.")
    assert rep.respondents == read - 1  # the header row is one of the rows read
    assert "font.not_times_new_roman" in codes  # the other findings are still reported


def test_a_list_sheet_of_5000_rows_is_read_to_the_sheet_limit_then_counted(tmp_path, settings):
    from automation.check.pipeline import SHEET_ROWS_FLOOR
    from tests.sheet_builders import list_workbook

    path = list_workbook(tmp_path / "dai.xlsx", rows=person_rows(5000), signature=False)
    [rep] = check_paths([path], settings)
    assert rep.kind == "respondent_list" and rep.unit is not None and rep.unit.code == "09079"
    [long] = [p for p in rep.problems if p.code == "list.too_long"]
    read = max(SHEET_ROWS_FLOOR, LIST_READ_FACTOR * settings.list_rules.size)
    assert long.params["rows"] == 5001  # the header and 5 000 people, though only ``read`` sheet rows were read
    assert read - 10 < long.params["read"] < read  # the title rows above the table are among those read
    assert rep.respondents == long.params["read"] - 1
    assert f"có 5001 dòng, quá dài: chỉ {long.params['read']} dòng đầu" in long.message
