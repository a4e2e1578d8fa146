"""Survey points per unit: each survey criterion earns its maximum × the share of satisfied answers.

For a unit and a survey criterion (a leaf of the framework assessed by ``Điều tra XHH``): over that
unit's forms and the questions mapped to the criterion,

    points = max × (answers “Rất hài lòng” or “Hài lòng”) / (answers other than “Không trả lời”)

computed exactly in :class:`~decimal.Decimal` and rounded to 2 decimals half up; the unit's total is
the sum of the rounded criterion points.  A criterion without any such answer gets 0, with a warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

from automation.scoring.framework import Framework
from automation.survey.entry import ImportedForm
from automation.survey.model import NO_ANSWER, POSITIVE, Question, SampledPerson

CENT = Decimal("0.01")
_EXACT = Context(prec=50)  # no rounding before the final 2 decimals


@dataclass
class UnitSurvey:
    unit_code: str
    sampled: int  # people sampled (forms issued)
    responded: int  # forms with at least one answer
    points: Decimal  # sum of the (rounded) criterion points
    by_criterion: dict[str, Decimal] = field(default_factory=dict)  # survey criterion code -> points
    warnings: list[str] = field(default_factory=list)  # Vietnamese

    @property
    def response_rate(self) -> Decimal:
        """responded / sampled (0 when nobody was sampled), not rounded."""
        if not self.sampled:
            return Decimal(0)
        return _EXACT.divide(Decimal(self.responded), Decimal(self.sampled))


def criterion_points(max_points: Decimal, positive: int, answered: int) -> Decimal:
    """``max_points × positive / answered`` rounded to 2 decimals half up (0 when nothing was answered)."""
    if answered <= 0:
        return Decimal("0.00")
    exact = _EXACT.divide(_EXACT.multiply(Decimal(max_points), Decimal(positive)), Decimal(answered))
    return exact.quantize(CENT, rounding=ROUND_HALF_UP, context=_EXACT)


def survey_points(framework: Framework, questions: list[Question], people: list[SampledPerson],
                  forms: list[ImportedForm]) -> dict[str, UnitSurvey]:
    """One :class:`UnitSurvey` per unit that has sampled people (in the order of ``people``).

    A form belongs to a unit through ``people`` (form code -> unit); forms of nobody sampled are ignored,
    and a form listed twice counts once (the first).
    """
    criteria = framework.survey
    crit_of = {q.code: q.criterion for q in questions}
    has_questions = {q.criterion for q in questions}
    unit_of: dict[str, str] = {}
    sampled: dict[str, int] = {}
    for p in people:
        unit_of.setdefault(p.form_code, p.unit_code)
        sampled[p.unit_code] = sampled.get(p.unit_code, 0) + 1

    # tallies[unit][criterion] = [positive, answered (other than “Không trả lời”)]
    tallies: dict[str, dict[str, list[int]]] = {u: {} for u in sampled}
    responded = dict.fromkeys(sampled, 0)
    seen: set[str] = set()
    positive = frozenset(POSITIVE)
    for form in forms:
        unit = unit_of.get(form.form_code)
        if unit is None or form.form_code in seen:
            continue
        seen.add(form.form_code)
        if not form.answers:
            continue
        responded[unit] += 1
        unit_tally = tallies[unit]
        for question, answer in form.answers.items():
            crit = crit_of.get(question)
            if crit is None or answer == NO_ANSWER:
                continue
            t = unit_tally.get(crit)
            if t is None:
                t = unit_tally[crit] = [0, 0]
            t[1] += 1
            if answer in positive:
                t[0] += 1

    out: dict[str, UnitSurvey] = {}
    for unit, count in sampled.items():
        by_criterion: dict[str, Decimal] = {}
        notes: list[str] = []
        for c in criteria:
            pos, answered = tallies[unit].get(c.code, (0, 0))
            by_criterion[c.code] = criterion_points(c.max_points, pos, answered)
            if answered == 0:
                if c.code not in has_questions:
                    notes.append(f"Tiêu chí {c.code}: không có câu hỏi nào gắn với tiêu chí, tính 0 điểm")
                else:
                    notes.append(f"Tiêu chí {c.code}: chưa có câu trả lời nào, tính 0 điểm")
        total = sum(by_criterion.values(), Decimal("0.00"))
        out[unit] = UnitSurvey(unit, count, responded[unit], total, by_criterion, notes)
    return out
