"""Respondent lists in Excel (.xlsx made with openpyxl, .xls/.ods made by LibreOffice), read and checked as
Word lists are: any sheet, title rows in merged cells, two-row merged headers, dates and phones as numbers."""

from __future__ import annotations

import csv
import dataclasses
import re
import unicodedata

import openpyxl
import pytest

from automation.check import check_paths, decode_legacy
from automation.formats.convert import Converter
from automation.formats.sheet import read_workbook
from automation.formats.word import Table
from automation.lists.from_sheet import find_sheet_list, sheet_view
from tests.builders import HEADERS, list_document, person_rows
from tests.sheet_builders import convert, list_workbook


def _codes(report):
    return sorted({p.code for p in report.problems})


def _allowing_excel(settings):
    return dataclasses.replace(settings, list_rules=dataclasses.replace(settings.list_rules, formats=("word", "excel")))


def test_a_clerks_list_on_the_second_sheet_is_a_list(tmp_path, settings):
    path = list_workbook(tmp_path / "danh sach.xlsx", two_row_header=True, before=("Hướng dẫn",), start_col=2,
                         numbering_row=True)
    [rep] = check_paths([path], settings)
    assert (rep.kind, rep.unit.code, rep.respondents, rep.verdict) == ("respondent_list", "09079", 30, "rejected")
    [wrong] = rep.problems  # nothing else is wrong with it
    assert wrong.code == "list.not_word"
    assert wrong.params == {"allowed": "Word (.doc, .docx)", "detail": "tệp Excel (.xlsx)"}
    assert wrong.message == ("Danh sách phải lập bằng tệp Word (.doc, .docx) theo kế hoạch; "
                             "tệp gửi đến là tệp Excel (.xlsx).")
    first, last = rep.respondent_list.respondents[0], rep.respondent_list.respondents[-1]
    expected = person_rows(30)
    assert [first.stt, first.name, first.address, first.phone, first.field, first.procedure,
            first.submitted_text, first.received_text] == expected[0]  # dates and the phone's zero as typed
    assert (last.stt, last.name, last.phone) == ("30", expected[29][1], expected[29][3])
    [ok] = check_paths([path], _allowing_excel(settings))
    assert (ok.kind, ok.verdict, ok.problems, ok.respondents) == ("respondent_list", "accepted", [], 30)


def test_every_content_finding_comes_with_not_word(tmp_path, settings):
    rows = person_rows(29)
    rows[3][2] = "Thôn Nam, xã Tam Phúc"  # not a resident of Kim Xá
    rows[5][7] = ""  # no result yet
    rows[8][5] = ""  # no procedure
    [rep] = check_paths([list_workbook(tmp_path / "ds.xlsx", rows=rows)], settings)
    assert rep.kind == "respondent_list" and rep.respondents == 29
    assert _codes(rep) == ["list.address_not_local", "list.count", "list.missing_value", "list.not_word",
                           "list.result_not_received"]
    assert rep.problems[0].code == "list.not_word"
    address = next(p for p in rep.problems if p.code == "list.address_not_local")
    assert address.location.row == 4 and address.location.column == "Địa chỉ"
    assert "Tam Phúc" in address.message
    [excel_ok] = check_paths([tmp_path / "ds.xlsx"], _allowing_excel(settings))
    assert _codes(excel_ok) == ["list.address_not_local", "list.count", "list.missing_value",
                                "list.result_not_received"]


def test_findings_name_the_sheet_when_there_are_several(tmp_path, settings):
    rows = person_rows(30)
    rows[0][2] = ""
    [rep] = check_paths([list_workbook(tmp_path / "ds.xlsx", rows=rows, before=("Ghi chú",))], settings)
    [missing] = [p for p in rep.problems if p.code == "list.missing_value"]
    assert missing.location.part == "trang tính “Danh sách”"
    assert missing.location.describe().startswith("trang tính “Danh sách”, ")
    [single] = check_paths([list_workbook(tmp_path / "one.xlsx", rows=rows)], settings)
    [missing] = [p for p in single.problems if p.code == "list.missing_value"]
    assert missing.location.part is None


