"""What an Excel number format makes of a cell's number: the kind of the format, the text shown.

Dates are written dd/mm/yyyy whatever the format's own order (the way a Vietnamese clerk reads them),
integers without ".0", the literal zeros and text of integer formats such as ``0#########`` or
``"0"#`` kept; other numbers as Excel's General format shows them.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# built-in number formats (ECMA-376 §18.8.30) that matter for what a cell shows; 27-36 and 50-58 are
# the East Asian locales' dates
BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00", 9: "0%", 10: "0.00%", 11: "0.00E+00",
    14: "dd/mm/yyyy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "dd/mm/yyyy h:mm", 45: "mm:ss", 46: "[h]:mm:ss", 47: "mm:ss.0", 49: "@",
    **{i: "dd/mm/yyyy" for i in (*range(27, 37), *range(50, 59))},
}

_LITERALS = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKETS = re.compile(r"\[(?![hms]+\])[^\]]*\]", re.IGNORECASE)


def _first_section(code: str) -> str:
    """The positive section of a format (sections split on ";" outside quotes)."""
    depth, out = False, []
    for ch in code:
        if ch == '"':
            depth = not depth
        elif ch == ";" and not depth:
            break
        out.append(ch)
    return "".join(out)


@lru_cache(maxsize=1024)
def format_kind(code: str) -> str:
    """"date", "datetime", "time", "percent", "text" or "number"."""
    bare = _BRACKETS.sub("", _LITERALS.sub("", _first_section(code))).lower()
    if bare.strip() in ("general", "standard", ""):
        return "number"
    if bare.strip() == "@":
        return "text"
    has_date = bool(re.search(r"[dy]", bare)) or ("m" in bare and not re.search(r"[hs]", bare))
    has_time = bool(re.search(r"[hs]", bare))
    if has_date:
        return "datetime" if has_time else "date"
    if has_time:
        return "time"
    return "percent" if "%" in bare else "number"


@lru_cache(maxsize=1024)
def _placeholders(code: str) -> tuple[tuple[str, str], ...] | None:
    """Tokens ("lit", text) / ("ph", 0|#|?) of an integer-only format such as ``0#########`` or
    ``"0"#``; None for anything else (decimals, grouping, exponents: shown as general numbers)."""
    section, out, i = _first_section(code), [], 0
    while i < len(section):
        ch = section[i]
        if ch == '"':
            end = section.find('"', i + 1)
            end = len(section) if end < 0 else end
            out.append(("lit", section[i + 1:end]))
            i = end + 1
            continue
        if ch == "\\" and i + 1 < len(section):
            out.append(("lit", section[i + 1]))
            i += 2
            continue
        if ch in "0#?":
            out.append(("ph", ch))
        elif ch in " -()+":
            out.append(("lit", ch))
        elif ch == "[":  # a colour or locale: no text of its own
            end = section.find("]", i)
            i = len(section) if end < 0 else end + 1
            continue
        else:
            return None
        i += 1
    return tuple(out) if any(k == "ph" for k, _ in out) else None


def _general(value: float | int) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    return str(value) if isinstance(value, int) else format(value, ".15g")


def number_text(value: float | int, code: str) -> str:
    """An integer or float as a cell formatted with ``code`` shows it (dates are handled apart)."""
    kind = format_kind(code)
    if kind == "percent":
        return _general(round(value * 100, 10)) + "%"
    tokens = _placeholders(code) if kind == "number" and float(value).is_integer() else None
    if not tokens:
        return _general(value)
    digits, chars = str(abs(int(value))), [t for _, t in tokens]
    slots = [i for i, (k, _) in enumerate(tokens) if k == "ph"]
    left = len(digits)
    for j, i in enumerate(reversed(slots)):
        if left and j == len(slots) - 1:  # the leftmost placeholder takes every remaining digit
            chars[i], left = digits[:left], 0
        elif left:
            chars[i], left = digits[left - 1], left - 1
        else:
            chars[i] = {"0": "0", "#": "", "?": " "}[tokens[i][1]]
    return ("-" if value < 0 else "") + "".join(chars)


def from_serial(serial: float, date1904: bool = False) -> dt.datetime | None:
    """The moment an Excel date serial stands for (1900 system with its 29/02/1900, or 1904)."""
    if not 0 <= serial < 2958466:
        return None
    if date1904:
        base = dt.datetime(1904, 1, 1)
    else:
        base = dt.datetime(1899, 12, 31) if serial < 60 else dt.datetime(1899, 12, 30)
    days = int(serial)
    return base + dt.timedelta(days=days, seconds=round((serial - days) * 86400))


def date_cell(moment: dt.datetime, kind: str, code: str) -> tuple[object, str]:
    with_seconds = "s" in _LITERALS.sub("", code).lower()
    clock = f"{moment:%H:%M:%S}" if with_seconds else f"{moment:%H:%M}"
    if kind == "time":
        return moment.time(), clock
    day = f"{moment.day:02d}/{moment.month:02d}/{moment.year:04d}"
    if kind == "datetime" and moment.time() != dt.time(0):
        return moment, f"{day} {clock}"
    return moment.date(), day
