"""LibreOffice leaves nothing behind (issue 12): a command SIGKILLed mid-conversion takes soffice with it, its folder
lives in the workspace (never loose in the system temp folder) and the next command sweeps it; a live command's folder
is never swept."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from automation.config import init_workspace
from automation.formats import soffice_proc
from automation.formats.convert import find_soffice
from automation.formats.limits import Limits
from automation.formats.sniff import sniff
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.workspace import CONVERTED, LIBREOFFICE

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "real"
ROOT = Path(__file__).resolve().parents[2]
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="scans /proc and sends SIGKILL (Linux)")
needs_lo = pytest.mark.skipif(find_soffice() is None, reason="LibreOffice (soffice) not installed")
needs_real = pytest.mark.skipif(not (REAL / "doc").is_dir(), reason=f"real sample files not found at {REAL}")


def killed_command(test):
    """The marks of a test killing a real command mid-conversion."""
    for mark in (needs_real, needs_lo, linux, pytest.mark.slow, pytest.mark.libreoffice):
        test = mark(test)
    return test


ENV = {**os.environ, "PYTHONPATH": str(ROOT), "CCHC_NOW": "2021-10-25T10:00:00"}


def _on(folder: Path) -> dict[int, str]:
    """pid -> program name of every process started with a LibreOffice profile inside ``folder``."""
    needle = os.fsencode(f"-env:UserInstallation={folder.resolve().as_uri()}/")
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(a.startswith(needle) for a in argv):
            found[int(pid)] = os.fsdecode(Path(os.fsdecode(argv[0])).name)
    return found


def _wait_for(test, seconds: float, step: float = 0.05):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = test()
        if value:
            return value
        time.sleep(step)
    return test()


def _cchc(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "automation", *args], env=env or ENV, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, **kw)


def _legacy_docs(folder: Path) -> list[Path]:
    """Real .doc files from office programs (about one second each for LibreOffice): a batch of ~20 s."""
    folder.mkdir()
    out = []
    for src in sorted((REAL / "doc").iterdir()) + sorted((REAL / "vn").glob("*.doc")):
        if src.suffix.lower() == ".doc" and not sniff(src, Limits()).macro:  # macro files are refused before conversion
            out.append(Path(shutil.copyfile(src, folder / src.name)))
    return out


def _temp_folders_of(pid: int) -> list[Path]:
    return sorted(Path(tempfile.gettempdir()).glob(f"{soffice_proc.PREFIX}{pid}-*"))


def _kill_mid_conversion(proc: subprocess.Popen, lo_base: Path) -> dict[int, str]:
    """Wait until LibreOffice converts for ``proc`` (a profile under ``lo_base``), SIGKILL ``proc``; returns the
    LibreOffice processes that were running."""
    try:
        running = _wait_for(lambda: {p: n for p, n in _on(lo_base).items() if n == "soffice.bin"}, 60)
        assert running, "LibreOffice never started on a profile in the workspace"
        time.sleep(0.5)  # inside the batch, not at its first instant
        assert proc.poll() is None, "the command ended before it could be killed"
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    return running


# ------------------------------------------------------------------------------------------- real conditions

@killed_command
@pytest.mark.parametrize("in_workspace", [True, False], ids=["workspace", "no-workspace"])
def test_cchc_check_killed_mid_conversion_leaves_nothing(tmp_path: Path, in_workspace: bool) -> None:
    """``cchc check`` in a workspace keeps LibreOffice's folder there; outside one, in the system temp folder (a
    private TMPDIR here) under the tool's prefix. Either way the next command sweeps it."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**ENV, "TMPDIR": str(temp)}
    where: list[str] = []
    if in_workspace:
        ws = init_workspace(tmp_path / "ws")
        where, lo_base = ["--workspace", str(ws)], ws / LIBREOFFICE
    else:
        lo_base = temp
    docs = _legacy_docs(tmp_path / "tu-xa")
    proc = _cchc("check", *where, *map(str, docs), env=env, cwd=tmp_path)
    running = _kill_mid_conversion(proc, lo_base)
    # soffice.bin died with its parent (PR_SET_PDEATHSIG): nothing runs on the profile a few seconds later
    _wait_for(lambda: not _on(lo_base), 3)
    assert _on(lo_base) == {}, f"LibreOffice still running after its command was killed: {running}"
    # its folder is where it belongs, named after the dead command; in a workspace nothing in the temp folder
    stale = sorted(lo_base.glob(f"{soffice_proc.PREFIX}{proc.pid}-*"))
    assert len(stale) == 1 and (stale[0] / "profile").is_dir()
    if in_workspace:
        assert list(temp.iterdir()) == []
    assert _temp_folders_of(proc.pid) == []  # nor in this test's own temp folder
    # the next command sweeps it and converts fine
    again = subprocess.run([sys.executable, "-m", "automation", "check", "--json", *where, str(docs[0]),
                            str(docs[1])], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert again.returncode in (0, 1), again.stderr
    assert not stale[0].exists()
    reports = json.loads(again.stdout)
    codes = {p["code"] for r in reports for p in r.get("problems", [])}
    assert len(reports) == 2 and not codes & {"file.conversion_failed", "tool.libreoffice_missing"}, reports
    assert [p.name for p in lo_base.iterdir()] == []  # the new run's own folder went when it closed


@killed_command
def test_cchc_process_killed_mid_conversion_recovers(tmp_path: Path) -> None:
    ws = init_workspace(tmp_path / "ws")
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.3"),
                    encoding="utf-8")
    lo_base = ws / LIBREOFFICE
    docs = _legacy_docs(ws / "inbox" / "xa-tan-tien")
    proc = _cchc("process", "--workspace", str(ws))
    _kill_mid_conversion(proc, lo_base)
    assert _wait_for(lambda: not _on(lo_base), 3), _on(lo_base)
    assert len(list(lo_base.glob(f"{soffice_proc.PREFIX}{proc.pid}-*"))) == 1
    assert _temp_folders_of(proc.pid) == []
    final = subprocess.run([sys.executable, "-m", "automation", "process", "--workspace", str(ws)], env=ENV,
                           capture_output=True, text=True, timeout=600)
    assert final.returncode == 0, final.stderr
    assert [p.name for p in lo_base.iterdir()] == []
    with Ledger(ws / LEDGER_NAME) as ledger:
        rows = ledger.submissions.all()
    assert sorted(Path(r.original_name).name for r in rows) == sorted(d.name for d in docs)  # each once, recovered
    kept = [r for r in rows if r.converted_path]  # LibreOffice's .docx kept beside the original, as before
    assert len(kept) == len(docs), [(r.original_name, r.status, r.problems) for r in rows if not r.converted_path]
    for r in kept:
        path = ws / r.converted_path
        assert path.parent.name == CONVERTED and path.suffix == ".docx" and path.stat().st_size > 0


