"""Fonts and encodings judged as Word's font box shows them (issue 10).

Alternate names of a binary .doc's font table, CSS font lists, theme slots and LibreOffice's own defaults never
reach a finding; misspellings of "Times New Roman" do, with their own wording; headers and footers are located.
Files are made with python-docx (raw WordprocessingML where it stops) and by LibreOffice from hand-written RTF
and HTML.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from automation.check import check_paths, decode_legacy, format_problems
from automation.formats.convert import Converter, find_soffice
from automation.formats.word import read_docx
from automation.formats.wordfonts import font_name, misspelt_times_new_roman
from tests.builders import set_fonts, tnr_document

VN = "Nguyễn Văn Đức, thôn Đông, xã Kim Xá"
TCVN3_TEXT = "Nguy\xd4n V\xa8n \xa7\xf8c"  # "Nguyễn Văn Đức" typed in a .VnTime font


def _findings(path: Path) -> list:
    return format_problems(read_docx(path))


def _fonts_named(problems) -> dict[str, object]:
    return {p.params["font"]: p for p in problems if p.code == "font.not_times_new_roman"}


# --- names as the font box shows them -------------------------------------------------------------------------
@pytest.mark.parametrize("raw, shown", [
    ("Times New Roman;Times New Roman", "Times New Roman"), (".VnTime;Times New Roman", ".VnTime"),
    ("Time New Roman;Times New Roman", "Time New Roman"), ('"Times New Roman","serif"', "Times New Roman"),
    ("'Times New Roman', serif", "Times New Roman"), ("Arial;Helvetica;sans-serif", "Arial"),
    (" Tahoma ", "Tahoma"), (";Verdana", "Verdana"), ("", None), (None, None)])
def test_font_name_is_the_primary_name(raw, shown):
    assert font_name(raw) == shown


def test_alternate_names_and_css_lists_in_real_runs(tmp_path):
    doc = tnr_document()
    set_fonts(doc.styles["Normal"].element, *(["Times New Roman;Times New Roman"] * 4))
    texts = {"plain": VN, "css": "Trần Thị Bình", "miss": "Lê Văn Cường", "times": "Phạm Thu Hà",
             "vn": TCVN3_TEXT, "vnuni": "Hoàng Minh Đức"}
    for key, text in texts.items():
        run = doc.add_paragraph().add_run(text)
        fonts = {"css": "'Times New Roman', serif", "miss": "Time New Roman;Times New Roman",
                 "times": "Times;Times New Roman", "vn": ".VnTime;Times New Roman",
                 "vnuni": ".VnTime;Times New Roman"}.get(key)
        if fonts:
            set_fonts(run._r, fonts, fonts, fonts, fonts)
    doc.save(tmp_path / "alt.docx")
    runs = {r.text: r.fonts for r in read_docx(tmp_path / "alt.docx").runs}
    assert runs[VN].hAnsi == runs["Trần Thị Bình"].hAnsi == "Times New Roman"
    problems = _findings(tmp_path / "alt.docx")
    named = _fonts_named(problems)
    assert set(named) == {"Time New Roman", "Times", ".VnTime"}
    assert named["Time New Roman"].message.startswith("Tên phông “Time New Roman” bị viết sai")
    assert named["Times"].message.startswith("Chữ dùng phông “Times” thay vì Times New Roman")
    [legacy] = [p for p in problems if p.code == "encoding.legacy"]
    # the primary name decides the encoding; the Unicode run in the same font is a font finding only
    assert legacy.params["encoding"] == "TCVN3" and legacy.params["font"] == ".VnTime"
    assert legacy.params["decoded"] == "Nguyễn Văn Đức" and legacy.params["count"] == 1
    assert named[".VnTime"].params["count"] == 2
    assert not any(";" in p.params["font"] for p in problems)


# --- misspelt Times New Roman ---------------------------------------------------------------------------------
@pytest.mark.parametrize("name, misspelt", [
    ("Time New Roman", True), ("Times New Roma", True), ("Time new roman", True), ("TimesNewRoman", True),
    ("Times  New Roman", True), ("New Times Roman", True), ("Times New Roman Cyr", False),
    ("Times New Roman CE", False), ("Times", False), ("Tms Rmn", False), ("Arial", False),
    ("times new roman", False), ("TIMES NEW ROMAN", False)])
def test_near_misses_of_times_new_roman(name, misspelt):
    assert misspelt_times_new_roman(name) is misspelt


def test_misspellings_are_font_errors_with_their_own_wording_and_case_is_not(tmp_path):
    doc = tnr_document()
    for font in ("Time New Roman", "Times New Roma", "TimesNewRoman", "times new roman", "Times New Roman Cyr"):
        set_fonts(doc.add_paragraph().add_run(f"{VN} ({font})")._r, font)
    doc.save(tmp_path / "sai.docx")
    named = _fonts_named(_findings(tmp_path / "sai.docx"))
    assert set(named) == {"Time New Roman", "Times New Roma", "TimesNewRoman", "Times New Roman Cyr"}
    for font in ("Time New Roman", "Times New Roma", "TimesNewRoman"):
        assert named[font].message.startswith(f"Tên phông “{font}” bị viết sai") and named[font].severity.value == "error"
        assert "danh sách phông của Word" in named[font].fix
    assert named["Times New Roman Cyr"].message.startswith("Chữ dùng phông “Times New Roman Cyr”")


# --- legacy fonts over Unicode text ---------------------------------------------------------------------------
def test_unicode_vietnamese_in_a_legacy_font_is_a_font_finding_only(tmp_path):
    doc = tnr_document()
    for text, font in ((VN, ".VnTime"), ("Xã Kim Xá, huyện Vĩnh Tường", "VNI-Times"), ("Ho va ten", ".VnTime"),
                       ("Ngay 15/10/2021", "VNI-Times")):
        set_fonts(doc.add_paragraph().add_run(text)._r, font)
    doc.save(tmp_path / "uni.docx")
    problems = _findings(tmp_path / "uni.docx")
    assert {p.code for p in problems} == {"font.not_times_new_roman"}
    assert set(_fonts_named(problems)) == {".VnTime", "VNI-Times"}
    read = read_docx(tmp_path / "uni.docx", decode=decode_legacy)
    assert VN in read.paragraphs and "Xã Kim Xá, huyện Vĩnh Tường" in read.paragraphs  # never "decoded"


def test_runs_valid_both_ways_follow_their_document(tmp_path):
    # "Bùi Thu Mai" reads "Bựi Thu Mai" in TCVN3 and "Cã" (TCVN3 for "Có") is also a Unicode syllable:
    # the other runs of the same document decide
    unicode_doc = tnr_document()
    for text in ("Nguyễn Văn Đức", "Bùi Thu Mai", "Lê Tú"):
        set_fonts(unicode_doc.add_paragraph().add_run(text)._r, ".VnTime")
    unicode_doc.save(tmp_path / "unicode.docx")
    problems = _findings(tmp_path / "unicode.docx")
    assert {p.code for p in problems} == {"font.not_times_new_roman"}
    assert read_docx(tmp_path / "unicode.docx", decode=decode_legacy).paragraphs[-2:] == ["Bùi Thu Mai", "Lê Tú"]

    legacy_doc = tnr_document()
    for text in (TCVN3_TEXT, "Cã", "H\xb5 N\xe9i"):
        set_fonts(legacy_doc.add_paragraph().add_run(text)._r, ".VnTime")
    legacy_doc.save(tmp_path / "legacy.docx")
    [enc] = [p for p in _findings(tmp_path / "legacy.docx") if p.code == "encoding.legacy"]
    assert enc.params["count"] == 3
    assert read_docx(tmp_path / "legacy.docx", decode=decode_legacy).paragraphs[-3:] == \
        ["Nguyễn Văn Đức", "Có", "Hà Nội"]


def test_legacy_text_is_still_found_and_decoded(tmp_path):
    doc = tnr_document()
    set_fonts(doc.add_paragraph().add_run(TCVN3_TEXT)._r, ".VnTime")
    set_fonts(doc.add_paragraph().add_run("H\xb5 n\xe9i")._r, ".VnTimeH")  # upper case by the H font
    set_fonts(doc.add_paragraph().add_run("M\xadêng")._r, ".VnTime")  # 0xAD (soft hyphen) is "ư"
    set_fonts(doc.add_paragraph().add_run("Xin cha\xf8o ca\xf9c ba\xefn")._r, "VNI-Times")
    doc.save(tmp_path / "legacy.docx")
    problems = _findings(tmp_path / "legacy.docx")
    by_enc = {p.params["encoding"]: p for p in problems if p.code == "encoding.legacy"}
    assert by_enc["TCVN3"].params["count"] == 3 and by_enc["VNI"].params["decoded"] == "Xin chào các bạn"
    paras = read_docx(tmp_path / "legacy.docx", decode=decode_legacy).paragraphs
    assert paras[-4:] == ["Nguyễn Văn Đức", "HÀ NỘI", "Mường", "Xin chào các bạn"]


# --- theme fonts ------------------------------------------------------------------------------------------------
def _rewrite(path: Path, edit) -> None:
    """Rewrite a package member by member: ``edit(name, data)`` returns new bytes, or None to drop the member."""
    with zipfile.ZipFile(path) as zf:
        members = [(i, zf.read(i.filename)) for i in zf.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            new = edit(info.filename, data)
            if new is not None:
                zf.writestr(info.filename, new)


def _theme_doc(tmp_path: Path, name: str, ea_lang: str | None) -> Path:
    doc = Document()  # python-docx's template: docDefaults use theme fonts, theme ea typeface empty
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    rf = rpr.find(qn("w:rFonts"))
    for attr, token in (("w:asciiTheme", "minorHAnsi"), ("w:hAnsiTheme", "minorHAnsi"),
                        ("w:eastAsiaTheme", "minorEastAsia"), ("w:cstheme", "minorBidi")):
        rf.set(qn(attr), token)
    run = doc.add_paragraph().add_run("Hội đồng 测试")
    run._r.get_or_add_rPr().insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:hint="eastAsia"/>'))
    path = tmp_path / name
    doc.save(path)

    def edit(member, data):
        if member == "word/theme/theme1.xml":
            text = data.decode("utf-8")
            text = re.sub(r'<a:ea typeface="[^"]*"\s*/>', '<a:ea typeface=""/>', text)
            text = re.sub(r"<a:font script=[^>]*/>", "", text)
            text = text.replace("</a:minorFont>", '<a:font script="Hans" typeface="宋体"/></a:minorFont>')
            return text.encode("utf-8")
        if member == "word/settings.xml" and ea_lang is not None:
            text = re.sub(r"<w:themeFontLang[^>]*/>", "", data.decode("utf-8"))
            return text.replace("</w:settings>",
                                f'<w:themeFontLang w:val="vi-VN" w:eastAsia="{ea_lang}"/></w:settings>').encode()
        return data

    _rewrite(path, edit)
    return path


def test_theme_slots_resolve_to_fonts_never_to_slot_names(tmp_path):
    chinese = read_docx(_theme_doc(tmp_path, "zh.docx", "zh-CN")).runs[0].fonts
    assert (chinese.ascii, chinese.hAnsi, chinese.eastAsia, chinese.cs) == ("Cambria", "Cambria", "宋体", "Cambria")
    plain = read_docx(_theme_doc(tmp_path, "vi.docx", "vi-VN")).runs[0].fonts
    assert plain.eastAsia == "Cambria"  # empty ea slot, no script font for the language: the latin face
    problems = _findings(tmp_path / "zh.docx")
    assert set(_fonts_named(problems)) == {"Cambria", "宋体"}
    assert not any("minor" in p.message or "chủ đề" in p.message for p in problems)


def test_a_package_without_theme_part_uses_words_office_theme(tmp_path):
    path = _theme_doc(tmp_path, "notheme.docx", "zh-CN")

    def edit(member, data):
        if member == "word/theme/theme1.xml":
            return None
        if member == "word/_rels/document.xml.rels":
            return re.sub(rb"<Relationship [^>]*theme1\.xml\"\s*/>", b"", data)
        if member == "[Content_Types].xml":
            return re.sub(rb"<Override [^>]*theme1\.xml\"[^>]*/>", b"", data)
        return data

    _rewrite(path, edit)
    fonts = read_docx(path).runs[0].fonts
    assert (fonts.ascii, fonts.hAnsi, fonts.eastAsia) == ("Calibri", "Calibri", "等线")


# --- headers and footers ----------------------------------------------------------------------------------------
def test_every_header_and_footer_finding_is_located(tmp_path):
    doc = tnr_document("Arial")
    doc.add_paragraph(VN)
    section = doc.sections[0]
    section.header.paragraphs[0].text = "UBND XÃ KIM XÁ"
    section.footer.paragraphs[0].text = "Trang 1"
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Họ và tên"
    set_fonts(table.rows[0].cells[1].paragraphs[0].add_run("Tahoma trong bảng")._r, "Tahoma")
    doc.save(tmp_path / "hf.docx")
    problems = _findings(tmp_path / "hf.docx")
    where = {(p.params["font"], p.location.part if p.location else None, p.location.table if p.location else None)
             for p in problems}
    assert where == {("Arial", None, None), ("Arial", "đầu trang", None), ("Arial", "chân trang", None),
                     ("Tahoma", None, 1)}
    header = next(p for p in problems if p.location and p.location.part == "đầu trang")
    assert header.params["count"] == 1 and header.params["sample"] == "UBND XÃ KIM XÁ"
    assert header.location.describe() == "đầu trang"


# --- files LibreOffice converts -------------------------------------------------------------------------------
HEADING = "<p>UBND XÃ KIM XÁ</p><p>DANH SÁCH</p>"
TABLE = f"<table border=1><tr><td>STT</td><td>Họ và tên</td></tr><tr><td>1</td><td>{VN}</td></tr></table>"


def _html(style: str = "", body: str = HEADING + TABLE) -> str:
    return f"<html><head><meta charset='utf-8'><title>DS</title>{style}</head><body>{body}</body></html>"


def _rtf(fonttbl: str, body: str) -> str:
    return "{\\rtf1\\ansi\\deff0" + fonttbl + body + "}"


def _soffice(src: Path, target: str, outdir: Path) -> Path:
    profile = outdir / "profile"
    subprocess.run([find_soffice(), f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to",
                    target, "--outdir", str(outdir), str(src)], capture_output=True, timeout=120, check=True)
    return outdir / (src.stem + "." + target.split(":")[0])


@pytest.fixture(scope="module")
def converted(tmp_path_factory, settings):
    d = tmp_path_factory.mktemp("lo")
    src = d / "src"
    src.mkdir()
    files = {
        "html-plain.doc": _html(body="<h1>DANH SÁCH</h1>" + HEADING + TABLE),
        "html-word.doc": _html("<style>p.MsoNormal, td {font-family:\"Times New Roman\",\"serif\"}</style>",
                               HEADING + f"<p style=\"font-family:'Times New Roman', serif\">{VN}</p>" + TABLE),
        "html-arial.xls": _html("<style>td {font-family: Arial, Helvetica, sans-serif}</style>",
                                HEADING + f"<p><font face='Tahoma, Verdana'>{VN}</font></p>" + TABLE),
        "rtf-plain.rtf": _rtf("", "{\\pard Nguy\\u7877?n V\\u259?n \\u272?\\u7913?c\\par}"),
        "rtf-fonts.rtf": _rtf("{\\fonttbl{\\f0\\froman Times New Roman;}{\\f1\\fswiss Arial;}{\\f2\\fswiss .VnTime;}}",
                              "{\\pard\\f0 Nguy\\u7877?n\\par}{\\pard\\f1 Arial V\\u259?n\\par}"
                              "{\\pard\\f2 Nguy\\'d4n V\\'a8n\\par}"),
        "rtf-stories.rtf": _rtf("{\\fonttbl{\\f0\\froman Times New Roman;}{\\f1\\fswiss Arial;}}",
                                "{\\header\\pard\\f1 UBND X\\u195?\\par}{\\footer\\pard\\f1 Trang\\par}"
                                "{\\pard\\f0 V\\u259?n b\\u7843?n{\\super\\chftn}{\\footnote\\pard\\f1 Ghi "
                                "ch\\u250?\\par}\\par}"),
    }
    for name, text in files.items():
        (src / name).write_text(text, encoding="utf-8")
    # a .doc and an .odt made by LibreOffice from a python-docx file in Times New Roman with two other fonts
    doc = tnr_document()
    doc.add_paragraph(VN)
    set_fonts(doc.add_paragraph().add_run("Arial " + VN)._r, "Arial")
    set_fonts(doc.add_paragraph().add_run(TCVN3_TEXT)._r, ".VnTime")
    doc.save(d / "lo.docx")
    with Converter() as conv:
        (src / "lo-tnr.doc").write_bytes(conv.convert(d / "lo.docx", "doc").read_bytes())
        falt = d / "falt.rtf"  # RTF alternate names survive a .doc round trip as "primary;alternate"
        falt.write_text(_rtf("{\\fonttbl{\\f0\\froman Times New Roman;}{\\f1\\froman Times{\\*\\falt Times New Roman};}"
                             "{\\f2\\froman Time New Roman;}}",
                             "{\\pard\\f0 Nguy\\u7877?n\\par}{\\pard\\f1 Times V\\u259?n\\par}"
                             "{\\pard\\f2 Tr\\u7847?n\\par}"), encoding="utf-8")
        (src / "falt.doc").write_bytes(conv.convert(falt, "doc").read_bytes())
    (src / "lo-tnr.odt").write_bytes(_soffice(d / "lo.docx", "odt", d).read_bytes())
    reports = check_paths(sorted(src.iterdir()), settings)
    return {r.path.name: r for r in reports}


def _font_findings(report) -> dict[tuple[str, str | None], object]:
    return {(p.params["font"], p.location.part if p.location else None): p for p in report.problems
            if p.code == "font.not_times_new_roman"}


@pytest.mark.libreoffice
def test_no_font_named_is_words_default_not_libreoffices(converted):
    for name in ("html-plain.doc", "html-word.doc", "rtf-plain.rtf"):
        assert _font_findings(converted[name]) == {}, (name, [p.message for p in converted[name].problems])
    assert converted["html-plain.doc"].kind == converted["html-word.doc"].kind == "respondent_list"


@pytest.mark.libreoffice
def test_explicit_fonts_survive_conversion(converted):
    assert set(_font_findings(converted["html-arial.xls"])) == {("Arial", None), ("Tahoma", None)}
    assert _font_findings(converted["html-arial.xls"])[("Arial", None)].location.table == 1
    for name in ("rtf-fonts.rtf", "lo-tnr.doc", "lo-tnr.odt"):
        rep = converted[name]
        assert set(_font_findings(rep)) == {("Arial", None), (".VnTime", None)}, name
        [legacy] = [p for p in rep.problems if p.code == "encoding.legacy"]
        assert legacy.params["decoded"].startswith("Nguyễn Văn"), name
    fonts = [p.params["font"] for r in converted.values() for p in r.problems if "font" in p.params]
    assert fonts and not any(re.search(r"Liberation|DejaVu|OpenSymbol|[;,]|serif", f) for f in fonts), fonts


@pytest.mark.libreoffice
def test_alternate_names_of_a_doc_font_table(converted):
    named = _font_findings(converted["falt.doc"])
    assert set(named) == {("Times", None), ("Time New Roman", None)}
    assert named[("Time New Roman", None)].message.startswith("Tên phông “Time New Roman” bị viết sai")


@pytest.mark.libreoffice
def test_stories_of_a_converted_file_are_located(converted):
    named = _font_findings(converted["rtf-stories.rtf"])
    assert set(named) == {("Arial", "đầu trang"), ("Arial", "chân trang"), ("Arial", "chú thích")}


def test_the_unicode_copy_judges_runs_by_their_document(tmp_path):
    from automation.formats.legacy_docx import unicode_copy

    doc = tnr_document()
    for text in ("Nguyễn Văn Đức", "Bùi Thu Mai"):
        set_fonts(doc.add_paragraph().add_run(text)._r, ".VnTime")
    doc.save(tmp_path / "unicode.docx")
    result = unicode_copy(tmp_path / "unicode.docx", tmp_path / "copy.docx", 2**26)
    assert result.runs_decoded == 0
    assert [p.text for p in Document(tmp_path / "copy.docx").paragraphs][-2:] == ["Nguyễn Văn Đức", "Bùi Thu Mai"]
