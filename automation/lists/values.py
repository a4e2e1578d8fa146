"""Reading the values communes type: dates and Vietnamese phone numbers."""

from __future__ import annotations

import datetime as dt
import re

from automation import vntext
from automation.lists.model import ParsedDate

# d/m/yyyy, dd/mm/yyyy, dd-mm-yyyy, dd.mm.yyyy (two-digit years read as 20yy), optional time after it
_NUMERIC = re.compile(r"^(\d{1,2})\s*([/\-.])\s*(\d{1,2})\s*\2\s*(\d{4}|\d{2})(?:\s+\d{1,2}[:h]\d{2}.*)?$")
# "ngày 05 tháng 3 năm 2021"
_WORDS = re.compile(r"^(?:ngày\s*)?(\d{1,2})\s*tháng\s*(\d{1,2})\s*(?:năm\s*)?(\d{4})$", re.IGNORECASE)
_NOT_RECEIVED = ("chưa", "đang", "chờ", "không")


def parse_date(text: str) -> ParsedDate:
    """A date as communes write it; ``value`` None with ``error`` when it cannot be read."""
    raw = vntext.clean(text)
    if not raw:
        return ParsedDate(None, raw)
    m = _NUMERIC.match(raw)
    if m:
        d, mth, y = int(m.group(1)), int(m.group(3)), m.group(4)
        year = int(y) + 2000 if len(y) == 2 else int(y)
    else:
        m = _WORDS.match(raw)
        if not m:
            return ParsedDate(None, raw, f"“{raw}” không phải ngày dạng ngày/tháng/năm")
        d, mth, year = int(m.group(1)), int(m.group(2)), int(m.group(3))
    try:
        return ParsedDate(dt.date(year, mth, d), raw)
    except ValueError:
        return ParsedDate(None, raw, f"“{raw}” không có thật trên lịch")


def says_not_received(text: str) -> bool:
    """Cells such as "Chưa nhận", "Đang giải quyết" in the result column."""
    low = vntext.clean(text).lower()
    return any(low.startswith(w) for w in _NOT_RECEIVED)


# what notes and status columns say when the person has not received the result, or does not live here
_NOTE_NOT_RECEIVED = ("chưa nhận", "chưa đến nhận", "chưa lấy", "chưa đến lấy", "chưa trả", "chưa có kết quả",
                      "chưa giải quyết", "chưa hoàn thành", "chưa xong", "đang giải quyết", "đang xử lý",
                      "đang thụ lý", "đang thẩm định", "đang chờ", "chờ trả", "chờ nhận", "chờ kết quả",
                      "chờ giải quyết", "chờ xử lý", "chờ bổ sung", "không đến nhận", "không nhận kết quả",
                      "trả lại hồ sơ", "hồ sơ bị trả lại", "quá hạn chưa trả")
_NOTE_NOT_LOCAL = ("không cư trú", "không thường trú", "không sinh sống", "không ở địa phương",
                   "không phải người địa phương", "không thuộc địa phương", "không thuộc địa bàn", "ngoài địa bàn",
                   "ngoài địa phương", "ngoài xã", "ngoài phường", "ngoài tỉnh", "ngoại tỉnh", "xã khác",
                   "phường khác", "huyện khác", "tỉnh khác", "nơi khác", "địa phương khác", "không ở xã",
                   "không ở phường", "chuyển đi nơi khác")


def _phrases(items: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    return tuple(vntext.key(x) for x in items), tuple(vntext.ascii_key(x) for x in items)


_NR_KEYS, _NR_PLAIN = _phrases(_NOTE_NOT_RECEIVED)
_NL_KEYS, _NL_PLAIN = _phrases(_NOTE_NOT_LOCAL)


def _note_says(text: str, keys: tuple[str, ...], plain: tuple[str, ...]) -> bool:
    if not text.strip():
        return False
    k = vntext.key(text)
    if any(vntext.contains_words(k, p) for p in keys):
        return True
    return vntext.is_ascii(text) and any(vntext.contains_words(vntext.ascii_key(text), p) for p in plain)


def note_says_not_received(text: str) -> bool:
    """A note or status such as "Chưa đến nhận", "Đang giải quyết", "Hồ sơ bị trả lại"."""
    return _note_says(text, _NR_KEYS, _NR_PLAIN)


def note_says_not_local(text: str) -> bool:
    """A note such as "Không cư trú tại địa phương", "Hộ khẩu xã khác", "Ngoại tỉnh"."""
    return _note_says(text, _NL_KEYS, _NL_PLAIN)


_PHONE_JUNK = re.compile(r"[\s.\-()/]")
_MOBILE = re.compile(r"^0[35789]\d{8}$")
_LANDLINE = re.compile(r"^02\d{8,9}$")


def normalise_phone(text: str) -> str:
    digits = _PHONE_JUNK.sub("", vntext.clean(text))
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) in (11, 12):
        digits = "0" + digits[2:]
    return digits


def is_vietnamese_phone(text: str) -> bool:
    """A 10-digit mobile (03x, 05x, 07x, 08x, 09x) or a landline with its area code (02x...)."""
    digits = normalise_phone(text)
    return bool(_MOBILE.match(digits) or _LANDLINE.match(digits))
