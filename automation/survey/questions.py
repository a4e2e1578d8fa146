"""The survey questionnaire, read from sheet ``CauHoi`` of ``templates/bo-tieu-chi.xlsx``.

``Mã câu hỏi`` (``CH01``) | ``Câu hỏi`` | ``Mã tiêu chí`` (a leaf "Điều tra XHH" criterion of sheet ``TieuChi``
of the same workbook).  Rows above the header (a "sample" note) are ignored; a note containing "mẫu" marks
the questionnaire as the shipped sample.  Every error is a :class:`FrameworkError` (``framework.invalid``)
naming the sheet row and code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from automation import vntext
from automation.scoring.framework import (DEFAULT_FRAMEWORK, SURVEY, Framework, FrameworkError, file_stamp,
                                          load_framework, read_sheet_rows, workspace_file)
from automation.survey.model import QUESTION_HEADERS, QUESTION_SHEET, Question


@dataclass
class QuestionSet:
    questions: list[Question]
    sample: bool = False  # the shipped sample questionnaire, not an official one

    def __post_init__(self) -> None:
        self.by_code = {q.code: q for q in self.questions}

    def for_criterion(self, code: str) -> list[Question]:
        return [q for q in self.questions if q.criterion == code]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return vntext.clean(str(value))


def parse_question_rows(rows: list[tuple], framework: Framework) -> QuestionSet:
    """Build and validate the questionnaire from the sheet's rows (values only)."""
    first = vntext.key(QUESTION_HEADERS[0])
    header_at = next((i for i, row in enumerate(rows) if row and vntext.key(_text(row[0])) == first), None)
    if header_at is None:
        raise FrameworkError(QUESTION_SHEET, f"không thấy dòng tiêu đề bắt đầu bằng “{QUESTION_HEADERS[0]}”")
    header = [vntext.key(_text(c)) for c in rows[header_at]]
    try:
        cols = [header.index(vntext.key(h)) for h in QUESTION_HEADERS]
    except ValueError:
        raise FrameworkError(QUESTION_SHEET, "dòng tiêu đề phải có các cột " + ", ".join(QUESTION_HEADERS)) \
            from None
    note = " ".join(_text(c) for r in rows[:header_at] for c in r if c is not None)
    questions: list[Question] = []
    seen: set[str] = set()
    for n, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        code, text, criterion = (_text(row[c]) if c < len(row) else "" for c in cols)
        if not (code or text or criterion):
            continue
        where = f"{QUESTION_SHEET}!dòng {n}" + (f" (mã {code})" if code else "")
        if not code:
            raise FrameworkError(where, "thiếu mã câu hỏi")
        if code.upper() in seen:
            raise FrameworkError(where, "mã câu hỏi bị trùng")
        seen.add(code.upper())
        if not text:
            raise FrameworkError(where, "thiếu nội dung câu hỏi")
        criterion = criterion.rstrip(".")
        if not criterion:
            raise FrameworkError(where, "thiếu mã tiêu chí")
        crit = framework.by_code.get(criterion)
        if crit is None:
            raise FrameworkError(where, f"tiêu chí {criterion} không có trong bộ tiêu chí")
        if crit.method != SURVEY or not crit.is_leaf:
            why = "không đánh giá qua điều tra XHH" if crit.method != SURVEY else "có tiêu chí con"
            raise FrameworkError(where, f"tiêu chí {criterion} {why}; câu hỏi phải gắn với một tiêu chí lá "
                                        "“Điều tra XHH”")
        questions.append(Question(code, text, criterion))
    if not questions:
        raise FrameworkError(QUESTION_SHEET, "bộ câu hỏi trống")
    sample = "mẫu" in note.lower() or "mau" in vntext.ascii_key(note).split()
    return QuestionSet(questions, sample)


def load_questions(path: Path | None = None, framework: Framework | None = None) -> QuestionSet:
    """Read sheet ``CauHoi`` of ``path`` (default: the shipped sample) and check each question against
    ``framework`` (default: the framework of the same workbook)."""
    path = Path(path or DEFAULT_FRAMEWORK)
    if framework is None:
        framework = load_framework(path)
    rows = read_sheet_rows(path, QUESTION_SHEET, f"không có trang câu hỏi điều tra “{QUESTION_SHEET}”")
    return parse_question_rows(rows, framework)


def workspace_questions(settings) -> QuestionSet:
    """The questionnaire of the workspace's framework file (see ``workspace_file``), checked against that
    file's framework and read again only when the file changes."""
    path = workspace_file(settings)
    return _cached(str(path), file_stamp(path))


@lru_cache(maxsize=8)
def _cached(path: str, _stamp: int) -> QuestionSet:
    return load_questions(Path(path))
