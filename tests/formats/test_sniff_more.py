"""Ordinary files the sniffer and the reader must not refuse (issue 10): web exports named .doc/.xls, packages
typed by a Default content type, Strict OOXML, odd part names, data descriptors, lock files."""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from pathlib import Path

import pytest

from automation.check import check_paths
from automation.formats.limits import Limits
from automation.formats.sniff import FileKind, sniff
from automation.formats.textsniff import html_as_utf8, lock_file_owner, looks_like_html
from automation.formats.word import read_docx
from tests.builders import HEADERS, list_document, person_rows

LIMITS = Limits(max_file_bytes=25 * 2**20, max_uncompressed_bytes=250 * 2**20, max_compression_ratio=200.0,
                conversion_timeout_s=60.0)
MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"


def _list_html(head: str = "", table_only: bool = False) -> str:
    rows = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in person_rows(30))
    table = "<table border='1'><tr>" + "".join(f"<th>{h}</th>" for h in HEADERS) + f"</tr>{rows}</table>"
    if table_only:
        return "<p>UBND XÃ KIM XÁ</p><p>DANH SÁCH NGƯỜI ĐÃ GIAO DỊCH</p>" + table
    return (f"{head}<html><head><meta http-equiv='Content-Type' content='text/html; charset=utf-8'>"
            "<title>Danh sách</title></head><body><p>UBND XÃ KIM XÁ</p><p>DANH SÁCH NGƯỜI ĐÃ GIAO DỊCH</p>"
            f"{table}</body></html>")


