"""The survey questionnaire (sheet ``CauHoi`` of templates/bo-tieu-chi.xlsx) and its loader's errors."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from automation.scoring.framework import DEFAULT_FRAMEWORK, FrameworkError, load_framework
from automation.survey.model import QUESTION_HEADERS, QUESTION_SHEET
from automation.survey.questions import QuestionSet, load_questions, parse_question_rows, workspace_questions


@pytest.fixture(scope="module")
def framework():
    return load_framework()


@pytest.fixture(scope="module")
def qset():
    return load_questions()


def test_shipped_questionnaire_is_a_labelled_sample(qset):
    assert isinstance(qset, QuestionSet) and qset.sample is True
    ws = openpyxl.load_workbook(DEFAULT_FRAMEWORK)[QUESTION_SHEET]
    assert ws["A1"].value.startswith("BỘ CÂU HỎI MẪU") and ws["A1"].font.b
    assert tuple(c.value for c in ws[2]) == QUESTION_HEADERS == ("Mã câu hỏi", "Câu hỏi", "Mã tiêu chí")
    assert ws.freeze_panes == "A3"
    assert all(ws.cell(r, c).data_type == "s" for r in range(3, ws.max_row + 1) for c in (1, 3))


def test_every_survey_criterion_is_fed_by_two_or_three_questions(qset, framework):
    survey = {c.code for c in framework.survey}
    assert survey >= {"7.1.1", "7.1.2", "7.1.3", "7.1.4", "7.1.5", "7.2.1", "7.2.2", "3.1.3", "3.2.4", "3.3.4",
                      "4.4.2"}
    per = Counter(q.criterion for q in qset.questions)
    assert set(per) == survey
    assert all(2 <= n <= 3 for n in per.values()), per
    for q in qset.questions:
        crit = framework.by_code[q.criterion]
        assert crit.is_leaf and crit.method == "Điều tra XHH", q


def test_codes_unique_and_texts_are_questions(qset):
    codes = [q.code for q in qset.questions]
    assert len(codes) == len(set(codes)) and codes == sorted(codes)
    assert all(re.fullmatch(r"CH\d{2}", c) for c in codes)
    for q in qset.questions:
        assert q.text.startswith("Ông/Bà") and q.text.endswith("?") and "hài lòng" in q.text, q
    assert qset.by_code["CH01"].criterion == "7.1.1" and len(qset.for_criterion("7.1.5")) == 3


def test_questions_follow_the_five_elements_in_order(qset):
    """Access, procedure, official, result, feedback: the 7.1.x criteria appear in that order."""
    first = {}
    for i, q in enumerate(qset.questions):
        first.setdefault(q.criterion, i)
    assert [first[f"7.1.{k}"] for k in range(1, 6)] == sorted(first[f"7.1.{k}"] for k in range(1, 6))


def test_workspace_questions_prefer_the_workspace_copy(tmp_path, settings, qset):
    assert workspace_questions(settings).questions == qset.questions  # no workspace: the shipped sample
    (tmp_path / "templates").mkdir()
    own = tmp_path / "templates" / "bo-tieu-chi.xlsx"
    shutil.copyfile(DEFAULT_FRAMEWORK, own)
    wb = openpyxl.load_workbook(own)
    wb[QUESTION_SHEET]["A1"] = "Bộ câu hỏi của tỉnh"
    wb[QUESTION_SHEET]["B3"] = "Ông/Bà có hài lòng với chỗ để xe không?"
    wb.save(own)
    ws_settings = replace(settings, workspace=tmp_path)
    got = workspace_questions(ws_settings)
    assert got.sample is False and got.questions[0].text == "Ông/Bà có hài lòng với chỗ để xe không?"
    assert workspace_questions(ws_settings) is got  # cached until the file changes


# --- the loader's errors ----------------------------------------------------------------------------

NOTE = ("Bộ câu hỏi thử",)


def _error(framework, *questions, header=QUESTION_HEADERS) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        parse_question_rows([NOTE, header, *questions], framework)
    assert info.value.code == "framework.invalid"
    return info.value


def test_valid_rows_parse(framework):
    got = parse_question_rows([NOTE, QUESTION_HEADERS, ("CH01", "Câu một?", "7.1.1"), (None, None, None),
                               ("CH02", "Câu hai?", "3.2.4")], framework)
    assert [(q.code, q.criterion) for q in got.questions] == [("CH01", "7.1.1"), ("CH02", "3.2.4")]
    assert got.sample is False


def test_unknown_criterion_names_row_and_code(framework):
    exc = _error(framework, ("CH01", "Câu một?", "7.1.1"), ("CH02", "Câu hai?", "9.9.9"))
    assert "CauHoi!dòng 4 (mã CH02)" in str(exc) and "9.9.9" in str(exc)


def test_criterion_scored_by_appraisal_is_refused(framework):
    exc = _error(framework, ("CH01", "Câu một?", "3.2.1"))
    assert "dòng 3" in str(exc) and "3.2.1" in str(exc) and "điều tra XHH" in str(exc)
    exc = _error(framework, ("CH01", "Câu một?", "7.1"))  # a survey criterion, but not a leaf
    assert "7.1" in str(exc) and "con" in str(exc)


def test_duplicate_code_and_empty_text(framework):
    exc = _error(framework, ("CH01", "Câu một?", "7.1.1"), ("ch01", "Câu hai?", "7.1.2"))
    assert "dòng 4" in str(exc) and "trùng" in str(exc)
    exc = _error(framework, ("CH01", "  ", "7.1.1"))
    assert "dòng 3 (mã CH01)" in str(exc) and "thiếu nội dung" in str(exc)
    exc = _error(framework, ("CH01", "Câu một?", None))
    assert "thiếu mã tiêu chí" in str(exc)


def test_missing_header_and_empty_sheet(framework):
    exc = _error(framework, ("CH01", "Câu một?", "7.1.1"), header=("Mã", "Câu hỏi", "Mã tiêu chí"))
    assert "CauHoi" in str(exc) and "Mã câu hỏi" in str(exc)
    exc = _error(framework, header=("Mã câu hỏi", "Câu hỏi"))
    assert "Mã tiêu chí" in str(exc)
    assert "trống" in str(_error(framework))


def _edited(tmp_path: Path, edit) -> Path:
    path = tmp_path / "bo-tieu-chi.xlsx"
    shutil.copyfile(DEFAULT_FRAMEWORK, path)
    wb = openpyxl.load_workbook(path)
    edit(wb)
    wb.save(path)
    return path


def test_workbook_errors_name_the_row(tmp_path):
    path = _edited(tmp_path, lambda wb: wb[QUESTION_SHEET].cell(5, 3, "3.2.1"))
    with pytest.raises(FrameworkError) as info:
        load_questions(path)
    assert info.value.code == "framework.invalid" and "CauHoi!dòng 5 (mã CH03)" in str(info.value)
    path = _edited(tmp_path, lambda wb: wb.remove(wb[QUESTION_SHEET]))
    with pytest.raises(FrameworkError) as info:
        load_questions(path)
    assert "CauHoi" in str(info.value)
    with pytest.raises(FrameworkError):
        load_questions(tmp_path / "missing.xlsx")


def test_checked_against_the_given_framework():
    """A framework whose only survey criterion is 7.1.1 refuses the first question feeding another one."""
    from automation.scoring.framework import HEADERS, parse_rows  # noqa: PLC0415

    small = parse_rows([("Bộ tiêu chí thử",), HEADERS, ("7", "Tác động", 4, "Điều tra XHH", ""),
                        ("7.1", "Hài lòng", 4, "Điều tra XHH", ""), ("7.1.1", "Tiếp cận", 4, "Điều tra XHH", "x")])
    with pytest.raises(FrameworkError) as info:
        load_questions(DEFAULT_FRAMEWORK, small)
    assert "CauHoi!dòng 6 (mã CH04)" in str(info.value) and "3.1.3" in str(info.value)
