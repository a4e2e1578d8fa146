"""Keeping LibreOffice's own default fonts out of the files it converts for us.

Text with no font named anywhere (HTML without CSS fonts, RTF without a font table, styles a converted file never
named) is shown by Word in its default, Times New Roman.  LibreOffice writes ITS defaults instead, which depend on
the fonts of the converting machine (measured with LibreOffice 7.4, fonts-liberation2 installed):

* every .doc/.rtf/.html converted to .docx gets ``w:docDefaults`` = Liberation Serif (DejaVu Serif without
  Liberation) / DejaVu Sans: these formats have no document defaults, so the value is always LibreOffice's;
* RTF without a font table: the Normal style gets the same default; an ``\\deff`` font and every ``\\f`` font
  become direct formatting of the runs;
* HTML: Normal gets the default unless the page's CSS names a font for ``body``; the heading styles get
  LibreOffice's heading fonts ("Liberation Sans", "Liberation Sans Unicode MS", "Liberation Serif"), list,
  index, preformatted … styles theirs; CSS on ``p``/``td`` goes to Text Body / Table Contents, inline CSS and
  ``<font face>`` to the runs;
* .doc: each style keeps the .doc's own font (a binary .doc always names one), so only docDefaults is LibreOffice's;
* .odt: the document's own default style becomes docDefaults (a real choice of its author): left alone.

The rule applied to every converted .docx: docDefaults fonts of a .doc/.rtf/.html source are removed; in
.rtf/.html sources, a style font equal to the one LibreOffice writes for the same style when converting a probe
that names no font at all (converted in the same LibreOffice run, so the machine's defaults are measured, not
listed) is removed too, unless the source itself names that font.  Removed fonts are "no font named": the
reader then applies Word's default.  Explicit fonts (direct formatting, named styles, CSS) are never touched.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from automation.formats.sniff import FileKind, parse_xml
from automation.formats.wordfonts import SLOTS, THEME_ATTR, w
from automation.files import atomic_save

STYLES = "word/styles.xml"
DOC_DEFAULTS = ""  # key of docDefaults among style ids
_FONT_ATTRS = [w(s) for s in SLOTS] + [w(t) for t in THEME_ATTR.values()]
_NO_DEFAULTS_KINDS = {FileKind.DOC, FileKind.RTF, FileKind.HTML}  # source formats without document defaults

_PROBE_HTML = ("<html><head><meta charset=\"utf-8\"><title>a</title></head><body>"
               + "".join(f"<h{i}>a</h{i}>" for i in range(1, 7))
               + "<p>a</p><pre>a</pre><address>a</address><blockquote>a</blockquote><ul><li>a</li></ul>"
                 "<ol><li>a</li></ol><dl><dt>a</dt><dd>a</dd></dl><table><caption>a</caption><tr><th>a</th>"
                 "<td>a</td></tr></table><p><code>a</code> <tt>a</tt> <kbd>a</kbd> <samp>a</samp> <var>a</var> "
                 "<em>a</em> <strong>a</strong> <cite>a</cite> <a href=\"#a\">a</a> <sup>a</sup></p><hr>"
                 "</body></html>").encode()
_PROBE_RTF = (rb"{\rtf1\ansi{\stylesheet{\s0 Normal;}{\s1 heading 1;}{\s2 heading 2;}{\s3 heading 3;}"
              rb"{\s15 header;}{\s16 footer;}{\s17 footnote text;}}{\pard\plain a\par}"
              rb"{\pard\plain\s1 a\par}{\pard\plain\s2 a\par}}")
PROBES: dict[FileKind, tuple[str, bytes]] = {FileKind.HTML: ("cchc-probe-html.html", _PROBE_HTML),
                                             FileKind.RTF: ("cchc-probe-rtf.rtf", _PROBE_RTF)}


def _rfonts(root):
    """(style id, its w:rFonts) of docDefaults (id "") and of every style that has one."""
    rf = root.find(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('rFonts')}")
    if rf is not None:
        yield DOC_DEFAULTS, rf
    for st in root.iter(w("style")):
        rf = st.find(f"{w('rPr')}/{w('rFonts')}")
        if rf is not None and st.get(w("styleId")):
            yield st.get(w("styleId")), rf


def _style_fonts(root) -> dict[str, dict[str, str]]:
    """style id ("" for docDefaults) -> {rFonts attribute: value} of a styles part."""
    return {sid: {a: v for a, v in rf.attrib.items() if a in _FONT_ATTRS} for sid, rf in _rfonts(root)}


def probe_fonts(docx: Path) -> dict[str, dict[str, str]] | None:
    """What LibreOffice wrote for each style of a converted probe, or None if the probe is unreadable."""
    try:
        with zipfile.ZipFile(docx) as zf:
            return _style_fonts(parse_xml(zf.read(STYLES), STYLES))
    except Exception:  # a failed probe only means less is neutralised
        return None


def neutralise(docx: Path, kind: FileKind, probe: dict[str, dict[str, str]] | None, source_text: str) -> int:
    """Remove LibreOffice's own default fonts from the converted ``docx`` (in place); returns how many were removed.

    ``kind`` is what the source was, ``probe`` what LibreOffice writes for a source of that kind naming no font,
    ``source_text`` the source as text (a font it names is the author's, never removed).
    """
    if kind not in _NO_DEFAULTS_KINDS:
        return 0
    with zipfile.ZipFile(docx) as zf:
        if STYLES not in zf.namelist():
            return 0
        root = parse_xml(zf.read(STYLES), STYLES)
    named = source_text.casefold()
    removed = 0
    for sid, rf in _rfonts(root):
        theirs = probe.get(sid, {}) if probe and kind is not FileKind.DOC else {}
        for attr, value in list(rf.attrib.items()):
            if attr not in _FONT_ATTRS:
                continue
            default = sid == DOC_DEFAULTS or (theirs.get(attr) == value and value.casefold() not in named)
            if default:
                del rf.attrib[attr]
                removed += 1
    if removed:
        _replace_part(docx, STYLES, _serialise(root))
    return removed


def _serialise(root) -> bytes:
    from lxml import etree  # noqa: PLC0415

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _replace_part(docx: Path, name: str, data: bytes) -> None:
    def write(tmp: Path) -> None:
        with zipfile.ZipFile(docx) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
            for info in src.infolist():
                out.writestr(info, data if info.filename == name else src.read(info.filename))

    atomic_save(docx, write)
