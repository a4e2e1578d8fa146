"""``cchc send-drafts``: the final drafts go to the signer in one e-mail with their PDFs, once; edited drafts are
skipped; a dry run writes a .eml and marks nothing.  Real drafts, a real ledger, a real SMTP server."""

from __future__ import annotations

import email
import email.policy

import pytest

from automation.config import init_workspace, load_settings
from automation.documents.generate import write_draft
from automation.documents.send import EDITED, MISSING, send_drafts
from automation.formats.convert import Converter
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.mail import MailError
from tests.documents.test_generate import staff_edit
from tests.documents.test_render import make_template
from tests.status.test_status import Store, smtp_server  # noqa: F401  (fixture)

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
SIGNER = "chutich@vinhtuong.example"
# a minimal, valid one-page PDF, for the tests that do not need LibreOffice
TINY_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>"
            b"endobj 3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")


@pytest.fixture()
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2022-01-20T09:00:00")
    root = init_workspace(tmp_path / "ws")
    make_template(root / "templates" / "mau.docx", ["{% if du_thao %}DỰ THẢO{% endif %}", "Số lần: {{ n }}"])
    return root


def _configure(ws, port=2525, signer=SIGNER):
    toml = ws / "cchc.toml"
    text = toml.read_text(encoding="utf-8").replace('signer_email = ""', f'signer_email = "{signer}"')
    toml.write_text(text + f"""
[mail]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "phongnoivu@vinhtuong.example"
recipients = ["hoidong@vinhtuong.example"]
attempts = 2
backoff_s = 0.1
""", encoding="utf-8")
    return load_settings(ws)


def _drafts(settings):
    """Two final drafts (the decision, Kim Xá's notice) and one that is not final (the report)."""
    decision = write_draft(settings, "decision", None, "mau.docx", {"du_thao": False, "n": 1}, "quyet-dinh.docx")
    notice = write_draft(settings, "notice", "09079", "mau.docx", {"du_thao": False, "n": 2},
                         "thong-bao/thong-bao-kim-xa.docx")
    report = write_draft(settings, "report", None, "mau.docx", {"du_thao": True, "n": 3}, "bao-cao.docx")
    assert decision.final and notice.final and not report.final
    return decision.path, notice.path, report.path


def _with_pdfs(*paths):
    for p in paths:
        p.with_suffix(".pdf").write_bytes(TINY_PDF)


def _sent_at(ws):
    with Ledger(ws / LEDGER_NAME) as ledger:
        return {r["path"]: r["sent_at"] for r in ledger.db.execute("SELECT path, sent_at FROM drafts")}


