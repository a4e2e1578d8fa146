"""LibreOffice conversion with the real soffice: batches, names, content checks, refusals, timeouts."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from automation.formats.limits import Limits
from automation.formats.convert import Converter, find_soffice, libreoffice_available
from automation.formats.sniff import FileKind, sniff
from automation.problems import CchcError, FileRejected

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "real"
LIMITS = Limits(25 * 2**20, 250 * 2**20, 200.0, 60.0)
needs_lo = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
needs_real = pytest.mark.skipif(not REAL.is_dir(), reason=f"real sample files not found at {REAL}")

TEXTS = ["Danh sách người dân xã Tân Tiến", "Ủy ban nhân dân thị trấn Thổ Tang", "Nguyễn Thị Hường – Lĩnh vực Tư pháp",
         "Đặng Văn Ước, thôn Đông, xã Vĩnh Ninh", "Trần Quốc Toản: hộ tịch, chứng thực"]


@pytest.fixture(scope="module")
def converter():
    with Converter(timeout_s=60.0, limits=LIMITS) as conv:
        yield conv


class PopenSpy:
    """Counts soffice launches while still running the real ones.

    ``calls`` has one entry per launch; ``starts`` every process, including the identical restart soffice.bin asks
    for (exit code 81) on a fresh profile, which oosplash used to do for us."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch):
        self.calls: list[list[str]] = []
        self.starts: list[list[str]] = []
        real = subprocess.Popen
        spy = self

        class Counting(real):  # type: ignore[misc, valid-type]
            def __init__(self, args, *a, **kw):
                if not spy.starts or spy.starts[-1] != list(args):
                    spy.calls.append(list(args))
                spy.starts.append(list(args))
                super().__init__(args, *a, **kw)

        monkeypatch.setattr(subprocess, "Popen", Counting)


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# --------------------------------------------------------------------------------------------- no soffice needed

