"""``council_scores``: what the council typed on each ThamDinh row (first appraisal, score after the
explanation round, reason) as last accepted; ``score_changes``: every accepted change of a recorded score,
with its reason and whether it came after the explanation deadline."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import TYPE_CHECKING

from automation import clock

if TYPE_CHECKING:  # the connection owner imports this module
    from automation.ledger.db import Ledger

Council = tuple  # (appraised, revised, reason)


def plain(v) -> dict | None:
    """A score as the council typed it, as plain JSON values: ``{"n": "7.5"}`` for a number, ``{"t": …}`` for
    text kept as typed (also the form of the appraisal workbook's record in ``outputs``)."""
    return None if v is None else {"n": str(v)} if isinstance(v, Decimal) else {"t": v}


def from_plain(d: dict | None):
    return None if d is None else Decimal(d["n"]) if "n" in d else d["t"]


def _plain(v) -> str | None:
    return None if v is None else json.dumps(plain(v), ensure_ascii=False)


def _value(text: str | None):
    return None if text is None else from_plain(json.loads(text))


class CouncilScores:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.db

    def accepted(self) -> dict[tuple[str, str], Council]:
        return {(r["unit_code"], r["criterion"]): (_value(r["appraised"]), _value(r["revised"]), r["reason"])
                for r in self.db.execute("SELECT * FROM council_scores")}

    def record(self, accept: dict[tuple[str, str], Council], changes) -> None:
        """The new accepted state of some rows and the changes to log, in one transaction."""
        if not accept and not changes:
            return
        now = clock.now().isoformat(timespec="seconds")
        with self.ledger.transaction() as db:
            db.executemany(
                "INSERT INTO council_scores (unit_code, criterion, appraised, revised, reason, accepted_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(unit_code, criterion) DO UPDATE SET "
                "appraised = excluded.appraised, revised = excluded.revised, reason = excluded.reason, "
                "accepted_at = excluded.accepted_at",
                [(u, c, _plain(a), _plain(v), reason, now) for (u, c), (a, v, reason) in accept.items()])
            db.executemany(
                "INSERT INTO score_changes (unit_code, criterion, old_appraised, old_revised, new_appraised, "
                "new_revised, reason, after_deadline, changed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [(ch.unit_code, ch.criterion, _plain(ch.before[0]), _plain(ch.before[1]), _plain(ch.after[0]),
                  _plain(ch.after[1]), ch.after[2], int(ch.after_deadline), now) for ch in changes])

    def changes(self) -> list[dict]:
        """The log, oldest first, values as typed."""
        out = []
        for r in self.db.execute("SELECT * FROM score_changes ORDER BY id"):
            d = dict(r)
            for k in ("old_appraised", "old_revised", "new_appraised", "new_revised"):
                d[k] = _value(d[k])
            d["after_deadline"] = bool(d["after_deadline"])
            out.append(d)
        return out
