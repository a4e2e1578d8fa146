"""LibreOffice (``soffice --headless --convert-to``) conversion of legacy office files, batch-first.

Pitfalls handled (see tech notes §4): soffice exits 0 even when a file fails, happily "converts" non-Word input into a
bogus .docx, can hang on hostile input, and shares a running instance between calls on one profile. So every input is
sniffed first, every output is checked by content, each :class:`Converter` owns a private profile, a whole batch runs in
ONE soffice process under a timeout, and on timeout or crash the process tree is killed and the unfinished files are
retried one by one.

Converted files live in the converter's private folder, which is deleted by :meth:`Converter.close` (or on leaving the
``with`` block): callers must copy what they keep before that. The folder is made under the ``workdir`` the caller
hands down (the workspace's LibreOffice folder; the system temp folder outside a workspace) and named after this
process, so that a command killed mid-conversion leaves nothing for ever: :func:`automation.formats.soffice_proc.sweep`
removes it at the start of the next command, and LibreOffice itself dies with the process (see that module).
A converter is not thread-safe; use one per worker. ``cchc watch`` gives its converters a resident LibreOffice
(:mod:`automation.formats.resident`) as their *engine*: the same staging and checks, without a start-up per pass.
"""

from __future__ import annotations

import logging
import os
import shutil
import weakref
import zipfile
from pathlib import Path

from automation.formats import lodefaults, soffice_proc
from automation.formats.limits import Limits
from automation.formats.resident import ResidentOffice, ResidentUnavailable
from automation.formats.altchunk import alt_chunk_page
from automation.formats.sniff import FileKind, looks_like_mhtml, sniff
from automation.formats.textsniff import html_as_utf8, mhtml_html
from automation.problems import CchcError, FileRejected


ENV_VAR = "CCHC_SOFFICE"
_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
    "/usr/bin/soffice",
    "/usr/lib/libreoffice/program/soffice",
    "/opt/libreoffice/program/soffice",
    "/snap/bin/libreoffice",
)
# target extension -> (--convert-to argument, kind the output must sniff as; None = checked as PDF)
_TARGETS: dict[str, tuple[str, FileKind | None]] = {
    "docx": ("docx:MS Word 2007 XML", FileKind.DOCX),
    "xlsx": ("xlsx:Calc MS Excel 2007 XML", FileKind.XLSX),
    "pdf": ("pdf", None),
    "doc": ("doc:MS Word 97", FileKind.DOC),      # used by tests and for "save as .doc" round trips
    "xls": ("xls:MS Excel 97", FileKind.XLS),
}
_FAMILY = {"docx": "word", "doc": "word", "xlsx": "sheet", "xls": "sheet", "pdf": None}
_SUFFIX = {FileKind.DOCX: ".docx", FileKind.XLSX: ".xlsx", FileKind.ODT: ".odt", FileKind.ODS: ".ods",
           FileKind.DOC: ".doc", FileKind.XLS: ".xls", FileKind.RTF: ".rtf", FileKind.HTML: ".html"}
MAX_FILES_PER_PROCESS = 400  # keeps the command line far below Windows' 32 767 characters
log = logging.getLogger(__name__)


