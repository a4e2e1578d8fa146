"""``formats/docx_xml``: the text-built paragraphs, runs and tables are, element for element, what the
python-docx helpers of ``formats/docx_write`` build."""

from __future__ import annotations

import docx
import pytest
from docx.oxml.parser import parse_xml
from docx.shared import RGBColor
from lxml import etree

from automation.formats import docx_write as dw
from automation.formats import docx_xml as dx

NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def canon(el) -> str:
    return etree.tostring(el, method="c14n", exclusive=True).decode()


def parsed(xml: str):
    """``xml`` (prefix w:, no declarations) parsed inside a body, as it will be in the document."""
    return parse_xml(f"<w:body {NS}>{xml}</w:body>")[0]


RUNS = [("Ủy ban nhân dân", {}), ("  lề hai bên  ", {"size": 13, "bold": True}),
        ("A & B <c> ]]> \"d\"", {"italic": False, "underline": True}), ("x\ty\nz\r\nw", {"underline": False}),
        ("tab\tand\nbreak", {"one_line": True, "bold": False, "color": "FF0000"}), ("", {"size": 11}),
        ("dấu rời: Xa\u0301 \x0b\x01", {"size": 10.5})]


@pytest.mark.parametrize("text,options", RUNS)
def test_a_run_is_what_docx_write_run_writes(text, options):
    p = docx.Document().add_paragraph()
    color = options.get("color")
    dw.run(p, text, **{**options, "color": RGBColor.from_string(color) if color else None})
    assert canon(parsed(dx.run(text, **options))) == canon(p._p[-1])


@pytest.mark.parametrize("props", [{}, {"align": "center", "before": 6, "after": 12}, {"indent": True},
                                   {"align": "justify", "indent": True, "before": 18, "after": 0},
                                   {"before": None, "after": None}, {"align": "right", "before": None}])
def test_a_paragraph_is_what_docx_write_para_writes(props):
    doc = docx.Document()
    p = dw.para(doc, "Kính gửi", size=14, bold=True, **props)
    assert canon(parsed(dx.para(dx.run("Kính gửi", size=14, bold=True), **props))) == canon(p._p)


@pytest.mark.parametrize("lines,align", [([], "center"), ([], None),
                                         ([("MỘT", {"size": 13}), ("HAI", {"bold": True, "before": 6})], "left"),
                                         ([("", {"after": 3}), ("ba", {"italic": True})], "center")])
def test_cell_lines_and_cells_as_docx_write(lines, align):
    doc = docx.Document()
    table = dw.table(doc, (30, 40), borders=True, rows=1, header_rows=1, cant_split=True, cell_margins_mm=1)
    dw.cell_lines(table.cell(0, 0), lines, align=align, size=12)
    cells = [dx.cell(30, dx.cell_lines(lines, align=align, size=12)), dx.cell(40)]
    built = dx.table((30, 40), [dx.row(cells, header=True, cant_split=True)], borders=True, cell_margins_mm=1)
    assert canon(parsed(built)) == canon(table._tbl)


@pytest.mark.parametrize("options", [{"borders": False}, {"borders": None, "align": None},
                                     {"borders": True, "cell_margins_mm": 1.5}])
def test_tables_as_docx_write(options):
    doc = docx.Document()
    widths = (15, 64, 38, 48)
    table = dw.table(doc, widths, rows=2, **options)
    rows = [dx.row([dx.cell(w) for w in widths]) for _ in range(2)]
    assert canon(parsed(dx.table(widths, rows, **options))) == canon(table._tbl)


def test_vertical_alignment_of_a_cell():
    from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT

    doc = docx.Document()
    cell = dw.table(doc, (20,)).cell(0, 0)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    assert canon(parsed(dx.cell(20, valign="center"))) == canon(cell._tc)


def test_body_xml_and_fields():
    doc = docx.Document()
    dw.para(doc, "{name}", bold=True)
    dw.para(doc, "Họ tên: {name} (không phải trường)")
    dw.para(doc, "{unit}")
    xml = dx.body_xml(doc.element)
    assert "xmlns" not in xml and "sectPr" not in xml and xml.startswith("<w:p>")
    pieces = dx.split_fields(xml, ("name", "unit"))
    assert pieces[1::2] == ["name", "unit"]
    filled = dx.fill_fields(pieces, {"name": "A & <B> {unit}", "unit": "xã Kim Xá"})
    body = parse_xml(f"<w:body {NS}>{filled}</w:body>")
    assert [p.xpath("string(.)") for p in body] == ["A & <B> {unit}", "Họ tên: {name} (không phải trường)",
                                                    "xã Kim Xá"]
    assert len(doc.element.body) == 4  # the document is left as it was (3 paragraphs and its sectPr)
