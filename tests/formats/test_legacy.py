"""Tests for automation.formats.legacy: TCVN3 / VNI-Windows detection and decoding to Unicode NFC."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import pytest

from automation.formats.legacy import (
    TCVN3,
    TCVN3_TABLE,
    VNI,
    VNI_TABLE,
    decode,
    decode_tcvn3,
    decode_vni,
    detect,
    encoding_of_font,
    guess_encoding,
    is_upper_font,
    vietnamese_score,
)

SHARED_CSV = Path("/work/shared/samples/real/data/tcvn3_map.csv")
TONES = ("", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323")

# Every tone, ă â đ ê ô ơ ư, upper and lower case.
PARAGRAPH = (
    "Ủy ban nhân dân xã Tam Phúc, huyện Vĩnh Tường, tỉnh Vĩnh Phúc báo cáo kết quả thực hiện "
    "Chỉ số cải cách hành chính năm 2021. Đồng chí Nguyễn Văn Thắng, Chủ tịch ỦY BAN, đã ký. "
    "Người dân ở Mường Khương, Bảo Thắng, Bát Xát được hỏi ý kiến về sự hài lòng; ĐẠT ĐIỂM TỐI ĐA. "
    "Quyết định số 144/QĐ-UBND: những lỗi nhỏ, bữa trưa, khuỷu tay, thuở ấy, ngoằn ngoèo, "
    "Ếch ộp, Ỷ lại, ỹ, Ỵ, ỵ, Ỳ, ỳ, Ý, ý, Ừ, ừ, Ữ, Ợ, Ở, Ỡ, Ờ, Ớ, Ẫm, Ẵm, Ẳng, Ặc."
)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# Inverse tables, so test strings are built from Unicode rather than typed as Latin-1 guesses.
TCVN3_ENCODE = {u: chr(b) for b, u in TCVN3_TABLE.items()}
VNI_ENCODE = {u: seq.decode("latin-1") for u, seq in VNI_TABLE.items()}


def to_tcvn3(text: str) -> str:
    """Encode Unicode as TCVN3 text (chr(byte) per byte); upper-case toned letters are not representable."""
    out = []
    for ch in nfc(text):
        if ch.isascii():
            out.append(ch)
        elif ch in TCVN3_ENCODE:
            out.append(TCVN3_ENCODE[ch])
        else:
            raise ValueError(f"{ch!r} has no TCVN3 byte")
    return "".join(out)


def to_vni(text: str) -> str:
    return "".join(VNI_ENCODE.get(ch, ch) for ch in nfc(text))


def all_vietnamese_letters() -> set[str]:
    """The 134 non-ASCII Vietnamese letters, built from base letters and tones."""
    letters = {"đ", "Đ"}
    for base in "aăâeêioôơuưy":
        for tone in TONES:
            ch = nfc(unicodedata.normalize("NFD", base) + tone)
            if not ch.isascii():
                letters |= {ch, ch.upper()}
    return letters


# --- Tables -----------------------------------------------------------------------------------------------------
def test_tables_cover_the_alphabet() -> None:
    letters = all_vietnamese_letters()
    assert len(letters) == 134
    assert set(VNI_TABLE) == letters
    lower = {ch for ch in letters if ch.islower()}
    assert set(TCVN3_TABLE.values()) == lower | set("ĂÂÊÔƠƯĐ")
    assert len(TCVN3_TABLE) == 74
    assert all(0xA1 <= b <= 0xFE for b in TCVN3_TABLE)
    assert len(set(VNI_TABLE.values())) == len(VNI_TABLE)


@pytest.mark.parametrize("byte", sorted(TCVN3_TABLE))
def test_tcvn3_table_round_trip(byte: int) -> None:
    assert decode_tcvn3(chr(byte)) == TCVN3_TABLE[byte]
    assert decode_tcvn3(to_tcvn3(TCVN3_TABLE[byte])) == TCVN3_TABLE[byte]


@pytest.mark.parametrize("letter", list(VNI_TABLE))
def test_vni_table_round_trip(letter: str) -> None:
    seq = VNI_TABLE[letter].decode("latin-1")
    assert decode_vni(seq) == letter
    assert decode_vni("x" + seq + "y") == "x" + letter + "y"


def test_vni_marks_are_consistent() -> None:
    """Independent check of Appendix B: one mark byte per (quality, tone); upper marks are lower marks - 0x20."""
    marks: dict[tuple[str, bool], set[int]] = {}
    for letter, seq in VNI_TABLE.items():
        if len(seq) == 1:
            continue
        nfd = unicodedata.normalize("NFD", letter)
        horn = "\u031b" in nfd
        base = {"O": 0xD4, "o": 0xF4, "U": 0xD6, "u": 0xF6}[nfd[0]] if horn else ord(nfd[0])
        assert seq[0] == base, letter
        key = ("".join(c for c in nfd[1:] if c != "\u031b"), letter.isupper())
        marks.setdefault(key, set()).add(seq[1])
    assert all(len(v) == 1 for v in marks.values())
    for (diacritics, upper), values in marks.items():
        if upper:
            assert {b + 0x20 for b in values} == marks[(diacritics, False)]


def test_tcvn3_table_matches_shared_csv() -> None:
    if not SHARED_CSV.exists():
        pytest.skip("shared samples not available")
    with SHARED_CSV.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows and set(rows[0]) == {"TCVN3", "UNICODE"}
    from_csv = {r["TCVN3"]: r["UNICODE"] for r in rows}
    assert len(from_csv) == len(rows) == 74
    assert from_csv == {chr(b): u for b, u in TCVN3_TABLE.items()}


# --- Decoding ---------------------------------------------------------------------------------------------------
def test_documented_examples() -> None:
    assert decode_tcvn3("B¶o Th¾ng") == "Bảo Thắng"
    assert decode_tcvn3("B¸t X¸t") == "Bát Xát"
    assert decode_vni("Xin chaøo caùc baïn") == "Xin chào các bạn"
    assert decode("VI\u00d6T NAM", TCVN3, ".VnTimeH") == "VIỆT NAM"
    assert decode("VI\u00d6T NAM", TCVN3, ".VnTime") == "VIệT NAM"


def test_soft_hyphen_is_tcvn3_u_horn() -> None:
    legacy_text = to_tcvn3("Mường Khương")
    assert legacy_text == "M\u00ad\u00eang Kh\u00ad\u00acng"
    assert decode_tcvn3(legacy_text) == "Mường Khương"
    # with the soft hyphens lost (as in the public sample) the ư is gone: the reason never to strip them
    assert decode_tcvn3("M\u00eang Kh\u00acng") == "Mờng Khơng"


def test_vni_horned_letters_decode_greedily() -> None:
    assert VNI_TABLE["ớ"] == b"\xf4\xf9"
    assert decode_vni("\u00f4\u00f9") == "ớ"
    assert decode_vni(to_vni("Thưởng, Ơn, ƯU, trường, Đức, đến")) == "Thưởng, Ơn, ƯU, trường, Đức, đến"


def test_tcvn3_round_trip_paragraph() -> None:
    lower = PARAGRAPH.lower()
    assert decode_tcvn3(to_tcvn3(lower)) == lower
    assert decode(to_tcvn3(lower), TCVN3, ".VnTimeH") == PARAGRAPH.upper()
    # capitals TCVN3 can write directly (ASCII and Ă Â Ê Ô Ơ Ư Đ) survive in a normal font
    mixed = "Đồng Ý, Ông Ơn, Ăn Ưng, Âm Êm, Nguyễn Văn An"
    mixed = "".join(ch if ch in TCVN3_ENCODE or ch.isascii() else ch.lower() for ch in mixed)
    assert decode_tcvn3(to_tcvn3(mixed)) == mixed


def test_vni_round_trip_paragraph() -> None:
    assert decode_vni(to_vni(PARAGRAPH)) == PARAGRAPH
    assert decode_vni(to_vni(PARAGRAPH.upper())) == PARAGRAPH.upper()


def test_plain_ascii_unchanged() -> None:
    text = "Plain ASCII, 123 - (a+b)/c; STT 1.2"
    assert decode_tcvn3(text) == text
    assert decode_vni(text) == text
    assert decode(text, TCVN3, ".VnTimeH") == text.upper()


def test_cp1252_bytes_accepted_in_both_forms() -> None:
    # 0x85 arrives as U+0085 (chr(b)) or as "…" (cp1252); both give "…"
    assert decode_tcvn3("B\u00b8t\u0085") == "Bát…"
    assert decode_tcvn3("B\u00b8t…") == "Bát…"
    assert decode_vni("chaøo\u0096ban") == "chào–ban"
    assert decode_vni("chaøo–ban") == "chào–ban"


def test_output_is_nfc() -> None:
    for out in (decode_tcvn3(to_tcvn3(PARAGRAPH.lower())), decode_vni(to_vni(PARAGRAPH)),
                decode_vni("Vie\u0302\u0323t"), decode_tcvn3("Vie\u0302\u0323t")):
        assert out == nfc(out)


def test_decode_rejects_unknown_encoding() -> None:
    with pytest.raises(ValueError):
        decode("abc", "VISCII")


# --- Fonts ------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("font", "expected"),
    [(".VnTime", TCVN3), (".VnTimeH", TCVN3), (" .vnarial ", TCVN3), (".VnArial NarrowH", TCVN3),
     ("VnTime", TCVN3), ("VNI-Times", VNI), ("VNI Helve", VNI), ("vni-helve-condense", VNI),
     ("Times New Roman", None), ("Arial", None), ("", None), (None, None), ("Calibri Light", None)],
)
def test_encoding_of_font(font: str | None, expected: str | None) -> None:
    assert encoding_of_font(font) == expected


@pytest.mark.parametrize(
    ("font", "expected"),
    [(".VnTimeH", True), (".VnArialH", True), (".VnBlackH", True), (" .VNTIMEH ", True), ("VnTimeH", True),
     (".VnTime", False), (".VnArial", False), ("VNI-Times", False), ("Times New Roman", False), (None, False)],
)
def test_is_upper_font(font: str | None, expected: bool) -> None:
    assert is_upper_font(font) is expected


# --- Scoring and detection --------------------------------------------------------------------------------------
def test_vietnamese_score() -> None:
    assert vietnamese_score("Nguyễn Văn Thắng, xã Tam Phúc, huyện Vĩnh Tường") == 1.0
    assert vietnamese_score(PARAGRAPH) == 1.0
    assert vietnamese_score("The quick brown fox jumps over the lazy dog") == 1.0
    assert vietnamese_score("123 - 456 ©") == 1.0
    assert vietnamese_score("HĐND, UBND, QĐ-UBND") == 1.0
    assert vietnamese_score(to_tcvn3(PARAGRAPH.lower())) < 0.6
    assert vietnamese_score(to_vni(PARAGRAPH)) < 0.6
    assert vietnamese_score("NguyÔn") == 0.0  # mixed case: TCVN3 read as Latin-1
    assert vietnamese_score("Xaõ") == 0.0  # tone on the glide of "ao": VNI read as Latin-1
    assert vietnamese_score("Crème brûlée") == 0.0


@pytest.mark.parametrize(
    "unicode_text",
    ["Bảo Thắng", "Bát Xát", "Xin chào các bạn", "Nguyễn Thanh Hà học ở trường Mường Khương",
     PARAGRAPH, PARAGRAPH.lower()],
)
def test_guess_encoding_legacy(unicode_text: str) -> None:
    assert guess_encoding(to_tcvn3(unicode_text.lower())) == TCVN3
    assert guess_encoding(to_vni(unicode_text)) == VNI


@pytest.mark.parametrize(
    "text",
    ["Nguyễn Văn Thắng, xã Tam Phúc, huyện Vĩnh Tường", PARAGRAPH, "Cà phê Hà Lan, Bà Rá, Tam Phúc",
     "The quick brown fox jumps over the lazy dog.", "Müller, Crème brûlée",
     "Le café est très chaud, voilà où il est né ; où est-il ?",
     "Grüße aus München, schöne Straße, Bär, Öl, Tür, über", "Señor Muñoz, ¿dónde está?",
     "A-B", "©2021", "", "1.234,5 %", "nguyen van thang"],
)
def test_guess_encoding_none(text: str) -> None:
    assert guess_encoding(text) is None


def test_guess_prefers_the_encoding_that_explains_the_text() -> None:
    # "Chôm chôm" in VNI also reads as TCVN3 "Choõm" (a nucleus "oo"); VNI must win
    assert guess_encoding(to_vni("1\tChôm chôm")) == VNI
    assert guess_encoding(to_vni("Xã An Bình, huyện Dĩ An")) == VNI


def test_guess_needs_two_suspicious_characters() -> None:
    assert guess_encoding(to_tcvn3("hà")) is None
    assert guess_encoding(to_tcvn3("hà nội")) == TCVN3


def test_detect() -> None:
    assert detect(to_tcvn3("Bảo Thắng"), ".VnTime") == TCVN3
    assert detect("Ho va ten", ".VnTimeH") == TCVN3  # a legacy font with letters counts as legacy
    assert detect(to_tcvn3("hà"), "VnTime") == TCVN3  # too short to guess, but the font says so
    assert detect(to_vni("Xin chào"), "VNI-Times") == VNI
    assert detect("12/2021 - 3.5", ".VnTime") is None  # digits and punctuation only
    assert detect("Nguyễn Văn Thắng", ".VnTime") is None  # already Unicode despite the font
    assert detect(to_tcvn3("mường khương"), "Times New Roman") == TCVN3  # from the characters
    assert detect(to_vni("Xin chào các bạn"), None) == VNI
    assert detect("Nguyễn Văn Thắng", "Times New Roman") is None
    assert detect("Müller, Crème brûlée", "Arial") is None


def test_real_excel_list_in_vntime() -> None:
    """A real .xlsx (viet-converter sample): names in "VnTime" (TCVN3) among Unicode headers."""
    path = Path("/work/shared/samples/real/vn/minkha-input_tcvn3.xlsx")
    if not path.exists():
        pytest.skip("shared samples not available")
    openpyxl = pytest.importorskip("openpyxl")
    legacy_cells = 0
    for sheet in openpyxl.load_workbook(path, read_only=False):
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str):
                    continue
                encoding = detect(cell.value, cell.font.name)
                if cell.font.name == "VnTime":
                    legacy_cells += 1
                    assert encoding == TCVN3
                    assert vietnamese_score(decode(cell.value, TCVN3, cell.font.name)) == 1.0
                else:
                    assert encoding is None, cell.value
    assert legacy_cells > 100
    assert decode_tcvn3("NguyÔn Thanh Hµ") == "Nguyễn Thanh Hà"
