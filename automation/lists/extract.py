"""Finding the respondent list in a document by its header text, and reading its people.

Clerks rename and reorder columns, use one- or two-row headers with merged cells, put titles above and
a signature block below the table, group rows under a field heading, type the header again after a
page break, split the list into a table per field, and end it with a "Tổng cộng" row.  All of that is
read here: the header is found by the scored column model of :mod:`automation.lists.columns`, the rows
are sorted into people and everything else, and consecutive tables that continue the list are joined.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from automation import vntext
from automation.formats.word import Paragraph, Table, WordDocument
from automation.lists.columns import LIST_KINDS, assign, score_header, total_score
from automation.lists.model import REQUIRED_COLUMNS, Respondent, RespondentList

_NUMBERING = re.compile(r"^\(?\d{1,2}\)?$")
_ARABIC = re.compile(r"^\d{1,4}[.)]?$")
_ROMAN_OR_LETTER = re.compile(r"^(?:[IVXLC]+|[A-ZĐa-zđ])[.)]?$")
_SECTION_PREFIX = re.compile(r"^(?:[IVXLC]+|\d+|[A-ZĐa-zđ])[.)]\s*")
_SECTION_WORDS = tuple(vntext.key(w) for w in ("lĩnh vực", "nhóm"))
_SECTION_PLAIN = ("linh vuc", "nhom")
_TOTAL_WORDS = tuple(vntext.key(w) for w in ("tổng", "cộng"))
_TOTAL_PLAIN = ("tong cong", "tong so", "cong")
MAX_HEADER_START = 5  # title rows inside the table above the header
MAX_HEADER_DEPTH = 3
DATE_KINDS = ("submitted", "received", "appointment")


@dataclass(frozen=True)
class Header:
    start: int  # first header row
    depth: int  # header rows
    mapping: dict[str, int]  # column kind -> grid column
    texts: list[str]  # one header text per grid column (multi-row headers joined)
    parts: list[frozenset[str]]  # per grid column, the keys of each header row's text (to spot repeats)
    score: float

    @property
    def body_start(self) -> int:
        return self.start + self.depth


def _header_texts(rows: list[list[str]], start: int, depth: int, width: int) -> tuple[list[str], list[frozenset]]:
    """One text per column from ``depth`` header rows; merged cells repeat, so repeats are dropped."""
    texts, parts = [], []
    for c in range(width):
        pieces: list[str] = []
        for r in rows[start:start + depth]:
            cell = vntext.clean(r[c]) if c < len(r) else ""
            if cell and (not pieces or pieces[-1] != cell):
                pieces.append(cell)
        texts.append(" ".join(pieces))
        parts.append(frozenset(vntext.key(p) for p in pieces) | {vntext.key(" ".join(pieces))})
    return texts, parts


_HEADERISH_WORD = re.compile(r"[^\W\d_]{2,}")
_DATEISH = re.compile(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{2,4}|\d{7,}")


def _looks_like_data(row: list[str]) -> bool:
    """A row of values, never part of a header: a date or a phone number in it, or an STT number first."""
    cells = [c for c in (vntext.clean(x) for x in row) if c]
    if any(_DATEISH.search(c) for c in cells):
        return True
    return len(cells) >= 3 and bool(_ARABIC.match(cells[0])) and not _is_numbering_row(cells)


def _header_rows(rows: list[list[str]]):
    """(start, depth) of the header candidates: up to three rows from one of the first rows, never a
    row of values."""
    for start in range(min(MAX_HEADER_START, len(rows))):
        if not any(vntext.clean(c) for c in rows[start]) or _looks_like_data(rows[start]):
            continue
        for depth in range(1, MAX_HEADER_DEPTH + 1):
            if start + depth > len(rows) or depth > 1 and _looks_like_data(rows[start + depth - 1]):
                break
            yield start, depth


def map_header(headers: list[str]) -> dict[str, int]:
    """Column kind -> index for one header row (see :func:`automation.lists.columns.assign`)."""
    return assign(headers)


def find_header(table: Table, require: tuple[str, ...] = REQUIRED_COLUMNS) -> Header | None:
    """The best header of ``table`` that names every ``require`` kind, or None.

    Candidates start in one of the first rows (titles may sit inside the table) and span one to three
    rows (merged two-row headers); the one naming most kinds, then scoring best, wins.
    """
    best: Header | None = None
    rows, width = table.rows, table.width
    for start, depth in _header_rows(rows):
        texts, parts = _header_texts(rows, start, depth, width)
        mapping = assign(texts)
        if not all(c in mapping for c in require):
            continue
        cand = Header(start, depth, mapping, texts, parts, total_score(texts, mapping))
        if best is None or (len(cand.mapping), cand.score) > (len(best.mapping), best.score + 1e-9):
            best = cand
    return best


def _cell(row: list[str], idx: int | None) -> str:
    if idx is None or idx >= len(row):
        return ""
    return vntext.clean(row[idx])


def _is_numbering_row(cells: list[str]) -> bool:
    return len(cells) >= 3 and all(_NUMBERING.match(c) for c in cells)


def _is_repeated_header(row: list[str], header: Header) -> bool:
    hits = sum(1 for i in header.mapping.values() if _cell(row, i) and vntext.key(_cell(row, i)) in header.parts[i])
    return hits >= max(2, (len(header.mapping) + 1) // 2)


def _section_title(text: str) -> str:
    return _SECTION_PREFIX.sub("", text).strip() or text


def _starts_with(text: str, keys: tuple[str, ...], plain: tuple[str, ...]) -> bool:
    """Does ``text`` start with one of the words (``keys``: vntext.key forms; ``plain``: the same typed
    without diacritics, only looked for in text typed without them)?"""
    k = vntext.key(text)
    return any(k == w or k.startswith(w + " ") for w in keys) or vntext.is_ascii(text) and any(
        (a := vntext.ascii_key(text)) == w or a.startswith(w + " ") for w in plain)


def _looks_like_section(text: str) -> bool:
    return bool(_SECTION_PREFIX.match(text)) and not _ARABIC.match(text) \
        or _starts_with(text, _SECTION_WORDS, _SECTION_PLAIN)


def _is_total(text: str) -> bool:
    return _starts_with(text, _TOTAL_WORDS, _TOTAL_PLAIN)


def row_kind(row: list[str], mapping: dict[str, int]) -> tuple[str, str]:
    """What a body row is: ("skip", ""), ("section", title), ("total", "") or ("person", "").

    Empty rows, numbering rows and rows that hold nothing a person's row holds (no STT number, address,
    procedure, date or phone: a signature line) are skipped; a text merged across the row, or alone with
    a roman numeral or letter for STT, is a group heading; "Tổng cộng: 30 người" is a total.
    """
    cells = [c for c in (vntext.clean(x) for x in row) if c]
    if not cells or _is_numbering_row(cells):
        return "skip", ""
    get = lambda kind: _cell(row, mapping.get(kind))  # noqa: E731
    stt, name = get("stt"), get("name")
    substance = [get(k) for k in ("address", "procedure", *DATE_KINDS, "phone") if k in mapping]
    distinct = list(dict.fromkeys(cells))
    if (len(distinct) == 1 or not any(substance)) and _is_total(cells[0]):
        return "total", ""
    if len(distinct) == 1:
        text = distinct[0]
        if _NUMBERING.match(text):
            return "skip", ""
        if len(cells) >= 2 or not name or _looks_like_section(text):
            return "section", _section_title(text)
    if not any(substance):
        if stt and _ROMAN_OR_LETTER.match(stt):
            rest = [c for c in distinct if c != stt]
            return ("section", _section_title(rest[0])) if rest else ("skip", "")
        if not (stt and _ARABIC.match(stt)):
            return "skip", ""
    return "person", ""


def _person(row: list[str], mapping: dict[str, int], n: int, section: str, table: int) -> Respondent:
    get = lambda kind: _cell(row, mapping.get(kind))  # noqa: E731
    return Respondent(row=n, stt=get("stt"), name=get("name"), address=get("address"), phone=get("phone"),
                      field=get("field") or section, procedure=get("procedure"), submitted_text=get("submitted"),
                      received_text=get("received"), appointment_text=get("appointment"), note=get("note"),
                      table=table)


def _body(table: Table, start: int, header: Header | None, mapping: dict[str, int],
          section: str) -> tuple[list[tuple[list[str], str]], str]:
    """The person rows of ``table`` from row ``start`` with the group heading in force, and the heading
    in force at the end."""
    people = []
    for row in table.rows[start:]:
        if header is not None and _is_repeated_header(row, header):
            continue
        kind, title = row_kind(row, mapping)
        if kind == "section":
            section = title
        elif kind == "person":
            people.append((row, section))
    return people, section


def _continues(table: Table, mapping: dict[str, int], width: int) -> bool:
    """Does a table without a header of its own carry on the list (same grid, rows of people)?"""
    if table.width != width:
        return False
    first = next((r for r in table.rows if (cells := [c for c in map(vntext.clean, r) if c])
                  and not _is_numbering_row(cells)), None)
    if first is None or not _looks_like_data(first):  # a table of its own starts with its own header
        return False
    kinds = [row_kind(r, mapping)[0] for r in table.rows]
    people = [r for r, k in zip(table.rows, kinds) if k == "person"]
    if not people or len(people) * 2 < sum(k != "skip" for k in kinds):
        return False
    numbered = sum(1 for r in people if _ARABIC.match(_cell(r, mapping.get("stt"))))
    dated = sum(1 for r in people if any(re.search(r"\d{1,2}\s*[/.\-]\s*\d{1,2}", _cell(r, mapping.get(k)))
                                         for k in DATE_KINDS))
    wordy = sum(1 for r in people if any(_HEADERISH_WORD.search(_cell(r, mapping.get(k)))
                                         for k in ("address", "procedure")))
    return max(numbered, dated) * 2 >= len(people) and wordy * 2 >= len(people)


def _segments(doc: WordDocument) -> list[list[tuple[Table, Header | None]]]:
    """Candidate lists: runs of consecutive top-level tables, each opened by a table with a list header
    and continued by tables with the same column kinds, or with none but the same grid and rows of people."""
    tops = [b for b in doc.blocks if isinstance(b, Table)]
    nested = [t for t in doc.tables if t.nested]
    headers = {t.index: find_header(t) for t in tops + nested}
    out: list[list[tuple[Table, Header | None]]] = [[(t, headers[t.index])] for t in nested if headers[t.index]]
    current: list[tuple[Table, Header | None]] | None = None
    for t in tops:
        h = headers[t.index]
        if current is not None:
            first_header = current[0][1]
            if h is not None and set(h.mapping) == set(first_header.mapping):
                current.append((t, h))
                continue
            if h is None and _continues(t, current[-1][1].mapping if current[-1][1] else first_header.mapping,
                                        current[-1][0].width):
                current.append((t, None))
                continue
            out.append(current)
            current = None
        if h is not None:
            current = [(t, h)]
    if current is not None:
        out.append(current)
    return out


def _between(doc: WordDocument, before: Table, after: Table) -> list[str]:
    """Paragraph texts between two tables of the body."""
    texts, inside = [], False
    for b in doc.blocks:
        if b is before:
            inside = True
        elif b is after:
            break
        elif inside and isinstance(b, Paragraph) and b.text.strip():
            texts.append(vntext.clean(b.text))
    return texts


def find_list(doc: WordDocument) -> RespondentList | None:
    """The list (the candidate naming most column kinds, then with most people), read into a
    :class:`RespondentList`; None when no table has a list header."""
    best = None
    for segment in _segments(doc):
        rows: list[tuple[list[str], str, int, dict[str, int]]] = []
        section = ""
        prev: Table | None = None
        mapping = segment[0][1].mapping
        for table, header in segment:
            above = (_between(doc, prev, table) if prev is not None else
                     [] if table.nested else doc.text_before(table, 1)[-1:])
            titles = [t for t in above if _looks_like_section(t)]
            if titles:
                section = _section_title(titles[-1])
            if header is not None:
                mapping = header.mapping
            body, section = _body(table, header.body_start if header else 0, header or segment[0][1],
                                  mapping, section)
            rows.extend((r, s, table.index, mapping) for r, s in body)
            prev = table
        key = (len(segment[0][1].mapping), len(rows))
        if best is None or key > best[0]:
            best = (key, segment, rows)
    if best is None:
        return None
    _, segment, rows = best
    first, header = segment[0]
    rl = RespondentList(table=first.index, columns=dict(header.mapping),
                        headers={c: header.texts[i] for c, i in header.mapping.items()},
                        heading=doc.text_before(first) if not first.nested else [],
                        tables=[t.index for t, _ in segment], all_headers=[t for t in header.texts if t])
    if any(t.truncated for t, _ in segment):
        rl.too_long = (sum(t.total_rows for t, _ in segment), sum(len(t.rows) for t, _ in segment))
    for n, (row, section, table_no, mapping) in enumerate(rows, start=1):
        rl.respondents.append(_person(row, mapping, n, section, table_no))
    return rl


def largest_table_headers(doc: WordDocument) -> tuple[list[str], list[str]] | None:
    """For a document without a list: the header cells of its largest table (the row naming most list
    kinds among its first rows) and the required kinds that row does not name; None without tables."""
    tables = [t for t in doc.tables if t.rows]
    if not tables:
        return None
    table = max(tables, key=lambda t: (len(t.rows) * t.width, -t.index))
    best = None
    for start, depth in _header_rows(table.rows):
        texts, _ = _header_texts(table.rows, start, depth, table.width)
        mapping = assign(texts)
        key = (len(mapping), -depth, -start)
        if best is None or key > best[0]:
            best = (key, texts, mapping)
    if best is None:
        return [vntext.clean(c) for c in table.rows[0] if vntext.clean(c)], list(REQUIRED_COLUMNS)
    _, texts, mapping = best
    shown = list(dict.fromkeys(t for t in texts if t))
    return shown, [k for k in REQUIRED_COLUMNS if k not in mapping]


def header_kind(text: str) -> str | None:
    """The list kind one header wording names best, or None (for tests and diagnostics)."""
    scores = {k: v for k, v in score_header(text).items() if k in LIST_KINDS}
    return max(scores, key=scores.get) if scores else None


def looks_like_list_title(texts: list[str]) -> bool:
    """Does a heading or file name announce a list ("Danh sách ...", "DS_Kim_Xa.docx")?"""
    for text in texts:
        k = f" {vntext.ascii_key(text)} "
        if " danh sach " in k or " ds " in k:
            return True
    return False
