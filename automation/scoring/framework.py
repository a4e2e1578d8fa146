"""The criteria framework (bộ tiêu chí) the province issues, read from ``templates/bo-tieu-chi.xlsx``.

Sheet ``TieuChi``: ``Mã tiêu chí`` (hierarchical: 1, 1.1, 1.1.2) | ``Nội dung`` | ``Điểm tối đa`` |
``Cách đánh giá`` (``Thẩm định``, ``Điều tra XHH``, ``Điểm thưởng`` or ``Điểm trừ``) | ``Tài liệu kiểm chứng``.
Rows above the header (a title, a "sample" note) are ignored.  Loading checks that children add up to their
parent.  Nothing in code depends on the numbers of the shipped sample.

Bonus (``Điểm thưởng``) and penalty (``Điểm trừ``) leaves are self-scored and appraised like ``Thẩm định``
leaves (they are rows of the score sheets): a bonus scores 0 to its maximum, a penalty from minus its maximum
(``Điểm tối đa``: the most that can be deducted, written positive) to 0; :attr:`Criterion.range` is the one
place that says so.  Their parents are marked ``Điểm thưởng``, ``Điểm trừ`` or ``Điểm thưởng, điểm trừ``,
hold only bonus/penalty children and take the sum of the bonus children as maximum (a penalty adds nothing
to a maximum).  The scale of the index (:attr:`Framework.total_max`) counts the regular areas only.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from decimal import Context, Decimal
from functools import lru_cache
from pathlib import Path

from automation import vntext
from automation.problems import CchcError
from automation.resources import shipped_templates

SHEET = "TieuChi"
HEADERS = ("Mã tiêu chí", "Nội dung", "Điểm tối đa", "Cách đánh giá", "Tài liệu kiểm chứng")
APPRAISAL = "Thẩm định"
SURVEY = "Điều tra XHH"
BONUS = "Điểm thưởng"
PENALTY = "Điểm trừ"
BONUS_PENALTY = "Điểm thưởng, điểm trừ"  # a parent holding both
ADJUSTMENTS = (BONUS, PENALTY, BONUS_PENALTY)
SCORED_METHODS = (APPRAISAL, BONUS, PENALTY)  # the leaves units score themselves
_DIGITS15 = Context(prec=15)
_CODE = re.compile(r"^\d+(\.\d+)*$")
FRAMEWORK_FILE = "bo-tieu-chi.xlsx"
DEFAULT_FRAMEWORK = shipped_templates() / FRAMEWORK_FILE


@dataclass
class Criterion:
    code: str
    content: str
    max_points: Decimal
    method: str  # APPRAISAL, SURVEY, BONUS, PENALTY (BONUS_PENALTY on a parent only)
    evidence: str = ""
    children: list["Criterion"] = field(default_factory=list, repr=False)

    @property
    def parent_code(self) -> str | None:
        return self.code.rsplit(".", 1)[0] if "." in self.code else None

    @property
    def is_leaf(self) -> bool:
        return not self.children

    @property
    def depth(self) -> int:
        return self.code.count(".")

    @property
    def is_penalty(self) -> bool:
        return self.method == PENALTY

    @property
    def is_adjustment(self) -> bool:
        """A bonus or penalty criterion (or a parent of such criteria): outside the scale of the index."""
        return self.method in ADJUSTMENTS

    @property
    def range(self) -> tuple[Decimal, Decimal]:
        """The lowest and highest score: (−max, 0) for a penalty, (0, max) otherwise."""
        return (-self.max_points, Decimal(0)) if self.is_penalty else (Decimal(0), self.max_points)

    @property
    def min_points(self) -> Decimal:
        return self.range[0]

    @property
    def range_text(self) -> str:
        """The range as a reader writes it: "từ 0 đến 1,5", "từ -2 đến 0"."""
        lo, hi = self.range
        return f"từ {show_points(lo)} đến {show_points(hi)}"

    @property
    def counted_max(self) -> Decimal:
        """What the criterion adds to its parent's maximum: nothing for a penalty leaf."""
        return Decimal(0) if self.is_penalty and self.is_leaf else self.max_points


def show_points(d: Decimal) -> str:
    """A number as a Vietnamese reader writes it: 1,5 (no exponent, no trailing zeros)."""
    text = format(_DIGITS15.plus(d).normalize(), "f")
    return "0" if text in ("-0", "0") else text.replace(".", ",")


