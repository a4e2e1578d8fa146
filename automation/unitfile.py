"""The unit list as a CSV file (``[units] file = "don-vi.csv"`` of cchc.toml), validated line by line.

Columns: ``code,kind,name`` and, optionally, ``aliases`` (other names, separated by ";"), ``group`` (the
ranking group) and ``former`` (the units merged into this one, separated by ";", each written as people
write it with its old code in brackets: ``Xã Kim Xá (09079); Xã Yên Bình (09082)``).  ``kind`` is ``xa``,
``phuong``, ``thi_tran`` or ``dac_khu`` (the Vietnamese words are accepted too); a name may carry its kind's
word ("Phường Tân Hòa") as the GSO lists write it.  Every error names the file, the line and the column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from automation import vntext
from automation.problems import ConfigError
from automation.units import KINDS, FormerUnit, Unit, kind_of

KEY = "units.file"
REQUIRED = ("code", "kind", "name")
OPTIONAL = ("aliases", "group", "former")
_FORMER = re.compile(r"^(?P<name>.*?)\s*(?:\((?P<code>[^()]*)\))?$")
_TYPE_WORDS = sorted(KINDS.values(), key=len, reverse=True)
MAX_BYTES = 5 * 1024 * 1024  # 3,321 units of the whole country take about 200 KB


def _error(path: Path, detail: str, line: int | None = None) -> ConfigError:
    where = f"{path.name}, dòng {line}: " if line else f"{path.name}: "
    return ConfigError("config.invalid", key=KEY, detail=where + detail)


def _split_type(text: str) -> tuple[str, str]:
    """("Phường", "Tân Hòa") for "Phường Tân Hòa"; ("", text) when no kind's word starts it."""
    words = text.split()
    for t in _TYPE_WORDS:
        n = len(t.split())
        if len(words) > n and vntext.key(" ".join(words[:n])) == vntext.key(t):
            return t, " ".join(words[n:])
    return "", text


def parse_former(text: str) -> tuple[FormerUnit, ...]:
    """``Xã Kim Xá (09079); Yên Bình`` -> the former units (type and code optional)."""
    out = []
    for part in text.split(";"):
        part = vntext.clean(part)
        if not part:
            continue
        m = _FORMER.match(part)
        type_word, name = _split_type(m["name"].strip())
        code = (m["code"] or "").strip()
        if not name or (m["code"] is not None and not code.isdigit()):
            raise ValueError(part)
        out.append(FormerUnit(name=name, type=type_word, code=code))
    return tuple(out)


def read_unit_file(path: Path) -> list[Unit]:
    """The units of the CSV file ``path``; :class:`ConfigError` on the first bad line."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _error(path, f"không tìm thấy tệp danh sách đơn vị {path}") from None
    except OSError as exc:
        raise _error(path, f"không đọc được tệp ({exc.strerror or exc})") from None
    if len(raw) > MAX_BYTES:
        raise _error(path, f"tệp quá lớn ({len(raw) // 1024} KB) cho một danh sách đơn vị")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _error(path, "tệp phải lưu bằng UTF-8 (trong Excel: Lưu thành → CSV UTF-8)") from None
    sample = text[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") and "," not in sample.splitlines()[0] else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [vntext.clean(h).lower() for h in next(reader)]
    except StopIteration:
        raise _error(path, "tệp trống") from None
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise _error(path, "thiếu cột " + ", ".join(missing) + " ở dòng tiêu đề (cần code,kind,name)", 1)
    unknown = [h for h in header if h and h not in REQUIRED + OPTIONAL]
    if unknown:
        raise _error(path, f"cột “{unknown[0]}” không được hỗ trợ (dùng {', '.join(REQUIRED + OPTIONAL)})", 1)
    col = {h: i for i, h in enumerate(header)}
    units: list[Unit] = []
    codes: dict[str, int] = {}
    names: dict[tuple[str, str], int] = {}
    for row in reader:
        line = reader.line_num
        if not any(c.strip() for c in row):
            continue
        if len(row) > len(header):
            raise _error(path, f"có {len(row)} ô, nhiều hơn {len(header)} cột của dòng tiêu đề", line)
        get = lambda name: vntext.clean(row[col[name]]) if name in col and col[name] < len(row) else ""  # noqa: E731
        units.append(_unit(path, line, get, codes, names))
    if not units:
        raise _error(path, "không có đơn vị nào")
    return units


def _unit(path: Path, line: int, get, codes: dict, names: dict) -> Unit:
    code = get("code")
    if not code:
        raise _error(path, "thiếu mã đơn vị (cột code)", line)
    if not re.fullmatch(r"[0-9A-Za-z._-]+", code):
        raise _error(path, f"mã đơn vị “{code}” chỉ được gồm chữ số, chữ cái, “.”, “-”, “_”", line)
    if code in codes:
        raise _error(path, f"mã đơn vị {code} trùng với dòng {codes[code]}", line)
    kind_text = get("kind")
    kind = kind_text.lower() if kind_text.lower() in KINDS else kind_of(kind_text)
    if not kind:
        raise _error(path, f"loại đơn vị “{kind_text}” không hợp lệ; dùng "
                           + ", ".join(f"{k} ({t})" for k, t in KINDS.items()), line)
    type_word, name = _split_type(get("name"))
    if type_word and kind_of(type_word) != kind:
        raise _error(path, f"tên “{get('name')}” không khớp loại {kind} ({KINDS[kind]})", line)
    if not name:
        raise _error(path, "thiếu tên đơn vị (cột name)", line)
    same = (kind, vntext.key(name))
    if same in names:
        raise _error(path, f"{KINDS[kind]} {name} trùng tên với dòng {names[same]}", line)
    try:
        former = parse_former(get("former"))
    except ValueError as exc:
        raise _error(path, f"đơn vị cũ “{exc}” viết không đúng dạng “Xã Kim Xá (09079)”", line) from None
    codes[code], names[same] = line, line
    aliases = tuple(a for a in (vntext.clean(x) for x in get("aliases").split(";")) if a)
    return Unit(code=code, type=KINDS[kind], name=name, aliases=aliases, group=get("group"), former=former)
