"""sniff / parse_xml / read_member on real office files (../shared/samples/real) and on hostile files made here."""

from __future__ import annotations

import io
import shutil
import struct
import time
import zipfile
from pathlib import Path

import pytest

from automation.formats.limits import Limits
from automation.formats.sniff import FileKind, Sniffed, parse_xml, read_member, sniff
from automation.problems import FileRejected

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "real"
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real sample files not found at {REAL}")
LIMITS = Limits(max_file_bytes=25 * 2**20, max_uncompressed_bytes=250 * 2**20, max_compression_ratio=200.0,
                conversion_timeout_s=60.0)


def _real_files() -> list[Path]:
    return sorted(p for p in REAL.rglob("*") if p.is_file()) if REAL.is_dir() else []


def _rejected(path: Path, limits: Limits = LIMITS) -> FileRejected:
    with pytest.raises(FileRejected) as info:
        sniff(path, limits)
    return info.value


# --------------------------------------------------------------------------------------------- real files

@needs_real
@pytest.mark.parametrize("path", _real_files(), ids=lambda p: str(p.relative_to(REAL)))
def test_every_real_file_sniffs_or_is_refused_cleanly(path: Path) -> None:
    try:
        s = sniff(path, LIMITS)
    except FileRejected as exc:
        assert exc.code.startswith("file.") and exc.problem.params["detail"]
        return
    assert isinstance(s, Sniffed) and s.size == path.stat().st_size and s.detail


@needs_real
def test_real_word_and_excel_kinds() -> None:
    docs = [p for p in (REAL / "doc").iterdir() if p.suffix.lower() == ".doc"]
    assert len(docs) >= 15 and all(sniff(p, LIMITS).kind is FileKind.DOC for p in docs)
    assert all(sniff(p, LIMITS).kind is FileKind.DOCX for p in (REAL / "docx").iterdir())
    assert all(sniff(p, LIMITS).kind is FileKind.XLSX for p in (REAL / "xlsx").iterdir())
    for p in (REAL / "vn").glob("*.*"):
        assert sniff(p, LIMITS).kind.value == p.suffix.lstrip(".")
    strict = sniff(REAL / "xlsx" / "poi-SampleSS.strict.xlsx", LIMITS)
    assert strict.kind is FileKind.XLSX and strict.family == "sheet" and not strict.needs_conversion
    assert sniff(REAL / "doc" / "poi-Bug49933-word95-TNRCyr.doc", LIMITS).detail == "tệp Word 6.0/95 (.doc)"
    doc = sniff(REAL / "doc" / "poi-simple-table.doc", LIMITS)
    assert (doc.family, doc.needs_conversion, doc.detail) == ("word", True, "tệp Word 97-2003 (.doc)")
    assert sniff(REAL / "docx" / "poi-60316.dotx", LIMITS).detail == "mẫu Word (.dotx)"


@needs_real
@pytest.mark.parametrize("name, macro", [
    ("doc/poi-SimpleMacro.doc", True), ("doc/poi-web-travel-approval-form.doc", True),
    ("docx/tika-testWORD_macros.docm", True), ("xlsx/poi-SimpleMacro.xlsm", True), ("xlsx/poi-xlmmacro.xlsm", True),
    ("doc/poi-simple-table.doc", False), ("docx/pydocx-tbl-cell-access.docx", False),
    ("xlsx/poi-ExcelTables.xlsx", False)])
def test_macro_flag(name: str, macro: bool) -> None:
    assert sniff(REAL / name, LIMITS).macro is macro


BAD_CODES = {
    "poi-password_password_cryptoapi.doc": ("file.encrypted", "CryptoAPI"),
    "poi-protected_sha512.xlsx": ("file.encrypted", "Excel"),
    "tika-testEXCEL_protected_passtika.xlsx": ("file.encrypted", "Excel"),
    "poi-truncated62886.docx": ("file.unreadable", "cắt cụt"),
    "poi-invalid-empty-zip.xlsx": ("file.unreadable", "ZIP rỗng"),
    "poi-fuzz-docx-named-xlsx.xlsx": ("file.unreadable", "word/document.xml"),
    "poi-word2-winword20.doc": ("file.unsupported", "Word for Windows 2.0"),
    "poi-MSWriteOld.wri": ("file.unsupported", "Windows Write"),
}
BAD_KINDS = {"poi-ExternalEntityInText-XXE.docx": FileKind.DOCX, "poi-poc-xmlbomb.xlsx": FileKind.XLSX,
             "tika-testEXCEL-legacy-BIFF8.xls": FileKind.XLS, "poi-cpan-hello_world-ole-named-docm.docm": FileKind.DOC}