def _cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese software writes it: base letters with their shape, tones as combining marks."""
    out = b""
    for cluster in re.findall(r".[\u0300-\u036f]*", unicodedata.normalize("NFD", text), re.S):
        shape = "".join(m for m in cluster[1:] if m in "\u0302\u0306\u031b")
        tones = "".join(m for m in cluster[1:] if m not in "\u0302\u0306\u031b")
        out += unicodedata.normalize("NFC", cluster[0] + shape).encode("cp1258") + tones.encode("cp1258")
    return out


# --- HTML exports -----------------------------------------------------------------------------------------------
HTML_STARTS = ["<table border=1><tr><td>STT</td></tr></table>", "<style>td{font-family:Arial}</style><table>",
               "<div class='ds'><table>", "<title>Danh sách</title><table>", "<!DOCTYPE html><html><body>",
               "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 4.01//EN\"><html>",
               '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Strict//EN" '
               '"http://www.w3.org/TR/xhtml1/DTD/xhtml1-strict.dtd"><html xmlns="http://www.w3.org/1999/xhtml">',
               '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body>',
               "<!-- xuất từ phần mềm một cửa -->\r\n<table>", "\r\n\t <meta charset='utf-8'><table>",
               "<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:"
               "office:excel\"><head>"]


@pytest.mark.parametrize("start", HTML_STARTS)
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be"])
def test_html_exports_sniff_as_html(tmp_path, start, encoding):
    path = tmp_path / "danh sach.xls"
    path.write_bytes((start + "<p>Nguyễn Văn Đức</p>").encode(encoding))
    assert sniff(path, LIMITS).kind is FileKind.HTML


@pytest.mark.parametrize("text", ["Họ và tên;Địa chỉ\nNguyễn Văn A;Tân Tiến\n", "<?xml version='1.0'?><root/>",
                                  "a < b and <tag> later", "STT\tHọ và tên\n1\t<table>"])
def test_text_that_is_not_html(text):
    assert not looks_like_html(text)


def test_pages_are_rewritten_as_utf8_for_libreoffice():
    page = _list_html()
    for data in (page.encode("utf-16-le"), page.encode("utf-16-be"), b"\xff\xfe" + page.encode("utf-16-le"),
                 _cp1258(page.replace("charset=utf-8", "charset=windows-1258")), page.encode()):
        out = html_as_utf8(data)
        assert out.startswith(b"\xef\xbb\xbf") and "Nguyễn Văn An".encode() in out
        assert b"windows-1258" not in out
    # no charset and not UTF-8: the code page that reads more Vietnamese
    assert "DANH SÁCH NGƯỜI ĐÃ GIAO DỊCH".encode() in html_as_utf8(_cp1258(page.replace("charset=utf-8", "")))
    # legacy TCVN3 bytes in a Latin-1 page stay one character per byte for the legacy decoder
    assert html_as_utf8(b"<p><font face='.VnTime'>Nguy\xd4n</font></p>").endswith("Nguy\xd4n</font></p>".encode())


@pytest.mark.libreoffice
def test_html_lists_named_doc_and_xls_are_read_with_their_tables(tmp_path, settings):
    page = _list_html()
    files = {"ds-utf8.xls": page.encode(), "ds-utf8.doc": ("\ufeff" + page).encode(),
             "ds-utf16.doc": page.encode("utf-16-le"), "ds-utf16bom.xls": page.encode("utf-16"),
             "ds-1258.xls": _cp1258(page.replace("charset=utf-8", "charset=windows-1258")),
             "ds-table.doc": _list_html(table_only=True).encode()}
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    reports = {r.path.name: r for r in check_paths(sorted(tmp_path.iterdir()), settings)}
    for name, rep in reports.items():
        assert rep.sniffed.kind is FileKind.HTML, name
        assert (rep.kind, rep.respondents, rep.unit.code if rep.unit else None) == ("respondent_list", 30, "09079"), \
            (name, [p.message for p in rep.problems])
        assert rep.respondent_list.respondents[0].name == "Nguyễn Văn An A", name
        assert not any(p.code.startswith(("file.", "font.", "encoding.")) for p in rep.problems), name


# --- packages ---------------------------------------------------------------------------------------------------
def _repack(src: Path, dst: Path, rename=lambda n: n, edit=lambda n, d: d, stream: bool = False) -> Path:
    """Copy a package member by member, renaming and editing members; ``stream`` writes data descriptors."""
    with zipfile.ZipFile(src) as zf:
        members = [(i.filename, zf.read(i.filename)) for i in zf.infolist()]
    buf = io.BytesIO()

    class Unseekable(io.RawIOBase):  # zipfile writes data descriptors when it cannot seek back
        def writable(self):
            return True

        def write(self, b):
            return buf.write(b)

    with zipfile.ZipFile(Unseekable() if stream else buf, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members:
            new = edit(name, data)
            if new is not None:
                out.writestr(rename(name), new)
    dst.write_bytes(buf.getvalue())
    return dst


def _check_list(path: Path, settings) -> None:
    [rep] = check_paths([path], settings)
    assert (rep.sniffed.kind, rep.kind, rep.respondents, rep.verdict) == \
        (FileKind.DOCX, "respondent_list", 30, "accepted"), [p.message for p in rep.problems]


def test_main_part_declared_by_a_default_content_type(tmp_path, settings):
    src = list_document(tmp_path / "src.docx")

    def edit(name, data):
        if name == "[Content_Types].xml":
            data = re.sub(rb'<Override PartName="/word/document.xml"[^>]*/>', b"", data)
            data = re.sub(rb'<Default Extension="xml" ContentType="[^"]*"/>',
                          f'<Default Extension="xml" ContentType="{MAIN_CT}"/>'.encode(), data)
            assert MAIN_CT.encode() in data and b"/word/document.xml" not in data
        return data

    _check_list(_repack(src, tmp_path / "default.docx", edit=edit), settings)


def test_main_part_under_another_name_and_upper_case_part_names(tmp_path, settings):
    src = list_document(tmp_path / "src.docx")
    renamed = {"word/document.xml": "word/main.xml", "word/_rels/document.xml.rels": "word/_rels/main.xml.rels"}

    def edit(name, data):
        return data.replace(b"/word/document.xml", b"/word/main.xml").replace(b'"word/document.xml"', b'"word/main.xml"')

    _check_list(_repack(src, tmp_path / "main.docx", rename=lambda n: renamed.get(n, n), edit=edit), settings)
    upper = _repack(src, tmp_path / "upper.docx", rename=lambda n: n if n.startswith(("[", "_rels")) else n.upper())
    assert "WORD/DOCUMENT.XML" in zipfile.ZipFile(upper).namelist()
    _check_list(upper, settings)


def test_data_descriptors_and_custom_xml_parts(tmp_path, settings):
    src = list_document(tmp_path / "src.docx")
    streamed = _repack(src, tmp_path / "streamed.docx", stream=True)
    assert all(i.flag_bits & 0x08 for i in zipfile.ZipFile(streamed).infolist())
    _check_list(streamed, settings)

    def edit(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/customXml/itemProps9.xml" ContentType='
                                b'"application/vnd.openxmlformats-officedocument.customXmlProperties+xml"/></Types>')
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdCx" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/customXml" Target="../customXml/item9.xml"/>'
                                b"</Relationships>")
        return data

    custom = _repack(src, tmp_path / "custom.docx", edit=edit)
    with zipfile.ZipFile(custom, "a") as zf:
        zf.writestr("customXml/item9.xml", '<?xml version="1.0"?><b:Sources xmlns:b="urn:x"/>')
        zf.writestr("customXml/itemProps9.xml", '<?xml version="1.0"?><ds:datastoreItem ds:itemID="{1}" '
                    'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>')
    _check_list(custom, settings)


STRICT = ((b"http://schemas.openxmlformats.org/wordprocessingml/2006/main", b"http://purl.oclc.org/ooxml/wordprocessingml/main"),
          (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main"),
          (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
           b"http://purl.oclc.org/ooxml/officeDocument/relationships"))


def test_strict_ooxml_document(tmp_path, settings):
    src = list_document(tmp_path / "src.docx", font="Arial")

    def edit(name, data):
        for transitional, strict in STRICT:
            data = data.replace(transitional, strict)
        return data.replace(b"<w:document ", b'<w:document w:conformance="strict" ', 1) if name == "word/document.xml" else data

    strict = _repack(src, tmp_path / "strict.docx", edit=edit)
    assert b"purl.oclc.org" in zipfile.ZipFile(strict).read("word/document.xml")
    doc = read_docx(strict)
    assert doc.tables and doc.tables[0].rows[0] == HEADERS and len(doc.tables[0].rows) == 31
    [rep] = check_paths([strict], settings)
    assert rep.kind == "respondent_list" and rep.respondents == 30
    assert {p.code for p in rep.problems} == {"font.not_times_new_roman"}  # its fonts are read too


def test_word_files_of_other_kinds_named_doc(tmp_path):
    (tmp_path / "rtf.doc").write_bytes(b"{\\rtf1\\ansi{\\fonttbl{\\f0 Times New Roman;}}\\f0 X\\'e3\\par}")
    (tmp_path / "web.doc").write_bytes(("\ufeff" + _list_html()).encode("utf-16-le"))
    assert sniff(tmp_path / "rtf.doc", LIMITS).kind is FileKind.RTF
    assert sniff(tmp_path / "web.doc", LIMITS).kind is FileKind.HTML


def _alt_chunk_docx(path: Path, chunk: bytes, ext: str, content_type: str) -> Path:
    """A .docx whose body is one paragraph and an imported page (w:altChunk), as web software writes it."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("Kèm theo công văn số 12/UBND")
    doc.save(path)

    def edit(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"</Types>", f'<Override PartName="/word/chunk.{ext}" ContentType="{content_type}"/>'
                                f"</Types>".encode())
        if name == "word/_rels/document.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="chunk1" Type="http://schemas.openxmlformats.'
                                b'org/officeDocument/2006/relationships/aFChunk" Target="chunk.' + ext.encode() + b'"/>'
                                b"</Relationships>")
        if name == "word/document.xml":
            return data.replace(b"<w:sectPr", b'<w:altChunk r:id="chunk1"/><w:sectPr', 1)
        return data

    _repack(path, path, edit=edit)
    with zipfile.ZipFile(path, "a") as zf:
        zf.writestr(f"word/chunk.{ext}", chunk)
    return path


