"""The safe formula evaluator: Excel semantics on small cases, and agreement with Excel's own cached values."""

from __future__ import annotations

import datetime as dt
import warnings
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from automation.formats.formula import FormulaError, SheetEvaluator, evaluate

REAL = Path(__file__).resolve().parents[2].parent / "shared" / "samples" / "real" / "xlsx"

CELLS = {"A1": Decimal(2), "A2": Decimal("0.5"), "A3": "x", "A4": None, "A5": True, "A6": "3", "B1": 1.25, "B2": 7}


def ev(formula, cells=CELLS):
    return evaluate(formula, lambda c: cells.get(c))


@pytest.mark.parametrize("formula, expected", [
    ("=1+2*3", Decimal(7)),
    ("=(1+2)*3", Decimal(9)),
    ("=-2^2", Decimal(4)),  # negation binds tighter than ^ in Excel
    ("=2^3^2", Decimal(64)),  # left-associative
    ("=2^-1", Decimal("0.5")),
    ("=50%", Decimal("0.5")),
    ("=10-2-3", Decimal(5)),
    ("=1.5e2", Decimal(150)),
    ("=a1*$A$2", Decimal(1)),
    ("=A1+B1+B2", Decimal("10.25")),  # int and float cell values
    ("=A4+1", Decimal(1)),  # empty cell is 0 in arithmetic
    ("=A4", Decimal(0)),
    ("=A6*2", Decimal(6)),  # numeric text is coerced in arithmetic
    ("=A5+1", Decimal(2)),
    ("=SUM(A1:A6)", Decimal("2.5")),  # text, booleans and blanks in ranges are skipped
    ("=SUM(A1, 3, TRUE)", Decimal(6)),
    ("=SUM(A1,,2)", Decimal(4)),
    ("=MIN(A1:A4)", Decimal("0.5")),
    ("=MAX(A1:A4, 9)", Decimal(9)),
    ("=MAX(A3:A4)", Decimal(0)),
    ("=AVERAGE(A1:A4)", Decimal("1.25")),
    ("=COUNT(A1:A6)", Decimal(2)),
    ("=COUNT(1, \"2\", \"x\")", Decimal(2)),
    ("=COUNTA(A1:A6)", Decimal(5)),
    ("=ROUND(2.5, 0)", Decimal(3)),
    ("=ROUND(-2.5, 0)", Decimal(-3)),  # half away from zero, like Excel
    ("=ROUND(1.005, 2)", Decimal("1.01")),
    ("=ROUND(1234, -2)", Decimal(1200)),
    ("=ROUNDUP(1.21, 1)", Decimal("1.3")),
    ("=ROUNDUP(-1.21, 1)", Decimal("-1.3")),
    ("=ROUNDDOWN(-1.29, 1)", Decimal("-1.2")),
    ("=IF(A1>1, \"lớn\", \"nhỏ\")", "lớn"),
    ("=IF(A4=0, 0, 1/0)", Decimal(0)),  # the branch not taken is not computed
    ("=IF(0, 2)", False),
    ("=IF(A1, 3, #REF!)", Decimal(3)),  # an error literal only matters when reached
    ("=AND(A1>1, A5)", True),
    ("=OR(0, FALSE)", False),
    ("=NOT(A4)", True),
    ("=ABS(-3.5)", Decimal("3.5")),
    ("=A1&\"x\"&A5", "2xTRUE"),
    ("=\"say \"\"hi\"\"\"", 'say "hi"'),
    ("=\"a\"=\"A\"", True),  # text comparison ignores case
    ("=1<\"a\"", True),  # numbers sort before text, text before booleans
    ("=\"z\"<TRUE", True),
    ("=A4=\"\"", True),
    ("=A1<>2", False),
    ("=A1>=2", True),
    ("=2/3*3=2", True),
    ("=2/3*3", Decimal(2)),  # 15 significant digits, as Excel
    ("=_xlfn.SUM(1,2)", Decimal(3)),
    ("=sum(1, 2)", Decimal(3)),
    ("= 1 + 1 ", Decimal(2)),
])
def test_semantics(formula, expected):
    assert ev(formula) == expected
    assert type(ev(formula)) is type(expected)


@pytest.mark.parametrize("formula", [
    "=1/0", "=AVERAGE(A3:A4)", "=A3+1", "=-A3", "=Sheet2!A1", "='Trang 2'!A1", "=[1]Sheet1!A1",
    "=VLOOKUP(1,A1:A2,1)", "=MyName*2", "=(1+2", "=1+", "=SUM(1", "=IF(A1, #REF!, 3)", "=1 2", "=#N/A", "=A1:A2+1",
    "=ROUND(1)", "=NOT(1,2)", "=IF(1)", "=(-1)^0.5", "=@A1", "=A:A", "={1,2}", "=SUM(A1:B2", "=",
])
def test_errors(formula):
    with pytest.raises(FormulaError):
        ev(formula)


