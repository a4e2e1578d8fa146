"""Recognising files that are text rather than packages: HTML and MHTML web pages, lock files, their encodings.

Web software (one-stop-shop systems, online forms) exports "Word" and "Excel" files that are really HTML: a bare
``<table>``, a ``<style>`` block first, XHTML after an XML declaration, UTF-8 with or without a BOM, UTF-16 with
or without a BOM, windows-1258.  :func:`decode_head` and :func:`looks_like_html` recognise them from the head of
the file; :func:`html_as_utf8` rewrites a whole page as UTF-8 for LibreOffice, which reads a UTF-16 page without
a BOM, or a windows-1258 page without a charset, as garbage.

Word and Excel leave a lock file (``~$name.docx``, about 162 bytes) next to a file that is open: a length byte,
the owner's name in ANSI, padding, the name again in UTF-16.  :func:`lock_file_owner` recognises it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le"/"utf-16-be" when the bytes look like UTF-16 text without a BOM (ASCII-range characters
    with a NUL high byte on nearly every second byte), else None."""
    sample = head[:1024]
    if len(sample) < 8:
        return None
    even, odd = sample[0::2], sample[1::2]
    nul_even, nul_odd = even.count(0) / len(even), odd.count(0) / len(odd)
    if nul_odd >= 0.7 and nul_even <= 0.1:
        return "utf-16-le"
    if nul_even >= 0.7 and nul_odd <= 0.1:
        return "utf-16-be"
    return None


def decode_head(head: bytes) -> str | None:
    """The head of a file as text (BOM-aware, UTF-16 without BOM too), or None if it looks binary."""
    for bom, enc in _BOMS:
        if head.startswith(bom):
            return head[len(bom):].decode(enc, "ignore")
    enc = utf16_without_bom(head)
    if enc:
        return head[: len(head) // 2 * 2].decode(enc, "ignore")
    if b"\x00" in head:
        return None
    controls = sum(1 for b in head if b < 0x20 and b not in (9, 10, 12, 13, 26))
    return head.decode("utf-8", "replace") if controls <= len(head) // 100 else None


def looks_like_mhtml(head: bytes) -> bool:
    """True for a MIME "single file web page" (what Word writes for "Web Page, Single File", often named .doc)."""
    low = head.lstrip(b" \t\r\n\xef\xbb\xbf")[:4096].lower()
    return low.startswith(b"mime-version:") or \
        low.startswith((b"from:", b"date:", b"subject:", b"content-type:")) and b"multipart/related" in low


# tags a web page or an exported table starts with (after an XML declaration, comments and a doctype)
_HTML_FIRST_TAG = re.compile(
    r"<(?:!doctype\s+html|html|head|body|meta|title|style|script|link|base|table|thead|tbody|caption|tr|td|th|div|"
    r"p|span|font|center|h[1-6]|br|hr|form|b|i|u|strong|em|ul|ol|li|pre|blockquote|img|a|section|article|header|"
    r"main|nav|o:p|xml)(?=[\s/>])", re.IGNORECASE)
_PROLOG = re.compile(r"\s*(?:<\?xml[^>]*\?>|<!--.*?-->|<!doctype(?!\s+html)[^>]*>)", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """True when ``text`` (the decoded head of a file) starts as a web page or an HTML fragment does."""
    t = text.lstrip(" \t\r\n\ufeff")
    pos = 0
    while m := _PROLOG.match(t, pos):  # XML declaration, comments, an XHTML-less doctype
        if m.end() == pos:
            break
        pos = m.end()
    rest = t[pos:].lstrip()
    if pos and t.lower().startswith("<?xml") and not re.match(r"<(?:!doctype\s+html|html)", rest, re.I):
        return False  # some other XML
    return bool(_HTML_FIRST_TAG.match(rest))


_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_META_CHARSET_TEXT = re.compile(r"""(<meta[^>]*?charset\s*=\s*["']?\s*)([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(r"""(<\?xml[^>]*?encoding\s*=\s*["'])([A-Za-z0-9_:.-]+)""", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode_page(data: bytes, declared: str | None = None) -> str:
    """Decode a whole web page: BOM, UTF-16 without BOM, the charset the page (or its MIME part) declares,
    UTF-8, else the 8-bit code page that reads more Vietnamese (windows-1258) or windows-1252, which keeps
    TCVN3/VNI bytes as they are for the legacy decoder."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(enc, "replace")
    enc = utf16_without_bom(data)
    if enc:
        return data[: len(data) // 2 * 2].decode(enc, "replace")
    m = _META_CHARSET.search(data[:8192])
    unknown = False
    for name in (declared, m.group(1).decode("ascii") if m else None):
        codec = _codec(name) if name else None
        if codec and not codec.startswith("utf-16"):  # "utf-16" without a BOM was ruled out above
            return data.decode(codec, "replace")
        unknown = unknown or (bool(name) and codec is None)
    if unknown:  # a charset Python does not know (e.g. "TCVN3"): keep every byte as its Latin-1 character
        return data.decode("latin-1")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from automation.formats.legacy import vietnamese_score  # noqa: PLC0415

    western, viet = data.decode("cp1252", "replace"), data.decode("cp1258", "replace")
    score = {page: vietnamese_score(_TAGS.sub(" ", unicodedata.normalize("NFC", page))) for page in (western, viet)}
    return viet if score[viet] > score[western] else western


def html_as_utf8(data: bytes, declared: str | None = None) -> bytes:
    """The web page ``data`` re-encoded as UTF-8 (with a BOM, every charset declaration saying UTF-8), text NFC."""
    text = unicodedata.normalize("NFC", _decode_page(data, declared))
    text = _META_CHARSET_TEXT.sub(lambda m: m.group(1) + "utf-8", text)
    text = _XML_ENCODING.sub(lambda m: m.group(1) + "utf-8", text)
    return b"\xef\xbb\xbf" + text.encode("utf-8")


def mhtml_html(data: bytes) -> bytes | None:
    """The HTML part of an MHTML "single file web page", as UTF-8 (see :func:`html_as_utf8`), or None."""
    import email  # noqa: PLC0415
    import email.policy  # noqa: PLC0415

    msg = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            return html_as_utf8(part.get_payload(decode=True) or b"", part.get_content_charset())
    return None


LOCK_MAX_BYTES = 4096


def lock_file_owner(head: bytes, size: int) -> str | None:
    """The owner's name written in a Word/Excel lock file ("~$..."), or None if ``head`` is not one.

    Layout: one length byte, the name in ANSI, padding (spaces or NULs), the name again in UTF-16 LE.
    """
    if not 8 <= size <= LOCK_MAX_BYTES or len(head) < size:
        return None
    n = head[0]
    if not 1 <= n <= 54 or n + 1 > size:
        return None
    raw = head[1:1 + n]
    if any(b < 0x20 for b in raw):
        return None
    name = raw.decode("cp1252", "replace")
    rest = head[1 + n:size].replace(name.encode("utf-16-le"), b"")
    # what is left is padding and at most a few length bytes
    if sum(1 for b in rest if b not in (0x00, 0x20)) > 4:
        return None
    return name.strip() or None
