"""The DTD refusal: no XML part of a package a commune sends reaches a parser while it declares a DTD or an entity.

OOXML never needs a DTD; a ``<!DOCTYPE`` (billion laughs, external entities) is refused wherever it is in a
part, not only in its first kilobytes, and in whatever encoding the part is written.  What is scanned is every
zip member whose bytes are XML, whatever its name: a parser (openpyxl, python-docx, ours) reads a part by its
content type or relationship, never by its extension, so a name proves nothing.  A member is XML when its first
non-blank character, in the encoding its bytes announce, is ``<``; images, ``vbaProject.bin`` and other binary
members cost only their first bytes.

The encoding is found as an XML parser finds it (XML 1.0 appendix F): a byte order mark (UTF-8, UTF-16 LE/BE,
UTF-32 LE/BE), else the pattern of zero bytes around the first ``<`` (UTF-16 and UTF-32 without a mark), else
an ASCII-compatible encoding named by the XML declaration.  A declaration naming any other encoding (UTF-7,
EBCDIC, East Asian multibyte sets), in which ``<!DOCTYPE`` need not be spelt in ASCII, is refused too: Office
writes UTF-8 or UTF-16 only.  Text is scanned in chunks with an overlap, so a declaration split across chunks is
found; memory stays at one chunk whatever the part's size.
"""

from __future__ import annotations

import codecs
import re
import zipfile
import zlib
from typing import BinaryIO, Iterator

from automation.problems import FileRejected

CHUNK_BYTES = 1 << 16
_OVERLAP = 16  # longer than "<!DOCTYPE" and "<!ENTITY", in characters or bytes
_DANGER_BYTES = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DANGER_TEXT = re.compile(r"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DECLARED = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:\-]{1,40})["']""")
_BLANK = b" \t\r\n"
# encodings in which every ASCII byte stands for itself and no other byte sequence reads as ASCII
_ASCII_SAFE = re.compile(r"^(?:utf-?8|(?:us-?)?ascii|iso[-_]?8859[-_]\d{1,2}|latin-?\d|l\d|windows-125\d|"
                         r"cp125\d)$", re.IGNORECASE)
# (byte order mark, Python codec); UTF-32 LE before UTF-16 LE (its mark starts with UTF-16 LE's)
_BOMS = ((codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF8, None),
         (codecs.BOM_UTF16_BE, "utf-16-be"), (codecs.BOM_UTF16_LE, "utf-16-le"))
_EBCDIC_XML = b"\x4c\x6f\xa7\x94"  # "<?xm" in EBCDIC


def unsafe(what: str) -> FileRejected:
    return FileRejected("file.unreadable", detail=f"phần “{what}” chứa khai báo DTD/thực thể XML không an toàn")


def _unknown_encoding(what: str, name: str) -> FileRejected:
    return FileRejected("file.unreadable", detail=f"phần “{what}” khai báo bảng mã “{name}”, không phải UTF-8 hay "
                                                  "UTF-16 như mọi tệp Word/Excel (không an toàn để đọc)")


def _wide(head: bytes) -> str | None:
    """UTF-16/UTF-32 without a byte order mark, from the zero bytes around the first character."""
    zero = tuple(x == 0 for x in head[:4].ljust(4, b"\x01"))
    return {(True, True, True, False): "utf-32-be", (False, True, True, True): "utf-32-le",
            (True, False, True, False): "utf-16-be", (False, True, False, True): "utf-16-le",
            (True, False, False, False): "utf-16-be" if len(head) == 2 else None,
            (False, True, False, False): "utf-16-le" if len(head) == 2 else None}.get(zero)


def encoding_of(head: bytes, what: str) -> tuple[str | None, int] | None:
    """(Python codec, or None for ASCII-compatible bytes; length of the byte order mark) of a member whose
    first bytes are ``head``; None when the member is not XML.  An 8-bit declaration naming an encoding that
    is not ASCII-safe is refused."""
    for bom, codec in _BOMS:
        if head.startswith(bom):
            return codec, len(bom)
    if head.startswith(_EBCDIC_XML):
        return "cp500", 0
    wide = _wide(head)
    if wide is not None:
        return wide, 0
    if not head.lstrip(_BLANK).startswith(b"<"):
        return None
    m = _DECLARED.match(head[:1024])
    if m and not _ASCII_SAFE.match(m.group(1).decode("ascii")):
        raise _unknown_encoding(what, m.group(1).decode("ascii"))
    return None, 0


def _scan(chunks: Iterator[bytes], what: str) -> None:
    """Raise ``unsafe(what)`` if the member whose bytes come in ``chunks`` is XML declaring a DTD or entity."""
    first = next(chunks, b"")
    head = first
    while len(head) < 4 and (more := next(chunks, b"")):  # a tiny first read: enough bytes to see the encoding
        head += more
    found = encoding_of(head, what)
    if found is None:
        return
    codec, bom = found
    if codec is None:
        tail = b""
        for data in _chain(head[bom:], chunks):
            if _DANGER_BYTES.search(tail + data):
                raise unsafe(what)
            tail = data[-_OVERLAP:]
        return
    decoder = codecs.getincrementaldecoder(codec)(errors="replace")
    text_tail, checked_start = "", False
    for data in _chain(head[bom:], chunks):
        text = decoder.decode(data)
        if not checked_start and text.strip():
            checked_start = True
            if not text.lstrip().startswith("<"):
                return  # zero bytes that do not make XML: a binary member
        if _DANGER_TEXT.search(text_tail + text):
            raise unsafe(what)
        text_tail = text[-_OVERLAP:]
    if _DANGER_TEXT.search(text_tail + decoder.decode(b"", final=True)):
        raise unsafe(what)


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def _blocks(fh: BinaryIO) -> Iterator[bytes]:
    while data := fh.read(CHUNK_BYTES):
        yield data


def refuse_dtd_bytes(data: bytes, what: str) -> None:
    """The DTD refusal for a part already in memory."""
    _scan(iter([data[i:i + CHUNK_BYTES] for i in range(0, len(data), CHUNK_BYTES)] or [b""]), what)


def refuse_dtds(path, limit: int | None = None) -> None:
    """Refuse the package at ``path`` if any of its XML members declares a DTD or an entity (``file.unreadable``).

    Members are streamed, never held whole; ``limit`` bounds what one member may inflate to (the package limits
    of :mod:`automation.formats.limits`, already checked on the central directory by the sniffer).
    """
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.is_dir() or info.file_size == 0:
                    continue
                if limit is not None and info.file_size > limit:
                    raise FileRejected("file.too_large", detail=f"phần “{info.filename}” giải nén quá lớn")
                with zf.open(info) as fh:
                    _scan(_blocks(fh), info.filename)
    except FileRejected:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError) as exc:
        raise FileRejected("file.unreadable", detail=f"tệp nén OOXML hỏng ({type(exc).__name__})") from None