@pytest.mark.libreoffice
@linux
@needs_lo
@needs_real
def test_sweep_kills_soffice_left_by_the_launcher_script(tmp_path: Path) -> None:
    """Where no soffice.bin sits beside the launcher (snap, flatpak...), the parent-death signal reaches only the
    script: oosplash's soffice.bin outlives the killed command. The sweep must kill it and remove the folder."""
    base = tmp_path / "lo"
    docs = _legacy_docs(tmp_path / "tu-xa")
    script = ("import sys\nfrom pathlib import Path\nfrom automation.formats import convert, soffice_proc\n"
              "soffice_proc.executable = lambda s: s  # start the soffice script, as without a soffice.bin\n"
              "with convert.Converter(timeout_s=600, workdir=Path(sys.argv[1])) as c:\n"
              "    c.convert_many([Path(p) for p in sys.argv[2:]], 'docx')\n")
    proc = subprocess.Popen([sys.executable, "-c", script, str(base), *map(str, docs)], env=ENV,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_mid_conversion(proc, base)
    time.sleep(0.5)
    orphans = _on(base)
    assert "soffice.bin" in orphans.values(), "the test did not build the orphan it is about"
    [stale] = base.iterdir()
    assert soffice_proc.sweep([base]) == [stale.resolve()]
    assert _on(base) == {} and not stale.exists()
    for pid in orphans:  # really gone, not only renamed
        assert not soffice_proc.pid_alive(pid) or Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"


# ---------------------------------------------------------------------------------------------- the sweep rules

def _folder(base: Path, pid: int, start: int, rest: str = "abc123") -> Path:
    path = base / f"{soffice_proc.PREFIX}{pid}-{start}-{rest}"
    (path / "profile").mkdir(parents=True)
    (path / "batch001" / "out").mkdir(parents=True)
    (path / "batch001" / "out" / "f0000.docx").write_bytes(b"a commune's converted file")
    return path


@linux
def test_sweep_spares_live_commands_and_removes_dead_ones(tmp_path: Path) -> None:
    base = tmp_path / LIBREOFFICE
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        start = soffice_proc._start_time(live.pid)
        assert start
        alive = _folder(base, live.pid, start)
        reused = _folder(base, live.pid, start + 1)  # same pid, another start: its owner died, the pid was reused
        ours = soffice_proc.make_root(base)  # this process's own converter, open
        assert ours.parent == base.resolve() and ours.name.startswith(f"{soffice_proc.PREFIX}{os.getpid()}-")
        foreign = [base / "cchc-lo-xyz", base / "notes"]  # not named by the tool (the old random names too)
        for f in foreign:
            f.mkdir()
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        gone = _folder(base, dead.pid, 12345)
        elsewhere = _folder(base, dead.pid, 12345, "other1")  # a workspace on a shared drive: another PC's pid
        (elsewhere / "host").write_text("may-tinh-phong-noi-vu", encoding="utf-8")
        assert sorted(soffice_proc.sweep([base])) == sorted([reused.resolve(), gone.resolve()])
        assert alive.exists() and ours.exists() and elsewhere.exists() and all(f.exists() for f in foreign)
        assert not reused.exists() and not gone.exists()
        assert soffice_proc.sweep([base]) == []  # nothing more: the live ones stay
    finally:
        live.kill()
        live.wait()
    assert soffice_proc.sweep([base]) == [alive.resolve()]  # its command ended: now it goes
    soffice_proc.remove_root(ours)
    assert not ours.exists()
    assert soffice_proc.sweep([tmp_path / "no-such-folder"]) == []


def test_converter_folder_is_named_for_its_process(tmp_path: Path) -> None:
    root = soffice_proc.make_root(tmp_path / "ws" / LIBREOFFICE)
    try:
        pid, start, rest = root.name[len(soffice_proc.PREFIX):].split("-")
        assert int(pid) == os.getpid() and rest
        assert soffice_proc._owner(root.name) == (os.getpid(), int(start))
        assert soffice_proc.profile_arg(root) == f"-env:UserInstallation={(root / 'profile').as_uri()}"
    finally:
        soffice_proc.remove_root(root)
    outside = soffice_proc.make_root(None)
    try:
        assert outside.parent == Path(tempfile.gettempdir()).resolve()
        assert outside.name.startswith(f"{soffice_proc.PREFIX}{os.getpid()}-")
    finally:
        soffice_proc.remove_root(outside)
    # closed: a folder of this process no longer open is stale (a sweep in a long-running command removes it)
    left = _folder(tmp_path, os.getpid(), soffice_proc._start_time(os.getpid()) or 0)
    assert soffice_proc.sweep([tmp_path]) == [left.resolve()]


@linux
def test_soffice_bin_is_started_directly_when_beside_the_script(tmp_path: Path) -> None:
    program = tmp_path / "program"
    program.mkdir()
    script, binary = program / "soffice", program / "soffice.bin"
    for p in (script, binary):
        p.write_text("#!/bin/sh\n")
        p.chmod(0o755)
    link = tmp_path / "bin" / "soffice"
    link.parent.mkdir()
    link.symlink_to(script)
    assert soffice_proc.executable(str(link)) == str(binary.resolve())
    binary.unlink()
    assert soffice_proc.executable(str(link)) == str(link)  # no soffice.bin: the launcher as is
    other = tmp_path / "libreoffice"
    other.write_text("#!/bin/sh\n")
    assert soffice_proc.executable(str(other)) == str(other)


@linux
def test_started_process_dies_with_its_parent(tmp_path: Path) -> None:
    """The parent-death signal without LibreOffice: a child Python starts a sleeper through soffice_proc.start and
    is SIGKILLed; the sleeper must die too (no new session escapes it)."""
    marker = tmp_path / "sleeper-started"
    script = ("import sys, time\nfrom pathlib import Path\nfrom automation.formats import soffice_proc\n"
              "p = soffice_proc.start([sys.executable, '-c', 'import time; time.sleep(120)', 'cchc-sleeper-mark'],"
              " Path('.'), None)\n"
              f"Path({str(marker)!r}).write_text(str(p.pid))\ntime.sleep(120)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], env=ENV)
    try:
        assert _wait_for(marker.exists, 20)
        sleeper = int(_wait_for(lambda: marker.read_text().strip(), 5))
        assert soffice_proc.pid_alive(sleeper)
    finally:
        parent.send_signal(signal.SIGKILL)
        parent.wait()

    def gone() -> bool:
        try:
            return Path(f"/proc/{sleeper}/stat").read_text().split()[2] == "Z" or \
                b"cchc-sleeper-mark" not in Path(f"/proc/{sleeper}/cmdline").read_bytes()
        except OSError:
            return True

    assert _wait_for(gone, 3), "the child outlived its killed parent"
