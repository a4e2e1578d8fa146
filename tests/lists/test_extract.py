
from automation.formats.word import read_docx
from automation.lists.extract import find_list, looks_like_list_title
from tests.builders import list_document, person_rows, tnr_document


def test_canonical_list(tmp_path):
    path = list_document(tmp_path / "a.docx")
    rl = find_list(read_docx(path))
    assert rl is not None and len(rl.respondents) == 30
    assert set(rl.columns) == {"stt", "name", "address", "phone", "field", "procedure", "submitted", "received"}
    first = rl.respondents[0]
    assert (first.row, first.name, first.field) == (1, "Nguyễn Văn An A", "Hộ tịch")
    assert rl.heading == ["UBND XÃ KIM XÁ", "DANH SÁCH"]


def test_renamed_and_reordered_columns(tmp_path):
    headers = ["TT", "Tên TTHC", "Họ tên", "SĐT", "Lĩnh vực TTHC", "Nơi cư trú", "Ngày tiếp nhận", "Ngày trả kết quả"]
    rows = [[r[0], r[5], r[1], r[3], r[4], r[2], r[6], r[7]] for r in person_rows(30)]
    rl = find_list(read_docx(list_document(tmp_path / "b.docx", rows=rows, headers=headers)))
    assert rl.columns == {"stt": 0, "procedure": 1, "name": 2, "phone": 3, "field": 4, "address": 5,
                          "submitted": 6, "received": 7}
    p = rl.respondents[3]
    assert p.procedure == person_rows(30)[3][5] and p.received_text == person_rows(30)[3][7]


def test_two_row_merged_header_title_row_numbering_and_sections(tmp_path):
    doc = tnr_document()
    doc.add_paragraph("DANH SÁCH NGƯỜI ĐÃ GIAO DỊCH")
    t = doc.add_table(rows=4, cols=6)
    title = t.cell(0, 0).merge(t.cell(0, 5))
    title.text = "Bộ phận một cửa xã Tam Phúc"
    for c, text in ((0, "STT"), (1, "Họ và tên"), (2, "Địa chỉ"), (3, "Thủ tục hành chính")):
        t.cell(1, c).merge(t.cell(2, c)).text = text
    t.cell(1, 4).merge(t.cell(1, 5)).text = "Ngày"
    t.cell(2, 4).text = "Tiếp nhận"
    t.cell(2, 5).text = "Trả kết quả"
    for c in range(6):
        t.cell(3, c).text = f"({c + 1})"
    sec = t.add_row().cells
    sec[0].merge(sec[5]).text = "I. Lĩnh vực Hộ tịch"
    for i in range(2):
        cells = t.add_row().cells
        for cell, text in zip(cells, [str(i + 1), f"Lê Văn {i}", "Thôn Nam", "Khai sinh", "02/03/2021", "04/03/2021"]):
            cell.text = text
    sec = t.add_row().cells
    sec[0].merge(sec[5]).text = "II. Lĩnh vực Chứng thực"
    cells = t.add_row().cells
    for cell, text in zip(cells, ["3", "Đỗ Thị C", "Thôn Bắc", "Chứng thực bản sao", "02/03/2021", ""]):
        cell.text = text
    t.add_row()  # an empty trailing row
    doc.save(tmp_path / "c.docx")
    rl = find_list(read_docx(tmp_path / "c.docx"))
    assert rl.columns["submitted"] == 4 and rl.columns["received"] == 5
    assert [(p.name, p.field) for p in rl.respondents] == [("Lê Văn 0", "Lĩnh vực Hộ tịch"),
                                                         ("Lê Văn 1", "Lĩnh vực Hộ tịch"),
                                                         ("Đỗ Thị C", "Lĩnh vực Chứng thực")]
    assert rl.respondents[2].received_text == ""


def test_the_list_table_is_the_one_with_list_columns(tmp_path):
    doc = tnr_document()
    head = doc.add_table(rows=1, cols=2)
    head.cell(0, 0).text = "UBND XÃ KIM XÁ"
    head.cell(0, 1).text = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    path = list_document(tmp_path / "d.docx", doc=doc, heading=("DANH SÁCH",))
    read = read_docx(path)
    rl = find_list(read)
    assert rl.table == 2 and len(rl.respondents) == 30
    assert any("KIM XÁ" in h for h in rl.heading)


def test_no_list():
    assert looks_like_list_title(["DANH SÁCH cá nhân"]) and looks_like_list_title(["DS_Kim_Xa"])
    assert not looks_like_list_title(["BÁO CÁO tự đánh giá"])


def test_document_without_a_list_table(tmp_path):
    doc = tnr_document()
    doc.add_paragraph("BÁO CÁO")
    t = doc.add_table(rows=2, cols=2)
    t.cell(0, 0).text = "Nội dung"
    doc.save(tmp_path / "e.docx")
    assert find_list(read_docx(tmp_path / "e.docx")) is None
