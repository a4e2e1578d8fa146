"""The parts of a document in the layout of Nghị định 30/2020/NĐ-CP, Phụ lục I, as WordprocessingML text.

One definition of each part for every document the tool writes: the feedback letters and the survey forms
put these strings into their bodies (:mod:`automation.formats.docx_xml`, :mod:`automation.formats.docx_package`),
``tools/make_templates.py`` appends them to its python-docx documents (:func:`append`).

* :func:`header`: the header table (ô 1-4): parent body (not bold) and issuing body (bold) with a short rule
  under them | national name and motto with a rule under the motto; then, when given, the number line
  ("Số: …/…", and a công văn's "V/v …" under it) | the place and date line in italics.
* :func:`title`: the document type and its summary, bold and centred, with a short rule (ô 5a).
* :func:`signature`: "Nơi nhận" (ô 9a-9b) | the signer's authority, title, a space to sign and seal, the
  name (ô 7a-7c); the block never breaks across pages.

The rules are paragraph borders (a top border on an empty, 4 pt high paragraph), never underlined text.
A line may be a :class:`Tag`: a paragraph holding only a template tag (``{%p if … %}``), which docxtpl
removes when it renders; the templates pass their ``{{ variables }}`` as the lines' text.

Sizes are points, widths millimetres.  Format layer: no settings, no domain word; the callers give the
texts (from ``[authority]`` and ``[documents]`` of ``cchc.toml``).
"""

from __future__ import annotations

from collections.abc import Sequence

from automation.formats import docx_xml as dx

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TEXT_MM = 165.0  # 210 mm - 30 mm (left) - 15 mm (right)
HEAD_MM = (63.0, 102.0)  # issuing body | national name and motto
SIGN_MM = (70.0, 95.0)  # "Nơi nhận" | signature
BODY_PT = 14
SIGNING_SPACE = 4  # empty lines between the title and the name: the signature and the seal
_CELL_PAD_MM = 4.0  # the rule is centred within the cell less its padding (1.9 mm each side, as Word draws)


class Tag(str):
    """A line that is a template tag alone in its paragraph (docxtpl drops the paragraph when rendering)."""


Lines = Sequence[str]  # items may be Tag


def _line(text: str, *, size: float, bold: bool = False, italic: bool = False, align: str = "center",
          before: float = 0, after: float = 0) -> str:
    if isinstance(text, Tag):
        return dx.para(dx.run(text, size=BODY_PT, bold=False, italic=False), align="left")
    runs = dx.run(text, size=size, bold=bold, italic=italic) if text else ""
    return dx.para(runs, align=align, before=before, after=after)


def _lines(lines: Lines, **style) -> str:
    """Every line of ``lines`` in ``style``; the last real line gets ``last_after`` after it."""
    last_after = style.pop("last_after", 0)
    real = [i for i, text in enumerate(lines) if not isinstance(text, Tag)]
    end = real[-1] if real else -1
    return "".join(_line(text, **style, after=last_after if i == end else 0) for i, text in enumerate(lines))


def rule(width_mm: float, *, within_mm: float = TEXT_MM, after: float = 6) -> str:
    """A centred horizontal rule ``width_mm`` long in a space ``within_mm`` wide: an empty paragraph 4 pt
    high with a top border."""
    side = dx.twips_mm((within_mm - width_mm) / 2)
    return ('<w:p><w:pPr><w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>'
            f'<w:spacing w:before="60" w:after="{round(after * 20)}" w:lineRule="exact" w:line="80"/>'
            f'<w:ind w:left="{side}" w:right="{side}"/></w:pPr></w:p>')


def tag(text: str) -> str:
    """A paragraph holding only the template tag ``text``."""
    return _line(Tag(text), size=BODY_PT)


