"""Synthetic respondent lists for a whole district: realistic Word files, some with known faults.

:func:`make_sample_lists` writes one list per unit of the settings (python-docx; a few saved as .doc by
LibreOffice) and records, for each, the problem codes the checker must report.  The variant a unit gets is
fixed by its position in the unit list (:data:`VARIANTS`), so the demo and the tests can rely on it.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn

from automation import vntext
from automation.config import Settings
from automation.formats import docx_write as dw
from automation.formats import legacy
from automation.lists.model import COLUMN_TITLES, COLUMNS
from automation.units import Unit
from automation.workspace import libreoffice_dir

TNR = dw.FONT

# position of the unit in settings.units -> variant; units past the end of this tuple are "clean"
VARIANTS: tuple[str, ...] = (
    "clean", "address_not_local", "two_row_header", "grouped_by_field", "arial", "doc", "hansi_arial",
    "tcvn3", "count_29", "result_not_received", "doc", "date_out_of_window", "bad_date", "duplicate",
    "one_field", "bad_phone", "doc", "unknown_unit", "clean", "clean", "clean", "unit_in_file_name",
)
# problem codes the checker must report for each variant (the others are clean: verdict "accepted")
_FONT = "font.not_times_new_roman"
EXPECTED: dict[str, frozenset[str]] = {k: frozenset(v) for k, v in {
    "arial": {_FONT}, "hansi_arial": {_FONT}, "tcvn3": {"encoding.legacy", _FONT},
    "count_29": {"list.count"}, "result_not_received": {"list.result_not_received"},
    "address_not_local": {"list.address_not_local"}, "date_out_of_window": {"list.date_out_of_window"},
    "bad_date": {"list.bad_date"}, "duplicate": {"list.duplicate"},
    "one_field": {"list.fields_not_representative"},  # a warning: accepted_with_warnings
    "bad_phone": {"list.bad_phone"},  # a warning
    "unknown_unit": {"unit.unknown"},
}.items()}


def variant_for(position: int) -> str:
    """The variant of the unit at ``position`` (0-based) in the settings' unit list."""
    return VARIANTS[position] if position < len(VARIANTS) else "clean"


@dataclass
class DemoFile:
    path: Path
    unit: Unit
    expected: set[str]  # problem codes the checker must report (empty = clean, must be "accepted")
    variant: str = "clean"
    respondents: int = 30  # people in the list table


# --- Vietnamese data ------------------------------------------------------------------------------------------
FAMILY = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi",
          "Đặng", "Ngô", "Phan", "Dương", "Đào", "Kiều", "Trịnh", "Lưu")
MIDDLE = {"m": ("Văn", "Văn", "Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Ngọc", "Trọng", "Thanh"),
          "f": ("Thị", "Thị", "Thị", "Thị", "Thu", "Thanh", "Ngọc", "Minh", "Hồng", "Phương")}
GIVEN = {"m": ("Hùng", "Dũng", "Tuấn", "Hải", "Nam", "Long", "Thắng", "Cường", "Hiếu", "Trung", "Quân", "Sơn",
               "Bình", "Hòa", "Toàn", "Khánh", "Thành", "Phúc", "Huy", "Đạt", "Ước", "Tùng"),
         "f": ("Lan", "Hương", "Hoa", "Mai", "Hằng", "Nga", "Thủy", "Dung", "Liên", "Yến", "Trang", "Huyền",
               "Ánh", "Oanh", "Thảo", "Loan", "Hiền", "Nhung", "Quyên", "Vân", "Hường", "Ngân")}
VILLAGES = ("Đông", "Đoài", "Nam", "Bắc", "Trung", "Thượng", "Hạ", "Tiền", "Hậu", "Đình", "Mới", "Hòa Loan",
            "Phú Hậu", "Xuân Lai", "Đồng Phú", "Mộc Hoàn", "Yên Nhiên", "Hưởng Lộc", "Kiến An", "Lạc Ý")
