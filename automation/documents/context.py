"""The data each document template receives: plain dicts and lists of strings, formatted for readers.

Scores and indexes take a decimal comma and ``[documents] decimals`` decimals ("87,60", "1,50";
:func:`automation.vntext.number`), dates are dd/mm/yyyy in the body and "ngày 05 tháng 01 năm 2022"
on the date line (day below 10 and months 1-2 with a leading 0, as NĐ 30/2020 requires), document numbers
below 10 a leading 0.  A document is dated the day given (the day it was first drafted, see
:mod:`automation.documents.generate`); the plan by ``[documents] plan_date`` or, without it, blank for the
registry to fill ("ngày     tháng     năm 2021").  Every builder returns exactly :func:`supplied_variables`
of its kind, so a template checked against that set renders under ``StrictUndefined``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from automation.config import Settings
from automation.documents import tables
from automation.documents.tables import day, lower_first as _lower_first
from automation.problems import UsageError
from automation.scoring.index import FINAL, PROVISIONAL, UnitResult
from automation.vntext import DECIMALS, number

TEMPLATES = {"plan": "ke-hoach.docx", "notice": "thong-bao.docx", "report": "bao-cao.docx",
             "decision": "quyet-dinh.docx"}
SYMBOLS = {"plan": "KH", "notice": "TB", "report": "BC", "decision": "QĐ"}  # NĐ 30, Phụ lục III, Mục I

COMMON_VARIABLES = frozenset({
    "du_thao", "co_quan_chu_quan", "co_quan_ban_hanh", "so_ky_hieu", "dia_danh_ngay", "quyen_han", "chuc_vu",
    "nguoi_ky", "noi_nhan", "luu", "nam", "co_quan", "cap", "dia_ban", "thuong_truc", "loai_don_vi"})
VARIABLES = {
    "plan": COMMON_VARIABLES | {"co_quan_day_du", "thuong_truc_thuong", "qd_tieu_chi", "qd_tieu_chi_so",
                                "qd_tieu_chi_rut_gon", "ngay", "han", "so_nguoi", "ds_tu_ngay", "ds_den_ngay",
                                "cong_bo"},
    "notice": COMMON_VARIABLES | {"don_vi", "ke_hoach", "tieu_chi", "cong_toi_da", "cong_tu_cham",
                                  "cong_tham_dinh", "diem_dtxhh", "tong_diem", "chi_so", "xep_hang", "so_don_vi",
                                  "trang_thai", "chinh_thuc", "nhom_don_vi", "xep_loai_cau", "dieu_chinh"},
    "report": COMMON_VARIABLES | {"ke_hoach", "ngay", "han", "qua_trinh", "ket_qua", "so_don_vi", "chi_so_tb",
                                  "chi_so_cao_nhat", "don_vi_cao_nhat", "chi_so_thap_nhat", "don_vi_thap_nhat",
                                  "phan_bo", "nop_muon", "chua_chinh_thuc", "cong_bo", "nhom", "phan_bo_tieu_de",
                                  "so_sanh", "nam_truoc"},
    "decision": COMMON_VARIABLES | {"tham_quyen", "can_cu", "de_nghi", "kem_theo", "ket_qua", "nhom", "co_xep_loai",
                                    "so_sanh", "nam_truoc"},
}
# supplied for templates made before [ranking] groups (a workspace's own copies), the shipped ones use "nhom"
LEGACY_VARIABLES = {"report": {"ket_qua"}, "decision": {"ket_qua"}}
def supplied_variables(kind: str) -> set[str]:
    """The top-level names the builder of ``kind`` supplies (for ``cchc templates check``)."""
    if kind not in VARIABLES:
        raise UsageError("usage.bad_argument", detail=f"không có loại văn bản “{kind}”")
    return set(VARIABLES[kind])


# --- formatting -----------------------------------------------------------------------------------

def long_date(d: dt.date) -> str:
    """"ngày 05 tháng 01 năm 2022", "ngày 20 tháng 10 năm 2021" (NĐ 30: leading 0 for days < 10, months 1-2)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def points(value, decimals: int = DECIMALS) -> str:
    """A score: "1,50", "12,00", "87,38"; text typed instead of a number is shown as typed; None is empty."""
    return number(value, decimals)


