"""The workspace's store (SQLite): the only SQL of the package. See :mod:`automation.ledger.db`."""

from automation.ledger.db import LEDGER_NAME, SCHEMA_VERSION, Ledger, open_ledger

__all__ = ["LEDGER_NAME", "SCHEMA_VERSION", "Ledger", "open_ledger"]
