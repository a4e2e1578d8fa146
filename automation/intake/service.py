"""The inbox's two rhythms: one pass over everything waiting (`cchc process`), or watching until stopped
(`cchc watch`).  Both drive a :class:`~automation.intake.desk.Desk`; ``follow_up(result)`` runs after each
pass, the workspace lock still held (automation.app passes the survey import, letters and appraisal)."""

from __future__ import annotations

import logging
import threading
import time
from typing import Callable

from automation.intake.desk import Desk, PassResult
from automation.intake.scan import StabilityTracker
from automation.problems import Problem
from automation.storage import problem_of

log = logging.getLogger(__name__)


def process_once(desk: Desk, follow_up: Callable[[PassResult], None] | None = None, progress: Callable | None = None,
                 settle_timeout_s: float = 120.0, tracker: StabilityTracker | None = None,
                 on_batch: Callable[[int], None] | None = None) -> PassResult:
    """Take every file in the inbox once it is stable, process them, and return.

    Files still being written are waited for (up to ``settle_timeout_s``); a file that never settles
    stays in the inbox for the next run.  ``on_batch(n)`` announces n more files (a progress bar's
    length), ``progress`` ticks once per file done.
    """
    settings = desk.settings
    tracker = tracker or StabilityTracker(settings.inbox.stable_window_s)
    total = PassResult()
    deadline = time.monotonic() + settle_timeout_s
    while True:
        ready = tracker.scan(desk.inbox)
        if ready:
            if on_batch:
                on_batch(len(ready))
            _merge(total, desk.run_pass(ready, progress, follow_up))
            for c in ready:
                tracker.forget(c.path)
        elif total.claimed == 0 and total.recovered == 0:
            # nothing ready yet: still finish any crashed work before waiting
            _merge(total, desk.run_pass([], progress, follow_up))
        if tracker.pending() == 0 or time.monotonic() > deadline:
            break
        time.sleep(min(0.5, settings.inbox.stable_window_s / 2))
    return total


def _merge(total: PassResult, part: PassResult) -> None:
    total.claimed += part.claimed
    total.recovered += part.recovered
    total.submissions.extend(part.submissions)
    total.appraisal = part.appraisal or total.appraisal
    for k, v in part.statuses.items():
        total.statuses[k] = total.statuses.get(k, 0) + v


class _Either:
    """The watcher's stop signal: the user's ``stop``, or the desk's workspace replaced under it."""

    def __init__(self, stop: threading.Event):
        self.stop = stop
        self.replaced = False

    def is_set(self) -> bool:
        return self.replaced or self.stop.is_set()

    def wait(self, timeout: float) -> bool:
        self.stop.wait(timeout)
        return self.is_set()


def watch(desk: Desk, follow_up: Callable[[PassResult], None] | None, stop: threading.Event,
          on_result: Callable[[PassResult], None] | None = None, extra: Callable[[], None] | None = None,
          on_problem: Callable[[Problem], None] | None = None, busy: Callable[[], bool] | None = None) -> bool:
    """Watch the inbox until ``stop`` is set; ``extra`` runs after each pass (weekly status, daily backup),
    and the watcher keeps ticking while ``busy()`` says work is owed (an appraisal write put off).

    Before each pass the desk checks its workspace, inbox and ledger are still the ones it opened; if not,
    watching ends and True is returned (the caller opens the new ones).  A storage fault (disk full,
    read-only folder) stops that pass only: ``on_problem`` is told, the files stay claimed or in the inbox,
    and a later pass finishes them.  A pass with few legacy files converts them with a resident LibreOffice,
    started on the first such file and closed when watching ends."""
    from automation.intake.watcher import InboxWatcher  # noqa: PLC0415 (watchdog)

    settings = desk.settings
    tracker = StabilityTracker(settings.inbox.stable_window_s)
    signal = _Either(stop)
    first = [True]
    last_problem: list[str | None] = [None]

    def report(exc: Exception) -> None:
        p = problem_of(exc)
        if p is None:
            raise exc
        if on_problem and p.message != last_problem[0]:  # once per fault, not once per pass
            on_problem(p)
        last_problem[0] = p.message

    def one_pass() -> None:
        if desk.replaced():
            signal.replaced = True
            return
        try:
            ready = tracker.scan(desk.inbox)
            if ready or first[0]:
                first[0] = False
                result = desk.run_pass(ready, follow_up=follow_up)
                for c in ready:
                    tracker.forget(c.path)
                if (result.claimed or result.recovered) and on_result:
                    on_result(result)
            if extra:
                extra()
            last_problem[0] = None
        except Exception as exc:
            report(exc)

    desk.inbox.mkdir(parents=True, exist_ok=True)
    desk.remember_places()
    watcher = InboxWatcher(desk.inbox, one_pass, polling=settings.inbox.polling,
                           polling_interval_s=settings.inbox.polling_interval_s,
                           tick_s=min(1.0, settings.inbox.stable_window_s / 2), rescan_s=settings.inbox.rescan_s,
                           needs_tick=lambda: tracker.pending() > 0 or bool(busy and busy()))
    from automation.formats.convert import resident_office  # noqa: PLC0415 (started on the first legacy file)

    desk.office = resident_office(desk.ws.libreoffice)
    try:
        watcher.run(signal)
    finally:
        if desk.office is not None:
            desk.office.close()  # no LibreOffice outlives the watcher
        desk.office = None
    return signal.replaced