def percent(value: Decimal, decimals: int = DECIMALS) -> str:
    """An index, in the same style: "87,38", "90,00"."""
    return number(value, decimals)


def blank_date(year: int) -> str:
    """The date line left for the registry to fill in by hand: "ngày     tháng     năm 2021"."""
    return f"ngày {' ' * 5}tháng {' ' * 5}năm {year}"


def _number(settings: Settings, kind: str) -> str:
    n = settings.documents.numbers.get(kind, "").strip()
    return f"{int(n):02d}" if n.isdigit() else n


def _number_symbol(settings: Settings, kind: str) -> str:
    symbol = f"{SYMBOLS[kind]}-{settings.documents.body_abbreviation}"
    n = _number(settings, kind)
    return f"{n}/{symbol}" if n else f"{' ' * 6}/{symbol}"


# --- the builders ---------------------------------------------------------------------------------

def title_lines(title: str) -> list[str]:
    """A signer's title as the signature prints it: "KT. Chủ tịch\nPhó Chủ tịch" -> ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]."""
    return [line.strip().upper() for line in title.split("\n") if line.strip()]


def common(settings: Settings, kind: str, *, draft: bool, today: dt.date | None) -> dict:
    """Header, signature and the names every template uses; the document is dated ``today`` (the day it was
    first drafted), or left blank for the registry when None."""
    a, doc = settings.authority, settings.documents
    short = a.short_name  # "UBND huyện"
    level = short.split(" ", 1)[1] if short.upper().startswith("UBND ") else short  # "huyện"
    issuing = a.issuing_body  # "Ủy ban nhân dân huyện Vĩnh Tường"
    area = re.sub(r"^(ủy|uỷ) ban nhân dân\s+", "", issuing, flags=re.IGNORECASE)  # "huyện Vĩnh Tường"
    return {
        "du_thao": bool(draft),
        "co_quan_chu_quan": a.parent_body.upper(),
        "co_quan_ban_hanh": issuing.upper(),
        "so_ky_hieu": f"Số: {_number_symbol(settings, kind)}",
        "dia_danh_ngay": f"{a.place_name}, {long_date(today) if today else blank_date(settings.year)}",
        "quyen_han": doc.authority_line.upper(),
        "chuc_vu": title_lines(doc.signer_title),
        "nguoi_ky": doc.signer_name,
        "noi_nhan": [x.strip().lstrip("-").strip().rstrip(";.").strip() for x in doc.recipients.get(kind, ())
                     if x.strip().lstrip("-").strip()],
        "luu": doc.office_abbreviation,
        "nam": str(settings.year),
        "co_quan": short,
        "cap": level,
        "dia_ban": area,
        "thuong_truc": a.standing_office,
        "loai_don_vi": kinds_wording(settings),
    }


_KIND_ORDER = ("xa", "phuong", "thi_tran", "dac_khu")


def kinds_wording(settings: Settings) -> str:
    """The kinds of unit appraised, as the documents name them: "xã, thị trấn", "xã, phường, đặc khu"."""
    from automation.units import KINDS  # noqa: PLC0415

    present = {u.kind for u in settings.units}
    if present <= {"xa", "thi_tran"}:  # a district's communes and towns, as the plans always wrote it
        return "xã, thị trấn"
    return ", ".join(KINDS[k].lower() for k in _KIND_ORDER if k in present)


def _deadlines(settings: Settings) -> dict:
    return {"ngay": {k: day(d.date) for k, d in settings.deadlines.items()},
            "han": {k: d.wording() for k, d in settings.deadlines.items()}}


def _publication(settings: Settings) -> str:
    return settings.documents.publication or settings.deadlines["decision"].wording()


def _plan_reference(settings: Settings) -> str:
    n = _number(settings, "plan")
    return f"Kế hoạch số {n}/KH-{settings.documents.body_abbreviation}" if n else "Kế hoạch"


