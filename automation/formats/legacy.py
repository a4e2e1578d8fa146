"""Legacy Vietnamese encodings (TCVN3/ABC and VNI-Windows) found in Word and Excel files, decoded to Unicode NFC.

Text typed in a TCVN3 font (``.VnTime``, ``.VnArial``, ``.VnTimeH`` ...) or a VNI font (``VNI-Times``,
``VNI-Helve`` ...) is stored by Word and Excel as one character per legacy byte: byte ``b`` appears as ``chr(b)``,
or, for bytes 0x80-0x9F, as the cp1252 character for ``b``.  Both forms are accepted here.

* TCVN3: one byte per letter (table :data:`TCVN3_TABLE`, domain.md Appendix A).  It has no bytes for upper-case
  toned letters: upper-case text is typed with lower-case bytes in a font whose name ends in ``H``, so the font
  decides the case (:func:`is_upper_font`).  ``ư`` is 0xAD, the soft hyphen: never strip it before decoding.
* VNI-Windows: a base letter followed by a mark byte, a few letters as single bytes (table :data:`VNI_TABLE`,
  domain.md Appendix B), decoded greedily, longest match first.

:func:`detect` decides from the font name first and from the characters second (:func:`guess_encoding`, which
compares :func:`vietnamese_score` before and after decoding).  A legacy font name alone is not enough: correct
Unicode Vietnamese typed in a ``.VnTime`` font is a font problem, not a legacy encoding, so the font's encoding
counts only when the text does not show it is Unicode (:func:`font_evidence`); runs that read as Vietnamese
both ways follow the rest of their document (:class:`DocumentEncodings`).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

TCVN3 = "TCVN3"
VNI = "VNI"

# --- Tables -----------------------------------------------------------------------------------------------------
# Written from /work/shared/docs/domain.md, Appendix A (TCVN3 byte -> Unicode, after UniKey's ukengine/data.cpp).
# 74 letter positions: the 7 upper-case letters Ă Â Ê Ô Ơ Ư Đ and the 67 lower-case non-ASCII letters.
TCVN3_TABLE: dict[int, str] = {
    0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô", 0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xA8: "ă",
    0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ", 0xAD: "ư", 0xAE: "đ", 0xB5: "à", 0xB6: "ả",
    0xB7: "ã", 0xB8: "á", 0xB9: "ạ", 0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xC6: "ặ",
    0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ", 0xCA: "ấ", 0xCB: "ậ", 0xCC: "è", 0xCE: "ẻ", 0xCF: "ẽ",
    0xD0: "é", 0xD1: "ẹ", 0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ", 0xD7: "ì",
    0xD8: "ỉ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE1: "ỏ", 0xE2: "õ", 0xE3: "ó",
    0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ", 0xEA: "ờ", 0xEB: "ở",
    0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ", 0xEF: "ù", 0xF1: "ủ", 0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ",
    0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự", 0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ",
    0xFD: "ý", 0xFE: "ỵ",
}

# Written from domain.md, Appendix B (Unicode -> VNI-Windows bytes, after UniKey's "VNI-WIN" table): all 134
# non-ASCII Vietnamese letters, upper and lower case.  Each is a base letter + a mark byte, or a single byte.
VNI_TABLE: dict[str, bytes] = {
    "À": b"A\xd8", "Á": b"A\xd9", "Â": b"A\xc2", "Ã": b"A\xd5", "È": b"E\xd8", "É": b"E\xd9",
    "Ê": b"E\xc2", "Ì": b"\xcc", "Í": b"\xcd", "Ò": b"O\xd8", "Ó": b"O\xd9", "Ô": b"O\xc2",
    "Õ": b"O\xd5", "Ù": b"U\xd8", "Ú": b"U\xd9", "Ý": b"Y\xd9", "à": b"a\xf8", "á": b"a\xf9",
    "â": b"a\xe2", "ã": b"a\xf5", "è": b"e\xf8", "é": b"e\xf9", "ê": b"e\xe2", "ì": b"\xec",
    "í": b"\xed", "ò": b"o\xf8", "ó": b"o\xf9", "ô": b"o\xe2", "õ": b"o\xf5", "ù": b"u\xf8",
    "ú": b"u\xf9", "ý": b"y\xf9", "Ă": b"A\xca", "ă": b"a\xea", "Đ": b"\xd1", "đ": b"\xf1",
    "Ĩ": b"\xd3", "ĩ": b"\xf3", "Ũ": b"U\xd5", "ũ": b"u\xf5", "Ơ": b"\xd4", "ơ": b"\xf4",
    "Ư": b"\xd6", "ư": b"\xf6", "Ạ": b"A\xcf", "ạ": b"a\xef", "Ả": b"A\xdb", "ả": b"a\xfb",
    "Ấ": b"A\xc1", "ấ": b"a\xe1", "Ầ": b"A\xc0", "ầ": b"a\xe0", "Ẩ": b"A\xc5", "ẩ": b"a\xe5",
    "Ẫ": b"A\xc3", "ẫ": b"a\xe3", "Ậ": b"A\xc4", "ậ": b"a\xe4", "Ắ": b"A\xc9", "ắ": b"a\xe9",
    "Ằ": b"A\xc8", "ằ": b"a\xe8", "Ẳ": b"A\xda", "ẳ": b"a\xfa", "Ẵ": b"A\xdc", "ẵ": b"a\xfc",
    "Ặ": b"A\xcb", "ặ": b"a\xeb", "Ẹ": b"E\xcf", "ẹ": b"e\xef", "Ẻ": b"E\xdb", "ẻ": b"e\xfb",
    "Ẽ": b"E\xd5", "ẽ": b"e\xf5", "Ế": b"E\xc1", "ế": b"e\xe1", "Ề": b"E\xc0", "ề": b"e\xe0",
    "Ể": b"E\xc5", "ể": b"e\xe5", "Ễ": b"E\xc3", "ễ": b"e\xe3", "Ệ": b"E\xc4", "ệ": b"e\xe4",
    "Ỉ": b"\xc6", "ỉ": b"\xe6", "Ị": b"\xd2", "ị": b"\xf2", "Ọ": b"O\xcf", "ọ": b"o\xef",
    "Ỏ": b"O\xdb", "ỏ": b"o\xfb", "Ố": b"O\xc1", "ố": b"o\xe1", "Ồ": b"O\xc0", "ồ": b"o\xe0",
    "Ổ": b"O\xc5", "ổ": b"o\xe5", "Ỗ": b"O\xc3", "ỗ": b"o\xe3", "Ộ": b"O\xc4", "ộ": b"o\xe4",
    "Ớ": b"\xd4\xd9", "ớ": b"\xf4\xf9", "Ờ": b"\xd4\xd8", "ờ": b"\xf4\xf8", "Ở": b"\xd4\xdb", "ở": b"\xf4\xfb",
    "Ỡ": b"\xd4\xd5", "ỡ": b"\xf4\xf5", "Ợ": b"\xd4\xcf", "ợ": b"\xf4\xef", "Ụ": b"U\xcf", "ụ": b"u\xef",
    "Ủ": b"U\xdb", "ủ": b"u\xfb", "Ứ": b"\xd6\xd9", "ứ": b"\xf6\xf9", "Ừ": b"\xd6\xd8", "ừ": b"\xf6\xf8",
    "Ử": b"\xd6\xdb", "ử": b"\xf6\xfb", "Ữ": b"\xd6\xd5", "ữ": b"\xf6\xf5", "Ự": b"\xd6\xcf", "ự": b"\xf6\xef",
    "Ỳ": b"Y\xd8", "ỳ": b"y\xf8", "Ỵ": b"\xce", "ỵ": b"\xee", "Ỷ": b"Y\xdb", "ỷ": b"y\xfb",
    "Ỹ": b"Y\xd5", "ỹ": b"y\xf5",
}

# --- Legacy bytes as they appear in text ------------------------------------------------------------------------
# Word shows legacy bytes 0x80-0x9F through cp1252 ("…" for 0x85); accept the cp1252 character as that byte.
_CP1252_BYTE: dict[str, int] = {}
for _b in range(0x80, 0xA0):
    try:
        _CP1252_BYTE[bytes([_b]).decode("cp1252")] = _b
    except UnicodeDecodeError:  # 0x81, 0x8D, 0x8F, 0x90, 0x9D are undefined in cp1252
        pass

_TCVN3_DECODE: dict[str, str] = {chr(b): u for b, u in TCVN3_TABLE.items()}
_VNI_DECODE: dict[str, str] = {seq.decode("latin-1"): u for u, seq in VNI_TABLE.items()}
# Shift held for the base letter only: an upper-case base with the lower-case mark byte ("Uû" shows as "Ủ")
for _u, _seq in VNI_TABLE.items():
    if len(_seq) == 2 and _u.isupper() and 0xC0 <= _seq[1] <= 0xDF:
        _VNI_DECODE.setdefault(bytes([_seq[0], _seq[1] + 0x20]).decode("latin-1"), _u)
# Letters that exist only in Unicode Vietnamese, never in legacy text (which is Latin-1/cp1252 characters).
_UNICODE_VIETNAMESE = re.compile("[ĂăĐđĨĩŨũƠơƯư\u1ea0-\u1ef9\u0300-\u036f]")


def _byte_char(ch: str) -> str | None:
    """The legacy byte that ``ch`` stands for, as ``chr(byte)``; None when ``ch`` cannot be a legacy byte."""
    if ord(ch) < 0x100:
        return ch
    b = _CP1252_BYTE.get(ch)
    return None if b is None else chr(b)


def _plain(ch: str) -> str:
    """A character left unchanged by decoding; C1 controls 0x80-0x9F become their cp1252 character."""
    if "\x80" <= ch <= "\x9f":
        try:
            return ch.encode("latin-1").decode("cp1252")
        except UnicodeDecodeError:
            return ch
    return ch


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- Fonts ------------------------------------------------------------------------------------------------------
_VNI_FONT = re.compile(r"vni(?![a-z0-9])")  # "VNI-Times", "VNI Helve", "VNI_Univer"
_TCVN3_FONT = re.compile(r"\.vn|vn(?!i)[a-z]")  # ".VnTime", ".VnArialH"; real files also hold "VnTime" without the dot


def encoding_of_font(font_name: str | None) -> str | None:
    """The legacy encoding a font name implies: TCVN3 for ``.Vn*`` fonts, VNI for ``VNI-*`` fonts, else None."""
    name = (font_name or "").strip().lower()
    if _VNI_FONT.match(name):
        return VNI
    if _TCVN3_FONT.match(name):
        return TCVN3
    return None


def is_upper_font(font_name: str | None) -> bool:
    """True for the upper-case TCVN3 fonts, whose names end in "H" (``.VnTimeH``, ``.VnArialH``, ``.VnBlackH``)."""
    return encoding_of_font(font_name) == TCVN3 and (font_name or "").strip().lower().endswith("h")


# --- Decoding ---------------------------------------------------------------------------------------------------
def _upper(text: str) -> str:
    """Upper-case character by character (no length changes such as "ß" -> "SS")."""
    return "".join(u if len(u := ch.upper()) == 1 else ch for ch in text)


def decode_tcvn3(text: str, upper: bool = False) -> str:
    """Decode TCVN3 text (one character per byte) to Unicode NFC; ``upper`` for ``.Vn...H`` fonts.

    ASCII and characters that are not TCVN3 letters are kept (C1 controls become their cp1252 character).
    """
    out = []
    for ch in text:
        bc = _byte_char(ch)
        out.append(_TCVN3_DECODE.get(bc, _plain(ch)) if bc is not None else ch)
    decoded = "".join(out)
    return _nfc(_upper(decoded) if upper else decoded)


def _vni_scan(text: str) -> tuple[str, int]:
    """Greedy VNI decoding (pairs before single bytes): the decoded text (not yet NFC) and how many letters changed."""
    chars = [_byte_char(ch) for ch in text]
    out = []
    changes = i = 0
    while i < len(text):
        pair = chars[i] + chars[i + 1] if i + 1 < len(text) and chars[i] and chars[i + 1] else None
        if pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            changes, i = changes + 1, i + 2
        elif chars[i] in _VNI_DECODE:  # a single-byte letter: Đ đ Ơ ơ Ư ư Ì ì ...
            out.append(_VNI_DECODE[chars[i]])
            changes, i = changes + 1, i + 1
        else:
            out.append(_plain(text[i]))
            i += 1
    return "".join(out), changes


def decode_vni(text: str) -> str:
    """Decode VNI-Windows text to Unicode NFC: base letter + mark byte pairs first, then single bytes.

    ASCII and characters that are not VNI letters are kept (C1 controls become their cp1252 character).
    """
    return _nfc(_vni_scan(text)[0])


def decode(text: str, encoding: str, font_name: str | None = None) -> str:
    """Decode ``text`` from ``encoding`` (TCVN3 or VNI); for TCVN3 the font name decides upper case."""
    if encoding == TCVN3:
        return decode_tcvn3(text, upper=is_upper_font(font_name))
    if encoding == VNI:
        return decode_vni(text)
    raise ValueError(f"unknown legacy encoding: {encoding!r}")


# --- Vietnamese syllables ---------------------------------------------------------------------------------------
_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền, sắc, ngã, hỏi, nặng
_STOP_TONES = {"\u0301", "\u0323"}  # the only tones a syllable ending in c, ch, p, t can carry
_ALPHABET = set("abcdđeghiklmnopqrstuvxyăâêôơư")
_INITIALS = ("ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph", "th", "tr", "qu",
             "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "")
_FINALS = ("ch", "ng", "nh", "c", "m", "n", "p", "t", "")
_STOP_FINALS = {"c", "ch", "p", "t"}
_ACRONYM_LETTERS = set("ABCDEFGHIJKLMNOPQRSTUVWXYZĐ")  # HĐND, QĐ, ĐT
# Vowel nuclei: open ones end in a glide (i/y/o/u) and take no final consonant; closed ones need one.
_OPEN = set("ai ao au ay âu ây eo êu ia iu oi ôi ơi ua ui ưa ưi ưu iêu yêu oai oay oao oeo uây uôi ươi ươu "
            "uya uyu".split())
_CLOSED = set("ă â iê yê oă uâ uô ươ uyê".split())  # "oo" (xoong) left out: it made TCVN3 "choõm" valid
_EITHER = set("a e ê i o ô ơ u ư y oa oe uê uy uơ".split())
# Separators between words: white space, digits, ASCII punctuation and general punctuation (dashes, quotes, …).
# Latin-1 symbols (¸ µ ¶ « ...) are NOT separators: they are letters in TCVN3 and make a word invalid.
_SEPARATORS = re.compile(r"[\s\d!-/:-@\[-`{-~\u2010-\u205e]+")


def _tone_ok(nucleus: str, final: str, position: int) -> bool:
    """Whether a tone on letter ``position`` of ``nucleus`` is a possible spelling (old and new styles allowed)."""
    if len(nucleus) == 1:
        return position == 0
    if nucleus in _CLOSED:  # tiến, hoặc, tuần, muốn, được, chuyến
        return position == len(nucleus) - 1
    if nucleus in _OPEN:  # mái, mía, múa; khoái, yếu, người
        return position == (0 if len(nucleus) == 2 else 1)
    return position == 1 or (position == 0 and not final)  # hoàn; hoà or hòa, thuý or thúy


def _is_syllable(word: str) -> bool:
    """True if the lower-case ``word`` is a well-formed Vietnamese syllable (structure, one tone, tone placement)."""
    tones: list[tuple[str, int]] = []  # (tone mark, index of the letter carrying it)
    letters = []
    for ch in unicodedata.normalize("NFD", word):
        if ch in _TONES:
            tones.append((ch, len(_nfc("".join(letters))) - 1))
        else:
            letters.append(ch)
    base = _nfc("".join(letters))
    if len(tones) > 1 or not base or not set(base) <= _ALPHABET:
        return False
    for initial in _INITIALS:
        if not base.startswith(initial):
            continue
        for final in _FINALS:
            nucleus = base[len(initial):len(base) - len(final)]
            if not base.endswith(final) or not nucleus:
                continue
            if final in _STOP_FINALS and not (tones and tones[0][0] in _STOP_TONES):
                continue
            position = tones[0][1] - len(initial) if tones else 0
            if tones and not (_tone_ok(nucleus, final, position) or (initial == "qu" and position == -1)):
                continue  # "qủa", "qúy": a common old spelling puts the tone on the u of qu
            if nucleus in _EITHER or (nucleus in _OPEN and not final) or (nucleus in _CLOSED and final):
                return True
    return False


def _is_valid_word(word: str, ignore_case: bool = False) -> bool:
    """A plain ASCII word, an upper-case acronym such as "HĐND", or a correctly cased Vietnamese syllable."""
    if word.isascii() or set(word) <= _ACRONYM_LETTERS:
        return True
    lower = word.lower()
    cased = word == lower or word == word.upper() or (word[0].isupper() and word[1:] == lower[1:])
    return (cased or ignore_case) and _is_syllable(lower)


def _words(text: str) -> list[str]:
    """The tokens of ``text`` that hold at least one letter."""
    return [w for w in _SEPARATORS.split(_nfc(text)) if any(ch.isalpha() for ch in w)]


def vietnamese_score(text: str) -> float:
    """Fraction (0..1) of words that are plain ASCII or well-formed Vietnamese syllables; 1.0 without words."""
    words = _words(text)
    if not words:
        return 1.0
    return sum(_is_valid_word(w) for w in words) / len(words)


# --- Detection --------------------------------------------------------------------------------------------------
def _accented_score(text: str, ignore_case: bool = False) -> float:
    """Valid fraction of the words that hold a non-ASCII character (the only words decoding can change)."""
    words = [w for w in _words(text) if not w.isascii()]
    return sum(_is_valid_word(w, ignore_case) for w in words) / len(words) if words else 1.0


def _changes(text: str, encoding: str) -> int:
    """How many legacy letters decoding ``text`` from ``encoding`` would replace."""
    if encoding == TCVN3:
        return sum(_byte_char(ch) in _TCVN3_DECODE for ch in text)
    return _vni_scan(text)[1]


@lru_cache(maxsize=65536)
def guess_encoding(text: str) -> str | None:
    """TCVN3 or VNI when the characters alone show legacy text, else None.

    A guess needs no letter that only Unicode Vietnamese has, at least 2 letters the encoding would replace, and
    a clear gain on the words with non-ASCII characters: their valid fraction (see :func:`vietnamese_score`) must
    rise by at least 0.4, to at least 0.7.  The larger gain wins, then the larger number of changes.
    """
    if _UNICODE_VIETNAMESE.search(_nfc(text)):
        return None
    before = _accented_score(text)
    best: str | None = None
    best_key = (0.0, 0)
    for encoding in (TCVN3, VNI):
        changes = _changes(text, encoding)
        if changes < 2:
            continue
        # TCVN3 cannot write upper-case toned letters, so the case of its decoded letters proves nothing
        decoded = decode_tcvn3(text) if encoding == TCVN3 else decode_vni(text)
        after = _accented_score(decoded, ignore_case=encoding == TCVN3)
        key = (after - before, changes)  # on equal gains, the encoding that explains more characters
        if after >= 0.7 and key[0] >= 0.4 and key > best_key:
            best, best_key = encoding, key
    return best


# what a run in a legacy font says about its encoding
LEGACY, UNICODE, AMBIGUOUS = 1, -1, 0


@lru_cache(maxsize=65536)
def font_evidence(text: str, font_name: str | None) -> tuple[str | None, int | None]:
    """The encoding a legacy font name implies, and what the run's text says of it:

    * ``LEGACY``: decoding changes the text and leaves its words at least as Vietnamese as they were, while
      they were not all Vietnamese before ("NguyÔn" -> "Nguyễn"; "Ho va ten" in ``.VnTimeH`` -> "HO VA TEN");
    * ``UNICODE``: the text holds letters only Unicode has, or decoding breaks its words (correct Unicode
      Vietnamese typed in a ``.VnTime``/``VNI-Times`` font is a font problem, not a legacy encoding);
    * ``AMBIGUOUS``: the words are valid Vietnamese both ways ("Bùi Thu Mai" reads "Bựi Thu Mai" in TCVN3);
    * ``None``: decoding changes nothing (digits, ASCII words).

    ``(None, None)`` for a font that is not a legacy one.
    """
    encoding = encoding_of_font(font_name)
    if encoding is None:
        return None, None
    nfc = _nfc(text)
    if _UNICODE_VIETNAMESE.search(nfc):
        return encoding, UNICODE
    decoded = decode(text, encoding, font_name)
    if decoded == nfc:
        return encoding, None
    before = _accented_score(text)
    after = _accented_score(decoded, ignore_case=encoding == TCVN3)
    if after < before:
        return encoding, UNICODE
    if before == 1.0 and any(not w.isascii() for w in _words(text)):
        return encoding, AMBIGUOUS
    return encoding, LEGACY


def detect(text: str, font_name: str | None) -> str | None:
    """The legacy encoding of a run on its own: its font's unless the text shows it is Unicode (``LEGACY`` or
    ``AMBIGUOUS`` in :func:`font_evidence`), else a guess from the characters (:func:`guess_encoding`).
    Within a document, :class:`DocumentEncodings` settles the ambiguous runs by the document."""
    encoding, evidence = font_evidence(text, font_name)
    if encoding and evidence in (LEGACY, AMBIGUOUS):
        return encoding
    return guess_encoding(text)


class DocumentEncodings:
    """Legacy encodings judged over a whole document, as a careful reader does.

    A run whose words read as valid Vietnamese both as they are and decoded (``AMBIGUOUS``) follows its
    document: it is Unicode when, in this document, the runs in fonts of that encoding that are clearly
    Unicode outnumber those clearly legacy (a Unicode text typed in ``.VnTime``), legacy otherwise (the font
    decides).  ``runs`` are (text, font name) pairs.
    """

    def __init__(self, runs):
        votes: dict[str, int] = {}
        for text, font in runs:
            encoding, evidence = font_evidence(text, font)
            if encoding and evidence in (LEGACY, UNICODE):
                votes[encoding] = votes.get(encoding, 0) + evidence
        self.unicode = frozenset(enc for enc, v in votes.items() if v < 0)

    def detect(self, text: str, font_name: str | None) -> str | None:
        encoding, evidence = font_evidence(text, font_name)
        if encoding and (evidence == LEGACY or (evidence == AMBIGUOUS and encoding not in self.unicode)):
            return encoding
        return guess_encoding(text)
