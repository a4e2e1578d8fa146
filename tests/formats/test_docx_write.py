"""``formats/docx_write``: the Times New Roman / Decree 30 base, the XML-safe text filter and the table helpers."""

from __future__ import annotations

import subprocess
import unicodedata
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Mm
from lxml import etree

from automation.formats import docx_write as dw
from automation.formats.convert import find_soffice
from automation.formats.word import read_docx

TNR = "Times New Roman"
SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VIETNAMESE = "Ủy ban nhân dân xã Kim Xá: Đăng ký khai sinh, chứng thực bản sao; người được phỏng vấn hài lòng"


def _xml(path, part: str):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read(part))


def _saved(doc, tmp_path, name="d.docx"):
    path = tmp_path / name
    doc.save(str(path))
    return path


def _slots(rf) -> dict[str, str | None]:
    return {s: rf.get(f"{W}{s}") for s in SLOTS}


# --- the document base ----------------------------------------------------------------------------------

def test_new_document_is_times_new_roman_in_every_slot_without_theme_fonts(tmp_path):
    styles = _xml(_saved(dw.new_document(), tmp_path), "word/styles.xml")
    defaults = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    [normal] = [s for s in styles.iter(f"{W}style") if s.get(f"{W}styleId") == "Normal"]
    for rf in (defaults, normal.find(f"{W}rPr/{W}rFonts")):
        assert dict(rf.attrib) == {f"{W}{s}": TNR for s in SLOTS}
    every = list(styles.iter(f"{W}rFonts"))
    assert len(every) > 50  # the headings, captions… of python-docx's template
    assert all(_slots(rf) == dict.fromkeys(SLOTS, TNR) for rf in every)
    assert not any(rf.get(f"{W}{a}") for rf in every for a in THEME)


def test_new_document_size_language_and_spacing(tmp_path):
    styles = _xml(_saved(dw.new_document(size_pt=13, line_spacing=1.1), tmp_path), "word/styles.xml")
    rpr = styles.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    assert [rpr.find(f"{W}{t}").get(f"{W}val") for t in ("sz", "szCs", "lang")] == ["26", "26", "vi-VN"]
    spacing = styles.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr/{W}spacing")
    assert (spacing.get(f"{W}after"), spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("0", "264", "auto")
    doc = docx.Document(str(tmp_path / "d.docx"))
    assert doc.styles["Normal"].font.size.pt == 13


def test_new_document_is_a4_with_the_decree_margins(tmp_path):
    sect = _xml(_saved(dw.new_document(), tmp_path), "word/document.xml").find(f"{W}body/{W}sectPr")
    size, mar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
    twips = {k: int(v) for k, v in mar.attrib.items()}
    assert (int(size.get(f"{W}w")), int(size.get(f"{W}h"))) == (11906, 16838)  # 210 × 297 mm
    assert size.get(f"{W}orient") in (None, "portrait")
    mm = {k[len(W):]: round(v * 25.4 / 1440) for k, v in twips.items()}
    assert (mm["top"], mm["bottom"], mm["left"], mm["right"]) == (20, 20, 30, 15)


def test_landscape_and_other_margins():
    sec = dw.new_document(margins_mm=(20, 20, 25, 15), landscape=True).sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (297, 210)
    assert sec._sectPr.find(qn("w:pgSz")).get(qn("w:orient")) == "landscape"
    assert [round(m.mm) for m in (sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin)] == [
        20, 20, 25, 15]


def test_page_numbers_from_page_two(tmp_path):
    doc = dw.new_document(header_mm=10)
    dw.page_numbers(doc.sections[0], size_pt=13)
    doc = docx.Document(str(_saved(doc, tmp_path)))
    sec = doc.sections[0]
    assert sec.different_first_page_header_footer and not sec.first_page_header.paragraphs[0].text
    header = sec.header._element
    assert [t.text for t in header.iter(qn("w:instrText"))] == [" PAGE "]
    assert [f.get(qn("w:fldCharType")) for f in header.iter(qn("w:fldChar"))] == ["begin", "separate", "end"]
    assert round(sec.header_distance.mm) == 10


# --- fonts on any element ---------------------------------------------------------------------------------

def test_set_font_all_slots_on_a_plain_lxml_run_property():
    rpr = etree.fromstring(f'<w:rPr xmlns:w="{W[1:-1]}"><w:rStyle w:val="Strong"/><w:b/></w:rPr>')
    rf = dw.set_font_all_slots(rpr, TNR)
    assert [el.tag for el in rpr] == [f"{W}rStyle", f"{W}rFonts", f"{W}b"]  # the schema's order
    assert _slots(rf) == dict.fromkeys(SLOTS, TNR)
    rf.set(f"{W}asciiTheme", "minorHAnsi")
    rf.set(f"{W}hint", "eastAsia")
    assert dw.set_font_all_slots(rpr, "Arial") is rf
    assert _slots(rf) == dict.fromkeys(SLOTS, "Arial") and rf.get(f"{W}asciiTheme") is None
    assert rf.get(f"{W}hint") == "eastAsia"


def test_set_font_all_slots_on_a_run_without_properties():
    p = dw.new_document().add_paragraph()
    run = p.add_run("chữ")
    dw.set_font_all_slots(run._r, "Arial")
    assert run.font.name == "Arial" and _slots(run._r.rPr.rFonts) == dict.fromkeys(SLOTS, "Arial")


# --- text XML can hold ------------------------------------------------------------------------------------

@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0e", "\x1f",  # C0 controls
                                 "\ud800", "\udbff", "\udc00", "\udfff",  # lone surrogates
                                 "\ufffe", "\uffff"])  # non-characters
