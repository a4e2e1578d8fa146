"""Writing Word documents: the one Times New Roman / Decree 30 base and the helpers every writer shares.

Decree 30/2020 (domain.md §5): A4 (portrait; landscape only for wide tables), margins top and bottom 20-25 mm,
left 30-35 mm, right 15-20 mm, Times New Roman, page numbers centred in the top margin and none on page 1.
:func:`new_document` makes that base: the font in all four ``w:rFonts`` slots (ascii, hAnsi, eastAsia, cs) of
the document defaults, of Normal and of every style that names a font, with the theme attributes
(``w:asciiTheme`` …) removed because a theme reference beats a literal font name; the size in the defaults
and in Normal; the language; the default paragraph spacing; the page and its margins.

The paragraph, run, table and row helpers below are the ones the blank forms, the survey form (built once a
run), the demo's sample lists and ``tools/make_templates.py`` build with; :mod:`automation.formats.docx_xml`
writes the same elements as text for the documents written many times (the feedback letters).  Text put into a run goes
through :func:`xml_text` (NFC, without the characters XML 1.0 cannot hold), so a damaged file name or a
stray vertical tab pasted from Word never makes python-docx refuse the document.

Format layer: python-docx, lxml and the package's base modules only; no settings, no unit, no domain word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Length, Mm, Pt
from docx.table import _Cell

from automation.formats.wordfonts import SLOTS, THEME_ATTR, w
from automation.vntext import nfc

FONT = "Times New Roman"
DECREE_MARGINS_MM = (20, 20, 30, 15)  # top, bottom, left, right
FIRST_LINE_INDENT = Mm(12.7)  # 1.27 cm
CENTER, LEFT, RIGHT, JUSTIFY = (WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.LEFT, WD_ALIGN_PARAGRAPH.RIGHT,
                                WD_ALIGN_PARAGRAPH.JUSTIFY)
ALIGN = {"left": LEFT, "center": CENTER, "right": RIGHT, "justify": JUSTIFY}

# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]; everything else goes
# (C0 controls but tab/newline/carriage return, lone surrogates, the non-characters U+FFFE and U+FFFF)
XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x85\u2028\u2029]")

_RFONTS, _RPR = w("rFonts"), w("rPr")
_THEME = tuple(w(THEME_ATTR[slot]) for slot in SLOTS)
_SLOT_ATTRS = tuple(w(slot) for slot in SLOTS)
_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")
# the schema successors of a few elements python-docx has no method for (ECMA-376 Part 1, §17.4 and §17.6)
_AFTER_TBL_BORDERS = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption", "w:tblDescription",
                      "w:tblPrChange")
_AFTER_TBL_CELL_MAR = ("w:tblLook", "w:tblCaption", "w:tblDescription", "w:tblPrChange")
_AFTER_CANT_SPLIT = ("w:trHeight", "w:tblHeader", "w:tblCellSpacing", "w:jc", "w:hidden", "w:ins", "w:del",
                     "w:trPrChange")
_AFTER_TBL_HEADER = _AFTER_CANT_SPLIT[2:]
_AFTER_PG_NUM_TYPE = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
                      "w:rtlGutter", "w:docGrid", "w:printerSettings", "w:sectPrChange")


# --- text ---------------------------------------------------------------------------------------------------

def xml_chars(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (nothing else changes)."""
    return XML_FORBIDDEN.sub("", text)


def xml_text(text, *, one_line: bool = False) -> str:
    """``text`` (``None`` is empty) in NFC without the characters XML cannot hold; with ``one_line`` tabs,
    line and page breaks become spaces first (a vertical tab is Word's manual line break)."""
    text = nfc(str(text) if text is not None else "")
    if one_line:
        text = _LINE_BREAKS.sub(" ", text)
    return XML_FORBIDDEN.sub("", text)


# --- fonts and the document base ------------------------------------------------------------------------------

def set_font_all_slots(element, font: str = FONT):
    """Name ``font`` in all four slots of a ``w:rFonts``, dropping its theme attributes; return the rFonts.

    ``element`` is the rFonts itself, a ``w:rPr`` (its rFonts is made when missing, after any ``w:rStyle``),
    or an element holding an rPr: a run, a style or ``w:rPrDefault`` (the rPr is made when missing).  Other
    attributes (``w:hint``) stay.  Works on python-docx elements and on plain lxml trees alike.
    """
    if element.tag == _RFONTS:
        rf = element
    else:
        rpr = element if element.tag == _RPR else _rpr_of(element)
        rf = rpr.find(_RFONTS)
        if rf is None:
            rf = rpr.makeelement(_RFONTS, {})
            style = rpr.find(w("rStyle"))
            if style is not None:
                style.addnext(rf)
            else:
                rpr.insert(0, rf)
    for attr in _THEME:
        rf.attrib.pop(attr, None)
    for attr in _SLOT_ATTRS:
        rf.set(attr, font)
    return rf