def test_hidden_rows_are_not_people(tmp_path, settings):
    hidden = person_rows(5, unit="Tam Phúc")
    for i, r in enumerate(hidden):
        r[1] = f"Người Ẩn {i}"
    path = list_workbook(tmp_path / "loc.xlsx", hidden_people=hidden)
    assert len(read_workbook(path).sheets[0].hidden_rows) == 5
    [rep] = check_paths([path], _allowing_excel(settings))
    assert rep.respondents == 30 and rep.verdict == "accepted"
    assert not any(p.name.startswith("Người Ẩn") for p in rep.respondent_list.respondents)


def test_legacy_encoded_list_is_decoded_and_reported(tmp_path, settings):
    [rep] = check_paths([list_workbook(tmp_path / "vntime.xlsx", legacy=True)], _allowing_excel(settings))
    assert rep.kind == "respondent_list" and rep.respondents == 30 and rep.unit.code == "09079"
    [enc] = rep.problems  # no font finding in a workbook: only what the cells say is judged
    assert enc.code == "encoding.legacy" and enc.params["encoding"] == "TCVN3"
    assert ".VnTime" in enc.params["font"] and enc.params["count"] == 121  # 30 × 4 text cells and the title
    assert enc.params["decoded"].startswith("DANH SÁCH TỔ CHỨC")
    people = rep.respondent_list.respondents
    assert [(p.name, p.address, p.procedure) for p in people[:2]] == [tuple(r[i] for i in (1, 2, 5))
                                                                      for r in person_rows(2)]


def test_real_legacy_workbook_is_decoded(samples):
    """A real Excel staff list typed in TCVN3 (.VnTime) under Unicode headers: not a respondent list, but
    every name reads as Vietnamese once decoded."""
    book = read_workbook(samples / "vn" / "minkha-input_tcvn3.xlsx")
    view = sheet_view(book.sheets[0], decode_legacy)
    [table] = view.document.tables
    assert table.rows[0][1] == "HỌ TÊN" and table.rows[2][1] == "Nguyễn Thanh Hà"
    assert sum(1 for r in view.document.runs if r.shown) > 100
    assert find_sheet_list(book, decode_legacy) is None


def test_unit_from_the_file_name_or_the_sheet_name(tmp_path, settings):
    rows = person_rows(30, unit="Tam Phúc")
    by_file = list_workbook(tmp_path / "DS_Tam_Phuc.xlsx", rows=rows, titles=(), unit="Tam Phúc")
    by_sheet = list_workbook(tmp_path / "ds.xlsx", rows=person_rows(30, unit="Yên Bình"), titles=(),
                             unit="Yên Bình", sheet="Xã Yên Bình")
    nowhere = list_workbook(tmp_path / "ds2.xlsx", titles=(), sheet="Sheet1")
    reps = {r.path.name: r for r in check_paths([by_file, by_sheet, nowhere], _allowing_excel(settings))}
    assert reps["DS_Tam_Phuc.xlsx"].unit.code == "09142" and reps["ds.xlsx"].unit.code == "09082"
    assert reps["ds2.xlsx"].unit is None and "unit.unknown" in _codes(reps["ds2.xlsx"])
    assert reps["ds2.xlsx"].kind == "respondent_list" and reps["ds2.xlsx"].respondents == 30


def test_the_sheet_excel_opens_on_holds_the_list(tmp_path, settings):
    path = list_workbook(tmp_path / "hai.xlsx")
    wb = openpyxl.load_workbook(path)
    raw = wb.copy_worksheet(wb["Danh sách"])  # an unchecked export of 34 people, before the list
    raw.title = "Dữ liệu gốc"
    for r in person_rows(34)[30:]:
        raw.append(r)
    wb.move_sheet(raw, offset=-1)
    wb.active = 1
    wb.save(path)
    book = read_workbook(path)
    assert [s.name for s in book.sheets] == ["Dữ liệu gốc", "Danh sách"] and book.active == 1
    assert find_sheet_list(book).view.sheet.name == "Danh sách"
    [rep] = check_paths([path], _allowing_excel(settings))
    assert rep.respondents == 30 and rep.verdict == "accepted"
    wb.active = 0
    wb.save(path)
    assert find_sheet_list(read_workbook(path)).view.sheet.name == "Dữ liệu gốc"


