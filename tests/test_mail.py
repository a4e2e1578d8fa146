"""The mail transport: settings from [mail], the message envelope, retries and refusals on a real SMTP server
(the weekly status message over loopback), passwords, the classified failures, the .eml.  TLS, certificates and
logins: tests/test_mail_tls.py; the deadline against slow servers: tests/test_mail_deadline.py."""

from __future__ import annotations

import email
import email.policy
import time

import pytest
from aiosmtpd.smtp import AuthResult

from automation import mail
from automation.config import Mail
from automation.mail import send
from automation.problems import CchcError, MailError
from tests.status.test_status import Store, _free_port, _mail, _message, smtp_server, ws  # noqa: F401  (fixtures)

CFG = Mail(host="mail.example", port=587, security="starttls", user="nv", password_env="CCHC_PW",
           sender="phongnoivu@vinhtuong.example", recipients=("hoidong@vinhtuong.example",), attempts=3,
           backoff_s=1.0, weekday=5, time="16:00")


def test_settings_from_the_configuration():
    ms = mail.MailSettings.from_config(CFG)
    assert (ms.host, ms.port, ms.security, ms.user, ms.password_env, ms.sender, ms.recipients) == (
        "mail.example", 587, "starttls", "nv", "CCHC_PW", "phongnoivu@vinhtuong.example", ("hoidong@vinhtuong.example",))
    assert (ms.timeout_s, ms.ca_file, ms.server) == (60.0, None, "mail.example:587")
    assert mail.MailSettings.from_config(CFG, ["ck@x.example"]).recipients == ("ck@x.example",)


def test_without_mail_configuration_only_a_dry_run_goes_on():
    with pytest.raises(MailError) as err:
        mail.MailSettings.from_config(None)
    assert err.value.code == "mail.not_configured" and isinstance(err.value, CchcError)
    ms = mail.MailSettings.from_config(None, dry_run=True)
    assert (ms.host, ms.sender, ms.recipients) == ("localhost", "cchc@localhost", ("nguoi-nhan@localhost",))
    assert mail.MailSettings.from_config(None, ("ck@x.example",), dry_run=True).recipients == ("ck@x.example",)


def test_configuration_mistakes_have_their_codes(monkeypatch):
    with pytest.raises(MailError) as err:
        mail.MailSettings("h", 25, "tls", "", "", "a@b", ("c@d",))
    assert err.value.code == "mail.config" and "starttls, ssl, none" in err.value.problem.message
    assert "“tls”" in str(err.value)
    ms = mail.MailSettings("h", 25, "none", "nv", "", "a@b", ("c@d",))
    with pytest.raises(MailError) as err:
        ms.password()
    assert err.value.code == "mail.config" and "password_env" in str(err.value) and err.value.problem.fix


def test_the_message_envelope():
    ms = mail.MailSettings.from_config(CFG)
    msg = mail.new_message(ms, "Tie\u0302u \u0111e\u0302\u0300", "Ki\u0301nh gu\u031b\u0309i")  # decomposed
    got = email.message_from_bytes(msg.as_bytes(policy=email.policy.SMTP), policy=email.policy.default)
    assert got["Subject"] == "Tiêu đề" and got["From"] == CFG.sender and got["To"] == "hoidong@vinhtuong.example"
    assert got["Message-ID"].endswith("@vinhtuong.example>") and got["Date"]
    assert got.get_content().strip() == "Kính gửi"


def test_a_network_failure_after_the_retries_is_mail_failed():
    port = _free_port()  # nothing listens there
    ms = mail.MailSettings("127.0.0.1", port, "none", "", "", "a@b.example", ("c@d.example",), timeout_s=5)
    delays = []
    with pytest.raises(MailError) as err:
        mail.send(mail.new_message(ms, "s", "b"), ms, attempts=2, backoff_s=0.5, sleep=delays.append)
    assert delays == [0.5] and err.value.code == "mail.failed"
    assert isinstance(err.value.__cause__, ConnectionRefusedError)
    assert str(err.value).startswith("Không gửi được thư: ConnectionRefusedError: ")
    assert f"(máy chủ 127.0.0.1:{port})" in str(err.value) and err.value.problem.fix


# --- on a real SMTP server (moved from tests/status/test_status.py) -----------------------------

def test_refusals_are_retried_with_growing_backoff(ws, smtp_server):
    store = Store(refuse=2)
    port = smtp_server(store)
    mail = _mail(port)
    message, _ = _message(ws, mail)
    delays = []
    send(message, mail, attempts=4, backoff_s=0.5, sleep=delays.append)
    assert store.calls == 3 and len(store.envelopes) == 1
    assert delays == [0.5, 1.0]


def test_a_server_that_always_refuses_raises_after_the_attempts(ws, smtp_server):
    store = Store(refuse=99)
    port = smtp_server(store)
    mail = _mail(port)
    message, _ = _message(ws, mail)
    delays = []
    with pytest.raises(MailError) as info:
        send(message, mail, attempts=3, backoff_s=1.0, sleep=delays.append)
    assert info.value.code == "mail.refused" and info.value.__cause__.smtp_code == 451
    assert str(info.value) == f"Máy chủ thư 127.0.0.1:{port} từ chối thư: 451 try again (đã thử 3 lần)."
    assert store.calls == 3 and not store.envelopes and delays == [1.0, 2.0]