def find_soffice() -> str | None:
    """The LibreOffice executable: ``$CCHC_SOFFICE`` if set, else PATH (soffice, libreoffice), else usual places."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        found = shutil.which(override) or (override if Path(override).is_file() else None)
        return found
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((c for c in _CANDIDATES if Path(c).is_file()), None)


def libreoffice_available() -> bool:
    return find_soffice() is not None


def resident_office(workdir: Path | None = None) -> ResidentOffice | None:
    """A resident LibreOffice for a long-running command (``cchc watch``), not started yet; None without LibreOffice.

    ``workdir`` as for :class:`Converter`. Pass it as ``engine=`` to the Converters it should serve; close it."""
    soffice = find_soffice()
    return ResidentOffice(soffice, workdir) if soffice else None


def _mhtml_to_html(src: Path, dst: Path) -> bool:
    """Write the HTML part of an MHTML "single file web page" to ``dst`` (LibreOffice reads MHTML as plain text)."""
    page = mhtml_html(src.read_bytes())
    if page is not None:
        dst.write_bytes(page)
    return page is not None


class Converter:
    """Owns one private LibreOffice profile in a private folder; converts files in batches (one process each).

    Outputs are written inside that folder and deleted by :meth:`close`: copy what you keep first. The folder is
    made under ``workdir`` (None: the system temp folder). ``limits`` (for sniffing inputs and outputs) default to
    the built-in settings. ``engine``: a running :class:`~automation.formats.resident.ResidentOffice` to convert
    with instead of a new process per batch (the batch process is used should it fail to start); everything else,
    staging, checks, neutralising, is the same.
    """

    per_file_s = 2.0  # extra batch time allowed per file

    def __init__(self, timeout_s: float = 60.0, workdir: Path | None = None, limits: Limits | None = None,
                 engine: ResidentOffice | None = None):
        self.soffice = find_soffice()
        if self.soffice is None:
            raise CchcError("tool.libreoffice_missing")
        self.timeout_s = timeout_s
        if limits is None:
            limits = Limits()
        self.limits = limits
        self._exe = soffice_proc.executable(self.soffice)
        self.root = soffice_proc.make_root(workdir)
        self.profile = self.root / "profile"
        self._batches = 0
        self.engine = engine
        # what LibreOffice writes for a source naming no font (kept by a resident engine for its whole life)
        self._probe_fonts: dict[FileKind, dict | None] = engine.probe_fonts if engine is not None else {}
        self._cleanup = weakref.finalize(self, soffice_proc.remove_root, self.root)

    def __enter__(self) -> Converter:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Delete the profile and every converted file."""
        self._cleanup()

    # ----------------------------------------------------------------------------------------------- public

    def convert(self, source: Path, target_ext: str) -> Path:
        """Convert one file; returns the output path (inside the temporary folder) or raises ``FileRejected``."""
        result = self.convert_many([source], target_ext)[Path(source)]
        if isinstance(result, FileRejected):
            raise result
        return result

    def convert_many(self, sources: list[Path], target_ext: str) -> dict[Path, Path | FileRejected]:
        """Convert ``sources`` to ``target_ext`` ("docx", "xlsx", "pdf"; also "doc", "xls") with one soffice process.

        Returns, per source, the converted file (named ``<source stem>.<ext>`` in its own folder of the temporary
        directory) or the ``FileRejected`` explaining why not. Sources are never modified.
        """
        target_ext = target_ext.lower().lstrip(".")
        if target_ext not in _TARGETS:
            raise ValueError(f"unsupported target {target_ext!r}; use one of {sorted(_TARGETS)}")
        if not self._cleanup.alive:
            raise RuntimeError("Converter is closed")
        self._batches += 1
        batch = self.root / f"batch{self._batches:03d}"
        indir, outdir = batch / "in", batch / "out"
        indir.mkdir(parents=True)
        outdir.mkdir()
        results: dict[Path, Path | FileRejected] = {}
        staged: dict[str, Path] = {}  # private ascii name -> source
        kinds: dict[str, FileKind] = {}
        for i, src in enumerate(dict.fromkeys(Path(s) for s in sources)):
            try:
                name, kinds[name] = self._stage(src, indir, f"f{i:04d}", target_ext)
                staged[name] = src
            except FileRejected as exc:
                results[src] = exc
        names = list(staged)
        probes = self._stage_probes(set(kinds.values()), indir) if target_ext == "docx" else {}
        for start in range(0, len(names), MAX_FILES_PER_PROCESS):
            chunk = names[start:start + MAX_FILES_PER_PROCESS]
            extra = list(probes.values()) if start == 0 else []  # probes ride in the first process
            statuses, alone = self._convert(chunk + extra, indir, outdir, target_ext,
                                            self.timeout_s + self.per_file_s * len(chunk))
            if extra:
                self._read_probes(probes, outdir)
            for name in chunk:
                problem = self._check(name, outdir, target_ext)
                if problem and not alone and statuses[name] is not True:  # the batch timed out or crashed
                    statuses[name] = self._run([name], indir, outdir, target_ext, self.timeout_s)  # retry alone
                    problem = self._check(name, outdir, target_ext)
                if problem and statuses[name] is None:
                    problem = f"quá thời gian chuyển đổi ({self.timeout_s:g} giây)".replace(".", ",")
                if problem:
                    results[staged[name]] = FileRejected("file.conversion_failed", detail=problem)
                else:
                    kept = results[staged[name]] = self._keep(name, staged[name], outdir, batch, target_ext)
                    if target_ext == "docx":
                        self._neutralise(kept, kinds[name], indir / name)
        return {Path(s): results[Path(s)] for s in sources}

    # ------------------------------------------------------------------------- LibreOffice's own default fonts

    def _stage_probes(self, kinds: set[FileKind], indir: Path) -> dict[FileKind, str]:
        """Write the probes (sources naming no font) of the kinds in this batch not measured yet."""
        out = {}
        for kind in kinds:
            if kind in lodefaults.PROBES and kind not in self._probe_fonts:
                name, data = lodefaults.PROBES[kind]
                (indir / name).write_bytes(data)
                out[kind] = name
        return out

    def _read_probes(self, probes: dict[FileKind, str], outdir: Path) -> None:
        for kind, name in probes.items():
            out = outdir / (Path(name).stem + ".docx")
            self._probe_fonts[kind] = lodefaults.probe_fonts(out) if out.is_file() else None

    def _neutralise(self, docx: Path, kind: FileKind, staged: Path) -> None:
        """Remove LibreOffice's default fonts from a converted file (see :mod:`automation.formats.lodefaults`)."""
        try:
            text = staged.read_bytes().decode("utf-8", "replace") if kind in lodefaults.PROBES else ""
            lodefaults.neutralise(docx, kind, self._probe_fonts.get(kind), text)
        except (OSError, ValueError, FileRejected, zipfile.BadZipFile):
            pass  # the file stays as LibreOffice wrote it

    # ---------------------------------------------------------------------------------------------- helpers

    def _stage(self, src: Path, indir: Path, stem: str, target_ext: str) -> tuple[str, FileKind]:
        """Check ``src`` and copy it under a unique ascii name with the extension of what it really is.

        A web page is rewritten as UTF-8 (LibreOffice reads UTF-16 without a BOM, or windows-1258 without a
        charset, as garbage); an MHTML page as its HTML part."""
        sniffed = sniff(src, self.limits)
        family = _FAMILY[target_ext]
        if sniffed.kind not in _SUFFIX:
            raise FileRejected("file.unreadable", detail=f"nội dung không phải tệp Word/Excel: {sniffed.detail}")
        if family and sniffed.family != family:
            want = "văn bản Word" if family == "word" else "bảng tính Excel"
            raise FileRejected("file.unsupported", detail=f"{sniffed.detail} không chuyển được thành {want}")
        if sniffed.alt_chunks and target_ext == "docx":  # a .docx made of imported web pages: read the pages
            page = alt_chunk_page(src, self.limits.max_uncompressed_bytes)
            if page is not None:
                (indir / (stem + ".html")).write_bytes(page)
                return stem + ".html", FileKind.HTML
        name = stem + _SUFFIX[sniffed.kind]
        with src.open("rb") as fh:
            is_mhtml = sniffed.kind is FileKind.HTML and looks_like_mhtml(fh.read(4096))
        if is_mhtml:
            if not _mhtml_to_html(src, indir / name):
                raise FileRejected("file.unreadable", detail="trang web đơn tệp (MHTML) không có phần HTML")
        elif sniffed.kind is FileKind.HTML:
            (indir / name).write_bytes(html_as_utf8(src.read_bytes()))
        else:
            shutil.copyfile(src, indir / name)
        return name, sniffed.kind

    def _convert(self, names: list[str], indir: Path, outdir: Path, target_ext: str,
                 timeout: float) -> tuple[dict[str, bool | None], bool]:
        """Per name: True = done (which proves nothing), False = failed or crashed, None = timed out; and whether
        each file was converted alone (the resident engine, one file at a time, each under ``timeout_s``)."""
        if self.engine is not None:
            try:
                return self.engine.run(names, indir, outdir, _TARGETS[target_ext][0], self.timeout_s), True
            except ResidentUnavailable as exc:
                log.warning("resident LibreOffice unavailable (%s): converting with a batch process", exc)
                self.engine = None
        return dict.fromkeys(names, self._run(names, indir, outdir, target_ext, timeout)), False

    def _run(self, names: list[str], indir: Path, outdir: Path, target_ext: str, timeout: float) -> bool | None:
        """Run one soffice process: True = exited 0 (which proves nothing), False = crashed, None = timed out."""
        args = [self._exe, soffice_proc.profile_arg(self.root), "--headless", "--invisible",
                "--norestore", "--nolockcheck", "--nodefault", "--nologo",
                "--convert-to", _TARGETS[target_ext][0], "--outdir", str(outdir), *names]
        temp = self.root / "tmp"  # LibreOffice's own temporary files stay in the folder swept after a kill
        temp.mkdir(exist_ok=True)
        with (indir.parent / "soffice.log").open("ab") as log:  # a file, not a pipe: LO can never block on it
            code = soffice_proc.run(args, indir, log, timeout, temp)
        if code is None:
            for lock in (self.profile / ".lock", self.profile / "user" / ".lock"):  # stale after a kill
                lock.unlink(missing_ok=True)
            return None
        return code == 0

    def _check(self, name: str, outdir: Path, target_ext: str) -> str | None:
        """Why the output made for ``name`` is missing or not what was asked for, or None if it is good."""
        out = outdir / (Path(name).stem + "." + target_ext)
        if not out.is_file() or out.stat().st_size == 0:
            return "LibreOffice không mở được hoặc không chuyển được tệp (tệp hỏng hoặc sai định dạng)"
        want = _TARGETS[target_ext][1]
        if want is None:  # a PDF must start with %PDF and end with %%EOF (a killed writer leaves no trailer)
            with out.open("rb") as fh:
                head = fh.read(1024)
                fh.seek(max(0, out.stat().st_size - 1024))
                whole = head.lstrip().startswith(b"%PDF") and b"%%EOF" in fh.read()
            return None if whole else "tệp kết quả không phải PDF hoàn chỉnh"
        try:
            ok = sniff(out, self.limits).kind is want
        except FileRejected:
            ok = False
        return None if ok else f"tệp kết quả không phải .{target_ext} hợp lệ"

    @staticmethod
    def _keep(name: str, src: Path, outdir: Path, batch: Path, target_ext: str) -> Path:
        """Move the output to ``<batch>/<private stem>/<source stem>.<ext>``."""
        dest = batch / Path(name).stem / (_safe_stem(src) + "." + target_ext)
        dest.parent.mkdir()
        (outdir / (Path(name).stem + "." + target_ext)).replace(dest)
        return dest


def _safe_stem(src: Path) -> str:
    """The source's stem, without characters some file systems refuse."""
    stem = "".join("_" if c in '<>:"/\\|?*' or ord(c) < 32 else c for c in src.stem).strip(" .")
    return stem or "tep"
