"""The index and the ranking: one pure function, used by `cchc recompute` and by the Excel button.

Index = total / the framework's own total maximum (:attr:`Framework.total_max`, the regular areas: 100 for
the usual frameworks, any other scale too) × 100, two decimals, half up.  The total is the appraised points
of the regular criteria + the bonus points − the penalty points (penalties are scored as negative numbers,
so the appraised sum already subtracts them) + the survey points, then floored at 0 and capped at the
total maximum: a unit cannot score below nothing, and bonus points make up for lost points but never lift
the index above 100.  The self and appraised sums are shown as they add up, not floored or capped.
A criterion not yet appraised counts its self-score; the unit stays "Tạm tính" until every
criterion is appraised.  Equal indexes share a rank (1, 2, 2, 4) and are listed in Vietnamese order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from automation import vntext
from automation.scoring.framework import Framework

NO_SELF_ASSESSMENT = "Chưa nộp biểu tự chấm"
PROVISIONAL = "Tạm tính"
NO_SURVEY = "Chưa có điều tra XHH"
FINAL = "Chính thức"
TWO_PLACES = Decimal("0.01")


@dataclass
class UnitInput:
    code: str
    name: str
    self_scores: dict[str, Decimal | None] = field(default_factory=dict)  # criterion -> self-score
    appraised: dict[str, Decimal | None] = field(default_factory=dict)  # criterion -> council's score
    survey: Decimal | None = None  # survey points, None until the survey arrives
    has_self_assessment: bool = False


@dataclass
class UnitResult:
    code: str
    name: str
    self_total: Decimal
    appraised_total: Decimal  # appraised where appraised, else the self-score
    survey: Decimal | None
    total: Decimal
    index: Decimal
    rank: int
    status: str
    appraised_count: int
    criteria_count: int
    group: str = ""  # the ranking group ("" when all units are ranked together)
    group_size: int = 0  # the units ranked with this one
    band: str = ""  # the classification band ("" without bands, or below every band)


def _q(d: Decimal) -> Decimal:
    return d.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def compute(framework: Framework, units: list[UnitInput]) -> list[UnitResult]:
    """Results ranked by index (highest first), ties in Vietnamese alphabetical order."""
    scored = framework.scored
    total_max = framework.total_max
    out: list[UnitResult] = []
    for u in units:
        self_total = Decimal(0)
        appraised_total = Decimal(0)
        appraised_count = 0
        for c in scored:
            own = u.self_scores.get(c.code) or Decimal(0)
            self_total += own
            council = u.appraised.get(c.code)
            if council is not None:
                appraised_count += 1
                appraised_total += council
            else:
                appraised_total += own
        total = min(max(appraised_total + (u.survey or Decimal(0)), Decimal(0)), total_max)
        index = _q(total / total_max * 100) if total_max else Decimal(0)
        if not u.has_self_assessment and appraised_count == 0:
            status = NO_SELF_ASSESSMENT
        elif appraised_count < len(scored):
            status = PROVISIONAL
        elif u.survey is None and framework.survey:
            status = NO_SURVEY
        else:
            status = FINAL
        out.append(UnitResult(u.code, u.name, self_total, appraised_total, u.survey, total, index, 0, status,
                              appraised_count, len(scored)))
    out.sort(key=lambda r: (-r.index, vntext.collation_key(r.name)))
    for i, r in enumerate(out):
        r.rank = out[i - 1].rank if i and out[i - 1].index == r.index else i + 1
    return out


def rank_in_groups(results: list[UnitResult], ranking, group_of: dict[str, str]) -> list[UnitResult]:
    """``results`` ranked within their groups (``group_of``: unit code -> group name; groups in the order of
    ``ranking.groups``), ties sharing a rank, each with its band; one group keeps :func:`compute`'s order."""
    order = {g.name: i for i, g in enumerate(ranking.groups)}
    for r in results:
        r.group, r.band = group_of.get(r.code, ""), ranking.band_of(r.index)
    out = sorted(results, key=lambda r: (order.get(r.group, 0), -r.index, vntext.collation_key(r.name)))
    sizes: dict[str, int] = {}
    for r in out:
        sizes[r.group] = sizes.get(r.group, 0) + 1
    first = 0  # where the current group starts in ``out``
    for i, r in enumerate(out):
        same = bool(i) and out[i - 1].group == r.group
        first = first if same else i
        r.rank = out[i - 1].rank if same and out[i - 1].index == r.index else i - first + 1
        r.group_size = sizes[r.group]
    return out


def all_final(results: list[UnitResult]) -> bool:
    return bool(results) and all(r.status == FINAL for r in results)
