"""Effective fonts and table reading on real .docx files made by python-docx (and by Word, from shared/)."""

from __future__ import annotations

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from automation.formats.word import read_docx
from tests.builders import set_fonts, tnr_document

VN = "Nguyễn Thị Hằng"


def _fonts_of(path, text):
    doc = read_docx(path)
    return [r.fonts for r in doc.runs if r.text == text]


def test_each_rfonts_slot_inherits_on_its_own(tmp_path):
    doc = tnr_document()
    run = doc.add_paragraph().add_run(VN)
    # only eastAsia and cs on the run (what LibreOffice writes after a .doc round trip)
    rpr = run._r.get_or_add_rPr()
    rpr.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:eastAsia="VNI-Times" w:cs=""/>'))
    doc.save(tmp_path / "a.docx")
    [fonts] = _fonts_of(tmp_path / "a.docx", VN)
    assert (fonts.ascii, fonts.hAnsi, fonts.eastAsia) == ("Times New Roman", "Times New Roman", "VNI-Times")
    assert fonts.cs == "Times New Roman"  # an empty w:cs sets nothing
    assert fonts.used_by(VN) == {"Times New Roman"}


def test_hansi_decides_vietnamese_letters(tmp_path):
    doc = tnr_document()
    run = doc.add_paragraph().add_run(VN)
    set_fonts(run._r, ascii="Times New Roman", hAnsi="Arial")
    doc.save(tmp_path / "b.docx")
    assert Document(tmp_path / "b.docx").paragraphs[0].runs[0].font.name == "Times New Roman"  # the trap
    [fonts] = _fonts_of(tmp_path / "b.docx", VN)
    assert fonts.used_by(VN) == {"Times New Roman", "Arial"}
    assert fonts.used_by("Nguyen") == {"Times New Roman"}


def test_theme_fonts_resolve_from_the_theme_part(tmp_path):
    doc = Document()  # python-docx's default: docDefaults asciiTheme=minorHAnsi, theme minor latin
    doc.add_paragraph("Theme text")
    doc.save(tmp_path / "c.docx")
    [fonts] = _fonts_of(tmp_path / "c.docx", "Theme text")
    assert fonts.ascii == "Cambria" and fonts.hAnsi == "Cambria"


def test_style_chains_and_direct_formatting(tmp_path):
    doc = tnr_document()
    base = doc.styles.add_style("BaseArial", 1)
    set_fonts(base.element, "Arial")
    child = doc.styles.add_style("ChildStyle", 1)
    child.base_style = base
    char = doc.styles.add_style("CharTahoma", 2)
    set_fonts(char.element, ascii=None, hAnsi="Tahoma")
    p = doc.add_paragraph(style="ChildStyle")
    p.add_run("inherits Arial")
    r2 = p.add_run("Đúng")
    r2.style = char
    r3 = p.add_run("direct")
    set_fonts(r3._r, "Times New Roman")
    doc.save(tmp_path / "d.docx")
    runs = {r.text: r.fonts for r in read_docx(tmp_path / "d.docx").runs}
    assert runs["inherits Arial"].ascii == "Arial"
    assert (runs["Đúng"].ascii, runs["Đúng"].hAnsi) == ("Arial", "Tahoma")
    assert runs["direct"].used_by("direct") == {"Times New Roman"}


def test_table_style_fonts_apply_to_cells(tmp_path):
    doc = tnr_document()
    tstyle = doc.styles.add_style("ListTable", 3)
    set_fonts(tstyle.element, "Verdana")
    table = doc.add_table(rows=1, cols=1)
    table.style = tstyle
    table.rows[0].cells[0].text = "ô bảng"
    doc.save(tmp_path / "e.docx")
    # the paragraph style chain comes after the table style: Normal's Times New Roman wins
    [fonts] = _fonts_of(tmp_path / "e.docx", "ô bảng")
    assert fonts.hAnsi == "Times New Roman"
    # without a paragraph-style font the table style shows through
    doc2 = Document()
    defaults = doc2.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, "Times New Roman")
    normal_rpr = doc2.styles["Normal"].element.find(qn("w:rPr"))
    if normal_rpr is not None:
        normal_rpr.getparent().remove(normal_rpr)
    ts = doc2.styles.add_style("ListTable", 3)
    set_fonts(ts.element, "Verdana")
    t2 = doc2.add_table(rows=1, cols=1)
    t2.style = ts
    t2.rows[0].cells[0].text = "ô bảng"
    doc2.save(tmp_path / "f.docx")
    [fonts2] = _fonts_of(tmp_path / "f.docx", "ô bảng")
    assert fonts2.hAnsi == "Verdana"


