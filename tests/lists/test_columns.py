"""The scored column model: header wording -> column kind, solved for the whole header row."""

import unicodedata

import pytest

from automation.lists.columns import accepted_names, assign, score_header
from automation.lists.extract import header_kind


@pytest.mark.parametrize("text, kind", [
    ("Họ và tên người nộp hồ sơ", "name"),  # not the submission date, though it holds "nộp hồ sơ"
    ("Người nộp hồ sơ", "name"), ("Chủ hồ sơ", "name"), ("Tên tổ chức/cá nhân", "name"),
    ("Tổ chức, cá nhân", "name"), ("Người giao dịch", "name"), ("Người đứng tên", "name"),
    ("Địa chỉ thường trú", "address"), ("Nơi cư trú", "address"), ("Thôn/xóm", "address"), ("Đ/c", "address"),
    ("SĐT", "phone"), ("ĐT", "phone"), ("Số ĐT", "phone"), ("ĐT liên hệ", "phone"),
    ("Lĩnh vực TTHC", "field"), ("Lĩnh vực giải quyết", "field"),
    ("Tên TTHC", "procedure"), ("Nội dung giao dịch", "procedure"), ("Loại hồ sơ", "procedure"),
    ("Ngày nộp", "submitted"), ("Ngày tiếp nhận", "submitted"), ("Ngày nhận hồ sơ", "submitted"),
    ("Ngày nhận KQ", "received"), ("Ngày trả KQ", "received"), ("Ngày trả kết quả thực tế", "received"),
    ("Ngày hoàn thành", "received"),
    ("Ngày hẹn trả kết quả", "appointment"), ("Hẹn trả", "appointment"), ("Hạn giải quyết", "appointment"),
    ("Hạn trả", "appointment"), ("Ngày trả kết quả theo hẹn", "appointment"),
    ("Ghi chú", "note"), ("Trạng thái", "note"), ("Tình trạng hồ sơ", "note"),
])
def test_header_kind(text, kind):
    for variant in (text, text.upper(), unicodedata.normalize("NFD", text), text.replace(" ", "\n", 1)):
        assert header_kind(variant) == kind, variant


@pytest.mark.parametrize("text", ["Số CCCD", "Giới tính", "Năm sinh", "Mã hồ sơ", "Số biên nhận"])
def test_extra_columns_take_no_list_kind(text):
    scores = score_header(text)
    assert scores and max(scores, key=scores.get) not in ("name", "address", "procedure", "submitted", "received")


def test_headers_without_diacritics_match_less_strongly():
    assert header_kind("Ho va ten") == "name" and header_kind("Dia chi") == "address"
    assert score_header("Ho va ten")["name"] < score_header("Họ và tên")["name"]
    # a word typed with its diacritics must match them: "Năm sinh" is not "Nam" (gender)
    assert "gender" not in score_header("Năm sinh")


def test_whole_row_assignment():
    row = ["STT", "Họ và tên người nộp hồ sơ", "Số CCCD", "Địa chỉ", "Ngày nhận", "Ngày trả", "Tên thủ tục",
           "Giới tính", "Ghi chú"]
    assert assign(row) == {"stt": 0, "name": 1, "address": 3, "submitted": 4, "received": 5, "procedure": 6,
                           "note": 8}
    # "Ngày nhận" beside "Ngày nộp" is the day the result was received
    assert assign(["Họ tên", "Địa chỉ", "Thủ tục", "Ngày nộp", "Ngày nhận"])["received"] == 4
    # one column per kind: the more specific wording keeps it
    assert assign(["Họ tên", "Người nộp", "Địa chỉ", "Thủ tục"])["name"] == 0


def test_accepted_names_are_written_for_people():
    text = accepted_names("received")
    assert "“Ngày nhận kết quả”" in text and "“Ngày trả kết quả”" in text
