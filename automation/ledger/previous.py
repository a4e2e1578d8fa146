"""``previous_results``: last year's index and rank of each unit, under the codes of that year, as
``cchc previous import`` read them; an import replaces the one before it in one transaction."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the connection owner imports this module
    from automation.ledger.db import Ledger

Row = tuple[str, str, Decimal, "int | None"]  # (code, name, index, rank) of last year


class Previous:
    def __init__(self, ledger: Ledger):
        self.ledger = ledger
        self.db = ledger.db

    def replace(self, rows: list[Row], source: str, now: dt.datetime) -> None:
        with self.ledger.transaction() as db:
            db.execute("DELETE FROM previous_results")
            db.executemany("INSERT INTO previous_results (code, name, idx, rank, source, imported_at) "
                           "VALUES (?, ?, ?, ?, ?, ?)",
                           [(code, name, str(index), rank, source, now.isoformat(timespec="seconds"))
                            for code, name, index, rank in rows])

    def all(self) -> list[Row]:
        return [(r["code"], r["name"], Decimal(r["idx"]), r["rank"])
                for r in self.db.execute("SELECT code, name, idx, rank FROM previous_results ORDER BY rank, code")]

    def source(self) -> str | None:
        row = self.db.execute("SELECT source FROM previous_results LIMIT 1").fetchone()
        return row["source"] if row else None
