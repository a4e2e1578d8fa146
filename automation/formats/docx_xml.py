"""WordprocessingML written as text: paragraphs, runs and tables, element for element what python-docx writes
through the helpers of :mod:`automation.formats.docx_write` (``para``, ``run``, ``cell_lines``, ``table``).

A document body made of these strings and put into a cached package (:mod:`automation.formats.docx_package`)
is the document those helpers build call by call, at a fraction of the cost: no element tree, no template
to open.  Text goes through :func:`docx_write.xml_text` as it does there (NFC, no character XML forbids) and
is escaped here; within a run, as python-docx does, a tab becomes ``w:tab``, a line break ``w:br`` and
``xml:space="preserve"`` marks text with white space at either end.

Sizes are points, spacing points, widths millimetres (as :func:`docx_write.table` takes them).

Format layer: no domain word.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from automation.formats.docx_write import xml_text

_EMU_PER_MM, _EMU_PER_TWIP, _EMU_PER_PT = 36000, 635, 12700
FIRST_LINE_TWIPS = 720  # docx_write.FIRST_LINE_INDENT, 1.27 cm
JC = {"left": "left", "center": "center", "right": "right", "justify": "both", None: None}
_EDGES = ("top", "left", "bottom", "right", "insideH", "insideV")
_TBL_LOOK = ('<w:tblLook w:firstColumn="1" w:firstRow="1" w:lastColumn="0" w:lastRow="0" w:noHBand="0" '
             'w:noVBand="1" w:val="04A0"/>')
_SPECIAL = re.compile("[\t\r\n]")


def escape(text: str) -> str:
    """``text`` as XML character data, as lxml writes it (``&``, ``<``, ``>`` and a carriage return)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


def twips_mm(mm: float) -> int:
    """Millimetres in twentieths of a point, rounded as python-docx rounds ``Mm(mm)``."""
    return round(int(mm * _EMU_PER_MM) / _EMU_PER_TWIP)


def _twips_pt(pt: float) -> int:
    return round(int(pt * _EMU_PER_PT) / _EMU_PER_TWIP)


def t(text: str) -> str:
    """One ``w:t`` of ``text`` (already clean)."""
    space = ' xml:space="preserve"' if len(text.strip()) < len(text) else ""
    return f"<w:t{space}>{escape(text)}</w:t>"


def _content(text: str) -> str:
    if not _SPECIAL.search(text):
        return t(text) if text else ""
    out = []
    for piece in re.split("([\t\r\n])", text):
        out.append("<w:tab/>" if piece == "\t" else "<w:br/>" if piece in ("\r", "\n") else t(piece) if piece else "")
    return "".join(out)


def _flag(tag: str, value: bool | None, off: str = "0") -> str:
    if value is None:
        return ""
    return f"<w:{tag}/>" if value else f'<w:{tag} w:val="{off}"/>'


def run(text: str, *, size: float | None = None, bold: bool | None = None, italic: bool | None = None,
        underline: bool | None = None, color: str | None = None, one_line: bool = False) -> str:
    """A run as :func:`docx_write.run` writes it (``color`` as hex "RRGGBB")."""
    u = "" if underline is None else '<w:u w:val="single"/>' if underline else '<w:u w:val="none"/>'
    props = (_flag("b", bold) + _flag("i", italic) + (f'<w:color w:val="{color}"/>' if color else "")
             + (f'<w:sz w:val="{round(size * 2)}"/>' if size is not None else "") + u)
    rpr = f"<w:rPr>{props}</w:rPr>" if props else "<w:rPr/>"  # docx_write.run always writes one
    return f"<w:r>{rpr}{_content(xml_text(text, one_line=one_line))}</w:r>"


def ppr(*, align: str | None = None, before: float | None = 0, after: float | None = 0,
        indent: bool = False, keep_next: bool = False) -> str:
    """The paragraph properties :func:`docx_write.para` writes (``align`` one of :data:`JC`'s keys);
    ``keep_next`` keeps the paragraph on the page of the next one."""
    spacing = "".join(f' w:{k}="{_twips_pt(v)}"' for k, v in (("before", before), ("after", after)) if v is not None)
    props = (("<w:keepNext/>" if keep_next else "") + (f"<w:spacing{spacing}/>" if spacing else "") + (f'<w:ind w:firstLine="{FIRST_LINE_TWIPS}"/>'
                                                              if indent else "")
             + (f'<w:jc w:val="{JC[align]}"/>' if align else ""))
    return f"<w:pPr>{props}</w:pPr>" if props else ""


