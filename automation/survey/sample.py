"""The survey sample: from each unit's latest usable list, N people stratified by procedure field.

Reproducible: the same lists and the same seed give the same sample (``random.Random`` seeded with the
seed and the unit's code), and the seed is recorded in the ledger with the sample.  A list is usable
when it was accepted, or rejected only for findings on some of its rows (those rows are left out); a
unit without a usable list is reported, never silently skipped.
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field

from automation import vntext
from automation.config import Settings
from automation.lists.model import RespondentList
from automation.problems import Problem, Severity
from automation.survey.model import SampledPerson

OTHER_FIELD = "Lĩnh vực khác"


@dataclass
class SampleResult:
    people: list[SampledPerson]
    missing: list[tuple[str, str]] = field(default_factory=list)  # (unit name, Vietnamese reason)
    seed: int = 0
    per_unit: int | None = None
    sources: dict[str, int] = field(default_factory=dict)  # unit code -> submission id of its list


def _allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional allocation with largest remainders; ties go to the field first in Vietnamese order."""
    total = sum(sizes.values())
    if total == 0 or n <= 0:
        return {f: 0 for f in sizes}
    exact = {f: n * s / total for f, s in sizes.items()}
    quota = {f: int(x) for f, x in exact.items()}
    rest = n - sum(quota.values())
    order = sorted(sizes, key=lambda f: (-(exact[f] - quota[f]), vntext.collation_key(f)))
    for f in order[:rest]:
        quota[f] += 1
    return quota


def stratified(people: list, n: int | None, rng: random.Random, field_of) -> list:
    """``n`` of ``people`` (all when None), stratified by ``field_of(person)``, in their list order."""
    if n is None or n >= len(people):
        return list(people)
    groups: dict[str, list] = defaultdict(list)
    for p in people:
        groups[vntext.clean(field_of(p)) or OTHER_FIELD].append(p)
    quota = _allocate({f: len(g) for f, g in groups.items()}, n)
    chosen = []
    for f in sorted(groups, key=vntext.collation_key):
        chosen.extend(rng.sample(groups[f], quota[f]))
    order = {id(p): i for i, p in enumerate(people)}
    return sorted(chosen, key=lambda p: order[id(p)])


def draw(settings: Settings, lists: dict[str, tuple[list[Problem], RespondentList | None, int]],
         per_unit: int | None, seed: int) -> SampleResult:
    """The sample from each unit's latest list: ``lists`` maps a unit code to (the list's problems, the list
    as read, its submission id).  Pure: the same lists and seed give the same sample."""
    result = SampleResult([], seed=seed, per_unit=per_unit)
    for unit in settings.units:
        found = lists.get(unit.code)
        if found is None:
            result.missing.append((unit.full_name, "chưa gửi danh sách"))
            continue
        problems, rl, submission_id = found
        errors = [p for p in problems if p.severity is Severity.ERROR]
        general = sorted({p.code for p in errors if not (p.location and p.location.row)})
        if rl is None or general:
            result.missing.append((unit.full_name, "danh sách chưa đạt (" + ", ".join(general or ["list.table_missing"])
                                   + "); cần xã gửi lại"))
            continue
        bad_rows = {p.location.row for p in errors if p.location and p.location.row}
        eligible = [r for r in rl.respondents if r.row not in bad_rows and r.name]
        if not eligible:
            result.missing.append((unit.full_name, "danh sách không còn người hợp lệ"))
            continue
        rng = random.Random(f"{seed}:{unit.code}")
        chosen = stratified(eligible, per_unit, rng, lambda r: r.field)
        result.sources[unit.code] = submission_id
        for i, r in enumerate(chosen, start=1):
            result.people.append(SampledPerson(f"{unit.code}-{i:02d}", unit.code, unit.full_name, r.name, r.address,
                                               r.phone, r.field, r.procedure))
    return result


def person_rows(result: SampleResult) -> list[dict]:
    """The sample as the ledger stores it."""
    return [{"form_code": p.form_code, "unit_code": p.unit_code, "submission_id": result.sources.get(p.unit_code),
             "name": p.name, "address": p.address, "phone": p.phone, "field": p.field, "procedure": p.procedure}
            for p in result.people]


def people_from_rows(rows: list[dict], settings: Settings) -> list[SampledPerson]:
    """The stored sample as the survey's people, with their units' names."""
    out = []
    for r in rows:
        unit = settings.units.by_code(r["unit_code"])
        out.append(SampledPerson(r["form_code"], r["unit_code"], unit.full_name if unit else r["unit_code"],
                                 r["name"], r["address"], r["phone"], r["field"], r["procedure"]))
    return out
