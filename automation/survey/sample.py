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
from pathlib import Path

from automation import clock, vntext
from automation.config import Settings
from automation.ledger import records as m
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.problems import Severity
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


def draw_sample(settings: Settings, per_unit: int | None, seed: int) -> SampleResult:
    from automation.check import check_paths  # noqa: PLC0415

    with Ledger(settings.path(LEDGER_NAME)) as ledger:
        latest = ledger.latest_by_unit(m.RESPONDENT_LIST)
    paths = {code: settings.path(s.path) for code, s in latest.items()}
    reports = dict(zip(paths, check_paths(list(paths.values()), settings,
                                          hints={paths[c]: settings.units.by_code(c) for c in paths})))
    result = SampleResult([], seed=seed, per_unit=per_unit)
    for unit in settings.units:
        rep = reports.get(unit.code)
        if rep is None:
            result.missing.append((unit.full_name, "chưa gửi danh sách"))
            continue
        errors = [p for p in rep.problems if p.severity is Severity.ERROR]
        general = sorted({p.code for p in errors if not (p.location and p.location.row)})
        if rep.respondent_list is None or general:
            result.missing.append((unit.full_name, "danh sách chưa đạt (" + ", ".join(general or ["list.table_missing"])
                                   + "); cần xã gửi lại"))
            continue
        bad_rows = {p.location.row for p in errors if p.location and p.location.row}
        eligible = [r for r in rep.respondent_list.respondents if r.row not in bad_rows and r.name]
        if not eligible:
            result.missing.append((unit.full_name, "danh sách không còn người hợp lệ"))
            continue
        rng = random.Random(f"{seed}:{unit.code}")
        chosen = stratified(eligible, per_unit, rng, lambda r: r.field)
        result.sources[unit.code] = latest[unit.code].id
        for i, r in enumerate(chosen, start=1):
            result.people.append(SampledPerson(f"{unit.code}-{i:02d}", unit.code, unit.full_name, r.name, r.address,
                                               r.phone, r.field, r.procedure))
    return result


def save_sample(settings: Settings, result: SampleResult) -> int:
    """Record the sample (and its seed) in the ledger, replacing the earlier one and its answers."""
    with Ledger(settings.path(LEDGER_NAME)) as ledger, ledger.transaction() as db:
        db.execute("DELETE FROM survey_answers")
        db.execute("DELETE FROM survey_forms")
        db.execute("DELETE FROM survey_people")
        cur = db.execute("INSERT INTO survey_samples (created_at, seed, per_unit, detail) VALUES (?, ?, ?, ?)",
                         (clock.now().isoformat(timespec="seconds"), result.seed, result.per_unit,
                          "; ".join(f"{u}: {why}" for u, why in result.missing)))
        sample_id = cur.lastrowid
        db.executemany(
            "INSERT INTO survey_people (form_code, sample_id, unit_code, submission_id, name, address, phone, field, "
            "procedure) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(p.form_code, sample_id, p.unit_code, result.sources.get(p.unit_code), p.name, p.address, p.phone,
              p.field, p.procedure) for p in result.people])
    return sample_id


def has_answers(settings: Settings) -> bool:
    path = settings.path(LEDGER_NAME)
    if not Path(path).exists():
        return False
    with Ledger(path) as ledger:
        return ledger.db.execute("SELECT COUNT(*) FROM survey_forms").fetchone()[0] > 0


def load_people(ledger: Ledger, settings: Settings) -> list[SampledPerson]:
    rows = ledger.db.execute("SELECT * FROM survey_people ORDER BY form_code").fetchall()
    out = []
    for r in rows:
        unit = settings.units.by_code(r["unit_code"])
        out.append(SampledPerson(r["form_code"], r["unit_code"], unit.full_name if unit else r["unit_code"],
                                 r["name"], r["address"], r["phone"], r["field"], r["procedure"]))
    return out


def current_seed(ledger: Ledger) -> int | None:
    row = ledger.db.execute("SELECT seed FROM survey_samples ORDER BY id DESC LIMIT 1").fetchone()
    return row[0] if row else None
