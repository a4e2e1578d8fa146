"""The documents of the year, drafted from the templates into ``outbox/du-thao/``: the plan, one notice per
unit, the report and the decision (with its annex of indexes and ranks).

A draft staff have edited (or have open in Word, or that was already sent) is never overwritten: the new
version is written beside it as ``<name>-v2.docx`` (then ``-v3`` …) and the :class:`Draft` says which file
was kept.  The ledger's ``drafts`` table remembers the SHA-256 of every file the tool wrote, which is how
an edit is recognised.  While any unit's index is not final ("Chính thức"), every document says DỰ THẢO
(the decision's :attr:`Draft.held_by` names those units).  A document drafted again keeps the date of its
first draft (the ledger's ``draft_dates``) unless staff ask for today's (``cchc generate --today``); the plan
is dated by ``[documents] plan_date`` or left blank for the registry.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from automation import clock
from automation.files import open_in_office, save_new_version, sha256_of
from automation.config import Settings
from automation.documents.preview import export_pdfs
from automation.documents.render import render_docx, template_path, template_variables
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.problems import CchcError, Problem, UsageError, problem

log = logging.getLogger(__name__)

DRAFTS_DIR = ("outbox", "du-thao")
NOTICES_DIR = "thong-bao"
WHAT = ("plan", "notices", "report", "decision", "all")


@dataclass
class Draft:
    kind: str  # plan | notice | report | decision
    unit_code: str | None
    path: Path
    pdf: Path | None = None
    final: bool = False
    replaced_edited: Path | None = None  # the edited file that was kept, when the new version went beside it
    kept_reason: str | None = None  # why it was kept: EDITED, OPEN, SENT or NOT_OURS (Vietnamese wording)
    pdf_error: str | None = None  # why the PDF could not be made (pdf is None then)
    held_by: tuple[str, ...] = ()  # the results not final that keep it a DỰ THẢO: "Xã Kim Xá (Tạm tính)"
    dated: dt.date | None = None  # the date on the document, None when left blank

    def problems(self) -> list[Problem]:
        """What to tell staff about this draft (a kept edited file is a warning, not an error)."""
        out = []
        if self.replaced_edited is not None:
            out.append(problem("draft.edited", path=str(self.replaced_edited), new=str(self.path),
                               reason=self.kept_reason or EDITED))
        if self.pdf_error is not None:
            out.append(problem("draft.pdf_failed", path=str(self.path), detail=self.pdf_error))
        return out


# --- one draft ----------------------------------------------------------------------------------------

def _rel(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.path()).as_posix()


EDITED = "đã được sửa"
OPEN = "đang mở trong Word"
SENT = "đã được gửi đi"
NOT_OURS = "không do chương trình ghi"


def _why_keep(settings: Settings, ledger: Ledger, path: Path) -> str | None:
    """Why ``path`` must be kept, or None when it is exactly what the tool last wrote there (unsent, closed)."""
    row = ledger.drafts.get(_rel(settings, path))
    if row is None:
        return NOT_OURS
    if open_in_office(path):
        return OPEN
    try:
        if sha256_of(path) != row["sha256"]:
            return EDITED
    except OSError:
        return OPEN
    return SENT if row["sent_at"] else None


def write_draft(settings: Settings, kind: str, unit_code: str | None, template_name: str, context: dict,
                filename: str, *, final: bool | None = None, ledger: Ledger | None = None) -> Draft:
    """Render ``template_name`` into ``outbox/du-thao/<filename>``; an edited file there is kept and the new
    draft written as ``<stem>-v2.docx`` (``-v3`` …) instead.  ``final`` (recorded in the ledger) defaults to
    ``not context["du_thao"]`` (not final when the context has no such flag)."""
    own = ledger is None
    if own:
        ledger = Ledger(settings.path(LEDGER_NAME))
    try:
        target = settings.path(*DRAFTS_DIR, *Path(filename).parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        if final is None:
            final = not context.get("du_thao", context.get("draft", True))
        rendered: list[str] = []

        def save(tmp: Path) -> None:
            render_docx(template_path(settings, template_name), context, tmp)
            rendered.append(sha256_of(tmp))

        saved = save_new_version(target, save, lambda p: _why_keep(settings, ledger, p), open_reason=OPEN)
        dest, kept, why = saved.path, saved.kept, saved.reason
        ledger.drafts.record(kind, unit_code, _rel(settings, dest), rendered[0], final)
        if kept is not None:
            log.info("kept draft %s (%s); new version %s", kept, why, dest)
        return Draft(kind, unit_code, dest, final=final, replaced_edited=kept, kept_reason=why)
    finally:
        if own:
            ledger.close()


@dataclass
class _Job:
    kind: str
    unit_code: str | None
    template: str
    context: dict
    filename: str
    dated: dt.date | None = None  # the date on the document; the plan's: from the configuration, or None (blank)


def _jobs(settings: Settings, what: str, table, submissions: list, draft: bool, dated,
          previous: list | None = None) -> list[_Job]:
    """What to write: the context of each document, built by :mod:`automation.documents.context`;
    ``dated(kind, unit_code)`` is the date of each document but the plan."""
    from automation.documents import context as ctx  # noqa: PLC0415

    year = settings.year
    jobs: list[_Job] = []

    def add(kind: str, unit_code: str | None, build, filename: str) -> None:
        day = dated(kind, unit_code)
        jobs.append(_Job(kind, unit_code, ctx.TEMPLATES[kind], build(today=day, draft=draft), filename, day))

    if what in ("plan", "all"):
        jobs.append(_Job("plan", None, ctx.TEMPLATES["plan"], ctx.plan_context(settings, draft=draft),
                         f"ke-hoach-{year}.docx", settings.documents.plan_date))
    if what in ("notices", "all"):
        for unit in settings.units:
            add("notice", unit.code, lambda code=unit.code, **w: ctx.notice_context(settings, table, code, **w),
                f"{NOTICES_DIR}/thong-bao-{unit.slug}-{year}.docx")
    if what in ("report", "all"):
        add("report", None, lambda **w: ctx.report_context(settings, table, submissions, previous=previous, **w),
            f"bao-cao-{year}.docx")
    if what in ("decision", "all"):
        add("decision", None, lambda **w: ctx.decision_context(settings, table, previous=previous, **w),
            f"quyet-dinh-{year}.docx")
    return jobs


def _preflight(settings: Settings, jobs: list[_Job]) -> None:
    """Before any file is written: every template exists, parses, and gets every variable it uses."""
    checked: dict[str, set[str]] = {}
    for job in jobs:
        if job.template not in checked:
            checked[job.template] = template_variables(template_path(settings, job.template))
        missing = checked[job.template] - set(job.context)
        if missing:
            names = ", ".join(f"“{m}”" for m in sorted(missing))
            raise CchcError("template.error", template=job.template,
                            detail=f"mẫu dùng biến mà chương trình không cung cấp: {names}")


def generate(settings: Settings, what: str, *, table, ledger: Ledger, pdf: bool = False,
             today: bool = False) -> list[Draft]:
    """Draft ``what`` (plan | notices | report | decision | all) into ``outbox/du-thao/`` from the computed
    appraisal ``table``; with ``pdf`` every draft of the run is also exported to PDF beside its .docx, in one
    LibreOffice process.  Each document keeps the date of its first draft; ``today`` dates them today (and
    from now on)."""
    from automation.documents.tables import not_final  # noqa: PLC0415
    from automation.scoring.index import all_final  # noqa: PLC0415

    if what not in WHAT:
        raise UsageError("usage.bad_argument",
                         detail=f"Không có loại văn bản “{what}” (chọn plan, notices, report, decision hoặc all)")
    draft = not all_final(table.results)
    now = clock.now().date()

    def dated(kind: str, unit_code: str | None):
        return now if today else (ledger.drafts.first_drafted(kind, unit_code) or now)

    from automation.scoring.previous import PreviousResult  # noqa: PLC0415
    previous = [PreviousResult(*row) for row in ledger.previous.all()]
    jobs = _jobs(settings, what, table, ledger.submissions.all(), draft, dated, previous)
    _preflight(settings, jobs)
    held = tuple(not_final(list(table.results)))
    drafts = []
    for j in jobs:
        d = write_draft(settings, j.kind, j.unit_code, j.template, j.context, j.filename, final=not draft,
                        ledger=ledger)
        d.dated, d.held_by = j.dated, held if j.kind == "decision" else ()
        drafts.append(d)
    ledger.drafts.keep_dates([(j.kind, j.unit_code, j.dated) for j in jobs if j.kind != "plan"], replace=today)
    if pdf and drafts:
        export_pdfs(settings, drafts)
    return drafts
