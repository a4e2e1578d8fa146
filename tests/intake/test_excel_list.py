"""An Excel list through the inbox: filed as a list (never evidence), with a letter, counted in the status
sheet, and sampled for the survey when the configuration takes Excel lists."""

from __future__ import annotations

import datetime as dt
import shutil

import docx
import openpyxl
import pytest

from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.app import process_inbox as process_once
from automation.problems import CATALOG
from automation.app import write_status
from automation.status.workbook import KIND_SUBCOLUMNS, SHEET_PROBLEMS, SHEET_SUMMARY, SHEET_UNITS
from automation.app import draw_sample
from tests.builders import person_rows
from tests.sheet_builders import convert, list_workbook

KIM_XA, YEN_BINH = "09079", "09082"


def _run(ws):
    return process_once(load_settings(ws), settle_timeout_s=20)


def _subs(ws):
    with Ledger(ws / LEDGER_NAME) as ledger:
        return {s.original_name: s for s in ledger.submissions.all()}


def _letter_text(path) -> str:
    d = docx.Document(str(path))
    cells = [c.text for t in d.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in d.paragraphs] + cells)


def _allow_excel(ws) -> None:
    toml = ws / "cchc.toml"
    text = toml.read_text(encoding="utf-8")
    assert 'formats = ["word"]' in text
    toml.write_text(text.replace('formats = ["word"]', 'formats = ["word", "excel"]'), encoding="utf-8")


@pytest.mark.libreoffice
def test_excel_lists_are_lists_with_letters_and_count_as_received(fast_ws, tmp_path):
    ws = fast_ws
    kim = person_rows(29)  # one person short
    list_workbook(ws / "inbox" / "DS Kim Xá.xlsx", rows=kim, two_row_header=True)
    yen = person_rows(30, unit="Yên Bình")
    yen[2][2] = "Thôn Nam, xã Tam Phúc"  # lives in another commune
    src = list_workbook(tmp_path / "danh-sach-yen-binh.xlsx", rows=yen, unit="Yên Bình", before=("Bìa",))
    shutil.copyfile(convert(src, "xls", tmp_path / "xls"), ws / "inbox" / "danh-sach-yen-binh.xls")
    result = _run(ws)
    assert result.claimed == 2 and result.statuses == {"archived": 2}
    subs = _subs(ws)
    for name, code, slug, content in (("DS Kim Xá.xlsx", KIM_XA, "xa-kim-xa", "list.count"),
                                      ("danh-sach-yen-binh.xls", YEN_BINH, "xa-yen-binh", "list.address_not_local")):
        sub = subs[name]
        assert (sub.kind, sub.unit_code, sub.status, sub.verdict, sub.version) == \
            ("respondent_list", code, "archived", "rejected", 1), name
        assert (ws / sub.path).parent == ws / "luu-tru" / slug / "danh-sach"
        codes = [p["code"] for p in sub.problems]
        assert codes[0] == "list.not_word" and codes[1:] == [content], codes
        text = _letter_text(ws / sub.feedback_path)
        detail = "tệp Excel (.xlsx)" if name.endswith(".xlsx") else "tệp Excel 97-2003 (.xls)"
        assert f"Danh sách phải lập bằng tệp Word (.doc, .docx) theo kế hoạch; tệp gửi đến là {detail}." in text
        assert CATALOG["list.not_word"].fix.split(";")[0] in text
        assert "danh sách người đã giao dịch TTHC" in text
    status = write_status(load_settings(ws), dt.date(2021, 10, 26))
    wb = openpyxl.load_workbook(status)
    rows = {r[0]: r for r in ([c.value for c in row] for row in wb[SHEET_UNITS].iter_rows(min_row=2))}
    for code in (KIM_XA, YEN_BINH):
        lst = rows[code][2:2 + len(KIND_SUBCOLUMNS)]
        assert lst[0] == "Có" and lst[2] == 1 and lst[4] == "Không đạt"
        assert lst[5] == "2 lỗi"  # in words, with their codes, on the problems sheet
    problems = {(r[0], r[6]): r[5] for r in wb[SHEET_PROBLEMS].iter_rows(min_row=2, values_only=True)}
    assert problems[(KIM_XA, "list.not_word")].startswith("Danh sách phải lập bằng tệp Word")
    assert rows["09142"][2] == "Chưa"
    summary = [[c.value for c in row] for row in wb[SHEET_SUMMARY].iter_rows()]
    lists = next(r for r in summary if r[0] and str(r[0]).startswith("Danh sách"))
    assert lists[3:] == [2, 2, 0]  # received, on time, accepted


def test_an_excel_list_is_accepted_when_excel_is_allowed_and_sampled(fast_ws, capsys):
    ws = fast_ws
    _allow_excel(ws)
    (ws / "inbox" / "Kim Xá").mkdir()
    list_workbook(ws / "inbox" / "Kim Xá" / "ds.xlsx", titles=(), sheet="Sheet1")  # the unit only from the folder
    _run(ws)
    [sub] = _subs(ws).values()
    assert (sub.kind, sub.unit_code, sub.verdict, sub.problems) == ("respondent_list", KIM_XA, "accepted", [])
    assert (ws / sub.path).parent == ws / "luu-tru" / "xa-kim-xa" / "danh-sach"
    assert "ĐẠT" in _letter_text(ws / sub.feedback_path)
    sample = draw_sample(load_settings(ws), 10, 7)
    kim = [p for p in sample.people if p.unit_code == KIM_XA]
    assert len(kim) == 10 and sample.sources == {KIM_XA: sub.id}
    everyone = {r[1]: r for r in person_rows(30)}
    for p in kim:  # as typed in the list: the phone got its zero back
        assert (p.address, p.phone, p.field, p.procedure) == tuple(everyone[p.name][i] for i in (2, 3, 4, 5))


def test_an_excel_list_refused_by_format_is_not_sampled(fast_ws):
    ws = fast_ws
    list_workbook(ws / "inbox" / "DS Kim Xá.xlsx")
    _run(ws)
    sample = draw_sample(load_settings(ws), 10, 7)
    assert not sample.people
    assert ("Xã Kim Xá", "danh sách chưa đạt (list.not_word); cần xã gửi lại") in sample.missing


def test_other_spreadsheets_stay_evidence(fast_ws):
    ws = fast_ws
    folder = ws / "inbox" / "Xã Tam Phúc"
    folder.mkdir()
    wb = openpyxl.Workbook()
    wb.active.append(["Tháng", "Số hồ sơ", "Đúng hạn"])
    wb.active.append(["1", 12, 12])
    wb.save(folder / "2.2 Thong ke ho so.xlsx")
    _run(ws)
    [sub] = _subs(ws).values()
    assert (sub.kind, sub.unit_code, sub.criterion, sub.status, sub.problems) == \
        ("evidence", "09142", "2.2", "archived", [])
    assert sub.feedback_path is None