def header(body: Lines, *, parent: Lines = (), number: str | None = None, summary: str | None = None,
           place_date: str | None = None, widths_mm: Sequence[float] = HEAD_MM) -> str:
    """The header table: ``parent`` lines (the body it belongs to, 13 pt) and ``body`` lines (the issuing
    body, 13 pt bold), a 20 mm rule under them | the national name (12 pt bold) and motto (13 pt bold), a
    rule as long as the motto under it.  A second row when ``number`` or ``place_date`` is given: the number
    line (13 pt) and a công văn's ``summary`` ("V/v …", 12 pt) | the place and date (14 pt italic)."""
    left, right = widths_mm
    issuer = (_lines(parent, size=13) + _lines(body, size=13, bold=True, last_after=2)
              + rule(20, within_mm=left - _CELL_PAD_MM, after=0))
    nation = (_line(NATION, size=12, bold=True) + _line(MOTTO, size=13, bold=True, after=2)
              + rule(59, within_mm=right - _CELL_PAD_MM, after=0))
    rows = [dx.row([dx.cell(left, issuer), dx.cell(right, nation)])]
    if number is not None or place_date is not None:
        numbers = _line(number or "", size=13, before=6)
        if summary:
            numbers += _line(summary, size=12, before=2)
        rows.append(dx.row([dx.cell(left, numbers),
                            dx.cell(right, _line(place_date or "", size=14, italic=True, before=6))]))
    return dx.table(widths_mm, rows)


def title(kind: str, summary: str | Sequence[str], *, before: float = 18, after: float = 12,
          summary_pt: float = BODY_PT, within_mm: float = TEXT_MM) -> str:
    """The document type and its summary (one text or its runs), bold and centred, and a 50 mm rule."""
    pieces = [summary] if isinstance(summary, str) else list(summary)
    runs = "".join(dx.run(p, size=summary_pt, bold=True, italic=False) for p in pieces)
    return (_line(kind, size=BODY_PT, bold=True, before=before) + dx.para(runs, align="center", after=2)
            + rule(50, within_mm=within_mm, after=after))


def recipient_lines(recipients: Lines, archive: str) -> list[str]:
    """"- Như trên;" for each recipient, then "- Lưu: VT, NV." (``archive``: the drafting unit)."""
    lines = [r if isinstance(r, Tag) else f"- {r};" for r in recipients]
    return [*lines, f"- Lưu: VT, {archive}." if archive else "- Lưu: VT."]


def signature(*, authority: Lines, titles: Lines, name: str, recipients: Lines, archive: str,
              widths_mm: Sequence[float] = SIGN_MM) -> str:
    """An empty paragraph kept with the block, then the table: "Nơi nhận:" (12 pt bold italic) and its
    lines (11 pt) | the ``authority`` ("TM. ỦY BAN NHÂN DÂN"; none when the signer signs in their own
    right), the ``titles`` ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"), :data:`SIGNING_SPACE` empty lines and the
    ``name``, all 14 pt bold.  The row never breaks across pages."""
    left = (_line("Nơi nhận:", size=12, bold=True, italic=True, align="left")
            + "".join(_line(text, size=11, align="left") for text in recipient_lines(recipients, archive)))
    right = (_lines(authority, size=BODY_PT, bold=True) + _lines(titles, size=BODY_PT, bold=True)
             + dx.para(align="center") * SIGNING_SPACE + _line(name, size=BODY_PT, bold=True))
    keep = '<w:p><w:pPr><w:keepNext/><w:spacing w:before="0" w:after="0"/><w:jc w:val="both"/></w:pPr></w:p>'
    return keep + dx.table(widths_mm, [dx.row([dx.cell(widths_mm[0], left), dx.cell(widths_mm[1], right)],
                                              cant_split=True)])


def append(doc, xml: str) -> None:
    """Add the paragraphs and tables of ``xml`` at the end of python-docx document ``doc``'s body."""
    from docx.oxml import parse_xml  # noqa: PLC0415
    from docx.oxml.ns import nsdecls  # noqa: PLC0415

    body = doc.element.body
    for el in list(parse_xml(f"<w:body {nsdecls('w')}>{xml}</w:body>")):
        if body.sectPr is not None:
            body.sectPr.addprevious(el)
        else:
            body.append(el)
