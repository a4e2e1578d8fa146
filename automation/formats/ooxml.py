"""A read-only view of an OOXML package (zip of XML parts) with safe XML parsing.

Knows content types and relationships; knows nothing of Word or Excel semantics.
"""

from __future__ import annotations

import posixpath
import zipfile
from pathlib import Path
from urllib.parse import unquote

from automation.formats import xmlscan
from automation.formats.sniff import parse_xml, read_member
from automation.problems import FileRejected

CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
OFFICE_DOC_REL = R_NS + "/officeDocument"
STRICT_OFFICE_DOC_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"
# Strict OOXML (ISO/IEC 29500 Strict, "Strict Open XML Document" in Word) names the same elements in other
# namespaces; parts are read in the transitional ones, which is all the readers know.
_STRICT_NS = (
    (b"http://purl.oclc.org/ooxml/wordprocessingml/main", b"http://schemas.openxmlformats.org/wordprocessingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
)


class Package:
    """Parts of an OOXML zip, parsed lazily with entity resolution and network access off."""

    def __init__(self, path: Path, max_part_bytes: int):
        self.path = Path(path)
        self.max_part_bytes = max_part_bytes
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, ValueError) as exc:
            raise FileRejected("file.unreadable", detail=f"tệp nén OOXML hỏng ({exc})") from None
        # part names are compared case-insensitively (OPC §9.1.1.1): "Word/Document.xml" is "word/document.xml"
        self._names = {n.lstrip("/").lower(): n for n in self._zip.namelist()}
        self._xml_cache: dict[tuple, object] = {}

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Package":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def infolist(self) -> list[zipfile.ZipInfo]:
        return self._zip.infolist()

    def has(self, name: str) -> bool:
        return name.lstrip("/").lower() in self._names

    def read(self, name: str) -> bytes:
        real = self._names.get(name.lstrip("/").lower())
        if real is None:
            raise FileRejected("file.unreadable", detail=f"thiếu phần {name} trong gói OOXML")
        try:
            return read_member(self._zip, real, self.max_part_bytes)
        except FileRejected:
            raise
        except Exception as exc:  # BadZipFile, zlib.error, EOFError ... from a corrupt package
            raise FileRejected("file.unreadable", detail=f"phần {name} bị hỏng ({exc})") from None

    def xml(self, name: str, cap: tuple[str, int] | None = None):
        """The parsed part ``name`` (cached); ``cap = (tag, n)``: at most n such children per parent."""
        key = (name.lstrip("/").lower(), cap)
        if key not in self._xml_cache:
            data = self.read(name)
            if b"purl.oclc.org/ooxml/" in data:
                for strict, transitional in _STRICT_NS:
                    data = data.replace(strict, transitional)
            self._xml_cache[key] = parse_xml(data, what=name.lstrip("/"), cap=cap)
        return self._xml_cache[key]

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """(type, absolute target, target mode) of a part's relationships; '' part = package rels."""
        return [(typ, target, mode) for _rid, typ, target, mode in self._rels(part)]

    def targets(self, part: str) -> dict[str, tuple[str, str]]:
        """Relationship id -> (type, absolute target) of a part's internal relationships."""
        return {rid: (typ, target) for rid, typ, target, mode in self._rels(part) if mode != "External"}

    def _rels(self, part: str) -> list[tuple[str, str, str, str]]:
        folder, base = posixpath.split(part.lstrip("/"))
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels_name):
            return []
        out = []
        for rel in self.xml(rels_name).iter(f"{{{REL_NS}}}Relationship"):
            target = unquote(rel.get("Target", ""))
            mode = rel.get("TargetMode", "Internal")
            if mode != "External":
                target = posixpath.normpath(target.lstrip("/") if target.startswith("/")
                                            else posixpath.join(folder, target))
            out.append((rel.get("Id", ""), rel.get("Type", ""), target, mode))
        return out

    def related(self, part: str, rel_suffix: str) -> list[str]:
        """Internal targets of ``part`` whose relationship type ends with ``/rel_suffix``."""
        return [t for typ, t, mode in self.rels(part)
                if mode != "External" and typ.rsplit("/", 1)[-1] == rel_suffix and self.has(t)]

    def main_part(self) -> str:
        for typ, target, _ in self.rels(""):
            if typ in (OFFICE_DOC_REL, STRICT_OFFICE_DOC_REL) and self.has(target):
                return target
        if self.has("[Content_Types].xml"):  # no package relationship: the part typed as a main document
            for o in self.xml("[Content_Types].xml").iter(f"{{{CT_NS}}}Override"):
                part = unquote(o.get("PartName") or "").lstrip("/")
                if (o.get("ContentType") or "").lower().endswith(".main+xml") and self.has(part):
                    return part
        raise FileRejected("file.unreadable", detail="gói OOXML không có phần văn bản chính")


def refuse_dtds(path: Path, limit: int | None = None) -> None:
    """Refuse a package any of whose XML members declares a DTD or an entity (entity bombs, external entities),
    anywhere in the member and in any encoding: see :mod:`automation.formats.xmlscan`.  Run this before
    handing a package to a library that parses XML its own way (openpyxl)."""
    xmlscan.refuse_dtds(path, limit)
