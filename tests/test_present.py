"""What the screen shows, shared by the command line and the demo."""

from __future__ import annotations

from automation import present
from automation.problems import Location, problem


def test_one_way_to_print_a_problem():
    p = problem("list.count", Location(table=1, area="danh sách"), found=29, expected=30)
    assert present.render(p) == "Lỗi [list.count] Danh sách có 29 người, cần đúng 30 người. (danh sách)"
    assert present.render(p, "error") == ("Lỗi [list.count]: Danh sách có 29 người, cần đúng 30 người. "
                                          "Bổ sung hoặc bớt cho đủ 30 người.")
    assert present.render(p, "note") == "Lưu ý [list.count]: Danh sách có 29 người, cần đúng 30 người."
    assert present.render(p, "note", fix=True).endswith("người. Bổ sung hoặc bớt cho đủ 30 người.")
    w = problem("list.bad_phone", value="12")
    assert present.render(w).startswith("Cảnh báo [list.bad_phone] ")


def test_labels():
    assert present.VERDICTS["accepted_with_warnings"] == "ĐẠT (có cảnh báo)"
    assert present.STATUSES["quarantined"] == "cách ly" and present.WEEKDAYS[5] == "thứ Sáu"
    assert present.drafts_state(False) == "DỰ THẢO: còn đơn vị chưa có kết quả chính thức"


def test_a_submission_line():
    row = {"received_at": "2021-10-25T09:30:00", "unit": {"code": "09079", "name": "Xã Kim Xá"},
           "kind": "respondent_list", "version": 1, "status": "archived", "verdict": "accepted", "on_time": True,
           "file": "DS Kim Xá.docx"}
    assert present.submission_line(row, {"respondent_list": "danh sách"}) == (
        "2021-10-25T09:30:00  Xã Kim Xá                danh sách                        v1  đã lưu  ĐẠT đúng hạn"
        "  DS Kim Xá.docx")
