"""A structural dump of a .docx, to compare a document written one way with the same document written another.

For every part of the package: the Word parts that carry content (document, headers, footers) as a walk
over paragraphs and tables, each paragraph with its text, its paragraph properties and, per run, the run's
text, properties and other children; each table with its properties, grid, rows and cells (recursively);
the section properties.  Properties are compared as canonical XML
(C14N), so attribute order and namespace prefixes do not matter, but every attribute value does.  Other
parts are compared by the SHA-256 of their canonical XML (or bytes); the core properties' dates, which
python-docx sets from the clock, are left out.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zipfile
from pathlib import Path

from lxml import etree

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_CONTENT = re.compile(r"^word/(document|header\d*|footer\d*)\.xml$")
_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")


def _c14n(el) -> str:
    return etree.tostring(el, method="c14n").decode() if el is not None else ""


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _run(r) -> dict:
    return {"text": "".join(t.text or "" for t in r.iter(W + "t")), "rPr": _c14n(r.find(W + "rPr")),
            "other": [_c14n(c) for c in r if c.tag not in (W + "t", W + "rPr")]}


def _blocks(parent) -> list:
    out = []
    for el in parent:
        tag = el.tag
        if tag == W + "p":
            out.append({"p": "".join(t.text or "" for t in el.iter(W + "t")), "pPr": _c14n(el.find(W + "pPr")),
                        "runs": [_run(r) if r.tag == W + "r" else {"el": _c14n(r)}
                                 for r in el if r.tag != W + "pPr"]})
        elif tag == W + "tbl":
            out.append({"tblPr": _c14n(el.find(W + "tblPr")), "grid": _c14n(el.find(W + "tblGrid")),
                        "rows": [{"trPr": _c14n(tr.find(W + "trPr")),
                                  "cells": [{"tcPr": _c14n(tc.find(W + "tcPr")), "content": _blocks(tc)}
                                            for tc in tr.iter(W + "tc")]}
                                 for tr in el.iter(W + "tr")]})
        elif tag in (W + "tcPr",):
            continue
        else:
            out.append({_local(tag): _c14n(el)})
    return out


def dump(path: Path) -> dict:
    """The dump of the .docx at ``path`` (JSON-serialisable)."""
    out: dict = {}
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            data = z.read(name)
            if _CONTENT.match(name):
                root = etree.fromstring(data)
                body = root.find(W + "body")
                out[name] = _blocks(body) if body is not None else (
                    _blocks(root) if root.tag in (W + "hdr", W + "ftr") else _c14n(root))
                continue
            if name == "docProps/core.xml":
                data = _DATES.sub(b"", data)
            try:
                data = etree.tostring(etree.fromstring(data), method="c14n")
            except etree.XMLSyntaxError:
                pass
            out[name] = hashlib.sha256(data).hexdigest()
    return out


def differences(a: dict, b: dict, limit: int = 5) -> list[str]:
    """Where dump ``a`` differs from ``b``: a few JSON paths with both values."""
    found: list[str] = []

    def walk(x, y, where):
        if len(found) >= limit:
            return
        if type(x) is not type(y):
            found.append(f"{where}: {x!r:.300} != {y!r:.300}")
        elif isinstance(x, dict):
            for k in sorted(set(x) | set(y)):
                walk(x.get(k), y.get(k), f"{where}/{k}")
        elif isinstance(x, list):
            if len(x) != len(y):
                found.append(f"{where}: {len(x)} items != {len(y)}")
            for i, (u, v) in enumerate(zip(x, y)):
                walk(u, v, f"{where}[{i}]")
        elif x != y:
            found.append(f"{where}: {x!r:.300} != {y!r:.300}")

    walk(a, b, "")
    return found


def save(d: dict, path: Path) -> None:
    """``d`` as gzipped JSON (mtime 0, so the same dump gives the same bytes)."""
    path.write_bytes(gzip.compress(json.dumps(d, ensure_ascii=False, sort_keys=True).encode(), mtime=0))


def load(path: Path) -> dict:
    return json.loads(gzip.decompress(path.read_bytes()))
