"""One function per thing a user does, chaining the stages and outputs; the faces (``cli/``, the Excel button,
the demo) call these and nothing below them that chains packages.

Each function opens the workspace's ledger once and hands it down.  After an inbox pass, while the workspace
lock is still held, :func:`follow_up` runs what the pass calls for, in order: import the survey entry
workbooks it archived, write the letters owed, rebuild the appraisal workbook when scores, evidence or answers
came in.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from pathlib import Path
from typing import Callable

from automation import clock
from automation.config import Settings
from automation.ledger import Ledger, open_ledger
from automation.ledger import records as m
from automation.problems import CchcError, Problem, verdict
from automation.workspace import Workspace, libreoffice_dir

log = logging.getLogger(__name__)


def _ws(settings: Settings) -> Workspace:
    return Workspace.of(settings)


# --- the inbox -----------------------------------------------------------------------------------------

class Pacing:
    """``cchc watch``: the appraisal workbook written at most once per ``interval_s`` while files keep
    arriving; a write put off is made by :meth:`catch_up` once the interval has passed (the watcher keeps
    ticking while one is owed)."""

    def __init__(self, interval_s: float):
        self.interval_s = interval_s
        self.last: float | None = None
        self.owed = False

    def due(self) -> bool:
        return self.last is None or time.monotonic() - self.last >= self.interval_s

    def write(self, ws: Workspace, ledger: Ledger) -> Path | None:
        self.last, self.owed = time.monotonic(), False
        return refresh_appraisal(ws, ledger)

    def catch_up(self, ws: Workspace, ledger: Ledger) -> Path | None:
        if not (self.owed and self.due()):
            return None
        return self.write(ws, ledger)  # the rebuild takes the workspace lock


def follow_up(ws: Workspace, ledger: Ledger, pacing: Pacing | None = None) -> Callable:
    """What follows a pass of the desk (called with its result, the workspace lock held)."""
    def run(result) -> None:
        imported = import_archived_entries(ws, ledger)
        if imported:  # the entries' verdicts were set by their import
            result.submissions = [ledger.submissions.get(s.id) for s in result.submissions]
        from automation.documents.letters import write_missing_letters  # noqa: PLC0415 (python-docx)

        write_missing_letters(ws, ledger, clock.now())
        if result.needs_appraisal or imported or appraisal_owed(ws, ledger):
            if pacing is None:
                result.appraisal = refresh_appraisal(ws, ledger)
            elif pacing.due():
                result.appraisal = pacing.write(ws, ledger)
            else:
                pacing.owed = True

    return run


def import_archived_entries(ws: Workspace, ledger: Ledger) -> bool:
    """Import the survey entry workbooks archived but not yet imported (oldest first: the newest wins)."""
    from automation.appraisal.survey import store_entry  # noqa: PLC0415

    pending = ledger.submissions.entries_to_import()
    for sub in pending:
        summary = store_entry(ws.settings, ledger, ws.root / sub.path, submission_id=sub.id)
        with ledger.transaction():
            ledger.submissions.update(sub.id, verdict=verdict(summary.problems),
                                      problems=[p.as_dict(with_fix=True) for p in summary.problems])
    return bool(pending)


def appraisal_owed(ws: Workspace, ledger: Ledger) -> bool:
    """Scores, evidence or answers archived after the appraisal workbook was last written: the rebuild of an
    earlier pass was stopped (a full disk, a read-only outbox) or its files were finished by recovery."""
    newest = ledger.submissions.newest_input_at()
    if newest is None:
        return False
    written = ledger.outputs.written_at(ws.rel(ws.appraisal_workbook))
    if written is None or not ws.appraisal_workbook.exists():
        return True
    return newest > written


def refresh_appraisal(ws: Workspace, ledger: Ledger) -> Path | None:
    """Rebuild the appraisal workbook after new inputs (kept as is while Excel has it open)."""
    from automation.appraisal.rebuild import rebuild  # noqa: PLC0415

    try:
        return ws.appraisal_workbook if rebuild(ws, ledger) is not None else None
    except CchcError as exc:
        log.warning("appraisal workbook not rebuilt: %s", exc.problem.message)
        return None


def process_inbox(settings: Settings, progress: Callable | None = None, settle_timeout_s: float = 120.0,
                  tracker=None, on_batch: Callable[[int], None] | None = None):
    """`cchc process`: take every file in the inbox once it is stable, process it, follow up, return."""
    from automation.intake.desk import Desk  # noqa: PLC0415
    from automation.intake.service import process_once  # noqa: PLC0415

    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        desk = Desk(ws, ledger)
        return process_once(desk, follow_up(ws, ledger), progress=progress, settle_timeout_s=settle_timeout_s,
                            tracker=tracker, on_batch=on_batch)


def watch(settings: Settings, stop: threading.Event, on_result: Callable | None = None,
          extra: Callable[[], None] | None = None, on_problem: Callable[[Problem], None] | None = None) -> None:
    """`cchc watch`: the inbox until ``stop`` is set; ``extra`` runs after each pass (the weekly status), and
    a backup of the ledger is made once a day.  When the workspace folder, the inbox or the ledger is
    replaced under it (restored from a backup, moved on the share), it opens the new ones (the settings read
    again) and goes on; ``on_problem`` is told, as it is of storage faults."""
    from automation.config import CONFIG_NAME, load_settings  # noqa: PLC0415
    from automation.intake.desk import Desk  # noqa: PLC0415
    from automation.intake.service import watch as watch_inbox  # noqa: PLC0415
    from automation.problems import problem  # noqa: PLC0415

    while not stop.is_set():
        ws = _ws(settings)
        pacing = Pacing(settings.inbox.appraisal_interval_s)
        with open_ledger(ws.ledger_path) as ledger:
            def upkeep(ws=ws, ledger=ledger, pacing=pacing) -> None:
                pacing.catch_up(ws, ledger)
                daily_backup(ws, ledger)
                if extra:
                    extra()
            replaced = watch_inbox(Desk(ws, ledger), follow_up(ws, ledger, pacing), stop, on_result=on_result,
                                   extra=upkeep, on_problem=on_problem, busy=lambda pacing=pacing: pacing.owed)
        if not replaced:
            return
        log.warning("workspace %s replaced under the watcher: reopening", ws.root)
        if on_problem:
            on_problem(problem("workspace.replaced", path=str(ws.root)))
        while not stop.is_set() and not (ws.root / CONFIG_NAME).is_file():
            stop.wait(2.0)  # the folder is being restored: wait for it to be whole again
        if not stop.is_set():
            settings = load_settings(ws.root)


# --- the ledger ----------------------------------------------------------------------------------------

def daily_backup(ws: Workspace, ledger: Ledger) -> Path | None:
    """A backup of the ledger if none was made today (``cchc watch`` calls it after each pass)."""
    from automation.ledger import upkeep  # noqa: PLC0415
    if not upkeep.backup_due(ws.backups):
        return None
    return upkeep.backup(ledger, ws.backups)


def ledger_backup(settings: Settings) -> Path:
    """`cchc ledger backup`: an online backup into ``luu-tru/_sao-luu/`` (the newest 14 kept)."""
    from automation.ledger import upkeep  # noqa: PLC0415
    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        return upkeep.backup(ledger, ws.backups)


def ledger_check(settings: Settings) -> list[Problem]:
    """`cchc ledger check`: SQLite's integrity check, then the ledger against the folders (every finished
    row's file where the row says, every stored file in a row).  [] when all is well."""
    from automation.intake.rebuild import stored_files  # noqa: PLC0415
    from automation.problems import problem  # noqa: PLC0415
    from automation.storage import StorageError  # noqa: PLC0415
    ws = _ws(settings)
    if not ws.ledger_path.exists():
        return [problem("ledger.corrupt", path=ws.rel(ws.ledger_path), detail="không có tệp sổ")]
    with open_ledger(ws.ledger_path) as ledger:
        damage = ledger.integrity()
        if damage:
            raise StorageError(problem("ledger.corrupt", path=ws.rel(ws.ledger_path), detail="; ".join(damage[:3])))
        rows = [s for s in ledger.submissions.all() if s.status != m.PROCESSING]
    stored = stored_files(ws)
    missing = [s.path for s in rows if s.path not in stored]
    extra = sorted(set(stored) - {s.path for s in rows})
    found = []
    if missing or extra:
        detail = "; ".join(
            ([f"{len(missing)} tệp có trong sổ nhưng không thấy trong thư mục (ví dụ {missing[0]})"] if missing else [])
            + ([f"{len(extra)} tệp trong thư mục lưu trữ/cách ly chưa có trong sổ (ví dụ {extra[0]})"] if extra
               else []))
        found.append(problem("ledger.issues", count=len(missing) + len(extra), detail=detail))
    return found


