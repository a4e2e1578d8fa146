"""Lists laid out as clerks lay them out: several tables, repeated headers, group and total rows."""

from docx.enum.text import WD_BREAK

from automation.formats.word import read_docx
from automation.lists.extract import find_list
from automation.lists.rules import check_list
from tests.builders import HEADERS, person_rows, tnr_document


def _table(doc, rows, headers=HEADERS):
    table = doc.add_table(rows=0, cols=len(headers if headers else rows[0]))
    for r in ([headers] if headers else []) + rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, r):
            cell.text = text
    return table


def _page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _read(doc, path):
    doc.save(path)
    return find_list(read_docx(path))


def test_page_break_with_header_typed_again_and_without(tmp_path):
    people = person_rows(30)
    doc = tnr_document()
    doc.add_paragraph("UBND XÃ KIM XÁ")
    doc.add_paragraph("DANH SÁCH")
    _table(doc, people[:12])
    _page_break(doc)
    _table(doc, people[12:22])  # the header typed again
    _page_break(doc)
    _table(doc, people[22:], headers=None)  # carries on without a header
    doc.add_paragraph("Người lập biểu")
    rl = _read(doc, tmp_path / "a.docx")
    assert len(rl.respondents) == 30 and rl.tables == [1, 2, 3]
    assert [p.name for p in rl.respondents] == [r[1] for r in people]
    assert [p.row for p in rl.respondents] == list(range(1, 31))


def test_a_table_per_field_with_its_heading_between(tmp_path):
    people = [r[:4] + r[5:] for r in person_rows(30)]  # no field column: the headings say it
    headers = [h for h in HEADERS if h != "Lĩnh vực"]
    doc = tnr_document()
    doc.add_paragraph("DANH SÁCH NGƯỜI ĐÃ GIAO DỊCH TẠI BỘ PHẬN MỘT CỬA XÃ KIM XÁ")
    for title, chunk in (("I. Lĩnh vực Hộ tịch", people[:10]), ("II. Lĩnh vực Chứng thực", people[10:20]),
                         ("III. Lĩnh vực Đất đai", people[20:])):
        doc.add_paragraph(title)
        _table(doc, chunk, headers)
    rl = _read(doc, tmp_path / "b.docx")
    assert len(rl.respondents) == 30
    assert [p.field for p in rl.respondents[9:11]] == ["Lĩnh vực Hộ tịch", "Lĩnh vực Chứng thực"]
    assert rl.respondents[-1].field == "Lĩnh vực Đất đai"


def test_unrelated_tables_after_the_list_are_never_merged(tmp_path):
    doc = tnr_document()
    _table(doc, person_rows(30))
    # a summary by field, and a signature block laid out as a table of the same width
    _table(doc, [["Hộ tịch", "10"], ["Chứng thực", "20"]], headers=["Lĩnh vực", "Số người"])
    sig = [["", "NGƯỜI LẬP BIỂU", "", "", "", "", "CHỦ TỊCH", ""], ["", "(Ký, ghi rõ họ tên)", "", "", "", "", "", ""],
           ["", "Nguyễn Văn Lập", "", "", "", "", "Trần Văn Chủ", ""]]
    _table(doc, sig, headers=None)
    rl = _read(doc, tmp_path / "c.docx")
    assert len(rl.respondents) == 30 and rl.tables == [1]


def test_repeated_header_group_rows_total_and_trailing_rows_are_not_people(tmp_path):
    people = person_rows(30)
    rows = ([["I", "LĨNH VỰC HỘ TỊCH", "", "", "", "", "", ""]] + people[:15] + [HEADERS]
            + [["II.", "Lĩnh vực Chứng thực", "", "", "", "", "", ""]] + people[15:]
            + [["Tổng cộng: 30 người"] * 8, ["", "", "", "", "", "", "", ""], ["", "", "", "", "", "", "", ""]])
    doc = tnr_document()
    _table(doc, rows)
    rl = _read(doc, tmp_path / "d.docx")
    assert len(rl.respondents) == 30
    assert rl.respondents[0].name == people[0][1] and rl.respondents[15].name == people[15][1]


def test_group_heading_supplies_the_field(tmp_path):
    headers = [h for h in HEADERS if h != "Lĩnh vực"]
    rows = [["I", "LĨNH VỰC HỘ TỊCH", "", "", "", "", ""]] + [r[:4] + r[5:] for r in person_rows(3)]
    doc = tnr_document()
    _table(doc, rows, headers)
    rl = _read(doc, tmp_path / "e.docx")
    assert [p.field for p in rl.respondents] == ["LĨNH VỰC HỘ TỊCH"] * 3


def test_extra_columns_and_notes(tmp_path, settings):
    headers = ["STT", "Họ và tên", "Năm sinh", "Giới tính", "Số CCCD", "Địa chỉ", "Số điện thoại", "Lĩnh vực",
               "Tên thủ tục hành chính", "Mã hồ sơ", "Ngày nộp hồ sơ", "Ngày nhận kết quả", "Ghi chú"]
    rows = []
    for r in person_rows(30):
        rows.append(r[:2] + ["1980", "Nam", "026080001234"] + r[2:6] + [f"H{r[0]}"] + r[6:8] + [""])
    rows[4][-1] = "Chưa đến nhận"
    rows[7][-1] = "Hộ khẩu thường trú ở xã khác"
    rows[9][-1] = "Đã nhận đúng hẹn"
    doc = tnr_document()
    _table(doc, rows, headers)
    rl = _read(doc, tmp_path / "f.docx")
    assert rl.columns == {"stt": 0, "name": 1, "address": 5, "phone": 6, "field": 7, "procedure": 8,
                          "submitted": 10, "received": 11, "note": 12}
    probs = check_list(rl, settings.units.by_code("09079"), settings)
    found = sorted((p.code, p.location.row) for p in probs)
    assert found == [("list.address_not_local", 8), ("list.result_not_received", 5)]
    not_received = next(p for p in probs if p.code == "list.result_not_received")
    assert "“Chưa đến nhận”" in not_received.message
    assert not_received.location.describe() == f"danh sách, dòng STT 5 ({rows[4][1]}), cột “Ghi chú”"


def test_appointment_is_not_a_result(tmp_path, settings):
    kim_xa = settings.units.by_code("09079")
    only = ["STT", "Họ và tên", "Địa chỉ", "Lĩnh vực", "Tên thủ tục hành chính", "Ngày nộp hồ sơ",
            "Ngày hẹn trả kết quả"]
    rows = [r[:3] + r[4:8] for r in person_rows(30)]
    doc = tnr_document()
    _table(doc, rows, only)
    rl = _read(doc, tmp_path / "g.docx")
    probs = [p for p in check_list(rl, kim_xa, settings) if p.code == "list.result_not_received"]
    assert len(probs) == 30 and all("hẹn trả" in p.message for p in probs)
    assert "Thay bằng người đã nhận" not in probs[0].fix.split(";")[0]

    both = only + ["Ngày trả kết quả thực tế"]
    doc = tnr_document()
    _table(doc, [r + [r[-1]] for r in rows], both)
    rl = _read(doc, tmp_path / "h.docx")
    assert rl.columns["received"] == 7 and rl.columns["appointment"] == 6
    assert check_list(rl, kim_xa, settings) == []
