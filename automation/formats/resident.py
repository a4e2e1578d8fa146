"""A resident LibreOffice for ``cchc watch``: one listener kept running between passes, driven through Python-UNO.

A single .doc converted by a fresh ``soffice --convert-to`` costs about 1.4 s, nearly all of it LibreOffice starting;
a running listener converts it in a fraction of that. :class:`ResidentOffice` is the conversion *engine* a
:class:`~automation.formats.convert.Converter` may be given in place of its batch process: the Converter still
stages, sniffs, checks and neutralises every file; only "turn these staged files into those" is done here.

* Started on first need, not when created: ``soffice.bin --accept=pipe,...`` (through :mod:`.soffice_proc`, so it
  has the parent-death signal or the Windows job object, its own session, a private profile in a
  ``cchc-lo-<pid>-…`` folder the sweep knows) and the worker :mod:`automation.formats.uno_worker`, run by a Python that
  has ``uno`` (:func:`find_uno_python`) and spoken to in JSON lines over its stdin/stdout. This package never imports
  ``uno`` (it is built for the system's Python, not ours).
* Health-checked before each batch (a cheap UNO call under :attr:`ResidentOffice.ping_timeout_s`); restarted when
  dead or hung; each conversion has its own timeout, after which LibreOffice is killed (the next file gets a new one)
  and the file reported as timed out, as the batch converter does.
* :meth:`ResidentOffice.close` kills both processes and removes the folder; so does the garbage collector.
* No Python with ``uno``, or a listener that will not start: :class:`ResidentUnavailable`, and the Converter falls back
  to its batch process.
"""

from __future__ import annotations

import json
import logging
import os
import queue
import shutil
import subprocess
import sys
import threading
import time
import uuid
import weakref
from pathlib import Path

from automation.formats import soffice_proc

ENV_VAR = "CCHC_UNO_PYTHON"  # a Python with ``uno``; "none" turns the resident converter off
WORKER = Path(__file__).with_name("uno_worker.py")
_found: dict[str, str | None] = {}  # soffice -> the Python with uno found for it (None: none)
_GONE = {"ok": False, "gone": True, "error": "the worker has ended"}
log = logging.getLogger(__name__)


class ResidentUnavailable(Exception):
    """The resident converter cannot be used (no Python with uno, or LibreOffice will not listen)."""


def _clean_env() -> dict[str, str]:
    """Our environment without what would point another Python at our own packages."""
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}


def _has_uno(python: str) -> bool:
    try:
        done = subprocess.run([python, "-c", "import uno"], env=_clean_env(), capture_output=True, timeout=30,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.SubprocessError):
        return False
    return done.returncode == 0


