"""Sending mail: the transport settings (``[mail]`` of cchc.toml), SMTP with retries (STARTTLS, SSL or
plain, exponential back-off) under one deadline, and the one writer of ``.eml`` files (dry runs).

What a message says belongs to whoever sends it (:mod:`automation.status.message`: the weekly status;
:mod:`automation.documents.send`: the drafts for signature); this module knows addresses, servers and files.
The password is never in ``cchc.toml``: ``password_env`` names the environment variable holding it.

The deadline.  One sending (:func:`send`: every attempt and every back-off) takes at most ``timeout_s``.  Each
attempt is bounded by what remains: every read waits at most that long, and a watchdog timer shuts the
connection down when it passes, so a server that answers one line (or one byte) every few seconds cannot hold
the sending past its deadline (``socket.shutdown`` wakes a blocked read).  A back-off that would end after
the deadline is not waited for.

Failures are :class:`~automation.problems.MailError` (Vietnamese, with a stable code).  Before any connection:
``mail.not_configured``, ``mail.config``, ``mail.password``.  After: ``mail.tls`` (TLS or the server's
certificate; ``ca_file`` trusts a CA of one's own) and ``mail.auth`` (login refused), never retried;
``mail.refused`` (an SMTP 4xx/5xx answer), ``mail.timeout`` and ``mail.failed`` (any other network error),
retried while the deadline allows.  The SMTP or network error is the ``__cause__``.
"""

from __future__ import annotations

import email.policy
import email.utils
import logging
import os
import smtplib
import socket
import ssl
import threading
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

from automation import clock, files
from automation.config import MAX_MAIL_TIMEOUT_S, Mail
from automation.problems import MailError
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
    timeout_s: float = 60.0  # the whole sending: every attempt and back-off
    ca_file: Path | str | None = None  # PEM bundle of the CAs trusted instead of the system's

    def __post_init__(self) -> None:
        if not 0 < self.timeout_s <= MAX_MAIL_TIMEOUT_S:
            raise MailError("mail.config", detail=f"timeout_s phải lớn hơn 0 và không quá {MAX_MAIL_TIMEOUT_S:g} "
                                                  f"giây, nhận được “{self.timeout_s}”")
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
                   tuple(recipients or cfg.recipients), cfg.timeout_s, cfg.ca_file)

    @property
    def server(self) -> str:
        return f"{self.host}:{self.port}"

    def tls_context(self) -> ssl.SSLContext | None:
        """The context verifying the server: the system's CAs, or only those of ``ca_file``."""
        if self.security == "none":
            return None
        try:
            return ssl.create_default_context(cafile=str(self.ca_file) if self.ca_file else None)
        except (OSError, ValueError) as exc:  # ssl.SSLError is an OSError
            raise MailError("mail.config", detail=f"không dùng được tệp chứng chỉ ca_file {self.ca_file} ({exc})") \
                from exc

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