@needs_real
def test_bad_folder_is_fully_covered() -> None:
    assert {p.name for p in (REAL / "bad").iterdir()} == set(BAD_CODES) | set(BAD_KINDS)


@needs_real
@pytest.mark.parametrize("name", sorted(BAD_CODES))
def test_bad_files_are_refused(name: str) -> None:
    code, words = BAD_CODES[name]
    exc = _rejected(REAL / "bad" / name)
    detail = exc.problem.params["detail"]
    assert exc.code == code and words in detail
    assert detail[0].islower() and not detail.endswith(".")


@needs_real
@pytest.mark.parametrize("name", sorted(BAD_KINDS))
def test_bad_files_that_sniff_fine(name: str) -> None:
    assert sniff(REAL / "bad" / name, LIMITS).kind is BAD_KINDS[name]


@needs_real
@pytest.mark.parametrize("name, part", [("poi-ExternalEntityInText-XXE.docx", "word/document.xml"),
                                        ("poi-poc-xmlbomb.xlsx", "xl/sharedStrings.xml")])
def test_entity_parts_are_refused_by_parse_xml(name: str, part: str) -> None:
    with zipfile.ZipFile(REAL / "bad" / name) as zf:
        data = read_member(zf, part, 2**20)
    started = time.perf_counter()
    with pytest.raises(FileRejected) as info:
        parse_xml(data, part)
    assert time.perf_counter() - started < 0.5
    assert info.value.code == "file.unreadable" and "DTD/thực thể XML không an toàn" in info.value.problem.message


@needs_real
def test_sniffing_a_small_docx_is_fast() -> None:
    path = REAL / "docx" / "pydocx-tbl-cell-access.docx"  # 36 KB
    sniff(path, LIMITS)
    best = min(_timed(sniff, path, LIMITS) for _ in range(20))
    assert best < 0.005, f"sniff took {best * 1000:.1f} ms"


def _timed(fn, *args) -> float:
    t = time.perf_counter()
    fn(*args)
    return time.perf_counter() - t


# ------------------------------------------------------------------------------------- encrypted OLE, patched