def ledger_rebuild(settings: Settings):
    """`cchc ledger rebuild`: the submissions made again from the archive and the quarantine (the old ledger
    moved aside, never deleted), then the letters already written adopted and archived survey entries
    imported again."""
    from automation.documents.letters import adopt_letters  # noqa: PLC0415
    from automation.intake.rebuild import rebuild  # noqa: PLC0415
    ws = _ws(settings)
    with ws.lock():
        result = rebuild(ws)
        with open_ledger(ws.ledger_path) as ledger:
            adopt_letters(ws, ledger)
            import_archived_entries(ws, ledger)
    return result


# --- the appraisal -------------------------------------------------------------------------------------

def recompute(settings: Settings):
    """`cchc recompute`: the table computed and written (refused while Excel has the workbook open)."""
    from automation.appraisal.rebuild import recompute as rebuild_now  # noqa: PLC0415

    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        return rebuild_now(ws, ledger)


def appraisal_table(ws: Workspace, ledger: Ledger):
    """The appraisal table, computed once: rebuilt (and the workbook written) as usual; while Excel has the
    workbook open, computed from the workbook as saved (plus the ledger) without writing it."""
    from automation.appraisal.rebuild import compute, rebuild  # noqa: PLC0415

    try:
        table = rebuild(ws, ledger)
    except CchcError as exc:
        if exc.code != "appraisal.locked":
            raise
        table = None
    return table if table is not None else compute(ws, ledger)


