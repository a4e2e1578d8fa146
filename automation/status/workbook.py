"""The weekly status workbook ``outbox/trang-thai/trang-thai-<YYYY-MM-DD>.xlsx``.

``TrangThai``: one row per unit, what it sent of each kind the plan expects (the current version:
archived, highest version; evidence: every current file), appraisal and survey progress, index and
status.  ``TongHop``: counts per kind and the next deadlines.  Written with openpyxl, atomically
(temporary file + ``os.replace``); text from communes is always written as text, never a formula.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from automation import clock, files
from automation.formats import print_setup
from automation.formats.excel import put_text
from automation.config import Settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.problems import Severity
from automation.ledger.records import (EVIDENCE, KIND_DEADLINES, KIND_NAMES, REPORT, RESPONDENT_LIST,
                                       WORKBOOK, Submission)
from automation.vntext import number_format

STATUS_FOLDER = ("outbox", "trang-thai")
SHEET_UNITS = "TrangThai"
SHEET_SUMMARY = "TongHop"
SHEET_PROBLEMS = "VanDe"
PROBLEM_HEADERS = ("Mã đơn vị", "Đơn vị", "Loại hồ sơ", "Tệp", "Mức độ", "Nội dung", "Mã lỗi")
EXPECTED_KINDS = (RESPONDENT_LIST, WORKBOOK, REPORT, EVIDENCE)
KIND_LABELS = {RESPONDENT_LIST: "Danh sách", WORKBOOK: "Biểu tự chấm", REPORT: "Báo cáo", EVIDENCE: "Tài liệu KC"}
KIND_SUBCOLUMNS = ("đã nhận", "ngày", "lần gửi", "đúng hạn", "kết luận", "lỗi")
EVIDENCE_SUBCOLUMNS = ("đã nhận", "ngày", "số tệp", "đúng hạn", "kết luận", "lỗi")
VERDICT_TEXT = {"accepted": "Đạt", "accepted_with_warnings": "Đạt, có cảnh báo", "rejected": "Không đạt"}
VERDICT_RANK = {"accepted": 0, "accepted_with_warnings": 1, "rejected": 2}
ACCEPTED = ("accepted", "accepted_with_warnings")
YES, NO = "Có", "Chưa"
ON_TIME, LATE = "Đúng hạn", "Quá hạn"
FAILED = VERDICT_TEXT["rejected"]
DEADLINE_LABELS = {
    "respondent_list": "Nộp danh sách người đã giao dịch TTHC",
    "self_assessment_open": "Bắt đầu nộp hồ sơ tự đánh giá",
    "self_assessment": "Nộp biểu tự đánh giá, chấm điểm và báo cáo tự đánh giá",
    "supplementary_evidence": "Nộp bổ sung tài liệu kiểm chứng",
    "appraisal": "Hoàn thành thẩm định",
    "survey": "Hoàn thành điều tra xã hội học",
    "combined_results": "Tổng hợp kết quả",
    "final_report": "Báo cáo kết quả",
    "decision": "Quyết định công bố Chỉ số",
}
DATE_FORMAT = "DD/MM/YYYY"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- what each unit sent ------------------------------------------------------------------------

@dataclass
class KindState:
    """A unit's current submission(s) of one kind."""

    kind: str
    subs: list[Submission] = field(default_factory=list)

    @property
    def received(self) -> bool:
        return bool(self.subs)

    @property
    def date(self) -> dt.date | None:
        dates = [s.received_at for s in self.subs if s.received_at]
        return max(dates).date() if dates else None

    @property
    def version(self) -> int | None:
        """The version of the current submission; evidence: the number of current files."""
        if not self.subs:
            return None
        return len(self.subs) if self.kind == EVIDENCE else self.subs[-1].version

    @property
    def on_time(self) -> bool | None:
        flags = [s.on_time for s in self.subs if s.on_time is not None]
        return all(flags) if flags else None

    @property
    def verdict(self) -> str | None:
        verdicts = [s.verdict for s in self.subs if s.verdict]
        return max(verdicts, key=lambda v: VERDICT_RANK.get(v, 0)) if verdicts else None

    @property
    def accepted(self) -> bool:
        return self.received and self.verdict in ACCEPTED

    def problem_rows(self) -> list[tuple[str, str, str, str]]:
        """(file, severity in words, message, code) of every problem of the current files."""
        return [(Path(s.original_name).name, _severity_word(p.get("severity")), p.get("message", ""), p.get("code", ""))
                for s in self.subs for p in s.problems]

    def problems_count(self) -> str:
        """"1 lỗi, 2 cảnh báo": how many; each one in words, with its code, is in the problems sheet (the unit
        sheet stays narrow enough to print on one page wide)."""
        found = [p.get("severity") for s in self.subs for p in s.problems]
        errors = found.count(Severity.ERROR.value)
        return ", ".join(f"{n} {word}" for n, word in ((errors, "lỗi"), (len(found) - errors, "cảnh báo")) if n)


