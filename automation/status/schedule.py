"""The weekly status mail sent by ``cchc watch``: exactly once per ISO week, even across restarts and with
two watchers on the same workspace.

Every attempt is a row of the ledger's ``mail_sendings`` (kind ``weekly_status``, period ``2021-W43``):

1. in one write transaction (``BEGIN IMMEDIATE``) the week is checked (not yet sent, no other sender at work,
   the back-off window after a failure has passed) and a *claim* row is inserted (``attempted_at`` set,
   ``sent_at`` and ``error`` empty) — a second watcher then sees the claim and skips;
2. outside the transaction (no lock is held while talking to the mail server) the status workbook is written
   and the message sent (or written as a .eml, dry run);
3. in a second transaction the claim row gets ``sent_at`` or the ``error`` text.  The unique index on
   ``(kind, period) WHERE sent_at IS NOT NULL`` refuses a second "sent" row for the same week.

A failure is retried on a later tick, not before ``backoff_s × 2^(failures−1)`` minutes (at most 60) since
the last attempt.  A claim older than :data:`CLAIM_STALE_MIN` minutes (the sender was killed mid-send) counts
as a failed attempt.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from automation import clock
from automation.config import Settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.status.workbook import STATUS_FOLDER, nfc

log = logging.getLogger(__name__)

KIND = "weekly_status"
DRY_RUN_KIND = "weekly_status_dry_run"  # a dry run is once a week too, but never stands in for the real mail
BACKOFF_CAP_MIN = 60.0
CLAIM_STALE_MIN = 15.0  # a claim without result this old: the sender died; counts as a failure


def week_key(day: dt.date) -> str:
    """The ISO week of ``day``: ``"2021-W43"``."""
    iso = day.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def scheduled_at(settings: Settings, day: dt.date) -> dt.datetime:
    """When the status of the week of ``day`` is due: the configured weekday and time of that ISO week."""
    mail = settings.mail
    assert mail is not None
    monday = day - dt.timedelta(days=day.isoweekday() - 1)
    hh, mm = (int(x) for x in mail.time.split(":"))
    return dt.datetime.combine(monday + dt.timedelta(days=mail.weekday - 1), dt.time(hh, mm))


def due(settings: Settings, now: dt.datetime, ledger: Ledger, *, kind: str = KIND) -> bool:
    """True when mail is configured, ``now`` is on/after this week's weekday and time, and this week's status
    has not been sent.  (The back-off after a failure is applied by :func:`send_weekly_status`.)"""
    if settings.mail is None:
        return False
    if now < scheduled_at(settings, now.date()):
        return False
    return not ledger.mailings.sent(kind, week_key(now.date()))


def _wait_min(backoff_s: float, failures: int) -> float:
    return min(BACKOFF_CAP_MIN, backoff_s * 2 ** (failures - 1)) if failures > 0 else 0.0


def _blocked(settings: Settings, ledger: Ledger, kind: str, period: str, now: dt.datetime) -> str | None:
    """Why no attempt may start now (another sender at work, back-off window), or None."""
    rows = ledger.mailings.unsent(kind, period)
    if not rows:
        return None
    last = dt.datetime.fromisoformat(rows[-1]["attempted_at"])
    if rows[-1]["error"] is None and now - last < dt.timedelta(minutes=CLAIM_STALE_MIN):
        return "đang có tiến trình khác gửi"
    wait = _wait_min(settings.mail.backoff_s, len(rows))
    if now - last < dt.timedelta(minutes=wait):
        return f"chờ {wait:g} phút sau lần thử trước"
    return None


def _claim(settings: Settings, ledger: Ledger, kind: str, period: str, now: dt.datetime) -> int | None:
    """Check and record the attempt in one write transaction; the claim row's id, or None to skip.
    A stale claim (the sender died) becomes a failure with a reason, so the count and the log say so."""
    def may_start() -> bool:
        if settings.mail is None or now < scheduled_at(settings, now.date()) or ledger.mailings.sent(kind, period):
            return False
        why = _blocked(settings, ledger, kind, period, now)
        if why is not None:
            log.debug("weekly status %s not attempted: %s", period, why)
            return False
        return True

    return ledger.mailings.claim(kind, period, now, may_start)


def _extra_lines(settings: Settings, ledger: Ledger) -> list[str]:
    """What the weekly summary adds: drafts waiting for signature, earlier failed sendings."""
    lines = []
    waiting = ledger.drafts.awaiting_signature()
    if waiting:
        lines.append(f"- {len(waiting)} dự thảo văn bản đã hoàn chỉnh, chưa gửi trình ký "
                     f"(chạy lệnh cchc send-drafts): {', '.join(waiting)}.")
    lines += last_failures(ledger, limit=3)
    return [nfc(x) for x in lines]


def send_weekly_status(settings: Settings, now: dt.datetime | None = None, *, sleep=time.sleep,
                       dry_run: bool = False, table_of=None) -> str | None:
    """Send this week's status if due (see the module docstring); a Vietnamese line for the log, or None when
    there was nothing to do (not due, already sent, another sender at work, inside the back-off window).
    ``table_of(ledger)`` gives the appraisal table the status sheet shows (automation.app passes it)."""
    from automation import mail  # noqa: PLC0415
    from automation.status import message as status_message  # noqa: PLC0415
    from automation.status.workbook import write_status  # noqa: PLC0415

    if settings.mail is None:
        return None
    explicit = now is not None
    now = now or clock.now()
    kind = DRY_RUN_KIND if dry_run else KIND
    period = week_key(now.date())
    cfg = settings.mail
    with Ledger(settings.path(LEDGER_NAME)) as ledger:
        if not due(settings, now, ledger, kind=kind):
            return None
        claim = _claim(settings, ledger, kind, period, now)
        if claim is None:
            return None
        sent_at, error, detail = None, None, ""
        try:
            today = now.date()
            path = write_status(settings, today, ledger=ledger, table=table_of(ledger) if table_of else None)
            ms = mail.MailSettings.from_config(cfg)
            lines = status_message.summary_lines(settings, today) + _extra_lines(settings, ledger)
            message = status_message.build_message(settings, ms, path, lines, today)
            if dry_run:
                detail = str(mail.write_eml(message, settings.path(*STATUS_FOLDER), status_message.EML_PREFIX))
            else:
                mail.send(message, ms, attempts=cfg.attempts, backoff_s=cfg.backoff_s, sleep=sleep)
                detail = ", ".join(cfg.recipients)
            sent_at = now if explicit else max(now, clock.now())
        except Exception as exc:  # noqa: BLE001  (any failure is recorded and retried on a later tick)
            # a MailError is the Vietnamese sentence (mail.timeout, mail.refused…) without its full stop
            error = str(exc).rstrip(".") if isinstance(exc, mail.MailError) else f"{type(exc).__name__}: {exc}"
            log.warning("weekly status %s not sent: %s", period, error)
        if not ledger.mailings.finish(claim, sent_at, error, detail):
            return None  # another sender recorded this week first (should not happen: the claim)
        if error is None:
            if dry_run:
                return nfc(f"Đã ghi thư bảng trạng thái tuần {period} (không gửi): {detail}")
            return nfc(f"Đã gửi bảng trạng thái tuần {period} tới {detail}.")
        failures = ledger.mailings.failures(kind, period)
        wait = _wait_min(cfg.backoff_s, failures)
        return nfc(f"Gửi bảng trạng thái thất bại (lần thử {failures}): {error}, sẽ thử lại sau {wait:g} phút.")


def last_failures(ledger: Ledger, limit: int = 5) -> list[str]:
    """Vietnamese lines about the most recent failed sendings of the weekly status, newest first."""
    out = []
    for r in ledger.mailings.last_failures(KIND, limit):
        at = dt.datetime.fromisoformat(r["attempted_at"])
        line = f"- {at:%H:%M %d/%m/%Y}: gửi bảng trạng thái tuần {r['period']} thất bại: {r['error']}"
        if r["later_sent"]:
            line += f" (đã gửi lại được lúc {dt.datetime.fromisoformat(r['later_sent']):%H:%M %d/%m/%Y})"
        out.append(nfc(line + "."))
    return out
