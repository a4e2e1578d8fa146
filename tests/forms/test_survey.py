"""``write_survey_forms``: one printable .docx of survey forms per unit and the data-entry workbook."""

from __future__ import annotations

import subprocess
import time
import unicodedata

import openpyxl
import pytest
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from docx.shared import Mm
from openpyxl.utils import range_boundaries

from automation.formats.convert import find_soffice
from automation.formats.word import read_docx
from automation.forms import survey as survey_forms
from automation.forms.survey import ANSWER_HEADERS, BOX, ENTRY_HEADERS, write_survey_forms
from automation.survey.model import ANSWERS, ENTRY_SHEET, QUESTION_HEADERS, SampledPerson
from automation.survey.questions import load_questions

FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"]
GIVEN = ["Văn An", "Thị Bình", "Đức Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Hùng", "Thị Lan"]
FIELDS = [("Hộ tịch", "Đăng ký khai sinh"), ("Chứng thực", "Chứng thực bản sao từ bản chính"),
          ("Đất đai", "Đăng ký biến động đất đai")]


def people_of(unit, n: int) -> list[SampledPerson]:
    out = []
    for i in range(n):
        field, procedure = FIELDS[i % len(FIELDS)]
        out.append(SampledPerson(f"{unit.code}-{i + 1:02d}", unit.code, unit.full_name,
                                 f"{FAMILY[i % 6]} {GIVEN[(i // 6) % 8]} {chr(65 + i % 26)}",
                                 f"Thôn Đông {i}, {unit.full_name.lower()}", "" if i == 1 else f"09123456{i:02d}",
                                 field, procedure))
    return out


@pytest.fixture(scope="module")
def questions():
    return load_questions()


@pytest.fixture(scope="module")
def units(settings):
    kim_xa = next(u for u in settings.units if u.slug == "xa-kim-xa")
    town = next(u for u in settings.units if u.type == "Thị trấn")
    return kim_xa, town


@pytest.fixture(scope="module")
def people(units):
    kim_xa, town = units
    return people_of(kim_xa, 4) + people_of(town, 3)


@pytest.fixture(scope="module")
def result(tmp_path_factory, settings, questions, people):
    return write_survey_forms(tmp_path_factory.mktemp("outbox"), settings, questions, people)