def _severity_word(severity: str | None) -> str:
    try:
        return Severity(severity).label
    except ValueError:
        return ""


@dataclass
class UnitStatus:
    code: str
    name: str
    kinds: dict[str, KindState]
    appraised: str = ""  # "12/47"
    survey: str = ""  # "answered / sampled"
    index: Decimal | None = None
    status: str = ""
    ranked: list[str] = field(default_factory=list)  # what [ranking] adds: the group and the rank in it, the band


def _current(ledger: Ledger) -> dict[tuple[str, str], list[Submission]]:
    """(unit, kind) -> current submissions: the archived highest version; evidence: every archived file."""
    out: dict[tuple[str, str], list[Submission]] = {}
    for s in ledger.submissions.archived(*EXPECTED_KINDS):
        out.setdefault((s.unit_code, s.kind), []).append(s)
    for key, subs in out.items():
        subs.sort(key=lambda s: (s.version or 0, s.id))
        if key[1] != EVIDENCE:
            out[key] = subs[-1:]
    return out


def _appraisal(table) -> tuple[dict[str, tuple[int, int]], dict[str, object]]:
    """unit -> (criteria with an appraised score, criteria), unit -> UnitResult; empty without a table."""
    if table is None:
        return {}, {}
    progress: dict[str, list[int]] = {}
    for r in table.rows:
        p = progress.setdefault(r.unit_code, [0, 0])
        p[1] += 1
        if isinstance(r.appraised, Decimal):
            p[0] += 1
    return {k: (a, n) for k, (a, n) in progress.items()}, {r.code: r for r in table.results}


def collect(settings: Settings, ledger: Ledger | None = None, table=None) -> list[UnitStatus]:
    """Every unit's status, in the order of the settings; ``table`` is the computed appraisal table (the
    appraisal columns stay empty without it)."""
    if ledger is None:
        with Ledger(settings.path(LEDGER_NAME)) as own:
            return collect(settings, own, table)
    current = _current(ledger)
    survey = ledger.survey.progress()  # unit -> (answered forms, sampled people)
    appraised, results = _appraisal(table)
    out = []
    for unit in settings.units:
        st = UnitStatus(unit.code, nfc(unit.full_name),
                        {k: KindState(k, current.get((unit.code, k), [])) for k in EXPECTED_KINDS})
        if unit.code in appraised:
            a, n = appraised[unit.code]
            st.appraised = f"{a}/{n}"
        if unit.code in survey:
            a, n = survey[unit.code]
            st.survey = f"{a}/{n}"
        res = results.get(unit.code)
        if res is not None:
            st.index, st.status = res.index, nfc(res.status)
            st.ranked = ranking_values(settings, res)
        out.append(st)
    return out


@dataclass
class KindSummary:
    kind: str
    expected: int
    received: int
    on_time: int
    accepted: int


def summarize(units: list[UnitStatus]) -> list[KindSummary]:
    out = []
    for k in EXPECTED_KINDS:
        states = [u.kinds[k] for u in units]
        out.append(KindSummary(k, len(units), sum(s.received for s in states),
                               sum(s.received and s.on_time is True for s in states),
                               sum(s.accepted for s in states)))
    return out


def next_deadlines(settings: Settings, today: dt.date) -> list[tuple[str, str, dt.date]]:
    """(key, "label: wording", last day) of the deadlines still ahead, soonest first."""
    ahead = [(d.last_day, key, d) for key, d in settings.deadlines.items() if d.last_day >= today]
    return [(key, nfc(f"{DEADLINE_LABELS.get(key, key)}: {d.wording()}"), last) for last, key, d in sorted(ahead)]


# --- writing ------------------------------------------------------------------------------------

def status_path(settings: Settings, today: dt.date) -> Path:
    return settings.path(*STATUS_FOLDER, f"trang-thai-{today.isoformat()}.xlsx")


