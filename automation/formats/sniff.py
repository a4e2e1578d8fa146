"""What a file really is, judged by its bytes before its name: kind, macros, size, and refusals.

:func:`sniff` looks at magic bytes, the zip central directory plus ``[Content_Types].xml`` (never inflating whole
packages) and OLE2 directories, and raises :class:`~automation.problems.FileRejected` for files that must not go
further (too large, zip bombs, encrypted, unreadable, formats we do not take). It knows nothing of communes.
"""

from __future__ import annotations

import enum
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from automation.formats.limits import Limits
from automation.formats.safexml import MIB, mb, parse_xml, read_member
from automation.formats.textsniff import (LOCK_MAX_BYTES, decode_head, lock_file_owner, looks_like_html,
                                          looks_like_mhtml)
from automation.problems import FileRejected


MAX_MEMBERS = 10_000
HEAD_BYTES = 8192


class FileKind(str, enum.Enum):
    DOCX = "docx"   # also .docm/.dotx/.dotm (Word main part)
    XLSX = "xlsx"   # also .xlsm/.xltx/.xltm
    ODT = "odt"
    ODS = "ods"
    DOC = "doc"     # OLE2 with a WordDocument stream (Word 6/95/97-2003)
    XLS = "xls"     # OLE2 with a Workbook/Book stream
    RTF = "rtf"
    HTML = "html"   # HTML or MHTML ("Word web page"), often saved as .doc
    TEXT = "text"
    PDF = "pdf"
    IMAGE = "image"
    EMPTY = "empty"
    OTHER = "other"


_WORD = {FileKind.DOCX, FileKind.DOC, FileKind.RTF, FileKind.HTML, FileKind.ODT}
_SHEET = {FileKind.XLSX, FileKind.XLS, FileKind.ODS}
_LEGACY = {FileKind.DOC, FileKind.RTF, FileKind.HTML, FileKind.ODT, FileKind.XLS, FileKind.ODS}


@dataclass(frozen=True)
class Sniffed:
    kind: FileKind
    macro: bool
    size: int
    detail: str  # short Vietnamese description, e.g. "tệp Word 97-2003 (.doc)"

    @property
    def family(self) -> str:
        """"word", "sheet" or "other"."""
        return "word" if self.kind in _WORD else "sheet" if self.kind in _SHEET else "other"

    alt_chunks: bool = False  # a .docx whose text is imported HTML/MHT ("altChunk"), as web software writes

    @property
    def needs_conversion(self) -> bool:
        """True for formats read only after LibreOffice turns them into .docx/.xlsx (and for .docx whose
        content is imported web pages, which the converter turns into a document first)."""
        return self.kind in _LEGACY or self.alt_chunks


