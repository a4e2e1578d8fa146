"""TOML as the person who wrote ``cchc.toml`` sees it: a syntax error said in Vietnamese (line, column, the key
on that line, what was expected) and a value shown the way it is written in the file (``"30"`` is text).

tomllib's messages are English and carry no attributes before Python 3.14: the error is told by its message
family (the sentence before "(at line …)"), never shown; the key and the value come from the file's own text.
Pure (standard library only), light enough for any layer.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass

_AT = re.compile(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$")
_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]\s][^\]]*?)\s*\]")
_KEY = r"[A-Za-z0-9_\-]+|\"[^\"]*\"|'[^']*'"
_LINE_KEY = re.compile(rf"^\s*((?:{_KEY})(?:\s*\.\s*(?:{_KEY}))*)\s*=")
_INNER_KEY = re.compile(rf"((?:{_KEY})(?:\s*\.\s*(?:{_KEY}))*)\s*=")

SYNTAX_GENERIC = "tệp không đúng cách viết TOML (mỗi dòng là “khóa = giá trị”, “[bảng]” hoặc chú thích “# …”)"
_VALUE_HELP = ("chữ đặt trong ngoặc kép \"…\", số viết liền với dấu chấm thập phân, ngày dạng 2021-10-30, "
               "đúng/sai viết true hoặc false")

# tomllib's message families (the sentence before "(at …)"), in the order they are tried: prefix -> Vietnamese
_FAMILIES: tuple[tuple[str, str], ...] = (
    ("Invalid statement", "dòng này không phải “khóa = giá trị”, tiêu đề bảng “[tên]” hay chú thích “# …”"),
    ("Expected newline or end of document", "còn chữ thừa sau giá trị; mỗi dòng chỉ ghi một “khóa = giá trị” "
                                            "(chú thích viết sau dấu #)"),
    ("Expected '=' after a key", "thiếu dấu “=” giữa tên khóa và giá trị"),
    ("Expected ']' at the end of a table", "tiêu đề bảng thiếu dấu “]” ở cuối"),
    ("Expected ']]' at the end of an array", "tiêu đề khối thiếu dấu “]]” ở cuối"),
    ("Expected ", "chuỗi chưa có dấu đóng"),
    ("Invalid date or datetime", "ngày không có thật; viết ngày dạng năm-tháng-ngày, ví dụ 2021-10-30"),
    ("Invalid value", f"giá trị viết không đúng: {_VALUE_HELP}"),
    ("Invalid initial character for a key", "tên khóa bắt đầu bằng ký tự không dùng được (tên khóa chỉ gồm chữ "
                                            "không dấu, chữ số, “_” và “-”)"),
    ("Unclosed array", "danh sách thiếu dấu “]” ở cuối hoặc thiếu dấu phẩy giữa hai phần tử"),
    ("Unclosed inline table", "bảng { … } thiếu dấu “}” ở cuối hoặc thiếu dấu phẩy giữa hai khóa"),
    ("Unterminated string", "chuỗi chưa có dấu ngoặc kép đóng"),
    ("Unescaped '\\'", "dấu “\\” trong chuỗi ngoặc kép phải viết hai lần (“\\\\”), hoặc đặt chuỗi trong "
                       "dấu nháy đơn thay cho ngoặc kép"),
    ("Invalid hex value", "mã ký tự “\\u…” trong chuỗi không đúng"),
    ("Escaped character is not a Unicode", "mã ký tự “\\u…” trong chuỗi không phải ký tự có thật"),
    ("Found invalid character", "có ký tự điều khiển không được phép trong chú thích hay chuỗi"),
    ("Illegal character '\\n'", "chuỗi chưa có dấu ngoặc kép đóng trên dòng này"),
    ("Illegal character", "có ký tự điều khiển không được phép trong chuỗi"),
    ("Cannot declare", "bảng này đã được khai báo ở trên (tiêu đề bảng bị lặp)"),
    ("Cannot overwrite a value", "khóa này đã có giá trị ở trên (khóa bị lặp)"),
    ("Cannot mutate immutable namespace", "không thêm được khóa vào bảng hay danh sách đã viết trọn trên một dòng"),
    ("Cannot redefine namespace", "tên này đã dùng cho một giá trị khác ở trên"),
    ("Duplicate inline table key", "khóa bị lặp trong bảng { … }"),
)


@dataclass(frozen=True)
class SyntaxProblem:
    """Where and what: 1-based line and column, the dotted key when the line names one ("" otherwise), the table
    header above ("" at the top of the file) and what is wrong, in Vietnamese."""

    line: int
    column: int
    key: str
    table: str
    detail: str

    @property
    def where(self) -> str:
        """", khóa “list.size”" / ", bảng [list]" / "" (for a message after "dòng N, cột M")."""
        if self.key:
            return f", khóa “{self.key}”"
        return f", bảng [{self.table}]" if self.table else ""


def syntax_problem(exc: Exception, text: str) -> SyntaxProblem:
    """A :class:`tomllib.TOMLDecodeError` of ``text`` said in Vietnamese (never failing itself: a message
    tomllib may word otherwise one day is said in general words, with its line and column)."""
    try:
        return _syntax_problem(exc, text)
    except Exception:  # noqa: BLE001 - the report of an error must not become another one
        at = _AT.search(str(exc))
        line, column = (int(at.group(1)), int(at.group(2))) if at and at.group(1) else (0, 0)
        return SyntaxProblem(line, column, "", "", SYNTAX_GENERIC)


def _syntax_problem(exc: Exception, text: str) -> SyntaxProblem:
    message = str(getattr(exc, "msg", None) or exc)
    at = _AT.search(message)
    family = message[:at.start()] if at else message
    lines = text.split("\n")
    lineno, colno = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if not (lineno and colno) and at and at.group(1):
        lineno, colno = int(at.group(1)), int(at.group(2))
    if not (lineno and colno):  # the end of the document: its last line that is not empty
        lineno = max((i + 1 for i, s in enumerate(lines) if s.strip()), default=1)
        colno = len(lines[lineno - 1]) + 1 if lines else 1
    detail = next((vi for prefix, vi in _FAMILIES if family.startswith(prefix)), SYNTAX_GENERIC)
    if family.startswith("Expected ") and not family.startswith("Expected newline"):
        closing = re.match(r"Expected (['\"])(.+)\1$", family)
        if closing and "at the end" not in family:
            detail = f"chuỗi chưa có dấu đóng “{closing.group(2)}”"
    if lineno == 1 and colno == 1 and text.startswith("\ufeff"):
        detail = "tệp bắt đầu bằng ký tự lạ (BOM); lưu lại tệp dạng UTF-8 không BOM"
    line = lines[lineno - 1] if 0 < lineno <= len(lines) else ""
    if family.startswith(_VALUE_FAMILIES) and "=" in line[:colno - 1]:
        token = _token_at(line, colno)
        bare = family.startswith("Invalid value")
        detail = _value_detail(token, bare) or ("thiếu giá trị sau dấu “=”" if bare and not token else detail)
    back = family.startswith(("Unclosed array", "Unclosed inline table", "Invalid value")) \
        and not line[:colno - 1].strip()
    if back and family.startswith("Invalid value"):  # a line that starts inside a value: an array left open
        detail = next(vi for prefix, vi in _FAMILIES if prefix == "Unclosed array")
    opened = _open_multiline(lines, lineno)
    if opened:  # a string of three quotes never closed: where it opens
        lineno, triple = opened
        line = lines[lineno - 1]
        colno, back = line.find(triple) + 1, False
        detail = f"chuỗi mở bằng “{triple}” chưa có dấu đóng “{triple}”"
    key_line = _statement_line(lines, lineno, back)
    if back and key_line:  # an array left open: where it opens, not where the parser gave up
        lineno, start = key_line, lines[key_line - 1]
        colno = len(start) - len(start.split("=", 1)[1].lstrip()) + 1
    table = _table_above(lines, key_line or lineno)
    key = _key_of(lines[key_line - 1] if key_line else "", colno if key_line == lineno else 10 ** 6)
    full = f"{table}.{key}" if table and key else key
    return SyntaxProblem(lineno, colno, full, table, detail)


_TRIPLES = ('"""', "'''")


