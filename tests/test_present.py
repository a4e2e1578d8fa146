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


def test_the_submissions_listing_has_one_column_per_fact():
    names = {"respondent_list": "danh sách", "unknown": "không xác định"}
    rows = [{"received_at": "2021-10-25T09:30:00", "unit": {"code": "09079", "name": "Xã Kim Xá"},
             "kind": "respondent_list", "version": 1, "status": "archived", "verdict": "accepted", "on_time": True,
             "file": "DS Kim Xá.docx"},
            {"received_at": "2021-10-26T14:05:00", "unit": None, "kind": "unknown", "version": None,
             "status": "quarantined", "verdict": "rejected", "on_time": None, "file": "ảnh.jpg"}]
    lines = present.columns(present.SUBMISSION_HEADERS, [present.submission_cells(r, names) for r in rows])
    assert lines[0].split()[:3] == ["Ngày", "nhận", "Đơn"]
    assert lines[1] == ("25/10/2021 09:30  Xã Kim Xá       danh sách       1        đã lưu      ĐẠT        "
                        "đúng hạn  DS Kim Xá.docx")
    assert lines[2] == ("26/10/2021 14:05  chưa rõ đơn vị  không xác định           cách ly     KHÔNG ĐẠT  "
                        "          ảnh.jpg")
    assert "v-" not in "\n".join(lines)
    starts = [line.index(x) for line, x in zip(lines, ("Kết luận", "ĐẠT", "KHÔNG ĐẠT"))]
    assert len(set(starts)) == 1  # the verdict column lines up, timeliness has its own