class _Watchdog:
    """The deadline of one attempt: ``read_timeout()`` for every read, and a timer that shuts the guarded
    connection down when the deadline passes (a blocked read then returns at once).

    It guards a duplicate of the socket, whose descriptor is its own: smtplib may close or re-wrap (STARTTLS)
    its socket, and the timer can never shut down a descriptor reused by someone else.  Leaving the ``with``
    stops the timer thread and closes the duplicate."""

    def __init__(self, deadline: float):
        self.deadline, self.fired = deadline, False
        self._lock = threading.Lock()
        self._twin: socket.socket | None = None
        self._timer = threading.Timer(max(0.0, deadline - time.monotonic()), self._fire)
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        self._timer.join()
        with self._lock:
            twin, self._twin = self._twin, None
        if twin is not None:
            twin.close()

    def read_timeout(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the sending's deadline has passed")
        return left

    def guard(self, sock: socket.socket) -> None:
        with self._lock:
            self._twin = sock.dup()
            if self.fired:
                self._shutdown()

    def _fire(self) -> None:
        with self._lock:
            self.fired = True
            self._shutdown()

    def _shutdown(self) -> None:
        if self._twin is not None:
            try:
                self._twin.shutdown(socket.SHUT_RDWR)
            except OSError:  # already closed by the peer
                pass


class _Connection(smtplib.SMTP):
    """smtplib.SMTP (or SMTP_SSL with ``implicit_tls``) whose socket is guarded by ``watchdog`` and whose
    reads wait at most until its deadline."""

    def __init__(self, watchdog: _Watchdog, context: ssl.SSLContext | None, implicit_tls: bool):
        self._watchdog, self._context, self._implicit_tls = watchdog, context, implicit_tls
        super().__init__(timeout=watchdog.read_timeout())  # no host: not connected yet

    def _get_socket(self, host, port, timeout):
        self._host = host  # the name STARTTLS checks the certificate against (set by __init__ only otherwise)
        sock = socket.create_connection((host, port), self._watchdog.read_timeout(), self.source_address)
        self._watchdog.guard(sock)  # from here on the greeting and the TLS handshake are bounded too
        if not self._implicit_tls:
            return sock
        try:
            return self._context.wrap_socket(sock, server_hostname=host)
        except BaseException:
            sock.close()
            raise

    def send(self, s):
        if self.sock is not None:
            self.sock.settimeout(self._watchdog.read_timeout())
        super().send(s)


class _Failure(Exception):
    """One failed attempt, classified: the MailError it becomes and whether another attempt may help."""

    def __init__(self, code: str, retry: bool, variant: str | None = None, **params):
        super().__init__(code)
        self.code, self.retry, self.variant, self.params = code, retry, variant, params

    def error(self, mail: MailSettings, tries: int) -> MailError:
        return MailError(self.code, variant=self.variant, server=mail.server, tries=tries,
                         timeout=f"{mail.timeout_s:g}", user=mail.user, variable=mail.password_env, **self.params)


def _reply(exc: smtplib.SMTPResponseException) -> str:
    text = exc.smtp_error.decode("utf-8", "replace") if isinstance(exc.smtp_error, bytes) else str(exc.smtp_error)
    return f"{exc.smtp_code} {' '.join(text.split())}".rstrip(" .")


def _classify(exc: BaseException, mail: MailSettings, timed_out: bool) -> _Failure:
    if timed_out or isinstance(exc, TimeoutError):  # whatever the shut-down connection raised
        return _Failure("mail.timeout", retry=True)
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _Failure("mail.tls", False, "cert", detail=exc.verify_message or str(exc))
    if isinstance(exc, ssl.SSLError):
        return _Failure("mail.tls", False, detail=exc.reason or str(exc))
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return _Failure("mail.tls", False, "no_starttls") if "STARTTLS" in str(exc) \
            else _Failure("mail.auth", False, "unsupported")
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return _Failure("mail.auth", False, detail=_reply(exc))
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        refused = "; ".join(f"{to}: {_reply(smtplib.SMTPResponseException(*answer))}"
                            for to, answer in exc.recipients.items())
        return _Failure("mail.refused", True, detail=refused)
    if isinstance(exc, smtplib.SMTPResponseException):
        if exc.smtp_code == 530:  # 5.7.0 authentication required
            return _Failure("mail.auth", False, "required", detail=_reply(exc))
        return _Failure("mail.refused", True, detail=_reply(exc))
    return _Failure("mail.failed", True, detail=f"{type(exc).__name__}: {exc} (máy chủ {mail.server})")


def _deliver(message: EmailMessage, mail: MailSettings, password: str | None, deadline: float,
             context: ssl.SSLContext | None) -> None:
    """One attempt, over by ``deadline`` (``time.monotonic()``); a failure is raised as a :class:`_Failure`."""
    with _Watchdog(deadline) as watchdog:
        server = None
        try:
            server = _Connection(watchdog, context, implicit_tls=mail.security == "ssl")
            code, reply = server.connect(mail.host, mail.port)
            if code != 220:
                raise smtplib.SMTPConnectError(code, reply)
            server.ehlo()
            if mail.security == "starttls":
                server.starttls(context=context)
                server.ehlo()
            if mail.user:
                server.login(mail.user, password or "")
            server.send_message(message, from_addr=mail.sender, to_addrs=list(mail.recipients))
        except (smtplib.SMTPException, OSError) as exc:
            # a read that waited out the time left ends as a socket time-out, which smtplib may re-raise as
            # SMTPServerDisconnected("… timed out"): past (or at) the deadline it is the deadline's doing
            late = watchdog.fired or time.monotonic() >= deadline - 0.1 or "timed out" in str(exc)
            raise _classify(exc, mail, late) from exc
        else:
            try:
                server.quit()  # the message is accepted: a failing goodbye changes nothing
            except (smtplib.SMTPException, OSError):
                pass
        finally:
            if server is not None:
                server.close()


def send(message: EmailMessage, mail: MailSettings, *, attempts: int = 4, backoff_s: float = 2.0,
         sleep=time.sleep) -> None:
    """Send ``message`` within ``mail.timeout_s``; after a refusal, a time-out or a network error wait
    ``backoff_s``, 2×, 4×… and try again, up to ``attempts`` times while the deadline allows, then raise the
    last failure as a :class:`MailError`.  TLS and login failures are not retried."""
    password = mail.password() if mail.user else None  # a missing variable fails before any connection
    context = mail.tls_context()
    deadline = time.monotonic() + mail.timeout_s
    attempts = max(1, attempts)
    last: _Failure | None = None
    tries = 0
    for attempt in range(attempts):
        tries += 1
        try:
            _deliver(message, mail, password, deadline, context)
            return
        except _Failure as failure:
            last = failure
        log.info("mail to %s: attempt %d/%d failed: %s (%s)", mail.server, tries, attempts, last.code,
                 last.__cause__)
        if not last.retry or tries == attempts:
            break
        delay = backoff_s * (2 ** attempt)
        if time.monotonic() + delay >= deadline:
            log.info("mail to %s: no time left for another attempt within %gs", mail.server, mail.timeout_s)
            break
        sleep(delay)
    assert last is not None
    raise last.error(mail, tries) from last.__cause__


def write_eml(message: EmailMessage, folder: Path, prefix: str) -> Path:
    """``message`` written as ``folder/<prefix>-<date>-<time>.eml`` instead of being sent: atomically, and
    never over an existing file (``-2``, ``-3``… beside it)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().strftime("%Y-%m-%d-%H%M%S")
    path = files.unique_path(folder / f"{prefix}-{stamp}.eml")
    return files.write_bytes_atomic(path, message.as_bytes(policy=email.policy.SMTP))
