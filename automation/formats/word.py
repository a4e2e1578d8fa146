"""Reading .docx packages: body blocks, tables on a grid, and every text run with its effective font.

The effective font is resolved as Word does (ECMA-376 §17.7.2): document defaults, then the table
style chain, the paragraph style chain, the character style chain and direct formatting, each of the
four ``w:rFonts`` slots (ascii, hAnsi, eastAsia, cs) inheriting on its own, theme fonts resolved from the
theme part.  Runs inside hyperlinks, tracked insertions, content controls, smart tags, fields and text
boxes are all found; deleted text and field instructions are not text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from automation.formats.ooxml import Package

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_W = "{%s}" % W


def w(tag: str) -> str:
    return _W + tag


SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}
# elements whose children may hold runs of the same paragraph
_RUN_CONTAINERS = {w(t) for t in ("hyperlink", "ins", "sdt", "sdtContent", "smartTag", "fldSimple",
                                  "customXml", "moveTo", "dir", "bdo")}
_SKIP = {w(t) for t in ("del", "moveFrom", "pPr", "rPr", "sdtPr", "sdtEndPr")}
_TEXT_TAGS = {w("t"): None, w("tab"): "\t", w("br"): "\n", w("cr"): "\n", w("noBreakHyphen"): "-",
              w("softHyphen"): "\u00ad"}


# ranges Word always shows in the eastAsia font (CJK, kana, hangul, full-width forms)
_EAST_ASIAN = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


@dataclass(frozen=True)
class Fonts:
    ascii: str | None
    hAnsi: str | None
    eastAsia: str | None
    cs: str | None
    hint: str | None = None
    complex_script: bool = False

    def used_by(self, text: str) -> set[str | None]:
        """Fonts Word uses to show ``text``: ascii for U+0000–007F, eastAsia for CJK, hAnsi for other
        letters such as Vietnamese (MS-OI29500 §2.1.88); eastAsia too where the run carries
        ``w:hint="eastAsia"``; cs for complex-script runs."""
        if self.complex_script:
            return {self.cs}
        used = set()
        for ch in text:
            if ch.isspace():
                continue
            o = ord(ch)
            if o < 0x80:
                used.add(self.ascii)
            elif any(lo <= o <= hi for lo, hi in _EAST_ASIAN):
                used.add(self.eastAsia)
            else:
                used.add(self.hAnsi)
                if self.hint == "eastAsia":
                    used.add(self.eastAsia)
        return used


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


class _Styles:
    def __init__(self, pkg: Package, main: str):
        self.theme: dict[str, str] = {}
        for theme in pkg.related(main, "theme"):
            fs = pkg.xml(theme).find(f".//{{{A}}}fontScheme")
            if fs is None:
                continue
            for kind in ("major", "minor"):
                el = fs.find(f"{{{A}}}{kind}Font")
                if el is None:
                    continue
                for tag, names in (("latin", ("Ascii", "HAnsi")), ("ea", ("EastAsia",)), ("cs", ("Bidi",))):
                    face = el.find(f"{{{A}}}{tag}")
                    for n in names:
                        self.theme[kind + n] = face.get("typeface") if face is not None else ""
        self.defaults: dict[str, object] = {}
        self.styles: dict[str, object] = {}
        self.default_para: str | None = None
        self.default_table: str | None = None
        styles = pkg.related(main, "styles")
        if styles:
            root = pkg.xml(styles[0])
            rpr = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr")
            self.defaults = self._props(rpr)
            for st in root.iter(w("style")):
                sid = st.get(w("styleId"))
                if sid is None:
                    continue
                self.styles[sid] = st
                if st.get(w("default")) in ("1", "true", "on"):
                    typ = st.get(w("type"))
                    if typ == "paragraph":
                        self.default_para = sid
                    elif typ == "table":
                        self.default_table = sid
        self._chain_cache: dict[str | None, dict] = {}
        self._cache: dict[tuple, tuple[Fonts, bool]] = {}

    def _props(self, rpr) -> dict:
        """The font slots, hint, vanish and cs flags set on one rPr element."""
        out: dict[str, object] = {}
        if rpr is None:
            return out
        rf = rpr.find(w("rFonts"))
        if rf is not None:
            for s in SLOTS:
                theme = rf.get(w(THEME_ATTR[s]))
                literal = rf.get(w(s))
                if theme is not None:  # a theme attribute beats a literal in the same element
                    out[s] = self.theme.get(theme) or f"<theme:{theme}>"
                elif literal:  # LibreOffice writes w:cs="": an empty name sets nothing
                    out[s] = literal
            if rf.get(w("hint")):
                out["hint"] = rf.get(w("hint"))
        for flag in ("vanish", "cs", "rtl"):  # toggles, kept apart from the font slot names
            el = rpr.find(w(flag))
            if el is not None:
                out["flag:" + flag] = el.get(w("val"), "true") not in ("0", "false", "off")
        return out

    def _style_chain(self, sid: str | None) -> dict:
        """Merged run properties of a style and its basedOn ancestors (ancestors first)."""
        if sid in self._chain_cache:
            return self._chain_cache[sid]
        chain, seen, cur = [], set(), sid
        while cur and cur in self.styles and cur not in seen:
            seen.add(cur)
            st = self.styles[cur]
            chain.append(st)
            based = st.find(w("basedOn"))
            cur = based.get(w("val")) if based is not None else None
        merged: dict = {}
        for st in reversed(chain):
            merged.update(self._props(st.find(w("rPr"))))
        self._chain_cache[sid] = merged
        return merged

    def resolve(self, tbl_style: str | None, p_style: str | None, r_style: str | None, rpr) -> tuple[Fonts, bool]:
        direct_key = None if rpr is None else _rpr_key(rpr)
        key = (tbl_style, p_style, r_style, direct_key)
        hit = self._cache.get(key)
        if hit is None:
            acc: dict = dict(self.defaults)
            if tbl_style:
                acc.update(self._style_chain(tbl_style))
            acc.update(self._style_chain(p_style or self.default_para))
            if r_style:
                acc.update(self._style_chain(r_style))
            acc.update(self._props(rpr))
            fonts = Fonts(*(acc.get(s) for s in SLOTS), hint=acc.get("hint"),
                          complex_script=bool(acc.get("flag:cs") or acc.get("flag:rtl")))
            hit = self._cache[key] = (fonts, bool(acc.get("flag:vanish")))
        return hit


def _rpr_key(rpr) -> tuple:
    rf = rpr.find(w("rFonts"))
    fonts = tuple(sorted(rf.attrib.items())) if rf is not None else ()
    flags = tuple((f, rpr.find(w(f)).get(w("val"), "1")) for f in ("vanish", "cs", "rtl") if rpr.find(w(f)) is not None)
    return fonts + flags


def _val(el, path: str) -> str | None:
    found = el.find(path)
    return found.get(w("val")) if found is not None else None


Decoder = Callable[[str, Fonts], "str | None"]


class _Reader:
    def __init__(self, styles: _Styles, decode: Decoder | None):
        self.styles = styles
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


def read_docx(path: Path, max_part_bytes: int = 64 * 1024 * 1024, decode: Decoder | None = None) -> WordDocument:
    """Read a .docx/.docm/.dotx package (already sniffed as OOXML Word) into a :class:`WordDocument`.

    ``decode(text, fonts)`` may return the text a run really means (legacy encodings); paragraph and
    table texts then use it, while each :class:`Run` keeps what the file stores.
    """
    with Package(path, max_part_bytes) as pkg:
        main = pkg.main_part()
        root = pkg.xml(main)
        body = root.find(w("body"))
        reader = _Reader(_Styles(pkg, main), decode)
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
        self._styles = _Styles(pkg, main)

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