def test_a_list_only_on_a_hidden_sheet_is_still_read(tmp_path, settings):
    path = list_workbook(tmp_path / "an.xlsx", before=("Bìa",))
    wb = openpyxl.load_workbook(path)
    wb["Danh sách"].sheet_state = "hidden"
    wb.active = 0
    wb.save(path)
    [rep] = check_paths([path], _allowing_excel(settings))
    assert rep.kind == "respondent_list" and rep.respondents == 30


def test_signature_rows_are_not_people(tmp_path, settings):
    path = list_workbook(tmp_path / "ky.xlsx", signature=False)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.append([])
    ws.append(["NGƯỜI LẬP BIỂU", None, None, "KẾ TOÁN", None, None, "CHỦ TỊCH UBND XÃ"])  # three titles
    ws.append([])
    ws.append(["Nguyễn Văn Lập", None, None, "Lê Thị Toán", None, None, "Trần Văn Chủ"])
    wb.save(path)
    [rep] = check_paths([path], _allowing_excel(settings))
    assert rep.respondents == 30 and rep.verdict == "accepted", rep.problems


def test_group_rows_and_a_numbering_row(tmp_path, settings):
    rows = person_rows(30)
    path = list_workbook(tmp_path / "nhom.xlsx", rows=[], numbering_row=True, signature=False)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    fields = ("Hộ tịch", "Tư pháp", "Chứng thực", "Đất đai", "Lao động - Thương binh và Xã hội")
    for numeral, field in zip(("I", "II", "III", "IV", "V"), fields):
        if numeral != "I":
            ws.append([])  # a blank row before each group but the first
        ws.append([f"{numeral}. LĨNH VỰC {field.upper()}"])  # merged across the table
        ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=8)
        for r in (r for r in rows if r[4] == field):  # nobody under "Tư pháp"
            ws.append(r)
    wb.save(path)
    [rep] = check_paths([path], _allowing_excel(settings))
    assert rep.respondents == 30 and rep.verdict == "accepted", rep.problems
    assert [p.name for p in rep.respondent_list.respondents] == [r[1] for f in fields for r in rows if r[4] == f]


def test_other_spreadsheets_are_not_lists(tmp_path, settings):
    wb = openpyxl.Workbook()
    wb.active.append(["Tháng", "Thu", "Chi"])
    wb.active.append(["1", 100, 80])
    wb.save(tmp_path / "thu-chi.xlsx")
    announced = list_workbook(tmp_path / "ds-khac.xlsx", headers=["TT", "Tên", "Nơi", "Việc", "Ngày", "Số", "Ký",
                                                                 "Khác"], rows=[])
    reps = {r.path.name: r for r in check_paths([tmp_path / "thu-chi.xlsx", announced], settings)}
    other = reps["thu-chi.xlsx"]
    assert (other.kind, _codes(other)) == ("spreadsheet", ["file.unsupported"])
    assert "cũng không có bảng danh sách" in other.problems[0].message
    # a title announcing the list of people who did TTHC, with a table whose columns are not a list's
    lst = reps["ds-khac.xlsx"]
    assert (lst.kind, lst.unit.code, _codes(lst)) == ("respondent_list", "09079", ["list.not_word",
                                                                                    "list.table_missing"])


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).casefold()
    return [w for w in re.findall(r"\w+", text) if any(ord(c) > 0x7F for c in w)]