def test_missing_soffice(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("CCHC_SOFFICE", str(tmp_path / "khong-co" / "soffice"))
    assert find_soffice() is None and not libreoffice_available()
    with pytest.raises(CchcError) as info:
        Converter(workdir=tmp_path)
    assert info.value.code == "tool.libreoffice_missing"
    assert list(tmp_path.iterdir()) == []  # no temp folder left behind


def test_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = tmp_path / "soffice.exe"
    fake.write_bytes(b"")
    monkeypatch.setenv("CCHC_SOFFICE", str(fake))
    assert find_soffice() == str(fake)


# ----------------------------------------------------------------------------------------------- with soffice

@pytest.mark.libreoffice
@needs_lo
def test_batch_round_trip_keeps_vietnamese_text(converter: Converter, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    import docx

    folders = [tmp_path / "Xã Tân Tiến", tmp_path / "thị trấn Thổ Tang"]
    names = [folders[0] / "Danh sách 30 người.docx", folders[1] / "Danh sách 30 người.docx",  # same stem twice
             folders[0] / "báo cáo (bản cuối).docx", folders[1] / "DS  hai khoảng trắng.docx", folders[0] / "ư ơ đ.docx"]
    for folder in folders:
        folder.mkdir()
    for name, text in zip(names, TEXTS):
        document = docx.Document()
        document.add_paragraph(text)
        table = document.add_table(rows=1, cols=2)
        table.rows[0].cells[0].text, table.rows[0].cells[1].text = "STT", text.upper()
        document.save(str(name))
    before = {p: _digest(p) for p in names}
    spy = PopenSpy(monkeypatch)

    as_doc = converter.convert_many(names, "doc")
    assert len(spy.calls) == 1 and spy.calls[0][-5:] == [f"f{i:04d}.docx" for i in range(5)]
    docs = []
    for name in names:
        out = as_doc[name]
        assert isinstance(out, Path) and sniff(out, LIMITS).kind is FileKind.DOC
        assert out.name == name.stem + ".doc"
        dest = name.with_suffix(".doc")
        shutil.copyfile(out, dest)
        docs.append(dest)

    back = converter.convert_many(docs, "docx")
    assert len(spy.calls) == 2  # one more process for the whole second batch
    assert set(back) == set(docs)
    outputs = set()
    for doc, text in zip(docs, TEXTS):
        out = back[doc]
        assert isinstance(out, Path) and sniff(out, LIMITS).kind is FileKind.DOCX
        content = _docx_text(out)
        assert text in content and text.upper() in content
        assert not any(t in content for t in TEXTS if t != text)  # no mix-up between same-stem files
        outputs.add(out)
    assert len(outputs) == 5
    assert {p: _digest(p) for p in names} == before  # sources untouched


@pytest.mark.libreoffice
@needs_lo
def test_rtf_html_and_mhtml_named_doc(converter: Converter, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rtf = tmp_path / "công văn.rtf"
    rtf.write_bytes(rb"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 X\u227 ? T\u226 ?n Ti\u7871 ?n\par}")
    html = tmp_path / "trang web.doc"
    html.write_text("<html><head><meta charset=\"utf-8\"></head><body><p>Danh sách xã Tân Tiến</p>"
                    "<table><tr><td>Nguyễn Văn Ánh</td></tr></table></body></html>", encoding="utf-8")
    mhtml = tmp_path / "web một tệp.doc"
    mhtml.write_bytes(b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"----=_NextPart_01\"\r\n\r\n"
                      b"------=_NextPart_01\r\nContent-Location: file:///C:/x.htm\r\n"
                      b"Content-Transfer-Encoding: quoted-printable\r\nContent-Type: text/html; charset=\"utf-8\"\r\n\r\n"
                      b"<html><body><p>Th=E1=BB=95 Tang</p></body></html>\r\n\r\n------=_NextPart_01--\r\n")
    assert [sniff(p, LIMITS).kind for p in (rtf, html, mhtml)] == [FileKind.RTF, FileKind.HTML, FileKind.HTML]
    spy = PopenSpy(monkeypatch)
    result = converter.convert_many([rtf, html, mhtml], "docx")
    assert len(spy.calls) == 1
    assert "Xã Tân Tiến" in _docx_text(result[rtf])
    text = _docx_text(result[html])
    assert "Danh sách xã Tân Tiến" in text and "Nguyễn Văn Ánh" in text
    text = _docx_text(result[mhtml])
    assert "Thổ Tang" in text and "MIME-Version" not in text  # the HTML part, not the MIME envelope


@pytest.mark.libreoffice
@needs_lo
def test_refusals_never_yield_a_bogus_docx(converter: Converter, tmp_path: Path) -> None:
    import docx

    garbage = tmp_path / "rác.doc"
    garbage.write_bytes(bytes(range(256)) * 12)
    text = tmp_path / "ghi chú.doc"
    text.write_text("version https://git-lfs.github.com/spec/v1\noid sha256:abc\n", encoding="utf-8")
    empty = tmp_path / "rỗng.doc"
    empty.write_bytes(b"")
    good, broken = tmp_path / "tốt.docx", tmp_path / "hỏng.docx"  # passes sniff; LibreOffice cannot load it, exits 0
    docx.Document().save(str(good))
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(broken, "w", zipfile.ZIP_DEFLATED) as dst:
        for n in src.namelist():
            dst.writestr(n, b"\x00garbage<<<" if n == "word/document.xml" else src.read(n))
    assert sniff(broken, LIMITS).kind is FileKind.DOCX
    result = converter.convert_many([garbage, text, empty, broken], "pdf")
    codes = {p.name: (r.code if isinstance(r, FileRejected) else r) for p, r in result.items()}
    assert codes == {"rác.doc": "file.unreadable", "ghi chú.doc": "file.unreadable", "rỗng.doc": "file.unreadable",
                     "hỏng.docx": "file.conversion_failed"}
    with pytest.raises(FileRejected) as info:
        converter.convert(garbage, "docx")
    assert info.value.code == "file.unreadable"
    assert not list(converter.root.rglob("*.docx")) or all(
        sniff(p, LIMITS).kind is FileKind.DOCX for p in converter.root.rglob("*.docx"))


@pytest.mark.libreoffice
@needs_lo
@needs_real
def test_real_legacy_files(converter: Converter) -> None:
    doc = REAL / "vn" / "viparse-tcvn3-2005-1DCA4_3b.doc"
    xls = REAL / "bad" / "tika-testEXCEL-legacy-BIFF8.xls"
    out = converter.convert(doc, "docx")
    assert sniff(out, LIMITS).kind is FileKind.DOCX and "STT" in _docx_text(out)
    sheet = converter.convert(xls, "xlsx")
    assert sniff(sheet, LIMITS).kind is FileKind.XLSX
    import openpyxl

    workbook = openpyxl.load_workbook(sheet, read_only=True)
    values = [c for ws in workbook.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    workbook.close()
    assert values
    pdf = converter.convert(doc, "pdf")
    assert pdf.read_bytes()[:5] == b"%PDF-"
    wrong = converter.convert_many([xls], "docx")[xls]
    assert isinstance(wrong, FileRejected) and wrong.code == "file.unsupported"


@pytest.mark.libreoffice
@needs_lo
def test_timeout_kills_and_retries_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    sources = []
    for i in range(2):
        path = tmp_path / f"tệp {i}.rtf"
        path.write_bytes(rb"{\rtf1\ansi X\u227 ?\par}")
        sources.append(path)
    spy = PopenSpy(monkeypatch)
    with Converter(timeout_s=0.3, workdir=tmp_path, limits=LIMITS) as conv:
        conv.per_file_s = 0.0  # LibreOffice cannot even start in 0.3 s
        result = conv.convert_many(sources, "docx")
        root = conv.root
    assert len(spy.calls) == 3  # the batch, then each file alone
    for r in result.values():
        assert isinstance(r, FileRejected) and r.code == "file.conversion_failed" and "quá thời gian" in r.problem.message
    assert not root.exists()
    if sys.platform.startswith("linux"):  # no soffice left running on our private profile
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            assert str(root).encode() not in cmdline

