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


def append_row(ws, values: list) -> int:
    """``ws.append(values)`` with every string written as text, never as a formula; returns the row's number.

    The row just appended is found through the counter ``append`` keeps, never ``ws.max_row`` or ``ws[row]``
    (each scans every stored cell: appending N rows would cost N², 73 s for the entry workbook of 150 units)."""
    ws.append(values)
    row = getattr(ws, "_current_row", None) or ws.max_row
    for col, value in enumerate(values, start=1):
        if isinstance(value, str):
            put_text(ws.cell(row=row, column=col), value)
    return row
