"""Mail over TLS with a CA of one's own (``[mail] ca_file``): a test CA and a server certificate for
localhost/127.0.0.1 made here, a real aiosmtpd server with STARTTLS or implicit TLS, logins over TLS, and a
server refusing the recipient.  No mock of the network: every failure is the one a real server gives."""

from __future__ import annotations

import dataclasses
import datetime as dt
import email
import email.policy
import ipaddress
import ssl
import time

import pytest
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from automation import mail
from automation.config import load_settings
from automation.problems import ConfigError, MailError
from tests.status.test_status import Store, smtp_server  # noqa: F401  (fixture)

SUBJECT = "Báo cáo tình hình tiếp nhận hồ sơ Chỉ số CCHC – tuần 44"
BODY = "Kính gửi Hội đồng thẩm định: đã nhận 3/28 đơn vị, đúng hạn 2, đạt 2.\nPhòng Nội vụ huyện Vĩnh Tường"


def _name(cn: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])


def _cert(subject, issuer, public_key, signing_key, *, ca: bool, san=None) -> x509.Certificate:
    now = dt.datetime.now(dt.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(subject).issuer_name(issuer).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(now - dt.timedelta(hours=1)).not_valid_after(now + dt.timedelta(days=2))
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(
            digital_signature=True, key_cert_sign=True, crl_sign=True, content_commitment=False,
            key_encipherment=False, data_encipherment=False, key_agreement=False, encipher_only=False,
            decipher_only=False), critical=True)
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return builder.sign(signing_key, hashes.SHA256())


def _pem(cert: x509.Certificate) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    """A provincial CA of its own (ca.pem) and the mail server's certificate it signed (server.pem/.key)."""
    folder = tmp_path_factory.mktemp("pki")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _cert(_name("CA Sở Thông tin và Truyền thông (thử nghiệm)"), _name("CA Sở Thông tin và Truyền thông (thử nghiệm)"),
               ca_key.public_key(), ca_key, ca=True)
    key = ec.generate_private_key(ec.SECP256R1())
    server = _cert(_name("localhost"), ca.subject, key.public_key(), ca_key, ca=False,
                   san=[x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))])
    (folder / "ca.pem").write_bytes(_pem(ca))
    (folder / "server.pem").write_bytes(_pem(server) + _pem(ca))
    (folder / "server.key").write_bytes(key.private_bytes(serialization.Encoding.PEM,
                                                          serialization.PrivateFormat.PKCS8,
                                                          serialization.NoEncryption()))
    return folder


def _server_context(pki) -> ssl.SSLContext:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(pki / "server.pem", pki / "server.key")
    return ctx


@pytest.fixture()
def tls_server(pki, smtp_server):
    """start(handler, implicit=False, **kw) -> port: aiosmtpd on 127.0.0.1 with STARTTLS (required) or
    implicit TLS, presenting the certificate of the test CA."""

    def start(handler, *, implicit=False, **kw):
        ctx = _server_context(pki)
        tls = {"ssl_context": ctx} if implicit else {"tls_context": ctx, "require_starttls": True}
        return smtp_server(handler, **tls, **kw)

    return start


def _settings(port, security, **kw) -> mail.MailSettings:
    base = dict(host="127.0.0.1", port=port, security=security, user="", password_env="CCHC_TEST_TLS_PW",
                sender="phongnoivu@vinhtuong.example", recipients=("hoidong@vinhtuong.example",), timeout_s=10)
    base.update(kw)
    return mail.MailSettings(**base)


def _received(store: Store):
    [env] = store.envelopes
    return email.message_from_bytes(env.original_content, policy=email.policy.default)


@pytest.mark.parametrize("security,implicit", [("starttls", False), ("ssl", True)])
def test_delivered_over_tls_trusting_the_ca_file(tls_server, pki, security, implicit):
    store = Store()
    port = tls_server(store, implicit=implicit)
    ms = _settings(port, security, ca_file=pki / "ca.pem")
    mail.send(mail.new_message(ms, SUBJECT, BODY), ms, sleep=lambda s: pytest.fail("no retry expected"))
    got = _received(store)
    assert got["Subject"] == SUBJECT and got.get_content().splitlines() == BODY.splitlines()
    assert store.envelopes[0].rcpt_tos == ["hoidong@vinhtuong.example"]


@pytest.mark.parametrize("security,implicit", [("starttls", False), ("ssl", True)])
def test_without_the_ca_file_the_certificate_is_not_trusted(tls_server, security, implicit):
    store = Store()
    port = tls_server(store, implicit=implicit)
    ms = _settings(port, security)  # the system's CAs: they never signed the test CA
    started = time.monotonic()
    with pytest.raises(MailError) as err:
        mail.send(mail.new_message(ms, SUBJECT, BODY), ms, sleep=lambda s: pytest.fail("a TLS failure is not retried"))
    assert time.monotonic() - started < 5
    assert err.value.code == "mail.tls" and isinstance(err.value.__cause__, ssl.SSLCertVerificationError)
    assert str(err.value).startswith(f"Chứng chỉ của máy chủ thư 127.0.0.1:{port} không được tin cậy: ")
    assert "ca_file" in err.value.problem.fix and not store.envelopes


