"""A sending never outlasts ``[mail] timeout_s``: real TCP servers on loopback that drip their greeting one line
or one byte every few seconds, drip the EHLO answer, never speak, or refuse slowly again and again; the time-out
through ``cchc status --send``; ``timeout_s`` in cchc.toml.  Per-read time-outs alone would wait for ever on the
dripping servers: only the deadline of the attempt ends them."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

from automation import mail
from automation.config import load_settings
from automation.problems import ConfigError, MailError

TIMEOUT_S = 3.0
MARGIN_S = 5.0  # a correctness bound on a shared machine, not a speed benchmark


class Drip:
    """A TCP server on 127.0.0.1: each connection it accepts gets ``chunk(0)`` after ``first`` seconds, then
    ``chunk(1)``, ``chunk(2)``… one every ``every`` seconds (``None``: nothing more), whatever the client says.
    One thread serves all; a connection the client closed is closed here too (``open`` counts the others)."""

    def __init__(self, chunk, every: float, first: float = 0.0):
        self.chunk, self.every, self.first = chunk, every, first
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.setblocking(False)
        self.port = self.listener.getsockname()[1]
        self.accepted = 0
        self._conns: list[list] = []  # [socket, next chunk number, when]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="drip-server", daemon=True)
        self._thread.start()

    @property
    def open(self) -> int:
        return len(self._conns)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            try:
                conn, _ = self.listener.accept()
                conn.setblocking(False)
                self.accepted += 1
                self._conns.append([conn, 0, time.monotonic() + self.first])
            except BlockingIOError:
                pass
            for entry in list(self._conns):
                conn, n, when = entry
                try:
                    if conn.recv(4096) == b"":  # the client closed its end
                        raise ConnectionResetError
                except BlockingIOError:
                    pass
                except OSError:
                    conn.close()
                    self._conns.remove(entry)
                    continue
                data = self.chunk(n)
                if data is not None and time.monotonic() >= when:
                    try:
                        conn.sendall(data)
                    except OSError:
                        pass
                    entry[1:] = [n + 1, when + self.every]

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        for conn, *_ in self._conns:
            conn.close()
        self.listener.close()


@pytest.fixture()
def drip():
    servers = []

    def start(chunk, every, first=0.0):
        servers.append(Drip(chunk, every, first))
        return servers[-1]

    yield start
    for s in servers:
        s.close()


def _settings(port, **kw) -> mail.MailSettings:
    base = dict(host="127.0.0.1", port=port, security="none", user="", password_env="CCHC_TEST_DRIP_PW",
                sender="phongnoivu@vinhtuong.example", recipients=("hoidong@vinhtuong.example",),
                timeout_s=TIMEOUT_S)
    base.update(kw)
    return mail.MailSettings(**base)


GREETING_LINES = (lambda n: b"220-slow.example ESMTP, still greeting\r\n", 2.0)
GREETING_BYTES = (lambda n: b"220-"[n:n + 1] or b"x", 1.0)  # one line that never ends, a byte a second
EHLO_LINES = (lambda n: b"220 slow.example ESMTP\r\n" if n == 0 else b"250-slow.example\r\n", 2.0)


def _no_watchdog_left() -> bool:
    return not [t for t in threading.enumerate() if isinstance(t, threading.Timer) and t.is_alive()]


@pytest.mark.parametrize("script", [GREETING_LINES, GREETING_BYTES, EHLO_LINES],
                         ids=["greeting-lines", "greeting-bytes", "ehlo-lines"])
def test_a_dripping_server_times_out_at_the_deadline(drip, script):
    server = drip(*script)
    ms = _settings(server.port)
    started = time.monotonic()
    with pytest.raises(MailError) as err:
        mail.send(mail.new_message(ms, "Báo cáo", "Nội dung"), ms, attempts=4, backoff_s=0.5)
    elapsed = time.monotonic() - started
    assert TIMEOUT_S - 0.5 < elapsed < TIMEOUT_S + MARGIN_S, elapsed
    assert err.value.code == "mail.timeout" and server.accepted == 1  # the deadline left no time to retry
    assert str(err.value) == (f"Máy chủ thư 127.0.0.1:{server.port} không trả lời kịp: quá 3 giây mà chưa gửi "
                              "xong thư (đã thử 1 lần).")
    assert "timeout_s" in err.value.problem.fix
    deadline = time.monotonic() + 2
    while server.open and time.monotonic() < deadline:  # the server sees the client's end closed
        time.sleep(0.05)
    assert server.open == 0 and _no_watchdog_left()  # no socket (nor its duplicate) and no timer left


def test_a_server_that_never_speaks(drip):
    server = drip(lambda n: None, 1.0)
    ms = _settings(server.port)
    started = time.monotonic()
    with pytest.raises(MailError) as err:
        mail.send(mail.new_message(ms, "Báo cáo", "Nội dung"), ms, attempts=3, backoff_s=0.5)
    assert time.monotonic() - started < TIMEOUT_S + MARGIN_S
    assert err.value.code == "mail.timeout" and f"127.0.0.1:{server.port}" in str(err.value)


def test_retries_never_outlast_the_deadline(drip):
    server = drip(lambda n: b"421 4.3.2 Service busy, try later\r\n" if n == 0 else None, 1.0, first=0.8)
    ms = _settings(server.port)
    started = time.monotonic()
    with pytest.raises(MailError) as err:  # the real time.sleep: the back-offs count
        mail.send(mail.new_message(ms, "Báo cáo", "Nội dung"), ms, attempts=10, backoff_s=0.3)
    elapsed = time.monotonic() - started
    assert elapsed < TIMEOUT_S + MARGIN_S, elapsed
    assert err.value.code in ("mail.timeout", "mail.refused")
    tries = int(re.search(r"\(đã thử (\d+) lần\)", str(err.value)).group(1))
    assert 2 <= tries < 10  # retried, but only while the deadline allowed
    time.sleep(0.3)  # the server's loop takes the last connection from the backlog
    assert tries - 1 <= server.accepted <= tries


def _with_mail(ws, port, **extra):
    fields = {"host": '"127.0.0.1"', "port": str(port), "security": '"none"',
              "sender": '"phongnoivu@vinhtuong.example"', "recipients": '["hoidong@vinhtuong.example"]', **extra}
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "\n[mail]\n"
                    + "".join(f"{k} = {v}\n" for k, v in fields.items()), encoding="utf-8")


def test_cchc_status_send_times_out_in_vietnamese(fast_ws, drip, capsys):
    from automation.cli import main

    server = drip(*GREETING_LINES)
    _with_mail(fast_ws, server.port, timeout_s="3", attempts="3", backoff_s="0.5")
    started = time.monotonic()
    with pytest.raises(SystemExit) as exc:
        main(["status", "--send", "--workspace", str(fast_ws)])
    elapsed = time.monotonic() - started
    out = capsys.readouterr()
    assert exc.value.code == 1 and "Đã lập bảng trạng thái" in out.out
    assert out.err.startswith(f"Lỗi [mail.timeout]: Máy chủ thư 127.0.0.1:{server.port} không trả lời kịp: quá 3 "
                              "giây mà chưa gửi xong thư"), out.err
    assert "tăng timeout_s trong mục [mail]" in out.err
    assert "Traceback" not in out.out + out.err and "TimeoutError" not in out.err
    assert elapsed < 20, elapsed  # the status sheet is written first; the mail itself stops after 3 s


def test_the_weekly_status_of_watch_records_the_time_out(fast_ws, drip):
    from automation.status.schedule import send_weekly_status
    from tests.status.test_schedule import FRI, _rows

    server = drip(*EHLO_LINES)
    _with_mail(fast_ws, server.port, timeout_s="3", attempts="2", backoff_s="1.0", weekday='"friday"',
               time='"16:00"')
    started = time.monotonic()
    line = send_weekly_status(load_settings(fast_ws), FRI)
    assert time.monotonic() - started < 20
    assert line.startswith(f"Gửi bảng trạng thái thất bại (lần thử 1): Máy chủ thư 127.0.0.1:{server.port} "
                           "không trả lời kịp: quá 3 giây mà chưa gửi xong thư (đã thử 1 lần), sẽ thử lại"), line
    (row,) = _rows(fast_ws)
    assert row["sent_at"] is None and "không trả lời kịp" in row["error"]


def test_a_timeout_beyond_an_hour_is_refused():
    with pytest.raises(MailError) as err:
        _settings(25, timeout_s=float("inf"))
    assert err.value.code == "mail.config" and "timeout_s" in str(err.value)


def test_timeout_s_in_the_configuration(fast_ws):
    _with_mail(fast_ws, 25, timeout_s="2.5")
    cfg = load_settings(fast_ws).mail
    assert cfg.timeout_s == 2.5 and mail.MailSettings.from_config(cfg).timeout_s == 2.5


def test_timeout_s_defaults_to_a_minute(fast_ws):
    _with_mail(fast_ws, 25)
    assert load_settings(fast_ws).mail.timeout_s == 60.0


@pytest.mark.parametrize("value,detail", [("0", "phải lớn hơn 0"), ("-5", "phải lớn hơn 0"),
                                          ("100000", "không quá 3600 giây"), ("inf", "không quá 3600 giây"),
                                          ('"nhanh"', "cần số")])
def test_a_bad_timeout_s_names_its_key(fast_ws, value, detail):
    _with_mail(fast_ws, 25, timeout_s=value)
    with pytest.raises(ConfigError) as err:
        load_settings(fast_ws)
    assert err.value.code == "config.invalid" and "“mail.timeout_s”" in str(err.value) and detail in str(err.value)
