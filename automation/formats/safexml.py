"""Safe reading of XML parts and zip members: no DTDs or entities, no network, bounded sizes.

Every XML part of a package a commune sends goes through :func:`parse_xml`, every member through
:func:`read_member`; both raise :class:`~automation.problems.FileRejected` (``file.*`` codes) for what must
not be read.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from lxml import etree

from automation.formats.xmlscan import refuse_dtd_bytes, unsafe
from automation.problems import FileRejected

MIB = 1024 * 1024


def mb(n: float) -> str:
    """A size in MB the Vietnamese way ("1,5 MB")."""
    return f"{n / MIB:.1f}".replace(".", ",") + " MB"


ROWS_ATTR = "{urn:cchc}rows"  # set on an element whose children were capped: how many there were


def parse_xml(data: bytes, what: str = "", *, cap: tuple[str, int] | None = None) -> etree._Element:
    """Parse an XML part safely: no DTD, no entities, no network, no huge trees. Raises ``file.unreadable``.

    A DTD or entity declaration anywhere in the part, in any encoding, is refused before parsing
    (:mod:`automation.formats.xmlscan`).  ``cap = (tag, n)`` keeps at most ``n`` elements ``tag`` under any
    one parent (a table's rows): the rest are dropped while parsing, so the tree stays small whatever the
    part holds, and the parent records in :data:`ROWS_ATTR` how many there were."""
    name = f"“{what}”" if what else "XML"
    refuse_dtd_bytes(data, what or "XML")
    options = dict(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, dtd_validation=False,
                   remove_blank_text=False)
    try:
        root = etree.fromstring(data, etree.XMLParser(**options)) if cap is None else _capped(data, cap, options)
    except (etree.XMLSyntaxError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        raise FileRejected("file.unreadable", detail=f"phần {name} không phải XML hợp lệ"
                           + (f" (dòng {line})" if line else "")) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise unsafe(what or "XML")
    return root


def _capped(data: bytes, cap: tuple[str, int], options: dict) -> etree._Element:
    tag, keep = cap
    counts: dict[int, int] = {}
    parsing = etree.iterparse(io.BytesIO(data), events=("end",), tag=tag, **options)
    for _event, el in parsing:
        parent = el.getparent()
        if parent is None:
            continue
        n = counts[id(parent)] = counts.get(id(parent), 0) + 1
        if n > keep:
            parent.set(ROWS_ATTR, str(n))
            el.clear()
            parent.remove(el)
    return parsing.root


def read_member(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """Inflate at most ``limit`` bytes of member ``name``; more is ``file.too_large``, corruption ``file.unreadable``."""
    try:
        info = zf.getinfo(name)
    except KeyError:
        raise FileRejected("file.unreadable", detail=f"thiếu phần “{name}” trong gói") from None
    if info.flag_bits & 0x1:
        raise FileRejected("file.encrypted", detail=f"phần “{name}” của tệp nén được đặt mật khẩu")
    too_big = FileRejected("file.too_large", detail=f"phần “{name}” giải nén vượt {mb(limit)}")
    if info.file_size > limit:
        raise too_big
    try:
        with zf.open(info) as fh:
            data = fh.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
        raise FileRejected("file.unreadable", detail=f"phần “{name}” bị hỏng (sai CRC hoặc dữ liệu nén hỏng)") from None
    if len(data) > limit:
        raise too_big
    return data
