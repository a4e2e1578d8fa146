"""Every header wording of issue 10, as clerks type it, maps to its column.

For each vocabulary entry of each column kind, a canonical 30-person list (python-docx) gets that header
written as in the issue, in UPPER CASE, without diacritics, with a line break inside the cell and in NFD;
``find_list`` must map it to its kind and keep every other column where it is.  Appointment columns
("Ngày hẹn trả", "Hạn giải quyết" …) are a kind of their own (``appointment``), placed before the actual
result column, which must stay ``received``; notes and status columns are ``note``.

Speed: python-docx writes one base list per layout with a placeholder header; each variant is that package
with the placeholder's text replaced (the same XML python-docx writes for the cell), so about 250 lists are
made in well under a second.
"""

from __future__ import annotations

import io
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import pytest

from automation.formats.word import read_docx
from automation.lists.extract import find_list
from automation.vntext import strip_diacritics
from tests.lists.corpus import make

# the vocabulary (and the office template's own names), per column kind
VOCABULARY: dict[str, tuple[str, ...]] = {
    "stt": ("STT", "TT", "Số TT", "Số thứ tự"),
    "name": ("Họ và tên", "Họ tên", "Tên người nộp", "Họ và tên người nộp hồ sơ", "Người nộp hồ sơ", "Chủ hồ sơ",
             "Người đứng tên", "Tên tổ chức/cá nhân", "Tổ chức, cá nhân", "Người giao dịch"),
    "address": ("Địa chỉ", "Địa chỉ thường trú", "Nơi cư trú", "Nơi ở", "Địa chỉ liên hệ", "Thôn/xóm"),
    "phone": ("Số điện thoại", "Điện thoại", "SĐT", "ĐT", "Số ĐT", "ĐT liên hệ"),
    "field": ("Lĩnh vực", "Lĩnh vực TTHC", "Lĩnh vực giải quyết"),
    "procedure": ("Tên thủ tục hành chính", "Tên TTHC", "Thủ tục hành chính", "Tên thủ tục", "Nội dung giao dịch",
                  "Tên hồ sơ", "Loại hồ sơ"),
    "submitted": ("Ngày nộp", "Ngày nộp hồ sơ", "Ngày tiếp nhận", "Ngày nhận hồ sơ"),
    "received": ("Ngày nhận kết quả", "Ngày trả kết quả", "Ngày nhận KQ", "Ngày trả KQ", "Ngày trả kết quả thực tế",
                 "Ngày hoàn thành"),
    "appointment": ("Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hẹn trả", "Hạn giải quyết", "Hạn trả"),
    # the issue treats a notes column and a status column alike ("a notes or status column that says …")
    "note": ("Ghi chú", "Trạng thái"),
}
PLACEHOLDER = "@@HEADER@@"
CANON_KINDS = [what for _, what in make.CANON]


@dataclass(frozen=True)
class Variant:
    kind: str
    entry: str  # the vocabulary entry
    text: str  # the header as typed; "\n" is a line break inside the cell
    how: str  # written | upper | no-diacritics | line-break | nfd
    id: str

    @property
    def layout(self) -> list[tuple[str, str]]:
        """The list's columns with this header in place, and where each kind must be found."""
        if self.kind == "appointment":  # between the submission date and the actual result date
            return make.CANON[:7] + [(PLACEHOLDER, "appointment"), make.CANON[7]]
        if self.kind == "note":
            return make.CANON + [(PLACEHOLDER, "note")]
        return [(PLACEHOLDER, w) if w == self.kind else (h, w) for h, w in make.CANON]

    @property
    def expected(self) -> dict[str, int]:
        return {what: i for i, (_, what) in enumerate(self.layout)}


def _slug(text: str) -> str:
    return "-".join(strip_diacritics(text).lower().replace("/", " ").replace(",", " ").split())


def variants() -> list[Variant]:
    out: list[Variant] = []
    for kind, entries in VOCABULARY.items():
        for entry in entries:
            words = entry.split(" ")
            forms = {"written": entry, "upper": entry.upper(), "no-diacritics": strip_diacritics(entry),
                     "nfd": unicodedata.normalize("NFD", entry)}
            if len(words) > 1:
                half = (len(words) + 1) // 2
                forms["line-break"] = " ".join(words[:half]) + "\n" + " ".join(words[half:])
            seen: set[str] = set()
            for how, text in forms.items():
                if text in seen:  # "STT" is its own upper case, ASCII and NFD form
                    continue
                seen.add(text)
                out.append(Variant(kind, entry, text, how, f"{kind}-{_slug(entry)}-{how}"))
    return out


VARIANTS = variants()


def _base_lists(folder: Path) -> dict[tuple, bytes]:
    """One python-docx list per layout, the header under test written as the placeholder."""
    ps = [replace(p, note="Đúng hạn") for p in make.people()]
    out = {}
    for v in VARIANTS:
        key = tuple(v.layout)
        if key not in out:
            path = folder / f"base-{len(out)}.docx"
            make.word_list(path, ps, v.layout)
            out[key] = path.read_bytes()
    return out


def _with_header(base: bytes, text: str, dest: Path) -> None:
    """``base`` with the placeholder cell's text replaced, as python-docx writes a cell's text."""
    runs = "<w:br/>".join(f"<w:t>{line}</w:t>" for line in text.split("\n"))
    src = zipfile.ZipFile(io.BytesIO(base))
    with zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                xml = data.decode("utf-8")
                assert xml.count(f"<w:t>{PLACEHOLDER}</w:t>") == 1
                data = xml.replace(f"<w:t>{PLACEHOLDER}</w:t>", runs).encode("utf-8")
            z.writestr(info, data)


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("header-sweep")
    bases = _base_lists(folder)
    paths = {}
    for v in VARIANTS:
        path = folder / f"{v.id}.docx"
        _with_header(bases[tuple(v.layout)], v.text, path)
        paths[v.id] = path
    return paths


def test_the_sweep_covers_every_entry_in_every_form():
    assert {(v.kind, v.how) for v in VARIANTS} >= {(k, h) for k in VOCABULARY for h in ("written", "upper")}
    assert {(v.kind, v.entry) for v in VARIANTS} == {(k, e) for k, es in VOCABULARY.items() for e in es}
    assert {v.how for v in VARIANTS} == {"written", "upper", "no-diacritics", "line-break", "nfd"}
    assert len({v.id for v in VARIANTS}) == len(VARIANTS)


@pytest.mark.parametrize("variant", VARIANTS, ids=[v.id for v in VARIANTS])
def test_header_maps_to_its_column(sweep, variant):
    rl = find_list(read_docx(sweep[variant.id]))
    header = variant.text.replace("\n", "⏎")
    assert rl is not None, f"header {header!r} ({variant.kind}, {variant.how}): no list found"
    got = {k: i for k, i in rl.columns.items() if k in variant.expected or k in ("appointment", "note")}
    wrong = {k: (got.get(k), i) for k, i in variant.expected.items() if got.get(k) != i}
    stray = {k: i for k, i in got.items() if k not in variant.expected}
    assert not wrong and not stray, (
        f"header {header!r} ({variant.kind}, {variant.how}): "
        + ", ".join(f"{k} at {g}, expected {e}" for k, (g, e) in wrong.items())
        + (f"; also mapped {stray}" if stray else "")
        + f" — columns {rl.columns}")
    assert len(rl.respondents) == 30
