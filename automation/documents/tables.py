"""The tables of the report and the decision's annex, as rows of strings: the ranking (one table per ranking
group, each with the status of every result and a note naming the results that are not final), the count per
band, the process of the year and the comparison with last year.  Numbers go through
:func:`automation.vntext.number` with ``[documents] decimals``."""

from __future__ import annotations

from decimal import Decimal

from automation.config import Settings
from automation.ledger import records as m
from automation.scoring.framework import show_points
from automation.scoring.index import FINAL, UnitResult
from automation.vntext import number

# index bands of the report's distribution (no official thresholds are known: plain 10-point bands)
BANDS = ((Decimal(90), None, "Từ 90% trở lên"), (Decimal(80), Decimal(90), "Từ 80% đến dưới 90%"),
         (Decimal(70), Decimal(80), "Từ 70% đến dưới 80%"), (None, Decimal(70), "Dưới 70%"))
# the rows of the report's process table: (kind, wording, is a unit without one missing something?)
PROCESS = ((m.RESPONDENT_LIST, "Danh sách tổ chức, cá nhân đã giao dịch TTHC", True),
           (m.WORKBOOK, "Biểu tự đánh giá, chấm điểm", True), (m.REPORT, "Báo cáo tự đánh giá", True),
           (m.EVIDENCE, "Tài liệu kiểm chứng bổ sung (nếu có)", False))
_ACCEPTED = (m.ARCHIVED, m.SUPERSEDED)


def day(d) -> str:
    return d.strftime("%d/%m/%Y")


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def by_rank(results: list[UnitResult]) -> list[UnitResult]:
    return sorted(results, key=lambda r: r.rank)


def not_final(results: list[UnitResult]) -> list[str]:
    """The results that are not final, in the order of the ranking: "Xã Kim Xá (Tạm tính)"."""
    return [f"{r.name} ({r.status})" for r in by_rank(results) if r.status != FINAL]


def not_final_note(results: list[UnitResult]) -> str:
    """The note under an annex table: which results are not final yet ("" when all are)."""
    by_status: dict[str, list[str]] = {}
    for r in by_rank(results):
        if r.status != FINAL:
            by_status.setdefault(r.status, []).append(r.name)
    if not by_status:
        return ""
    held = sum(len(names) for names in by_status.values())
    parts = "; ".join(f"{status} ({len(names)} đơn vị): {', '.join(names)}" for status, names in by_status.items())
    return (f"Kết quả của {held}/{len(results)} đơn vị chưa chính thức. {parts}. Chỉ số và thứ hạng của các đơn vị "
            "này có thể thay đổi khi có đủ kết quả thẩm định và điều tra xã hội học.")


def ranking(results: list[UnitResult], decimals: int) -> list[dict]:
    def n(v):
        return number(v, decimals)

    return [{"stt": str(i), "don_vi": r.name, "tu_cham": n(r.self_total), "tham_dinh": n(r.appraised_total),
             "dtxhh": n(r.survey) if r.survey is not None else "-", "tong_diem": n(r.total),
             "chi_so": n(r.index), "xep_hang": str(r.rank), "xep_loai": r.band or "Chưa xếp loại",
             "trang_thai": r.status}
            for i, r in enumerate(by_rank(results), start=1)]


def _parts(settings: Settings, results: list[UnitResult]) -> list[tuple[str, list[UnitResult]]]:
    """(group name, its results): ("", all) when units are ranked together, else one per ``[ranking] groups``."""
    if not settings.ranking.grouped:
        return [("", results)]
    return [(g.name, [r for r in results if r.group == g.name]) for g in settings.ranking.groups]


def groups(settings: Settings, results: list[UnitResult]) -> list[dict]:
    """The ranking tables: one without a title for all units, or one per ``[ranking] groups``; each with the
    note on its results that are not final (``ghi_chu``, "" when all are)."""
    decimals = settings.documents.decimals
    return [{"ten": name, "so_don_vi": str(len(members)), "ket_qua": ranking(members, decimals),
             "ghi_chu": not_final_note(members)} for name, members in _parts(settings, results)]


def distribution(settings: Settings, results: list[UnitResult]) -> tuple[str, list[dict]]:
    """The report's count per band: the configured bands, else plain 10-point bands of the index."""
    decimals = settings.documents.decimals

    def row(label: str, n: int) -> dict:
        share = number(Decimal(n) * 100 / len(results) if results else 0, decimals)
        return {"muc": label, "so_don_vi": str(n), "ty_le": f"{share}%"}

    bands = settings.ranking.bands
    if not bands:
        return "Phân bố theo mức Chỉ số CCHC", [
            row(label, sum(1 for r in results if (low is None or r.index >= low) and (high is None or r.index < high)))
            for low, high, label in BANDS]
    # a threshold is a rule, written as configured ("từ 90%", like "Dưới 70%" above), not a result
    rows = [row(f"{b.name} (từ {show_points(b.min)}% trở lên)", sum(1 for r in results if r.band == b.name))
            for b in bands]
    unbanded = sum(1 for r in results if not r.band)
    if unbanded or bands[-1].min > 0:
        rows.append(row(f"Chưa xếp loại (dưới {show_points(bands[-1].min)}%)", unbanded))
    return "Xếp loại theo Chỉ số CCHC", rows


def process(settings: Settings, submissions) -> tuple[list[dict], list[str]]:
    """The process table (one row per kind with a deadline) and the late or missing units."""
    rows, issues = [], {u.code: [] for u in settings.units}
    accepted: dict[tuple[str, str], list] = {}
    for s in submissions:
        if s.status in _ACCEPTED:
            accepted.setdefault((s.unit_code, s.kind), []).append(s)
    for kind, label, required in PROCESS:
        on_time = late = missing = 0
        for unit in settings.units:
            got = accepted.get((unit.code, kind), [])
            if not got:
                missing += 1
                if required:
                    issues[unit.code].append(f"chưa nộp {lower_first(label)}")
            elif any(s.on_time is not False for s in got):
                on_time += 1
            else:
                late += 1
                first = min((s.received_at for s in got if s.received_at), default=None)
                when = f" (ngày {day(first)})" if first else ""
                issues[unit.code].append(f"nộp {lower_first(label)} quá hạn{when}")
        rows.append({"noi_dung": label, "han": settings.deadlines[m.KIND_DEADLINES[kind]].wording(),
                     "dung_han": str(on_time), "qua_han": str(late), "chua_nop": str(missing) if required else "-"})
    lines = [f"{u.full_name}: {'; '.join(issues[u.code])}." for u in settings.units if issues[u.code]]
    return rows, lines


def comparison(settings: Settings, results: list[UnitResult], previous) -> dict:
    """The table of this year beside last year (empty without an import), in the order of the ranking."""
    if not previous:
        return {"so_sanh": [], "nam_truoc": str(settings.year - 1)}
    from automation.scoring.previous import compare  # noqa: PLC0415

    decimals = settings.documents.decimals
    by_code = compare(settings.units, results, previous, decimals)
    rows = []
    for _name, members in _parts(settings, results):
        for r in by_rank(members):
            c = by_code[r.code]
            rows.append({"don_vi": r.name, "chi_so_truoc": c.index, "chi_so": number(r.index, decimals),
                         "tang_giam": c.index_change, "hang_truoc": c.rank,
                         "xep_hang": f"{r.rank}" + (f" ({lower_first(r.group)})" if r.group else ""),
                         "thay_doi_hang": c.rank_change})
    return {"so_sanh": rows, "nam_truoc": str(settings.year - 1)}
