"""The one clock of the tool: the real time, or the time set in ``CCHC_NOW`` (demo, tests).

``CCHC_NOW=2021-10-28T09:00`` makes the tool behave as on that day: received-at times, on-time
status and document dates follow it.
"""

from __future__ import annotations

import datetime as dt
import os


def now() -> dt.datetime:
    """Local, naive time (office hours are local)."""
    override = os.environ.get("CCHC_NOW")
    if override:
        return dt.datetime.fromisoformat(override)
    return dt.datetime.now().replace(microsecond=0)


def received_at(first_seen_epoch: float, created_epoch: float | None = None) -> dt.datetime:
    """When a file arrived: when the tool first saw it, or when it appeared in the folder if earlier
    (``cchc process`` run days after the drop); ``CCHC_NOW`` wins when set."""
    if os.environ.get("CCHC_NOW"):
        return now()
    moment = first_seen_epoch if created_epoch is None else min(first_seen_epoch, created_epoch)
    return dt.datetime.fromtimestamp(moment).replace(microsecond=0)