def current_table(ws: Workspace, ledger: Ledger):
    """The table as the workbook stands (no rebuild), or None before there is a workbook."""
    from automation.appraisal.rebuild import compute  # noqa: PLC0415

    return compute(ws, ledger) if ws.appraisal_workbook.exists() else None


# --- the survey ----------------------------------------------------------------------------------------

def stored_lists(settings: Settings, ledger: Ledger) -> dict:
    """Each unit's latest list as it was read when it arrived: unit -> (problems, RespondentList, id).

    A list archived before extractions were stored (an older ledger) is checked once more, and what is
    read is stored, so it is never read again."""
    from automation.check import check_paths  # noqa: PLC0415
    from automation.lists.model import RespondentList  # noqa: PLC0415

    latest = ledger.submissions.latest_by_unit(m.RESPONDENT_LIST)
    stored = ledger.submissions.extractions([s.sha256 for s in latest.values()])
    out: dict = {}
    unread = {}
    for code, sub in latest.items():
        problems = [Problem.from_dict(p) for p in sub.problems]
        data = stored.get(sub.sha256)
        if data is not None:
            rl = RespondentList.from_dict(data["list"]) if data.get("list") else None
            out[code] = (problems, rl, sub.id)
        else:
            unread[code] = sub
    if unread:
        root = Path(settings.workspace)
        paths = {code: root / (s.converted_path or s.path) for code, s in unread.items()}
        reports = check_paths(list(paths.values()), settings,
                              hints={paths[c]: settings.units.by_code(c) for c in paths},
                              lo_workdir=libreoffice_dir(settings.workspace))
        for (code, sub), rep in zip(unread.items(), reports):
            out[code] = (rep.problems, rep.respondent_list, sub.id)
            if rep.respondent_list is not None:
                with ledger.transaction():
                    ledger.submissions.store_extraction(sub.sha256, "respondent_list", rep.extracted())
    return out


def draw_sample(settings: Settings, per_unit: int | None, seed: int):
    """The survey sample from each unit's latest usable list (not saved)."""
    from automation.survey.sample import draw  # noqa: PLC0415

    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        return draw(settings, stored_lists(settings, ledger), per_unit, seed)


def save_sample(settings: Settings, result) -> int:
    """Record the sample (and its seed), replacing the earlier one and its answers."""
    from automation.survey.sample import person_rows  # noqa: PLC0415

    detail = "; ".join(f"{u}: {why}" for u, why in result.missing)
    with open_ledger(_ws(settings).ledger_path) as ledger:
        return ledger.survey.replace_sample(result.seed, result.per_unit, detail, person_rows(result))


