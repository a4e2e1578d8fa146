"""The appraisal table: one row per unit and scored criterion (self-score, the council's score and comment,
evidence), the survey points per unit, and the index computed from them.  Pure: the workbook that shows it
(openpyxl and XlsxWriter in ``automation.appraisal.workbook``, xlwings in ``automation.excel_button``) and the
ledger that feeds it are above this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from automation import vntext
from automation.config import Settings
from automation.scoring.framework import Framework
from automation.scoring.index import UnitInput, UnitResult, compute, rank_in_groups

# the two sheets of the appraisal workbook and their columns (the table's shape wherever it is shown)
THAM_DINH = "ThamDinh"
TONG_HOP = "TongHop"
TD_HEADERS = ("Mã đơn vị", "Đơn vị", "Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Điểm thẩm định",
              "Nhận xét", "Tài liệu kiểm chứng")
TH_HEADERS = ("Mã đơn vị", "Đơn vị", "Điểm tự chấm", "Điểm thẩm định", "Điểm điều tra XHH", "Tổng điểm",
              "Chỉ số (%)", "Xếp hạng", "Trạng thái")


def th_extras(settings: Settings) -> tuple[str, ...]:
    """The TongHop columns after ``TH_HEADERS`` that ``[ranking]`` asks for: the group, the band."""
    return (("Nhóm xếp hạng",) if settings.ranking.grouped else ()) + (("Xếp loại",) if settings.ranking.bands else ())


def th_extra_values(result: UnitResult, settings: Settings) -> list[str]:
    """The values of :func:`th_extras` for one unit ("Chưa xếp loại" below every band)."""
    return (([result.group] if settings.ranking.grouped else [])
            + ([result.band or "Chưa xếp loại"] if settings.ranking.bands else []))


def th_notes_column(settings: Settings) -> int:
    """The 0-based TongHop column of the button and the notes: one blank column after the table."""
    return len(TH_HEADERS) + 1 + len(th_extras(settings))


@dataclass
class Row:
    """One ThamDinh row: a unit and a scored criterion."""

    unit_code: str
    unit_name: str
    code: str
    content: str
    max_points: Decimal
    self_score: object = None  # Decimal, or text as typed (never lost)
    appraised: object = None  # Decimal, or text as typed
    comment: str = ""
    evidence: list[tuple[str, str]] = field(default_factory=list)  # (display name, path from outbox/)
    evidence_text: str = ""  # the commune's own reference


@dataclass
class Table:
    rows: list[Row]
    survey: dict[str, object]  # unit code -> survey points (Decimal or text as typed)
    results: list[UnitResult] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # Vietnamese notes on cells that are not numbers
    survey_notes: list[str] = field(default_factory=list)  # survey criteria without answers


def as_number(value) -> Decimal | None:
    """A score as staff or communes type it (1.5, "1,5", " 2 "); None when it is not a number."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, (int, float)):
        return Decimal(str(value))
    text = str(value).strip().replace(",", ".")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _key(v) -> str:
    return "" if v is None else vntext.clean(str(v))


def table_from_values(td: list[list], th: list[list], framework: Framework, settings: Settings) -> Table:
    """The table as the workbook holds it, from the two sheets' values (header rows included).

    Shared by ``cchc recompute`` (openpyxl) and the Excel button (xlwings), so both compute alike.
    """
    typed: dict[tuple[str, str], tuple] = {}
    for r in td[1:]:
        r = list(r) + [None] * (len(TD_HEADERS) - len(r))
        if _key(r[0]) and _key(r[2]):
            typed[(_key(r[0]), _key(r[2]))] = (r[5], r[6], _key(r[7]), r[8])
    survey = {}
    for r in th[1:]:
        r = list(r) + [None] * (len(TH_HEADERS) - len(r))
        if _key(r[0]) and r[4] not in (None, ""):
            survey[_key(r[0])] = r[4]
    rows = []
    for unit in settings.units:
        for c in framework.scored:
            own, council, comment, evidence = typed.get((unit.code, c.code), (None, None, "", None))
            rows.append(Row(unit.code, unit.full_name, c.code, c.content, c.max_points,
                            _number_or_text(own), _number_or_text(council), comment,
                            evidence_text=_key(evidence)))
    return Table(rows, {k: _number_or_text(v) for k, v in survey.items()})


