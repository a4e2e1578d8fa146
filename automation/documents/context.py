"""The data each document template receives: plain dicts and lists of strings, formatted for readers.

Numbers take a decimal comma ("87,38"), dates are dd/mm/yyyy in the body and "ngày 05 tháng 01 năm 2022"
on the date line (day below 10 and months 1-2 with a leading 0, as NĐ 30/2020 requires), document numbers
below 10 a leading 0.  Every builder returns exactly :func:`supplied_variables` of its kind, so a template
checked against that set renders under ``StrictUndefined``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal

from automation.config import Settings
from automation.ledger import records as m
from automation.problems import UsageError
from automation.scoring.index import FINAL, PROVISIONAL, UnitResult

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
# index bands of the report's distribution (no official thresholds are known: plain 10-point bands)
BANDS = ((Decimal(90), None, "Từ 90% trở lên"), (Decimal(80), Decimal(90), "Từ 80% đến dưới 90%"),
         (Decimal(70), Decimal(80), "Từ 70% đến dưới 80%"), (None, Decimal(70), "Dưới 70%"))
# the rows of the report's process table: (kind, wording, is a unit without one missing something?)
PROCESS = ((m.RESPONDENT_LIST, "Danh sách tổ chức, cá nhân đã giao dịch TTHC", True),
           (m.WORKBOOK, "Biểu tự đánh giá, chấm điểm", True), (m.REPORT, "Báo cáo tự đánh giá", True),
           (m.EVIDENCE, "Tài liệu kiểm chứng bổ sung (nếu có)", False))
_ACCEPTED = (m.ARCHIVED, m.SUPERSEDED)
_CENT = Decimal("0.01")


def supplied_variables(kind: str) -> set[str]:
    """The top-level names the builder of ``kind`` supplies (for ``cchc templates check``)."""
    if kind not in VARIABLES:
        raise UsageError("usage.bad_argument", detail=f"không có loại văn bản “{kind}”")
    return set(VARIABLES[kind])


# --- formatting -----------------------------------------------------------------------------------

def day(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def long_date(d: dt.date) -> str:
    """"ngày 05 tháng 01 năm 2022", "ngày 20 tháng 10 năm 2021" (NĐ 30: leading 0 for days < 10, months 1-2)."""
    month = f"{d.month:02d}" if d.month < 3 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def points(value) -> str:
    """A score: "1,5", "12", "87,38"; text typed instead of a number is shown as typed; None is empty."""
    if value is None:
        return ""
    if not isinstance(value, (Decimal, int)):
        return str(value)
    text = f"{Decimal(value).quantize(_CENT, ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def percent(value: Decimal) -> str:
    """An index, always two decimals: "87,38", "90,00"."""
    return f"{Decimal(value).quantize(_CENT, ROUND_HALF_UP):f}".replace(".", ",")


def _number(settings: Settings, kind: str) -> str:
    n = settings.documents.numbers.get(kind, "").strip()
    return f"{int(n):02d}" if n.isdigit() else n


def _number_symbol(settings: Settings, kind: str) -> str:
    symbol = f"{SYMBOLS[kind]}-{settings.documents.body_abbreviation}"
    n = _number(settings, kind)
    return f"{n}/{symbol}" if n else f"{' ' * 6}/{symbol}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- the builders ---------------------------------------------------------------------------------

def common(settings: Settings, kind: str, *, draft: bool, today: dt.date) -> dict:
    """Header, signature and the names every template uses; the document is always dated ``today``."""
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
        "dia_danh_ngay": f"{a.place_name}, {long_date(today)}",
        "quyen_han": doc.authority_line.upper(),
        "chuc_vu": [line.strip().upper() for line in doc.signer_title.split("\n") if line.strip()],
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


def plan_context(settings: Settings, *, today: dt.date, draft: bool) -> dict:
    ctx = common(settings, "plan", draft=draft, today=today)
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


def _ranking(results: list[UnitResult]) -> list[dict]:
    return [{"stt": str(i), "don_vi": r.name, "tu_cham": points(r.self_total), "tham_dinh": points(r.appraised_total),
             "dtxhh": points(r.survey) if r.survey is not None else "-", "tong_diem": points(r.total),
             "chi_so": percent(r.index), "xep_hang": str(r.rank), "xep_loai": r.band or "Chưa xếp loại"}
            for i, r in enumerate(sorted(results, key=lambda r: r.rank), start=1)]


def _groups(settings: Settings, results: list[UnitResult]) -> list[dict]:
    """The ranking tables: one without a title for all units, or one per ``[ranking] groups``."""
    if not settings.ranking.grouped:
        return [{"ten": "", "so_don_vi": str(len(results)), "ket_qua": _ranking(results)}]
    out = []
    for g in settings.ranking.groups:
        members = [r for r in results if r.group == g.name]
        out.append({"ten": g.name, "so_don_vi": str(len(members)), "ket_qua": _ranking(members)})
    return out


def _distribution(settings: Settings, results: list[UnitResult]) -> tuple[str, list[dict]]:
    """The report's count per band: the configured bands, else plain 10-point bands of the index."""
    def row(label: str, n: int) -> dict:
        share = percent(Decimal(n) * 100 / len(results)) if results else "0,00"
        return {"muc": label, "so_don_vi": str(n), "ty_le": f"{share}%"}

    bands = settings.ranking.bands
    if not bands:
        return "Phân bố theo mức Chỉ số CCHC", [
            row(label, sum(1 for r in results if (low is None or r.index >= low) and (high is None or r.index < high)))
            for low, high, label in BANDS]
    rows = [row(f"{b.name} (từ {points(b.min)}% trở lên)", sum(1 for r in results if r.band == b.name)) for b in bands]
    unbanded = sum(1 for r in results if not r.band)
    if unbanded or bands[-1].min > 0:
        rows.append(row(f"Chưa xếp loại (dưới {points(bands[-1].min)}%)", unbanded))
    return "Xếp loại theo Chỉ số CCHC", rows


