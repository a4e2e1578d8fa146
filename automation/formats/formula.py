"""A small, safe evaluator of Excel formulas over one worksheet (no ``eval`` of user text).

openpyxl never computes formulas and cached values may be missing or stale (tech-notes §6), so the tool
computes what it needs itself: a tokenizer and a recursive-descent parser that compiles a formula to
closures (so ``IF`` evaluates only the branch it takes), run with :class:`~decimal.Decimal` arithmetic.
Supported: numbers, "text", TRUE/FALSE, A1/$A$1 references and A1:B3 ranges, + - * / ^ & % (unary too),
= <> < <= > >=, parentheses, SUM MIN MAX AVERAGE COUNT COUNTA ROUND ROUNDUP ROUNDDOWN IF AND OR NOT ABS.
Anything else (other sheets, names, other functions, errors such as #DIV/0!) raises :class:`FormulaError`.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Context, Decimal, InvalidOperation
from functools import lru_cache
from typing import Callable

from openpyxl.utils.cell import column_index_from_string, get_column_letter

Value = Decimal | str | bool | None
_MAX_RANGE = 100_000
_DIGITS15 = Context(prec=15)  # Excel keeps 15 significant digits
_TOKEN = re.compile(r"""\s*(?:
  (?P<str>"(?:[^"]|"")*")
