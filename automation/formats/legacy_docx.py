"""A corrected copy of a Word file typed in TCVN3 or VNI: Unicode text, Times New Roman everywhere.

The original is never touched; the copy is written atomically.  Legacy .doc/.rtf files are converted
to .docx by LibreOffice first.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from automation.formats.limits import Limits
from automation.formats import legacy
from automation.formats.docx_write import FONT as TNR, set_font_all_slots
from automation.formats.ooxml import Package
from automation.formats.sniff import FileKind, sniff
from automation.formats.word import RunFonts, w
from automation.problems import FileRejected
from automation.files import atomic_save

_STORIES = ("header", "footer", "footnotes", "endnotes")
_WORD_KINDS = {FileKind.DOCX, FileKind.DOC, FileKind.RTF, FileKind.HTML, FileKind.ODT}


@dataclass
class ConvertResult:
    path: Path
    runs_decoded: int
    runs_refonted: int


def _set_tnr(rpr, create: bool) -> bool:
    """Make the rFonts of ``rpr`` name Times New Roman in every slot (made, when missing, only if ``create``)."""
    if rpr.find(w("rFonts")) is None and not create:
        return False
    set_font_all_slots(rpr, TNR)
    return True


# LibreOffice writes the TCVN3 letter ư (byte 0xAD, the soft hyphen) as a w:softHyphen element
_TEXTISH = {w("t"), w("softHyphen")}
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


def _piece(el) -> str:
    return (el.text or "") if el.tag == w("t") else "\u00ad"


def _decode_run(r, enc: str, font: str | None) -> None:
    """Merge each stretch of text and soft hyphens into one w:t holding the decoded text."""
    stretch: list = []

    def flush() -> None:
        if not stretch:
            return
        t = etree.Element(w("t"))
        t.text = legacy.decode("".join(_piece(el) for el in stretch), enc, font)
        t.set(_XML_SPACE, "preserve")
        stretch[0].addprevious(t)
        for el in stretch:
            r.remove(el)
        stretch.clear()

    for el in list(r):
        if el.tag in _TEXTISH:
            stretch.append(el)
        else:
            flush()
    flush()


def _runs(root, fonts: RunFonts):
    """(run element, its text, the font of that text) of every run with text in a part."""
    for r in list(root.iter(w("r"))):
        text = "".join(_piece(el) for el in r if el.tag in _TEXTISH)
        if text:
            f, _hidden = fonts.of(r)
            yield r, text, f.hAnsi if any(ord(c) > 0x7F for c in text) else f.ascii


def _fix_part(root, fonts: RunFonts, encodings: legacy.DocumentEncodings) -> tuple[int, int]:
    decoded = refonted = 0
    for r, text, font in _runs(root, fonts):
        enc = encodings.detect(text, font)
        if enc:
            _decode_run(r, enc, font)
            decoded += 1
        rpr = r.find(w("rPr"))
        if rpr is None:
            rpr = etree.Element(w("rPr"))
            r.insert(0, rpr)
        _set_tnr(rpr, create=True)
        refonted += 1
    return decoded, refonted


def _fix_styles(root) -> None:
    for rpr in root.iter(w("rPr")):
        _set_tnr(rpr, create=rpr.getparent() is not None and rpr.getparent().tag == w("rPrDefault"))


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def unicode_copy(docx: Path, target: Path, max_part_bytes: int) -> ConvertResult:
    """Write the corrected copy of the .docx ``docx`` to ``target`` atomically."""
    changed: dict[str, bytes] = {}
    decoded = refonted = 0
    with Package(docx, max_part_bytes) as pkg:
        main = pkg.main_part()
        fonts = RunFonts(pkg, main)  # resolve against the ORIGINAL styles, before they change
        parts = [main] + [t for rel in _STORIES for t in pkg.related(main, rel)]
        # runs that read as Vietnamese both ways are judged by the whole document
        encodings = legacy.DocumentEncodings((text, font) for part in parts
                                             for _r, text, font in _runs(pkg.xml(part), fonts))
        for part in parts:
            root = pkg.xml(part)
            d, r = _fix_part(root, fonts, encodings)
            decoded, refonted = decoded + d, refonted + r
            changed[part.lower()] = _serialise(root)
        for styles in pkg.related(main, "styles"):
            root = pkg.xml(styles)
            _fix_styles(root)
            changed[styles.lower()] = _serialise(root)
        def write(tmp: Path) -> None:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as out:
                for info in pkg.infolist():
                    data = changed.get(info.filename.lstrip("/").lower())
                    out.writestr(info.filename, data if data is not None else pkg.read(info.filename))

        atomic_save(target, write)
    return ConvertResult(target, decoded, refonted)


def convert_file(source: Path, output: Path | None, limits: Limits, workdir: Path | None = None) -> ConvertResult:
    """``cchc convert``: a Unicode, Times New Roman copy of ``source`` (.docx, or legacy via LibreOffice, which
    works under ``workdir``; None: the system temp folder)."""
    source = Path(source)
    kind = sniff(source, limits)
    if kind.kind not in _WORD_KINDS:
        raise FileRejected("file.unsupported", detail=f"{kind.detail}; chỉ chuyển được tệp Word")
    target = Path(output) if output else source.with_name(f"{source.stem}-unicode.docx")
    if target.resolve() == source.resolve():
        raise FileRejected("file.unsupported", detail="tệp kết quả không được trùng tệp gốc")
    if not kind.needs_conversion:
        return unicode_copy(source, target, limits.max_uncompressed_bytes)
    from automation.formats.convert import Converter  # noqa: PLC0415
    with Converter(timeout_s=limits.conversion_timeout_s, workdir=workdir) as conv:
        docx = conv.convert(source, "docx")
        return unicode_copy(docx, target, limits.max_uncompressed_bytes)

