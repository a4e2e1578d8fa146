"""Last year beside this year: last year's results read from its appraisal workbook (sheet TongHop) or a CSV
``code,index,rank`` (optional ``name``), and each current unit compared with them through its former units.

A current unit's sources are its own code and the codes of its former units (``former`` of the unit list)
found in last year's results.  One source: the change of index (two decimals, signed) and of rank ("↑ 3",
"↓ 2", "="); several sources (a unit formed by merging units that were ranked apart): "không so sánh được";
none: "-" (no result last year).  Ranks are compared as written: with ``[ranking] groups`` last year's file
should hold the ranks within the same groups.  Pure: the ledger stores the import, the documents show it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from automation import vntext
from automation.problems import UsageError

NOT_COMPARABLE = "không so sánh được"
NO_RESULT = "-"
_HEAD = {"code": ("code", "mã đơn vị", "ma don vi"), "name": ("name", "đơn vị", "tên đơn vị"),
         "index": ("index", "chỉ số (%)", "chỉ số", "chỉ số cchc (%)"), "rank": ("rank", "xếp hạng")}


@dataclass(frozen=True)
class PreviousResult:
    code: str
    name: str
    index: Decimal
    rank: int | None


@dataclass(frozen=True)
class Comparison:
    index: str  # last year's index, "87,25", or "-" / "không so sánh được"
    rank: str  # last year's rank
    index_change: str  # "+2,15", "-1,30", "0,00"
    rank_change: str  # "↑ 3", "↓ 2", "="

    @property
    def comparable(self) -> bool:
        return self.index not in (NOT_COMPARABLE, NO_RESULT)


def _bad(where: str, detail: str) -> UsageError:
    return UsageError("previous.invalid", where=where, detail=detail)


def _columns(header: list, where: str) -> dict[str, int]:
    keys = [vntext.key(str(h or "")) for h in header]
    cols = {}
    for name, words in _HEAD.items():
        for w in words:
            if vntext.key(w) in keys:
                cols[name] = keys.index(vntext.key(w))
                break
    missing = [n for n in ("code", "index") if n not in cols]
    if missing:
        raise _bad(where, "thiếu cột " + ", ".join(missing) + " (cần code,index,rank hoặc trang TongHop của bảng "
                          "thẩm định)")
    return cols


def _number(value, where: str) -> Decimal:
    if isinstance(value, bool) or value is None or str(value).strip() == "":
        raise _bad(where, "thiếu chỉ số")
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise _bad(where, f"chỉ số “{value}” không phải số") from None
    if not 0 <= d <= 100:
        raise _bad(where, f"chỉ số {value} ngoài khoảng 0 – 100")
    return d.quantize(Decimal("0.01"))


def _rank(value, where: str) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        n = int(Decimal(str(value).strip()))
    except (InvalidOperation, ValueError):
        raise _bad(where, f"xếp hạng “{value}” không phải số nguyên") from None
    if n < 1:
        raise _bad(where, f"xếp hạng {value} phải từ 1 trở lên")
    return n


def from_rows(rows: list[list], source: str, first_line: int = 1) -> list[PreviousResult]:
    """Results from a table's rows (the header first): a CSV's lines or the values of sheet TongHop."""
    if not rows:
        raise _bad(source, "tệp trống")
    cols = _columns(list(rows[0]), f"{source}, dòng {first_line}")
    out: dict[str, PreviousResult] = {}
    for n, row in enumerate(rows[1:], start=first_line + 1):
        row = list(row) + [None] * 4
        code = vntext.clean(str(row[cols["code"]] or ""))
        if not code:
            continue
        where = f"{source}, dòng {n}"
        if code in out:
            raise _bad(where, f"mã đơn vị {code} trùng")
        name = vntext.clean(str(row[cols["name"]] or "")) if "name" in cols else ""
        out[code] = PreviousResult(code, name, _number(row[cols["index"]], where),
                                   _rank(row[cols["rank"]], where) if "rank" in cols else None)
    if not out:
        raise _bad(source, "không có dòng kết quả nào")
    return list(out.values())


def from_csv(text: str, source: str) -> list[PreviousResult]:
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    return from_rows([r for r in csv.reader(io.StringIO(text), delimiter=delimiter)], source)


def _signed(d: Decimal, decimals: int = vntext.DECIMALS) -> str:
    text = vntext.number(abs(d), decimals)
    return ("+" if d > 0 else "-" if d < 0 else "") + text


def compare(units, results, previous: list[PreviousResult], decimals: int = vntext.DECIMALS) -> dict[str, Comparison]:
    """Unit code -> its comparison with last year (``units``: the registry, ``results``: this year's; indexes
    shown with ``decimals`` decimals)."""
    last = {p.code: p for p in previous}
    out = {}
    for r in results:
        unit = units.by_code(r.code)
        codes = dict.fromkeys([r.code] + [f.code for f in (unit.former if unit else ()) if f.code])
        sources = [last[c] for c in codes if c in last]
        if not sources:
            out[r.code] = Comparison(NO_RESULT, NO_RESULT, NO_RESULT, NO_RESULT)
        elif len(sources) > 1:
            out[r.code] = Comparison(NOT_COMPARABLE, NOT_COMPARABLE, NOT_COMPARABLE, NOT_COMPARABLE)
        else:
            p = sources[0]
            moved = "-" if p.rank is None else "=" if p.rank == r.rank else \
                f"↑ {p.rank - r.rank}" if p.rank > r.rank else f"↓ {r.rank - p.rank}"
            out[r.code] = Comparison(vntext.number(p.index, decimals), str(p.rank or "-"),
                                     _signed(r.index - p.index, decimals), moved)
    return out
