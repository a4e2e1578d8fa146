"""The plan's rules for a respondent list (section II.3), each a stable problem code with a location."""

from __future__ import annotations

import re
from collections import Counter

from automation import vntext
from automation.config import Settings
from automation.lists.columns import accepted_names
from automation.lists.model import AREA, ParsedDate, Respondent, RespondentList
from automation.lists.values import (is_vietnamese_phone, note_says_not_local, note_says_not_received, parse_date,
                                     says_not_received)
from automation.problems import Location, Problem, problem
from automation.units import Unit

_FMT = "%d/%m/%Y"

# "xã X", "thị trấn X", "huyện Y", "tỉnh Z" in an address; the name runs to the next separator or prefix
_PREFIX = re.compile(r"(?<!\w)(xã|thị trấn|tt\.?|phường|p\.|đặc khu|huyện|h\.|quận|thị xã|tx\.?|thành phố|tp\.?|"
                     r"tỉnh|t\.)"
                     r"(?=[\s.]|$)", re.IGNORECASE)
_SEPARATORS = re.compile(r"[,;\-–/()]")
_COMMUNE_LEVEL = ("xã", "thị trấn", "tt", "phường", "p", "đặc khu")
_DISTRICT_LEVEL = ("huyện", "h", "quận", "thị xã", "tx")
_PROVINCE_LEVEL = ("tỉnh", "t")
_CITY = ("thành phố", "tp")
# the centrally-run cities are provinces; any other "thành phố" was a district-level city (Vĩnh Yên, Việt Trì)
_PROVINCE_CITIES = frozenset(vntext.key(n) for n in ("Hà Nội", "Hồ Chí Minh", "Hải Phòng", "Đà Nẵng", "Cần Thơ",
                                                      "Huế", "Thừa Thiên Huế", "Sài Gòn"))


def _loc(rl: RespondentList, person: Respondent | None = None, column: str | None = None) -> Location:
    """A place in the list as the commune sees it: "danh sách, dòng STT 18 (Nguyễn Văn A), cột “Địa chỉ”"."""
    return Location(table=rl.table, row=person.row if person else None,
                    column=rl.title_of(column) if column else None, area=AREA,
                    stt=(person.stt or None) if person else None, person=(person.name or None) if person else None)


def _no_result_column(rl: RespondentList) -> Problem | None:
    if "appointment" in rl.columns:
        return None
    return problem("list.result_not_received", Location(table=rl.table, area=AREA, column="Ngày nhận kết quả"),
                   variant="no_column", headers=_quoted(rl.all_headers), accepted=accepted_names("received"))


def _quoted(texts: list[str]) -> str:
    return ", ".join(f"“{t}”" for t in texts) or "không có"


def _result_problems(rl: RespondentList, p: Respondent) -> tuple[list[Problem], ParsedDate | None]:
    """Whether ``p`` received the result (the plan's exclusion 1), and the result date when readable.

    Only an actual result date counts: an appointment ("Ngày hẹn trả") is a promise, and a note such as
    "chưa đến nhận" says the result was not received whatever the date cells hold.
    """
    out = []
    received = None
    if "received" in rl.columns:
        received = parse_date(p.received_text)
        if received.value is None and not received.text:
            out.append(problem("list.result_not_received", _loc(rl, p, "received")))
            received = None
        elif received.value is None and says_not_received(received.text):
            out.append(problem("list.result_not_received", _loc(rl, p, "received"), variant="note",
                               note=received.text))
            received = None
    elif "appointment" in rl.columns:
        out.append(problem("list.result_not_received", _loc(rl, p, "appointment"), variant="appointment",
                           column=rl.title_of("appointment")))
    if p.note and note_says_not_received(p.note) and not out:
        out.append(problem("list.result_not_received", _loc(rl, p, "note"), variant="note", note=p.note))
    return out, received


def check_list(rl: RespondentList, unit: Unit | None, settings: Settings) -> list[Problem]:
    rules = settings.list_rules
    out: list[Problem] = []
    people = rl.respondents
    if rl.too_long is not None:
        total, read = rl.too_long
        out.append(problem("list.too_long", _loc(rl), rows=total, read=read, expected=rules.size))
    elif len(people) != rules.size:
        out.append(problem("list.count", _loc(rl), found=len(people), expected=rules.size))

    start, end = rules.window_start, rules.window_end
    window = {"start": start.strftime(_FMT), "end": end.strftime(_FMT), "year": settings.year}
    seen: dict[tuple[str, str], Respondent] = {}
    if "received" not in rl.columns and (missing := _no_result_column(rl)):
        out.append(missing)
    for p in people:
        for col, label, value in (("name", "họ và tên", p.name), ("address", "địa chỉ", p.address),
                                  ("procedure", "tên thủ tục hành chính", p.procedure)):
            if not value:
                out.append(problem("list.missing_value", _loc(rl, p, col), what=label))

        submitted = parse_date(p.submitted_text) if "submitted" in rl.columns else None
        found, received = _result_problems(rl, p)
        out.extend(found)
        for col, parsed in (("submitted", submitted), ("received", received)):
            if parsed is None or not parsed.text:
                continue
            if parsed.value is None:
                out.append(problem("list.bad_date", _loc(rl, p, col), detail=parsed.error, **window))
            elif not start <= parsed.value <= end:
                out.append(problem("list.date_out_of_window", _loc(rl, p, col),
                                   value=parsed.value.strftime(_FMT), **window))
        if submitted and received and submitted.value and received.value and received.value < submitted.value:
            out.append(problem("list.bad_date", _loc(rl, p, "received"), **window,
                               detail=f"ngày nhận kết quả {received.text} trước ngày nộp hồ sơ {submitted.text}"))

        if p.address and unit is not None:
            reason = address_not_local(p.address, unit, settings)
            if reason:
                out.append(problem("list.address_not_local", _loc(rl, p, "address"),
                                   address=p.address, detail=reason))
            elif p.note and note_says_not_local(p.note):
                out.append(problem("list.address_not_local", _loc(rl, p, "note"), variant="note",
                                   address=p.address, note=p.note))

        if p.name:
            ident = (vntext.key(p.name), vntext.key(p.address) if p.address else vntext.key(p.phone))
            if ident in seen:
                first = seen[ident]
                other = f"dòng STT {first.stt}" if first.stt else f"dòng thứ {first.row}"
                out.append(problem("list.duplicate", _loc(rl, p, "name"), other=other, name=p.name))
            else:
                seen[ident] = p

        if p.phone and "phone" in rl.columns and not is_vietnamese_phone(p.phone):
            out.append(problem("list.bad_phone", _loc(rl, p, "phone"), value=p.phone))

    out.extend(_representativeness(rl, settings))
    return out