def has_answers(settings: Settings) -> bool:
    path = _ws(settings).ledger_path
    if not path.exists():
        return False
    with open_ledger(path) as ledger:
        return ledger.survey.has_answers()


def sampled_people(settings: Settings) -> list:
    from automation.survey.sample import people_from_rows  # noqa: PLC0415

    with open_ledger(_ws(settings).ledger_path) as ledger:
        return people_from_rows(ledger.survey.people(), settings)


def import_survey(settings: Settings, path: Path):
    """`cchc survey import`: the entry workbook made THE survey data, then the appraisal workbook rebuilt."""
    from automation.appraisal.survey import store_entry  # noqa: PLC0415

    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        summary = store_entry(settings, ledger, path)
        summary.appraisal = refresh_appraisal(ws, ledger)
    return summary


# --- documents and status ------------------------------------------------------------------------------

def generate(settings: Settings, what: str, *, pdf: bool = False, table=None, today: bool = False) -> list:
    """`cchc generate`: the drafts from the appraisal table (computed once; the Excel button passes the open
    workbook's); ``today``: date them today instead of the day each was first drafted."""
    from automation.documents.generate import generate as write_drafts  # noqa: PLC0415

    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        table = table if table is not None else appraisal_table(ws, ledger)
        return write_drafts(settings, what, table=table, ledger=ledger, pdf=pdf, today=today)


def write_status(settings: Settings, today: dt.date | None = None) -> Path:
    """`cchc status`: the status workbook of ``today``."""
    from automation.status.workbook import write_status as write  # noqa: PLC0415

    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        return write(settings, today, ledger=ledger, table=current_table(ws, ledger))


def send_weekly_status(settings: Settings, now: dt.datetime | None = None, **kw) -> str | None:
    """The weekly status mail of `cchc watch`, if due (see automation.status.schedule)."""
    from automation.status.schedule import send_weekly_status as send  # noqa: PLC0415

    ws = _ws(settings)
    return send(settings, now, table_of=lambda ledger: current_table(ws, ledger), **kw)


# --- last year ------------------------------------------------------------------------------------------

def import_previous(settings: Settings, path: Path) -> tuple[int, dict]:
    """`cchc previous import`: last year's results (its appraisal workbook or a CSV) stored in the ledger;
    the number read and, per kind of comparison ("so sánh được", "không so sánh được", "-"), the units."""
    from automation.scoring.previous import compare, from_csv, from_rows  # noqa: PLC0415

    path = Path(path)
    if path.stat().st_size > settings.limits.max_file_bytes:  # the inbox's own bound, before anything is read
        raise CchcError("previous.invalid", where=path.name,
                        detail=f"tệp quá lớn (giới hạn {settings.limits.max_file_bytes // 1024} KB, [limits] max_file_mb)")
    if path.suffix.lower() == ".csv":
        try:
            rows = from_csv(path.read_bytes().decode("utf-8-sig"), path.name)
        except UnicodeDecodeError:
            raise CchcError("previous.invalid", where=path.name, detail="tệp CSV phải lưu bằng UTF-8") from None
    else:
        from automation.formats.values import Unsuitable, read_values  # noqa: PLC0415
        from automation.scoring.table import TONG_HOP  # noqa: PLC0415
        try:
            book = read_values(path, limit=settings.limits.max_uncompressed_bytes, sheets=(TONG_HOP,))
        except CchcError as exc:  # a damaged or unsafe file
            raise CchcError("previous.invalid", where=path.name, detail=exc.problem.message.rstrip(".")) from None
        except Unsuitable:
            raise CchcError("previous.invalid", where=path.name, detail="bảng tính quá lớn hoặc không đọc được") from None
        sheet = book.sheet(TONG_HOP) if book is not None else None
        if sheet is None:
            raise CchcError("previous.invalid", where=path.name, detail=f"không có trang {TONG_HOP}")
        rows = from_rows([list(r) for r in sheet.rows], f"{path.name}, trang {TONG_HOP}")
    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        ledger.previous.replace([(r.code, r.name, r.index, r.rank) for r in rows], path.name, clock.now())
        table = current_table(ws, ledger)
    results = table.results if table is not None else []
    counts: dict[str, int] = {}
    for c in compare(settings.units, results, rows, settings.documents.decimals).values():
        key = "so sánh được" if c.comparable else c.index
        counts[key] = counts.get(key, 0) + 1
    return len(rows), counts