def _process(settings: Settings, submissions) -> tuple[list[dict], list[str]]:
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
                    issues[unit.code].append(f"chưa nộp {_lower_first(label)}")
            elif any(s.on_time is not False for s in got):
                on_time += 1
            else:
                late += 1
                first = min((s.received_at for s in got if s.received_at), default=None)
                when = f" (ngày {day(first)})" if first else ""
                issues[unit.code].append(f"nộp {_lower_first(label)} quá hạn{when}")
        rows.append({"noi_dung": label, "han": settings.deadlines[m.KIND_DEADLINES[kind]].wording(),
                     "dung_han": str(on_time), "qua_han": str(late), "chua_nop": str(missing) if required else "-"})
    lines = [f"{u.full_name}: {'; '.join(issues[u.code])}." for u in settings.units if issues[u.code]]
    return rows, lines


def _comparison(settings: Settings, results: list[UnitResult], previous) -> dict:
    """The table of this year beside last year (empty without an import), in the order of the ranking."""
    if not previous:
        return {"so_sanh": [], "nam_truoc": str(settings.year - 1)}
    from automation.scoring.previous import compare  # noqa: PLC0415

    by_code = compare(settings.units, results, previous)
    rows = []
    for g in _groups(settings, results):
        for r in sorted((x for x in results if not g["ten"] or x.group == g["ten"]), key=lambda x: x.rank):
            c = by_code[r.code]
            rows.append({"don_vi": r.name, "chi_so_truoc": c.index, "chi_so": percent(r.index),
                         "tang_giam": c.index_change, "hang_truoc": c.rank,
                         "xep_hang": f"{r.rank}" + (f" ({_lower_first(r.group)})" if r.group else ""),
                         "thay_doi_hang": c.rank_change})
    return {"so_sanh": rows, "nam_truoc": str(settings.year - 1)}


def report_context(settings: Settings, table, submissions, *, today: dt.date, draft: bool,
                   previous=None) -> dict:
    results = list(table.results)
    ctx = common(settings, "report", draft=draft, today=today)
    ctx.update(_deadlines(settings))
    process, late = _process(settings, list(submissions))
    stats = {"chi_so_tb": "-", "chi_so_cao_nhat": "-", "don_vi_cao_nhat": "-", "chi_so_thap_nhat": "-",
             "don_vi_thap_nhat": "-"}
    if results:
        top, bottom = max(r.index for r in results), min(r.index for r in results)
        stats = {"chi_so_tb": percent(sum((r.index for r in results), Decimal(0)) / len(results)),
                 "chi_so_cao_nhat": percent(top), "chi_so_thap_nhat": percent(bottom),
                 "don_vi_cao_nhat": ", ".join(r.name for r in results if r.index == top),
                 "don_vi_thap_nhat": ", ".join(r.name for r in results if r.index == bottom)}
    title, bands = _distribution(settings, results)
    ctx.update(stats)
    ctx.update({
        "ke_hoach": _plan_reference(settings),
        "qua_trinh": process,
        "ket_qua": _ranking(results),
        "so_don_vi": str(len(results)),
        "phan_bo": bands,
        "phan_bo_tieu_de": title,
        "nhom": _groups(settings, results),
        **_comparison(settings, results, previous),
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
        "ket_qua": _ranking(list(table.results)),
        "nhom": _groups(settings, list(table.results)),
        "co_xep_loai": bool(settings.ranking.bands),
        **_comparison(settings, list(table.results), previous),
    })
    return ctx
