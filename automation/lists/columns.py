"""Which column of a list table holds what: header wording scored against a vocabulary, solved per row.

A header cell is normalised (case, NFC/NFD, tone placement, abbreviations such as SĐT, KQ, TTHC, HS,
"Đ/c") and every phrase of every column kind's vocabulary is looked for in it as a run of words, with
and without diacritics.  A phrase found inside a longer phrase of another kind in the same cell is
ignored ("Họ và tên người nộp hồ sơ" is a name, though it contains "nộp hồ sơ"), so the most specific
wording decides.  Then the whole header row is assigned at once: one kind per column, one column per
kind, the assignment with the best total score.

Extra columns (Số CCCD, Giới tính, Năm sinh, Mã hồ sơ …) have kinds of their own that the list does not
use: they take their cell out of the contest instead of letting it be mistaken for a list column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from automation import vntext

# kind -> header wordings; the kinds of lists.model.COLUMNS plus "appointment" (a promised date is not
# a result), "note" (notes and status columns) and the extra columns the list does not use
VOCABULARY: dict[str, tuple[str, ...]] = {
    "stt": ("stt", "số thứ tự", "thứ tự", "tt", "số tt"),
    "name": ("họ và tên", "họ tên", "tên người nộp", "tên người", "họ và tên người nộp hồ sơ", "người nộp hồ sơ",
             "người nộp", "chủ hồ sơ", "người đứng tên", "tên tổ chức cá nhân", "tên cá nhân tổ chức",
             "tổ chức cá nhân", "cá nhân tổ chức", "người giao dịch", "họ và tên người giao dịch",
             "tên người giao dịch", "tên công dân", "tên người dân", "người đề nghị", "tên người đề nghị",
             "người yêu cầu", "tên chủ hồ sơ", "họ và tên chủ hồ sơ", "tên cá nhân", "tên tổ chức"),
    "address": ("địa chỉ", "địa chỉ thường trú", "nơi cư trú", "nơi ở", "nơi ở hiện nay", "địa chỉ liên hệ",
                "thôn xóm", "nơi thường trú", "địa chỉ cư trú", "thôn", "xóm", "tổ dân phố", "khu phố", "ấp",
                "thôn tổ dân phố", "địa chỉ nơi ở"),
    "phone": ("số điện thoại", "điện thoại", "điện thoại liên hệ", "số điện thoại liên hệ", "di động",
              "số di động", "điện thoại di động"),
    "field": ("lĩnh vực", "lĩnh vực thủ tục hành chính", "lĩnh vực giải quyết", "lĩnh vực thủ tục",
              "lĩnh vực giao dịch", "nhóm thủ tục"),
    "procedure": ("tên thủ tục hành chính", "thủ tục hành chính", "tên thủ tục", "thủ tục", "nội dung giao dịch",
                  "tên hồ sơ", "loại hồ sơ", "loại thủ tục", "nội dung", "nội dung giải quyết",
                  "nội dung yêu cầu", "nội dung yêu cầu giải quyết", "tên dịch vụ công", "dịch vụ công",
                  "thủ tục đã giải quyết", "tên thủ tục hành chính đã giải quyết", "công việc giải quyết"),
    "submitted": ("ngày nộp", "ngày nộp hồ sơ", "ngày tiếp nhận", "ngày tiếp nhận hồ sơ", "ngày nhận hồ sơ",
                  "tiếp nhận", "nộp hồ sơ", "ngày giao dịch", "thời gian tiếp nhận", "thời gian nộp hồ sơ",
                  "thời điểm tiếp nhận", "ngày nhận"),
    "received": ("ngày nhận kết quả", "ngày trả kết quả", "ngày trả kết quả thực tế", "ngày hoàn thành",
                 "nhận kết quả", "trả kết quả", "ngày trả", "ngày có kết quả", "ngày đã trả kết quả",
                 "thời gian trả kết quả", "thời gian nhận kết quả", "ngày giải quyết xong", "ngày trả thực tế",
                 "ngày nhận kết quả thực tế", "thời điểm trả kết quả", "ngày hoàn thành giải quyết", "ngày nhận"),
    "appointment": ("ngày hẹn trả", "ngày hẹn trả kết quả", "hẹn trả", "hẹn trả kết quả", "hạn giải quyết",
                    "hạn trả", "hạn trả kết quả", "ngày hẹn", "thời hạn giải quyết", "hạn xử lý", "ngày hết hạn",
                    "theo hẹn", "theo giấy hẹn", "ngày hẹn trả theo phiếu"),
    "note": ("ghi chú", "trạng thái", "tình trạng", "tình trạng hồ sơ", "trạng thái hồ sơ", "kết quả",
             "kết quả giải quyết", "tình hình giải quyết", "ghi chú khác"),
    # columns the list does not use; they only keep their cell away from the kinds above
    "id_number": ("số cccd", "cccd", "cmnd", "số cmnd", "căn cước", "căn cước công dân", "số định danh",
                  "chứng minh nhân dân", "số căn cước", "số định danh cá nhân", "hộ chiếu"),
    "gender": ("giới tính", "nam nữ", "nam", "nữ"),
    "birth": ("năm sinh", "ngày sinh", "ngày tháng năm sinh", "tuổi", "sinh năm", "dân tộc"),
    "dossier": ("mã hồ sơ", "số hồ sơ", "mã số hồ sơ", "số biên nhận", "mã biên nhận", "số phiếu", "mã phiếu",
                "số sổ", "quyển số"),
    "signature": ("ký tên", "chữ ký", "ký nhận"),
}
LIST_KINDS = ("stt", "name", "address", "phone", "field", "procedure", "submitted", "received",
              "appointment", "note")
EXTRA_KINDS = tuple(k for k in VOCABULARY if k not in LIST_KINDS)

# abbreviations clerks write in headers, expanded before matching (keys of vntext.key form)
_ABBREVIATIONS = {
    "sđt": "số điện thoại", "sdt": "số điện thoại", "đt": "điện thoại", "dt": "điện thoại", "đthoại": "điện thoại",
    "dđ": "di động", "kq": "kết quả", "tthc": "thủ tục hành chính", "hs": "hồ sơ", "hsơ": "hồ sơ",
    "đc": "địa chỉ", "dc": "địa chỉ", "đ c": "địa chỉ", "tdp": "tổ dân phố", "tcn": "tổ chức cá nhân",
    "cmtnd": "cmnd", "nhkq": "nhận kết quả", "tkq": "trả kết quả",
}
# ambiguous wordings, weighed down: alone, "Ngày nhận" is the day the person received the result; beside
# "Ngày trả (kết quả)" it is the day the dossier was received
_WEAK = {("submitted", "ngày nhận"): 0.9}
# words that make a date a promise: "Ngày trả kết quả theo hẹn" is an appointment, unless "thực tế"
_PROMISE = {vntext.key("hẹn"), vntext.key("hạn")}
_PROMISE_PLAIN = {"hen", "han"}
_ACTUAL = vntext.key("thực tế")


_ABBR = {vntext.key(k): vntext.key(v) for k, v in _ABBREVIATIONS.items()}
_ABBR_ASCII = {vntext.ascii_key(k): vntext.key(v) for k, v in _ABBREVIATIONS.items()}


@dataclass(frozen=True)
class _Phrase:
    kind: str
    words: tuple[str, ...]  # vntext.key words
    plain: tuple[str, ...]  # the same without diacritics
    weight: float = 1.0


_PHRASES = tuple(_Phrase(kind, tuple(vntext.key(p).split()), tuple(vntext.ascii_key(p).split()),
                         _WEAK.get((kind, p), 1.0))
                 for kind, phrases in VOCABULARY.items() for p in phrases)


def _expand(words: list[str]) -> list[str]:
    """Expand abbreviations word by word (and "đ/c", split by the word pattern into "đ c")."""
    out: list[str] = []
    i = 0
    while i < len(words):
        pair = " ".join(words[i:i + 2])
        if i + 1 < len(words) and pair in _ABBR:
            out.extend(_ABBR[pair].split())
            i += 2
            continue
        w = words[i]
        exp = _ABBR.get(w) or (_ABBR_ASCII.get(w) if vntext.is_ascii(w) else None)
        out.extend(exp.split() if exp else [w])
        i += 1
    return out


def _occurrences(words: tuple[str, ...], ascii_word: tuple[bool, ...], ph: _Phrase) -> list[tuple[int, float]]:
    """Where ``ph`` occurs in the header words, and how exactly: a header word typed without diacritics
    matches the vocabulary word with them (0.8); a word typed with diacritics must match them (1.0)."""
    n, out = len(ph.words), []
    for start in range(len(words) - n + 1):
        exact = True
        for j in range(n):
            w = words[start + j]
            if w == ph.words[j]:
                continue
            if ascii_word[start + j] and w == ph.plain[j]:
                exact = False
                continue
            break
        else:
            out.append((start, 1.0 if exact else 0.8))
    return out


@lru_cache(maxsize=8192)
def score_header(text: str) -> dict[str, float]:
    """Score of ``text`` (one header cell) for each column kind it may name; empty when it names none.

    A phrase scores its length in words plus the share of the cell it covers; longer, fuller matches
    win, and a phrase lying inside a longer match of another kind does not count.
    """
    words = tuple(_expand(vntext.key(text).split()))
    if not words:
        return {}
    ascii_word = tuple(vntext.is_ascii(w) for w in words)
    matches: list[tuple[str, int, int, float]] = []  # kind, start, end, score
    for ph in _PHRASES:
        for start, exactness in _occurrences(words, ascii_word, ph):
            n = len(ph.words)
            matches.append((ph.kind, start, start + n, (n + n / len(words)) * exactness * ph.weight))
    best: dict[str, float] = {}
    for kind, start, end, score in matches:
        shadowed = any(k != kind and s <= start and end <= e and (e - s) > (end - start)
                       for k, s, e, _ in matches)
        if not shadowed and score > best.get(kind, 0.0):
            best[kind] = score
    promise = _PROMISE & set(words) or _PROMISE_PLAIN & {w for w, a in zip(words, ascii_word) if a}
    if "received" in best and promise and _ACTUAL not in " ".join(words):
        best["appointment"] = max(best.get("appointment", 0.0), best.pop("received"))
    return best


def assign(headers: list[str]) -> dict[str, int]:
    """Column index of each list kind in one header row: the one-to-one assignment of best total score.

    A cell whose best kind is an extra column (CCCD, giới tính …) takes no list kind.
    """
    options: list[tuple[int, dict[str, float]]] = []
    for i, text in enumerate(headers):
        scores = score_header(text) if text else {}
        if not scores:
            continue
        top = max(scores, key=scores.get)
        if top in EXTRA_KINDS:
            continue
        listed = {k: v for k, v in scores.items() if k in LIST_KINDS}
        if listed:
            options.append((i, listed))
    kinds = sorted({k for _, s in options for k in s}, key=LIST_KINDS.index)
    bit = {k: 1 << n for n, k in enumerate(kinds)}
    # dynamic programme over the columns, state = set of kinds already taken
    states: dict[int, tuple[float, tuple[tuple[str, int], ...]]] = {0: (0.0, ())}
    for col, scores in options:
        nxt = dict(states)
        for mask, (total, chosen) in states.items():
            for kind, value in scores.items():
                if mask & bit[kind]:
                    continue
                cand = (total + value, chosen + ((kind, col),))
                m = mask | bit[kind]
                if m not in nxt or cand[0] > nxt[m][0] + 1e-9:
                    nxt[m] = cand
        states = nxt
    total, chosen = max(states.values(), key=lambda tc: (tc[0], -sum(c for _, c in tc[1])))
    return dict(sorted(chosen, key=lambda kc: kc[1]))


def total_score(headers: list[str], mapping: dict[str, int]) -> float:
    return sum(score_header(headers[i]).get(k, 0.0) for k, i in mapping.items())


def accepted_names(kind: str) -> str:
    """The header wordings accepted for ``kind``, for advice in letters ("Họ và tên", "Họ tên", …)."""
    return ", ".join(f"“{_title(p)}”" for p in VOCABULARY[kind][:8])


def _title(phrase: str) -> str:
    return phrase[:1].upper() + phrase[1:]


_HEADERISH = re.compile(r"[^\W\d_]", re.UNICODE)


def looks_like_header_text(text: str) -> bool:
    return bool(_HEADERISH.search(text))
