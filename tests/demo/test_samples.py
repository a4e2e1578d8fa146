"""The demo district: every synthetic list gets exactly the findings it was made with."""

from __future__ import annotations

import dataclasses
import shutil

import pytest
from docx import Document
from docx.oxml.ns import qn

from automation.demo import samples as demo
from automation.check import check_paths
from automation.config import default_settings
from automation.formats.sniff import FileKind
from automation.units import UnitRegistry

TNR = "Times New Roman"
THEME_ATTRS = ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme")


@pytest.fixture(scope="module")
def settings():
    return default_settings()


@pytest.fixture(scope="module")
def district(tmp_path_factory, settings):
    """The whole default district as .docx (the "doc" variants stay .docx: no LibreOffice needed)."""
    files = demo.make_sample_lists(tmp_path_factory.mktemp("district"), settings, doc_files=False)
    return files, check_paths([f.path for f in files], settings)


def _by_variant(files, variant):
    return next(f for f in files if f.variant == variant)


def _mismatches(files, reports) -> list[str]:
    """One line per file whose findings, unit or respondent count differ from what it was made with."""
    out = []
    for f, r in zip(files, reports):
        codes = {p.code for p in r.problems}
        if codes != f.expected:
            out.append(f"{f.path.name} ({f.variant}): expected {sorted(f.expected)}, got "
                       + "; ".join(p.describe() for p in r.problems))
        if f.variant != "unknown_unit" and r.unit != f.unit:
            out.append(f"{f.path.name}: unit {r.unit and r.unit.full_name} instead of {f.unit.full_name}")
        if r.kind != "respondent_list" or r.respondents != f.respondents:
            out.append(f"{f.path.name}: kind {r.kind}, {r.respondents} people instead of {f.respondents}")
    return out


def _table_texts(path) -> list[list[list[str]]]:
    return [[[c.text for c in row.cells] for row in t.rows] for t in Document(str(path)).tables]


def _names(path) -> list[str]:
    """The "Họ và tên" column of a standard list, read back with python-docx."""
    rows = Document(str(path)).tables[1].rows
    col = [c.text for c in rows[0].cells].index("Họ và tên")
    return [r.cells[col].text for r in rows[1:]]


# --- the district as generated -------------------------------------------------------------------------------
def test_one_list_per_unit_and_every_variant_on_its_own_unit(district, settings):
    files, _ = district
    assert [f.unit for f in files] == list(settings.units)
    assert [f.variant for f in files] == [demo.variant_for(i) for i in range(len(files))]
    assert set(demo.VARIANTS) <= {f.variant for f in files}
    faulty = [f for f in files if f.expected]
    assert len(faulty) == len(demo.EXPECTED) and len(faulty) < len(files) / 2  # most units stay clean
    assert all(f.path.is_file() and f.path.parent == files[0].path.parent for f in files)


def test_variant_mapping_and_file_names(district):
    files, _ = district
    by_unit = {f.unit.name: f for f in files}
    assert by_unit["Kim Xá"].variant == "address_not_local"
    assert by_unit["Tam Phúc"].path.name == "DS_Tam_Phuc.docx"
    assert _by_variant(files, "unknown_unit").path.name == "danh-sach-khao-sat.docx"
    assert by_unit["Vĩnh Ninh"].path.name == "xa-vinh-ninh.docx"
    assert {f.path.name for f in files if f.variant == "doc"} == {"xa-yen-lap.docx", "xa-lung-hoa.docx",
                                                                  "xa-thuong-trung.docx"}


def test_every_list_reports_exactly_its_expected_problems(district):
    files, reports = district
    assert _mismatches(files, reports) == []


def test_verdicts(district):
    files, reports = district
    for f, r in zip(files, reports):
        if not f.expected:
            assert (r.verdict, r.problems) == ("accepted", []), f.path.name
        elif f.expected <= {"list.fields_not_representative", "list.bad_phone"}:
            assert r.verdict == "accepted_with_warnings", f.path.name
        else:
            assert r.verdict == "rejected", f.path.name


def test_units_and_respondent_counts(district, settings):
    files, reports = district
    for f, r in zip(files, reports):
        assert r.unit == (None if f.variant == "unknown_unit" else f.unit), f.path.name
        expected = settings.list_rules.size - (f.variant == "count_29")
        assert f.respondents == r.respondents == expected, f.path.name


def test_faults_are_where_the_brief_puts_them(district, settings):
    files, reports = district
    report = dict(zip((f.variant for f in files), reports))
    address = next(p for p in report["address_not_local"].problems if p.code == "list.address_not_local")
    assert "Thôn Đông, xã Yên Bình" in address.message
    assert any("12345" in p.message for p in report["bad_phone"].problems)
    assert any(f"31/02/{settings.year}" in p.message for p in report["bad_date"].problems)
    legacy = next(p for p in report["tcvn3"].problems if p.code == "encoding.legacy")
    assert "TCVN3" in legacy.message
    grouped = report["grouped_by_field"].respondent_list
    assert "field" not in grouped.columns and all(p.field.startswith("Lĩnh vực ") for p in grouped.respondents)
    two_rows = report["two_row_header"].respondent_list
    assert two_rows.columns == {c: i for i, c in enumerate(demo.TWO_ROW_ORDER)}  # reordered, all found
    assert two_rows.headers["phone"] == "SĐT" and "Tiếp nhận" in two_rows.headers["submitted"]


