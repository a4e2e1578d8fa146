"""Safe cell writing with openpyxl: text stays text.

openpyxl stores any string that starts with "=" as a formula; text that came from a commune's file
(a name, an address, a comment) must never become one ("=HYPERLINK(...)", "=1+1", "@SUM(...)").
"""

from __future__ import annotations

import unicodedata


def put_text(cell, value: str) -> None:
    """Write ``value`` as a string cell (NFC), whatever its first character."""
    cell.value = unicodedata.normalize("NFC", value)
    cell.data_type = "s"


def append_row(ws, values: list) -> None:
    """``ws.append(values)`` with every string written as text, never as a formula."""
    ws.append(values)
    for cell, value in zip(ws[ws.max_row], values):
        if isinstance(value, str):
            put_text(cell, value)