def test_a_server_without_starttls_is_a_tls_problem(pki, smtp_server):
    store = Store()
    port = smtp_server(store)  # plain SMTP, no STARTTLS offered
    ms = _settings(port, "starttls", ca_file=pki / "ca.pem")
    with pytest.raises(MailError) as err:
        mail.send(mail.new_message(ms, SUBJECT, BODY), ms, sleep=lambda s: pytest.fail("not retried"))
    assert err.value.code == "mail.tls" and "không hỗ trợ STARTTLS" in str(err.value)
    assert f"127.0.0.1:{port}" in str(err.value) and "465" in err.value.problem.fix and not store.envelopes


def _authenticator(server, session, envelope, mechanism, auth_data):
    ok = auth_data.login == b"phongnoivu" and auth_data.password == b"mat-khau-2021"
    return AuthResult(success=ok, handled=False)  # handled=False: the server answers 535


def test_login_over_starttls(tls_server, pki, monkeypatch):
    store = Store()
    port = tls_server(store, authenticator=_authenticator, auth_required=True, auth_require_tls=True)
    ms = _settings(port, "starttls", ca_file=pki / "ca.pem", user="phongnoivu")
    message = mail.new_message(ms, SUBJECT, BODY)
    monkeypatch.setenv("CCHC_TEST_TLS_PW", "sai-mat-khau")
    with pytest.raises(MailError) as err:
        mail.send(message, ms, sleep=lambda s: pytest.fail("a wrong password is not retried"))
    assert err.value.code == "mail.auth" and "535" in str(err.value) and not store.envelopes
    assert str(err.value).startswith(f"Máy chủ thư 127.0.0.1:{port} không chấp nhận đăng nhập của tài khoản "
                                     "phongnoivu")
    assert "CCHC_TEST_TLS_PW" in err.value.problem.fix
    monkeypatch.setenv("CCHC_TEST_TLS_PW", "mat-khau-2021")
    mail.send(message, ms, sleep=lambda s: pytest.fail("no retry expected"))
    assert _received(store)["Subject"] == SUBJECT


class RefuseRecipient(Store):
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.calls += 1
        return "550 5.1.1 No such mailbox"


def test_a_refused_recipient_is_mail_refused(tls_server, pki):
    store = RefuseRecipient()
    port = tls_server(store)
    ms = _settings(port, "starttls", ca_file=pki / "ca.pem")
    delays = []
    with pytest.raises(MailError) as err:
        mail.send(mail.new_message(ms, SUBJECT, BODY), ms, attempts=2, backoff_s=0.1, sleep=delays.append)
    assert err.value.code == "mail.refused" and store.calls == 2 and delays == [0.1]
    assert str(err.value) == (f"Máy chủ thư 127.0.0.1:{port} từ chối thư: hoidong@vinhtuong.example: 550 5.1.1 "
                              "No such mailbox (đã thử 2 lần).")
    assert "recipients" in err.value.problem.fix and not store.envelopes


# --- [mail] ca_file in cchc.toml ------------------------------------------------------------------

def _with_ca_file(ws, value: str):
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'''
[mail]
host = "127.0.0.1"
port = 587
sender = "phongnoivu@vinhtuong.example"
recipients = ["hoidong@vinhtuong.example"]
ca_file = "{value}"
''', encoding="utf-8")


def test_ca_file_is_found_beside_the_configuration(fast_ws, pki, tls_server):
    (fast_ws / "chung-chi").mkdir()
    (fast_ws / "chung-chi" / "ca-tinh.pem").write_bytes((pki / "ca.pem").read_bytes())
    _with_ca_file(fast_ws, "chung-chi/ca-tinh.pem")
    cfg = load_settings(fast_ws).mail
    assert cfg.ca_file == fast_ws.resolve() / "chung-chi" / "ca-tinh.pem"
    store = Store()
    ms = dataclasses.replace(mail.MailSettings.from_config(cfg), port=tls_server(store))
    assert ms.ca_file == cfg.ca_file
    mail.send(mail.new_message(ms, SUBJECT, BODY), ms, sleep=lambda s: pytest.fail("no retry expected"))
    assert _received(store)["Subject"] == SUBJECT


def test_no_ca_file_means_the_system_cas(fast_ws):
    _with_ca_file(fast_ws, "")
    assert load_settings(fast_ws).mail.ca_file is None


def test_a_bad_ca_file_names_its_key(fast_ws):
    (fast_ws / "khong-phai-pem.pem").write_text("Đây không phải chứng chỉ\n", encoding="utf-8")
    for value, detail in (("thieu.pem", "không tìm thấy tệp chứng chỉ"), ("khong-phai-pem.pem", "dạng PEM"),
                          ("templates", "không tìm thấy tệp chứng chỉ")):
        toml = fast_ws / "cchc.toml"
        text = toml.read_text(encoding="utf-8")
        _with_ca_file(fast_ws, value)
        with pytest.raises(ConfigError) as err:
            load_settings(fast_ws)
        assert err.value.code == "config.invalid" and "“mail.ca_file”" in str(err.value), str(err.value)
        assert detail in str(err.value) and value in str(err.value)
        toml.write_text(text, encoding="utf-8")