def _open_multiline(lines: list[str], lineno: int) -> tuple[int, str] | None:
    """The line and quotes of a triple-quoted string opened before ``lineno`` and still open there."""
    upto = "\n".join(lines[:lineno])
    for triple in _TRIPLES:
        if upto.count(triple) % 2:
            at = upto.rfind(triple)
            return upto.count("\n", 0, at) + 1, triple
    return None


def _statement_line(lines: list[str], lineno: int, back: bool) -> int:
    """The line holding the key of the statement at ``lineno`` (an open array or table: a line above)."""
    start = lineno - 1 if back else lineno
    for i in range(start, 0, -1):
        s = lines[i - 1]
        if _HEADER.match(s):
            return 0
        if _LINE_KEY.match(s) or (not back and _key_of(s, 10 ** 6)):
            return i
        if not back:
            return 0
    return 0


def _table_above(lines: list[str], lineno: int) -> str:
    """The table the line is in: "list", "deadlines", "units[3]" (the fourth [[units]] block)."""
    for i in range(min(lineno or len(lines), len(lines)), 0, -1):
        m = _HEADER.match(lines[i - 1])
        if m:
            name = re.sub(r"\s*\.\s*", ".", m.group(2))
            if m.group(1) == "[[":
                count = sum(1 for s in lines[:i] if (h := _HEADER.match(s)) and h.group(1) == "[["
                            and re.sub(r"\s*\.\s*", ".", h.group(2)) == name)
                return f"{name}[{count - 1}]"
            return name
    return ""


