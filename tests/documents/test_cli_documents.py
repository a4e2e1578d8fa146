"""`cchc generate` and `cchc templates check` from the command line."""

from __future__ import annotations

import pytest
from docx import Document

from automation.cli import main


def _run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def test_generate_all_and_a_broken_template(fast_ws, capsys):
    code, out, err = _run(["generate", "all", "--workspace", str(fast_ws)], capsys)
    assert code == 0 and "Đã soạn 31 văn bản" in out and "DỰ THẢO" in out
    plan = fast_ws / "outbox" / "du-thao" / "ke-hoach-2021.docx"
    assert "KẾ HOẠCH" in "\n".join(p.text for p in Document(plan).paragraphs)
    code, out, _ = _run(["templates", "check", "--workspace", str(fast_ws)], capsys)
    assert code == 0 and "ke-hoach.docx: đủ biến" in out
    # staff break the workspace's copy of a template: both commands name the template and the tag
    tpl = fast_ws / "templates" / "thong-bao.docx"
    doc = Document(tpl)
    doc.add_paragraph("Kính gửi: {{ ten_xa_sai }}")
    doc.save(tpl)
    code, out, _ = _run(["templates", "check", "--workspace", str(fast_ws)], capsys)
    assert code == 1 and "thong-bao.docx: thiếu ten_xa_sai" in out
    code, _, err = _run(["generate", "notices", "--workspace", str(fast_ws)], capsys)
    assert code == 1 and "Lỗi [template.error]" in err and "thong-bao.docx" in err and "ten_xa_sai" in err
    assert "Traceback" not in err


def test_send_drafts_command(fast_ws, capsys):
    code, out, _ = _run(["send-drafts", "--dry-run", "--workspace", str(fast_ws)], capsys)
    assert code == 0 and "Không có dự thảo nào chờ trình ký" in out  # provisional drafts are not for signing
    _run(["generate", "plan", "--workspace", str(fast_ws)], capsys)
    code, out, _ = _run(["send-drafts", "--workspace", str(fast_ws)], capsys)
    assert code == 0 and "Không có dự thảo nào chờ trình ký" in out