def test_files_written(result, settings, units):
    kim_xa, town = units
    assert result.folder.name == "dieu-tra"
    expected = {u: result.folder / u.slug / f"phieu-dieu-tra-{u.slug}-2021.docx" for u in (kim_xa, town)}
    order = [u for u in settings.units if u in expected]  # the settings' order, only units with people
    assert result.unit_files == [expected[u] for u in order]
    assert all(p.is_file() for p in result.unit_files)
    assert result.entry_workbook == result.folder / "nhap-phieu-2021.xlsx" and result.entry_workbook.is_file()
    assert not [p for p in result.folder.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


@pytest.fixture(scope="module")
def kim_xa_doc(result):
    return Document(str(next(p for p in result.unit_files if "xa-kim-xa" in p.name)))


def _cell_texts(doc) -> list[str]:
    return [c.text for t in doc.tables for row in t.rows for c in row.cells]


def test_one_form_per_person_separated_by_page_breaks(kim_xa_doc, people):
    mine = [p for p in people if p.unit_name == "Xã Kim Xá"]
    cell_paragraphs = [p.text for t in kim_xa_doc.tables for row in t.rows for c in row.cells for p in c.paragraphs]
    codes = [t for t in cell_paragraphs if t.startswith("Mã phiếu: ")]
    assert codes == [f"Mã phiếu: {p.form_code}" for p in mine]
    breaks = kim_xa_doc.element.body.findall(f".//{qn('w:br')}[@{qn('w:type')}='page']")
    assert len(breaks) == len(mine) - 1
    titles = [p.text for p in kim_xa_doc.paragraphs if p.text == "PHIẾU KHẢO SÁT SỰ HÀI LÒNG"]
    assert len(titles) == len(mine)
    subtitle = "Về việc giải quyết thủ tục hành chính tại Bộ phận một cửa xã Kim Xá năm 2021"
    assert [p.text for p in kim_xa_doc.paragraphs].count(subtitle) == len(mine)
    assert [p.text for p in kim_xa_doc.paragraphs].count("Xin trân trọng cảm ơn!") == len(mine)
    assert sum(p.text.startswith("Người khảo sát:") for p in kim_xa_doc.paragraphs) == len(mine)


def test_each_form_names_its_person(kim_xa_doc, people):
    boxes = [c.text for t in kim_xa_doc.tables if len(t.columns) == 1 for c in t.rows[0].cells]
    mine = [p for p in people if p.unit_name == "Xã Kim Xá"]
    assert len(boxes) == len(mine)
    for box, person in zip(boxes, mine):
        lines = box.split("\n")
        assert lines == [f"Mã phiếu: {person.form_code}", f"Họ và tên: {person.name}", f"Địa chỉ: {person.address}",
                         f"Số điện thoại: {person.phone or '……………………………'}", f"Lĩnh vực: {person.field}",
                         f"Thủ tục hành chính: {person.procedure}"]
    header = kim_xa_doc.tables[0]
    assert header.cell(0, 0).text == "ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG\n"  # and the rule under it
    assert header.cell(0, 1).text == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"


def test_answer_table_has_the_scale_as_columns_and_a_row_per_question(kim_xa_doc, questions):
    tables = [t for t in kim_xa_doc.tables if t.rows[0].cells[0].text == "STT"]
    assert len(tables) == 4
    for table in tables:
        assert tuple(c.text for c in table.rows[0].cells) == ANSWER_HEADERS == ("STT", "Câu hỏi", *ANSWERS)
        assert len(table.rows) == 1 + len(questions.questions)
        for n, (row, q) in enumerate(zip(table.rows[1:], questions.questions), start=1):
            assert [c.text for c in row.cells] == [str(n), q.text] + [BOX] * len(ANSWERS)


def test_a4_portrait_and_times_new_roman_everywhere(result):
    for path in result.unit_files:
        doc = Document(str(path))
        sec = doc.sections[0]
        assert sec.orientation == WD_ORIENT.PORTRAIT
        assert (abs(sec.page_width - Mm(210)), abs(sec.page_height - Mm(297))) < (Mm(0.5), Mm(0.5))
        assert sec.page_width < sec.page_height
        runs = [r for r in read_docx(path).runs if r.visible_text]
        assert any(BOX in r.text for r in runs) and any("ư" in r.text for r in runs)
        bad = [(r.text, r.fonts) for r in runs if r.fonts.used_by(r.text) != {"Times New Roman"}]
        assert not bad, bad[:3]


def test_entry_workbook(result, people, questions):
    wb = openpyxl.load_workbook(result.entry_workbook)
    assert wb.sheetnames == [ENTRY_SHEET, "CauHoi"]  # the answers fit an inline list: no extra sheet
    ws = wb[ENTRY_SHEET]
    codes = [q.code for q in questions.questions]
    assert [c.value for c in ws[1]] == [*ENTRY_HEADERS, *codes]
    assert ENTRY_HEADERS == ("Mã phiếu", "Mã đơn vị", "Đơn vị", "Họ và tên")
    assert ws.max_row == 1 + len(people) and ws.freeze_panes == "E2"
    ordered = sorted(people, key=lambda p: p.unit_name != "Thị trấn Vĩnh Tường")  # settings order: town first
    for r, person in enumerate(ordered, start=2):
        row = ws[r]
        assert [c.value for c in row[:4]] == [person.form_code, person.unit_code, person.unit_name, person.name]
        assert row[0].data_type == row[1].data_type == "s" and row[0].number_format == row[1].number_format == "@"
        assert all(c.value is None for c in row[4:])
    dvs = ws.data_validations.dataValidation
    assert len(dvs) == 1 and dvs[0].type == "list"
    formula = dvs[0].formula1
    assert formula.startswith('"') and len(formula) - 2 <= 255
    assert tuple(formula.strip('"').split(",")) == ANSWERS
    covered = {(col, row) for rng in dvs[0].sqref.ranges for c1, r1, c2, r2 in [range_boundaries(rng.coord)]
               for col in range(c1, c2 + 1) for row in range(r1, r2 + 1)}
    answer_cells = {(c, r) for c in range(5, 5 + len(codes)) for r in range(2, 2 + len(people))}
    assert covered == answer_cells
    qs = wb["CauHoi"]
    assert tuple(c.value for c in qs[1]) == QUESTION_HEADERS
    assert [(r[0].value, r[1].value, r[2].value) for r in qs.iter_rows(min_row=2)] == \
        [(q.code, q.text, q.criterion) for q in questions.questions]


def test_answers_too_long_for_an_inline_list_go_to_a_hidden_sheet(tmp_path, settings, questions, units,
                                                                   monkeypatch):
    long = tuple(a + " " + "x" * 40 for a in ANSWERS)
    monkeypatch.setattr(survey_forms, "ANSWERS", long)
    result = write_survey_forms(tmp_path, settings, questions, people_of(units[0], 2))
    wb = openpyxl.load_workbook(result.entry_workbook)
    assert wb["DanhMuc"].sheet_state == "hidden"
    assert [r[0].value for r in wb["DanhMuc"].iter_rows()] == list(long)
    assert wb[ENTRY_SHEET].data_validations.dataValidation[0].formula1 == "DanhMuc!$A$1:$A$6"


def test_unknown_unit_and_rewrite_in_place(tmp_path, settings, questions):
    odd = SampledPerson("99999-01", "99999", "Xã Thử Nghiệm", "Lê Văn\x07 Tâm", "Thôn 1", "", "Hộ tịch",
                        "Đăng ký kết hôn")
    first = write_survey_forms(tmp_path, settings, questions, [odd])
    again = write_survey_forms(tmp_path, settings, questions, [odd])
    assert first.unit_files == again.unit_files == [
        tmp_path / "dieu-tra" / "xa-thu-nghiem-99999" / "phieu-dieu-tra-xa-thu-nghiem-99999-2021.docx"]
    text = "\n".join(_cell_texts(Document(str(again.unit_files[0]))))
    assert "Họ và tên: Lê Văn Tâm" in text and "Số điện thoại: ……" in text
    assert sorted(p.name for p in (tmp_path / "dieu-tra").rglob("*")) == sorted(
        ["nhap-phieu-2021.xlsx", "xa-thu-nghiem-99999", "phieu-dieu-tra-xa-thu-nghiem-99999-2021.docx"])


def test_no_people_gives_an_empty_entry_workbook(tmp_path, settings, questions):
    result = write_survey_forms(tmp_path, settings, questions, [])
    assert result.unit_files == []
    ws = openpyxl.load_workbook(result.entry_workbook)[ENTRY_SHEET]
    assert ws.max_row == 1 and not ws.data_validations.dataValidation


@pytest.mark.libreoffice
def test_libreoffice_renders_the_vietnamese_forms_in_order(tmp_path, result, people):
    path = next(p for p in result.unit_files if "xa-kim-xa" in p.name)
    out = tmp_path / "pdf"
    subprocess.run([find_soffice(), f"-env:UserInstallation={(tmp_path / 'lo-profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(path)], check=True, capture_output=True,
                   timeout=180)
    raw = subprocess.run(["pdftotext", str(out / (path.stem + ".pdf")), "-"], check=True, capture_output=True,
                         timeout=60).stdout.decode("utf-8")
    pages = [" ".join(unicodedata.normalize("NFC", p).split()) for p in raw.split("\f")]
    text = " ".join(pages)
    mine = [p for p in people if p.unit_name == "Xã Kim Xá"]
    order = ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHIẾU KHẢO SÁT SỰ HÀI LÒNG",
             "Bộ phận một cửa xã Kim Xá năm 2021", f"Mã phiếu: {mine[0].form_code}", mine[0].name,
             "Ông/Bà có hài lòng với nơi ngồi chờ", "Xin trân trọng cảm ơn!", f"Mã phiếu: {mine[1].form_code}",
             mine[1].name]
    positions = [text.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions) if p == -1]
    assert positions == sorted(positions)
    starts = [i for i, page in enumerate(pages) if "PHIẾU KHẢO SÁT SỰ HÀI LÒNG" in page]
    assert len(starts) == len(mine)  # each form starts a new page
    assert all("Mã phiếu: " not in page for i, page in enumerate(pages) if i not in starts)


def test_timing_28_units_of_30(tmp_path, settings, questions):
    people = [p for unit in settings.units for p in people_of(unit, 30)]
    assert len(people) == 28 * 30
    start = time.perf_counter()
    result = write_survey_forms(tmp_path, settings, questions, people)
    elapsed = time.perf_counter() - start
    print(f"\nsurvey forms: 28 units × 30 people in {elapsed:.1f} s")
    assert len(result.unit_files) == 28
    assert elapsed < 90  # requirement: 30 s on a 2-core machine; the bound only catches a gross regression
