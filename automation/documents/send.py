"""``cchc send-drafts``: the final drafts (``drafts.final = 1``) not yet sent go to the signer in ONE e-mail,
each .docx with its PDF, and are then marked sent (``drafts.sent_at``) so nothing goes twice.

A draft staff changed after the tool wrote it (its SHA-256 no longer matches the ledger) or that is gone is
skipped with a reason.  PDFs missing (or older than their .docx) are made in one LibreOffice run.
``--dry-run`` writes the message as ``outbox/du-thao/thu-trinh-ky-<date>-<time>.eml`` and marks nothing.
"""

from __future__ import annotations

import email.policy
import email.utils
import hashlib
import logging
import time
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from automation.config import Settings
from automation.documents.generate import DRAFTS_DIR, export_pdfs
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.mail import MailError, MailSettings, send, write_eml
from automation.vntext import nfc

log = logging.getLogger(__name__)

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
PDF_TYPE = ("application", "pdf")
KIND_TITLES = {"plan": "Kế hoạch", "notice": "Thông báo kết quả", "report": "Báo cáo", "decision": "Quyết định"}

MISSING = "tệp không còn trong thư mục dự thảo"
EDITED = "tệp đã được sửa sau khi chương trình lập dự thảo; hãy lập lại dự thảo (cchc draft) trước khi trình ký"
NO_PDF = "không chuyển được sang PDF"


@dataclass
class SendResult:
    sent: list[Path] = field(default_factory=list)  # the .docx files sent (or written into the .eml, dry run)
    skipped: list[tuple[Path, str]] = field(default_factory=list)  # (file, Vietnamese reason)
    eml: Path | None = None  # the .eml written (dry run)


@dataclass
class _Ready:
    id: int
    kind: str
    unit_code: str | None
    path: Path
    sha256: str
    pdf: Path | None = None
    pdf_error: str | None = None  # set by export_pdfs when the PDF could not be made


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _ready(settings: Settings, ledger: Ledger, skipped: list[tuple[Path, str]]) -> list[_Ready]:
    out = []
    for r in ledger.drafts.ready_to_send():
        path = settings.path(*Path(r["path"]).parts)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            skipped.append((path, MISSING))
            continue
        except OSError as exc:
            skipped.append((path, f"không đọc được tệp ({exc.strerror or exc})"))
            continue
        if _sha(data) != r["sha256"]:
            skipped.append((path, EDITED))
            continue
        out.append(_Ready(r["id"], r["kind"], r["unit_code"], path, r["sha256"]))
    return out


def _make_pdfs(settings: Settings, drafts: list[_Ready], skipped: list[tuple[Path, str]]) -> list[_Ready]:
    """Give every draft its PDF (one LibreOffice batch for those missing or older than the .docx)."""
    need = []
    for d in drafts:
        pdf = d.path.with_suffix(".pdf")
        if pdf.is_file() and pdf.stat().st_mtime >= d.path.stat().st_mtime:
            d.pdf = pdf
        else:
            need.append(d)
    if need:
        export_pdfs(settings, need)  # one LibreOffice batch, each PDF written atomically beside its .docx
        skipped.extend((d.path, f"{NO_PDF}: {d.pdf_error}") for d in need if d.pdf_error)
    return [d for d in drafts if d.pdf is not None]


def _title(settings: Settings, d: _Ready) -> str:
    title = KIND_TITLES.get(d.kind, d.kind)
    if d.unit_code:
        try:
            title += f" – {settings.units.by_code(d.unit_code).full_name}"
        except (KeyError, LookupError, AttributeError):
            title += f" – đơn vị {d.unit_code}"
    return title


def subject(settings: Settings) -> str:
    return nfc(f"Dự thảo văn bản Chỉ số CCHC năm {settings.year} trình ký")


def _mail_settings(settings: Settings, dry_run: bool) -> MailSettings:
    cfg = settings.mail
    to = settings.documents.signer_email.strip()
    if not to:
        raise MailError("mail.config", variant="signer")
    return MailSettings.from_config(cfg, (to,), dry_run=dry_run)  # no [mail] and not a dry run: mail.not_configured


def build_message(settings: Settings, mail: MailSettings, drafts: list[tuple[_Ready, bytes]]) -> EmailMessage:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = subject(settings)
    msg["From"] = mail.sender
    msg["To"] = ", ".join(mail.recipients)
    msg["Date"] = email.utils.formatdate(localtime=True)
    domain = mail.sender.rpartition("@")[2] or "cchc.local"
    msg["Message-ID"] = email.utils.make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)
    office = settings.authority.standing_office
    signer = settings.documents.signer_name
    listing = [f"{i}. {_title(settings, d)}: {d.path.name} (kèm bản PDF {d.pdf.name})"
               for i, (d, _) in enumerate(drafts, start=1)]
    body = [
        f"Kính gửi: {signer}," if signer else "Kính gửi: Lãnh đạo,",
        "",
        f"{office} kính trình dự thảo {len(drafts)} văn bản về xác định Chỉ số cải cách hành chính năm "
        f"{settings.year} của các xã, thị trấn để xem xét, ký ban hành:",
        "",
        *listing,
        "",
        "Mỗi văn bản được đính kèm bản Word (.docx) để chỉnh sửa nếu cần và bản PDF để xem.",
        "",
        "Thư này được gửi tự động từ công cụ cchc.",
        f"{office} — {settings.authority.issuing_body}",
    ]
    msg.set_content(nfc("\n".join(body)), charset="utf-8")
    for d, data in drafts:
        msg.add_attachment(data, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1], filename=d.path.name)
        msg.add_attachment(d.pdf.read_bytes(), maintype=PDF_TYPE[0], subtype=PDF_TYPE[1], filename=d.pdf.name)
    return msg


def _write_eml(message: EmailMessage, folder: Path) -> Path:
    return write_eml(message, folder, prefix="thu-trinh-ky")


def send_drafts(settings: Settings, *, dry_run: bool = False, sleep=time.sleep) -> SendResult:
    """Send the final, unsent, unedited drafts to the signer in one e-mail (see the module docstring).
    Raises :class:`MailError` (Vietnamese) when the signer's address or the mail settings are missing, or when
    sending fails after the retries (``mail.refused``, ``mail.timeout``…; nothing is marked sent then)."""
    result = SendResult()
    with Ledger(settings.path(LEDGER_NAME)) as ledger:
        ready = _ready(settings, ledger, result.skipped)
        if not ready:
            return result
        mail = _mail_settings(settings, dry_run)  # before the PDFs: fail fast on a missing address
        ready = _make_pdfs(settings, ready, result.skipped)
        attached: list[tuple[_Ready, bytes]] = []
        for d in ready:  # the bytes attached are the bytes checked (an edit during the PDF run is caught)
            try:
                data = d.path.read_bytes()
            except OSError:
                result.skipped.append((d.path, MISSING))
                continue
            if _sha(data) != d.sha256:
                result.skipped.append((d.path, EDITED))
                continue
            attached.append((d, data))
        if not attached:
            return result
        message = build_message(settings, mail, attached)
        if dry_run:
            result.eml = _write_eml(message, settings.path(*DRAFTS_DIR))
        else:
            cfg = settings.mail
            send(message, mail, attempts=cfg.attempts, backoff_s=cfg.backoff_s, sleep=sleep)
            ledger.drafts.mark_sent([d.id for d, _ in attached])
        result.sent = [d.path for d, _ in attached]
    return result