def test_xml_text_drops_what_xml_cannot_hold(bad):
    assert dw.xml_text(f"Kim{bad} Xá") == "Kim Xá"
    assert dw.xml_chars(f"a{bad}b") == "ab"


def test_xml_text_keeps_vietnamese_and_the_rest_of_unicode():
    nfd = unicodedata.normalize("NFD", VIETNAMESE)
    assert dw.xml_text(nfd) == VIETNAMESE and unicodedata.is_normalized("NFC", dw.xml_text(nfd))
    kept = "\t\n\r \x7f\x85\u00a0\ud7ff\ue000\ufffd\U0001f600\U0010ffff ☐ “…” –"
    assert dw.xml_text(kept) == kept
    assert dw.xml_chars(nfd) == nfd  # the filter alone does not normalise
    assert dw.xml_text(None) == "" and dw.xml_text(30) == "30"


def test_xml_text_on_one_line():
    assert dw.xml_text("mục lục\x0bbị hỏng\x01\ntrang\t2\r\n\u2028x", one_line=True) == "mục lục bị hỏng trang 2   x"


def test_damaged_text_goes_into_a_document(tmp_path):
    doc = dw.new_document()
    dw.para(doc, "Tệp “DS\x07\ud800.doc”\x0b Kim Xá", bold=True, one_line=True)
    dw.run(dw.para(doc), "dòng 1\ndòng 2\x00")
    texts = [p.text for p in docx.Document(str(_saved(doc, tmp_path))).paragraphs]
    assert texts == ["Tệp “DS.doc”  Kim Xá", "dòng 1\ndòng 2"]


# --- paragraphs and tables ----------------------------------------------------------------------------------