def test_no_code_execution():
    for text in ('=__import__("os").system("echo hi")', "=().__class__", "=exec(1)", "=lambda: 1"):
        with pytest.raises(FormulaError):
            ev(text)


def _sheet(tmp_path, values: dict) -> SheetEvaluator:
    wb = openpyxl.Workbook()
    for coord, v in values.items():
        wb.active[coord] = v
    path = tmp_path / "f.xlsx"
    wb.save(path)
    return SheetEvaluator(openpyxl.load_workbook(path).active)


def test_sheet_evaluator_nested_and_memoised(tmp_path):
    s = _sheet(tmp_path, {"A1": 1.5, "A2": "=A1*2", "A3": "=SUM(A1:A2)+$A$2", "A4": "=A3&\" điểm\"",
                          "B1": "#N/A", "B2": "=B1+1", "C1": dt.date(2021, 1, 1), "C2": "=C1+1"})
    assert s.value("A3") == Decimal("7.5")
    assert s.value("a4") == "7.5 điểm"
    assert s.value("$A$2") == Decimal(3)
    assert s.value("Z99") is None
    with pytest.raises(FormulaError):
        s.value("B1")
    with pytest.raises(FormulaError):
        s.value("B2")
    with pytest.raises(FormulaError):  # errors are memoised too
        s.value("B2")
    assert s.value("C2") == Decimal(44198)  # dates are serial numbers in arithmetic


def test_sheet_evaluator_cycles(tmp_path):
    s = _sheet(tmp_path, {"A1": "=A2+1", "A2": "=A3+1", "A3": "=A1", "B1": "=B1", "C1": "=SUM(C1:C3)", "D1": "=A1"})
    for coord in ("A1", "A2", "A3", "B1", "C1", "D1"):
        with pytest.raises(FormulaError):
            s.value(coord)


def test_sheet_evaluator_does_not_create_cells(tmp_path):
    s = _sheet(tmp_path, {"A1": "=Z500+1"})
    assert s.value("A1") == Decimal(1)
    assert s.ws.max_row == 1 and s.ws.max_column == 1


def _load_both(path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def _agree(computed, cached) -> bool:
    if isinstance(cached, (dt.datetime, dt.date, dt.time)):
        from openpyxl.utils.datetime import to_excel
        cached = to_excel(cached)
    if isinstance(cached, bool) or isinstance(computed, (bool, str)):
        return computed == cached or (computed == "" and cached is None)
    if isinstance(cached, (int, float)) and isinstance(computed, Decimal):
        return abs(float(computed) - cached) <= 1e-8 * max(1.0, abs(cached))
    return False


@pytest.mark.parametrize("name, at_least", [("poi-FormulaEvalTestData.xlsx", 200), ("poi-shared_formulas.xlsx", 40)])
def test_agrees_with_excel_cached_values(name, at_least):
    """Every formula we compute gives Excel's value; formulas Excel itself shows as errors raise FormulaError."""
    path = REAL / name
    if not path.exists():
        pytest.skip(f"sample {path} not found")
    wb, cached_wb = _load_both(path)
    agree, unsupported, disagree, error_agree = 0, 0, [], 0
    for ws in wb:
        s, cached_ws = SheetEvaluator(ws), cached_wb[ws.title]
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type != "f":
                    continue
                cached = cached_ws[cell.coordinate].value
                try:
                    value = s.value(cell.coordinate)
                except FormulaError:
                    if isinstance(cached, str) and cached.startswith("#"):
                        error_agree += 1
                    unsupported += 1
                    continue
                if _agree(value, cached):
                    agree += 1
                else:
                    disagree.append((ws.title, cell.coordinate, cell.value, value, cached))
    print(f"\n{name}: {agree} agree, {error_agree} Excel errors raised, {unsupported} not computed, "
          f"{len(disagree)} disagree")
    assert disagree == []
    assert agree >= at_least


def test_openpyxl_expands_shared_formulas():
    """openpyxl 3.1 gives each non-master cell of a shared formula its own translated formula."""
    path = REAL / "poi-shared_formulas.xlsx"
    if not path.exists():
        pytest.skip(f"sample {path} not found")
    wb, _ = _load_both(path)
    ws = wb.active
    assert ws["A2"].value == "=B2" and ws["A3"].value == "=B3" and ws["A41"].value == "=B41"
    s = SheetEvaluator(ws)
    assert s.value("A3") == ws["B3"].value


def test_sheet_evaluator_read_only_worksheet(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append([1, 2, "=A1+B1", "=SUM(A1:C1)"])
    wb.save(tmp_path / "f.xlsx")
    s = SheetEvaluator(openpyxl.load_workbook(tmp_path / "f.xlsx", read_only=True).active)
    assert s.value("D1") == Decimal(6) and s.value("E1") is None