| (?P<err>\#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|SPILL!|CALC!|GETTING_DATA))
| (?P<ext>(?:\[[^\]]*\])?(?:'(?:[^']|'')+'|[A-Za-z_\\][\w.]*)!)
| (?P<num>(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)
| (?P<ref>\$?[A-Za-z]{1,3}\$?\d+)(?![\w.(!])
| (?P<func>[A-Za-z_][\w.]*)\s*\(
| (?P<name>[A-Za-z_\\][\w.]*)
| (?P<op><>|<=|>=|[-+*/^&%=<>(),:{}])
)""", re.X)
_NUMBER_TEXT = re.compile(r"^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$")
_COORD = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


class FormulaError(Exception):
    """The formula cannot be computed here (unsupported, malformed, circular, or an Excel error value)."""


class _Range(list):
    """Values of a reference (a single cell is a range of one): functions skip its text and blanks."""


def _num(v) -> Decimal:
    v = _scalar(v)
    if v is None:
        return Decimal(0)
    if isinstance(v, bool):
        return Decimal(int(v))
    if isinstance(v, Decimal):
        return v
    if isinstance(v, str) and _NUMBER_TEXT.match(v):
        return Decimal(v.strip())
    raise FormulaError(f"#VALUE!: “{v}” không phải số")


def _scalar(v):
    if isinstance(v, _Range):
        if len(v) != 1:
            raise FormulaError("#VALUE!: vùng nhiều ô dùng như một giá trị")
        return v[0]
    return v


def _bool(v) -> bool:
    v = _scalar(v)
    if isinstance(v, str):
        if v.upper() in ("TRUE", "FALSE"):
            return v.upper() == "TRUE"
        raise FormulaError(f"#VALUE!: “{v}” không phải giá trị logic")
    return bool(v)


def _text(v) -> str:
    v = _scalar(v)
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, Decimal):
        return format(_DIGITS15.plus(v).normalize(), "f")
    return "" if v is None else v


def _compare(a, b) -> int:
    a, b = _scalar(a), _scalar(b)
    if a is None:
        a = b.__class__() if isinstance(b, (str, bool)) else Decimal(0)
    if b is None:
        b = a.__class__() if isinstance(a, (str, bool)) else Decimal(0)
    rank = lambda x: 2 if isinstance(x, bool) else 1 if isinstance(x, str) else 0  # noqa: E731
    if rank(a) != rank(b):
        return -1 if rank(a) < rank(b) else 1
    if isinstance(a, str):
        a, b = a.casefold(), b.casefold()
    elif isinstance(a, Decimal):
        a, b = _DIGITS15.plus(a), _DIGITS15.plus(b)
    return (a > b) - (a < b)


def _divide(a, b):
    if b == 0:
        raise FormulaError("#DIV/0!")
    return a / b


def _power(a, b):
    try:
        return a ** b
    except (ArithmeticError, ValueError):
        raise FormulaError("#NUM!") from None


_BINARY = {
    "+": lambda a, b: _num(a) + _num(b), "-": lambda a, b: _num(a) - _num(b),
    "*": lambda a, b: _num(a) * _num(b), "/": lambda a, b: _divide(_num(a), _num(b)),
    "^": lambda a, b: _power(_num(a), _num(b)), "&": lambda a, b: _text(a) + _text(b),
    "=": lambda a, b: _compare(a, b) == 0, "<>": lambda a, b: _compare(a, b) != 0,
    "<": lambda a, b: _compare(a, b) < 0, "<=": lambda a, b: _compare(a, b) <= 0,
    ">": lambda a, b: _compare(a, b) > 0, ">=": lambda a, b: _compare(a, b) >= 0,
}


def _numbers(args, count_mode=False):
    """Numbers among ``args`` as SUM sees them: in references only real numbers; typed arguments coerced."""
    for a in args:
        if isinstance(a, _Range):
            yield from (x for x in a if isinstance(x, Decimal))
        elif count_mode:
            try:
                yield _num(a)
            except FormulaError:
                pass
        elif a is not None:
            yield _num(a)


def _average(args):
    nums = list(_numbers(args))
    return _divide(sum(nums, Decimal(0)), Decimal(len(nums)))


def _round(mode):
    def f(x, digits):
        x = _num(x)
        try:
            return x.quantize(Decimal(1).scaleb(-int(_num(digits))), rounding=mode)
        except InvalidOperation:  # more digits than the precision holds: nothing to round
            return x
    return f


def _logical(args, combine):
    vals = [x for a in args for x in (a if isinstance(a, _Range) else [_bool(a)]) if isinstance(x, (bool, Decimal))]
    if not vals:
        raise FormulaError("#VALUE!: không có giá trị logic")
    return combine(bool(x) for x in vals)


# name: (min args, max args, function of the evaluated argument list)
_FUNCTIONS: dict[str, tuple[int, int, Callable]] = {
    "SUM": (1, 255, lambda a: sum(_numbers(a), Decimal(0))),
    "MIN": (1, 255, lambda a: min(_numbers(a), default=Decimal(0))),
    "MAX": (1, 255, lambda a: max(_numbers(a), default=Decimal(0))),
    "AVERAGE": (1, 255, _average),
    "COUNT": (1, 255, lambda a: Decimal(sum(1 for _ in _numbers(a, count_mode=True)))),
    "COUNTA": (1, 255, lambda a: Decimal(sum(sum(x is not None for x in v) if isinstance(v, _Range) else 1
                                             for v in a))),
    "ROUND": (2, 2, lambda a: _round(ROUND_HALF_UP)(*a)),  # ROUND_HALF_UP is "half away from zero"
    "ROUNDUP": (2, 2, lambda a: _round(ROUND_UP)(*a)),
    "ROUNDDOWN": (2, 2, lambda a: _round(ROUND_DOWN)(*a)),
    "AND": (1, 255, lambda a: _logical(a, all)),
    "OR": (1, 255, lambda a: _logical(a, any)),
    "NOT": (1, 1, lambda a: not _bool(a[0])),
    "ABS": (1, 1, lambda a: abs(_num(a[0]))),
    "TRUE": (0, 0, lambda a: True),
    "FALSE": (0, 0, lambda a: False),
}


class _Parser:
    def __init__(self, formula: str):
        self.tokens: list[tuple[str, str]] = []
        pos, text = 0, formula.strip()
        while pos < len(text):
            m = _TOKEN.match(text, pos)
            if not m or m.end() == pos:
                if text[pos:].strip() == "":
                    break
                raise FormulaError(f"cú pháp không hợp lệ gần “{text[pos:pos + 10]}”")
            kind = m.lastgroup
            self.tokens.append((kind, m.group(kind)))
            pos = m.end()
        self.i = 0

    def peek(self, *ops):
        kind, tok = self.tokens[self.i] if self.i < len(self.tokens) else ("end", "")
        return tok if kind == "op" and tok in ops else None

    def take(self):
        if self.i >= len(self.tokens):
            raise FormulaError("công thức bị cụt")
        self.i += 1
        return self.tokens[self.i - 1]

    def binary(self, level):
        ops = (("=", "<>", "<", "<=", ">", ">="), ("&",), ("+", "-"), ("*", "/"), ("^",))
        if level == len(ops):
            return self.percent()
        left = self.binary(level + 1)
        while op := self.peek(*ops[level]):
            self.i += 1
            right, f = self.binary(level + 1), _BINARY[op]
            left = (lambda lf, rf, f: lambda cv: f(lf(cv), rf(cv)))(left, right, f)
        return left

    def percent(self):
        node = self.unary()
        while self.peek("%"):
            self.i += 1
            node = (lambda n: lambda cv: _num(n(cv)) / 100)(node)
        return node

    def unary(self):
        if op := self.peek("-", "+"):
            self.i += 1
            inner = self.unary()
            return (lambda cv: -_num(inner(cv))) if op == "-" else (lambda cv: _scalar(inner(cv)))  # "+" is a no-op
        return self.primary()

    def primary(self):
        kind, tok = self.take()
        if kind == "num":
            value = Decimal(tok)
            return lambda cv: value
        if kind == "str":
            value = tok[1:-1].replace('""', '"')
            return lambda cv: value
        if kind == "ref":
            if self.peek(":"):
                self.i += 1
                kind2, tok2 = self.take()
                if kind2 != "ref":
                    raise FormulaError(f"vùng “{tok}:{tok2}” không được hỗ trợ")
                coords = _expand(tok, tok2)
                return lambda cv: _Range(cv(c) for c in coords)
            coord = tok.replace("$", "").upper()
            return lambda cv: _Range((cv(coord),))
        if kind == "func":
            return self.call(tok.upper().removeprefix("_XLFN.").removeprefix("_XLWS."))
        if kind == "name" and tok.upper() in ("TRUE", "FALSE"):
            value = tok.upper() == "TRUE"
            return lambda cv: value
        if kind == "op" and tok == "(":
            node = self.binary(0)
            if self.take() != ("op", ")"):
                raise FormulaError("thiếu dấu “)”")
            return node
        if kind == "err":
            def error(cv):
                raise FormulaError(tok)
            return error
        if kind == "ext":
            raise FormulaError(f"tham chiếu sang trang hoặc tệp khác “{tok}”")
        raise FormulaError(f"không hỗ trợ “{tok}”")

    def call(self, name):
        args = []
        if not self.peek(")"):
            while True:
                args.append((lambda cv: None) if self.peek(",", ")") else self.binary(0))
                if not self.peek(","):
                    break
                self.i += 1
        if self.take() != ("op", ")"):
            raise FormulaError(f"thiếu dấu “)” sau {name}")
        if name == "IF":
            if not 2 <= len(args) <= 3:
                raise FormulaError("IF cần 2 hoặc 3 đối số")
            yes, no = args[1], args[2] if len(args) == 3 else (lambda cv: False)
            cond = args[0]
            return lambda cv: yes(cv) if _bool(cond(cv)) else no(cv)
        if name not in _FUNCTIONS:
            raise FormulaError(f"không hỗ trợ hàm {name}")
        lo, hi, f = _FUNCTIONS[name]
        if not lo <= len(args) <= hi:
            raise FormulaError(f"số đối số của {name} không đúng")
        return lambda cv: f([a(cv) for a in args])


def _expand(a: str, b: str) -> tuple[str, ...]:
    (c1, r1), (c2, r2) = [(column_index_from_string(m[1].upper()), int(m[2])) for m in map(_COORD.match, (a, b))]
    cols, rows = range(min(c1, c2), max(c1, c2) + 1), range(min(r1, r2), max(r1, r2) + 1)
    if len(cols) * len(rows) > _MAX_RANGE:
        raise FormulaError(f"vùng {a}:{b} quá lớn")
    return tuple(f"{get_column_letter(c)}{r}" for r in rows for c in cols)


@lru_cache(maxsize=4096)
def _compile(formula: str):
    parser = _Parser(formula[1:] if formula.startswith("=") else formula)
    node = parser.binary(0)
    if parser.i != len(parser.tokens):
        raise FormulaError(f"cú pháp không hợp lệ gần “{parser.tokens[parser.i][1]}”")
    return node


def _normalise(v) -> Value:
    if v is None or isinstance(v, (bool, str, Decimal)):
        return v
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v))
    if isinstance(v, (dt.datetime, dt.date, dt.time, dt.timedelta)):
        from openpyxl.utils.datetime import to_excel  # noqa: PLC0415
        return Decimal(repr(to_excel(v)))
    raise FormulaError(f"giá trị kiểu {type(v).__name__} không được hỗ trợ")


def evaluate(formula: str, cell_value: Callable[[str], object]) -> Value:
    """The value of ``formula`` ("=SUM(D5:D9)*0.5"); ``cell_value("D5")`` gives a referenced cell's value."""
    try:
        result = _scalar(_compile(formula)(lambda c: _normalise(cell_value(c))))
    except RecursionError:
        raise FormulaError("công thức lồng nhau quá sâu") from None
    except (InvalidOperation, ArithmeticError) as exc:
        raise FormulaError(f"#NUM! ({type(exc).__name__})") from None
    if result is None:
        return Decimal(0)  # "=A1" with A1 empty shows 0
    return _DIGITS15.plus(result) if isinstance(result, Decimal) else result


class SheetEvaluator:
    """Values of one openpyxl worksheet (loaded with ``data_only=False``), formulas computed, memoised."""

    def __init__(self, ws=None, cells: dict | None = None):
        """From a worksheet, or from ``cells`` ({(row, column): cell}) a caller already read in one pass."""
        self.ws = ws
        self._memo: dict[str, Value | FormulaError] = {}
        self._active: set[str] = set()
        if cells is None:
            cells = getattr(ws, "_cells", None)  # a normal worksheet: look cells up without creating them
        if cells is None:  # read-only worksheet: read it once
            cells = {(c.row, c.column): c for row in ws.iter_rows() for c in row if c.value is not None}
        self._cells = cells

    def value(self, coordinate: str) -> Value:
        m = _COORD.match(coordinate.strip())
        if not m:
            raise FormulaError(f"tham chiếu “{coordinate}” không hợp lệ")
        coord = f"{m[1].upper()}{m[2]}"
        if coord in self._memo:
            known = self._memo[coord]
            if isinstance(known, FormulaError):
                raise known
            return known
        if coord in self._active:
            raise FormulaError(f"tham chiếu vòng tại {coord}")
        cell = self._cells.get((int(m[2]), column_index_from_string(m[1].upper())))
        raw = None if cell is None else cell.value
        kind = None if cell is None else cell.data_type
        if kind == "e":
            raise FormulaError(str(raw))
        if hasattr(raw, "text") and ":" not in str(getattr(raw, "ref", ":")):  # a single-cell array formula
            raw, kind = raw.text, "f"
        try:
            if kind == "f" and isinstance(raw, str):
                self._active.add(coord)
                try:
                    result = evaluate(raw, self.value)
                finally:
                    self._active.discard(coord)
            else:
                result = _normalise(raw)
        except FormulaError as exc:
            self._memo[coord] = exc
            raise
        self._memo[coord] = result
        return result