def test_para_formatting_and_the_cells_own_first_paragraph():
    doc = dw.new_document()
    p = dw.para(doc, "Điều 1.", size=14, bold=True, align="justify", before=6, after=12, indent=True)
    assert p.alignment == dw.JUSTIFY and p.paragraph_format.first_line_indent == Mm(12.7)
    assert (p.paragraph_format.space_before.pt, p.paragraph_format.space_after.pt) == (6, 12)
    assert p.runs[0].bold and p.runs[0].font.size.pt == 14 and p.runs[0].italic is None
    cell = dw.table(doc, (80, 85)).cell(0, 0)
    last = dw.cell_lines(cell, [("Nơi nhận:", {"size": 12, "bold": True, "italic": True}),
                                ("- Lưu: VT.", {"size": 11})], align=dw.LEFT)
    assert [q.text for q in cell.paragraphs] == ["Nơi nhận:", "- Lưu: VT."] and last.text == "- Lưu: VT."
    assert dw.para(cell, "tiếp").text == "tiếp" and len(cell.paragraphs) == 3


def test_table_borders_widths_and_rows():
    doc = dw.new_document()
    grid = dw.table(doc, (15, 64, 38), rows=3, borders=True, header_rows=1, cant_split=True, cell_margins_mm=1)
    plain = dw.table(doc, (62, 103), borders=False)
    styled = dw.table(doc, (100, 157), style="Table Grid", align=None, fixed=False)
    assert {e.get(qn("w:val")) for e in grid._tbl.tblPr.find(qn("w:tblBorders"))} == {"single"}
    assert {e.get(qn("w:val")) for e in plain._tbl.tblPr.find(qn("w:tblBorders"))} == {"nil"}
    assert styled._tbl.tblPr.find(qn("w:tblBorders")) is None and styled.style.name == "Table Grid"
    assert [round(c.width.mm) for c in grid.columns] == [15, 64, 38]
    assert [round(c.width.mm) for c in grid.rows[2].cells] == [15, 64, 38]
    assert not grid.autofit and styled.autofit and styled.alignment is None
    assert [child.tag for child in grid._tbl.tblPr][-3:] == [qn("w:tblLayout"), qn("w:tblCellMar"), qn("w:tblLook")]
    assert grid._tbl.tblPr.find(qn("w:tblCellMar")).find(qn("w:left")).get(qn("w:w")) == "57"  # 1 mm
    flags = [[el.tag for el in row._tr.trPr] for row in grid.rows]
    assert flags == [[qn("w:cantSplit"), qn("w:tblHeader")], [qn("w:cantSplit")], [qn("w:cantSplit")]]
    dw.repeat_header(grid.rows[0])
    assert len(grid.rows[0]._tr.trPr) == 2  # flags are set once


# --- what LibreOffice shows -----------------------------------------------------------------------------------

@pytest.mark.libreoffice
def test_libreoffice_shows_the_vietnamese_list_template_in_a_serif_like_times(tmp_path, settings):
    from automation.forms.self_assessment import write_forms
    from automation.scoring.framework import load_framework

    path = write_forms(tmp_path / "outbox", settings, load_framework()).list_template
    assert {r.fonts.used_by(r.text) == {TNR} for r in read_docx(path).runs if r.visible_text} == {True}
    out = tmp_path / "pdf"
    subprocess.run([find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)], check=True, capture_output=True,
                   timeout=180)
    pdf = out / (path.stem + ".pdf")
    raw = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                         timeout=60).stdout.decode("utf-8")
    text = " ".join(unicodedata.normalize("NFC", raw).split())
    order = ["ỦY BAN NHÂN DÂN XÃ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "DANH SÁCH",
             "Tổ chức, cá nhân đã giao dịch và nhận kết quả giải quyết thủ tục hành chính", "Họ và tên",
             "Ghi chú:", "không có địa chỉ tại địa phương", "NGƯỜI LẬP DANH SÁCH", "TM. ỦY BAN NHÂN DÂN"]
    positions = [text.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions) if p == -1]
    assert positions == sorted(positions)
    # Times New Roman, or its metric twin where it is not installed; a theme font would show as Carlito/Calibri
    fonts = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, timeout=60).stdout.decode()
    names = {line.split()[0].split("+")[-1] for line in fonts.splitlines()[2:] if line.strip()}
    assert names and all(n.startswith(("TimesNewRoman", "LiberationSerif")) for n in names), names
