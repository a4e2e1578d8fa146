"""The explanation round's rule: after the deadline for explanations and supplementary evidence, a score the
council had recorded changes only with a new reason.

What the council typed on each row (first appraisal, score after the explanation, reason) is compared with
what the ledger last accepted.  Until the deadline (``[deadlines] supplementary_evidence``) every change is
accepted, and a change of a recorded score is logged.  After it, a change of a recorded score is accepted
(and logged) only when the row's “Lý do điều chỉnh” holds a reason that was not there before; otherwise the
accepted scores go on counting (``Table.held``) and a note says so, while the cells keep what staff typed.
Filling a score never recorded is no change, nor is editing a reason or a comment alone.  Pure: the ledger
(``automation.ledger.council``) keeps the accepted state and the log, the appraisal layer applies the rule.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from automation.scoring.table import Table

Council = tuple  # (appraised, revised, reason) as typed: scores Decimal, text or None


@dataclass(frozen=True)
class Change:
    unit_code: str
    criterion: str
    before: Council
    after: Council
    after_deadline: bool


@dataclass
class Review:
    accept: dict[tuple[str, str], Council] = field(default_factory=dict)  # the new accepted state of rows
    changes: list[Change] = field(default_factory=list)  # to log
    held: dict[tuple[str, str], Council] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _shown(v) -> str:
    if v is None:
        return "trống"
    return f"{v:f}".replace(".", ",") if isinstance(v, Decimal) else f"“{v}”"


def review(table: Table, accepted: dict[tuple[str, str], Council], deadline: dt.date | None,
           closed: bool) -> Review:
    """What to accept, log and hold of ``table``'s council input, given the ``accepted`` state; ``closed``
    when the explanation deadline (``deadline``, its last day) has passed."""
    out = Review()
    for r in table.rows:
        key, now = (r.unit_code, r.code), r.council
        before = accepted.get(key)
        if before == now or (before is None and now == (None, None, "")):
            continue
        recorded = before is not None and (before[0] is not None or before[1] is not None)
        scores_changed = recorded and before[:2] != now[:2]
        if not closed or not scores_changed or (now[2] and now[2] != before[2]):
            out.accept[key] = now
            if scores_changed:
                out.changes.append(Change(r.unit_code, r.code, before, now, closed))
            continue
        out.held[key] = before
        day = deadline.strftime("%d/%m/%Y") if deadline else ""
        out.notes.append(f"{r.unit_name}, tiêu chí {r.code}: điểm đổi sau hạn giải trình ({day}) mà chưa ghi lý do "
                         f"mới ở cột “Lý do điều chỉnh”, chưa được tính; vẫn tính điểm đã ghi nhận (thẩm định "
                         f"{_shown(before[0])}, sau giải trình {_shown(before[1])})")
    return out