@pytest.mark.libreoffice
def test_real_legacy_xls_files_read_as_their_transcripts(samples):
    """The real TCVN3 and VNI .xls files, converted by LibreOffice and seen through the sheet view, say
    what their proof-read Unicode transcripts say: no mis-decoded word, and (but one) no word lost."""
    manifest = list(csv.DictReader((samples / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines(),
                                   delimiter="\t"))
    truth = {src: samples / row["path"] for row in manifest if row["path"].startswith("vn/ground-truth/")
             for src in (samples / "vn").iterdir() if src.suffix == ".xls" and src.name in row["exercises"]}
    assert len(truth) >= 3
    with Converter() as conv:
        for src, xlsx in conv.convert_many(sorted(truth), "xlsx").items():
            texts = []
            for sheet in read_workbook(xlsx).sheets:
                for block in sheet_view(sheet, decode_legacy).document.blocks:
                    if isinstance(block, Table):
                        texts.extend(c for row in block.rows for c in row)
                    else:
                        texts.append(block.text)
            ours, theirs = _words("\n".join(texts)), _words(truth[src].read_text(encoding="utf-8"))
            assert set(ours) <= set(theirs), (src.name, sorted(set(ours) - set(theirs))[:10])
            # every word but a two-letter "¤ng" in an Arial cell, too short for the decoder to judge
            assert len(set(ours)) >= len(set(theirs)) - 1, (src.name, sorted(set(theirs) - set(ours)))


@pytest.mark.libreoffice
def test_a_web_page_list_is_of_the_family_its_name_says(tmp_path, settings):
    """A one-stop-shop's web export is an HTML table saved as .xls ("Xuất Excel") or .doc ("Xuất Word"): the
    commune opens and sends it as what its name says.  An .odt is a Word-family document."""
    cells = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in person_rows(30))
    head = "".join(f"<th>{h}</th>" for h in HEADERS)
    page = (f'<html><head><meta charset="utf-8"></head><body><p>UBND XÃ KIM XÁ</p><p>DANH SÁCH</p>'
            f"<table border=1><tr>{head}</tr>{cells}</table></body></html>")
    (tmp_path / "ds-web.xls").write_text(page, encoding="utf-8")
    (tmp_path / "ds-web.doc").write_text(page, encoding="utf-8")
    odt = convert(list_document(tmp_path / "ds.docx"), "odt", tmp_path / "odt")
    paths = [tmp_path / "ds-web.xls", tmp_path / "ds-web.doc", odt]
    reps = check_paths(paths, settings)
    for rep in reps:
        assert (rep.kind, rep.respondents) == ("respondent_list", 30), rep.path.name
    xls, doc, odt_rep = reps
    [wrong] = [p for p in xls.problems if p.code == "list.not_word"]
    assert wrong.params["detail"] == "trang web (HTML) mang đuôi .xls"
    assert "list.not_word" not in _codes(doc) and "list.not_word" not in _codes(odt_rep)
    assert all("list.not_word" not in _codes(r) for r in check_paths(paths, _allowing_excel(settings)))


@pytest.mark.libreoffice
def test_xls_and_ods_made_by_libreoffice(tmp_path, settings):
    (tmp_path / "src").mkdir()
    src = list_workbook(tmp_path / "src" / "DS Kim Xá.xlsx", two_row_header=True, legacy=True)
    xls, ods = convert(src, "xls", tmp_path / "xls"), convert(src, "ods", tmp_path / "ods")
    reps = check_paths([xls, ods], settings)
    for rep, detail in zip(reps, ("tệp Excel 97-2003 (.xls)", "tệp OpenDocument bảng tính (.ods)")):
        assert (rep.kind, rep.unit.code, rep.respondents) == ("respondent_list", "09079", 30), rep.problems
        assert _codes(rep) == ["encoding.legacy", "list.not_word"]
        assert rep.problems[0].params["detail"] == detail
        first = rep.respondent_list.respondents[0]
        assert [first.name, first.phone, first.submitted_text] == [person_rows(1)[0][i] for i in (1, 3, 6)]
    assert [r.verdict for r in check_paths([xls, ods], _allowing_excel(settings))] == ["rejected"] * 2  # legacy