def unit_headers(settings: Settings | None = None) -> list[str]:
    heads = ["Mã đơn vị", "Đơn vị"]
    for k in EXPECTED_KINDS:
        subs = EVIDENCE_SUBCOLUMNS if k == EVIDENCE else KIND_SUBCOLUMNS
        heads += [f"{KIND_LABELS[k]}: {s}" for s in subs]
    return heads + ["Tiêu chí đã thẩm định", "Phiếu điều tra", "Chỉ số", "Trạng thái"] + ranking_headers(settings)


def ranking_headers(settings: Settings | None) -> list[str]:
    """The columns ``[ranking]`` adds: the group and the rank within it when units are ranked in groups, the
    band when bands are configured (none by default)."""
    if settings is None:
        return []
    return (["Nhóm xếp hạng", "Xếp hạng trong nhóm"] if settings.ranking.grouped else []) + \
        (["Xếp loại"] if settings.ranking.bands else [])


def ranking_values(settings: Settings, res) -> list[str]:
    return (([nfc(res.group), f"{res.rank}/{res.group_size}"] if settings.ranking.grouped else [])
            + ([nfc(res.band or "Chưa xếp loại")] if settings.ranking.bands else []))


def write_status(settings: Settings, today: dt.date | None = None, *, ledger: Ledger | None = None,
                 table=None) -> Path:
    """Write the status workbook of ``today`` (default: the tool's clock) and return its path; ``table`` is the
    computed appraisal table (automation.app passes it)."""
    import openpyxl  # noqa: PLC0415
    from openpyxl.formatting.rule import CellIsRule  # noqa: PLC0415
    from openpyxl.styles import Alignment, Font, PatternFill  # noqa: PLC0415
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    today = today or clock.now().date()
    units = collect(settings, ledger, table)
    path = status_path(settings, today)
    path.parent.mkdir(parents=True, exist_ok=True)

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET_UNITS
    head_font = Font(bold=True)
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    wrap = Alignment(wrap_text=True, vertical="top")
    heads = unit_headers(settings)
    _head(ws, 1, heads, head_font, head_fill, Alignment(wrap_text=True, vertical="center"))
    for r, u in enumerate(units, start=2):
        code = ws.cell(r, 1)
        put_text(code, u.code)
        code.number_format = "@"
        put_text(ws.cell(r, 2), u.name)
        ws.cell(r, 2).alignment = wrap
        c = 3
        for k in EXPECTED_KINDS:
            s = u.kinds[k]
            put_text(ws.cell(r, c), YES if s.received else NO)
            if s.received:
                d = ws.cell(r, c + 1, s.date)
                d.number_format = DATE_FORMAT
                ws.cell(r, c + 2, s.version)
                if s.on_time is not None:
                    put_text(ws.cell(r, c + 3), ON_TIME if s.on_time else LATE)
                if s.verdict:
                    put_text(ws.cell(r, c + 4), VERDICT_TEXT.get(s.verdict, s.verdict))
                    ws.cell(r, c + 4).alignment = wrap
                problems = s.problems_count()
                if problems:
                    put_text(ws.cell(r, c + 5), problems)
                    ws.cell(r, c + 5).alignment = wrap
            c += len(KIND_SUBCOLUMNS)
        if u.appraised:
            put_text(ws.cell(r, c), u.appraised)
        if u.survey:
            put_text(ws.cell(r, c + 1), u.survey)
        if u.index is not None:
            ws.cell(r, c + 2, float(u.index)).number_format = number_format(settings.documents.decimals)
        if u.status:
            put_text(ws.cell(r, c + 3), u.status)
            ws.cell(r, c + 3).alignment = wrap
        for j, text in enumerate(u.ranked, start=c + 4):
            put_text(ws.cell(r, j), text)
    top = Alignment(vertical="top")  # a row made tall by a wrapped name reads from its top, every cell alike
    for row in ws.iter_rows(min_row=2, max_row=len(units) + 1):
        for cell in row:
            if cell.value is not None and not cell.alignment.wrap_text:
                cell.alignment = top
    last = max(2, len(units) + 1)
    red = PatternFill("solid", fgColor="FFC7CE", bgColor="FFC7CE")
    red_font = Font(color="9C0006")
    for i, k in enumerate(EXPECTED_KINDS):
        base = 3 + i * len(KIND_SUBCOLUMNS)
        for offset, text in ((3, LATE), (4, FAILED)):
            col = get_column_letter(base + offset)
            ws.conditional_formatting.add(f"{col}2:{col}{last}",
                                          CellIsRule(operator="equal", formula=[f'"{text}"'], fill=red, font=red_font))
    ws.freeze_panes = "C2"
    _widths(ws, [8, 20] + [6, 10.5, 6, 8.5, 10, 10] * len(EXPECTED_KINDS) + [9, 8, 7, 13]
            + [11] * len(ranking_headers(settings)))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(heads))}{last}"
    print_setup.size_wrapped_rows(ws, first_row=1)  # the header's wrapped words too
    title = f"Tình hình tiếp nhận hồ sơ Chỉ số CCHC năm {settings.year}, ngày {today:%d/%m/%Y}"
    print_setup.apply_openpyxl(ws, print_setup.PrintSetup(nfc(title), landscape=True))

    sm = wb.create_sheet(SHEET_SUMMARY)
    put_text(sm.cell(1, 1), f"TÌNH HÌNH TIẾP NHẬN HỒ SƠ CHỈ SỐ CCHC NĂM {settings.year} — ngày {today:%d/%m/%Y}")
    sm.cell(1, 1).font = Font(bold=True, size=13)
    _head(sm, 3, ("Loại hồ sơ", "Hạn nộp", "Số đơn vị phải nộp", "Đã nhận", "Đúng hạn", "Đạt"), head_font, head_fill)
    for r, ks in enumerate(summarize(units), start=4):
        put_text(sm.cell(r, 1), KIND_NAMES[ks.kind][:1].upper() + KIND_NAMES[ks.kind][1:])
        put_text(sm.cell(r, 2), settings.deadlines[KIND_DEADLINES[ks.kind]].wording())
        for c, v in enumerate((ks.expected, ks.received, ks.on_time, ks.accepted), start=3):
            sm.cell(r, c, v)
    r = 4 + len(EXPECTED_KINDS) + 1
    put_text(sm.cell(r, 1), "Các mốc thời gian sắp tới")
    sm.cell(r, 1).font = head_font
    for i, (_key, text, _last) in enumerate(next_deadlines(settings, today), start=r + 1):
        put_text(sm.cell(i, 1), text)
    sm.freeze_panes = "A4"
    _widths(sm, (60, 26, 18, 10, 10, 10))
    print_setup.apply_openpyxl(sm, print_setup.PrintSetup(nfc(f"{title} (tổng hợp)"), title_rows=(3, 3)))

    _problems_sheet(wb, units, head_font, head_fill, wrap, nfc(f"{title} (các lỗi, cảnh báo)"))
    wb.properties.title = nfc(f"Tình hình tiếp nhận hồ sơ Chỉ số CCHC năm {settings.year}")
    wb.properties.creator = "cchc"
    if ledger is None:
        return files.atomic_save(path, wb.save)
    recorded, record = ledger.outputs.keeper(Path(settings.workspace))
    return files.save_editable(path, wb.save, recorded, record).path