def _key_of(line: str, column: int) -> str:
    """The key on ``line``, with the key inside an inline table { … } before ``column`` when there is one."""
    m = _LINE_KEY.match(line)
    if not m:  # "size 30": the word the line starts with
        word = re.match(r"^\s*([A-Za-z0-9_\-]+)\s+\S", line)
        return word.group(1) if word else ""
    key = _plain_key(m.group(1))
    rest = line[m.end():column - 1]
    depth = rest.count("{") - rest.count("}")
    if depth > 0:
        inner = _INNER_KEY.findall(rest[rest.rfind("{") + 1:])
        if inner:
            key = f"{key}.{_plain_key(inner[-1])}"
    return key


def _plain_key(raw: str) -> str:
    return ".".join(p.strip().strip("\"'") for p in re.split(r"\s*\.\s*(?=(?:[^\"']|\"[^\"]*\"|'[^']*')*$)", raw))


def _token_at(line: str, column: int) -> str:
    """The value being read at ``column``: from the last "=" (or "[", ",") before it to the next separator."""
    head = line[:column - 1]
    cut = max(head.rfind("="), head.rfind(","), head.rfind("["), head.rfind("{"))
    start = cut + 1 if cut >= 0 else 0
    whole = line[start:].split("#")[0].strip()
    if re.fullmatch(r"[+-]?\d+,\d+", whole):  # a decimal comma: the comma is not a separator here
        return whole
    m = re.match(r"[^,\]\}#]*", line[start:])
    return m.group(0).strip() if m else ""


_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$")


_VALUE_FAMILIES = ("Invalid value", "Invalid date", "Expected newline", "Unclosed inline table", "Unclosed array")


def _value_detail(token: str, bare: bool) -> str:
    """A date, a decimal comma or a word written without quotes, told from the value as written."""
    if m := _ISO.match(token):
        y, mo, d = map(int, m.groups())
        if not 1 <= mo <= 12:
            return f"ngày “{token}” không có thật (không có tháng {mo}); viết dạng năm-tháng-ngày, ví dụ 2021-10-30"
        try:
            dt.date(y, mo, d)
        except ValueError:
            return f"ngày “{token}” không có thật (tháng {mo} năm {y} không có ngày {d})"
        return f"ngày “{token}” phải viết đủ hai chữ số cho tháng và ngày: {y:04d}-{mo:02d}-{d:02d}"
    if m := _DMY.match(token):
        d, mo, y = m.groups()
        return (f"ngày viết dạng năm-tháng-ngày, không có ngoặc kép: {y}-{int(mo):02d}-{int(d):02d} "
                f"(không viết “{token}”)")
    if re.fullmatch(r"0\d+", token):
        return (f"số không bắt đầu bằng chữ số 0; mã như {token} viết trong ngoặc kép: \"{token}\"")
    if re.fullmatch(r"[+-]?\d+,\d+", token):
        return f"số thập phân viết bằng dấu chấm: {token.replace(',', '.')} (không viết “{token}”)"
    if token.lower() in ("yes", "no", "true", "false", "có", "không", "đúng", "sai") and token not in ("true",
                                                                                                          "false"):
        return f"giá trị đúng/sai viết true hoặc false, chữ thường, không có ngoặc kép (không viết “{token}”)"
    if bare and token and token[0] not in "\"'[{+-.0123456789" and not token.startswith(("inf", "nan")):
        return f"chữ phải đặt trong ngoặc kép: \"{token}\" (không viết “{token}” trần)"
    return ""


