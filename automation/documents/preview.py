"""``cchc preview``: any output (Word or Excel) rendered to PDF as it would print, into ``outbox/xem-truoc/``.

All files of one call go through ONE LibreOffice batch. A file inside the workspace keeps its place below
``xem-truoc`` (``outbox/du-thao/quyet-dinh-2021.docx`` -> ``outbox/xem-truoc/du-thao/quyet-dinh-2021.pdf``); a file
from elsewhere goes to the top of it. Previews are the tool's own derived files: a new preview replaces the old
one (atomically); the sources are only read.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from automation.files import atomic_save
from automation.problems import FileRejected, Problem, UsageError, problem
from automation.settings import Settings

SUFFIXES = (".docx", ".doc", ".xlsx", ".xlsm", ".xls", ".odt", ".ods", ".rtf")
FOLDER = ("outbox", "xem-truoc")


@dataclass
class Preview:
    source: Path
    pdf: Path | None = None
    problem: Problem | None = None


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


def preview(settings: Settings, targets: list[Path]) -> list[Preview]:
    """Render every file of ``targets`` to PDF (one LibreOffice batch); one result per file, in order."""
    from automation.formats.convert import Converter  # noqa: PLC0415
    from automation.workspace import libreoffice_dir  # noqa: PLC0415

    skip = settings.path(*FOLDER).resolve()
    files = sources(targets, skip)
    if not files:
        raise UsageError("usage.bad_argument", detail="Không có tệp Word hoặc Excel nào để xem trước "
                                                      f"(nhận: {', '.join(SUFFIXES)})")
    results = [Preview(f) for f in files]
    with Converter(timeout_s=settings.limits.conversion_timeout_s, workdir=libreoffice_dir(settings.workspace),
                   limits=settings.limits) as conv:
        made = conv.convert_many(files, "pdf")
        taken: set[Path] = set()
        for r in results:
            out = made[r.source]
            if isinstance(out, FileRejected):
                detail = out.problem.params.get("detail") or out.problem.message
                r.problem = problem("preview.failed", path=r.source.name, detail=str(detail).rstrip("."))
                continue
            target = target_of(r.source, settings, taken)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                atomic_save(target, lambda tmp, src=out: shutil.copyfile(src, tmp))
            except PermissionError:  # Windows: the old preview is open in a viewer
                r.problem = problem("preview.failed", path=r.source.name,
                                    detail=f"tệp {target.name} đang mở, không ghi đè được")
                continue
            r.pdf = target
    return results