def _representativeness(rl: RespondentList, settings: Settings) -> list[Problem]:
    rules = settings.list_rules
    fields = Counter(vntext.key(p.field) for p in rl.respondents if p.field)
    names = {}
    for p in rl.respondents:
        if p.field:
            names.setdefault(vntext.key(p.field), p.field)
    total = sum(fields.values())
    if not rl.respondents:
        return []
    if not total:
        return [problem("list.fields_not_representative", _loc(rl, column="field"),
                        detail="danh sách không ghi lĩnh vực thủ tục hành chính")]
    reasons = []
    if len(fields) < rules.min_fields:
        reasons.append(f"chỉ có {len(fields)} lĩnh vực, cần ít nhất {rules.min_fields}")
    top, count = fields.most_common(1)[0]
    if count / total > rules.max_field_share:
        reasons.append(f"lĩnh vực “{names[top]}” chiếm {count}/{total} người "
                       f"(quá {round(rules.max_field_share * 100)}%)")
    if reasons:
        return [problem("list.fields_not_representative", _loc(rl, column="field"), detail="; ".join(reasons))]
    return []


def _level(prefix: str, name: str) -> str:
    p = prefix.lower().rstrip(".")
    if p in _CITY:
        return "province" if name in _PROVINCE_CITIES else "district"
    for level, group in (("commune", _COMMUNE_LEVEL), ("district", _DISTRICT_LEVEL), ("province", _PROVINCE_LEVEL)):
        if p in group:
            return level
    return ""


def _elsewhere(name: str, unit: Unit, settings: Settings) -> str | None:
    """Where the place ``name`` lies when that is not ``unit``: "Xã Vĩnh Hưng" (another unit, or a former unit
    merged into another one); "" when it is ``unit`` itself or one of its former units; None when no unit of the
    list is called so."""
    units = settings.units.designated(name)
    if not units:
        return None
    if any(u.code == unit.code for u in units):
        return ""
    other = units[0]
    return other.full_name if settings.units.former_of(other, name) is None else f"nay thuộc {other.full_name}"


def address_not_local(address: str, unit: Unit, settings: Settings) -> str:
    """Why ``address`` is outside ``unit`` (plan: exclusion 2), or "" when it is local.

    Since the 2025 reform there is no district level and a commune is often several former ones: an address
    is local when it names this unit, one of its former units ("xã Kim Xá, huyện Vĩnh Tường" for Xã Vĩnh An),
    or no unit at all.  It is not local when it names, after "xã/phường/thị trấn/đặc khu" or bare, another unit
    of the list or a former unit merged into another one; a province other than the configured one (or one of
    its former provinces; a bare name that is also the name of the province, of a former province or of a
    former district, ``[authority] former_districts``, is taken as that); or, while a district is configured (an appraisal by a district), a district other
    than it or, after a commune prefix, a name that is no unit of the district's complete list.  A district
    name alone (which no longer exists) is never a reason.
    """
    text = vntext.clean(address)
    a = settings.authority
    district = vntext.key(a.district) if a.district else ""
    provinces = {vntext.key(p) for p in (a.province, *a.former_provinces) if p}
    prefixes = list(_PREFIX.finditer(text))
    for i, m in enumerate(prefixes):
        stop = prefixes[i + 1].start() if i + 1 < len(prefixes) else len(text)
        raw = _SEPARATORS.split(text[m.end():stop], maxsplit=1)[0].strip(" .")
        name = vntext.key(raw)
        if not name:
            continue
        level, where = _level(m.group(1), name), f"nêu {m.group(1)} {raw}"
        if level == "commune":
            other = _elsewhere(raw, unit, settings)
            if other:
                return f"{where}, {other}" if other.startswith("nay ") else where
            if other is None and district:
                return where
        if level == "district" and district and name != district:
            return where
        if level == "province" and provinces and name not in provinces:
            return where
    # bare names: "Thôn Đông, Yên Bình" names another unit of the list without naming this one
    higher = provinces | {vntext.key(d) for d in a.former_districts}  # bare "Vĩnh Phúc" is the province
    segments = [s.strip() for s in re.split(r"[,;\-–]", text) if s.strip() and vntext.key(s) not in higher]
    judged = [(s, _elsewhere(s, unit, settings)) for s in segments]
    if any(other == "" for _, other in judged):
        return ""
    for raw, other in judged:
        if other:
            return f"nêu {raw}, {other}" if other.startswith("nay ") else f"nêu {other}"
    return ""