def _number_or_text(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    n = as_number(v)
    return n if n is not None else vntext.clean(str(v))


def compute_table(table: Table, framework: Framework, settings: Settings) -> Table:
    inputs: dict[str, UnitInput] = {u.code: UnitInput(u.code, u.full_name) for u in settings.units}
    table.invalid = []
    for r in table.rows:
        u = inputs[r.unit_code]
        crit = framework.by_code.get(r.code)
        lo, hi = crit.range if crit is not None else (Decimal(0), r.max_points)
        for label, raw, target in (("tự chấm", r.self_score, u.self_scores), ("thẩm định", r.appraised, u.appraised)):
            n = raw if isinstance(raw, Decimal) else None
            if raw is not None and (n is None or n < lo or n > hi):
                table.invalid.append(f"{r.unit_name}, tiêu chí {r.code}: điểm {label} “{raw}” không hợp lệ "
                                     f"({lo} – {hi}), chưa được tính")
                n = None
            target[r.code] = n
        if r.self_score is not None:
            u.has_self_assessment = True
    for code, raw in table.survey.items():
        if code in inputs:
            if isinstance(raw, Decimal) and raw >= 0:
                inputs[code].survey = raw
            else:
                table.invalid.append(f"đơn vị {code}: điểm điều tra XHH “{raw}” không hợp lệ, chưa được tính")
    results = compute(framework, list(inputs.values()))
    group_of = {u.code: settings.ranking.group_of(u) for u in settings.units}
    table.results = rank_in_groups(results, settings.ranking, group_of)
    return table


def unit_rows(unit, framework: Framework, sa, evidence: dict, typed: dict) -> list[Row]:
    """One unit's rows: its self-assessment ``sa`` (or None), its evidence ((unit, criterion) -> links) and the
    council's input kept from ``typed`` ((unit, criterion) -> Row)."""
    rows = []
    for c in framework.scored:
        prev = typed.get((unit.code, c.code))
        line = sa.lines.get(c.code) if sa else None
        rows.append(Row(unit.code, unit.full_name, c.code, c.content, c.max_points,
                        self_score=line.self_score if line else None,
                        appraised=prev.appraised if prev else None, comment=prev.comment if prev else "",
                        evidence=evidence.get((unit.code, c.code), []),
                        evidence_text=line.evidence if line else ""))
    return rows


def council_typed(existing: Table | None) -> dict[tuple[str, str], Row]:
    """(unit, criterion) -> the row of ``existing`` that holds what the council typed there."""
    return {(r.unit_code, r.code): r for r in existing.rows} if existing else {}


def assemble_table(settings: Settings, rows_by_unit: dict[str, list[Row]], existing: Table | None,
                   surveys: dict | None) -> Table:
    """The table of every unit's rows, in the order of the settings, with the survey points kept from
    ``existing`` and those of ``surveys`` (unit code -> UnitSurvey) where answers were imported."""
    rows = [r for unit in settings.units for r in rows_by_unit.get(unit.code, [])]
    survey = dict(existing.survey) if existing else {}
    table = Table(rows, survey)
    if surveys:  # imported answers decide the survey points of the sampled units
        for code, us in surveys.items():
            survey[code] = us.points
            unit = settings.units.by_code(code)
            table.survey_notes.extend(f"{unit.full_name if unit else code}: {w}" for w in us.warnings)
    return table


def rebuild_table(settings: Settings, framework: Framework, own: dict, evidence: dict, existing: Table | None,
                  surveys: dict | None) -> Table:
    """The table from each unit's self-assessment (``own``: unit code -> SelfAssessment) and evidence
    (``evidence``: (unit, criterion) -> [(file name, link)]), the council's input kept from ``existing``, and
    the survey points of ``surveys`` (unit code -> UnitSurvey) where answers were imported."""
    typed = council_typed(existing)
    return assemble_table(settings, {u.code: unit_rows(u, framework, own.get(u.code), evidence, typed)
                                     for u in settings.units}, existing, surveys)
