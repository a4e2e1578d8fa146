"""The weekly status mail's words: its subject, the week's summary lines, and the message with the status
workbook attached.  Sent (or written as a .eml) through :mod:`automation.mail` by ``cchc status``, the
weekly schedule of ``cchc watch`` and the demo."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from automation.config import Settings
from automation.ledger.records import EVIDENCE, KIND_DEADLINES, KIND_NAMES
from automation.mail import MailSettings, new_message
from automation.status.workbook import collect, next_deadlines, summarize
from automation.vntext import nfc

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
EML_PREFIX = "thu-trang-thai"  # a dry run's file: outbox/trang-thai/thu-trang-thai-<date>-<time>.eml


def subject(settings: Settings, today: dt.date) -> str:
    week = today.isocalendar()[1]
    return nfc(f"Báo cáo tình hình tiếp nhận hồ sơ Chỉ số CCHC năm {settings.year} – tuần {week}, "
               f"ngày {today:%d/%m/%Y}")


def summary_lines(settings: Settings, today: dt.date) -> list[str]:
    """The week's summary in Vietnamese: per kind, units that sent nothing, the next deadline."""
    units = collect(settings)
    lines = []
    for ks in summarize(units):
        name = KIND_NAMES[ks.kind]
        name = name[:1].upper() + name[1:]
        deadline = settings.deadlines[KIND_DEADLINES[ks.kind]].wording()
        lines.append(f"- {name} (hạn {deadline}): đã nhận {ks.received}/{ks.expected} đơn vị, "
                     f"đúng hạn {ks.on_time}, đạt {ks.accepted}.")
    silent = [u.name for u in units if not any(s.received for s in u.kinds.values())]
    if not silent:
        lines.append("- Tất cả các đơn vị đã gửi ít nhất một hồ sơ.")
    elif len(silent) == len(units):
        lines.append(f"- Chưa đơn vị nào gửi hồ sơ ({len(units)} đơn vị).")
    else:
        lines.append(f"- {len(silent)} đơn vị chưa gửi hồ sơ nào: {', '.join(silent)}.")
    missing_required = [u.name for u in units
                        if any(not s.received for k, s in u.kinds.items() if k != EVIDENCE)
                        and any(s.received for s in u.kinds.values())]
    if missing_required:
        lines.append(f"- {len(missing_required)} đơn vị còn thiếu hồ sơ bắt buộc: {', '.join(missing_required)}.")
    ahead = next_deadlines(settings, today)
    if ahead:
        lines.append(f"- Mốc tiếp theo: {ahead[0][1]}.")
    else:
        lines.append("- Không còn mốc thời gian nào phía trước.")
    return [nfc(x) for x in lines]


def build_message(settings: Settings, mail: MailSettings, status_path: Path, summary_lines: list[str],
                  today: dt.date):
    """The status mail to the council, ``status_path`` (the status workbook) attached."""
    office = settings.authority.standing_office
    body = [
        "Kính gửi: Lãnh đạo và các thành viên Hội đồng thẩm định Chỉ số CCHC,",
        "",
        f"{office} báo cáo tình hình tiếp nhận hồ sơ xác định Chỉ số cải cách hành chính năm {settings.year} "
        f"của các xã, thị trấn đến ngày {today:%d/%m/%Y}:",
        "",
        *summary_lines,
        "",
        f"Chi tiết từng đơn vị xem trong tệp đính kèm {status_path.name} (trang “TrangThai”: từng đơn vị; "
        "trang “TongHop”: số liệu tổng hợp và các mốc thời gian).",
        "",
        "Thư này được gửi tự động từ công cụ cchc, vui lòng không trả lời thư này.",
        f"{office} — {settings.authority.issuing_body}",
    ]
    msg = new_message(mail, subject(settings, today), "\n".join(body))
    msg.add_attachment(status_path.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                       filename=status_path.name)
    return msg