def plan_context(settings: Settings, *, today: dt.date | None = None, draft: bool) -> dict:
    """The plan is dated ``[documents] plan_date``, else left blank (``today`` is not its date: a plan is
    dated when the registry issues it, before its own deadlines)."""
    del today
    ctx = common(settings, "plan", draft=draft, today=settings.documents.plan_date)
    criteria = settings.documents.criteria_decision
    rules = settings.list_rules
    ctx.update(_deadlines(settings))
    ctx.update({
        "co_quan_day_du": re.sub(r"^UBND\b", "Ủy ban nhân dân", ctx["co_quan"]),
        "thuong_truc_thuong": _lower_first(ctx["thuong_truc"]),
        "qd_tieu_chi": criteria,  # in full, at its first mention
        "qd_tieu_chi_so": criteria.split(" về việc ", 1)[0],  # "Quyết định số 2757/QĐ-UBND ngày ... của UBND tỉnh"
        "qd_tieu_chi_rut_gon": re.sub(r"Chỉ số cải cách hành chính \(Chỉ số CCHC\)", "chỉ số CCHC", criteria),
        "so_nguoi": str(rules.size),
        "ds_tu_ngay": day(rules.window_start),
        "ds_den_ngay": day(rules.window_end),
        "cong_bo": _publication(settings),
    })
    return ctx


_BY_UNIT: list = [None, {}, {}]  # [table, {unit: UnitResult}, {unit: [Row]}]: one index per table, not a scan per unit


def _index(table) -> tuple[dict, dict]:
    if _BY_UNIT[0] is not table:
        rows: dict[str, list] = {}
        for r in table.rows:
            rows.setdefault(r.unit_code, []).append(r)
        _BY_UNIT[:] = [table, {r.code: r for r in table.results}, rows]
    return _BY_UNIT[1], _BY_UNIT[2]


def _result(table, unit_code: str) -> UnitResult:
    result = _index(table)[0].get(unit_code)
    if result is None:
        raise UsageError("usage.bad_argument", detail=f"không có kết quả của đơn vị mã {unit_code}")
    return result


def _status(r: UnitResult) -> str:
    if r.status == PROVISIONAL:
        return (f"{PROVISIONAL}: đã thẩm định {r.appraised_count}/{r.criteria_count} tiêu chí, tiêu chí chưa thẩm "
                "định tính theo điểm tự chấm")
    return r.status


def notice_context(settings: Settings, table, unit_code: str, *, today: dt.date, draft: bool) -> dict:
    result = _result(table, unit_code)
    unit = settings.units.by_code(unit_code)
    rows = _index(table)[1].get(unit_code, [])
    revised = {code: rev for (u, code), rev in table.revisions.items() if u == unit_code}
    ctx = common(settings, "notice", draft=draft, today=today)

    def points(value) -> str:
        return number(value, settings.documents.decimals)

    percent = points
    ctx.update({
        "don_vi": f"{unit.type.lower()} {unit.name}" if unit else result.name,
        "ke_hoach": _plan_reference(settings),
        "tieu_chi": [{"ma": r.code, "noi_dung": r.content, "toi_da": points(r.max_points),
                      "tu_cham": points(r.self_score),
                      "tham_dinh": points(revised[r.code].revised if r.code in revised else r.appraised),
                      "nhan_xet": r.comment or ""}
                     for r in rows],
        # the explanation round: both scores of every criterion the council revised
        "dieu_chinh": [{"ma": r.code, "noi_dung": r.content, "lan_dau": points(revised[r.code].first),
                        "sau_giai_trinh": points(revised[r.code].revised), "ly_do": revised[r.code].reason}
                       for r in rows if r.code in revised],
        "cong_toi_da": points(sum((r.max_points for r in rows), Decimal(0))),
        "cong_tu_cham": points(result.self_total),
        "cong_tham_dinh": points(result.appraised_total),
        "diem_dtxhh": f"{points(result.survey)} điểm" if result.survey is not None else "chưa có",
        "tong_diem": points(result.total),
        "chi_so": percent(result.index),
        "xep_hang": str(result.rank),
        "so_don_vi": str(result.group_size or len(table.results)),
        "trang_thai": _status(result),
        "chinh_thuc": result.status == FINAL,
        "nhom_don_vi": _lower_first(result.group) if result.group else ctx["loai_don_vi"],
        "xep_loai_cau": (f"; xếp loại {_lower_first(result.band)}" if result.band else "; chưa xếp loại")
                        if settings.ranking.bands else "",
    })
    return ctx


