"""The survey of the listed citizens (plan II.3–II.5): questions, sampled people, answers."""

from __future__ import annotations

from dataclasses import dataclass

VERY_SATISFIED = "Rất hài lòng"
SATISFIED = "Hài lòng"
NEUTRAL = "Bình thường"
DISSATISFIED = "Không hài lòng"
VERY_DISSATISFIED = "Rất không hài lòng"
NO_ANSWER = "Không trả lời"
ANSWERS = (VERY_SATISFIED, SATISFIED, NEUTRAL, DISSATISFIED, VERY_DISSATISFIED, NO_ANSWER)
POSITIVE = (VERY_SATISFIED, SATISFIED)

QUESTION_SHEET = "CauHoi"
QUESTION_HEADERS = ("Mã câu hỏi", "Câu hỏi", "Mã tiêu chí")
ENTRY_SHEET = "NhapPhieu"
FORM_CODE = "Mã phiếu"


@dataclass(frozen=True)
class Question:
    code: str  # "CH01"
    text: str
    criterion: str  # the survey criterion it feeds ("7.1.1")


@dataclass(frozen=True)
class SampledPerson:
    form_code: str  # "09079-01": unit code, number within the unit
    unit_code: str
    unit_name: str
    name: str
    address: str
    phone: str
    field: str
    procedure: str
