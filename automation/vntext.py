"""Vietnamese text normalisation for matching: NFC/NFD, tone placement, diacritics, case.

"Lũng Hoà" (old tone placement) and "Lũng Hòa" (new), typed in NFC or NFD, in any case, all give the
same :func:`key`.  :func:`ascii_key` drops every diacritic (file names such as ``Tam_Phuc``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TONE_MARKS = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_WORD = re.compile(r"\w+", re.UNICODE)
_SPACES = re.compile(r"\s+")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, non-breaking spaces and runs of white space folded to one space, trimmed."""
    return _SPACES.sub(" ", nfc(text).replace("\u00a0", " ")).strip()


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.lower())
    tones = "".join(ch for ch in decomposed if ch in TONE_MARKS)
    base = "".join(ch for ch in decomposed if ch not in TONE_MARKS)
    # the tone goes to the end of the syllable: placement on "oà" vs "òa" no longer matters
    return unicodedata.normalize("NFC", base) + tones


def words(text: str) -> list[str]:
    return _WORD.findall(nfc(text).replace("_", " "))


@lru_cache(maxsize=65536)
def key(text: str) -> str:
    """A matching key tolerant of NFC/NFD, tone placement, case and spacing."""
    return " ".join(_word_key(w) for w in words(text))


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    out = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return out.replace("đ", "d").replace("Đ", "D")


@lru_cache(maxsize=65536)
def ascii_key(text: str) -> str:
    """Key with every diacritic removed: ``Tam_Phuc`` and ``Tam Phúc`` agree."""
    return " ".join(strip_diacritics(w).lower() for w in words(text))


def is_ascii(text: str) -> bool:
    return all(ord(ch) < 128 for ch in text)


def contains_words(haystack: str, needle: str) -> list[int]:
    """Word offsets where the word sequence ``needle`` occurs in ``haystack`` (both already keys)."""
    hay, nee = haystack.split(), needle.split()
    if not nee:
        return []
    n = len(nee)
    return [i for i in range(len(hay) - n + 1) if hay[i:i + n] == nee]


_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_ORDER = {ch: i for i, ch in enumerate(_ALPHABET)}
_TONE_ORDER = {"": 0, "\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # ngang huyền hỏi ngã sắc nặng


def collation_key(text: str) -> tuple:
    """Vietnamese dictionary order: a ă â b c d đ e ê …, then tones ngang, huyền, hỏi, ngã, sắc, nặng.

    ``sorted(names, key=collation_key)`` puts "Đại Đồng" after "Dương" and "Ân" after "Ăn".
    """
    primary: list[int] = []
    secondary: list[int] = []
    for word in words(text):
        decomposed = unicodedata.normalize("NFD", word.lower())
        tone = next((ch for ch in decomposed if ch in TONE_MARKS), "")
        base = unicodedata.normalize("NFC", "".join(ch for ch in decomposed if ch not in TONE_MARKS))
        primary.extend(_ORDER.get(ch, 100 + ord(ch)) for ch in base)
        primary.append(-1)  # word boundary sorts first: "An" before "An Tường"
        secondary.append(_TONE_ORDER[tone])
    return tuple(primary), tuple(secondary)


# --- numbers shown to readers ---------------------------------------------------------------------

DECIMALS = 2  # the default of ``[documents] decimals``


def number(value, decimals: int = DECIMALS) -> str:
    """A score or an index as every output writes it: a decimal comma and always ``decimals`` decimals
    ("87,60", "1,50", "-2,00"), half up; text typed instead of a number is shown as typed, None is empty."""
    from decimal import ROUND_HALF_UP, Decimal  # noqa: PLC0415

    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (Decimal, int, float)):
        return str(value)
    d = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    text = f"{d.quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP):f}"
    if text.startswith("-") and not text.strip("-0."):  # -0,00 is 0,00
        text = text[1:]
    return text.replace(".", ",")


def number_format(decimals: int = DECIMALS) -> str:
    """The spreadsheet number format of the same style: "0.00" (Excel shows it with the reader's comma)."""
    return "0." + "0" * decimals if decimals else "0"