PLACE_WORD = {"Thị trấn": "Tổ dân phố", "Phường": "Khu phố"}  # "Thôn" for a xã
FIELDS: dict[str, tuple[str, ...]] = {
    "Hộ tịch": ("Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Trích lục hộ tịch",
                "Cấp giấy xác nhận tình trạng hôn nhân"),
    "Chứng thực": ("Chứng thực bản sao từ bản chính", "Chứng thực chữ ký", "Chứng thực hợp đồng, giao dịch"),
    "Lao động - Thương binh và Xã hội": ("Xác nhận hộ gia đình làm nông nghiệp có mức sống trung bình",
                                         "Công nhận hộ thoát nghèo, hộ thoát cận nghèo", "Đăng ký hỗ trợ học nghề"),
    "Đất đai": ("Hòa giải tranh chấp đất đai", "Xác nhận nguồn gốc sử dụng đất",
                "Đăng ký biến động quyền sử dụng đất"),
    "Người có công": ("Trợ cấp thờ cúng liệt sĩ", "Cấp giấy giới thiệu đi thăm viếng mộ liệt sĩ",
                      "Hỗ trợ mai táng phí đối với người có công"),
    "Bảo trợ xã hội": ("Trợ cấp xã hội hằng tháng đối với người cao tuổi", "Xác định, xác định lại mức độ khuyết tật",
                       "Hỗ trợ chi phí mai táng cho đối tượng bảo trợ xã hội"),
}
FIELD_WEIGHT = {"Hộ tịch": 5, "Chứng thực": 4}  # the others 2
PHONE_PREFIXES = ("096", "097", "098", "086", "091", "094", "088", "083", "084", "085", "081", "082",
                  "032", "033", "034", "035", "036", "037", "038", "039", "090", "093", "089")
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
_FMT = "%d/%m/%Y"


@dataclass
class _Person:
    name: str
    address: str
    phone: str
    field: str
    procedure: str
    submitted: str
    received: str

    def cell(self, column: str, stt: int) -> str:
        return str(stt) if column == "stt" else getattr(self, column)


def _name(rng: random.Random) -> str:
    sex = rng.choice("mf")
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}"


def _phone(rng: random.Random) -> str:
    digits = rng.choice(PHONE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(7))
    return f"{digits[:4]} {digits[4:7]} {digits[7:]}" if rng.random() < 0.15 else digits


def _field_plan(rng: random.Random, n: int) -> list[str]:
    """4-6 fields for ``n`` people, each field at least twice, none above 40% of the list."""
    fields = rng.sample(list(FIELDS), rng.randint(4, 6))
    plan = [f for f in fields for _ in range(2)][:n]
    cap = max(2, int(n * 0.4))
    while len(plan) < n:
        f = rng.choices(fields, [FIELD_WEIGHT.get(f, 2) for f in fields])[0]
        if plan.count(f) < cap:
            plan.append(f)
    rng.shuffle(plan)
    return plan


