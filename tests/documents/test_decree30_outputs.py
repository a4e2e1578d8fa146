"""Every kind of Word output in the layout of Decree 30 (automation/formats/decree30.py): the four drafts
rendered from the shipped templates, the feedback letters (accepted, rejected) and the survey forms, each
reopened with python-docx; then a letter and a survey form rendered by LibreOffice (one batch) and read back
with ``pdftotext``."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from automation.formats.word import read_docx
from tests.documents.test_context import all_contexts, small_settings
from tests.documents.test_templates import render

NOW = dt.datetime(2021, 10, 26, 8, 30)
DATE_LINE = re.compile(r"Vĩnh Tường, ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm \d{4}")
KINDS = ("plan", "notice", "report", "decision", "letter-accepted", "letter-rejected", "letter-by-body", "survey")
# the letters are the standing office's own by default; "letter-by-body": [documents] letter_signer_title = ""
OFFICE_LETTERS = ("letter-accepted", "letter-rejected")
LETTER_SIGNER = "Nguyễn Thị Hoa"
# (top, bottom, left, right) in mm; the survey form keeps narrower margins to print on two pages (survey.py)
DECREE_MARGINS, SURVEY_MARGINS = ((20, 25), (20, 25), (30, 35), (15, 20)), ((15, 15), (15, 15), (20, 20), (15, 15))


def _letter(folder: Path, settings, verdict: str) -> Path:
    from automation.documents.letters import write_feedback
    from automation.ledger.records import RESPONDENT_LIST, Submission
    from automation.problems import problem

    unit = list(settings.units)[1]
    sub = Submission(id=1, sha256="cd" * 32, original_name="DS.docx", unit_code=unit.code, kind=RESPONDENT_LIST,
                     version=1, status="archived", verdict=verdict, received_at=NOW, on_time=True)
    problems = [problem("list.count", None, found=28, expected=30)] if verdict == "rejected" else []
    return write_feedback(folder / verdict, sub, unit, problems, settings, now=NOW)


def _survey(folder: Path, settings) -> Path:
    from automation.forms.survey import write_survey_forms
    from automation.survey.model import SampledPerson
    from automation.survey.questions import load_questions

    unit = list(settings.units)[1]
    people = [SampledPerson(f"{unit.code}-0{i}", unit.code, unit.full_name, f"Nguyễn Văn {i}", "Thôn 1",
                            "0912345678", "Hộ tịch", "Đăng ký khai sinh") for i in (1, 2)]
    return write_survey_forms(folder, settings, load_questions(), people).unit_files[0]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("decree30")
    settings = small_settings()  # with a parent body line
    out = {kind: render(kind, context, folder) for kind, context in all_contexts(settings).items()}
    office = dataclasses.replace(settings, documents=dataclasses.replace(
        settings.documents, letter_signer_title="TRƯỞNG PHÒNG", letter_signer_name=LETTER_SIGNER))
    out["letter-accepted"] = _letter(folder, office, "accepted")
    out["letter-rejected"] = _letter(folder, office, "rejected")
    body = dataclasses.replace(settings, documents=dataclasses.replace(settings.documents, letter_signer_title=""))
    out["letter-by-body"] = _letter(folder / "body", body, "accepted")
    out["survey"] = _survey(folder / "outbox", settings)
    return out


def _has_rule(paragraph) -> bool:
    top = paragraph._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}")
    return top is not None and top.get(qn("w:val")) == "single" and not paragraph.text


def _bold(paragraph) -> bool:
    return all(r.bold for r in paragraph.runs if r.text.strip())


@pytest.mark.parametrize("kind", KINDS)
def test_page_margins_and_font(outputs, kind):
    path = outputs[kind]
    for sec in Document(path).sections:
        assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
        got = [round(getattr(sec, f"{side}_margin").mm, 1) for side in ("top", "bottom", "left", "right")]
        for value, (low, high) in zip(got, SURVEY_MARGINS if kind == "survey" else DECREE_MARGINS):
            assert low <= value <= high, (kind, got)
    visible = [r for r in read_docx(path).runs if r.visible_text]
    assert len(visible) > 15
    assert [(r.text, r.fonts) for r in visible if r.fonts.used_by(r.text) != {"Times New Roman"}] == []


@pytest.mark.parametrize("kind", KINDS)
def test_header_table_with_its_two_rules(outputs, kind):
    head = Document(outputs[kind]).tables[0]
    left, right = head.cell(0, 0).paragraphs, head.cell(0, 1).paragraphs
    issuer = [p for p in left if p.text]
    expected = (["ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG", "PHÒNG NỘI VỤ"] if kind in OFFICE_LETTERS
                else ["UBND TỈNH VĨNH PHÚC", "ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG"])
    assert [p.text for p in issuer] == expected
    assert not any(r.bold for r in issuer[0].runs) and _bold(issuer[1])  # the parent body is not bold
    assert _has_rule(left[-1]) and left[-2].text == issuer[-1].text  # the rule right under the issuing body
    assert [p.text for p in right[:2]] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(_bold(p) for p in right[:2]) and not any(r.underline for p in right for r in p.runs)
    assert _has_rule(right[2]) and len(right) == 3  # the motto's rule is a border, not an underline


@pytest.mark.parametrize("kind", KINDS)
def test_number_and_date_lines(outputs, kind):
    head = Document(outputs[kind]).tables[0]
    if kind == "survey":  # a form handed out to be filled in: no number, dated where it is filled in
        assert len(head.rows) == 1
        assert "Ngày khảo sát:" in "\n".join(p.text for p in Document(outputs[kind]).paragraphs)
        return
    number, date = head.cell(1, 0).paragraphs[0], head.cell(1, 1).paragraphs[0]
    symbol = {"letter-by-body": "/UBND-NV"}.get(kind, "/NV" if kind in OFFICE_LETTERS else "-UBND")
    assert re.fullmatch(r"Số: +(\d+)?/[A-ZĐ-]+", number.text) and number.text.endswith(symbol) or \
        symbol == "-UBND" and symbol in number.text, number.text
    assert {r.font.size for r in number.runs} == {Pt(13)}
    blank = f"Vĩnh Tường, ngày {' ' * 5}tháng {' ' * 5}năm 2021"  # the plan without [documents] plan_date
    assert DATE_LINE.fullmatch(date.text) or kind == "plan" and date.text == blank, date.text
    assert all(r.italic and r.font.size == Pt(14) for r in date.runs)


@pytest.mark.parametrize("kind", KINDS)
def test_signature_block_and_recipients(outputs, kind):
    doc = Document(outputs[kind])
    blocks = [t for t in doc.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:"]
    if kind == "survey":  # nobody signs a form for the office
        assert blocks == []
        return
    [sign] = blocks
    assert sign.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None  # never split across pages
    recipients = [p.text for p in sign.cell(0, 0).paragraphs if p.text][1:]
    assert recipients and all(r.startswith("- ") and r.endswith(";") for r in recipients[:-1])
    assert recipients[-1] == ("- Lưu: VT." if kind in OFFICE_LETTERS else "- Lưu: VT, NV.")
    right = [p.text for p in sign.cell(0, 1).paragraphs]
    titles = ["TRƯỞNG PHÒNG"] if kind in OFFICE_LETTERS else ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    # the Chairman decides (Mẫu 1.2); the head of the office signs its letters in their own right
    authority = [] if kind in ("decision", *OFFICE_LETTERS) else ["TM. ỦY BAN NHÂN DÂN"]
    head = len(authority) + len(titles)
    assert right[:head] == authority + titles
    space = right[head:-1]
    assert len(space) >= 4 and not any(space)  # room to sign and seal
    assert right[-1] == (LETTER_SIGNER if kind in OFFICE_LETTERS else "Hoàng Tuấn Tam")
    assert all(_bold(p) for p in sign.cell(0, 1).paragraphs)


@pytest.mark.libreoffice
def test_a_letter_and_a_survey_form_print_their_decree_30_parts(outputs, tmp_path):
    from automation.formats.convert import Converter

    sources = [outputs["letter-rejected"], outputs["survey"]]
    with Converter(timeout_s=240, workdir=tmp_path) as office:  # one LibreOffice batch for both
        pdfs = office.convert_many(sources, "pdf")
        texts = {}
        for src in sources:
            raw = subprocess.run(["pdftotext", str(pdfs[src]), "-"], check=True, capture_output=True,
                                 timeout=60).stdout.decode("utf-8")
            texts[src] = [" ".join(unicodedata.normalize("NFC", page).split()) for page in raw.split("\f")]
    letter, survey = texts[sources[0]], texts[sources[1]]
    first = letter[0]
    for part in ("ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG", "PHÒNG NỘI VỤ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "Số: /NV", "Vĩnh Tường, ngày 26 tháng 10 năm 2021",
                 "V/v kết quả tiếp nhận"):
        assert part in first, part
    whole = " ".join(letter)
    order = ["Kính gửi:", "Phòng Nội vụ đã tiếp nhận", "KHÔNG ĐẠT", "Nơi nhận:", "TRƯỞNG PHÒNG", LETTER_SIGNER]
    positions = [whole.find(s) for s in order]
    assert -1 not in positions and positions == sorted(positions), list(zip(order, positions))
    assert "- Lưu: VT." in whole and "TM. ỦY BAN NHÂN DÂN" not in whole
    for part in ("UBND TỈNH VĨNH PHÚC", "ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                 "Độc lập - Tự do - Hạnh phúc", "PHIẾU KHẢO SÁT SỰ HÀI LÒNG", "Mã phiếu:"):
        assert part in survey[0], part
    assert sum("PHIẾU KHẢO SÁT SỰ HÀI LÒNG" in page for page in survey) == 2  # two forms, each from a new page
