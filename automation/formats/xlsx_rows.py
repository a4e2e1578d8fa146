"""A large worksheet written as XML directly, spliced into a workbook another writer made.

XlsxWriter writes about 170,000 cells a second; the appraisal workbook of a province (600 units x 60
criteria, 324,000 cells) took 1.9 s, most of it in one sheet whose rows hardly change from one pass to the
next.  Here that sheet's rows are written as ``<row>`` XML with inline strings, each row's bytes kept (by
its position and values) for the next write, and spliced into the workbook XlsxWriter made with the same
sheet empty: its styles, VBA project, button, filter, validation and column widths are XlsxWriter's own.

Control characters in a text become ``_xHHHH_`` as Excel writes them; a literal ``_xHHHH_`` is left as it
is (an inline string is read back raw by openpyxl, so escaping the escape would grow it at every rewrite of
a comment the council typed).  Hyperlinks get the relationships of a sheet part.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from typing import Iterable

_CONTROL = re.compile(r"([\x00-\x08\x0b-\x1f])")
_XML_SPECIAL = re.compile(r"[&<>\"]")
REL_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_RELS_HEAD = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
              '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">')


def _text(s: str) -> str:
    if _CONTROL.search(s):
        s = _CONTROL.sub(lambda m: f"_x{ord(m.group(1)):04X}_", s)
    if _XML_SPECIAL.search(s):
        s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return s


def column_letter(col: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    out = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def string_cell(ref: str, style: int, text: str) -> str:
    t = _text(text)
    space = ' xml:space="preserve"' if t[:1].isspace() or t[-1:].isspace() else ""
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t{space}>{t}</t></is></c>'


def number_cell(ref: str, style: int, value: float) -> str:
    # as XlsxWriter writes a number: 16 significant digits
    return f'<c r="{ref}" s="{style}"><v>{value:.16G}</v></c>' if value == value else blank_cell(ref, style)


def blank_cell(ref: str, style: int) -> str:
    return f'<c r="{ref}" s="{style}"/>'


@dataclass(frozen=True)
class Link:
    """A hyperlink of one cell to an external file (a path relative to the workbook)."""

    ref: str
    target: str


class RowCache:
    """Each row's XML by (row number, what it shows): a row that did not change is not written again.
    Bounded: rows not used by the last write are dropped."""

    def __init__(self) -> None:
        self._rows: dict[tuple, bytes] = {}

    def get(self, key: tuple, make) -> bytes:
        row = self._rows.get(key)
        if row is None:
            row = self._rows[key] = make().encode("utf-8")
        return row

    def keep_only(self, keys: Iterable[tuple]) -> None:
        wanted = set(keys)
        if len(wanted) < len(self._rows):
            self._rows = {k: v for k, v in self._rows.items() if k in wanted}


MAX_URL_UTF16 = 2079  # Excel's longest hyperlink
_URL_ESCAPES = [("%", "%25"), ('"', "%22"), (" ", "%20"), ("<", "%3c"), (">", "%3e"), ("[", "%5b"), ("]", "%5d"),
                ("^", "%5e"), ("`", "%60"), ("{", "%7b"), ("}", "%7d"), ("#", "%23")]


def hyperlink_target(path: str) -> str | None:
    """The relationship target of a link to the file ``path`` (relative to the workbook) as Excel writes one:
    backslashes, the characters a URI cannot hold percent-escaped (``%`` and ``#`` always, so a file named
    ``BC #1.pdf`` or ``50%.pdf`` keeps its link); None when Excel would refuse it (too long)."""
    target = path.replace("/", "\\")
    for char, escape in _URL_ESCAPES:
        target = target.replace(char, escape)
    return target if len(target.encode("utf-16-le")) // 2 <= MAX_URL_UTF16 else None


def row_xml(number: int, cells: list[str], height: float | None = None) -> str:
    """A ``<row>``; ``height`` (points) without ``customHeight``, so Excel fits the row again once edited."""
    if height is None:
        return f'<row r="{number}">{"".join(cells)}</row>'
    return f'<row r="{number}" ht="{height:g}">{"".join(cells)}</row>'


def splice_sheet(skeleton: bytes | str, out, member: str, rows: list[bytes], links: list[Link],
                 last_ref: str, compresslevel: int = 1) -> None:
    """Write ``out`` (a path or binary file) as the workbook ``skeleton`` with the rows of its sheet part
    ``member`` (e.g. ``xl/worksheets/sheet1.xml``) replaced by ``rows`` (header included) and the
    hyperlinks ``links`` added; ``last_ref`` is the bottom-right cell (the sheet's dimension)."""
    rels_member = member.rsplit("/", 1)[0] + "/_rels/" + member.rsplit("/", 1)[1] + ".rels"
    with zipfile.ZipFile(skeleton) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                           compresslevel=compresslevel) as dst:
        names = src.namelist()
        if rels_member in names:
            raise ValueError(f"{rels_member} already in the skeleton: the sheet must be written without links")
        for name in names:
            if name == member:
                dst.writestr(_info(src.getinfo(name)), _sheet(src.read(name), rows, links, last_ref))
                if links:
                    dst.writestr(_info(src.getinfo(name), rels_member), _rels(links))
            else:
                dst.writestr(_info(src.getinfo(name)), src.read(name))


def _info(source: zipfile.ZipInfo, name: str | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name or source.filename, date_time=source.date_time)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _sheet(xml: bytes, rows: list[bytes], links: list[Link], last_ref: str) -> bytes:
    start, end = xml.index(b"<sheetData"), xml.index(b"</sheetData>") + len(b"</sheetData>")
    head, tail = xml[:start], xml[end:]
    head = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:' + last_ref.encode() + b'"/>', head, count=1)
    if links:
        at = tail.index(b"<pageMargins")  # CT_Worksheet: ... dataValidations, hyperlinks, printOptions, pageMargins
        if b"<printOptions" in tail:
            at = tail.index(b"<printOptions")
        block = "".join(f'<hyperlink ref="{ln.ref}" r:id="rId{i}"/>' for i, ln in enumerate(links, start=1))
        tail = tail[:at] + f"<hyperlinks>{block}</hyperlinks>".encode() + tail[at:]
    return b"".join([head, b"<sheetData>", *rows, b"</sheetData>", tail])


def _rels(links: list[Link]) -> bytes:
    def attr(s: str) -> str:
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")

    body = "".join(f'<Relationship Id="rId{i}" Type="{REL_HYPERLINK}" Target="{attr(ln.target)}" '
                   f'TargetMode="External"/>' for i, ln in enumerate(links, start=1))
    return (_RELS_HEAD + body + "</Relationships>").encode("utf-8")
