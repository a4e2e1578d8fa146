"""The weekly status sent by ``cchc watch``: once per ISO week across restarts, failures recorded and retried
after a back-off window; a real workspace, a real ledger and a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import threading

import pytest

from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.status.schedule import DRY_RUN_KIND, KIND, due, last_failures, send_weekly_status, week_key
from tests.status.test_status import Store, _free_port, smtp_server  # noqa: F401  (fixture)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FRI = dt.datetime(2021, 10, 29, 16, 0)  # week 43, Friday 16:00 (the configured slot)


def _configure(ws, port, *, attempts=2, backoff_s=1.0, weekday='"friday"', time="16:00"):
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f"""
[mail]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "phongnoivu@vinhtuong.example"
recipients = ["hoidong@vinhtuong.example", "lanhdao@x.example"]
attempts = {attempts}
backoff_s = {backoff_s}
weekday = {weekday}
time = "{time}"
""", encoding="utf-8")
    return load_settings(ws)


def _rows(ws):
    with Ledger(ws / LEDGER_NAME) as ledger:
        return [dict(r) for r in ledger.db.execute("SELECT * FROM mail_sendings ORDER BY id")]


def no_sleep(s):
    pytest.fail("no retry expected")


def test_week_key():
    assert week_key(dt.date(2021, 10, 25)) == "2021-W43"
    assert week_key(dt.date(2021, 10, 31)) == "2021-W43"
    assert week_key(dt.date(2021, 11, 1)) == "2021-W44"
    assert week_key(dt.date(2021, 1, 3)) == "2020-W53"  # ISO year, not calendar year


def test_not_due_without_mail_settings(fast_ws):
    settings = load_settings(fast_ws)
    assert settings.mail is None
    with Ledger(fast_ws / LEDGER_NAME) as ledger:
        assert not due(settings, FRI, ledger)
    assert send_weekly_status(settings, FRI) is None
    assert _rows(fast_ws) == []


def test_sent_once_per_week_across_restarts(fast_ws, smtp_server):
    store = Store()
    settings = _configure(fast_ws, smtp_server(store))
    with Ledger(fast_ws / LEDGER_NAME) as ledger:
        assert not due(settings, FRI - dt.timedelta(minutes=1), ledger)
        assert not due(settings, dt.datetime(2021, 10, 25, 17, 0), ledger)  # Monday, after 16:00: not the day
        assert due(settings, FRI, ledger)
        assert due(settings, dt.datetime(2021, 10, 31, 8, 0), ledger)  # Sunday of the same week: still due
    assert send_weekly_status(settings, FRI - dt.timedelta(minutes=1), sleep=no_sleep) is None
    assert store.calls == 0 and _rows(fast_ws) == []

    line = send_weekly_status(settings, FRI + dt.timedelta(minutes=5), sleep=no_sleep)
    assert line == ("Đã gửi bảng trạng thái tuần 2021-W43 tới hoidong@vinhtuong.example, "
                    "lanhdao@x.example.")
    assert len(store.envelopes) == 1
    got = email.message_from_bytes(store.envelopes[0].original_content, policy=email.policy.default)
    assert got["Subject"].startswith("Báo cáo tình hình tiếp nhận hồ sơ Chỉ số CCHC năm 2021 – tuần 43")
    (att,) = list(got.iter_attachments())
    assert att.get_content_type() == XLSX and att.get_filename() == "trang-thai-2021-10-29.xlsx"
    assert (fast_ws / "outbox" / "trang-thai" / "trang-thai-2021-10-29.xlsx").is_file()
    (row,) = _rows(fast_ws)
    assert (row["kind"], row["period"], row["error"]) == (KIND, "2021-W43", None)
    assert row["attempted_at"] == "2021-10-29T16:05:00" and row["sent_at"] == "2021-10-29T16:05:00"

    # the same week again: nothing; a "restart" (new settings, new Ledger connection) changes nothing
    assert send_weekly_status(settings, FRI + dt.timedelta(hours=2), sleep=no_sleep) is None
    restarted = load_settings(fast_ws)
    with Ledger(fast_ws / LEDGER_NAME) as ledger:
        assert not due(restarted, dt.datetime(2021, 10, 31, 23, 59), ledger)
    assert send_weekly_status(restarted, dt.datetime(2021, 10, 31, 23, 59), sleep=no_sleep) is None
    # next week: not before its Friday 16:00, then once
    assert send_weekly_status(restarted, dt.datetime(2021, 11, 1, 9, 0), sleep=no_sleep) is None
    assert len(store.envelopes) == 1
    line = send_weekly_status(restarted, dt.datetime(2021, 11, 5, 16, 0), sleep=no_sleep)
    assert line.startswith("Đã gửi bảng trạng thái tuần 2021-W44 tới ")
    assert send_weekly_status(restarted, dt.datetime(2021, 11, 5, 16, 1), sleep=no_sleep) is None
    assert len(store.envelopes) == 2
    assert [(r["period"], r["error"]) for r in _rows(fast_ws)] == [("2021-W43", None), ("2021-W44", None)]


def test_cchc_now_is_the_clock(fast_ws, smtp_server, monkeypatch):
    store = Store()
    settings = _configure(fast_ws, smtp_server(store), weekday=3, time="08:30")  # Wednesday 08:30
    monkeypatch.setenv("CCHC_NOW", "2021-11-03T08:29:00")
    assert send_weekly_status(settings, sleep=no_sleep) is None
    monkeypatch.setenv("CCHC_NOW", "2021-11-03T08:30:00")
    assert send_weekly_status(settings, sleep=no_sleep).startswith("Đã gửi bảng trạng thái tuần 2021-W44")
    (row,) = _rows(fast_ws)
    assert row["attempted_at"] == "2021-11-03T08:30:00" and row["sent_at"] == "2021-11-03T08:30:00"
    assert len(store.envelopes) == 1


def test_refusing_server_recorded_backoff_respected_then_sent(fast_ws, smtp_server):
    store = Store(refuse=4)  # two ticks of two attempts each are refused
    settings = _configure(fast_ws, smtp_server(store), attempts=2, backoff_s=1.0)
    delays = []
    line = send_weekly_status(settings, FRI, sleep=delays.append)
    assert line.startswith("Gửi bảng trạng thái thất bại (lần thử 1): Máy chủ thư 127.0.0.1:"), line
    assert "từ chối thư: 451 try again (đã thử 2 lần), sẽ thử lại" in line
    assert "451" in line and line.endswith("sẽ thử lại sau 1 phút.")
    assert delays == [1.0] and store.calls == 2
    (row,) = _rows(fast_ws)
    assert row["sent_at"] is None and "451" in row["error"] and row["attempted_at"] == "2021-10-29T16:00:00"
    with Ledger(fast_ws / LEDGER_NAME) as ledger:
        assert due(settings, FRI, ledger)  # still due; the back-off is the sender's business
        (failure,) = last_failures(ledger)
    assert failure.startswith("- 16:00 29/10/2021: gửi bảng trạng thái tuần 2021-W43 thất bại: Máy chủ thư ")
    assert failure.endswith("từ chối thư: 451 try again (đã thử 2 lần).")

    # inside the 1-minute window: no attempt at all
    assert send_weekly_status(settings, FRI + dt.timedelta(seconds=59), sleep=delays.append) is None
    assert store.calls == 2 and len(_rows(fast_ws)) == 1
    # after it: a second failure, the window doubles to 2 minutes
    line = send_weekly_status(settings, FRI + dt.timedelta(minutes=1), sleep=delays.append)
    assert line.startswith("Gửi bảng trạng thái thất bại (lần thử 2)") and line.endswith("sau 2 phút.")
    assert store.calls == 4
    t2 = FRI + dt.timedelta(minutes=1)
    assert send_weekly_status(settings, t2 + dt.timedelta(seconds=119), sleep=delays.append) is None
    assert store.calls == 4
    line = send_weekly_status(settings, t2 + dt.timedelta(minutes=2), sleep=no_sleep)
    assert line.startswith("Đã gửi bảng trạng thái tuần 2021-W43")
    assert len(store.envelopes) == 1
    rows = _rows(fast_ws)
    assert [r["sent_at"] is not None for r in rows] == [False, False, True]
    assert send_weekly_status(settings, t2 + dt.timedelta(minutes=30), sleep=no_sleep) is None
    with Ledger(fast_ws / LEDGER_NAME) as ledger:
        lines = last_failures(ledger)
    assert len(lines) == 2 and all("đã gửi lại được lúc 16:03 29/10/2021" in l for l in lines)
    # the failures of an earlier week are told in the next week's mail
    send_weekly_status(settings, dt.datetime(2021, 11, 5, 16, 0), sleep=no_sleep)
    body = email.message_from_bytes(store.envelopes[-1].original_content, policy=email.policy.default) \
        .get_body(preferencelist=("plain",)).get_content()
    assert "gửi bảng trạng thái tuần 2021-W43 thất bại" in body


def test_backoff_is_capped_at_an_hour(fast_ws):
    settings = _configure(fast_ws, _free_port(), attempts=1, backoff_s=30.0)  # nothing listens there
    t = FRI
    line = send_weekly_status(settings, t, sleep=no_sleep)
    assert line.startswith("Gửi bảng trạng thái thất bại (lần thử 1)") and line.endswith("sau 30 phút.")
    t += dt.timedelta(minutes=30)
    assert send_weekly_status(settings, t, sleep=no_sleep).endswith("sau 60 phút.")
    t += dt.timedelta(minutes=60)
    assert send_weekly_status(settings, t, sleep=no_sleep).endswith("sau 60 phút.")  # 120 capped at 60
    assert send_weekly_status(settings, t + dt.timedelta(minutes=59), sleep=no_sleep) is None
    assert "(lần thử 4)" in send_weekly_status(settings, t + dt.timedelta(minutes=60), sleep=no_sleep)


def test_another_sender_at_work_is_not_disturbed(fast_ws, smtp_server):
    store = Store()
    settings = _configure(fast_ws, smtp_server(store))
    with Ledger(fast_ws / LEDGER_NAME) as ledger:  # another watcher has claimed the week and is sending
        ledger.db.execute("INSERT INTO mail_sendings (kind, period, attempted_at) VALUES (?, ?, ?)",
                          (KIND, "2021-W43", "2021-10-29T16:00:00"))
    assert send_weekly_status(settings, FRI + dt.timedelta(minutes=10), sleep=no_sleep) is None
    assert store.calls == 0
    # a claim 15 minutes old without result: that sender died; it counts as a failure and we send
    line = send_weekly_status(settings, FRI + dt.timedelta(minutes=15), sleep=no_sleep)
    assert line.startswith("Đã gửi bảng trạng thái tuần 2021-W43")
    rows = _rows(fast_ws)
    assert rows[0]["error"].startswith("bị gián đoạn") and rows[1]["sent_at"] is not None


def test_two_watchers_at_once_send_once(fast_ws, smtp_server):
    store = Store()
    settings = _configure(fast_ws, smtp_server(store))
    Ledger(fast_ws / LEDGER_NAME).close()  # the schema exists before the race
    results, barrier = [], threading.Barrier(4)

    def watcher():
        barrier.wait()
        results.append(send_weekly_status(load_settings(fast_ws), FRI, sleep=no_sleep))

    threads = [threading.Thread(target=watcher) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(store.envelopes) == 1
    assert sorted(r is None for r in results) == [False, True, True, True]
    assert [r["sent_at"] is not None for r in _rows(fast_ws)] == [True]


def test_dry_run_writes_the_eml_once_and_does_not_count_as_sent(fast_ws, smtp_server):
    store = Store()
    settings = _configure(fast_ws, smtp_server(store))
    line = send_weekly_status(settings, FRI, sleep=no_sleep, dry_run=True)
    assert line.startswith("Đã ghi thư bảng trạng thái tuần 2021-W43 (không gửi): ")
    (eml,) = (fast_ws / "outbox" / "trang-thai").glob("*.eml")
    got = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert got["To"] == "hoidong@vinhtuong.example, lanhdao@x.example"
    assert [a.get_filename() for a in got.iter_attachments()] == ["trang-thai-2021-10-29.xlsx"]
    assert send_weekly_status(settings, FRI + dt.timedelta(hours=1), dry_run=True) is None
    assert store.calls == 0
    assert [r["kind"] for r in _rows(fast_ws)] == [DRY_RUN_KIND]
    assert send_weekly_status(settings, FRI + dt.timedelta(hours=1), sleep=no_sleep).startswith("Đã gửi")
    assert len(store.envelopes) == 1


def test_the_weekly_mail_tells_the_drafts_awaiting_signature(fast_ws, smtp_server):
    from automation.documents.generate import write_draft
    from tests.documents.test_render import make_template

    store = Store()
    settings = _configure(fast_ws, smtp_server(store))
    make_template(fast_ws / "templates" / "mau.docx", ["Số lần: {{ n }}"])
    write_draft(settings, "plan", None, "mau.docx", {"du_thao": False, "n": 1}, "ke-hoach.docx")
    send_weekly_status(settings, FRI, sleep=no_sleep)
    body = email.message_from_bytes(store.envelopes[0].original_content, policy=email.policy.default) \
        .get_body(preferencelist=("plain",)).get_content()
    assert ("- 1 dự thảo văn bản đã hoàn chỉnh, chưa gửi trình ký (chạy lệnh cchc send-drafts): "
            "outbox/du-thao/ke-hoach.docx.") in body
