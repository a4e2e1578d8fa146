"""The resident LibreOffice (a listener driven through Python-UNO), with the real soffice and the real uno module:
the same files as the batch process, started on need, restarted when killed or hung, nothing left when closed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from automation.formats import resident, soffice_proc
from automation.formats.convert import Converter, find_soffice, resident_office
from automation.formats.limits import Limits
from automation.problems import FileRejected
from tests.builders import list_document

LIMITS = Limits(25 * 2**20, 250 * 2**20, 200.0, 60.0)
SOFFICE = find_soffice()
UNO = resident.find_uno_python(SOFFICE) if SOFFICE else None
pytestmark = [pytest.mark.libreoffice,
              pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) not installed"),
              pytest.mark.skipif(UNO is None, reason="no Python with the uno module (Debian: python3-uno)")]


@pytest.fixture(scope="module")
def legacy(tmp_path_factory) -> dict[str, Path]:
    """Real legacy files made by LibreOffice from python-docx / openpyxl files, and hand-made RTF and web pages."""
    import openpyxl

    folder = tmp_path_factory.mktemp("legacy")
    src = list_document(folder / "Danh sách xã Kim Xá.docx")
    book = openpyxl.Workbook()
    book.active.append(["Mã", "Tên đơn vị", "Điểm"])
    book.active.append(["25111", "Xã Tân Tiến", 87.5])
    book.save(folder / "bang.xlsx")
    html = folder / "trang web.doc"
    html.write_text("<html><head><meta charset=\"utf-8\"></head><body><p>Danh sách xã Tân Tiến</p>"
                    "<table><tr><td>Nguyễn Văn Ánh</td></tr></table></body></html>", encoding="utf-8")
    rtf = folder / "công văn.rtf"
    rtf.write_bytes(rb"{\rtf1\ansi\deff0{\fonttbl{\f0 Times New Roman;}}\f0 X\u227 ? T\u226 ?n Ti\u7871 ?n\par}")
    with Converter(workdir=folder / "lo", limits=LIMITS) as conv:
        doc = shutil.copyfile(conv.convert(src, "doc"), folder / "Danh sách xã Kim Xá.doc")
        xls = shutil.copyfile(conv.convert(folder / "bang.xlsx", "xls"), folder / "bang.xls")
    return {"doc": doc, "xls": xls, "html": html, "rtf": rtf}


@pytest.fixture
def office(tmp_path):
    with resident_office(tmp_path / "lo") as office:
        yield office


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if not n.startswith("docProps/")}


def _docx_text(path: Path) -> str:
    import docx

    document = docx.Document(str(path))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _spy_soffice(monkeypatch) -> list[list[str]]:
    """The soffice --convert-to batches started (the batch path), still run for real."""
    calls: list[list[str]] = []
    real = soffice_proc.start

    def start(args, *a, **kw):
        if "--convert-to" in args and (not calls or calls[-1] != list(args)):  # not the restart on a new profile
            calls.append(list(args))
        return real(args, *a, **kw)

    monkeypatch.setattr(soffice_proc, "start", start)
    return calls


def test_same_files_as_the_batch_process(legacy, office, tmp_path, monkeypatch):
    """Every legacy kind comes out part for part as the batch process writes it (fonts neutralised the same way),
    refusals are the same, and no batch process runs."""
    cases = [(legacy["doc"], "docx"), (legacy["xls"], "xlsx"), (legacy["html"], "docx"), (legacy["rtf"], "docx")]
    broken = tmp_path / "hỏng.docx"
    with zipfile.ZipFile(legacy["doc"].with_suffix(".docx")) as src, zipfile.ZipFile(broken, "w") as dst:
        for n in src.namelist():
            dst.writestr(n, b"\x00garbage<<<" if n == "word/document.xml" else src.read(n))
    with Converter(workdir=tmp_path / "lo", limits=LIMITS) as batch:
        expected = {(s, t): _parts(batch.convert(s, t)) for s, t in cases}
        expected_pdf = batch.convert(legacy["doc"], "pdf").read_bytes()
        expected_refusal = batch.convert_many([broken, legacy["xls"]], "pdf")
    calls = _spy_soffice(monkeypatch)
    with Converter(workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        for (src, target), parts in expected.items():
            out = conv.convert(src, target)
            assert out.name == src.stem + "." + target
            assert _parts(out) == parts, f"{src.name} -> {target} differs from the batch output"
        assert "Nguyễn" in _docx_text(conv.convert(legacy["doc"], "docx"))
        pdf = conv.convert(legacy["doc"], "pdf").read_bytes()
        assert pdf[:5] == b"%PDF-" and abs(len(pdf) - len(expected_pdf)) < len(expected_pdf) // 20
        refusal = conv.convert_many([broken, legacy["xls"]], "pdf")
    assert calls == [] and office.starts == 1
    assert isinstance(refusal[broken], FileRejected)
    assert (refusal[broken].code, refusal[broken].problem.message) == (expected_refusal[broken].code,
                                                                       expected_refusal[broken].problem.message)
    assert isinstance(refusal[legacy["xls"]], Path) and isinstance(expected_refusal[legacy["xls"]], Path)


def test_started_on_need_and_restarted_after_sigkill(legacy, office, tmp_path):
    assert office.pid() is None and office.root is None  # nothing runs before the first conversion
    with Converter(workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        first = conv.convert(legacy["doc"], "docx")
        pid = office.pid()
        assert pid and _alive(pid) and office.starts == 1
        os.kill(pid, signal.SIGKILL)
        again = conv.convert(legacy["doc"], "docx")
        assert office.starts == 2 and office.pid() != pid
        assert _parts(again) == _parts(first)


def test_a_listener_is_recycled_after_many_conversions(legacy, office, tmp_path):
    office.recycle_after = 2
    with Converter(workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        conv.convert_many([legacy["doc"], legacy["rtf"]], "docx")  # a batch is not cut in two
        pid = office.pid()
        assert office.starts == 1
        assert "Nguyễn" in _docx_text(conv.convert(legacy["doc"], "docx"))
    assert office.starts == 2 and not _alive(pid)


def test_a_hung_listener_is_found_before_use(legacy, office, tmp_path):
    """A stopped soffice.bin does not answer the health check: it is killed and a new one converts the file."""
    office.ping_timeout_s = 1.0
    with Converter(workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        conv.convert(legacy["rtf"], "docx")
        pid = office.pid()
        os.kill(pid, signal.SIGSTOP)
        out = conv.convert(legacy["doc"], "docx")
        assert "Nguyễn" in _docx_text(out)
    assert office.starts == 2 and not _alive(pid)


def test_a_conversion_that_hangs_times_out_like_the_batch(legacy, office, tmp_path, monkeypatch):
    """LibreOffice stops in the middle of a conversion: after the timeout the file gets the batch converter's
    timeout problem, the listener is killed, and the next file gets a new one."""
    real_ready = office._ready

    def ready_then_hang():
        real_ready()
        os.kill(office.pid(), signal.SIGSTOP)  # healthy when checked, hung right after

    with Converter(timeout_s=2.0, workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        conv.convert(legacy["rtf"], "docx")
        pid = office.pid()
        monkeypatch.setattr(office, "_ready", ready_then_hang)
        result = conv.convert_many([legacy["doc"]], "docx")[legacy["doc"]]
        assert isinstance(result, FileRejected) and result.code == "file.conversion_failed"
        assert result.problem.message.count("quá thời gian chuyển đổi (2 giây)") == 1
        assert not _alive(pid) and office.pid() is None
        monkeypatch.setattr(office, "_ready", real_ready)
        assert "Nguyễn" in _docx_text(conv.convert(legacy["doc"], "docx"))
    assert office.starts == 2


def test_close_leaves_no_process_and_no_folder(legacy, tmp_path):
    office = resident_office(tmp_path / "lo")
    with Converter(workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        conv.convert(legacy["doc"], "docx")
    root, pid, worker = office.root, office.pid(), office._proc.worker.pid
    assert soffice_proc.processes_on([root]) == [pid]
    office.close()
    assert not _alive(pid) and not _alive(worker)
    assert soffice_proc.processes_on([root]) == [] and not root.exists()
    assert list((tmp_path / "lo").iterdir()) == []


def test_the_listener_dies_with_the_command(legacy, tmp_path):
    """A command killed with SIGKILL (no close, no finalizer) takes its listener and worker with it."""
    script = ("import sys, time\nfrom pathlib import Path\nfrom automation.formats.convert import Converter, "
              "resident_office\noffice = resident_office(Path(sys.argv[2]))\n"
              "with Converter(workdir=Path(sys.argv[2]), engine=office) as c:\n    c.convert(Path(sys.argv[1]), 'docx')\n"
              "print(office.pid(), office._proc.worker.pid, office.root, flush=True)\ntime.sleep(60)\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(legacy["doc"]), str(tmp_path / "lo")],
                            stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    try:
        pid, worker, root = proc.stdout.readline().split()
        assert _alive(int(pid)) and _alive(int(worker))
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
    deadline = time.monotonic() + 10
    while (_alive(int(pid)) or _alive(int(worker))) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(int(pid)) and not _alive(int(worker))
    assert soffice_proc.sweep([tmp_path / "lo"]) == [Path(root)]  # the next command removes the folder


@pytest.mark.parametrize("setting", ["python", "none"])
def test_no_python_with_uno_means_the_batch_process(legacy, tmp_path, monkeypatch, setting):
    monkeypatch.setenv(resident.ENV_VAR, sys.executable if setting == "python" else "none")  # our venv: no uno
    assert resident.find_uno_python(SOFFICE) is None
    calls = _spy_soffice(monkeypatch)
    office = resident_office(tmp_path / "lo")
    with Converter(workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        assert "Nguyễn" in _docx_text(conv.convert(legacy["doc"], "docx"))
        assert conv.engine is None  # fell back for the rest of this converter's life
    assert len(calls) == 1 and office.starts == 0
    with Converter(workdir=tmp_path / "lo", limits=LIMITS, engine=office) as conv:
        conv.convert(legacy["doc"], "docx")  # a moment later: not even tried again
    assert len(calls) == 2 and office.starts == 0
    office.close()