def test_connection_refused_is_retried_then_raised(ws):
    mail = _mail(_free_port())  # nothing listens there
    message, _ = _message(ws, mail)
    delays = []
    with pytest.raises(MailError) as err:
        send(message, mail, attempts=3, backoff_s=2.0, sleep=delays.append)
    assert delays == [2.0, 4.0] and err.value.code == "mail.failed"


def test_backoffs_that_would_pass_the_deadline_are_not_waited_for(ws):
    mail = _mail(_free_port(), timeout_s=2)  # nothing listens there
    message, _ = _message(ws, mail)
    delays = []

    def sleep(s):  # really waits: the deadline is on the clock
        delays.append(s)
        time.sleep(s)

    started = time.monotonic()
    with pytest.raises(MailError) as err:
        send(message, mail, attempts=6, backoff_s=0.4, sleep=sleep)
    assert delays == [0.4, 0.8] and err.value.code == "mail.failed"  # 1.6 s more would end after the 2 s
    assert time.monotonic() - started < 2


def _authenticator(seen):
    def check(server, session, envelope, mechanism, auth_data):
        seen.append((mechanism, auth_data.login, auth_data.password))
        ok = auth_data.login == b"phongnoivu" and auth_data.password == b"mat-khau-2021"
        return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535
    return check


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_password_comes_from_the_named_variable(ws, smtp_server, monkeypatch):
    seen, store = [], Store()
    port = smtp_server(store, authenticator=_authenticator(seen), auth_required=True, auth_require_tls=False)
    mail = _mail(port, user="phongnoivu")
    message, _ = _message(ws, mail)
    monkeypatch.setenv("CCHC_TEST_SMTP_PW", "mật-khẩu")  # smtplib cannot send it: a clear error, no retry
    with pytest.raises(MailError, match="ASCII"):
        send(message, mail, sleep=lambda s: pytest.fail("not retried"))
    monkeypatch.setenv("CCHC_TEST_SMTP_PW", "mat-khau-2021")
    send(message, mail, sleep=lambda s: pytest.fail("no retry expected"))
    assert len(store.envelopes) == 1 and seen and seen[-1][1] == b"phongnoivu"
    # a wrong password is refused by the server and not retried
    monkeypatch.setenv("CCHC_TEST_SMTP_PW", "sai")
    with pytest.raises(MailError) as err:
        send(message, mail, sleep=lambda s: pytest.fail("a wrong password is not retried"))
    assert err.value.code == "mail.auth" and "535" in str(err.value) and len(store.envelopes) == 1
    assert f"Máy chủ thư 127.0.0.1:{port} không chấp nhận đăng nhập của tài khoản phongnoivu" in str(err.value)
    assert "CCHC_TEST_SMTP_PW" in err.value.problem.fix
    # without login the server refuses the mail (530 AUTH required): told as a login matter, not retried
    with pytest.raises(MailError) as err:
        send(message, _mail(port), sleep=lambda s: pytest.fail("not retried"))
    assert err.value.code == "mail.auth" and "530" in str(err.value) and "password_env" in err.value.problem.fix


def test_missing_password_variable_gives_a_clear_error(ws, monkeypatch):
    monkeypatch.delenv("CCHC_TEST_SMTP_PW", raising=False)
    mail = _mail(_free_port(), user="phongnoivu")
    message, _ = _message(ws, mail)
    with pytest.raises(MailError, match="Chưa đặt biến môi trường CCHC_TEST_SMTP_PW"):
        send(message, mail, sleep=lambda s: pytest.fail("nothing to retry"))


def test_bad_mail_settings_are_refused():
    with pytest.raises(MailError, match="security"):
        _mail(25, security="tls")
    with pytest.raises(MailError, match="người nhận"):
        _mail(25, recipients=())


def test_write_eml_never_overwrites(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2021-11-03T08:15:00")
    ms = mail.MailSettings.from_config(CFG)
    msg = mail.new_message(ms, "s", "b")
    first = mail.write_eml(msg, tmp_path / "thu", "thu-thu")
    second = mail.write_eml(msg, tmp_path / "thu", "thu-thu")
    assert first.name == "thu-thu-2021-11-03-081500.eml" and second.name == "thu-thu-2021-11-03-081500-2.eml"
    assert sorted(p.name for p in (tmp_path / "thu").iterdir()) == sorted([first.name, second.name])  # no temp left
    assert email.message_from_bytes(first.read_bytes())["From"] == CFG.sender


def test_the_transport_knows_no_status_and_no_ledger():
    import ast
    from pathlib import Path

    tree = ast.parse(Path(mail.__file__).read_text(encoding="utf-8"))
    used = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
    used |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    ours = {m for m in used if m.startswith("automation")}
    assert ours <= {"automation", "automation.config", "automation.problems", "automation.vntext"}, ours
