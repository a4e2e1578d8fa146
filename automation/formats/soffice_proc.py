"""LibreOffice processes and their folders never outlive the command that started them.

* Folders: each :class:`~automation.formats.convert.Converter` works in ``cchc-lo-<pid>-<start>-<random>/``
  (``pid`` and ``start`` time of the owning Python process) under the base folder its caller hands down: the
  workspace's LibreOffice folder, or the system temp folder outside a workspace. :func:`sweep`, run at the start
  of every command, removes the folders whose owner is gone, after killing any LibreOffice process still running on
  their profile. A live owner's folder is left alone: two commands may run at once, on this computer or (a
  workspace on a shared drive) on another one, named in the folder's ``host`` file.
* Processes: on Linux ``soffice`` is a shell script that execs ``oosplash``, which forks ``soffice.bin``; a parent-
  death signal set on the script would not reach the fork. So :func:`executable` picks the ``soffice.bin`` beside the
  resolved script, and :func:`run` starts it with ``PR_SET_PDEATHSIG`` = SIGKILL (it dies with the thread that
  started it, i.e. with the command, however that ends) and does what oosplash did for a headless run: set
  ``SAL_ENABLE_FILE_LOCKING`` and start again when soffice.bin asks to (exit code 81, once on a fresh profile).
  On Windows the process is put in a job object that kills it and all its children when the job's last handle
  closes, which the system does when Python exits in any way. Each process gets its own group (session), so a
  timeout kills the whole tree.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PREFIX = "cchc-lo-"
RESTART = 81  # soffice.bin's EXITHELPER_NORMAL_RESTART: "start me again" (oosplash and soffice.exe do)
_MAX_STARTS = 3
_PR_SET_PDEATHSIG = 1
_HOST_FILE = "host"  # inside a converter's folder: the computer whose process owns it
_OWN: set[str] = set()  # folders made by this process and not removed yet
_LINUX = sys.platform.startswith("linux")
_jobs: dict[int, int] = {}  # Windows: pid -> job handle, closed when the process has ended
log = logging.getLogger(__name__)


# --------------------------------------------------------------------------------------------------- folders

def make_root(base: Path | None) -> Path:
    """A new private folder for one converter, under ``base`` (created if missing) or the system temp folder."""
    base = Path(base) if base is not None else Path(tempfile.gettempdir())
    base.mkdir(parents=True, exist_ok=True)
    pid = os.getpid()
    root = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{pid}-{_start_time(pid) or 0}-", dir=base)).resolve()
    _OWN.add(str(root))
    (root / _HOST_FILE).write_text(_host(), encoding="utf-8")
    return root


def _host() -> str:
    import socket  # noqa: PLC0415

    return socket.gethostname()


def _other_host(root: Path) -> bool:
    """Whether another computer made ``root`` (a workspace on a shared drive): its pid means nothing here."""
    try:
        return (root / _HOST_FILE).read_text(encoding="utf-8") != _host()
    except (OSError, UnicodeDecodeError):  # unreadable or not written yet (killed at once): taken as ours
        return False


def remove_root(root: Path) -> None:
    import shutil  # noqa: PLC0415

    shutil.rmtree(root, ignore_errors=True)
    _OWN.discard(str(root))


def profile_arg(root: Path) -> str:
    """The ``-env:UserInstallation=`` argument naming the private profile inside ``root``."""
    return f"-env:UserInstallation={(Path(root) / 'profile').as_uri()}"


def sweep(bases: list[Path | None]) -> list[Path]:
    """Remove the converter folders under ``bases`` (None: the system temp folder) whose owner has died, after
    killing the LibreOffice processes still running on them; returns the folders removed."""
    stale = []
    for base in bases:
        base = Path(base) if base is not None else Path(tempfile.gettempdir())
        try:
            entries = list(os.scandir(base))
        except OSError:  # no such folder yet: nothing to sweep
            continue
        for entry in entries:
            owner = _owner(entry.name)
            if owner is None or not entry.is_dir(follow_symlinks=False):
                continue
            path = Path(entry.path).resolve()
            if str(path) not in _OWN and not _owner_alive(*owner) and not _other_host(path):
                stale.append(path)
    if stale:
        for pid in processes_on(stale):
            log.warning("killing LibreOffice process %d left running by a dead command", pid)
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        _wait_gone(stale)
        for path in stale:
            log.info("removing %s, left by a dead command", path)
            remove_root(path)
    return stale


def _owner(name: str) -> tuple[int, int] | None:
    """(pid, start time) from a folder name ``cchc-lo-<pid>-<start>-<random>``, or None for any other name."""
    if not name.startswith(PREFIX):
        return None
    parts = name[len(PREFIX):].split("-")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    return int(parts[0]), int(parts[1])


def _owner_alive(pid: int, start: int) -> bool:
    """Whether the process that made a folder still runs (a reused pid with another start time does not count)."""
    if pid == os.getpid():  # ours but not in _OWN: closed, or left by an earlier process with our pid
        return False
    if not pid_alive(pid):
        return False
    now = _start_time(pid)
    return not start or now is None or now == start


def pid_alive(pid: int) -> bool:
    if sys.platform == "win32":
        return _win_alive(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    except OSError:
        return False
    return True


def _start_time(pid: int) -> int | None:
    """Linux: the process's start time (clock ticks after boot, field 22 of /proc/<pid>/stat); None elsewhere."""
    if not _LINUX:
        return None
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
        return int(stat[stat.rindex(b")") + 2:].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def processes_on(roots: list[Path]) -> list[int]:
    """The pids of processes whose command line names a profile inside one of ``roots``."""
    needles = [os.fsencode(f"-env:UserInstallation={Path(r).as_uri()}/") for r in roots]
    found = []
    if _LINUX:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if int(pid) != os.getpid() and any(n in cmdline for n in needles):
                found.append(int(pid))
    elif sys.platform != "win32":  # macOS and other Unix: ps (Windows: the job object killed them already)
        try:
            out = subprocess.run(["ps", "-axww", "-o", "pid=,command="], capture_output=True, timeout=10).stdout
        except (OSError, subprocess.SubprocessError):
            return []
        for line in out.splitlines():
            pid, _, command = line.strip().partition(b" ")
            if pid.isdigit() and int(pid) != os.getpid() and any(n in command for n in needles):
                found.append(int(pid))
    return found


def _wait_gone(roots: list[Path], seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while processes_on(roots) and time.monotonic() < deadline:
        time.sleep(0.05)


# ------------------------------------------------------------------------------------------------- processes

def executable(soffice: str) -> str:
    """What to start for ``soffice``: on Linux the ``soffice.bin`` beside the resolved launcher script when there
    is one (so the parent-death signal reaches the process doing the work), else ``soffice`` itself."""
    if _LINUX:
        resolved = Path(soffice).resolve()
        binary = resolved.with_name("soffice.bin")
        if resolved.name == "soffice" and binary.is_file() and os.access(binary, os.X_OK):
            return str(binary)
    return soffice


def run(args: list[str], cwd: Path, log, timeout: float, temp: Path | None = None) -> int | None:
    """Run LibreOffice (restarted when it asks to, within the same ``timeout``): its exit code, None on timeout.

    ``temp`` is its temporary folder (TMPDIR, TMP, TEMP): LibreOffice writes ``lu*.tmp`` folders there, which a
    killed process leaves behind, so a converter passes one inside its own folder."""
    deadline = time.monotonic() + timeout
    for _ in range(_MAX_STARTS):
        proc = start(args, cwd, log, temp)
        try:
            code = proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            kill_tree(proc)
            return None
        finally:
            _release(proc)
        if code != RESTART:
            break
    return code


def start(args: list[str], cwd: Path, log, temp: Path | None = None, pipes: bool = False,
          env: dict[str, str] | None = None) -> subprocess.Popen:
    """Start one LibreOffice process in its own group, tied to this process's life (temporary folder ``temp``).

    ``pipes``: its stdin and stdout are pipes to this process (a worker talking over them), not nothing and the log;
    ``env``: its environment (default: this process's)."""
    env = dict(os.environ if env is None else env)
    if temp is not None:
        env.update(TMPDIR=str(temp), TMP=str(temp), TEMP=str(temp))
    if Path(args[0]).name == "soffice.bin":
        env["SAL_ENABLE_FILE_LOCKING"] = "1"  # what the soffice script sets
    kw: dict = {"cwd": cwd, "env": env, "stdin": subprocess.PIPE if pipes else subprocess.DEVNULL,
                "stdout": subprocess.PIPE if pipes else log, "stderr": log}
    if sys.platform == "win32":
        kw["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP | 0x08000000  # + CREATE_NO_WINDOW
    else:
        kw["start_new_session"] = True
    if _LINUX:
        kw["preexec_fn"] = _die_with_parent()
    proc = subprocess.Popen(args, **kw)
    if sys.platform == "win32":
        job = _win_job(proc.pid)
        if job:
            _jobs[proc.pid] = job
    return proc


def kill_tree(proc: subprocess.Popen) -> None:
    """Kill LibreOffice and everything it started (oosplash -> soffice.bin), then reap it."""
    try:
        if sys.platform == "win32":
            subprocess.run(["taskkill", "/F", "/T", "/PID", str(proc.pid)], capture_output=True, timeout=30)
        else:
            os.killpg(proc.pid, signal.SIGKILL)
    except (OSError, subprocess.SubprocessError):
        pass
    try:
        proc.kill()
    except OSError:
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.SubprocessError:
        pass
    _release(proc)


def _die_with_parent():
    """A ``preexec_fn`` for Linux: SIGKILL when the parent dies; exit at once if it died before that was set.

    ``prctl`` is looked up here, in the parent, so that the child between fork and exec only calls it."""
    import ctypes  # noqa: PLC0415

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    parent = os.getpid()

    def child() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() != parent:  # the parent died before the signal was armed: it would never come
            os._exit(1)

    return child


# ---------------------------------------------------------------------------------------- Windows (ctypes)

def _kernel32():
    import ctypes  # noqa: PLC0415
    from ctypes import wintypes  # noqa: PLC0415

    k32 = ctypes.WinDLL("kernel32", use_last_error=True)
    k32.OpenProcess.restype = wintypes.HANDLE
    k32.OpenProcess.argtypes = [wintypes.DWORD, wintypes.BOOL, wintypes.DWORD]
    k32.CreateJobObjectW.restype = wintypes.HANDLE
    k32.CreateJobObjectW.argtypes = [wintypes.LPVOID, wintypes.LPCWSTR]
    k32.SetInformationJobObject.argtypes = [wintypes.HANDLE, ctypes.c_int, wintypes.LPVOID, wintypes.DWORD]
    k32.AssignProcessToJobObject.argtypes = [wintypes.HANDLE, wintypes.HANDLE]
    k32.GetExitCodeProcess.argtypes = [wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD)]
    k32.CloseHandle.argtypes = [wintypes.HANDLE]
    return k32


def _win_alive(pid: int) -> bool:  # pragma: no cover - Windows
    """OpenProcess, not os.kill: on Windows os.kill(pid, 0) terminates the process."""
    import ctypes  # noqa: PLC0415
    from ctypes import wintypes  # noqa: PLC0415

    k32 = _kernel32()
    handle = k32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # ERROR_ACCESS_DENIED: it exists
    try:
        code = wintypes.DWORD()
        return not k32.GetExitCodeProcess(handle, ctypes.byref(code)) or code.value == 259  # STILL_ACTIVE
    finally:
        k32.CloseHandle(handle)


def _win_job(pid: int) -> int | None:  # pragma: no cover - Windows
    """A job object holding process ``pid``, killing the job's processes when its last handle closes.

    Children started before the assignment (the first milliseconds) escape it; the timeout's taskkill /T and the
    sweep's folder removal remain for them."""
    import ctypes  # noqa: PLC0415
    from ctypes import wintypes  # noqa: PLC0415

    class Basic(ctypes.Structure):
        _fields_ = [("PerProcessUserTimeLimit", ctypes.c_int64), ("PerJobUserTimeLimit", ctypes.c_int64),
                    ("LimitFlags", wintypes.DWORD), ("MinimumWorkingSetSize", ctypes.c_size_t),
                    ("MaximumWorkingSetSize", ctypes.c_size_t), ("ActiveProcessLimit", wintypes.DWORD),
                    ("Affinity", ctypes.c_size_t), ("PriorityClass", wintypes.DWORD),
                    ("SchedulingClass", wintypes.DWORD)]

    class Extended(ctypes.Structure):
        _fields_ = [("BasicLimitInformation", Basic), ("IoInfo", ctypes.c_uint64 * 6),
                    ("ProcessMemoryLimit", ctypes.c_size_t), ("JobMemoryLimit", ctypes.c_size_t),
                    ("PeakProcessMemoryLimit", ctypes.c_size_t), ("PeakJobMemoryLimit", ctypes.c_size_t)]

    k32 = _kernel32()
    job = k32.CreateJobObjectW(None, None)  # not inheritable: only this process holds it
    if not job:
        return None
    info = Extended()
    info.BasicLimitInformation.LimitFlags = 0x2000  # JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE
    handle = k32.OpenProcess(0x0100 | 0x0001, False, pid)  # PROCESS_SET_QUOTA | PROCESS_TERMINATE
    ok = bool(handle) and bool(k32.SetInformationJobObject(job, 9, ctypes.byref(info), ctypes.sizeof(info))) \
        and bool(k32.AssignProcessToJobObject(job, handle))  # 9: JobObjectExtendedLimitInformation
    if handle:
        k32.CloseHandle(handle)
    if not ok:
        k32.CloseHandle(job)
        return None
    return job


def _release(proc: subprocess.Popen) -> None:
    """Windows: close the job of an ended process, which kills whatever it left running."""
    job = _jobs.pop(proc.pid, None)
    if job:  # pragma: no cover - Windows
        _kernel32().CloseHandle(job)