def para(runs: str = "", **props) -> str:
    """A paragraph of ``runs`` (XML from :func:`run`) with :func:`ppr` ``props``."""
    return f"<w:p>{ppr(**props)}{runs}</w:p>"


EMPTY_PARAGRAPH = "<w:p/>"


def cell_lines(lines: Iterable[tuple[str, dict]], align: str | None = "center", **defaults) -> str:
    """The paragraphs :func:`docx_write.cell_lines` writes into a cell: one per line of (text, options of
    :func:`run` and :func:`ppr`), or a single formatted empty paragraph when there is no line."""
    out = []
    for text, options in lines:
        o = {**defaults, **options}
        p = {k: o.pop(k) for k in ("before", "after") if k in o}
        out.append(para(run(text, **o) if text else "", align=align, **p))
    return "".join(out) or para(align=align)


def cell(width_mm: float, content: str = EMPTY_PARAGRAPH, *, valign: str | None = None) -> str:
    """A table cell of ``content`` (paragraphs), its width written as :func:`docx_write.set_widths` does."""
    v = f'<w:vAlign w:val="{valign}"/>' if valign else ""
    return f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{twips_mm(width_mm)}"/>{v}</w:tcPr>{content}</w:tc>'


def row(cells: Sequence[str], *, header: bool = False, cant_split: bool = False) -> str:
    """A table row of ``cells`` (from :func:`cell`); ``header`` repeats it on every page, ``cant_split`` keeps
    it on one page."""
    flags = ("<w:cantSplit/>" if cant_split else "") + ("<w:tblHeader/>" if header else "")
    return f"<w:tr>{f'<w:trPr>{flags}</w:trPr>' if flags else ''}{''.join(cells)}</w:tr>"


def table(widths_mm: Sequence[float], rows: Iterable[str], *, borders: bool | None = None,
          align: str | None = "center", cell_margins_mm: float | None = None) -> str:
    """A fixed-width table of ``rows`` (from :func:`row`) as :func:`docx_write.table` makes it (no style)."""
    props = ['<w:tblW w:type="auto" w:w="0"/>']
    if align:
        props.append(f'<w:jc w:val="{JC[align]}"/>')
    if borders is not None:
        val = 'w:val="single" w:sz="4" w:space="0" w:color="000000"' if borders else 'w:val="nil"'
        props.append("<w:tblBorders>" + "".join(f"<w:{e} {val}/>" for e in _EDGES) + "</w:tblBorders>")
    props.append('<w:tblLayout w:type="fixed"/>')
    if cell_margins_mm is not None:
        dxa = round(cell_margins_mm * 1440 / 25.4)
        props.append(f'<w:tblCellMar><w:left w:w="{dxa}" w:type="dxa"/><w:right w:w="{dxa}" w:type="dxa"/>'
                     "</w:tblCellMar>")
    grid = "".join(f'<w:gridCol w:w="{twips_mm(w)}"/>' for w in widths_mm)
    return f"<w:tbl><w:tblPr>{''.join(props)}{_TBL_LOOK}</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"


# --- bodies built once with python-docx, filled many times as text ---------------------------------------

_MARK = "cchc-mark"


def body_xml(document_element) -> str:
    """The body content of a python-docx document element (``doc.element``) as XML text with prefix ``w:``
    and no namespace declarations, without the final ``w:sectPr``."""
    from lxml import etree  # noqa: PLC0415

    body = document_element.find(f"{{{document_element.nsmap['w']}}}body")
    start, end = etree.ProcessingInstruction(_MARK, "start"), etree.ProcessingInstruction(_MARK, "end")
    body.insert(0, start)
    if len(body) > 1 and body[-1].tag.endswith("}sectPr"):
        body[-1].addprevious(end)
    else:
        body.append(end)
    try:
        text = etree.tostring(document_element, encoding="unicode")
    finally:
        body.remove(start)
        body.remove(end)
    return text.split(f"<?{_MARK} start?>", 1)[1].split(f"<?{_MARK} end?>", 1)[0]


def split_fields(xml: str, names: Iterable[str]) -> list[str]:
    """``xml`` cut around every ``w:t`` whose whole text is ``{name}`` for one of ``names``: literal XML at
    even positions, the field names at odd ones (see :func:`fill_fields`)."""
    pattern = re.compile(r"(?<=>)\{(%s)\}(?=</w:t>)" % "|".join(re.escape(n) for n in names))
    return pattern.split(xml)


def fill_fields(pieces: list[str], values: dict[str, str]) -> str:
    """The XML of :func:`split_fields` with each field's text replaced by ``values[name]`` (escaped)."""
    return "".join(escape(values[p]) if i % 2 else p for i, p in enumerate(pieces))
