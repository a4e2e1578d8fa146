"""Sending mail: the transport settings (``[mail]`` of cchc.toml), SMTP with retries (STARTTLS, SSL or
plain, exponential back-off), and the one writer of ``.eml`` files (dry runs).

What a message says belongs to whoever sends it (:mod:`automation.status.message`: the weekly status;
:mod:`automation.documents.send`: the drafts for signature); this module knows addresses, servers and files.
The password is never in ``cchc.toml``: ``password_env`` names the environment variable holding it.

Failures.  A configuration mistake or a missing password raises :class:`~automation.problems.MailError`
(``mail.not_configured``, ``mail.config``, ``mail.password``) before any connection.  An SMTP or network error
that outlasts the retries is re-raised as it is (the weekly schedule records its class and text), carrying
the problem ``mail.failed`` in its ``problem`` attribute, which the command line shows.
"""

from __future__ import annotations

import email.policy
import email.utils
import logging
import os
import smtplib
import ssl
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from automation import clock, files
from automation.config import Mail
from automation.problems import MailError, problem
from automation.vntext import nfc

__all__ = ["MailError", "MailSettings", "new_message", "send", "write_eml"]

log = logging.getLogger(__name__)

SECURITIES = ("starttls", "ssl", "none")
# a dry run without [mail]: the message is only written, addressed as if sent from this machine
DRY_RUN = ("localhost", 25, "none", "", "CCHC_SMTP_PASSWORD", "cchc@localhost")
DRY_RUN_RECIPIENTS = ("nguoi-nhan@localhost",)


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
            raise MailError("mail.config", variant="security", choices=", ".join(SECURITIES), value=self.security)
        if not self.recipients:
            raise MailError("mail.config", variant="recipients")

    @classmethod
    def from_config(cls, cfg: Mail | None, recipients: Sequence[str] | None = None, *,
                    dry_run: bool = False) -> "MailSettings":
        """The transport of ``cfg`` (``settings.mail``), to ``recipients`` if given (else ``cfg.recipients``).

        Without ``[mail]`` only a dry run can go on (the message is written, never sent): it is addressed from
        ``cchc@localhost`` to ``recipients`` or a placeholder; otherwise ``mail.not_configured``."""
        if cfg is None:
            if not dry_run:
                raise MailError("mail.not_configured")
            return cls(*DRY_RUN, tuple(recipients or DRY_RUN_RECIPIENTS))
        return cls(cfg.host, cfg.port, cfg.security, cfg.user, cfg.password_env, cfg.sender,
                   tuple(recipients or cfg.recipients))

    def password(self) -> str:
        if not self.password_env:
            raise MailError("mail.config", variant="password_env")
        value = os.environ.get(self.password_env)
        if value is None:
            raise MailError("mail.password", variable=self.password_env, user=self.user)
        if not value.isascii():
            # smtplib sends AUTH data as ASCII only; fail clearly instead of with a UnicodeEncodeError
            raise MailError("mail.password", variant="not_ascii", variable=self.password_env)
        return value


def new_message(mail: MailSettings, subject: str, body: str) -> EmailMessage:
    """A plain-text UTF-8 message from ``mail.sender`` to ``mail.recipients``, dated now, with a fresh
    Message-ID (in the sender's domain); attachments are the caller's."""
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["Subject"] = nfc(subject)
    msg["From"] = mail.sender
    msg["To"] = ", ".join(mail.recipients)
    msg["Date"] = email.utils.formatdate(localtime=True)
    domain = mail.sender.rpartition("@")[2] or "cchc.local"
    msg["Message-ID"] = email.utils.make_msgid(idstring=uuid.uuid4().hex[:12], domain=domain)
    msg.set_content(nfc(body), charset="utf-8")
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


def _labelled(exc: BaseException) -> BaseException:
    """``exc`` with the problem the office reads (``mail.failed``) attached; raised as it is."""
    try:
        exc.problem = problem("mail.failed", detail=f"{type(exc).__name__}: {exc}")
    except AttributeError:  # an exception type without a __dict__: shown as an internal error instead
        pass
    return exc


def send(message: EmailMessage, mail: MailSettings, *, attempts: int = 4, backoff_s: float = 2.0,
         sleep=time.sleep) -> None:
    """Send ``message``; on a refusal or a network error wait ``backoff_s``, 2×, 4×… and try again, up to
    ``attempts`` times, then re-raise the last error (labelled ``mail.failed``).  A wrong password is not
    retried."""
    password = mail.password() if mail.user else None  # a missing variable fails before any connection
    last: BaseException | None = None
    for attempt in range(max(1, attempts)):
        try:
            _deliver(message, mail, password)
            return
        except smtplib.SMTPAuthenticationError as exc:
            raise _labelled(exc)
        except (smtplib.SMTPException, OSError) as exc:
            last = exc
            log.warning("gửi thư lần %d/%d không thành công: %s", attempt + 1, attempts, exc)
            if attempt + 1 < attempts:
                sleep(backoff_s * (2 ** attempt))
    assert last is not None
    raise _labelled(last)


def write_eml(message: EmailMessage, folder: Path, prefix: str) -> Path:
    """``message`` written as ``folder/<prefix>-<date>-<time>.eml`` instead of being sent: atomically, and
    never over an existing file (``-2``, ``-3``… beside it)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y-%m-%d-%H%M%S")
    path = files.unique_path(folder / f"{prefix}-{stamp}.eml")
    return files.write_bytes_atomic(path, message.as_bytes(policy=email.policy.SMTP))