# --- values as they are written in the file -----------------------------------------------------------------

def toml_text(value, limit: int = 60) -> str:
    """``value`` in TOML notation (``"30"``, ``30``, ``true``, ``2021-10-30``, ``["word"]``, ``{ a = 1 }``),
    shortened to about ``limit`` characters."""
    text = _toml(value)
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'
    if isinstance(v, float):
        if math.isnan(v):
            return "nan"
        return ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, (int, dt.date, dt.time)):
        return v.isoformat() if isinstance(v, (dt.date, dt.time)) else str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_toml_key(k)} = {_toml(x)}" for k, x in v.items()) + " }" if v else "{}"
    return str(v)


def _toml_key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_\-]+", k) else _toml(k)


def kind_word(value) -> str:
    """What ``value`` is, in words: "chữ", "số nguyên", "ngày", "danh sách"…"""
    if isinstance(value, bool):
        return "giá trị đúng/sai"
    if isinstance(value, str):
        return "chữ (viết trong ngoặc kép)"
    if isinstance(value, int):
        return "số nguyên"
    if isinstance(value, float):
        return "số thập phân"
    if isinstance(value, dt.datetime):
        return "ngày giờ"
    if isinstance(value, dt.date):
        return "ngày"
    if isinstance(value, dt.time):
        return "giờ"
    if isinstance(value, list):
        return "danh sách"
    if isinstance(value, dict):
        return "bảng"
    return "giá trị khác"


_EXPECTED = {int: "số nguyên", float: "số", str: "chữ (trong ngoặc kép)", bool: "true hoặc false", dict: "bảng",
             list: "danh sách […]", dt.date: "ngày (dạng 2021-10-30)"}


def expected_words(kind) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " hoặc ".join(_EXPECTED.get(k, "giá trị khác") for k in kinds)


def type_mismatch(name: str, value, kind) -> str:
    """Why ``value`` (read from key ``name``) is not a ``kind``, showing it as written, with the way to write it
    when the text says what was meant: ``cần số nguyên, nhưng “"30"” là chữ (viết trong ngoặc kép); viết
    size = 30``."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    said = f"cần {expected_words(kind)}, nhưng “{toml_text(value)}” là {kind_word(value)}"
    fixed = _rewritten(value, kinds)
    return said + (f"; viết {name} = {fixed}" if fixed is not None else "")


def _rewritten(value, kinds: tuple) -> str | None:
    """``value`` written as one of ``kinds`` when it plainly means one (text holding a number, a date…)."""
    if isinstance(value, str):
        text = value.strip()
        if int in kinds and re.fullmatch(r"[+-]?\d+", text) and not re.fullmatch(r"0\d+", text):
            return text
        if float in kinds and re.fullmatch(r"[+-]?\d+([.,]\d+)?", text):
            return text.replace(",", ".")
        if bool in kinds and text.lower() in _TRUTH:
            return "true" if _TRUTH[text.lower()] else "false"
        if dt.date in kinds:
            if m := _DMY.match(text):
                d, mo, y = map(int, m.groups())
                return f"{y:04d}-{mo:02d}-{d:02d}"
            if m := _ISO.match(text):
                return "{:04d}-{:02d}-{:02d}".format(*map(int, m.groups()))
        if list in kinds:
            return f"[{_toml(value)}]"
    if str in kinds and isinstance(value, (int, float, dt.date)) and not isinstance(value, bool):
        return _toml(_toml(value))
    return None


_TRUTH = {"true": True, "false": False, "yes": True, "no": False, "có": True, "không": False, "đúng": True,
          "sai": False, "1": True, "0": False}
