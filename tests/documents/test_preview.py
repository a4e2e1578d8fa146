"""``cchc preview``: Word and Excel outputs rendered to PDF (one LibreOffice batch) into outbox/xem-truoc/."""

from __future__ import annotations

import subprocess

import docx
import openpyxl
import pytest

from automation.cli import main

pytestmark = pytest.mark.libreoffice


def _run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out + out.err


def _text(pdf) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout


def test_preview_of_a_folder_and_of_a_file(tmp_path, capsys):
    ws = tmp_path / "ws"
    assert _run(["init", str(ws)], capsys)[0] == 0
    drafts = ws / "outbox" / "du-thao"
    drafts.mkdir(parents=True)
    d = docx.Document()
    d.add_paragraph("Thông báo kết quả thẩm định của Xã Kim Xá")
    d.save(drafts / "thong-bao.docx")
    wb = openpyxl.Workbook()
    wb.active["A1"], wb.active["B1"] = "Đơn vị", "Chỉ số"
    wb.active["A2"], wb.active["B2"] = "Xã Yên Bình", 87.25
    wb.active.column_dimensions["A"].width = 24
    wb.save(drafts / "thong-bao.xlsx")  # same stem as the letter: two previews, not one
    (drafts / "~$thong-bao.docx").write_bytes(b"lock")  # Word's lock file: not an output
    (drafts / "hong.docx").write_bytes(b"PK\x03\x04 not a zip")
    code, out = _run(["preview", str(ws / "outbox"), "--workspace", str(ws)], capsys)
    assert code == 1, out  # one file could not be rendered, the others were
    previews = ws / "outbox" / "xem-truoc" / "du-thao"
    assert sorted(p.name for p in previews.iterdir()) == ["thong-bao-xlsx.pdf", "thong-bao.pdf"]
    assert "Xã Kim Xá" in _text(previews / "thong-bao.pdf")
    assert "Xã Yên Bình" in _text(previews / "thong-bao-xlsx.pdf")
    assert "Lỗi [preview.failed]: Không tạo được bản xem trước (PDF) của hong.docx" in out
    assert "Đã tạo 2 bản xem trước, 1 tệp không tạo được" in out and "Traceback" not in out
    assert (drafts / "thong-bao.docx").is_file() and (drafts / "hong.docx").read_bytes() == b"PK\x03\x04 not a zip"

    # again on the folder: the previews are not previewed themselves; a file outside the workspace goes on top
    outside = tmp_path / "khac.docx"
    d.save(outside)
    code, out = _run(["preview", str(outside), str(drafts / "thong-bao.docx"), "--workspace", str(ws)], capsys)
    assert code == 0, out
    assert (ws / "outbox" / "xem-truoc" / "khac.pdf").is_file()
    assert not list((ws / "outbox" / "xem-truoc").rglob("*.pdf.pdf"))


def test_preview_says_what_is_wrong_in_vietnamese(tmp_path, capsys):
    ws = tmp_path / "ws"
    assert _run(["init", str(ws)], capsys)[0] == 0
    code, out = _run(["preview", str(tmp_path / "khong-co.docx"), "--workspace", str(ws)], capsys)
    assert code == 2 and "Không có tệp hoặc thư mục “" in out and "Traceback" not in out
    (ws / "trong").mkdir()
    code, out = _run(["preview", str(ws / "trong"), "--workspace", str(ws)], capsys)
    assert code == 2 and "Không có tệp Word hoặc Excel nào để xem trước" in out
