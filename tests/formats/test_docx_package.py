"""``formats/docx_package``: a package kept as deflated parts, written again with some parts replaced; the
run's cache keyed by a file's path, modification time and size, and bounded."""

from __future__ import annotations

import os
import zipfile

import docx
import pytest

from automation.formats import docx_package as dp
from automation.formats import docx_write as dw
from automation.formats import docx_xml as dx


@pytest.fixture()
def package():
    doc = dw.new_document(size_pt=14)
    dw.page_numbers(doc.sections[0])
    return dp.Package.from_document(doc)


def test_written_package_is_a_valid_zip_with_the_parts_replaced(tmp_path, package):
    body = dx.para(dx.run("Kính gửi: Ủy ban nhân dân xã Kim Xá & <bạn>", size=14, bold=True), align="center")
    target = tmp_path / "a.docx"
    package.write(target, {"word/document.xml": package.document_xml(body), "extra/note.txt": b"added"})
    with zipfile.ZipFile(target) as z:
        assert z.testzip() is None
        assert z.namelist() == package.names + ["extra/note.txt"]
        assert all(z.read(n) == package.raw[n] for n in package.names if n != "word/document.xml")
        assert all(i.compress_type == zipfile.ZIP_DEFLATED for i in z.infolist())
    d = docx.Document(str(target))
    assert [p.text for p in d.paragraphs] == ["Kính gửi: Ủy ban nhân dân xã Kim Xá & <bạn>"]
    assert d.paragraphs[0].runs[0].bold and d.paragraphs[0].runs[0].font.size.pt == 14
    assert d.sections[0].different_first_page_header_footer  # the section of the package stays
    assert d.sections[0].header.paragraphs[0]._p.xpath(".//w:instrText")[0].text == " PAGE "


def test_written_to_a_file_object_as_to_a_path(tmp_path, package):
    import io

    buf = io.BytesIO()
    package.write(buf)
    package.write(tmp_path / "b.docx")
    with zipfile.ZipFile(buf) as a, zipfile.ZipFile(tmp_path / "b.docx") as b:
        assert [(i.filename, a.read(i)) for i in a.infolist()] == [(i.filename, b.read(i)) for i in b.infolist()]


def test_the_body_goes_before_the_section_and_after_what_was_there(tmp_path):
    doc = docx.Document()
    doc.add_paragraph("đã có")
    package = dp.Package.from_document(doc)
    package.write(tmp_path / "c.docx", {"word/document.xml": package.document_xml("<w:p><w:r><w:t>mới</w:t></w:r></w:p>")})
    d = docx.Document(str(tmp_path / "c.docx"))
    assert [p.text for p in d.paragraphs] == ["đã có", "mới"]
    assert d.element.body[-1].tag.endswith("}sectPr")


def test_the_cache_follows_the_file_and_is_bounded(tmp_path, monkeypatch):
    dp.clear()
    path = tmp_path / "mau.docx"
    path.write_bytes(b"one")
    built = []

    def build():
        built.append(path.read_bytes())
        return path.read_bytes()

    assert dp.cached(("t", *dp.file_key(path)), build) == b"one"
    assert dp.cached(("t", *dp.file_key(path)), build) == b"one" and len(built) == 1
    path.write_bytes(b"two")  # another size
    assert dp.cached(("t", *dp.file_key(path)), build) == b"two"
    path.write_bytes(b"six")  # the same size, another modification time
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert dp.cached(("t", *dp.file_key(path)), build) == b"six" and len(built) == 3

    monkeypatch.setattr(dp, "MAX_PACKAGES", 3)
    for i in range(5):
        dp.cached(("n", i), lambda i=i: i)
    assert len(dp._CACHE) == 3 and ("n", 4) in dp._CACHE and ("n", 0) not in dp._CACHE
    dp.cached(("n", 2), lambda: "again")  # most recently used: kept when another comes
    dp.cached(("n", 5), lambda: 5)
    assert dp.cached(("n", 2), lambda: "rebuilt") == 2 and ("n", 3) not in dp._CACHE
    dp.clear()


def test_the_default_template_key_is_python_docx_s_file():
    key = dp.default_template_key()
    assert key[0].endswith(os.path.join("docx", "templates", "default.docx")) and key[2] > 0