def _rpr_of(element):
    if hasattr(element, "get_or_add_rPr"):  # python-docx's CT_R, CT_Style
        return element.get_or_add_rPr()
    if element.tag not in (w("r"), w("rPrDefault")):
        raise TypeError(f"no run properties in {element.tag}")
    rpr = element.find(_RPR)
    if rpr is None:
        rpr = element.makeelement(_RPR, {})
        element.insert(0, rpr)  # first child of a run and of rPrDefault
    return rpr


def set_style_fonts(doc, font: str = FONT) -> None:
    """``font`` in every slot of the document defaults, of Normal and of every style naming a font."""
    styles = doc.styles.element
    set_font_all_slots(styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")), font)
    set_font_all_slots(doc.styles["Normal"].element.get_or_add_rPr(), font)
    for rf in styles.iter(_RFONTS):
        set_font_all_slots(rf, font)


def new_document(font: str = FONT, size_pt: float = 14, margins_mm: Sequence[float] = DECREE_MARGINS_MM,
                 lang: str | None = "vi-VN", *, landscape: bool = False, space_after_pt: float | None = 0,
                 line_spacing: float | None = 1.0, header_mm: float | None = None,
                 footer_mm: float | None = None):
    """A blank A4 python-docx document: ``font`` everywhere (:func:`set_style_fonts`), ``size_pt`` in the
    defaults and Normal, ``lang`` as the language of the defaults, ``space_after_pt`` after each paragraph
    and ``line_spacing`` lines by default (None keeps python-docx's 10 pt and 1.15), margins (top, bottom,
    left, right) in mm, and the header/footer distances when given."""
    doc = Document()
    set_style_fonts(doc, font)
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    half_points = str(round(size_pt * 2))
    for tag in ("w:sz", "w:szCs"):
        _child(rpr, tag).set(qn("w:val"), half_points)
    doc.styles["Normal"].font.size = Pt(size_pt)
    if lang:
        _child(rpr, "w:lang").set(qn("w:val"), lang)
    spacing = _child(_child(_child(defaults, "w:pPrDefault"), "w:pPr"), "w:spacing")
    if space_after_pt is not None:
        spacing.set(qn("w:after"), str(round(space_after_pt * 20)))
    if line_spacing is not None:
        spacing.set(qn("w:line"), str(round(line_spacing * 240)))
        spacing.set(qn("w:lineRule"), "auto")

    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    top, bottom, left, right = margins_mm
    sec.top_margin, sec.bottom_margin = Mm(top), Mm(bottom)
    sec.left_margin, sec.right_margin = Mm(left), Mm(right)
    if header_mm is not None:
        sec.header_distance = Mm(header_mm)
    if footer_mm is not None:
        sec.footer_distance = Mm(footer_mm)
    return doc


def _child(parent, tag: str):
    el = parent.find(qn(tag))
    if el is None:  # python-docx's default template has them all; a missing one is appended
        el = OxmlElement(tag)
        parent.append(el)
    return el


def page_numbers(section, *, size_pt: float | None = None, restart: bool = False) -> None:
    """A PAGE field centred in the header of ``section``, none on its first page (NĐ 30, Phụ lục I, I.7);
    ``restart`` numbers the section from 1 (an annex on its own pages)."""
    section.different_first_page_header_footer = True
    section.first_page_header.is_linked_to_previous = False
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.alignment = CENTER
    _field(p, " PAGE ", size_pt)
    if restart:
        pg = OxmlElement("w:pgNumType")
        pg.set(qn("w:start"), "1")
        section._sectPr.insert_element_before(pg, *_AFTER_PG_NUM_TYPE)


def _field(paragraph, instr: str, size_pt: float | None) -> None:
    """A complex field (begin, instruction, separate, end), as Word writes it."""
    for kind, text in (("begin", None), (None, instr), ("separate", None), ("end", None)):
        r = paragraph.add_run()
        if size_pt is not None:
            r.font.size = Pt(size_pt)
        if kind:
            fc = OxmlElement("w:fldChar")
            fc.set(qn("w:fldCharType"), kind)
            r._r.append(fc)
        else:
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = text
            r._r.append(it)


# --- paragraphs and runs --------------------------------------------------------------------------------------

def next_paragraph(container):
    """The paragraph to write next in ``container``: a table cell's own first paragraph while it is still
    untouched (no runs, no properties), else a new paragraph at the end."""
    if isinstance(container, _Cell) and len(container.paragraphs) == 1:
        first = container.paragraphs[0]
        if not first.runs and first._p.pPr is None:
            return first
    return container.add_paragraph()


def run(paragraph, text: str, *, size: float | None = None, bold: bool | None = None, italic: bool | None = None,
        underline: bool | None = None, color=None, one_line: bool = False):
    """Add a run of :func:`xml_text` ``text``.  ``bold``, ``italic``, ``underline``: None inherits, True/False
    are written; ``size`` in points, ``color`` an ``RGBColor``."""
    r = paragraph.add_run(xml_text(text, one_line=one_line))
    if size is not None:
        r.font.size = Pt(size)
    r.bold, r.italic, r.underline = bold, italic, underline
    if color is not None:
        r.font.color.rgb = color
    return r


def para(container, text: str = "", *, size: float | None = None, bold: bool | None = None,
         italic: bool | None = None, underline: bool | None = None, color=None, align=None,
         before: float | None = 0, after: float | None = 0, indent=None, paragraph=None, one_line: bool = False):
    """A paragraph (``paragraph``, else :func:`next_paragraph` of ``container``) with one run of ``text``.

    ``align`` is a ``WD_ALIGN_PARAGRAPH`` or "left"/"center"/"right"/"justify"; ``before``/``after`` are the
    spacing in points (None leaves it unset); ``indent`` the first-line indent: True for 1.27 cm, or a length.
    """
    p = paragraph if paragraph is not None else next_paragraph(container)
    fmt = p.paragraph_format
    if before is not None:
        fmt.space_before = Pt(before)
    if after is not None:
        fmt.space_after = Pt(after)
    if indent:
        fmt.first_line_indent = FIRST_LINE_INDENT if indent is True else indent
    if align is not None:
        p.alignment = ALIGN.get(align, align)
    if text:
        run(p, text, size=size, bold=bold, italic=italic, underline=underline, color=color, one_line=one_line)
    return p


def cell_lines(cell, lines: Iterable[tuple[str, dict]], align=CENTER, **defaults):
    """Write ``lines`` of (text, options for :func:`para`) into ``cell``, one paragraph each, the first into
    the cell's own paragraph (formatted even when there is no line); ``defaults`` apply to every line.
    Return the last paragraph."""
    p = para(cell, paragraph=cell.paragraphs[0], align=align)
    for i, (text, options) in enumerate(lines):
        p = para(cell, text, align=align, paragraph=p if i == 0 else None, **{**defaults, **options})
    return p


# --- tables ---------------------------------------------------------------------------------------------------

def _length(width) -> Length:
    """A python-docx length as it is, a number as millimetres."""
    return width if isinstance(width, Length) else Mm(width)


def set_widths(table, widths, *, fixed: bool = True) -> None:
    """Column widths in the grid (LibreOffice reads these) and on every cell (Word reads these); ``fixed``
    turns autofit off.  ``widths``: lengths, or numbers in mm."""
    widths = [_length(x) for x in widths]
    if fixed:
        table.autofit = False
    for column, width in zip(table.columns, widths):
        column.width = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width


def table(container, widths, *, rows: int = 1, style=None, borders: bool | None = None, align=CENTER,
          fixed: bool = True, cell_margins_mm: float | None = None, header_rows: int = 0,
          cant_split: bool = False):
    """A table of ``len(widths)`` columns (:func:`set_widths`) and ``rows`` rows.

    ``style`` names a table style ("Table Grid"); ``borders``: True draws single black lines everywhere,
    False none at all, None leaves them to the style; ``align`` places the table (None: the default, left);
    ``cell_margins_mm`` sets the left and right padding inside cells; the first ``header_rows`` rows repeat
    on every page and with ``cant_split`` no row breaks across pages.
    """
    t = container.add_table(rows=rows, cols=len(widths))
    if style is not None:
        t.style = style
    if align is not None:
        t.alignment = align
    set_widths(t, widths, fixed=fixed)
    tbl_pr = t._tbl.tblPr
    if borders is not None:
        val = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
        tbl_pr.insert_element_before(
            parse_xml(f'<w:tblBorders {nsdecls("w")}>' + "".join(f"<w:{e} {val}/>" for e in _EDGES)
                      + "</w:tblBorders>"), *_AFTER_TBL_BORDERS)
    if cell_margins_mm is not None:
        dxa = round(cell_margins_mm * 1440 / 25.4)
        tbl_pr.insert_element_before(
            parse_xml(f'<w:tblCellMar {nsdecls("w")}><w:left w:w="{dxa}" w:type="dxa"/>'
                      f'<w:right w:w="{dxa}" w:type="dxa"/></w:tblCellMar>'), *_AFTER_TBL_CELL_MAR)
    for i, row in enumerate(t.rows):
        if cant_split:
            keep_row_together(row)
        if i < header_rows:
            repeat_header(row)
    return t


def _row_flag(row, tag: str, successors: tuple[str, ...]) -> None:
    tr_pr = row._tr.get_or_add_trPr()
    if tr_pr.find(qn(tag)) is None:
        tr_pr.insert_element_before(OxmlElement(tag), *successors)


def repeat_header(row) -> None:
    """``row`` repeats at the top of every page the table runs onto."""
    _row_flag(row, "w:tblHeader", _AFTER_TBL_HEADER)


def keep_row_together(row) -> None:
    """``row`` never breaks across two pages."""
    _row_flag(row, "w:cantSplit", _AFTER_CANT_SPLIT)
