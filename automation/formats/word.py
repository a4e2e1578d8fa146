"""Reading .docx packages: body blocks, tables on a grid, and every text run with its effective font.

Effective fonts are resolved as Word does (see :mod:`automation.formats.wordfonts`).  Runs inside
hyperlinks, tracked insertions, content controls, smart tags, fields and text boxes are all found; deleted
text and field instructions are not text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from automation.formats.ooxml import Package
from automation.formats.safexml import ROWS_ATTR
from automation.formats.wordfonts import SLOTS, THEME_ATTR, W, Fonts, Styles, font_name, w
from automation.formats.wordfonts import val as _val

__all__ = ["SLOTS", "THEME_ATTR", "W", "Fonts", "Paragraph", "Run", "RunFonts", "Table", "WordDocument",
           "font_name", "read_docx", "w"]
_W = "{%s}" % W
# elements whose children may hold runs of the same paragraph
_RUN_CONTAINERS = {w(t) for t in ("hyperlink", "ins", "sdt", "sdtContent", "smartTag", "fldSimple",
                                  "customXml", "moveTo", "dir", "bdo")}
_SKIP = {w(t) for t in ("del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr")}
_TEXT_TAGS = {w("t"): None, w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-",
              w("softHyphen"): "\u00ad"}


@dataclass
class Run:
    text: str  # as stored in the file
    fonts: Fonts
    hidden: bool
    part: str  # "body", "header", "footer", "footnotes", "endnotes"
    table: int | None = None  # 1-based index of the enclosing top-level table, if any
    shown: str | None = None  # the text as read after the decoder (legacy encodings), if it changed it

    @property
    def visible_text(self) -> bool:
        return not self.hidden and bool(self.text.strip())


@dataclass
class Table:
    index: int  # 1-based, document order (nested tables counted too)
    rows: list[list[str]]
    nested: bool = False
    total_rows: int = 0  # rows in the file; more than len(rows) when reading stopped at the row limit

    @property
    def truncated(self) -> bool:
        return self.total_rows > len(self.rows)

    @property
    def width(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Paragraph:
    text: str


@dataclass
class WordDocument:
    blocks: list[Paragraph | Table]  # body order, top level
    tables: list[Table]  # every table, nested ones included
    runs: list[Run]
    headers: list[str] = field(default_factory=list)  # header/footer paragraph texts

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if isinstance(b, Paragraph)]

    def text_before(self, table: Table, limit: int = 12) -> list[str]:
        """Non-empty paragraph texts above ``table`` (nearest last), for titles and headings."""
        out: list[str] = []
        for b in self.blocks:
            if b is table:
                break
            if isinstance(b, Paragraph) and b.text.strip():
                out.append(b.text)
            elif isinstance(b, Table) and b is not table:
                # a header table (issuing body | motto) above the list holds the unit's name
                out.extend(" ".join(c for c in r if c) for r in b.rows[:4])
        return out[-limit:]


Decoder = Callable[[str, Fonts], "str | None"]


class _Reader:
    def __init__(self, styles: Styles, decode: Decoder | None, max_rows: int | None = None):
        self.styles = styles
        self.max_rows = max_rows
        self.decode = decode
        self.runs: list[Run] = []
        self.tables: list[Table] = []

    # --- runs and paragraphs -------------------------------------------------------------------
    def paragraph(self, p, part: str, tbl_style: str | None, table_no: int | None) -> str:
        p_style = _val(p, f"{_W}pPr/{_W}pStyle")
        pieces: list[str] = []
        self._collect(p, part, tbl_style, p_style, table_no, pieces)
        return "".join(pieces)

    def _collect(self, el, part, tbl_style, p_style, table_no, pieces) -> None:
        for child in el:
            tag = child.tag
            if tag == w("r"):
                self._run(child, part, tbl_style, p_style, table_no, pieces)
            elif tag in _RUN_CONTAINERS:
                self._collect(child, part, tbl_style, p_style, table_no, pieces)

    def _run(self, r, part, tbl_style, p_style, table_no, pieces) -> None:
        rpr = r.find(w("rPr"))
        r_style = _val(rpr, f"{_W}rStyle") if rpr is not None else None
        text = []
        for child in r:
            tag = child.tag
            if tag in _TEXT_TAGS:
                fixed = _TEXT_TAGS[tag]
                text.append((child.text or "") if fixed is None else fixed)
            elif tag in (w("drawing"), w("pict"), w("object")) or tag.endswith("}AlternateContent"):
                # text boxes: their paragraphs are read as text of their own
                for box in child.iter(w("txbxContent")):
                    for bp in box.iter(w("p")):
                        self.paragraph(bp, part, None, table_no)
        s = "".join(text)
        if not s:
            return
        fonts, hidden = self.styles.resolve(tbl_style, p_style, r_style, rpr)
        shown = self.decode(s, fonts) if self.decode else None
        self.runs.append(Run(s, fonts, hidden, part, table_no, shown if shown != s else None))
        if not hidden:
            pieces.append(s if shown is None else shown)

    # --- tables ------------------------------------------------------------------------------
    def table(self, tbl, part: str, nested: bool, table_no: int | None) -> Table:
        tbl_style = _val(tbl, f"{_W}tblPr/{_W}tblStyle") or self.styles.default_table
        t = Table(index=len(self.tables) + 1, rows=[], nested=nested)
        self.tables.append(t)
        own_no = table_no if nested else t.index
        above: list[str] = []
        for tr in _children(tbl, "tr"):
            t.total_rows += 1
            if self.max_rows is not None and len(t.rows) >= self.max_rows:
                continue  # counted, not read: bounded work whatever the table's length
            row: list[str] = []
            before = _val(tr, f"{_W}trPr/{_W}gridBefore")
            row.extend([""] * _int(before))
            for tc in _children(tr, "tc"):
                span = max(1, _int(_val(tc, f"{_W}tcPr/{_W}gridSpan"), 1))
                vmerge = tc.find(f"{_W}tcPr/{_W}vMerge")
                paras = []
                for child in tc:
                    if child.tag == w("p"):
                        paras.append(self.paragraph(child, part, tbl_style, own_no))
                    elif child.tag == w("tbl"):
                        self.table(child, part, True, own_no)
                    elif child.tag in (w("sdt"), w("customXml")):
                        for p in child.iter(w("p")):
                            paras.append(self.paragraph(p, part, tbl_style, own_no))
                text = "\n".join(x for x in paras if x.strip()).strip()
                col = len(row)
                if vmerge is not None and vmerge.get(w("val"), "continue") == "continue" and col < len(above):
                    text = above[col]  # a vertically merged cell repeats the value above
                row.extend([text] * span)
            t.rows.append(row)
            above = row
        t.total_rows = max(t.total_rows, _int(tbl.get(ROWS_ATTR)))  # rows dropped while parsing
        return t

    def blocks(self, container, part: str) -> list[Paragraph | Table]:
        out: list[Paragraph | Table] = []
        for child in container:
            if child.tag == w("p"):
                out.append(Paragraph(self.paragraph(child, part, None, None)))
            elif child.tag == w("tbl"):
                out.append(self.table(child, part, False, None))
            elif child.tag in (w("sdt"), w("customXml")):
                inner = child.find(w("sdtContent")) if child.tag == w("sdt") else child
                if inner is not None:
                    out.extend(self.blocks(inner, part))
        return out


def _children(el, tag: str):
    """Direct children with ``tag``, looking through content-control and customXml wrappers."""
    for child in el:
        if child.tag == w(tag):
            yield child
        elif child.tag == w("sdt"):
            content = child.find(w("sdtContent"))
            if content is not None:
                yield from _children(content, tag)
        elif child.tag == w("customXml"):
            yield from _children(child, tag)


def _int(v: str | None, default: int = 0) -> int:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


STORY_PARTS = (("header", "header"), ("footer", "footer"), ("footnotes", "footnotes"), ("endnotes", "endnotes"))


def read_docx(path: Path, max_part_bytes: int = 64 * 1024 * 1024, decode: Decoder | None = None,
              max_table_rows: int | None = None) -> WordDocument:
    """Read a .docx/.docm/.dotx package (already sniffed as OOXML Word) into a :class:`WordDocument`.

    ``decode(text, fonts)`` may return the text a run really means (legacy encodings); paragraph and
    table texts then use it, while each :class:`Run` keeps what the file stores.  A table's rows past
    ``max_table_rows`` are counted, not read (:attr:`Table.truncated`).  A decoder with a
    ``for_document(runs)`` method is first given every (text, fonts) run of the document and returns the
    decoder to use for it (None: nothing to decode), so that it can judge a run by its document.
    """
    prepare = getattr(decode, "for_document", None)
    if prepare is None:
        return _read_docx(path, max_part_bytes, decode, max_table_rows)
    plain = _read_docx(path, max_part_bytes, None, max_table_rows)
    decode = prepare([(r.text, r.fonts) for r in plain.runs])
    return plain if decode is None else _read_docx(path, max_part_bytes, decode, max_table_rows)


def _read_docx(path: Path, max_part_bytes: int, decode: Decoder | None, max_rows: int | None) -> WordDocument:
    with Package(path, max_part_bytes) as pkg:
        main = pkg.main_part()
        root = pkg.xml(main, cap=(w("tr"), max_rows + 1) if max_rows is not None else None)
        body = root.find(w("body"))
        reader = _Reader(Styles(pkg, main), decode, max_rows)
        blocks = reader.blocks(body, "body") if body is not None else []
        headers: list[str] = []
        for rel, part in STORY_PARTS:
            for target in pkg.related(main, rel):
                story = pkg.xml(target)
                for p in story.iter(w("p")):
                    text = reader.paragraph(p, part, None, None)
                    if part in ("header", "footer") and text.strip():
                        headers.append(text)
        return WordDocument(blocks=blocks, tables=reader.tables, runs=reader.runs, headers=headers)


class RunFonts:
    """Effective fonts of any ``w:r`` element of a package's parts, for tools that edit the XML."""

    def __init__(self, pkg: Package, main: str):
        self._styles = Styles(pkg, main)

    def of(self, r) -> tuple[Fonts, bool]:
        """(fonts, hidden) of the run element ``r``."""
        rpr = r.find(w("rPr"))
        r_style = _val(rpr, f"{_W}rStyle") if rpr is not None else None
        p_style = tbl_style = None
        seen_p = False
        el = r.getparent()
        while el is not None:
            if el.tag == w("p") and not seen_p:
                p_style, seen_p = _val(el, f"{_W}pPr/{_W}pStyle"), True
            elif el.tag == w("tbl"):
                tbl_style = _val(el, f"{_W}tblPr/{_W}tblStyle") or self._styles.default_table
                break
            elif el.tag == w("txbxContent"):
                break
            el = el.getparent()
        return self._styles.resolve(tbl_style, p_style, r_style, rpr)

