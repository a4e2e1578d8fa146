"""The weekly status mail: a Vietnamese message with the status workbook attached, sent over SMTP
(STARTTLS, SSL or plain), retried with exponential back-off; or written as a .eml file (dry run).

The password is never in ``cchc.toml``: ``password_env`` names the environment variable holding it.
"""

from __future__ import annotations

import datetime as dt
import email.policy
import email.utils
import logging
import os
import smtplib
import ssl
import time
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from automation import clock
from automation.config import Settings
from automation.ledger.records import EVIDENCE, KIND_DEADLINES, KIND_NAMES
from automation.status.workbook import collect, next_deadlines, nfc, summarize

log = logging.getLogger(__name__)

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
SECURITIES = ("starttls", "ssl", "none")


class MailError(Exception):
    """A mail problem the office must fix (message in Vietnamese)."""


@dataclass(frozen=True)
class MailSettings:
    host: str
    port: int
    security: str  # "starttls" | "ssl" | "none"
    user: str
    password_env: str  # the NAME of the environment variable holding the password
    sender: str
    recipients: tuple[str, ...]
    timeout_s: float = 30.0

    def __post_init__(self) -> None:
        if self.security not in SECURITIES:
            raise MailError(f"Cấu hình thư: security phải là một trong {', '.join(SECURITIES)}, "
                            f"nhận được “{self.security}”")
        if not self.recipients:
            raise MailError("Cấu hình thư: chưa có địa chỉ người nhận (recipients)")

    def password(self) -> str:
        if not self.password_env:
            raise MailError("Cấu hình thư: có tên đăng nhập (user) nhưng chưa khai báo password_env — tên biến "
                            "môi trường chứa mật khẩu hộp thư")
        value = os.environ.get(self.password_env)
        if value is None:
            raise MailError(f"Chưa đặt biến môi trường {self.password_env} chứa mật khẩu hộp thư gửi báo cáo "
                            f"({self.user}). Hãy đặt biến này rồi chạy lại; mật khẩu không ghi trong cchc.toml.")
        if not value.isascii():
            # smtplib sends AUTH data as ASCII only; fail clearly instead of with a UnicodeEncodeError
            raise MailError(f"Mật khẩu trong biến môi trường {self.password_env} có ký tự ngoài bảng mã ASCII "
                            "(chữ có dấu…); công cụ gửi thư không dùng được mật khẩu như vậy, hãy đổi mật khẩu.")
        return value


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
                  today: dt.date) -> EmailMessage:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject(settings, today)
    msg["From"] = mail.sender
    msg["To"] = ", ".join(mail.recipients)
    msg["Date"] = email.utils.formatdate(localtime=True)
    domain = mail.sender.rpartition("@")[2] or "cchc.local"
    msg["Message-ID"] = email.utils.make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)
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
    msg.set_content(nfc("\n".join(body)), charset="utf-8")
    msg.add_attachment(status_path.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                       filename=status_path.name)
    return msg


def _deliver(message: EmailMessage, mail: MailSettings, password: str | None) -> None:
    if mail.security == "ssl":
        server = smtplib.SMTP_SSL(mail.host, mail.port, timeout=mail.timeout_s,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(mail.host, mail.port, timeout=mail.timeout_s)
    try:
        server.ehlo()
        if mail.security == "starttls":
            server.starttls(context=ssl.create_default_context())
            server.ehlo()
        if mail.user:
            server.login(mail.user, password or "")
        server.send_message(message, from_addr=mail.sender, to_addrs=list(mail.recipients))
    finally:
        try:
            server.quit()
        except (smtplib.SMTPException, OSError):
            server.close()


def send(message: EmailMessage, mail: MailSettings, *, attempts: int = 4, backoff_s: float = 2.0,
         sleep=time.sleep) -> None:
    """Send ``message``; on a refusal or a network error wait ``backoff_s``, 2×, 4×… and try again, up to
    ``attempts`` times, then re-raise the last error.  A wrong password is not retried."""
    password = mail.password() if mail.user else None  # a missing variable fails before any connection
    last: BaseException | None = None
    for attempt in range(max(1, attempts)):
        try:
            _deliver(message, mail, password)
            return
        except smtplib.SMTPAuthenticationError:
            raise
        except (smtplib.SMTPException, OSError) as exc:
            last = exc
            log.warning("gửi thư lần %d/%d không thành công: %s", attempt + 1, attempts, exc)
            if attempt + 1 < attempts:
                sleep(backoff_s * (2 ** attempt))
    assert last is not None
    raise last


def write_dry_run(message: EmailMessage, folder: Path, prefix: str = "thu-trang-thai") -> Path:
    """The message as ``folder/<prefix>-<date>-<time>.eml`` instead of sending it (never overwriting)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y-%m-%d-%H%M%S")
    path = folder / f"{prefix}-{stamp}.eml"
    n = 1
    while path.exists():
        n += 1
        path = folder / f"{prefix}-{stamp}-{n}.eml"
    tmp = folder / f".~cchc-{uuid.uuid4().hex}.eml"
    try:
        tmp.write_bytes(message.as_bytes(policy=email.policy.SMTP))
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path