@needs_real
@pytest.mark.parametrize("flags, words", [(0x0100, "RC4"), (0x0100 | 0x8000, "XOR")])
def test_doc_fib_encryption_flags(tmp_path: Path, flags: int, words: str) -> None:
    import olefile

    path = tmp_path / "khoá.doc"
    shutil.copyfile(REAL / "doc" / "poi-simple-table.doc", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        word = bytearray(ole.openstream("WordDocument").read())
        struct.pack_into("<H", word, 0x0A, struct.unpack_from("<H", word, 0x0A)[0] | flags)
        ole.write_stream("WordDocument", bytes(word))
    exc = _rejected(path)
    assert exc.code == "file.encrypted" and words in exc.problem.params["detail"]


@needs_real
def test_xls_filepass_record(tmp_path: Path) -> None:
    import olefile

    path = tmp_path / "bảng điểm.xls"
    shutil.copyfile(REAL / "bad" / "tika-testEXCEL-legacy-BIFF8.xls", path)
    with olefile.OleFileIO(str(path), write_mode=True) as ole:
        book = bytearray(ole.openstream("Workbook").read())
        bof_len = struct.unpack_from("<H", book, 2)[0]
        struct.pack_into("<H", book, 4 + bof_len, 0x002F)  # the record after BOF becomes FILEPASS (RC4)
        struct.pack_into("<H", book, 8 + bof_len, 1)
        ole.write_stream("Workbook", bytes(book))
    exc = _rejected(path)
    assert exc.code == "file.encrypted" and "Excel 97-2003" in exc.problem.params["detail"]


# ----------------------------------------------------------------------------------- made-up files by content

def _zip(path: Path, members: dict[str, bytes | str]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


CT_DOCX = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
           'content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
           'officedocument.wordprocessingml.document.main+xml"/></Types>')


def test_zip_bomb_is_refused_without_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bom.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr("[Content_Types].xml", CT_DOCX)
        with zf.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(8 * 2**20)
            for _ in range(38):  # ~300 MB of zeros, ~1.4 MB on disk at level 1 (fast to make)
                member.write(chunk)
    assert path.stat().st_size < 2 * 2**20
    started = time.perf_counter()
    exc = _rejected(path)
    assert time.perf_counter() - started < 0.2
    assert exc.code == "file.too_large" and "giải nén" in exc.problem.params["detail"]
    ratio_only = Limits(25 * 2**20, 2**40, 100.0, 60.0)
    exc = _rejected(path, ratio_only)
    assert exc.code == "file.too_large" and "bom nén" in exc.problem.params["detail"]


def test_too_big_file_and_too_many_members(tmp_path: Path) -> None:
    big = tmp_path / "to.pdf"
    big.write_bytes(b"%PDF-1.4\n" + bytes(3000))
    assert _rejected(big, Limits(2000, 10**9, 200.0, 60.0)).code == "file.too_large"
    members = {"[Content_Types].xml": CT_DOCX, "word/document.xml": "<w:document/>"}
    members.update({f"x/{i}.xml": "" for i in range(10_001)})
    exc = _rejected(_zip(tmp_path / "nhieu.docx", members))
    assert exc.code == "file.too_large" and "10000" in exc.problem.params["detail"]


def test_bad_crc_in_content_types(tmp_path: Path) -> None:
    path = _zip(tmp_path / "crc.docx", {"[Content_Types].xml": CT_DOCX, "word/document.xml": "<w:document/>"})
    data = bytearray(path.read_bytes())
    central = data.index(b"PK\x01\x02")  # first central-directory entry = [Content_Types].xml
    data[central + 16] ^= 0xFF
    path.write_bytes(bytes(data))
    exc = _rejected(path)
    assert exc.code == "file.unreadable" and "CRC" in exc.problem.params["detail"]


def test_missing_main_part_and_other_packages(tmp_path: Path) -> None:
    exc = _rejected(_zip(tmp_path / "thieu.docx", {"[Content_Types].xml": CT_DOCX}))
    assert exc.code == "file.unreadable" and "word/document.xml" in exc.problem.params["detail"]
    pptx = CT_DOCX.replace("/word/document.xml", "/ppt/presentation.xml").replace(
        "wordprocessingml.document.main", "presentationml.presentation.main")
    exc = _rejected(_zip(tmp_path / "trinh chieu.docx", {"[Content_Types].xml": pptx, "ppt/presentation.xml": "<p/>"}))
    assert exc.code == "file.unsupported" and "PowerPoint" in exc.problem.params["detail"]
    exc = _rejected(_zip(tmp_path / "anh.zip", {"a.docx": b"PK"}))
    assert exc.code == "file.unreadable" and "ZIP" in exc.problem.params["detail"]
    assert _rejected(tmp_path / "khong-co.docx").code == "file.unreadable"


def test_opendocument(tmp_path: Path) -> None:
    odt = {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"}
    s = sniff(_zip(tmp_path / "van ban.odt", odt), LIMITS)
    assert (s.kind, s.family, s.needs_conversion) == (FileKind.ODT, "word", True)
    ods = dict(odt, mimetype="application/vnd.oasis.opendocument.spreadsheet")
    assert sniff(_zip(tmp_path / "bang.ods", ods), LIMITS).kind is FileKind.ODS
    secret = dict(odt, **{"META-INF/manifest.xml": "<manifest:encryption-data/>"})
    assert _rejected(_zip(tmp_path / "mat.odt", secret)).code == "file.encrypted"
    odp = dict(odt, mimetype="application/vnd.oasis.opendocument.presentation")
    assert _rejected(_zip(tmp_path / "tc.odp", odp)).code == "file.unsupported"


HTML_DOC = ('<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word">'
            '<head><meta charset="utf-8"></head><body><p>Danh sách người dân xã Tân Tiến</p></body></html>')


@pytest.mark.parametrize("data, kind", [
    (HTML_DOC.encode(), FileKind.HTML),
    (("\r\n  <!DOCTYPE html>" + HTML_DOC).encode("utf-16"), FileKind.HTML),  # Word "Unicode" web page
    ('<?xml version="1.0"?>\n' + HTML_DOC, FileKind.HTML),
    ("\ufeff" + HTML_DOC, FileKind.HTML),
    ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"x\"\r\n", FileKind.HTML),
    (r"{\rtf1\ansi{\fonttbl{\f0 Times New Roman;}}\f0 X\u227 ? Ti\u7871 ?n\par}", FileKind.RTF),
    ("Họ và tên;Địa chỉ\nNguyễn Văn A;Tân Tiến\n", FileKind.TEXT),
    (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", FileKind.PDF),
    (b"\x89PNG\r\n\x1a\n" + bytes(40), FileKind.IMAGE),
    (b"\xff\xd8\xff\xe0" + bytes(40), FileKind.IMAGE),
    (bytes(range(256)) * 8, FileKind.OTHER),
    (b"\x05Admin" + bytes(155), FileKind.OTHER),  # a Word lock file (~$...)
])
def test_kind_by_content_not_name(tmp_path: Path, data: bytes | str, kind: FileKind) -> None:
    path = tmp_path / "danh sách.doc"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    assert sniff(path, LIMITS).kind is kind


def test_docx_renamed_doc(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Ủy ban nhân dân xã Tân Tiến")
    path = tmp_path / "bao cao.doc"
    document.save(str(path))
    assert sniff(path, LIMITS).kind is FileKind.DOCX


@pytest.mark.parametrize("data", [b"", b"   \r\n\t ", bytes(5000), b"\x00 \n" * 500_000])
def test_empty_files(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "rong.docx"
    path.write_bytes(data)
    exc = _rejected(path)
    assert exc.code == "file.unreadable" and exc.problem.params["detail"] == "tệp rỗng"


@pytest.mark.parametrize("head, what", [(b"\xdb\xa5-\x00", "Word for Windows 2.0"), (b"\x9b\xa5!\x00", "Word for Windows 1"),
                                        (b"\x31\xbe\x00\x00", "Windows Write"), (b"\xffWPC", "WordPerfect")])
def test_pre_ole_word_processors(tmp_path: Path, head: bytes, what: str) -> None:
    path = tmp_path / "cu.doc"
    path.write_bytes(head + bytes(600))
    exc = _rejected(path)
    assert exc.code == "file.unsupported" and what in exc.problem.params["detail"]


def test_damaged_ole(tmp_path: Path) -> None:
    path = tmp_path / "hong.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert _rejected(path).code == "file.unreadable"


# ------------------------------------------------------------------------------------ parse_xml / read_member

def test_parse_xml_accepts_plain_xml() -> None:
    root = parse_xml('<?xml version="1.0" encoding="UTF-8"?><a><b>Xã Tân Tiến</b></a>'.encode(), "a.xml")
    assert root.findtext("b") == "Xã Tân Tiến"


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE a><a/>',
    b'<!DOCTYPE a [<!ENTITY e SYSTEM "file:///etc/passwd">]><a>&e;</a>',
    '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'.encode("utf-16"),
    b"<!--" + b"x" * 5000 + b'--><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>',
])
def test_parse_xml_refuses_dtd(data: bytes) -> None:
    with pytest.raises(FileRejected) as info:
        parse_xml(data, "word/document.xml")
    assert info.value.code == "file.unreadable"
    assert info.value.problem.params["detail"] == "phần “word/document.xml” chứa khai báo DTD/thực thể XML không an toàn"


def test_parse_xml_malformed() -> None:
    with pytest.raises(FileRejected) as info:
        parse_xml(b"<a><b></a>", "xl/workbook.xml")
    assert info.value.code == "file.unreadable" and "xl/workbook.xml" in info.value.problem.message


def test_read_member_limits() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"a" * 10_000)
    with zipfile.ZipFile(buf) as zf:
        assert read_member(zf, "word/document.xml", 10_000) == b"a" * 10_000
        with pytest.raises(FileRejected) as info:
            read_member(zf, "word/document.xml", 9_999)
        assert info.value.code == "file.too_large"
        with pytest.raises(FileRejected) as info:
            read_member(zf, "word/styles.xml", 9_999)
        assert info.value.code == "file.unreadable"