@pytest.mark.libreoffice
def test_documents_made_of_imported_web_pages(tmp_path, settings):
    page = _list_html()
    mht = ("MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\n"
           "Content-Type: text/html; charset=\"utf-8\"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
           + page + "\r\n--B--\r\n").encode()
    html_docx = _alt_chunk_docx(tmp_path / "html-chunk.docx", page.encode(), "html", "text/html")
    mht_docx = _alt_chunk_docx(tmp_path / "mht-chunk.docx", mht, "mht", "message/rfc822")
    assert read_docx(html_docx).tables == []  # nothing to read without importing the page, as LibreOffice shows it
    assert sniff(html_docx, LIMITS).needs_conversion and sniff(mht_docx, LIMITS).alt_chunks
    assert not sniff(list_document(tmp_path / "plain.docx"), LIMITS).needs_conversion
    for rep in check_paths([html_docx, mht_docx], settings):
        assert (rep.kind, rep.respondents, rep.unit.code) == ("respondent_list", 30, "09079"), \
            (rep.path.name, [p.message for p in rep.problems])
        assert not any(p.code.startswith(("file.", "font.")) for p in rep.problems), rep.path.name


# --- lock files -------------------------------------------------------------------------------------------------
def _lock(owner: str, size: int = 162) -> bytes:
    ansi = bytes([len(owner)]) + owner.encode("cp1252")
    data = ansi.ljust(54, b" ") + bytes([len(owner), 0]) + owner.encode("utf-16-le")
    return data + b" \x00" * ((size - len(data)) // 2)


@pytest.mark.parametrize("name, data, owner", [
    ("~$nh sach xa Kim Xa.docx", _lock("Admin"), "Admin"),
    ("~$ng hop.xlsx", _lock("Nguyen Van A", 165), "Nguyen Van A"),
    ("danh sach.docx", _lock("Admin"), "Admin"),  # a lock file renamed: its content tells
    ("~$danh sach.docx", bytes(162), None),  # mostly NUL
    ("~$danh sach.doc", b" \x00" * 81, None),  # spaces and NULs
])
def test_lock_files_are_named_never_empty(tmp_path, settings, name, data, owner):
    path = tmp_path / name
    path.write_bytes(data)
    assert lock_file_owner(data, len(data)) == owner
    s = sniff(path, LIMITS)
    assert s.kind is FileKind.OTHER and s.detail.startswith("tệp khóa tạm của Word/Excel")
    assert (f"“{owner}”" in s.detail) if owner else ("~$" in s.detail)
    [rep] = check_paths([path], settings)
    [p] = rep.problems
    assert p.code == "file.unsupported" and "tệp khóa tạm của Word/Excel" in p.message and "không phải văn bản" in \
        p.message and "rỗng" not in p.message


def test_blank_files_not_named_as_locks_are_still_empty(tmp_path):
    path = tmp_path / "rong.docx"
    path.write_bytes(bytes(162))
    with pytest.raises(Exception) as info:
        sniff(path, LIMITS)
    assert info.value.problem.params["detail"] == "tệp rỗng"
