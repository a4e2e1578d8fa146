"""Finding the respondent list in a Word document by its header text, and reading its rows.

Communes rename and reorder columns, use one- or two-row headers with merged cells, put titles above
and a signature block below the table, and sometimes group rows under a field heading spanning the
table; all of that is read here.
"""

from __future__ import annotations

import re
from functools import lru_cache

from automation import vntext
from automation.formats.word import Table, WordDocument
from automation.lists.model import REQUIRED_COLUMNS, Respondent, RespondentList

# header wording per canonical column, most specific column first (a header is claimed once)
SYNONYMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("stt", ("stt", "số thứ tự", "tt", "số tt")),
    ("phone", ("số điện thoại", "điện thoại", "sđt", "số đt", "đt", "di động", "điện thoại liên hệ")),
    ("submitted", ("ngày nộp hồ sơ", "ngày nộp", "ngày tiếp nhận", "tiếp nhận", "nộp hồ sơ", "ngày nhận hồ sơ")),
    ("received", ("ngày nhận kết quả", "ngày trả kết quả", "nhận kết quả", "trả kết quả", "ngày trả",
                  "ngày có kết quả")),
    ("field", ("lĩnh vực", "lĩnh vực tthc", "lĩnh vực giải quyết")),
    ("procedure", ("tên thủ tục hành chính", "thủ tục hành chính", "tên tthc", "thủ tục", "tên thủ tục",
                   "tthc", "nội dung giao dịch")),
    ("name", ("họ và tên", "họ tên", "tên tổ chức cá nhân", "tên cá nhân tổ chức", "họ và tên người giao dịch",
              "tên người", "người giao dịch", "cá nhân tổ chức")),
    ("address", ("địa chỉ", "nơi cư trú", "nơi ở", "địa chỉ thường trú", "nơi thường trú", "thôn xóm")),
)
_SYN_KEYS = [(col, [vntext.key(s) for s in syns]) for col, syns in SYNONYMS]
_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
MAX_HEADER_START = 5  # title rows inside the table above the header
MAX_HEADER_DEPTH = 3


@lru_cache(maxsize=4096)
def _classify(header: str) -> str | None:
    k = vntext.key(header)
    for col, variants in _SYN_KEYS:
        for v in variants:
            if vntext.contains_words(k, v):
                return col
    return None


def _header_texts(rows: list[list[str]], start: int, depth: int, width: int) -> list[str]:
    """One text per column from ``depth`` header rows; merged cells repeat, so repeats are dropped."""
    out = []
    for c in range(width):
        parts: list[str] = []
        for r in rows[start:start + depth]:
            cell = vntext.clean(r[c]) if c < len(r) else ""
            if cell and (not parts or parts[-1] != cell):
                parts.append(cell)
        out.append(" ".join(parts))
    return out


def map_header(headers: list[str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for i, text in enumerate(headers):
        col = _classify(text) if text else None
        if col and col not in mapping:
            mapping[col] = i
    return mapping


def _find_header(table: Table) -> tuple[int, int, dict[str, int], list[str]] | None:
    """(start row, depth, column map, header texts) of the best header, or None."""
    best = None
    rows, width = table.rows, table.width
    for start in range(min(MAX_HEADER_START, len(rows))):
        for depth in range(1, MAX_HEADER_DEPTH + 1):
            if start + depth > len(rows):
                break
            headers = _header_texts(rows, start, depth, width)
            mapping = map_header(headers)
            if not all(c in mapping for c in REQUIRED_COLUMNS):
                continue
            score = (len(mapping), -depth, -start)
            if best is None or score > best[0]:
                best = (score, start, depth, mapping, headers)
    if best is None:
        return None
    _, start, depth, mapping, headers = best
    return start, depth, mapping, headers


def _is_numbering_row(row: list[str]) -> bool:
    cells = [vntext.clean(c) for c in row if vntext.clean(c)]
    return len(cells) >= 3 and all(_NUMBERING.match(c) for c in cells)


def _row_kind(row: list[str], mapping: dict[str, int]) -> tuple[str, str]:
    """("skip", "") for empty, numbering-only or STT-only rows; ("section", title) for a group title
    (one text merged across the row, or alone outside the name column); ("person", "") otherwise."""
    cells = [vntext.clean(c) for c in row if vntext.clean(c)]
    if not cells or _is_numbering_row(row):
        return "skip", ""
    if len(set(cells)) == 1:
        text = cells[0]
        if _NUMBERING.match(text):
            return "skip", ""
        if len(cells) >= 2 or not _cell(row, mapping["name"]):
            return "section", re.sub(r"^([IVXLC]+|\d+|[a-zđ])[.)]\s*", "", text, flags=re.IGNORECASE)
    return "person", ""


def _cell(row: list[str], idx: int | None) -> str:
    if idx is None or idx >= len(row):
        return ""
    return vntext.clean(row[idx])


def find_list(doc: WordDocument) -> RespondentList | None:
    """The table that holds the list (the most list columns wins), read into a :class:`RespondentList`."""
    found = None
    for table in doc.tables:
        header = _find_header(table)
        if header and (found is None or len(header[2]) > len(found[1][2])):
            found = (table, header)
    if found is None:
        return None
    table, (start, depth, mapping, headers) = found
    rl = RespondentList(table=table.index, columns=mapping,
                        headers={c: headers[i] for c, i in mapping.items()},
                        heading=doc.text_before(table) if not table.nested else [])
    section = ""
    n = 0
    for row in table.rows[start + depth:]:
        kind, title = _row_kind(row, mapping)
        if kind == "skip":
            continue
        if kind == "section":
            section = title
            continue
        n += 1
        get = lambda col: _cell(row, mapping.get(col))  # noqa: E731
        rl.respondents.append(Respondent(
            row=n, stt=get("stt"), name=get("name"), address=get("address"), phone=get("phone"),
            field=get("field") or section, procedure=get("procedure"),
            submitted_text=get("submitted"), received_text=get("received")))
    return rl


def looks_like_list_title(texts: list[str]) -> bool:
    """Does a heading or file name announce a list ("Danh sách ...", "DS_Kim_Xa.docx")?"""
    for text in texts:
        k = f" {vntext.ascii_key(text)} "
        if " danh sach " in k or " ds " in k:
            return True
    return False