def _people(unit: Unit, settings: Settings, rng: random.Random, variant: str, other: Unit) -> list[_Person]:
    """``settings.list_rules.size`` people of ``unit``, sorted by submission date, with the variant's fault."""
    rules, district = settings.list_rules, settings.authority.district
    n = rules.size
    villages = rng.sample(VILLAGES, 5)
    fields = ["Hộ tịch"] * n if variant == "one_field" else _field_plan(rng, n)
    span = (rules.window_end - rules.window_start).days
    names: set[str] = set()
    people: list[tuple[dt.date, _Person]] = []
    for field in fields:
        name = _name(rng)
        while name in names:
            name = _name(rng)
        names.add(name)
        address = f"{PLACE_WORD.get(unit.type, 'Thôn')} {rng.choice(villages)}, {unit.full_name}"
        if district and rng.random() < 0.6:
            address += f", huyện {district}"
        elif unit.former and rng.random() < 0.4:  # people still write the commune merged in 2025, its old province
            f = unit.former[rng.randrange(len(unit.former))]
            address = f"{PLACE_WORD.get(unit.type, 'Thôn')} {rng.choice(villages)}, {(f.type or 'xã').lower()} {f.name}"
            if settings.authority.former_provinces:
                address += f", tỉnh {settings.authority.former_provinces[0]}"
        submitted = rules.window_start + dt.timedelta(days=rng.randint(0, max(0, span - 15)))
        received = submitted + dt.timedelta(days=rng.randint(0, min(15, (rules.window_end - submitted).days)))
        people.append((submitted, _Person(name, address, _phone(rng), field, rng.choice(FIELDS[field]),
                                          submitted.strftime(_FMT), received.strftime(_FMT))))
    out = [p for _, p in sorted(people, key=lambda x: x[0])]
    k = rng.randrange(3, n - 3) if n > 6 else 0
    if variant == "count_29":
        del out[k]
    elif variant == "result_not_received":
        out[k].received = ""
    elif variant == "address_not_local":
        out[k].address = f"Thôn Đông, {other.type.lower()} {other.name}"
    elif variant == "date_out_of_window":
        out[k].received = (rules.window_end + dt.timedelta(days=5)).strftime(_FMT)
    elif variant == "bad_date":
        out[k].submitted = f"31/02/{settings.year}"
    elif variant == "duplicate":
        first = out[k // 2]
        out[k].name, out[k].address, out[k].phone = first.name, first.address, first.phone
    elif variant == "bad_phone":
        out[k].phone = "12345"
    return out


# --- TCVN3 ----------------------------------------------------------------------------------------------------
def _tcvn3_encoder() -> dict[str, str]:
    """Unicode letter -> TCVN3 byte (as a Latin-1 character), the inverse of ``legacy.decode_tcvn3``."""
    table: dict[str, str] = {}
    for b in range(0x100):
        u = legacy.decode_tcvn3(chr(b))
        if u != chr(b) and len(u) == 1 and u.isalpha() and not u.isascii():
            table.setdefault(u, chr(b))
    return table


_TCVN3 = _tcvn3_encoder()


def _encode_tcvn3(text: str) -> str:
    """Unicode -> TCVN3; capitals TCVN3 has no byte for are written with the lower-case byte (``.VnTimeH``)."""
    return "".join(_TCVN3.get(ch) or _TCVN3.get(ch.lower(), ch) for ch in unicodedata.normalize("NFC", text))


def _tcvn3_pieces(text: str, caps: bool) -> list[tuple[str, bool]]:
    """(TCVN3 text, needs the upper-case font) pieces: an all-caps line is one ``.VnTimeH`` piece; in mixed
    text, a toned capital ("Á" in "Ánh") goes to ``.VnTimeH`` as real typists do."""
    text = unicodedata.normalize("NFC", text)
    if caps:
        return [(_encode_tcvn3(text.lower()), True)]
    groups = groupby(text, key=lambda ch: ch not in _TCVN3 and ch.lower() in _TCVN3)
    return [(_encode_tcvn3("".join(chars)), upper) for upper, chars in groups]


# --- Word -----------------------------------------------------------------------------------------------------
def _set_fonts(rpr, ascii_: str, hansi: str | None = None) -> None:
    """All four rFonts slots of ``rpr`` name ``ascii_`` (no theme fonts, which beat literals), hAnsi ``hansi``."""
    rf = dw.set_font_all_slots(rpr, ascii_)
    if hansi:
        rf.set(qn("w:hAnsi"), hansi)


class _Writer:
    """Adds text in the variant's fonts: style defaults (TNR), direct Arial, TNR/Arial split, or TCVN3."""

    def __init__(self, variant: str):
        self.variant = variant

    def add(self, paragraph, text: str, bold=False, italic=False, caps=False, size: float | None = None):
        if self.variant == "tcvn3":
            pieces = [(t, ".VnTimeH" if up else ".VnTime", None) for t, up in _tcvn3_pieces(text, caps)]
        elif self.variant == "arial":
            pieces = [(text, "Arial", None)]
        elif self.variant == "hansi_arial":  # python-docx's font.name reads ascii only: it says TNR
            pieces = [(text, TNR, "Arial")]
        else:
            pieces = [(text, None, None)]
        for piece, font, hansi in pieces:
            run = dw.run(paragraph, piece, size=size or None, bold=bold or None, italic=italic or None)
            if font:
                _set_fonts(run._r.get_or_add_rPr(), font, hansi)

    def para(self, container, text: str = "", align=WD_ALIGN_PARAGRAPH.CENTER, first=False, **kw):
        p = container.paragraphs[0] if first else container.add_paragraph()
        p.alignment = align
        if text:
            self.add(p, text, **kw)
        return p

    def cell(self, cell, text: str, align=WD_ALIGN_PARAGRAPH.CENTER, **kw) -> None:
        for i, line in enumerate(text.split("\n")):
            self.para(cell, line, align, first=i == 0, **kw)


WIDTH_MM = {"stt": 12, "name": 38, "address": 48, "phone": 29, "field": 28, "procedure": 49,
            "submitted": 26, "received": 26}  # 256 mm: the A4 landscape text width
TWO_ROW_ORDER = ("stt", "name", "phone", "address", "procedure", "field", "submitted", "received")
TWO_ROW_TITLES = {"name": "Họ tên", "phone": "SĐT", "field": "Lĩnh vực TTHC", "procedure": "Tên TTHC",
                  "submitted": "Tiếp nhận", "received": "Trả kết quả"}


def _list_table(doc, w: _Writer, people: list[_Person], variant: str) -> None:
    two_rows, grouped = variant == "two_row_header", variant == "grouped_by_field"
    cols = list(TWO_ROW_ORDER if two_rows else COLUMNS)
    if grouped:
        cols.remove("field")
    titles = {**COLUMN_TITLES, **(TWO_ROW_TITLES if two_rows else {})}
    head = 3 if two_rows else 1  # two header rows and a "(1) (2) ..." numbering row
    # autofit stays on, as in a list typed in Word; the header rows repeat on every page
    table = dw.table(doc, [WIDTH_MM[col] for col in cols], rows=head, style="Table Grid", fixed=False,
                     header_rows=head)
    hw = dict(bold=True, size=12)
    if two_rows:
        s = cols.index("submitted")
        for i, col in enumerate(cols):
            if i not in (s, s + 1):
                w.cell(table.cell(0, i).merge(table.cell(1, i)), titles[col], **hw)
        w.cell(table.cell(0, s).merge(table.cell(0, s + 1)), "Ngày", **hw)
        for i in (s, s + 1):
            w.cell(table.cell(1, i), titles[cols[i]], **hw)
        for i in range(len(cols)):
            w.cell(table.cell(2, i), f"({i + 1})", italic=True, size=11)
    else:
        for i, col in enumerate(cols):
            w.cell(table.cell(0, i), titles[col], **hw)

    rows: list[tuple[str, _Person | None]] = [("", p) for p in people]
    if grouped:
        order = list(dict.fromkeys(p.field for p in people))
        rows = []
        for n, f in enumerate(order):
            rows.append((f"{ROMAN[n]}. Lĩnh vực {f}", None))
            rows.extend(("", p) for p in people if p.field == f)
    stt = 0
    left = {"name", "address", "procedure", "field"}
    for title, person in rows:
        cells = table.add_row().cells
        if person is None:
            w.cell(cells[0].merge(cells[-1]), title, align=WD_ALIGN_PARAGRAPH.LEFT, bold=True, size=12)
            continue
        stt += 1
        for col, cell in zip(cols, cells):
            align = WD_ALIGN_PARAGRAPH.LEFT if col in left else WD_ALIGN_PARAGRAPH.CENTER
            w.cell(cell, person.cell(col, stt), align=align, size=12)


def _two_columns(doc, w: _Writer, left: list[tuple], right: list[tuple]) -> None:
    """A borderless 2-column table; each line is (text, options)."""
    table = dw.table(doc, (100, 157), align=None, fixed=False)
    for cell, lines in zip(table.rows[0].cells, (left, right)):
        for i, (text, opts) in enumerate(lines):
            w.para(cell, text, first=i == 0, **opts)


def _document(path: Path, unit: Unit, people: list[_Person], variant: str, settings: Settings,
              rng: random.Random) -> None:
    doc = dw.new_document(size_pt=13, margins_mm=(20, 20, 25, 15), landscape=True)  # single lines, 0 pt after
    doc.core_properties.author = "Bộ phận một cửa"
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(settings.year, 10, 25, 8, 0)
    w = _Writer(variant)
    a = settings.authority
    hide = variant in ("unknown_unit", "unit_in_file_name")
    bold, caps = {"bold": True}, {"bold": True, "caps": True}
    issued = settings.list_rules.window_end + dt.timedelta(days=rng.randint(3, 12))
    date_line = f"ngày {issued.day:02d} tháng {issued.month:02d} năm {issued.year}"
    _two_columns(doc, w, [
        ((f"UBND huyện {a.district}" if a.district else f"{a.short_name} {a.province}".strip()).upper(), {"caps": True}),
        ("BỘ PHẬN MỘT CỬA" if hide else f"UBND {unit.full_name}".upper(), caps),
    ], [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", caps), ("Độc lập - Tự do - Hạnh phúc", bold),
        (f"{'..........' if hide else unit.name}, {date_line}", {"italic": True}),
    ])
    w.para(doc)
    w.para(doc, "DANH SÁCH", size=14, **caps)
    where = "" if hide else f" {unit.full_name}"
    w.para(doc, "Tổ chức, cá nhân đã giao dịch và nhận kết quả giải quyết thủ tục hành chính "
                f"năm {settings.year} tại Bộ phận một cửa{where}", **bold)
    w.para(doc)
    _list_table(doc, w, people, variant)
    w.para(doc)
    blank = [("", {})] * 3
    _two_columns(doc, w, [("Người lập biểu", bold), ("(Ký, ghi rõ họ tên)", {"italic": True}), *blank,
                          (_name(rng), bold)],
                 [("TM. ỦY BAN NHÂN DÂN", caps), ("CHỦ TỊCH", caps), ("(Ký tên, đóng dấu)", {"italic": True}),
                  *blank, (_name(rng), bold)])
    doc.save(str(path))


# --- LibreOffice ----------------------------------------------------------------------------------------------
def _save_as_doc(sources: list[Path], folder: Path, timeout_s: float, workdir: Path | None) -> None:
    """Convert ``sources`` (.docx) to .doc in ``folder``: one LibreOffice process for the batch (working in
    ``workdir``)."""
    from automation.formats.convert import Converter  # noqa: PLC0415
    from automation.problems import FileRejected  # noqa: PLC0415

    with Converter(timeout_s=timeout_s, workdir=workdir) as conv:
        for src, out in conv.convert_many(sources, "doc").items():
            if isinstance(out, FileRejected):
                raise RuntimeError(f"LibreOffice did not convert {src.name}: {out.problem.message}")
            shutil.copyfile(out, folder / f"{src.stem}.doc")


# --- entry point ----------------------------------------------------------------------------------------------
def _file_name(unit: Unit, variant: str) -> str:
    if variant == "unit_in_file_name":
        return "DS_" + "_".join(x.capitalize() for x in vntext.ascii_key(unit.name).split()) + ".docx"
    if variant == "unknown_unit":
        return "danh-sach-khao-sat.docx"
    return f"{unit.slug}.docx"


def make_sample_lists(folder: Path, settings: Settings, seed: int = 2021, *, doc_files: bool = True) -> list[DemoFile]:
    """One respondent list per unit of ``settings`` in ``folder``, variant by position (:data:`VARIANTS`).

    Deterministic for ``seed``.  With ``doc_files`` the "doc" variants are saved as .doc by LibreOffice (one
    soffice call); without it they stay .docx (same content).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    units = list(settings.units)
    out: list[DemoFile] = []
    with tempfile.TemporaryDirectory(prefix="cchc-demo-") as tmp:
        to_doc: list[Path] = []
        for i, unit in enumerate(units):
            variant = variant_for(i)
            people = _people(unit, settings, rng, variant, units[(i + 1) % len(units)])
            name = _file_name(unit, variant)
            as_doc = variant == "doc" and doc_files
            path = Path(tmp, name) if as_doc else folder / name
            _document(path, unit, people, variant, settings, rng)
            if as_doc:
                to_doc.append(path)
                path = folder / f"{path.stem}.doc"
            out.append(DemoFile(path, unit, set(EXPECTED.get(variant, ())), variant, len(people)))
        if to_doc:
            _save_as_doc(to_doc, folder, max(120.0, settings.limits.conversion_timeout_s * 2),
                         libreoffice_dir(settings.workspace))
    return out
