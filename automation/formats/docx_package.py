"""A Word package kept in memory as its parts' bytes, written again with a few parts replaced.

Opening a .docx with python-docx parses every XML part (styles, numbering, theme …) and saving it serialises
and compresses them all again, for each document written.  A :class:`Package` holds the parts of one
package as python-docx would save them, each already deflated with its CRC, so writing a document costs
the compression of the parts that change (``word/document.xml``, a header) and a copy of the others.

:func:`cached` keeps the packages of a run: keyed by a template file's path, ``st_mtime_ns`` and size (a
template edited on disk is read again, never served stale), or by a caller's key for packages built in code
(python-docx's default template, with the file's stat in the key as well); at most :data:`MAX_PACKAGES`
are kept, the least recently used dropped first.

Format layer: the standard library and lxml only; no domain word.
"""

from __future__ import annotations

import io
import struct
import threading
import time
import zipfile
import zlib
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from pathlib import Path

MAX_PACKAGES = 16
_BODY_MARK = b"<?cchc-body here?>"
_ZIP32_LIMIT = 0xFFFFFFFF
_MADE_BY, _ATTR = 3 << 8 | 20, 0o600 << 16  # as zipfile writes a member: Unix, rw-------


@dataclass(frozen=True)
class _Member:
    name: bytes
    crc: int
    size: int
    deflated: bytes


FAST_ABOVE = 256 * 1024  # a part this large (a unit's 30 survey forms) is deflated at level 1: 4x faster


def _member(name: str, data: bytes) -> _Member:
    # zipfile's default level for the small parts, level 1 for the large ones; raw deflate as in a zip
    c = zlib.compressobj(1 if len(data) > FAST_ABOVE else 6, zlib.DEFLATED, -15)
    return _Member(name.encode("utf-8"), zlib.crc32(data), len(data), c.compress(data) + c.flush())


def _dos_time(moment: float) -> tuple[int, int]:
    t = time.localtime(moment)
    return (t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2,
            max(t.tm_year - 1980, 0) << 9 | t.tm_mon << 5 | t.tm_mday)


class Package:
    """The parts of one .docx in their order, each deflated once; see :meth:`write`."""

    def __init__(self, parts: list[tuple[str, bytes]]):
        self.names = [name for name, _ in parts]
        self.raw = dict(parts)
        self._members = {name: _member(name, data) for name, data in parts}
        self._head_tail: tuple[bytes, bytes] | None = None

    @classmethod
    def from_bytes(cls, data: bytes) -> Package:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            return cls([(info.filename, z.read(info)) for info in z.infolist()])

    @classmethod
    def from_document(cls, doc) -> Package:
        """The package python-docx writes for ``doc`` (a ``docx.Document``), as it is now."""
        buf = io.BytesIO()
        doc.save(buf)
        return cls.from_bytes(buf.getvalue())

    def body_frame(self) -> tuple[bytes, bytes]:
        """``word/document.xml`` split where new body content goes: before the body's last ``w:sectPr`` (the
        content already there stays in front), or at the end of the body when it has none."""
        if self._head_tail is None:
            from lxml import etree  # noqa: PLC0415

            root = etree.fromstring(self.raw["word/document.xml"])
            body = root.find(f"{{{root.nsmap['w']}}}body")
            mark = etree.ProcessingInstruction("cchc-body", "here")
            if len(body) and body[-1].tag.endswith("}sectPr"):
                body[-1].addprevious(mark)
            else:
                body.append(mark)
            head, tail = etree.tostring(root, encoding="UTF-8", standalone=True).split(_BODY_MARK)
            self._head_tail = head, tail
        return self._head_tail

    def document_xml(self, body: str) -> bytes:
        """``word/document.xml`` with ``body`` (XML of paragraphs and tables, prefix ``w:``) in its body."""
        head, tail = self.body_frame()
        return head + body.encode("utf-8") + tail

    def write(self, target, replace: Mapping[str, bytes] | None = None) -> None:
        """Write the package to ``target`` (a path or a binary file) with the parts in ``replace`` instead of
        the cached ones (a name not in the package is added at the end)."""
        replace = dict(replace or {})
        names = self.names + [n for n in replace if n not in self.raw]
        members = [_member(n, replace[n]) if n in replace else self._members[n] for n in names]
        if sum(len(m.deflated) + m.size for m in members) >= _ZIP32_LIMIT // 2:
            return self._write_zipfile(target, names, replace)
        tm, dt = _dos_time(time.time())
        out, central, offset = [], [], 0
        for m in members:
            fixed = (20, 0, zipfile.ZIP_DEFLATED, tm, dt, m.crc, len(m.deflated), m.size, len(m.name), 0)
            local = struct.pack("<4s5H3L2H", b"PK\x03\x04", *fixed) + m.name
            central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", _MADE_BY, *fixed, 0, 0, 0, _ATTR, offset)
                           + m.name)
            out += [local, m.deflated]
            offset += len(local) + len(m.deflated)
        directory = b"".join(central)
        out += [directory, struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members),
                                       len(directory), offset, 0)]
        data = b"".join(out)
        if hasattr(target, "write"):
            target.write(data)
        else:
            Path(target).write_bytes(data)

    def _write_zipfile(self, target, names, replace) -> None:
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as z:
            for n in names:
                z.writestr(n, replace[n] if n in replace else self.raw[n])


_CACHE: OrderedDict[Hashable, object] = OrderedDict()
_LOCK = threading.Lock()


def file_key(path: Path) -> tuple:
    """The cache key of the file at ``path``: its resolved path, modification time (ns) and size."""
    path = Path(path).resolve()
    st = path.stat()
    return str(path), st.st_mtime_ns, st.st_size


def cached(key: Hashable, build: Callable[[], object]):
    """The value cached under ``key``, built by ``build()`` on first use (or after being dropped)."""
    with _LOCK:
        if key in _CACHE:
            _CACHE.move_to_end(key)
            return _CACHE[key]
    value = build()
    with _LOCK:
        _CACHE[key] = value
        _CACHE.move_to_end(key)
        while len(_CACHE) > MAX_PACKAGES:
            _CACHE.popitem(last=False)
    return value


def clear() -> None:
    """Forget every cached package."""
    with _LOCK:
        _CACHE.clear()


def default_template_key() -> tuple:
    """The key of python-docx's default template, so a package built from it follows an upgrade."""
    import docx  # noqa: PLC0415

    return file_key(Path(docx.__file__).parent / "templates" / "default.docx")