def _parse(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


@pytest.mark.libreoffice
def test_final_drafts_arrive_with_their_pdfs_once(ws, smtp_server, monkeypatch):
    store = Store()
    settings = _configure(ws, smtp_server(store))
    decision, notice, report = _drafts(settings)
    batches = []
    real = Converter.convert_many

    def counting(self, sources, target_ext):
        batches.append([p.name for p in sources])
        return real(self, sources, target_ext)

    monkeypatch.setattr(Converter, "convert_many", counting)
    result = send_drafts(settings, sleep=lambda s: pytest.fail("no retry expected"))
    assert batches == [["quyet-dinh.docx", "thong-bao-kim-xa.docx"]]  # ONE LibreOffice batch
    assert result.sent == [decision, notice] and result.skipped == [] and result.eml is None
    assert decision.with_suffix(".pdf").is_file() and notice.with_suffix(".pdf").is_file()
    assert not report.with_suffix(".pdf").exists()

    (env,) = store.envelopes
    assert env.rcpt_tos == [SIGNER] and env.mail_from == "phongnoivu@vinhtuong.example"
    got = _parse(env.original_content)
    assert got["Subject"] == "Dự thảo văn bản Chỉ số CCHC năm 2021 trình ký"
    body = got.get_body(preferencelist=("plain",)).get_content()
    assert body.startswith("Kính gửi: Hoàng Tuấn Tam,")
    assert "1. Quyết định: quyet-dinh.docx (kèm bản PDF quyet-dinh.pdf)" in body
    assert "2. Thông báo kết quả – " in body and "Kim Xá" in body and "bao-cao" not in body
    atts = {a.get_filename(): a for a in got.iter_attachments()}
    assert list(atts) == ["quyet-dinh.docx", "quyet-dinh.pdf", "thong-bao-kim-xa.docx", "thong-bao-kim-xa.pdf"]
    assert atts["quyet-dinh.docx"].get_content_type() == DOCX
    assert atts["quyet-dinh.docx"].get_content() == decision.read_bytes()
    for name in ("quyet-dinh.pdf", "thong-bao-kim-xa.pdf"):
        assert atts[name].get_content_type() == "application/pdf"
        assert atts[name].get_content().startswith(b"%PDF")

    sent = _sent_at(ws)
    assert sent["outbox/du-thao/quyet-dinh.docx"] == "2022-01-20T09:00:00"
    assert sent["outbox/du-thao/thong-bao/thong-bao-kim-xa.docx"] == "2022-01-20T09:00:00"
    assert sent["outbox/du-thao/bao-cao.docx"] is None
    # a second run sends nothing
    again = send_drafts(settings)
    assert again.sent == [] and again.skipped == [] and len(store.envelopes) == 1 and len(batches) == 1


def test_edited_and_missing_drafts_are_skipped_with_a_reason(ws, smtp_server):
    store = Store()
    settings = _configure(ws, smtp_server(store))
    decision, notice, report = _drafts(settings)
    plan = write_draft(settings, "plan", None, "mau.docx", {"du_thao": False, "n": 4}, "ke-hoach.docx").path
    _with_pdfs(decision, notice)
    staff_edit(notice)
    plan.unlink()
    with Ledger(ws / LEDGER_NAME) as ledger:
        assert ledger.drafts.awaiting_signature() == ["outbox/du-thao/quyet-dinh.docx",
                                              "outbox/du-thao/thong-bao/thong-bao-kim-xa.docx",
                                              "outbox/du-thao/ke-hoach.docx"]
    result = send_drafts(settings)
    assert result.sent == [decision]
    assert result.skipped == [(notice, EDITED), (plan, MISSING)]
    assert "đã được sửa" in EDITED
    (env,) = store.envelopes
    assert [a.get_filename() for a in _parse(env.original_content).iter_attachments()] == \
        ["quyet-dinh.docx", "quyet-dinh.pdf"]
    with Ledger(ws / LEDGER_NAME) as ledger:
        assert ledger.drafts.awaiting_signature() == ["outbox/du-thao/thong-bao/thong-bao-kim-xa.docx",
                                              "outbox/du-thao/ke-hoach.docx"]
    # the edited one stays skipped on the next run; nothing is sent again
    again = send_drafts(settings)
    assert again.sent == [] and [p for p, _ in again.skipped] == [notice, plan] and len(store.envelopes) == 1


def test_dry_run_writes_a_parsable_eml_and_marks_nothing(ws, smtp_server):
    store = Store()
    settings = _configure(ws, smtp_server(store))
    decision, notice, _ = _drafts(settings)
    _with_pdfs(decision, notice)
    result = send_drafts(settings, dry_run=True)
    assert result.sent == [decision, notice]
    assert result.eml.parent == ws / "outbox" / "du-thao" and result.eml.name.startswith("thu-trinh-ky-2022-01-20")
    got = _parse(result.eml.read_bytes())
    assert got["To"] == SIGNER and got["Subject"] == "Dự thảo văn bản Chỉ số CCHC năm 2021 trình ký"
    assert [a.get_filename() for a in got.iter_attachments()] == \
        ["quyet-dinh.docx", "quyet-dinh.pdf", "thong-bao-kim-xa.docx", "thong-bao-kim-xa.pdf"]
    assert store.calls == 0
    assert all(v is None for v in _sent_at(ws).values())
    # then the real run sends them
    assert send_drafts(settings).sent == [decision, notice] and len(store.envelopes) == 1


def test_a_stale_pdf_is_not_attached(ws, smtp_server, monkeypatch):
    """A PDF older than its .docx (left from an earlier version) is made again."""
    import os

    settings = _configure(ws, smtp_server(Store()))
    decision, notice, _ = _drafts(settings)
    _with_pdfs(decision, notice)
    old = decision.stat().st_mtime - 60
    os.utime(decision.with_suffix(".pdf"), (old, old))
    converted = []

    class FakeConverter:
        def __init__(self, *a, **kw):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            pass

        def convert_many(self, sources, ext):
            converted.extend(sources)
            out = {}
            for s in sources:
                o = ws / f"conv-{s.stem}.pdf"
                o.write_bytes(TINY_PDF + b"%new\n")
                out[s] = o
            return out

    monkeypatch.setattr("automation.formats.convert.Converter", FakeConverter)
    result = send_drafts(settings, dry_run=True)
    assert converted == [decision] and result.sent == [decision, notice]
    assert decision.with_suffix(".pdf").read_bytes().endswith(b"%new\n")


def test_no_signer_address_is_a_clear_error(ws, smtp_server):
    store = Store()
    settings = _configure(ws, smtp_server(store), signer="")
    decision, notice, _ = _drafts(settings)
    _with_pdfs(decision, notice)
    with pytest.raises(MailError, match="signer_email"):
        send_drafts(settings)
    assert store.calls == 0 and all(v is None for v in _sent_at(ws).values())


def test_nothing_to_send_needs_no_mail_settings(ws):
    settings = load_settings(ws)
    result = send_drafts(settings)
    assert result.sent == [] and result.skipped == [] and result.eml is None


def test_a_refusing_server_marks_nothing(ws, smtp_server):
    store = Store(refuse=99)
    settings = _configure(ws, smtp_server(store))
    decision, notice, _ = _drafts(settings)
    _with_pdfs(decision, notice)
    delays = []
    with pytest.raises(MailError) as err:
        send_drafts(settings, sleep=delays.append)
    assert err.value.code == "mail.refused" and "451" in str(err.value)
    assert store.calls == 2 and delays == [0.1]
    assert all(v is None for v in _sent_at(ws).values())
    with Ledger(ws / LEDGER_NAME) as ledger:
        assert len(ledger.drafts.awaiting_signature()) == 2  # still waiting, told in the weekly status