def report_context(settings: Settings, table, submissions, *, today: dt.date, draft: bool,
                   previous=None) -> dict:
    results = list(table.results)
    ctx = common(settings, "report", draft=draft, today=today)
    ctx.update(_deadlines(settings))
    process, late = tables.process(settings, list(submissions))

    def percent(value) -> str:
        return number(value, settings.documents.decimals)

    stats = {"chi_so_tb": "-", "chi_so_cao_nhat": "-", "don_vi_cao_nhat": "-", "chi_so_thap_nhat": "-",
             "don_vi_thap_nhat": "-"}
    if results:
        top, bottom = max(r.index for r in results), min(r.index for r in results)
        stats = {"chi_so_tb": percent(sum((r.index for r in results), Decimal(0)) / len(results)),
                 "chi_so_cao_nhat": percent(top), "chi_so_thap_nhat": percent(bottom),
                 "don_vi_cao_nhat": ", ".join(r.name for r in results if r.index == top),
                 "don_vi_thap_nhat": ", ".join(r.name for r in results if r.index == bottom)}
    title, bands = tables.distribution(settings, results)
    ctx.update(stats)
    ctx.update({
        "ke_hoach": _plan_reference(settings),
        "qua_trinh": process,
        "ket_qua": tables.ranking(results, settings.documents.decimals),
        "so_don_vi": str(len(results)),
        "phan_bo": bands,
        "phan_bo_tieu_de": title,
        "nhom": tables.groups(settings, results),
        **tables.comparison(settings, results, previous),
        "nop_muon": late,
        "chua_chinh_thuc": [f"{r.name}: {_status(r)}." for r in results if r.status != FINAL],
        "cong_bo": _publication(settings),
    })
    return ctx


def _proposer(office: str) -> str:
    """Who proposes the decision: the head of the standing office."""
    if office.lower().startswith("phòng "):
        return f"Trưởng {_lower_first(office)}"
    if office.lower().startswith("sở "):
        return f"Giám đốc {office}"
    return f"Thủ trưởng {office}"


def _bases(settings: Settings, today: dt.date, area: str) -> list[str]:
    """The decision's "Căn cứ" lines: ``[documents] legal_basis`` when configured, else the local-government law
    in force on ``today`` and the criteria decision; then the plan, always."""
    lines = list(settings.documents.legal_basis)
    if not lines:
        if today >= dt.date(2025, 7, 1):
            lines.append("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;")
        else:
            lines.append("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung "
                         "một số điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng "
                         "11 năm 2019;")
        if settings.documents.criteria_decision:
            lines.append(f"Căn cứ {settings.documents.criteria_decision};")
    lines.append(f"Căn cứ {_plan_reference(settings)} của {settings.authority.short_name} về xác định Chỉ số cải "
                 f"cách hành chính năm {settings.year} của các {kinds_wording(settings)} trên địa bàn {area};")
    return lines


def decision_context(settings: Settings, table, *, today: dt.date, draft: bool, previous=None) -> dict:
    ctx = common(settings, "decision", draft=draft, today=today)
    issuing = settings.authority.issuing_body
    ctx.update({
        "quyen_han": "",  # the Chairman decides: no "TM. ỦY BAN NHÂN DÂN" line (NĐ 30, Mẫu 1.2)
        "tham_quyen": f"CHỦ TỊCH {issuing.upper()}",
        "can_cu": _bases(settings, today, ctx["dia_ban"]),
        "de_nghi": _proposer(settings.authority.standing_office),
        "kem_theo": (f"Kèm theo Quyết định số {_number_symbol(settings, 'decision')} {long_date(today)} "
                     f"của Chủ tịch {issuing}"),
        "ket_qua": tables.ranking(list(table.results), settings.documents.decimals),
        "nhom": tables.groups(settings, list(table.results)),  # each table with its status column and note
        "co_xep_loai": bool(settings.ranking.bands),
        **tables.comparison(settings, list(table.results), previous),
    })
    return ctx
