import dataclasses

import pytest

from automation.lists.model import Respondent, RespondentList
from automation.lists.rules import address_not_local, check_list
from automation.lists.values import is_vietnamese_phone, parse_date
from tests.builders import person_rows

ALL_COLUMNS = {c: i for i, c in enumerate(
    ("stt", "name", "address", "phone", "field", "procedure", "submitted", "received"))}


def make_list(n=30, columns=None, **changes) -> RespondentList:
    people = []
    for r in person_rows(n):
        people.append(Respondent(row=int(r[0]), stt=r[0], name=r[1], address=r[2], phone=r[3], field=r[4],
                                 procedure=r[5], submitted_text=r[6], received_text=r[7]))
    for row, fields in changes.items():
        i = int(row[1:]) - 1
        people[i] = dataclasses.replace(people[i], **fields)
    return RespondentList(table=1, columns=columns or dict(ALL_COLUMNS), headers={}, respondents=people)


@pytest.fixture()
def kim_xa(settings):
    return settings.units.by_code("09079")


def codes(problems):
    return sorted((p.code, p.location.row if p.location else None) for p in problems)


def test_clean_list_has_no_problems(settings, kim_xa):
    assert check_list(make_list(), kim_xa, settings) == []


def test_count(settings, kim_xa):
    probs = check_list(make_list(29), kim_xa, settings)
    assert codes(probs) == [("list.count", None)]
    assert "29 người, cần đúng 30" in probs[0].message


def test_missing_values_and_result_not_received(settings, kim_xa):
    rl = make_list(r3={"name": ""}, r4={"procedure": "", "address": ""}, r5={"received_text": ""},
                   r6={"received_text": "Chưa nhận"})
    probs = check_list(rl, kim_xa, settings)
    assert codes(probs) == [("list.missing_value", 3), ("list.missing_value", 4), ("list.missing_value", 4),
                            ("list.result_not_received", 5), ("list.result_not_received", 6)]
    assert probs[0].location.column == "Họ và tên"


def test_dates(settings, kim_xa):
    rl = make_list(r1={"submitted_text": "31/02/2021"}, r2={"received_text": "20/10/2021"},
                   r3={"submitted_text": "10/05/2021", "received_text": "02.05.2021"},
                   r4={"submitted_text": "28-12-2020"}, r5={"received_text": "abc"})
    assert codes(check_list(rl, kim_xa, settings)) == [
        ("list.bad_date", 1), ("list.bad_date", 3), ("list.bad_date", 5),
        ("list.date_out_of_window", 2), ("list.date_out_of_window", 4)]


@pytest.mark.parametrize("text, value", [("5/3/2021", (2021, 3, 5)), ("05/03/2021", (2021, 3, 5)),
                                         ("05-03-2021", (2021, 3, 5)), ("05.03.2021", (2021, 3, 5)),
                                         ("ngày 05 tháng 3 năm 2021", (2021, 3, 5)), ("5/3/21", (2021, 3, 5))])
def test_date_formats(text, value):
    assert parse_date(text).value.timetuple()[:3] == value


def test_duplicates_need_name_and_address(settings, kim_xa):
    rl = make_list(r2={"name": "Nguyễn Văn An A", "address": "Thôn Đông 0, xã Kim Xá"},
                   r3={"name": "NGUYỄN VĂN AN A", "address": "Thôn khác, xã Kim Xá"})
    assert codes(check_list(rl, kim_xa, settings)) == [("list.duplicate", 2)]


@pytest.mark.parametrize("address, local", [
    ("Thôn Đông, xã Kim Xá", True),
    ("Thôn Đông, xã Kim Xá, huyện Vĩnh Tường, tỉnh Vĩnh Phúc", True),
    ("xã Kim Xá huyện Vĩnh Tường", True),
    ("Thôn Đông, xã Yên Bình", False),
    ("Thôn Đông, Yên Bình", False),
    ("Thôn Yên Bình, Kim Xá", True),  # a village named like another commune
    ("Phường Trưng Nhị, TP Phúc Yên", False),
    ("Xã Kim Xá, huyện Yên Lạc", False),
    ("Kim Xá, Vĩnh Tường, Hà Nội", True),  # bare province names are not judged
    ("Số 5, tỉnh Phú Thọ", False),
])
def test_address_not_local(settings, kim_xa, address, local):
    assert (address_not_local(address, kim_xa, settings) == "") is local


def test_fields_and_phones(settings, kim_xa):
    one_field = make_list(**{f"r{i}": {"field": "Hộ tịch"} for i in range(1, 31)})
    probs = check_list(one_field, kim_xa, settings)
    assert codes(probs) == [("list.fields_not_representative", None)]
    assert probs[0].severity.value == "warning" and "1 lĩnh vực" in probs[0].message
    phones = make_list(r1={"phone": "12345"}, r2={"phone": "+84 912 345 678"}, r3={"phone": "0211.3861234"})
    assert codes(check_list(phones, kim_xa, settings)) == [("list.bad_phone", 1)]
    assert is_vietnamese_phone("0987 654 321") and not is_vietnamese_phone("01234567890")


def test_no_received_column(settings, kim_xa):
    cols = dict(ALL_COLUMNS)
    del cols["received"]
    assert codes(check_list(make_list(columns=cols), kim_xa, settings)) == [("list.result_not_received", None)]
