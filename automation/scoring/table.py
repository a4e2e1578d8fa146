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
              "Nhận xét", "Tài liệu kiểm chứng", "Điểm sau giải trình", "Lý do điều chỉnh")
# the council's columns (0-based): the first appraisal, its comment; after the explanation round, the revised
# score and the reason for it
TD_APPRAISED, TD_COMMENT, TD_REVISED, TD_REASON = 6, 7, 9, 10
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
    revised: object = None  # the council's score after the explanation round (Decimal, or text as typed)
    reason: str = ""  # why the council revised it

    @property
    def council(self) -> tuple:
        """What the council typed on this row, as the explanation round compares it."""
        return (self.appraised, self.revised, self.reason)


@dataclass(frozen=True)
class Revision:
    """A criterion whose score the council revised after the explanation round, as it counts."""

    first: Decimal | None
    revised: Decimal
    reason: str


@dataclass
class Table:
    rows: list[Row]
    survey: dict[str, object]  # unit code -> survey points (Decimal or text as typed)
    results: list[UnitResult] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # Vietnamese notes on cells that are not numbers
    survey_notes: list[str] = field(default_factory=list)  # survey criteria without answers
    # (unit, criterion) -> (appraised, revised, reason) counted in place of what the row holds: a change made
    # after the explanation deadline without a new reason (automation.scoring.revision)
    held: dict[tuple[str, str], tuple] = field(default_factory=dict)
    held_notes: list[str] = field(default_factory=list)
    revisions: dict[tuple[str, str], Revision] = field(default_factory=dict)  # the revisions that count

    @property
    def notes(self) -> list[str]:
        """Everything the recompute could not count as typed, for TongHop's notes."""
        return self.invalid + self.held_notes + self.survey_notes


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
            typed[(_key(r[0]), _key(r[2]))] = (r[5], r[TD_APPRAISED], _key(r[TD_COMMENT]), r[8], r[TD_REVISED],
                                               _key(r[TD_REASON]))
    survey = {}
    for r in th[1:]:
        r = list(r) + [None] * (len(TH_HEADERS) - len(r))
        if _key(r[0]) and r[4] not in (None, ""):
            survey[_key(r[0])] = r[4]
    rows = []
    for unit in settings.units:
        for c in framework.scored:
            own, council, comment, evidence, revised, reason = typed.get((unit.code, c.code),
                                                                         (None, None, "", None, None, ""))
            rows.append(Row(unit.code, unit.full_name, c.code, c.content, c.max_points,
                            _number_or_text(own), _number_or_text(council), comment,
                            evidence_text=_key(evidence), revised=_number_or_text(revised), reason=reason))
    return Table(rows, {k: _number_or_text(v) for k, v in survey.items()})


def _number_or_text(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    n = as_number(v)
    return n if n is not None else vntext.clean(str(v))


def _valid(raw, lo: Decimal, hi: Decimal, what: str, r: Row, notes: list[str]) -> Decimal | None:
    """``raw`` as a score in the criterion's range, else None with a note saying why it is not counted."""
    n = raw if isinstance(raw, Decimal) else None
    if raw is not None and (n is None or n < lo or n > hi):
        notes.append(f"{r.unit_name}, tiêu chí {r.code}: {what} “{raw}” không hợp lệ ({lo} – {hi}), chưa được tính")
        return None
    return n


def compute_table(table: Table, framework: Framework, settings: Settings) -> Table:
    """The index of every unit from the table's scores.  The council's score that counts is the revised one
    (column “Điểm sau giải trình”) when it has its reason, else the first appraisal; a change the explanation
    round holds back (``table.held``) counts as it was recorded."""
    inputs: dict[str, UnitInput] = {u.code: UnitInput(u.code, u.full_name) for u in settings.units}
    table.invalid, table.revisions = [], {}
    for r in table.rows:
        u = inputs[r.unit_code]
        crit = framework.by_code.get(r.code)
        lo, hi = crit.range if crit is not None else (Decimal(0), r.max_points)
        u.self_scores[r.code] = _valid(r.self_score, lo, hi, "điểm tự chấm", r, table.invalid)
        appraised, revised, reason = table.held.get((r.unit_code, r.code), r.council)
        first = _valid(appraised, lo, hi, "điểm thẩm định", r, table.invalid)
        second = _valid(revised, lo, hi, "điểm sau giải trình", r, table.invalid)
        if second is not None and not reason:
            table.invalid.append(f"{r.unit_name}, tiêu chí {r.code}: điểm sau giải trình “{revised}” chưa có lý do "
                                 "điều chỉnh, chưa được tính (vẫn tính điểm thẩm định)")
            second = None
        if second is not None:
            table.revisions[(r.unit_code, r.code)] = Revision(first, second, reason)
        u.appraised[r.code] = second if second is not None else first
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
                        evidence_text=line.evidence if line else "",
                        revised=prev.revised if prev else None, reason=prev.reason if prev else ""))
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