_OOXML_MAIN = {
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml": (FileKind.DOCX, "tệp Word (.docx)"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml": (FileKind.DOCX, "mẫu Word (.dotx)"),
    "application/vnd.ms-word.document.macroenabled.main+xml": (FileKind.DOCX, "tệp Word có macro (.docm)"),
    "application/vnd.ms-word.template.macroenabledtemplate.main+xml": (FileKind.DOCX, "mẫu Word có macro (.dotm)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml": (FileKind.XLSX, "tệp Excel (.xlsx)"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml": (FileKind.XLSX, "mẫu Excel (.xltx)"),
    "application/vnd.ms-excel.sheet.macroenabled.main+xml": (FileKind.XLSX, "tệp Excel có macro (.xlsm)"),
    "application/vnd.ms-excel.template.macroenabled.main+xml": (FileKind.XLSX, "mẫu Excel có macro (.xltm)"),
}
_OOXML_OTHER = (("presentationml", "tệp PowerPoint (.pptx)"), ("ms-powerpoint", "tệp PowerPoint (.pptm)"),
                ("sheet.binary", "tệp Excel nhị phân (.xlsb)"), ("visio", "tệp Visio (.vsdx)"),
                ("xps", "tài liệu XPS"))
_ODF = {"application/vnd.oasis.opendocument.text": (FileKind.ODT, "tệp OpenDocument văn bản (.odt)"),
        "application/vnd.oasis.opendocument.text-template": (FileKind.ODT, "mẫu OpenDocument văn bản (.ott)"),
        "application/vnd.oasis.opendocument.spreadsheet": (FileKind.ODS, "tệp OpenDocument bảng tính (.ods)"),
        "application/vnd.oasis.opendocument.spreadsheet-template": (FileKind.ODS, "mẫu OpenDocument bảng tính (.ots)")}
_CT_NS = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def _check_zip_limits(infos: list[zipfile.ZipInfo], limits: Limits) -> None:
    if len(infos) > MAX_MEMBERS:
        raise FileRejected("file.too_large", detail=f"gói có {len(infos)} phần, vượt giới hạn {MAX_MEMBERS}")
    total, packed = sum(i.file_size for i in infos), sum(i.compress_size for i in infos)
    if total > limits.max_uncompressed_bytes:
        raise FileRejected("file.too_large", detail=f"nội dung giải nén {mb(total)}, vượt giới hạn "
                                                   f"{mb(limits.max_uncompressed_bytes)}")
    lim = limits.max_compression_ratio
    for i in infos:
        if i.file_size >= MIB and i.file_size > lim * max(i.compress_size, 1):
            raise FileRejected("file.too_large", detail=f"phần “{i.filename}” có tỉ lệ nén "
                                                       f"{i.file_size / max(i.compress_size, 1):.0f}:1, vượt giới hạn "
                                                       f"{lim:.0f}:1 (nghi là bom nén)")
    if total >= MIB and total > lim * max(packed, 1):
        raise FileRejected("file.too_large", detail=f"tỉ lệ nén của cả gói {total / max(packed, 1):.0f}:1, "
                                                   f"vượt giới hạn {lim:.0f}:1 (nghi là bom nén)")


_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _content_type(part: str, overrides: dict[str, str], defaults: dict[str, str]) -> str:
    """A part's content type: its Override, else the Default for its extension (OPC §10.1.2.4)."""
    return overrides.get(part) or defaults.get(part.rsplit(".", 1)[-1] if "." in part.rsplit("/", 1)[-1] else "", "")


def _main_part(zf: zipfile.ZipFile, names: dict[str, str], overrides: dict[str, str],
               defaults: dict[str, str]) -> tuple[str, tuple[FileKind, str]] | None:
    """The main part (lower-case name) and what it is: the target of the package's officeDocument relationship,
    typed by its Override or by the Default of its extension; else the first Override of a main content type."""
    try:
        rels = parse_xml(read_member(zf, names["_rels/.rels"], MIB), "_rels/.rels") if "_rels/.rels" in names else None
    except FileRejected:  # damaged relationships: the content types alone may still name the main part
        rels = None
    if rels is not None:
        for rel in rels.iter(f"{_REL_NS}Relationship"):
            if rel.get("TargetMode") == "External" or not (rel.get("Type") or "").endswith("/officeDocument"):
                continue
            part = posixpath.normpath(unquote(rel.get("Target") or "").lstrip("/")).lower()
            ct = _content_type(part, overrides, defaults)
            if ct in _OOXML_MAIN:
                return part, _OOXML_MAIN[ct]
    return next(((part, _OOXML_MAIN[ct]) for part, ct in overrides.items() if ct in _OOXML_MAIN), None)


def _has_alt_chunks(zf: zipfile.ZipFile, names: dict[str, str], main: str) -> bool:
    """Whether the main part imports other documents (``w:altChunk``): its relationships say so."""
    folder, base = posixpath.split(main)
    rels = names.get(posixpath.join(folder, "_rels", base + ".rels"))
    try:
        return rels is not None and b"/afchunk" in read_member(zf, rels, MIB).lower()
    except FileRejected:
        return False


def _sniff_zip(path: Path, size: int, limits: Limits) -> Sniffed:
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise FileRejected("file.unreadable", detail="tệp nén bị hỏng hoặc bị cắt cụt (không có danh mục trung tâm)") from None
    with zf:
        infos = zf.infolist()
        _check_zip_limits(infos, limits)
        names = {i.filename.lower(): i.filename for i in infos}
        if "mimetype" in names and "[content_types].xml" not in names:
            mime = read_member(zf, names["mimetype"], 256).decode("ascii", "replace").strip()
            if mime in _ODF:
                if "meta-inf/manifest.xml" in names and \
                        b"encryption-data" in read_member(zf, names["meta-inf/manifest.xml"], 4 * MIB):
                    raise FileRejected("file.encrypted", detail="tệp OpenDocument, nội dung được mã hóa")
                kind, detail = _ODF[mime]
                return Sniffed(kind, any(n.startswith(("basic/", "scripts/")) for n in names), size, detail)
            raise FileRejected("file.unsupported", detail=f"tệp nén loại “{mime[:60]}”, không phải Word/Excel")
        if "[content_types].xml" not in names:
            what = "tệp nén ZIP rỗng" if not infos else "tệp nén ZIP không phải tài liệu Office"
            raise FileRejected("file.unreadable", detail=f"{what} (thiếu [Content_Types].xml)")
        types = parse_xml(read_member(zf, names["[content_types].xml"], MIB), "[Content_Types].xml")
        overrides = {unquote(o.get("PartName") or "").lstrip("/").lower(): (o.get("ContentType") or "").strip().lower()
                     for o in types.iter(f"{_CT_NS}Override")}
        defaults = {(d.get("Extension") or "").lower(): (d.get("ContentType") or "").strip().lower()
                    for d in types.iter(f"{_CT_NS}Default")}
        main = _main_part(zf, names, overrides, defaults)
        if main is None:
            for key, what in _OOXML_OTHER:
                if any(key in ct for ct in (*overrides.values(), *defaults.values())):
                    raise FileRejected("file.unsupported", detail=what)
            raise FileRejected("file.unreadable", detail="gói Office không có phần nội dung chính (Word/Excel)")
        part, (kind, detail) = main
        if part not in names:
            raise FileRejected("file.unreadable", detail=f"gói Office thiếu phần nội dung chính “{part}”")
        try:  # validate the main part's local header without inflating it
            zf.open(names[part]).close()
        except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, RuntimeError):
            raise FileRejected("file.unreadable", detail=f"phần nội dung chính “{part}” bị hỏng") from None
        macro = any(n.endswith("vbaproject.bin") or n.startswith("xl/macrosheets/") for n in names)
        return Sniffed(kind, macro, size, detail, kind is FileKind.DOCX and _has_alt_chunks(zf, names, part))



def _doc_encryption(ole, word: bytes) -> str | None:
    """Why a .doc is encrypted (from its FIB), or None."""
    if len(word) < 12:
        raise FileRejected("file.unreadable", detail="luồng WordDocument quá ngắn (tệp Word hỏng)")
    ident, flags = struct.unpack_from("<H", word, 0)[0], struct.unpack_from("<H", word, 0x0A)[0]
    if not flags & 0x0100:
        return None
    if flags & 0x8000 or ident == 0xA5DC:
        return "tệp Word 97-2003, mã hóa XOR" if ident == 0xA5EC else "tệp Word 6.0/95, mã hóa XOR"
    table = "1Table" if flags & 0x0200 else "0Table"
    if ole.exists(table):
        major = struct.unpack_from("<H", ole.openstream(table).read(4).ljust(4, b"\0"))[0]
        if major in (2, 3, 4):
            return "tệp Word 97-2003, mã hóa RC4 CryptoAPI"
    return "tệp Word 97-2003, mã hóa RC4"


def _xls_encryption(book: bytes) -> str | None:
    """Look for FILEPASS (0x002F) in the workbook-globals substream of a BIFF5/8 stream."""
    pos, n = 0, 0
    while pos + 4 <= len(book) and n < 200:
        rtype, rlen = struct.unpack_from("<HH", book, pos)
        if rtype == 0x002F:
            etype = struct.unpack_from("<H", book, pos + 4)[0] if rlen >= 2 else 0
            return "tệp Excel 97-2003, bản ghi FILEPASS, " + ("mã hóa XOR" if etype == 0 else "mã hóa RC4")
        if rtype == 0x000A:  # EOF of the globals substream
            return None
        pos, n = pos + 4 + rlen, n + 1
    return None


_OLE_OTHER = (("PowerPoint Document", "tệp PowerPoint 97-2003 (.ppt)"), ("VisioDocument", "tệp Visio (.vsd)"),
              ("Quill", "tệp Publisher (.pub)"), ("__properties_version1.0", "thư Outlook (.msg)"))


def _sniff_ole(path: Path, size: int) -> Sniffed:
    import olefile

    try:
        ole = olefile.OleFileIO(str(path))
    except Exception:  # olefile raises OSError and assorted parse errors on damaged files
        raise FileRejected("file.unreadable", detail="tệp Office 97-2003 (OLE) bị hỏng, không mở được") from None
    with ole:
        try:
            if ole.exists("EncryptionInfo") or ole.exists("EncryptedPackage"):
                office = "Excel" if path.suffix.lower().startswith(".xl") else \
                    "Word" if path.suffix.lower().startswith(".do") else "Office"
                raise FileRejected("file.encrypted", detail=f"tệp {office} 2007 trở lên, mã hóa toàn bộ (EncryptedPackage)")
            macro = ole.exists("Macros") or ole.exists("_VBA_PROJECT_CUR")
            if ole.exists("WordDocument"):
                word = ole.openstream("WordDocument").read(64)
                why = _doc_encryption(ole, word)
                if why:
                    raise FileRejected("file.encrypted", detail=why)
                old = struct.unpack_from("<H", word, 0)[0] == 0xA5DC
                return Sniffed(FileKind.DOC, macro, size, "tệp Word 6.0/95 (.doc)" if old else "tệp Word 97-2003 (.doc)")
            for stream, what in (("Workbook", "tệp Excel 97-2003 (.xls)"), ("Book", "tệp Excel 5.0/95 (.xls)")):
                if ole.exists(stream):
                    why = _xls_encryption(ole.openstream(stream).read())
                    if why:
                        raise FileRejected("file.encrypted", detail=why)
                    return Sniffed(FileKind.XLS, macro, size, what)
            tops = {entry[0] for entry in ole.listdir(streams=True, storages=True) if entry}
            for stream, what in _OLE_OTHER:
                if stream in tops:
                    raise FileRejected("file.unsupported", detail=what)
        except FileRejected:
            raise
        except Exception:
            raise FileRejected("file.unreadable", detail="tệp Office 97-2003 (OLE) bị hỏng, không đọc được") from None
    raise FileRejected("file.unsupported", detail="tệp OLE không phải Word/Excel")


_BLANK = b" \t\r\n\x00\x0b\x0c"
_PRE_OLE = {b"\xdb\xa5": "tệp Word for Windows 2.0 (định dạng trước Word 97)",
            b"\x9b\xa5": "tệp Word for Windows 1.x (định dạng trước Word 97)",
            b"\x31\xbe": "tệp Windows Write (.wri)", b"\x32\xbe": "tệp Windows Write (.wri)"}
_IMAGES = ((b"\x89PNG\r\n\x1a\n", "ảnh PNG"), (b"\xff\xd8\xff", "ảnh JPEG"), (b"GIF87a", "ảnh GIF"),
           (b"GIF89a", "ảnh GIF"), (b"II*\x00", "ảnh TIFF"), (b"MM\x00*", "ảnh TIFF"))


def _is_blank(path: Path, head: bytes) -> bool:
    if head.strip(_BLANK):
        return False
    with path.open("rb") as fh:
        while chunk := fh.read(MIB):
            if chunk.strip(_BLANK):
                return False
    return True


def _lock_file(path: Path, head: bytes, size: int) -> Sniffed | None:
    """A Word/Excel lock file: by its content (a length byte, the owner's name twice), or by its "~$" name."""
    if head.startswith((b"PK", b"\xd0\xcf\x11\xe0")):  # a real package, whatever its name
        return None
    owner = lock_file_owner(head, size)
    if owner is None and not (path.name.startswith("~$") and size <= LOCK_MAX_BYTES):
        return None
    named = "tên bắt đầu bằng ~$" if path.name.startswith("~$") else ""
    who = f"ghi tên người đang mở tệp gốc: “{owner}”" if owner else ""
    inside = "; ".join(x for x in (named, who) if x)
    return Sniffed(FileKind.OTHER, False, size, "tệp khóa tạm của Word/Excel" + (f" ({inside})" if inside else "")
                   + ", do Word/Excel tạo ra khi đang mở một tệp, không phải văn bản")


def _sniff_magic(path: Path, head: bytes, size: int) -> Sniffed:
    if head[:2] in _PRE_OLE:
        raise FileRejected("file.unsupported", detail=_PRE_OLE[head[:2]])
    if head.startswith(b"\xffWPC"):
        raise FileRejected("file.unsupported", detail="tệp WordPerfect")
    if head.lstrip(b" \t\r\n\xef\xbb\xbf").startswith(b"%PDF"):
        return Sniffed(FileKind.PDF, False, size, "tệp PDF")
    for magic, what in _IMAGES:
        if head.startswith(magic):
            return Sniffed(FileKind.IMAGE, False, size, what)
    if head[:2] == b"BM" and len(head) >= 18 and struct.unpack_from("<I", head, 14)[0] in (12, 40, 52, 56, 108, 124):
        return Sniffed(FileKind.IMAGE, False, size, "ảnh BMP")
    text = decode_head(head)
    if text is None:
        return Sniffed(FileKind.OTHER, False, size, "tệp không rõ định dạng")
    t = text.lstrip(" \t\r\n\ufeff")
    low = t[:4096].lower()
    if low.startswith("{\\rtf"):
        return Sniffed(FileKind.RTF, False, size, "tệp RTF (Rich Text Format)")
    if looks_like_mhtml(t[:4096].encode("utf-8", "replace")):
        return Sniffed(FileKind.HTML, False, size, "trang web đơn tệp (MHTML) lưu từ Word")
    if low.startswith("<?xml") and ("<w:worddocument" in low or 'progid="word.document"' in low):
        return Sniffed(FileKind.OTHER, False, size, "tệp Word 2003 XML")
    if looks_like_html(t[:4096]):
        return Sniffed(FileKind.HTML, False, size, "trang web (HTML)")
    return Sniffed(FileKind.TEXT, False, size, "tệp văn bản thuần (text)")


def sniff(path: Path, limits: Limits) -> Sniffed:
    """Classify ``path`` by content; raise ``FileRejected`` for files that must be refused.

    PDF, images, plain text and unknown files are returned (kinds PDF/IMAGE/TEXT/OTHER); the caller decides.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > limits.max_file_bytes:
            raise FileRejected("file.too_large", detail=f"tệp {mb(size)}, vượt giới hạn {mb(limits.max_file_bytes)}")
        with path.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except FileNotFoundError:
        raise FileRejected("file.unreadable", detail="không tìm thấy tệp") from None
    except PermissionError:
        raise FileRejected("file.unreadable", detail="không có quyền đọc tệp") from None
    except OSError:
        raise FileRejected("file.unreadable", detail="không mở được tệp") from None
    lock = _lock_file(path, head, size)
    if lock is not None:
        return lock
    if size == 0 or _is_blank(path, head):
        raise FileRejected("file.unreadable", detail="tệp rỗng")
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08"):
        return _sniff_zip(path, size, limits)
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole(path, size)
    return _sniff_magic(path, head, size)
