"""Word documents whose content is imported web pages (``w:altChunk``), as web software writes them.

A common way to "export to Word" from a web application (the OpenXML SDK's AltChunk, html-docx-js) is a .docx
whose body holds nothing but ``<w:altChunk r:id="…"/>`` pointing at an HTML or MHT part: Word imports the page
when it opens the file, LibreOffice 7.4 shows an empty document.  :func:`alt_chunk_page` turns such a package
into the one web page Word would show (the document's own paragraphs and each imported page, in body order),
which the converter then reads like any web page.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from automation.formats.ooxml import Package
from automation.formats.textsniff import decode_head, html_as_utf8, looks_like_html, looks_like_mhtml, mhtml_html
from automation.formats.wordfonts import w

_BODY = re.compile(rb"<body[^>]*>(.*?)(?:</body\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_STYLE = re.compile(rb"<style[^>]*>.*?</style\s*>", re.IGNORECASE | re.DOTALL)


def _chunk_page(data: bytes) -> bytes | None:
    """An imported part as a UTF-8 web page: MHT, HTML or plain text; None for anything else (images, .docx)."""
    if looks_like_mhtml(data[:4096]):
        return mhtml_html(data)
    text = decode_head(data[:8192])
    if text is None:
        return None
    if looks_like_html(text):
        return html_as_utf8(data)
    plain = html_as_utf8(data)[3:].decode("utf-8")  # decoded as a page would be (BOM, UTF-16, code page)
    return html_as_utf8(f"<html><body><pre>{html.escape(plain)}</pre></body></html>".encode())


def _paragraph_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(w("t")))


def alt_chunk_page(docx: Path, max_part_bytes: int) -> bytes | None:
    """The web page (UTF-8) a .docx made of imported chunks shows, or None if it imports none."""
    with Package(docx, max_part_bytes) as pkg:
        main = pkg.main_part()
        body = pkg.xml(main).find(w("body"))
        targets = pkg.targets(main)
        styles: list[bytes] = []
        parts: list[bytes] = []
        found = False
        for child in body if body is not None else ():
            if child.tag == w("altChunk"):
                rid = child.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
                typ, target = targets.get(rid, ("", ""))
                if not typ.lower().endswith("/afchunk") or not pkg.has(target):
                    continue
                page = _chunk_page(pkg.read(target))
                if page is None:
                    continue
                found = True
                styles.extend(_STYLE.findall(page))
                m = _BODY.search(page)
                parts.append(m.group(1) if m else page.removeprefix(b"\xef\xbb\xbf"))
            elif child.tag == w("p") and _paragraph_text(child).strip():
                parts.append(f"<p>{html.escape(_paragraph_text(child))}</p>".encode())
        if not found:
            return None
        return (b'\xef\xbb\xbf<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">'
                + b"".join(styles) + b"</head><body>" + b"\n".join(parts) + b"</body></html>")
