"""The render layer on small real .docx templates made here with python-docx: escaping, loud errors that
name the template and the tag, the workspace's templates overriding the shipped ones, the template check."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
import pytest

from automation.config import init_workspace, load_settings
from automation.documents import render
from automation.documents.render import TemplateReport, check_templates, render_docx, template_path, template_variables
from automation.problems import CATALOG, CchcError, Severity


def make_template(path: Path, paragraphs=(), *, header: str | None = None, footer: str | None = None,
                  table: list[list[str]] | None = None) -> Path:
    d = docx.Document()
    for text in paragraphs:
        d.add_paragraph(text)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, text in enumerate(row):
                t.cell(r, c).text = text
    if header is not None:
        d.sections[0].header.paragraphs[0].text = header
    if footer is not None:
        d.sections[0].footer.paragraphs[0].text = footer
    path.parent.mkdir(parents=True, exist_ok=True)
    d.save(path)
    return path


def texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(path).paragraphs]


@pytest.fixture()
def ws(tmp_path):
    return init_workspace(tmp_path / "ws")


@pytest.fixture()
def shipped(tmp_path, monkeypatch):
    folder = tmp_path / "shipped"
    folder.mkdir()
    monkeypatch.setattr(render, "SHIPPED_TEMPLATES", folder)
    return folder


def test_the_codes_are_catalogued():
    for code in ("template.missing", "template.error", "draft.pdf_failed"):
        assert CATALOG[code].severity is Severity.ERROR
    assert CATALOG["draft.edited"].severity is Severity.WARNING


def test_values_are_escaped_and_the_document_stays_whole(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["Kính gửi: {{ name }}", "Q&A <tĩnh> {{ note }}"],
                        header="{{ head }}", table=[["STT", "Đơn vị"], ["1", "{{ name }}"]])
    out = render_docx(tpl, {"name": 'A & B <c> "d"', "note": "x&y 'z'", "head": "UBND <huyện> & Co"},
                      tmp_path / "out" / "r.docx")
    d = docx.Document(out)
    assert [p.text for p in d.paragraphs] == ['Kính gửi: A & B <c> "d"', "Q&A <tĩnh> x&y 'z'"]
    assert d.tables[0].cell(1, 1).text == 'A & B <c> "d"'
    assert d.sections[0].header.paragraphs[0].text == "UBND <huyện> & Co"
    with zipfile.ZipFile(out) as z:
        body = z.read("word/document.xml").decode()
    assert "<w:sectPr" in body and body.index("<w:sectPr") > body.rindex("</w:p>")  # nothing swallowed


def test_characters_xml_forbids_are_dropped_not_corrupting(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["{{ v }} cuối"])
    out = render_docx(tpl, {"v": "dòng\x0bmột\x00"}, tmp_path / "r.docx")
    assert texts(out) == ["dòngmột cuối"]
    out = render_docx(tpl, {"v": "lone\ud800 surrogate\udfff\uffff"}, tmp_path / "s.docx")  # cannot be UTF-8
    assert texts(out) == ["lone surrogate cuối"]


def test_richtext_with_the_r_tag(tmp_path):
    from docxtpl import RichText

    tpl = make_template(tmp_path / "t.docx", ["Trước {{r rt }} sau"])
    out = render_docx(tpl, {"rt": RichText("đậm & <b>", bold=True)}, tmp_path / "r.docx")
    assert texts(out) == ["Trước đậm & <b> sau"]


def test_an_undefined_variable_names_variable_tag_and_template(tmp_path):
    tpl = make_template(tmp_path / "thong-bao.docx", ["Tiêu đề", "Kính gửi: {{ name }} và {{ ten_xa }}"])
    with pytest.raises(CchcError) as err:
        render_docx(tpl, {"name": "x"}, tmp_path / "r.docx")
    assert err.value.code == "template.error"
    msg = err.value.problem.message
    assert msg.startswith("Lỗi trong mẫu thong-bao.docx:")
    assert "“ten_xa”" in msg and "thẻ “{{ ten_xa }}”" in msg and "đoạn thứ 2" in msg
    assert not (tmp_path / "r.docx").exists()


def test_an_undefined_attribute_and_a_header_variable(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["{{ unit.name }} và {{ ok }}"], header="{{ head }}")
    with pytest.raises(CchcError) as err:
        render_docx(tpl, {"unit": {}, "ok": 1, "head": "h"}, tmp_path / "r.docx")
    assert "“name”" in str(err.value) and "thẻ “{{ unit.name }}”" in str(err.value)
    with pytest.raises(CchcError) as err:
        render_docx(tpl, {"unit": {"name": "n"}, "ok": 1}, tmp_path / "r.docx")
    assert "“head”" in str(err.value) and "đầu trang" in str(err.value)


def test_a_syntax_error_names_the_template_and_the_tag(tmp_path):
    tpl = make_template(tmp_path / "quyet-dinh.docx", ["a", "{% for x in %}b{% endfor %}"])
    with pytest.raises(CchcError) as err:
        render_docx(tpl, {}, tmp_path / "r.docx")
    msg = str(err.value)
    assert err.value.code == "template.error" and "quyet-dinh.docx" in msg
    assert "thẻ “{% for x in %}”" in msg and "sai cú pháp" in msg
    with pytest.raises(CchcError) as err:  # the check names it the same way
        template_variables(tpl)
    assert "thẻ “{% for x in %}”" in str(err.value) and "quyet-dinh.docx" in str(err.value)


def test_a_file_that_is_not_a_word_document(tmp_path):
    bad = tmp_path / "ke-hoach.docx"
    bad.write_text("không phải docx", encoding="utf-8")
    with pytest.raises(CchcError) as err:
        render_docx(bad, {}, tmp_path / "r.docx")
    assert err.value.code == "template.error" and "ke-hoach.docx" in str(err.value)


def test_a_failing_render_leaves_no_file_and_no_temp(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    (out / "r.docx").write_bytes(b"old")
    tpl = make_template(tmp_path / "t.docx", ["{{ missing }}"])
    with pytest.raises(CchcError):
        render_docx(tpl, {}, out / "r.docx")
    assert [p.name for p in out.iterdir()] == ["r.docx"] and (out / "r.docx").read_bytes() == b"old"


def test_the_workspace_template_overrides_the_shipped_one(ws, shipped, tmp_path):
    settings = load_settings(ws)
    make_template(shipped / "mau-ke-hoach.docx", ["Bản gốc {{ x }}"])
    assert template_path(settings, "mau-ke-hoach.docx") == shipped / "mau-ke-hoach.docx"
    make_template(ws / "templates" / "mau-ke-hoach.docx", ["Bản của phòng {{ x }}"])
    assert template_path(settings, "mau-ke-hoach.docx") == ws / "templates" / "mau-ke-hoach.docx"
    out = render_docx(template_path(settings, "mau-ke-hoach.docx"), {"x": 1}, tmp_path / "r.docx")
    assert texts(out) == ["Bản của phòng 1"]
    with pytest.raises(CchcError) as err:
        template_path(settings, "khong-co.docx")
    assert err.value.code == "template.missing" and "khong-co.docx" in str(err.value)


def test_check_templates_reports_missing_unused_and_errors(ws, shipped):
    settings = load_settings(ws)
    make_template(shipped / "mau-ke-hoach.docx", ["{{ year }} {{ so_van_ban }}", "{% for u in units %}{{ u.name }}"
                                              "{% endfor %}"], footer="{{ signer }}")
    make_template(ws / "templates" / "mau-bao-cao.docx", ["{% if x %}"])
    reports = check_templates(settings, {"mau-ke-hoach.docx": {"year", "units", "signer", "draft"},
                                         "mau-bao-cao.docx": {"x"}, "mau-thong-bao.docx": {"a"}})
    by = {r.name: r for r in reports}
    assert isinstance(by["mau-ke-hoach.docx"], TemplateReport)
    assert by["mau-ke-hoach.docx"].missing == {"so_van_ban"} and by["mau-ke-hoach.docx"].unused == {"draft"}
    assert by["mau-ke-hoach.docx"].error is None and by["mau-ke-hoach.docx"].path == shipped / "mau-ke-hoach.docx"
    assert "mau-bao-cao.docx" in by["mau-bao-cao.docx"].error and "endif" in by["mau-bao-cao.docx"].error
    assert by["mau-bao-cao.docx"].path == ws / "templates" / "mau-bao-cao.docx"
    assert by["mau-thong-bao.docx"].error and "mau-thong-bao.docx" in by["mau-thong-bao.docx"].error
    assert not any(r.ok for r in reports)


def test_template_variables_sees_headers_footers_and_tables(tmp_path):
    tpl = make_template(tmp_path / "t.docx", ["{{ a }}"], header="{{ b }}", footer="{{ c }}",
                        table=[["{%tr for r in rows %}", ""], ["{{ r.x }}", "{{ d }}"], ["{%tr endfor %}", ""]])
    assert template_variables(tpl) == {"a", "b", "c", "rows", "d"}
