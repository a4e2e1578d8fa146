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