def test_runs_inside_wrappers_are_found_and_hidden_or_deleted_text_is_not(tmp_path):
    doc = tnr_document()
    p = doc.add_paragraph()
    p.add_run("thường ")
    w = nsdecls("w")
    for xml in (
        f'<w:hyperlink {w} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        f'<w:r><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial"/></w:rPr><w:t>liên kết</w:t></w:r></w:hyperlink>',
        f'<w:ins {w} w:id="1" w:author="x"><w:r><w:t xml:space="preserve"> chèn</w:t></w:r></w:ins>',
        f'<w:del {w} w:id="2" w:author="x"><w:r><w:delText>đã xóa</w:delText></w:r></w:del>',
        f'<w:sdt {w}><w:sdtContent><w:r><w:t xml:space="preserve"> điều khiển</w:t></w:r></w:sdtContent></w:sdt>',
        f'<w:smartTag {w} w:uri="u" w:element="e"><w:r><w:t xml:space="preserve"> thẻ</w:t></w:r></w:smartTag>',
        f'<w:r {w}><w:rPr><w:vanish/></w:rPr><w:t>ẩn</w:t></w:r>',
    ):
        p._p.append(parse_xml(xml))
    doc.save(tmp_path / "g.docx")
    read = read_docx(tmp_path / "g.docx")
    assert read.paragraphs == ["thường liên kết chèn điều khiển thẻ"]
    by_text = {r.text: r for r in read.runs}
    assert by_text["liên kết"].fonts.hAnsi == "Arial"
    assert by_text["ẩn"].hidden and not by_text["ẩn"].visible_text
    assert "đã xóa" not in by_text


def test_merged_cells_read_on_a_grid(tmp_path):
    doc = tnr_document()
    t = doc.add_table(rows=3, cols=3)
    a = t.cell(0, 0).merge(t.cell(1, 0))
    a.text = "Họ và tên"
    b = t.cell(0, 1).merge(t.cell(0, 2))
    b.text = "Ngày"
    t.cell(1, 1).text = "Tiếp nhận"
    t.cell(1, 2).text = "Trả kết quả"
    t.cell(2, 0).text = "A"
    doc.save(tmp_path / "h.docx")
    [table] = read_docx(tmp_path / "h.docx").tables
    assert table.rows[0] == ["Họ và tên", "Ngày", "Ngày"]
    assert table.rows[1] == ["Họ và tên", "Tiếp nhận", "Trả kết quả"]


def test_real_word_files(samples):
    applied = read_docx(samples / "docx" / "pydocx-tbl-having-applied-style.docx")
    assert applied.tables and all(r.fonts.ascii for r in applied.runs if r.visible_text)
    merged = read_docx(samples / "docx" / "docxtpl-vertical_merge_tpl.docx")
    assert merged.tables and merged.tables[0].width >= 2
    # a LibreOffice-written file: fonts come from LibreOffice's own defaults
    lo = read_docx(samples / "docx" / "poi-Bug66988-libreoffice75.docx")
    assert {f for r in lo.runs if r.visible_text for f in r.fonts.used_by(r.text)} == {"Liberation Serif"}
    # the eastAsia template: CJK text is shown in the eastAsia font
    ea = read_docx(samples / "docx" / "docxtpl-richtext_eastAsia_tpl.docx")
    cjk = [r for r in ea.runs if any("\u4e00" <= c <= "\u9fff" for c in r.text)]
    assert cjk and all(r.fonts.eastAsia in r.fonts.used_by(r.text) for r in cjk)