def _problems_sheet(wb, units: list[UnitStatus], head_font, head_fill, wrap, title: str) -> None:
    """One row per problem of a current file: the unit, the kind, the file, the severity and the message in
    words, the stable code in its own column (what the office quotes when it asks for help)."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    ws = wb.create_sheet(SHEET_PROBLEMS)
    _head(ws, 1, PROBLEM_HEADERS, head_font, head_fill)
    r = 1
    for u in units:
        for k in EXPECTED_KINDS:
            for name, severity, message, code in u.kinds[k].problem_rows():
                r += 1
                for c, value in enumerate((u.code, u.name, KIND_LABELS[k], name, severity, message, code), start=1):
                    put_text(ws.cell(r, c), nfc(str(value)))
                ws.cell(r, 1).number_format = "@"
                ws.cell(r, 6).alignment = wrap
    ws.freeze_panes = "A2"
    _widths(ws, (10, 22, 16, 30, 10, 70, 24))
    if r > 1:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(PROBLEM_HEADERS))}{r}"
    print_setup.size_wrapped_rows(ws, first_row=2)
    print_setup.apply_openpyxl(ws, print_setup.PrintSetup(title, landscape=True))


def _head(ws, row: int, heads, font, fill, alignment=None) -> None:
    """A sheet's header row: ``heads`` as text in ``font`` on ``fill``."""
    for c, h in enumerate(heads, start=1):
        cell = ws.cell(row, c)
        put_text(cell, h)
        cell.font, cell.fill = font, fill
        if alignment is not None:
            cell.alignment = alignment


def _widths(ws, widths) -> None:
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    for c, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