def find_uno_python(soffice: str) -> str | None:
    """A Python that can ``import uno`` for this LibreOffice: ``$CCHC_UNO_PYTHON`` if set ("none": no resident
    converter), else LibreOffice's own Python beside ``soffice``, else the system's ``python3``. Looked for once."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        if override.lower() == "none":
            return None
        return override if _has_uno(override) else None
    if soffice not in _found:
        program = Path(soffice).resolve().parent
        candidates = [program / "python.exe", program / "python", program.parent / "Resources" / "python",
                      "/usr/bin/python3", shutil.which("python3"), sys.executable]
        seen: list[str] = []
        for c in candidates:
            if c and str(c) not in seen and Path(c).is_file():
                seen.append(str(c))
        _found[soffice] = next((c for c in seen if _has_uno(c)), None)
    return _found[soffice]


class _Worker:
    """The running pair: the listener and the UNO worker, with a thread turning the worker's lines into replies."""

    def __init__(self, office: subprocess.Popen, worker: subprocess.Popen):
        self.office, self.worker = office, worker
        self.replies: queue.Queue = queue.Queue()
        self.reader = threading.Thread(target=self._read, name="cchc-uno-reader", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        with self.worker.stdout as lines:
            for line in lines:
                try:
                    self.replies.put(json.loads(line))
                except ValueError:
                    log.warning("resident converter: stray output %r", line[:200])
        self.replies.put(None)  # the worker is gone

    def send(self, request: dict) -> bool:
        try:
            self.worker.stdin.write((json.dumps(request) + "\n").encode())
            self.worker.stdin.flush()
        except OSError:
            return False
        return True

    def reply(self, timeout: float) -> dict | None:
        """The next reply, ``{"ok": False, "gone": True}`` if the worker has ended, None after ``timeout`` s."""
        try:
            reply = self.replies.get(timeout=timeout)
        except queue.Empty:
            return None
        return reply if reply is not None else _GONE

    def ask(self, request: dict, timeout: float) -> dict | None:
        return self.reply(timeout) if self.send(request) else _GONE

    def kill(self) -> None:
        for proc in (self.worker, self.office):
            soffice_proc.kill_tree(proc)
        self.reader.join(timeout=5)  # it closes the worker's stdout at the end
        if self.worker.stdin:
            try:
                self.worker.stdin.close()
            except OSError:
                pass


class ResidentOffice:
    """One LibreOffice listener kept between conversions; an engine for :class:`~.convert.Converter`.

    ``workdir``: the base folder for its private ``cchc-lo-…`` folder (None: the system temp folder).
    One per watcher; calls are serialised by its own lock."""

    start_timeout_s = 60.0  # LibreOffice starting, including its restart on a fresh profile
    ping_timeout_s = 5.0
    retry_after_s = 300.0  # after a failed start, the batch process is used for this long before trying again
    recycle_after = 500  # conversions by one listener before a fresh one (LibreOffice's memory only grows)

    def __init__(self, soffice: str, workdir: Path | None = None):
        self.soffice = soffice
        self.workdir = workdir
        self.probe_fonts: dict = {}  # the Converter's probe results, kept for the listener's life
        self.starts = 0  # listeners started (tests, benchmarks)
        self._state: dict = {"proc": None, "root": None}  # what the finalizer cleans up
        self._lock = threading.Lock()
        self._closed = False
        self._retry_at = 0.0
        self._converted = 0  # by the running listener
        self._finalizer = weakref.finalize(self, _shutdown, self._state)

    @property
    def _proc(self) -> _Worker | None:
        return self._state["proc"]

    @property
    def root(self) -> Path | None:
        return self._state["root"]

    def pid(self) -> int | None:
        """The listener's process id, while one runs."""
        return self._proc.office.pid if self._proc is not None else None

    # --- the engine --------------------------------------------------------------------------------
    def run(self, names: list[str], indir: Path, outdir: Path, convert_to: str, timeout_s: float) -> dict:
        """Convert each staged file ``indir/name`` to ``outdir/<stem>.<ext>`` (``convert_to`` as for ``--convert-to``:
        ``ext[:filter]``); per name True (LibreOffice said done), False (it failed), None (timed out)."""
        ext, _, filter_name = convert_to.partition(":")
        with self._lock:
            if self._closed:
                raise ResidentUnavailable("closed")
            if time.monotonic() < self._retry_at:
                raise ResidentUnavailable("failed to start a moment ago")
            try:
                return self._run(names, indir, outdir, ext, filter_name or ext, timeout_s)
            except ResidentUnavailable:
                self._retry_at = time.monotonic() + self.retry_after_s
                raise

    def _run(self, names: list[str], indir: Path, outdir: Path, ext: str, filter_name: str, timeout_s: float) -> dict:
        self._ready()
        out: dict[str, bool | None] = {}
        for name in names:
            if self._proc is None:
                self._start()  # the last file killed it
            request = {"op": "convert", "src": str(indir / name), "filter": filter_name,
                       "dst": str(outdir / (Path(name).stem + "." + ext))}
            reply = self._proc.ask(request, timeout_s)
            self._converted += 1
            if reply is None:
                log.warning("resident LibreOffice: %s not converted in %g s; restarting it", name, timeout_s)
                self._stop()
                out[name] = None
                continue
            out[name] = bool(reply.get("ok"))
            if not out[name]:
                log.info("resident LibreOffice could not convert %s: %s", name, reply.get("error"))
                if reply.get("dead") or reply.get("gone"):
                    self._stop()
        return out

    def close(self) -> None:
        """Kill the listener and its worker, remove their folder; the object cannot be used again."""
        with self._lock:
            self._closed = True
            self._finalizer()

    def __enter__(self) -> ResidentOffice:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- the processes -------------------------------------------------------------------------------
    def _ready(self) -> None:
        """A listener that answers: started on first need, restarted when dead or hung."""
        if self._proc is not None and self._converted >= self.recycle_after:
            self._stop()
        if self._proc is not None:
            if self._proc.office.poll() is None:
                reply = self._proc.ask({"op": "ping"}, self.ping_timeout_s)
                if reply is not None and reply.get("ok"):
                    return
            log.warning("resident LibreOffice does not answer; restarting it")
            self._stop()
        self._start()

    def _start(self) -> None:
        python = find_uno_python(self.soffice)
        if python is None:
            raise ResidentUnavailable("no Python with the uno module")
        if self.root is None:
            self._state["root"] = soffice_proc.make_root(self.workdir)
        root = self.root
        for lock in (root / "profile" / ".lock", root / "profile" / "user" / ".lock"):
            lock.unlink(missing_ok=True)  # stale after a kill
        (root / "tmp").mkdir(exist_ok=True)
        pipe = f"cchc-{os.getpid()}-{uuid.uuid4().hex[:12]}"
        args = [soffice_proc.executable(self.soffice), soffice_proc.profile_arg(root), "--headless",
                "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
        with (root / "soffice.log").open("ab") as logf:
            office = soffice_proc.start(args, root, logf, root / "tmp")
            worker = soffice_proc.start([python, str(WORKER)], root, logf, root / "tmp", pipes=True,
                                        env=_clean_env())
        self._state["proc"] = proc = _Worker(office, worker)
        self.starts += 1
        self._converted = 0
        url = f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext"
        reply = None
        if proc.send({"op": "connect", "url": url, "timeout": self.start_timeout_s}):
            reply = self._await(proc, time.monotonic() + self.start_timeout_s)
        if reply and reply.get("ok"):
            reply = proc.ask({"op": "ping"}, self.ping_timeout_s)
        if not (reply and reply.get("ok")):
            self._stop()
            raise ResidentUnavailable(f"LibreOffice did not start listening: {(reply or {}).get('error', 'timeout')}")

    def _await(self, proc: _Worker, deadline: float) -> dict | None:
        """The connect reply, starting the listener again when it asks to (exit 81, once on a fresh profile)."""
        starts = 1
        while time.monotonic() < deadline:
            reply = proc.reply(0.1)
            if reply is not None:
                return reply
            code = proc.office.poll()
            if code == soffice_proc.RESTART and starts < 3:
                starts += 1
                soffice_proc.kill_tree(proc.office)  # reaps it and closes its job
                with (self.root / "soffice.log").open("ab") as logf:
                    proc.office = soffice_proc.start(list(proc.office.args), self.root, logf, self.root / "tmp")
            elif code is not None:
                return {"ok": False, "error": f"LibreOffice ended with code {code}"}
        return None

    def _stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()
            self._state["proc"] = None


def _shutdown(state: dict) -> None:
    """Kill what runs, remove the folder (``close``, or the object collected, or Python exiting)."""
    if state["proc"] is not None:
        state["proc"].kill()
        state["proc"] = None
    if state["root"] is not None:
        soffice_proc.remove_root(state["root"])
        state["root"] = None