def test_tcvn3_list_reads_back_as_the_intended_vietnamese(district):
    files, reports = district
    report = reports[[f.variant for f in files].index("tcvn3")]
    people = report.respondent_list.respondents
    given = demo.GIVEN["m"] + demo.GIVEN["f"]
    assert all(p.name.split()[0] in demo.FAMILY and p.name.split()[-1] in given for p in people)
    assert all(p.procedure in demo.FIELDS[p.field] for p in people)
    assert all(f", {report.unit.full_name}" in p.address for p in people)
    assert "DANH SÁCH" in report.respondent_list.heading


# --- fonts and page ------------------------------------------------------------------------------------------
def _rfonts(el):
    return el.find(qn("w:rFonts"))


def test_clean_list_is_times_new_roman_on_a4(district):
    files, _ = district
    doc = Document(str(_by_variant(files, "clean").path))
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for rpr in (defaults, doc.styles["Normal"].element.rPr):
        rf = _rfonts(rpr)
        assert {s: rf.get(qn(f"w:{s}")) for s in ("ascii", "hAnsi", "eastAsia", "cs")} == dict.fromkeys(
            ("ascii", "hAnsi", "eastAsia", "cs"), TNR)
        assert not any(rf.get(qn(f"w:{a}")) for a in THEME_ATTRS)
    assert doc.styles["Normal"].font.name == TNR
    sec = doc.sections[0]
    assert sorted((round(sec.page_width.mm), round(sec.page_height.mm))) == [210, 297]
    runs = [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r._r.rPr is None or _rfonts(r._r.rPr) is None for r in runs)  # fonts come from the style


def test_font_faults_are_set_as_described(district):
    files, _ = district

    def runs(variant):
        doc = Document(str(_by_variant(files, variant).path))
        return [r for t in doc.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]

    assert {r.font.name for r in runs("arial")} == {"Arial"}
    trap = runs("hansi_arial")
    assert {r.font.name for r in trap} == {TNR}  # what python-docx shows ...
    assert {_rfonts(r._r.rPr).get(qn("w:hAnsi")) for r in trap} == {"Arial"}  # ... and what Word uses
    legacy = runs("tcvn3")
    assert {r.font.name for r in legacy} == {".VnTime", ".VnTimeH"}
    caps = [r for r in legacy if r.font.name == ".VnTimeH"]
    assert "céng hßa x· héi chñ nghÜa viÖt nam" in {r.text for r in caps}


# --- determinism and small unit lists ------------------------------------------------------------------------
def test_same_seed_same_lists_other_seed_other_names(district, settings, tmp_path):
    files, _ = district
    again = demo.make_sample_lists(tmp_path / "again", settings, doc_files=False)
    assert [f.path.name for f in again] == [f.path.name for f in files]
    for a, b in zip(again, files):
        assert _table_texts(a.path) == _table_texts(b.path), a.path.name
    few = dataclasses.replace(settings, units=UnitRegistry(list(settings.units)[:1]))
    other = demo.make_sample_lists(tmp_path / "other", few, seed=7, doc_files=False)
    names = _names(files[0].path)
    assert len(names) == settings.list_rules.size and len(set(names)) == len(names)
    assert _names(other[0].path) != names


def test_fewer_units_than_variants(settings, tmp_path):
    few = dataclasses.replace(settings, units=UnitRegistry(list(settings.units)[:3]))
    files = demo.make_sample_lists(tmp_path, few, doc_files=False)
    assert [f.variant for f in files] == ["clean", "address_not_local", "two_row_header"]
    assert _mismatches(files, check_paths([f.path for f in files], few)) == []


# --- .doc through LibreOffice --------------------------------------------------------------------------------
@pytest.mark.libreoffice
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) not installed")
def test_district_with_doc_files(settings, tmp_path):
    files = demo.make_sample_lists(tmp_path, settings)
    docs = [f for f in files if f.variant == "doc"]
    assert len(docs) == 3 and all(f.path.suffix == ".doc" and f.path.is_file() for f in docs)
    assert not list(tmp_path.glob("*.doc.docx")) and len(list(tmp_path.iterdir())) == len(files)
    reports = check_paths([f.path for f in files], settings)
    assert _mismatches(files, reports) == []
    for f, r in zip(files, reports):
        if f.variant == "doc":  # still Times New Roman after docx -> doc -> docx
            assert r.sniffed.kind is FileKind.DOC and r.verdict == "accepted" and r.unit == f.unit
