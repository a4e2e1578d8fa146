"""The DTD refusal on real packages: a billion-laughs or XXE DTD injected into any XML part of a .docx/.xlsx,
at the start of the part or past its first 4 KB, in UTF-8, UTF-16 or UTF-32 with or without a byte order mark,
is refused as ``file.unreadable`` before any parser (ours, openpyxl) sees it; never ``internal.error``."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
import xlsxwriter

from automation.check import check_paths
from automation.formats import xmlscan
from automation.formats.sheet import read_workbook
from automation.problems import FileRejected
from automation.scoring.framework import load_framework
from automation.scoring.selfassess import read_self_assessment
from tests.builders import list_document, self_assessment_workbook

LAUGHS = ('<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">'
          '<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>')
XXE = '<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
PAYLOADS = {"laughs": LAUGHS, "xxe": XXE}
# (codec, byte order mark written, encoding named in the declaration)
ENCODINGS = {"utf-8": ("utf-8", b"", "UTF-8"), "utf-8-bom": ("utf-8", b"\xef\xbb\xbf", "UTF-8"),
             "utf-16le-bom": ("utf-16-le", b"\xff\xfe", "UTF-16"), "utf-16be-bom": ("utf-16-be", b"\xfe\xff", "UTF-16"),
             "utf-16le": ("utf-16-le", b"", "UTF-16"), "utf-16be": ("utf-16-be", b"", "UTF-16"),
             "utf-32le-bom": ("utf-32-le", b"\xff\xfe\x00\x00", "UTF-32"), "utf-32be": ("utf-32-be", b"", "UTF-32")}
XLSX_PARTS = ("xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/_rels/workbook.xml.rels", "docProps/core.xml")
DOCX_PARTS = ("word/document.xml", "docProps/core.xml")


def inject(xml: bytes, dtd: str, late: bool, encoding: str) -> bytes:
    """The part with ``dtd`` before its root element (after a 5 000-character comment when ``late``), re-encoded."""
    codec, bom, declared = ENCODINGS[encoding]
    text = xml.decode("utf-8")
    body = re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", text)
    pad = "<!--" + "đệm " * 1250 + "-->" if late else ""
    return bom + f'<?xml version="1.0" encoding="{declared}" standalone="yes"?>\n{pad}{dtd}{body}'.encode(codec)


def rewrite(src: Path, dest: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        assert part in zin.namelist(), zin.namelist()
        for info in zin.infolist():
            data = zin.read(info)
            zout.writestr(info, change(data) if info.filename == part else data)
    return dest


@pytest.fixture(scope="module")
def packages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clean")
    # XlsxWriter writes a sharedStrings part (openpyxl 3.1 writes none for this book); openpyxl the self-assessment
    book = xlsxwriter.Workbook(folder / "book.xlsx")
    book.add_worksheet().write_row(0, 0, ["Xã Kim Xá", "chuỗi dùng chung"])
    book.close()
    fw = load_framework()
    self_assessment_workbook(folder / "tu-cham.xlsx", "Xã Kim Xá", "09079", fw.scored,
                             {c.code: c.max_points for c in fw.scored})
    return {"xlsx": folder / "book.xlsx", "docx": list_document(folder / "ds.docx"), "sa": folder / "tu-cham.xlsx"}


def _refused(rep) -> None:
    codes = [p.code for p in rep.problems]
    assert codes == ["file.unreadable"], [p.describe() for p in rep.problems]
    assert "DTD/thực thể XML không an toàn" in rep.problems[0].message


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("late", [False, True], ids=["start", "after-4KB"])
@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("kind, part", [("xlsx", p) for p in XLSX_PARTS] + [("docx", p) for p in DOCX_PARTS])
def test_a_dtd_in_any_part_is_refused_by_the_check(tmp_path, settings, packages, kind, part, payload, late, encoding):
    bad = rewrite(packages[kind], tmp_path / f"bad.{kind}", part,
                  lambda data: inject(data, PAYLOADS[payload], late, encoding))
    [rep] = check_paths([bad], settings)
    _refused(rep)
    assert part in rep.problems[0].message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16le", "utf-16be-bom", "utf-32le-bom"])
@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/_rels/workbook.xml.rels"])
def test_the_workbook_readers_refuse_it_too(tmp_path, packages, part, encoding):
    """The readers a workbook goes through outside the check (intake's stored workbooks, the appraisal's
    self-assessments): our reader and the openpyxl one."""
    bad = rewrite(packages["sa"], tmp_path / "bad.xlsx", part, lambda data: inject(data, LAUGHS, True, encoding))
    with pytest.raises(FileRejected) as info:
        read_workbook(bad)
    assert info.value.code == "file.unreadable"
    sa, problems = read_self_assessment(bad, load_framework())
    assert sa is None and [p.code for p in problems] == ["file.unreadable"]
    assert "DTD/thực thể XML không an toàn" in problems[0].message and problems[0].location.part == "bad.xlsx"


def test_a_dtd_in_a_part_of_any_name_or_split_across_chunks(tmp_path, settings, packages):
    """Every member that is XML is scanned, whatever its name, and a declaration straddling two read chunks
    is found."""
    def add(name: str, data: bytes) -> Path:
        out = tmp_path / f"extra-{len(list(tmp_path.iterdir()))}.xlsx"
        with zipfile.ZipFile(packages["xlsx"]) as zin, zipfile.ZipFile(out, "w") as zout:
            for info in zin.infolist():
                zout.writestr(info, zin.read(info))
            zout.writestr(name, data)
        return out

    odd = add("customXml/item1.dat", inject(b"<a/>", XXE, False, "utf-16le"))
    split = b"<a>" + b" " * (xmlscan.CHUNK_BYTES - 5) + XXE.encode() + b"</a>"
    assert split[xmlscan.CHUNK_BYTES - 2:xmlscan.CHUNK_BYTES + 2] == b"<!DO"
    straddling = add("xl/extra.xml", split)
    for path in (odd, straddling):
        [rep] = check_paths([path], settings)
        _refused(rep)


@pytest.mark.parametrize("declared", ["UTF-7", "IBM037", "Shift_JIS"])
def test_an_encoding_that_can_hide_markup_is_refused(tmp_path, settings, packages, declared):
    """libxml2 reads UTF-7, in which ``+ADw-!DOCTYPE`` is a DTD; Office writes only UTF-8 and UTF-16."""
    body = b'<?xml version="1.0" encoding="' + declared.encode() + b'"?>+ADw-!DOCTYPE a+AD4-<a/>'
    bad = rewrite(packages["xlsx"], tmp_path / "enc.xlsx", "docProps/core.xml", lambda _data: body)
    [rep] = check_paths([bad], settings)
    assert [p.code for p in rep.problems] == ["file.unreadable"] and declared in rep.problems[0].message


def test_clean_files_still_pass(tmp_path, settings, packages):
    """The same packages untouched, and re-encoded in UTF-16 without a DTD, are read as before."""
    reports = check_paths([packages["docx"], packages["sa"]], settings)
    assert [(r.kind, r.verdict) for r in reports] == [("respondent_list", "accepted"), ("workbook", "accepted")]
    plain16 = rewrite(packages["docx"], tmp_path / "u16.docx", "docProps/core.xml",
                      lambda data: inject(data, "", True, "utf-16le-bom"))
    [rep] = check_paths([plain16], settings)
    assert rep.verdict == "accepted", [p.describe() for p in rep.problems]


def test_binary_members_are_not_read_whole(tmp_path):
    """An image or a macro project is not XML: only its first bytes are looked at."""
    png = tmp_path / "p.zip"
    with zipfile.ZipFile(png, "w") as zf:
        zf.writestr("word/media/image1.png", b"\x89PNG\r\n\x1a\n" + b"<!DOCTYPE x>" * 10)
        zf.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"<!ENTITY" * 10)
    xmlscan.refuse_dtds(png)


def test_openpyxl_parses_with_defusedxml():
    """The second line of defence: openpyxl uses defusedxml when it is installed (a declared dependency)."""
    import openpyxl.xml

    assert openpyxl.xml.DEFUSEDXML is True
