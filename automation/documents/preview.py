"""``cchc preview``: any output (Word or Excel) rendered to PDF as it would print, into ``outbox/xem-truoc/``.

All files of one call go through ONE LibreOffice batch. A file inside the workspace keeps its place below
``xem-truoc`` (``outbox/du-thao/quyet-dinh-2021.docx`` -> ``outbox/xem-truoc/du-thao/quyet-dinh-2021.pdf``); a file
from elsewhere goes to the top of it. Previews are the tool's own derived files: a new preview replaces the old
one (atomically); the sources are only read.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from automation.files import atomic_save
from automation.problems import FileRejected, Problem, UsageError, problem
from automation.settings import Settings

SUFFIXES = (".docx", ".doc", ".xlsx", ".xlsm", ".xls", ".odt", ".ods", ".rtf")
FOLDER = ("outbox", "xem-truoc")


@dataclass
class Preview:
    path: Path  # the source
    pdf: Path | None = None
    pdf_error: str | None = None  # why the PDF could not be made

    @property
    def problem(self) -> Problem | None:
        return (None if self.pdf_error is None else
                problem("preview.failed", path=self.path.name, detail=self.pdf_error.rstrip(".")))


def sources(targets: list[Path], skip: Path) -> list[Path]:
    """The files to preview: each file named, and the Word/Excel files under each folder named (not the previews
    themselves, nor Office's lock files and the tool's temporary files)."""
    out: list[Path] = []
    for target in targets:
        target = Path(target)
        if not target.exists():
            raise UsageError("usage.bad_argument", detail=f"Không có tệp hoặc thư mục “{target}”")
        if target.is_file():
            out.append(target.resolve())
            continue
        for path in sorted(target.rglob("*")):
            if (path.is_file() and path.suffix.lower() in SUFFIXES and not path.name.startswith(("~$", ".~"))
                    and skip not in path.resolve().parents):
                out.append(path.resolve())
    return list(dict.fromkeys(out))


def target_of(source: Path, settings: Settings, taken: set[Path]) -> Path:
    """Where the preview of ``source`` goes (never the same place as another source's of this call)."""
    base = settings.path(*FOLDER)
    for root in (settings.path("outbox"), settings.path()):
        if root.resolve() in source.parents:
            rel = source.relative_to(root.resolve())
            break
    else:
        rel = Path(source.name)
    target = base / rel.with_suffix(".pdf")
    if target in taken:  # quyet-dinh.docx and quyet-dinh.xlsx side by side
        target = target.with_name(f"{source.stem}-{source.suffix.lstrip('.').lower()}.pdf")
    taken.add(target)
    return target


def export_pdfs(settings: Settings, items: list, target_of: Callable[[Path], Path] | None = None) -> None:
    """Convert every item's ``path`` to PDF in ONE LibreOffice process and write each to ``target_of(path)``
    (default: beside it), atomically.

    Each item (anything with ``path``, ``pdf`` and ``pdf_error``: a draft, a preview) gets ``pdf`` set, or
    ``pdf_error`` saying why not (a PDF the old copy of which is open in a viewer on Windows cannot be replaced)."""
    from automation.formats.convert import Converter  # noqa: PLC0415
    from automation.workspace import libreoffice_dir  # noqa: PLC0415

    with Converter(timeout_s=settings.limits.conversion_timeout_s, workdir=libreoffice_dir(settings.workspace),
                   limits=settings.limits) as conv:
        results = conv.convert_many([d.path for d in items], "pdf")
        for d in items:
            out = results[d.path]
            if isinstance(out, FileRejected):
                d.pdf_error = out.problem.params.get("detail") or out.problem.message
                continue
            target = target_of(d.path) if target_of is not None else d.path.with_suffix(".pdf")
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                atomic_save(target, lambda tmp, src=out: shutil.copyfile(src, tmp))
            except PermissionError:  # Windows: the old PDF is open in a viewer
                d.pdf_error = f"tệp {target.name} đang mở, không ghi đè được"
                continue
            d.pdf = target


def preview(settings: Settings, targets: list[Path]) -> list[Preview]:
    """Render every file of ``targets`` to PDF (one LibreOffice batch); one result per file, in order."""
    skip = settings.path(*FOLDER).resolve()
    files = sources(targets, skip)
    if not files:
        raise UsageError("usage.bad_argument", detail="Không có tệp Word hoặc Excel nào để xem trước "
                                                      f"(nhận: {', '.join(SUFFIXES)})")
    taken: set[Path] = set()
    places = {f: target_of(f, settings, taken) for f in files}
    results = [Preview(f) for f in files]
    export_pdfs(settings, results, places.__getitem__)
    return results