@dataclass
class Framework:
    criteria: list[Criterion]  # in sheet order
    source: Path | None = None
    sample: bool = False  # the shipped sample, not an official framework
    note: str = ""

    def __post_init__(self) -> None:
        self.by_code = {c.code: c for c in self.criteria}

    @property
    def top(self) -> list[Criterion]:
        return [c for c in self.criteria if c.parent_code is None]

    @property
    def total_max(self) -> Decimal:
        """The scale of the index: the regular areas' maxima (bonus and penalty areas not counted)."""
        return sum((c.max_points for c in self.top if not c.is_adjustment), Decimal(0))

    @property
    def leaves(self) -> list[Criterion]:
        return [c for c in self.criteria if c.is_leaf]

    @property
    def scored(self) -> list[Criterion]:
        """Leaf criteria scored by self-assessment and appraisal (the rows of the score sheets)."""
        return [c for c in self.leaves if c.method in SCORED_METHODS]

    @property
    def survey(self) -> list[Criterion]:
        return [c for c in self.leaves if c.method == SURVEY]

    @property
    def appraisal_max(self) -> Decimal:
        """The regular appraised criteria's maxima (bonus and penalty apart)."""
        return sum((c.max_points for c in self.leaves if c.method == APPRAISAL), Decimal(0))

    @property
    def bonus_max(self) -> Decimal:
        return sum((c.max_points for c in self.leaves if c.method == BONUS), Decimal(0))

    @property
    def penalty_max(self) -> Decimal:
        """The most that can be deducted (a positive number)."""
        return sum((c.max_points for c in self.leaves if c.method == PENALTY), Decimal(0))

    @property
    def adjustments(self) -> list[Criterion]:
        """The bonus and penalty leaves."""
        return [c for c in self.leaves if c.is_adjustment]

    @property
    def survey_max(self) -> Decimal:
        return sum((c.max_points for c in self.survey), Decimal(0))


class FrameworkError(CchcError):
    exit_code = 2

    def __init__(self, where: str, detail: str):
        super().__init__("framework.invalid", where=where, detail=detail)


def _dec(value, where: str) -> Decimal:
    if isinstance(value, bool) or value is None:
        raise FrameworkError(where, "thiếu điểm tối đa")
    try:
        d = Decimal(str(value).strip().replace(",", "."))
    except Exception:  # decimal.InvalidOperation and friends
        raise FrameworkError(where, f"điểm tối đa “{value}” không phải số") from None
    if d < 0:
        raise FrameworkError(where, "điểm tối đa âm")
    return d


_METHODS = {vntext.ascii_key(k).replace(" ", ""): v for k, v in (
    (APPRAISAL, APPRAISAL), (SURVEY, SURVEY), ("Điều tra xã hội học", SURVEY), ("ĐTXHH", SURVEY),
    (BONUS, BONUS), ("Thưởng", BONUS), (PENALTY, PENALTY), ("Trừ", PENALTY), (BONUS_PENALTY, BONUS_PENALTY),
    ("Điểm thưởng/điểm trừ", BONUS_PENALTY), ("Điểm thưởng - điểm trừ", BONUS_PENALTY),
    ("Điểm thưởng và điểm trừ", BONUS_PENALTY))}


def _method(value, where: str) -> str:
    k = vntext.ascii_key(str(value or "")).replace(" ", "")
    if k in _METHODS:
        return _METHODS[k]
    raise FrameworkError(where, f"cách đánh giá “{value}” phải là “{APPRAISAL}”, “{SURVEY}”, “{BONUS}” hoặc "
                                f"“{PENALTY}”")


def parse_rows(rows: list[tuple], source: Path | None = None) -> Framework:
    """Build and validate a framework from the sheet's rows (values only)."""
    header_at = None
    for i, row in enumerate(rows):
        cells = [vntext.key(str(c)) if c is not None else "" for c in row]
        if cells[:1] == [vntext.key(HEADERS[0])]:
            header_at = i
            break
    if header_at is None:
        raise FrameworkError(SHEET, f"không thấy dòng tiêu đề bắt đầu bằng “{HEADERS[0]}”")
    header = [vntext.key(str(c)) if c is not None else "" for c in rows[header_at]]
    try:
        cols = [header.index(vntext.key(h)) for h in HEADERS]
    except ValueError:
        raise FrameworkError(SHEET, "dòng tiêu đề phải có các cột " + ", ".join(HEADERS)) from None
    note = " ".join(str(c) for r in rows[:header_at] for c in r if c)
    criteria: list[Criterion] = []
    seen: dict[str, Criterion] = {}
    for n, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        get = lambda i: row[cols[i]] if cols[i] < len(row) else None  # noqa: E731
        raw = get(0)
        if raw is None or str(raw).strip() == "":
            continue
        code = str(raw).strip().rstrip(".")
        where = f"{SHEET}!dòng {n} (mã {code})"
        if not _CODE.match(code):
            raise FrameworkError(where, "mã tiêu chí phải có dạng 1, 1.1, 1.1.2")
        if code in seen:
            raise FrameworkError(where, "mã tiêu chí bị trùng")
        crit = Criterion(code, vntext.clean(str(get(1) or "")), _dec(get(2), where), _method(get(3), where),
                         vntext.clean(str(get(4) or "")))
        if not crit.content:
            raise FrameworkError(where, "thiếu nội dung tiêu chí")
        if crit.parent_code is not None:
            parent = seen.get(crit.parent_code)
            if parent is None:
                raise FrameworkError(where, f"không có tiêu chí cha {crit.parent_code} ở trên")
            parent.children.append(crit)
        seen[code] = crit
        criteria.append(crit)
    if not criteria:
        raise FrameworkError(SHEET, "bộ tiêu chí trống")
    for c in criteria:
        _check_children(c)
    sample = "mẫu" in note.lower() or "mau" in vntext.ascii_key(note).split()
    return Framework(criteria, source, sample, vntext.clean(note))


