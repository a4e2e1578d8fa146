"""How results read on screen, for the command line and the demo alike: labels, one line per problem, the
report of a checked file, the summary of an inbox pass, a submission as JSON and as a line, the survey import.

A face of the package (layer 7) kept outside ``cli/``: nothing imports ``cli/`` or ``demo/``, so what both
show lives here.  Light on purpose (``cchc --help`` may import it): only :mod:`automation.problems`.

The feedback letters (``documents/letters.py``: "ĐẠT, có lưu ý") and the status sheet (``status/workbook.py``:
"Đạt, có cảnh báo") keep their own wording of a verdict for their own readers; the labels below are the
office's screen.
"""

from __future__ import annotations

import datetime as dt

from automation.problems import Problem, Severity
from automation.vntext import number

VERDICTS = {"accepted": "ĐẠT", "accepted_with_warnings": "ĐẠT (có cảnh báo)", "rejected": "KHÔNG ĐẠT"}
KINDS = {"respondent_list": "danh sách người đã giao dịch TTHC", "document": "văn bản Word",
         "workbook": "biểu tự chấm điểm (Excel)", "spreadsheet": "bảng tính khác (Excel)",
         "unknown": "không xác định"}
STATUSES = {"archived": "đã lưu", "quarantined": "cách ly", "duplicate": "trùng lặp", "superseded": "đã có bản mới",
            "processing": "đang xử lý"}
WEEKDAYS = ("", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")  # 1 = Monday


def kept_lines(kept) -> list[str]:
    """One line per file a writer kept because staff changed it (or it is open): where the new one went."""
    return [f"Giữ nguyên {k.kept.name} ({k.reason}); bản mới ghi vào {k.path.name}." for k in kept]


def render(p: Problem, style: str = "item", *, fix: bool | None = None) -> str:
    """One problem as a line, the same way everywhere:

    - ``item``: under a file or an import, "Lỗi [code] message (where)";
    - ``error``: a failure that stops the command, "Lỗi [code]: message fix";
    - ``note``: something to know, "Lưu ý [code]: message" (``fix=True`` adds the advice).
    """
    if style == "item":
        return f"{p.severity.label} {p.describe()}"
    if style not in ("error", "note"):
        raise ValueError(style)
    text = f"{'Lỗi' if style == 'error' else 'Lưu ý'} [{p.code}]: {p.message}"
    with_fix = (style == "error") if fix is None else fix
    return text + (f" {p.fix}" if with_fix and p.fix else "")


def describe_report(r) -> str:
    """A checked file (:class:`automation.check.FileReport`) in a few lines."""
    errors = sum(p.severity is Severity.ERROR for p in r.problems)
    warnings = len(r.problems) - errors
    unit = f"{r.unit.full_name} ({r.unit.code})" if r.unit else "chưa xác định"
    lines = [f"Tệp: {r.path.name}", f"  Đơn vị: {unit} · Loại: {KINDS[r.kind]}"
             + (f" · {r.respondents} người" if r.respondents is not None else ""),
             f"  Kết luận: {VERDICTS[r.verdict]}" + (f" ({errors} lỗi, {warnings} cảnh báo)" if r.problems else "")]
    for p in r.problems:
        lines.append(f"  - {render(p)}")
    if any(p.code == "encoding.legacy" for p in r.problems):  # for the office: letters never name a command
        lines.append(f"  (Cán bộ thẩm định: lệnh “cchc convert {r.path.name}” tạo bản Unicode, Times New Roman.)")
    return "\n".join(lines)


def checked_total(reports) -> str:
    rejected = sum(r.verdict == "rejected" for r in reports)
    return f"Tổng cộng: {len(reports)} tệp, {len(reports) - rejected} đạt, {rejected} không đạt."


def summarise_pass(result) -> str:
    """One pass of the inbox (:class:`automation.intake.desk.PassResult`)."""
    parts = [f"{n} {STATUSES.get(k, k)}" for k, n in sorted(result.statuses.items())]
    head = f"Đã nhận {result.claimed} tệp" + (f", hoàn tất {result.recovered} tệp dở dang" if result.recovered else "")
    text = head + (": " + ", ".join(parts) if parts else "") + "."
    if result.appraisal:
        text += f"\nĐã cập nhật bảng thẩm định: {result.appraisal}"
    return text


def submission_dict(s, settings) -> dict:
    """A ledger submission as the JSON of ``cchc submissions --json``."""
    unit = settings.units.by_code(s.unit_code) if s.unit_code else None
    return {"id": s.id, "file": s.original_name, "sha256": s.sha256, "unit": unit.as_dict() if unit else None,
            "kind": s.kind, "version": s.version, "status": s.status, "verdict": s.verdict,
            "received_at": s.received_at.isoformat() if s.received_at else None, "on_time": s.on_time,
            "path": s.path, "criterion": s.criterion, "duplicate_of": s.duplicate_of,
            "problems": [p["code"] for p in s.problems], "feedback": s.feedback_path}


SUBMISSION_HEADERS = ("Ngày nhận", "Đơn vị", "Loại hồ sơ", "Lần gửi", "Trạng thái", "Kết luận", "Thời hạn", "Tệp")


def submission_cells(r: dict, kind_names: dict[str, str]) -> tuple[str, ...]:
    """One row of :func:`submission_dict` as the cells of ``cchc submissions`` (blank where a thing does not
    apply: a quarantined file has no version, a file of no deadline no timeliness)."""
    when = dt.datetime.fromisoformat(r["received_at"]).strftime("%d/%m/%Y %H:%M") if r["received_at"] else ""
    return (when, r["unit"]["name"] if r["unit"] else "chưa rõ đơn vị", kind_names.get(r["kind"], r["kind"]),
            str(r["version"]) if r["version"] else "", STATUSES.get(r["status"], r["status"]),
            VERDICTS.get(r["verdict"] or "", ""), {True: "đúng hạn", False: "quá hạn", None: ""}[r["on_time"]],
            r["file"])


def columns(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """``rows`` under ``header`` in columns as wide as their widest cell (the last column unpadded)."""
    widths = [max(len(c) for c in col) for col in zip(header, *rows)]
    return ["  ".join(c.ljust(w) for c, w in zip(row[:-1], widths)) + "  " + row[-1] for row in (header, *rows)]


def describe_survey(summary, settings) -> list[str]:
    """An imported survey entry workbook: forms, problems, each unit's response rate and points."""
    lines = [f"Đã nhập {summary.forms} phiếu."]
    lines += [f"  - {render(p)}" for p in summary.problems]
    for code, us in sorted(summary.units.items()):
        unit = settings.units.by_code(code)
        lines.append(f"{unit.full_name if unit else code}: {us.responded}/{us.sampled} phiếu có trả lời "
                     f"({float(us.response_rate) * 100:.0f}%), điểm điều tra XHH "
                     f"{number(us.points, settings.documents.decimals)}.")
    if summary.appraisal:
        lines.append(f"Đã cập nhật bảng thẩm định: {summary.appraisal}")
    return lines


def drafts_state(final: bool) -> str:
    """Whether a set of drafts may go for signature."""
    return "sẵn sàng trình ký" if final else "DỰ THẢO: còn đơn vị chưa có kết quả chính thức"


def held_decision(held: tuple[str, ...] | list[str]) -> str:
    """Why the decision is still a draft: "Quyết định còn là DỰ THẢO vì 2 đơn vị chưa chính thức: Xã A (Tạm
    tính), Xã B (Chưa có điều tra XHH)."""
    return f"Quyết định còn là DỰ THẢO vì {len(held)} đơn vị chưa chính thức: {', '.join(held)}."
