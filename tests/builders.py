"""Small builders of real .docx files (python-docx + raw WordprocessingML where python-docx stops)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HEADERS = ["STT", "Họ và tên", "Địa chỉ", "Số điện thoại", "Lĩnh vực", "Tên thủ tục hành chính",
           "Ngày nộp hồ sơ", "Ngày nhận kết quả"]
FIELDS = [("Hộ tịch", "Đăng ký khai sinh"), ("Chứng thực", "Chứng thực bản sao từ bản chính"),
          ("Đất đai", "Đăng ký biến động đất đai"), ("Lao động - Thương binh và Xã hội", "Xác nhận hộ nghèo")]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"]
GIVEN = ["Văn An", "Thị Bình", "Đức Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Hùng", "Thị Lan"]


def set_fonts(rpr_owner, ascii="Times New Roman", hAnsi=None, eastAsia=None, cs=None, clear_theme=True):
    """Write w:rFonts on an element owning an rPr (style, run, rPrDefault); None leaves a slot unset."""
    rpr = rpr_owner.get_or_add_rPr() if hasattr(rpr_owner, "get_or_add_rPr") else rpr_owner
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, rf)
    if clear_theme:
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rf.attrib.pop(qn(a), None)
    for slot, value in (("w:ascii", ascii), ("w:hAnsi", hAnsi if hAnsi is not None else ascii),
                        ("w:eastAsia", eastAsia), ("w:cs", cs)):
        if value is not None:
            rf.set(qn(slot), value)
    return rf


def tnr_document(font: str = "Times New Roman") -> Document:
    """A blank document whose defaults and Normal style are ``font`` in every slot."""
    doc = Document()
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, font, font, font, font)
    set_fonts(doc.styles["Normal"].element, font, font, font, font)
    return doc


def person_rows(n: int, year: int = 2021, unit: str = "Kim Xá"):
    rows = []
    for i in range(n):
        field, proc = FIELDS[i % len(FIELDS)]
        name = f"{FAMILY[i % len(FAMILY)]} {GIVEN[(i // len(FAMILY)) % len(GIVEN)]} {chr(65 + i % 26)}"
        month = 1 + i % 9
        rows.append([str(i + 1), name, f"Thôn Đông {i}, xã {unit}", f"09123456{i:02d}", field, proc,
                     f"{3 + i % 20:02d}/{month:02d}/{year}", f"{5 + i % 20:02d}/{month:02d}/{year}"])
    return rows


def list_document(path: Path, rows=None, headers=None, heading=("UBND XÃ KIM XÁ", "DANH SÁCH"),
                  font: str = "Times New Roman", doc=None) -> Path:
    """A respondent list: heading paragraphs, then one table with ``headers`` and ``rows``."""
    doc = doc or tnr_document(font)
    for text in heading:
        doc.add_paragraph(text)
    headers = headers or HEADERS
    rows = person_rows(30) if rows is None else rows
    table = doc.add_table(rows=1, cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
    for r in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, r):
            cell.text = text
    doc.add_paragraph("Người lập biểu")
    doc.save(path)
    return path