def _check_children(c: Criterion) -> None:
    """A parent's maximum is its children's sum (bonus children only under bonus/penalty); a leaf of
    bonus/penalty is marked "Điểm thưởng" or "Điểm trừ"; regular and bonus/penalty children never mix."""
    where = f"{SHEET} (mã {c.code})"
    if not c.children:
        if c.method == BONUS_PENALTY:
            raise FrameworkError(where, f"tiêu chí không có tiêu chí con phải ghi cách đánh giá “{BONUS}” hoặc "
                                        f"“{PENALTY}”, không ghi “{BONUS_PENALTY}”")
        return
    adjusting = [k.is_adjustment for k in c.children]
    if any(adjusting) and not all(adjusting):
        raise FrameworkError(where, "tiêu chí có cả tiêu chí con thẩm định/điều tra XHH và tiêu chí con điểm "
                                    "thưởng/điểm trừ; tách điểm thưởng, điểm trừ thành một tiêu chí riêng")
    if all(adjusting) != c.is_adjustment:
        raise FrameworkError(where, f"tiêu chí cha của các tiêu chí điểm thưởng/điểm trừ ghi cách đánh giá “{BONUS}”, "
                                    f"“{PENALTY}” hoặc “{BONUS_PENALTY}”, và chỉ tiêu chí đó"
                             if all(adjusting) else
                             f"tiêu chí ghi cách đánh giá “{c.method}” nhưng các tiêu chí con không phải điểm "
                             "thưởng/điểm trừ")
    total = sum((k.counted_max for k in c.children), Decimal(0))
    if total != c.max_points:
        detail = f"các tiêu chí con cộng lại {total} điểm, khác điểm tối đa {c.max_points}"
        if c.is_adjustment:
            detail = (f"các tiêu chí điểm thưởng con cộng lại {total} điểm, khác điểm tối đa {c.max_points} "
                      "(điểm trừ không cộng vào điểm tối đa)")
        raise FrameworkError(where, detail)
    if any(k.method != c.method for k in c.children) and c.method == SURVEY:
        raise FrameworkError(where, "tiêu chí điều tra XHH chỉ có con điều tra XHH")


def load_framework(path: Path | None = None) -> Framework:
    """Read ``path`` (default: the shipped sample ``templates/bo-tieu-chi.xlsx``)."""
    path = Path(path or DEFAULT_FRAMEWORK)
    return parse_rows(read_sheet_rows(path, SHEET, f"không có trang “{SHEET}”"), path)


def read_sheet_rows(path: Path, sheet: str, missing: str) -> list[tuple]:
    """The values of one sheet of the framework workbook; ``missing`` says what is wrong without it."""
    import openpyxl  # noqa: PLC0415

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        raise FrameworkError(str(path), "không tìm thấy tệp bộ tiêu chí") from None
    except Exception as exc:  # damaged workbook
        raise FrameworkError(str(path), f"không đọc được ({type(exc).__name__})") from None
    try:
        if sheet not in wb.sheetnames:
            raise FrameworkError(str(path), missing)
        return [tuple(r) for r in wb[sheet].iter_rows(values_only=True)]
    finally:
        wb.close()


def workspace_file(settings) -> Path:
    """The workspace's own ``templates/bo-tieu-chi.xlsx`` if it has one, else the shipped sample."""
    own = settings.workspace / "templates" / FRAMEWORK_FILE if settings.workspace is not None else None
    return own if own is not None and own.exists() else DEFAULT_FRAMEWORK


def file_stamp(path: Path) -> int:
    """Modification stamp for caches that must see the office's edits (a long-running watcher)."""
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


def workspace_framework(settings) -> Framework:
    """The framework of :func:`workspace_file`, read again only when that file changes."""
    path = workspace_file(settings)
    return _cached(str(path), file_stamp(path))


@lru_cache(maxsize=8)
def _cached(path: str, _stamp: int) -> Framework:
    return load_framework(Path(path))
