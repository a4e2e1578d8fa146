"""Builders of the respondent-list corpus: lists made the way commune clerks make them, with real tools.

Every file is made by the tool a clerk would use: python-docx for .docx (Word), openpyxl for .xlsx (Excel),
LibreOffice (``soffice --headless --convert-to``) for .doc/.rtf/.odt/.html/.xls/.ods (the Word/Excel "Save as"
of a clerk's file), and hand-written HTML for the exports of web one-stop-shop software (saved as .doc/.xls).

:func:`build_corpus` builds every registered file into a folder, converting with ONE soffice process per
target format, and returns, per file name, its path and the people on it (STT -> name, for location checks).
The expectations live in :mod:`tests.lists.corpus.cases`.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK

from automation.formats.convert import find_soffice
from automation.formats.legacy import TCVN3_TABLE, VNI_TABLE
from tests.builders import set_fonts, tnr_document

TNR = "Times New Roman"
YEAR = 2021

# --- people ------------------------------------------------------------------------------------------------------

FAMILIES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Bùi", "Đặng", "Ngô", "Dương", "Hà")
MIDDLES = ("Văn", "Thị", "Đức", "Minh", "Thu", "Quang", "Ngọc", "Hữu", "Thanh")
GIVENS = ("An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phương", "Quân", "Sơn", "Thảo",
          "Tuấn", "Yến", "Hoa", "Long", "Hạnh", "Khánh", "Trang", "Duy", "Linh", "Hiếu", "Nga", "Thắng", "Vinh",
          "Tâm", "Hải", "Loan", "Giang", "Thủy", "Chung")
VILLAGES = ("Đông", "Nội", "Thượng", "Hạ", "Đoài", "Giữa", "Trại", "Mới")
FIELDS = {
    "Hộ tịch": ("Đăng ký khai sinh", "Đăng ký kết hôn", "Đăng ký khai tử", "Cấp bản sao trích lục hộ tịch",
                "Xác nhận tình trạng hôn nhân"),
    "Chứng thực": ("Chứng thực bản sao từ bản chính", "Chứng thực chữ ký", "Chứng thực hợp đồng, giao dịch"),
    "Đất đai": ("Đăng ký biến động đất đai", "Hòa giải tranh chấp đất đai"),
    "Lao động - Thương binh và Xã hội": ("Xác nhận hộ nghèo", "Trợ cấp xã hội hằng tháng",
                                         "Đăng ký hưởng mai táng phí"),
}
FIELD_NAMES = tuple(FIELDS)
_FIELD_CYCLE = (0, 1, 2, 3, 0, 1, 0, 2, 3, 1)  # 9 + 9 + 6 + 6 people in 30: representative


@dataclass(frozen=True)
class Person:
    stt: int
    name: str
    address: str
    phone: str
    field: str
    procedure: str
    submitted: dt.date
    received: dt.date | None
    appointment: dt.date
    gender: str
    birth: int
    cccd: str
    code: str
    note: str = ""
    status: str = "Đã trả kết quả"


def people(n: int = 30, unit: str = "Kim Xá", *, village_only: bool = False, fields=None) -> list[Person]:
    """``n`` distinct local people who transacted and received a result in the window (plan II.3)."""
    out = []
    for i in range(n):
        middle = MIDDLES[(i * 7) % len(MIDDLES)]
        name = f"{FAMILIES[i % len(FAMILIES)]} {middle} {GIVENS[i % len(GIVENS)]}"
        village = f"Thôn {VILLAGES[i % len(VILLAGES)]}"
        style = i % 4
        if village_only:
            address = village
        elif style == 0:
            address = f"{village}, xã {unit}"
        elif style == 1:
            address = f"{village} - {unit} - Vĩnh Tường"
        elif style == 2:
            address = f"{village}, xã {unit}, huyện Vĩnh Tường, tỉnh Vĩnh Phúc"
        else:
            address = village
        field = (fields or FIELD_NAMES)[_FIELD_CYCLE[i % len(_FIELD_CYCLE)] % len(fields or FIELD_NAMES)]
        procs = FIELDS.get(field, ("Giải quyết thủ tục",))
        submitted = dt.date(YEAR, 1 + (i * 4) % 9, 1 + (i * 7) % 27)
        prefix = ("09", "03", "08", "07")[i % 4]
        out.append(Person(
            stt=i + 1, name=name, address=address, phone=f"{prefix}{(12345678 + i * 7919) % 10 ** 8:08d}",
            field=field, procedure=procs[i % len(procs)], submitted=submitted,
            received=submitted + dt.timedelta(days=1 + i % 5), appointment=submitted + dt.timedelta(days=3),
            gender="Nữ" if middle in ("Thị", "Thu", "Ngọc") else "Nam", birth=1950 + (i * 13) % 50,
            cccd=f"026{(i * 37) % 2:01d}{(i * 13) % 50 + 50:02d}{(100000 + i * 4567) % 10 ** 6:06d}",
            code=f"000.00.24.H56-{submitted:%y%m%d}-{i + 1:04d}"))
    return out


def renumber(ps: list[Person]) -> list[Person]:
    return [replace(p, stt=i + 1) for i, p in enumerate(ps)]


# --- values as typed ---------------------------------------------------------------------------------------------

def slash(d: dt.date | None) -> str:
    return d.strftime("%d/%m/%Y") if d else ""


def short(d: dt.date | None) -> str:
    return f"{d.day}/{d.month}/{d.year}" if d else ""


def dash(d: dt.date | None) -> str:
    return d.strftime("%d-%m-%Y") if d else ""


def dot(d: dt.date | None) -> str:
    return d.strftime("%d.%m.%Y") if d else ""


def with_time(d: dt.date | None) -> str:
    return f"{d:%d/%m/%Y} {8 + d.day % 9:02d}:{(d.day * 7) % 60:02d}" if d else ""


def value(p: Person, what: str, fmt: Callable) -> str:
    if what in ("submitted", "received", "appointment"):
        return fmt(getattr(p, what))
    if what == "stt":
        return str(p.stt)
    if what == "birth":
        return str(p.birth)
    if what == "blank":
        return ""
    return getattr(p, what)


# the office's template (tests/builders.HEADERS): header text, value
CANON = [("STT", "stt"), ("Họ và tên", "name"), ("Địa chỉ", "address"), ("Số điện thoại", "phone"),
         ("Lĩnh vực", "field"), ("Tên thủ tục hành chính", "procedure"), ("Ngày nộp hồ sơ", "submitted"),
         ("Ngày nhận kết quả", "received")]


def data_rows(ps: list[Person], columns, fmt=slash) -> list[list[str]]:
    return [[value(p, what, fmt) for _, what in columns] for p in ps]


# --- legacy encodings (what a clerk typing with Unikey in TCVN3 / VNI mode stores) --------------------------------

_TCVN3_ENC = {u: chr(b) for b, u in TCVN3_TABLE.items()}
_VNI_ENC = {u: seq.decode("latin-1") for u, seq in VNI_TABLE.items()}


def tcvn3(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
        elif ch in _TCVN3_ENC:
            out.append(_TCVN3_ENC[ch])
        else:
            raise ValueError(f"{ch!r} has no TCVN3 byte in a .VnTime font: {text!r}")
    return "".join(out)


def vni(text: str) -> str:
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isascii():
            out.append(ch)
        elif ch in _VNI_ENC:
            out.append(_VNI_ENC[ch])
        else:
            raise ValueError(f"{ch!r} has no VNI-Windows bytes: {text!r}")
    return "".join(out)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


# --- Word (python-docx) ------------------------------------------------------------------------------------------

def heading_lines(unit: str | None = "Kim Xá", kind: str = "XÃ") -> list[str]:
    lines = [f"UBND {kind} {unit.upper()}"] if unit else []
    lines += ["DANH SÁCH",
              "Cá nhân, tổ chức đã giao dịch và nhận kết quả giải quyết thủ tục hành chính tại Bộ phận một cửa"
              + (f" xã {unit}" if unit else ""),
              f"(Từ ngày 01/01/{YEAR} đến ngày 15/10/{YEAR})"]
    return lines


class WordList:
    """A Word document as a clerk types it; ``encode`` turns every text into what the file stores."""

    def __init__(self, font: str | None = TNR, encode: Callable[[str], str] | None = None):
        self.doc = Document() if font is None else tnr_document(font)
        self.enc = encode or (lambda s: s)

    def para(self, text: str = "", bold: bool = False, italic: bool = False, center: bool = True,
             font: str | None = None):
        p = self.doc.add_paragraph()
        if center:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            run = p.add_run(self.enc(text))
            run.bold, run.italic = bold or None, italic or None
            if font:
                set_fonts(run._r, font, font, font, font)
        return p

    def heading(self, lines) -> None:
        for i, line in enumerate(lines):
            self.para(line, bold=i < 2 or line.isupper(), italic=line.startswith("("))

    def motto_table(self, left: str) -> None:
        """The header table above a list: issuing body | national motto."""
        t = self.doc.add_table(rows=2, cols=2)
        for cell, text in zip(t.rows[0].cells, (left, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")):
            cell.text = self.enc(text)
        t.rows[1].cells[1].text = self.enc("Độc lập - Tự do - Hạnh phúc")

    def table(self, rows: list[list[str]], merges=(), paragraphs_in: dict | None = None):
        """A grid table; ``merges`` are (r1, c1, r2, c2) ranges whose first cell keeps its text;
        ``paragraphs_in`` maps (row, col) to texts written as separate paragraphs of that cell."""
        width = max(len(r) for r in rows)
        t = self.doc.add_table(rows=len(rows), cols=width)
        t.style = "Table Grid"
        for tr, values in zip(t.rows, rows):
            for cell, v in zip(tr.cells, values):
                if v:
                    cell.text = self.enc(v)
        for (r, c), texts in (paragraphs_in or {}).items():
            cell = t.cell(r, c)
            cell.text = self.enc(texts[0])
            for more in texts[1:]:
                cell.add_paragraph(self.enc(more))
        for r1, c1, r2, c2 in merges:
            t.cell(r1, c1).merge(t.cell(r2, c2))
        return t

    def page_break(self) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    def signature(self, unit: str = "Kim Xá") -> None:
        self.para(f"{unit}, ngày 25 tháng 10 năm {YEAR}", italic=True, center=False)
        self.para("Người lập biểu                                        TM. Ủy ban nhân dân", bold=True)
        self.para("(Ký, ghi rõ họ tên)                                    Chủ tịch", italic=True)
        self.para("Nguyễn Thị Hương                                        Trần Văn Quý", bold=True)

    def save(self, path: Path) -> None:
        self.doc.save(str(path))


def word_list(path: Path, ps: list[Person], columns=CANON, *, fmt=slash, lines=None, unit: str = "Kim Xá",
              font: str | None = TNR, encode=None, motto: bool = False, header_rows=None, merges=(),
              rows_after=(), signature: bool = True) -> list[Person]:
    """The usual list: title paragraphs, one table (header + people), the signature lines."""
    w = WordList(font, encode)
    if motto:
        w.motto_table(f"UBND XÃ {unit.upper()}")
        w.heading((lines if lines is not None else heading_lines(unit))[1:])
    else:
        w.heading(lines if lines is not None else heading_lines(unit))
    head = header_rows or [[h for h, _ in columns]]
    w.table(head + data_rows(ps, columns, fmt) + [list(r) for r in rows_after], merges=merges)
    if signature:
        w.signature(unit)
    else:  # Word always ends a document with a paragraph after the last table
        for line in (f"{unit}, ngày 25 tháng 10 năm {YEAR}", "Người lập biểu", "Nguyễn Thị Hương"):
            w.para(line, center=False)
    w.save(path)
    return ps


# --- Excel (openpyxl) --------------------------------------------------------------------------------------------

def excel_list(path: Path, ps: list[Person], columns=CANON, *, title_unit: str | None = "Kim Xá") -> list[Person]:
    """A list in a workbook: a first sheet of instructions, the list on the second sheet under title rows,
    dates as Excel date cells, phones as text, every cell in Times New Roman."""
    import openpyxl
    from openpyxl.styles import Alignment, Font

    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = "Huong dan"
    guide["A1"] = "Hướng dẫn: nhập danh sách ở trang tính “Danh sach”, mỗi người một dòng."
    guide["A1"].font = Font(name=TNR, size=12)
    ws = wb.create_sheet("Danh sach")
    width = len(columns)
    titles = ([f"UBND XÃ {title_unit.upper()}"] if title_unit else []) + [
        "DANH SÁCH CÁ NHÂN, TỔ CHỨC ĐÃ GIAO DỊCH VÀ NHẬN KẾT QUẢ GIẢI QUYẾT TTHC",
        f"(Từ ngày 01/01/{YEAR} đến ngày 15/10/{YEAR})", ""]
    bold = Font(name=TNR, size=12, bold=True)
    plain = Font(name=TNR, size=12)
    for r, text in enumerate(titles, start=1):
        if text:
            ws.cell(r, 1, text).font = bold
            ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
            ws.cell(r, 1).alignment = Alignment(horizontal="center")
    head_row = len(titles) + 1
    for c, (h, _) in enumerate(columns, start=1):
        cell = ws.cell(head_row, c, h)
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, horizontal="center")
    for r, p in enumerate(ps, start=head_row + 1):
        for c, (_, what) in enumerate(columns, start=1):
            if what == "stt":
                v = p.stt
            elif what in ("submitted", "received", "appointment"):
                v = getattr(p, what)
            else:
                v = value(p, what, slash)
            cell = ws.cell(r, c, v)
            cell.font = plain
            if isinstance(v, dt.date):
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(v, str):
                cell.data_type = "s"
                cell.number_format = "@"
    end = head_row + len(ps) + 2
    ws.cell(end, 2, "Người lập biểu").font = bold
    ws.cell(end, 6, "TM. ỦY BAN NHÂN DÂN").font = bold
    for col, w in zip("ABCDEFGH", (6, 24, 36, 14, 20, 34, 14, 14)):
        ws.column_dimensions[col].width = w
    wb.active = 1
    wb.save(path)
    return ps


# --- HTML, as web one-stop-shop software exports it ----------------------------------------------------------------

def _esc(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


WEB_COLUMNS = [("STT", "stt"), ("Mã hồ sơ", "code"), ("Người nộp hồ sơ", "name"), ("Địa chỉ liên hệ", "address"),
               ("Số điện thoại", "phone"), ("Lĩnh vực", "field"), ("Tên thủ tục", "procedure"),
               ("Ngày tiếp nhận", "submitted"), ("Ngày hẹn trả", "appointment"),
               ("Ngày trả kết quả thực tế", "received"), ("Trạng thái", "status")]


def web_export_doc(path: Path, ps: list[Person]) -> list[Person]:
    """What "Xuất Word" of a web one-stop-shop system writes: Word-flavoured HTML named .doc, the font given
    as a CSS font list, dates with times, the appointment next to the actual return date."""
    head = "".join(f"<th>{_esc(h)}</th>" for h, _ in WEB_COLUMNS)
    body = "\n".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>"
                     for row in data_rows(ps, WEB_COLUMNS, with_time))
    html = f"""<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word"
xmlns="http://www.w3.org/TR/REC-html40">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>Danh sach ho so</title>
<style>
body, p, td, th {{ font-family: "Times New Roman","serif"; font-size: 13.0pt; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #000; padding: 2pt; }}
</style></head>
<body>
<p align="center"><b>UBND XÃ KIM XÁ</b></p>
<p align="center"><b>BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ</b></p>
<p align="center"><b>DANH SÁCH HỒ SƠ ĐÃ TRẢ KẾT QUẢ</b></p>
<p align="center"><i>Từ ngày 01/01/{YEAR} đến ngày 15/10/{YEAR}</i></p>
<table>
<thead><tr>{head}</tr></thead>
<tbody>
{body}
</tbody>
</table>
<p>Ngày xuất báo cáo: 25/10/{YEAR}</p>
</body></html>
"""
    path.write_text(html, encoding="utf-8")
    return ps


def web_export_xls(path: Path, ps: list[Person]) -> list[Person]:
    """What "Xuất Excel" of such software writes: an HTML table named .xls, title rows inside the table
    (colspan), no font named anywhere."""
    cols = [("STT", "stt"), ("Họ tên", "name"), ("Địa chỉ", "address"), ("Điện thoại", "phone"),
            ("Lĩnh vực", "field"), ("Tên TTHC", "procedure"), ("Ngày nhận hồ sơ", "submitted"),
            ("Hạn giải quyết", "appointment"), ("Ngày trả kết quả", "received")]
    n = len(cols)
    head = "".join(f"<td><b>{_esc(h)}</b></td>" for h, _ in cols)
    body = "\n".join("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in row) + "</tr>"
                     for row in data_rows(ps, cols, slash))
    html = f"""<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head>
<body><table border="1">
<tr><td colspan="{n}"><b>UBND XÃ KIM XÁ</b></td></tr>
<tr><td colspan="{n}"><b>DANH SÁCH TỔ CHỨC, CÁ NHÂN ĐÃ NHẬN KẾT QUẢ GIẢI QUYẾT TTHC NĂM {YEAR}</b></td></tr>
<tr><td colspan="{n}"></td></tr>
<tr>{head}</tr>
{body}
</table></body></html>
"""
    path.write_text(html, encoding="utf-8")
    return ps


# --- registry ------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Builder:
    name: str
    make: Callable[[Path], list[Person]]
    raw: bool  # True: ``make`` writes the file itself; False: it writes a .docx/.xlsx LibreOffice converts
    post: Callable[[Path], None] | None = None  # applied to the finished file (after LibreOffice)


REGISTRY: dict[str, Builder] = {}
_WORD_TARGETS = {".doc": "doc:MS Word 97", ".rtf": "rtf:Rich Text Format", ".odt": "odt:writer8",
                 ".html": "html:HTML (StarWriter)"}
_SHEET_TARGETS = {".xls": "xls:MS Excel 97", ".ods": "ods:calc8"}


def builds(name: str, raw: bool = False, post: Callable[[Path], None] | None = None):
    def deco(fn):
        if name in REGISTRY:
            raise ValueError(f"{name} registered twice")
        REGISTRY[name] = Builder(name, fn, raw, post)
        return fn
    return deco


@dataclass(frozen=True)
class Built:
    path: Path
    names: dict[str, str]  # STT as written -> name as written (NFC)


def build_corpus(folder: Path, only: set[str] | None = None) -> dict[str, Built]:
    """Build every registered file (or ``only`` these) into ``folder``; one soffice run per target format."""
    folder = Path(folder)
    src = folder.parent / (folder.name + "-src")
    folder.mkdir(parents=True, exist_ok=True)
    src.mkdir(parents=True, exist_ok=True)
    out: dict[str, Built] = {}
    jobs: dict[str, list[tuple[Path, Path]]] = {}
    for name, b in REGISTRY.items():
        if only is not None and name not in only:
            continue
        dest = folder / name
        suffix = dest.suffix.lower()
        if b.raw or suffix in (".docx", ".xlsx"):
            ps = b.make(dest)
        else:
            base = ".xlsx" if suffix in _SHEET_TARGETS else ".docx"
            tmp = src / suffix.lstrip(".") / (dest.stem + base)
            tmp.parent.mkdir(exist_ok=True)
            ps = b.make(tmp)
            jobs.setdefault(suffix, []).append((tmp, dest))
        out[name] = Built(dest, {str(p.stt): unicodedata.normalize("NFC", p.name) for p in ps or []})
    if jobs:
        _convert(jobs, src / "lo-profile")
    for name in out:
        if REGISTRY[name].post:
            REGISTRY[name].post(out[name].path)
    return out


def _convert(jobs: dict[str, list[tuple[Path, Path]]], profile: Path) -> None:
    soffice = find_soffice()
    if soffice is None:
        raise RuntimeError("LibreOffice (soffice) is needed to build the corpus")
    for suffix, pairs in jobs.items():
        filt = {**_WORD_TARGETS, **_SHEET_TARGETS}[suffix]
        outdir = pairs[0][0].parent / "out"
        outdir.mkdir(exist_ok=True)
        subprocess.run([soffice, f"-env:UserInstallation={profile.resolve().as_uri()}", "--headless", "--invisible",
                        "--norestore", "--nolockcheck", "--nologo", "--convert-to", filt, "--outdir", str(outdir),
                        *[str(s) for s, _ in pairs]], check=True, timeout=180,
                       stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for s, dest in pairs:
            made = outdir / (s.stem + suffix)
            if not made.is_file():
                raise RuntimeError(f"LibreOffice did not make {made.name}")
            shutil.move(str(made), dest)


# --- the font table of a binary .doc as Word writes it --------------------------------------------------------------

def add_alt_font_names(path: Path, alts: dict[str, str]) -> None:
    """Give fonts of a .doc's font table (SttbfFfn) the alternate name Word writes next to each font
    (``xszFfn`` = primary NUL alternate NUL, ``ixchSzAlt`` = where the alternate starts).

    LibreOffice's own .doc files carry no alternate name for the fonts a docx named, but Word's do, and
    LibreOffice reads them back as "primary;alternate" ("Times New Roman;Times New Roman").  The table is
    rebuilt in place: alternate names of other fonts are dropped to make room, and when even then not every
    matching entry fits, the first matching entries stay without one (the text uses the later ones).
    """
    import olefile

    ole = olefile.OleFileIO(str(path), write_mode=True)
    try:
        wd = bytearray(ole.openstream("WordDocument").read())
        tname = "1Table" if struct.unpack_from("<H", wd, 0x0A)[0] & 0x0200 else "0Table"
        fc, lcb = struct.unpack_from("<II", wd, 0x112)  # FibRgFcLcb97.fcSttbfFfn / lcbSttbfFfn
        table = bytearray(ole.openstream(tname).read())
        raw = bytes(table[fc:fc + lcb])
        entries, i = [], 4  # cData (2 bytes), cbExtra (2 bytes), then FFNs led by cbFfnM1
        for _ in range(struct.unpack_from("<H", raw, 0)[0]):
            size = raw[i] + 1
            ffn = raw[i:i + size]
            entries.append((ffn[:40], ffn[40:].decode("utf-16-le").split("\x00")[0]))
            i += size
        matching = [k for k, (_, name) in enumerate(entries) if name in alts]
        for skip in range(len(matching)):
            with_alt = set(matching[skip:])
            out = bytearray(raw[:4])
            for k, (head, name) in enumerate(entries):
                alt = alts.get(name, "") if k in with_alt else ""
                ffn = bytearray(head) + (name + "\x00" + (alt + "\x00" if alt else "")).encode("utf-16-le")
                ffn[0], ffn[5] = len(ffn) - 1, (len(name) + 1 if alt else 0)
                out += ffn
            if len(out) <= lcb:
                break
        else:
            raise RuntimeError(f"no room for alternate font names in {path.name}")
        if not matching:
            raise RuntimeError(f"{path.name} has none of the fonts {sorted(alts)}")
        table[fc:fc + lcb] = bytes(out) + bytes(lcb - len(out))
        struct.pack_into("<I", wd, 0x116, len(out))
        ole.write_stream(tname, bytes(table))
        ole.write_stream("WordDocument", bytes(wd))
    finally:
        ole.close()


def _alt_names(alts: dict[str, str]) -> Callable[[Path], None]:
    return lambda path: add_alt_font_names(path, alts)


# ==================================================================================================================
# The corpus. Each builder writes one file and returns the people on it.
# ==================================================================================================================

# --- headers -------------------------------------------------------------------------------------------------------

@builds("DS_Kim_Xa_mau.docx")
def _template(path):
    return word_list(path, people(), motto=True)


@builds("DS_Kim_Xa_ten_cot_1.docx")
def _vocab_1(path):
    cols = [("TT", "stt"), ("Họ tên", "name"), ("Nơi cư trú", "address"), ("Điện thoại", "phone"),
            ("Lĩnh vực TTHC", "field"), ("Tên TTHC", "procedure"), ("Ngày tiếp nhận", "submitted"),
            ("Ngày trả KQ", "received")]
    return word_list(path, people(), cols)


@builds("DS_Kim_Xa_ten_cot_2.docx")
def _vocab_2(path):
    cols = [("STT", "stt"), ("Tên thủ tục", "procedure"), ("Lĩnh vực giải quyết", "field"),
            ("Người nộp hồ sơ", "name"), ("Địa chỉ thường trú", "address"), ("SĐT", "phone"),
            ("Ngày nhận hồ sơ", "submitted"), ("Ngày nhận KQ", "received")]
    return word_list(path, people(), cols)


@builds("DS_Kim_Xa_nguoi_nop.docx")
def _submitter(path):
    cols = [("Số TT", "stt"), ("Họ và tên người nộp hồ sơ", "name"), ("Địa chỉ liên hệ", "address"),
            ("ĐT liên hệ", "phone"), ("Lĩnh vực", "field"), ("Thủ tục hành chính", "procedure"),
            ("Ngày nộp", "submitted"), ("Ngày hoàn thành", "received")]
    return word_list(path, people(), cols)


@builds("DS_Kim_Xa_chu_hoa.docx")
def _upper(path):
    cols = [("STT", "stt"), ("HỌ VÀ TÊN", "name"), ("ĐỊA CHỈ", "address"), ("SỐ ĐT", "phone"),
            ("LĨNH VỰC", "field"), ("TÊN THỦ TỤC HÀNH CHÍNH", "procedure"), ("NGÀY NỘP HỒ SƠ", "submitted"),
            ("NGÀY TRẢ KẾT QUẢ", "received")]
    return word_list(path, people(), cols)


@builds("DS_Kim_Xa_khong_dau.docx")
def _ascii(path):
    cols = [("STT", "stt"), ("Ho va ten", "name"), ("Dia chi", "address"), ("So dien thoai", "phone"),
            ("Linh vuc", "field"), ("Ten thu tuc", "procedure"), ("Ngay nop ho so", "submitted"),
            ("Ngay nhan ket qua", "received")]
    return word_list(path, people(), cols)


@builds("DS_Kim_Xa_NFD.docx")
def _nfd(path):
    return word_list(path, people(), encode=nfd)


@builds("DS_Kim_Xa_xuong_dong.docx")
def _line_breaks(path):
    cols = [("STT", "stt"), ("Họ và\ntên", "name"), ("Địa chỉ", "address"), ("Số điện\nthoại", "phone"),
            ("Lĩnh\nvực", "field"), ("Tên thủ tục\nhành chính", "procedure"), ("Ngày nộp\nhồ sơ", "submitted"),
            ("Ngày nhận\nkết quả", "received")]
    ps = people()
    w = WordList()
    w.heading(heading_lines())
    t_rows = [[h for h, _ in cols]] + data_rows(ps, cols)
    t_rows[0][2] = ""
    w.table(t_rows, paragraphs_in={(0, 2): ["Địa chỉ", "thường trú"]})  # two paragraphs in one cell
    w.signature()
    w.save(path)
    return ps


@builds("DS_Kim_Xa_tieu_de_2_dong.docx")
def _two_row_header(path):
    ps = people()
    cols = CANON
    top = ["STT", "Họ và tên", "Địa chỉ", "Số điện thoại", "Lĩnh vực", "Tên thủ tục hành chính", "Ngày", ""]
    sub = ["", "", "", "", "", "", "Tiếp nhận", "Trả kết quả"]
    numbering = [f"({i})" for i in range(1, 9)]
    merges = [(0, c, 1, c) for c in range(6)] + [(0, 6, 0, 7)]
    return word_list(path, ps, cols, header_rows=[top, sub, numbering], merges=merges)


@builds("DS_Kim_Xa_cot_phu.docx")
def _extra_columns(path):
    ps = [replace(p, note="Đúng hạn" if p.stt % 3 == 0 else "") for p in people()]
    cols = [("STT", "stt"), ("Mã hồ sơ", "code"), ("Họ và tên", "name"), ("Giới tính", "gender"),
            ("Năm sinh", "birth"), ("Số CCCD", "cccd"), ("Địa chỉ", "address"), ("Số điện thoại", "phone"),
            ("Lĩnh vực", "field"), ("Tên thủ tục hành chính", "procedure"), ("Ngày nộp hồ sơ", "submitted"),
            ("Ngày nhận kết quả", "received"), ("Trạng thái", "status"), ("Ghi chú", "note")]
    return word_list(path, ps, cols)


@builds("DS_Kim_Xa_to_chuc.docx")
def _organisation(path):
    cols = [("TT", "stt"), ("Tên tổ chức/cá nhân", "name"), ("Thôn/xóm", "address"), ("Số ĐT", "phone"),
            ("Lĩnh vực", "field"), ("Nội dung giao dịch", "procedure"), ("Ngày tiếp nhận", "submitted"),
            ("Ngày trả kết quả", "received")]
    return word_list(path, people(village_only=True), cols)


@builds("DS_Kim_Xa_chu_ho_so.docx")
def _owner(path):
    cols = [("STT", "stt"), ("Chủ hồ sơ", "name"), ("Nơi ở", "address"), ("Điện thoại", "phone"),
            ("Lĩnh vực", "field"), ("Loại hồ sơ", "procedure"), ("Ngày nhận hồ sơ", "submitted"),
            ("Ngày trả kết quả thực tế", "received")]
    return word_list(path, people(), cols)


# --- appointment columns -----------------------------------------------------------------------------------------

@builds("DS_Kim_Xa_hen_tra.docx")
def _appointment_only(path):
    cols = CANON[:7] + [("Ngày hẹn trả kết quả", "appointment")]
    return word_list(path, people(), cols)


@builds("DS_Kim_Xa_han_giai_quyet.doc")
def _deadline_only(path):
    cols = [("STT", "stt"), ("Họ và tên", "name"), ("Địa chỉ", "address"), ("Số điện thoại", "phone"),
            ("Lĩnh vực", "field"), ("Tên TTHC", "procedure"), ("Ngày tiếp nhận", "submitted"),
            ("Hạn giải quyết", "appointment")]
    return word_list(path, people(), cols)


@builds("DS_Kim_Xa_hen_va_tra.docx")
def _appointment_and_actual(path):
    ps = people()
    # a file taken in on 11/10 with an appointment after the window, returned early on 14/10: in the window
    ps[12] = replace(ps[12], submitted=dt.date(YEAR, 10, 11), appointment=dt.date(YEAR, 10, 18),
                     received=dt.date(YEAR, 10, 14))
    cols = CANON[:7] + [("Ngày hẹn trả", "appointment"), ("Ngày trả kết quả", "received")]
    return word_list(path, ps, cols)


@builds("DS_Kim_Xa_han_tra.docx")
def _deadline_and_actual(path):
    ps = people()
    ps[11] = replace(ps[11], received=None)  # STT 12: an appointment, but no result given yet
    cols = CANON[:7] + [("Hạn trả", "appointment"), ("Ngày trả KQ", "received")]
    return word_list(path, ps, cols)


# --- notes and status columns ----------------------------------------------------------------------------------

@builds("DS_Kim_Xa_ghi_chu.docx")
def _notes_not_received(path):
    notes = {4: "Chưa nhận kết quả", 11: "Công dân chưa đến nhận", 17: "Chưa trả", 2: "Đã nhận", 9: "Đúng hạn",
             25: "Đã nhận"}
    ps = [replace(p, note=notes.get(p.stt, "")) for p in people()]
    return word_list(path, ps, CANON + [("Ghi chú", "note")])


@builds("DS_Kim_Xa_trang_thai.docx")
def _status_not_received(path):
    status = {8: "Đang giải quyết", 23: "Đang xử lý"}
    ps = [replace(p, status=status.get(p.stt, "Đã trả kết quả")) for p in people()]
    return word_list(path, ps, CANON + [("Trạng thái", "status")])


@builds("DS_Kim_Xa_ghi_chu_cu_tru.docx")
def _notes_not_local(path):
    notes = {6: "Không cư trú tại địa phương", 21: "Hộ khẩu xã khác", 2: "Đúng hạn"}
    ps = [replace(p, note=notes.get(p.stt, ""), address="Thôn Đông" if p.stt in (6, 21) else p.address)
          for p in people()]
    return word_list(path, ps, CANON + [("Ghi chú", "note")])


# --- one list, several tables --------------------------------------------------------------------------------------

def _split(path, ps, sizes, *, header_again: bool, page_break: bool = True, columns=CANON):
    w = WordList()
    w.heading(heading_lines())
    start = 0
    for i, n in enumerate(sizes):
        if i and page_break:
            w.page_break()
        head = [[h for h, _ in columns]] if (i == 0 or header_again) else []
        w.table(head + data_rows(ps[start:start + n], columns))
        start += n
    w.signature()
    w.save(path)
    return ps


@builds("DS_Kim_Xa_ngat_trang.docx")
def _page_break_header_again(path):
    return _split(path, people(), (15, 15), header_again=True)


@builds("DS_Kim_Xa_bang_noi_tiep.docx")
def _continuation_without_header(path):
    return _split(path, people(), (18, 12), header_again=False)


@builds("DS_Kim_Xa_29_hai_bang.docx")
def _split_29(path):
    return _split(path, people(29), (15, 14), header_again=True)


@builds("DS_Kim_Xa_theo_linh_vuc.docx")
def _table_per_field(path):
    ps = people()
    by_field = {f: [p for p in ps if p.field == f] for f in FIELD_NAMES}
    ordered = renumber([p for f in FIELD_NAMES for p in by_field[f]])
    cols = [c for c in CANON if c[1] != "field"]
    w = WordList()
    w.heading(heading_lines())
    start = 0
    for i, f in enumerate(FIELD_NAMES, start=1):
        n = len(by_field[f])
        w.para(f"{i}. Lĩnh vực {f}", bold=True, center=False)
        w.table([[h for h, _ in cols]] + data_rows(ordered[start:start + n], cols))
        start += n
    w.signature()
    w.save(path)
    return ordered


@builds("DS_Kim_Xa_lap_tieu_de.docx")
def _header_repeated_inside(path):
    ps = people()
    head = [h for h, _ in CANON]
    rows = data_rows(ps, CANON)
    w = WordList()
    w.heading(heading_lines())
    w.table([head] + rows[:15] + [head] + rows[15:])
    w.signature()
    w.save(path)
    return ps


@builds("DS_Kim_Xa_nhom_linh_vuc.docx")
def _group_rows_total_and_blank_rows(path):
    ps = people()
    cols = [c for c in CANON if c[1] != "field"]
    ordered = renumber([p for f in FIELD_NAMES for p in ps if p.field == f])
    rows, merges = [[h for h, _ in cols]], []
    for i, f in enumerate(FIELD_NAMES):
        merges.append((len(rows), 0, len(rows), len(cols) - 1))
        rows.append([f"{'I II III IV'.split()[i]}. LĨNH VỰC {f.upper()}"] + [""] * (len(cols) - 1))
        rows += data_rows([p for p in ordered if p.field == f], cols)
    merges.append((len(rows), 0, len(rows), 2))
    rows.append(["Tổng cộng: 30 người"] + [""] * (len(cols) - 1))
    rows += [[""] * len(cols) for _ in range(3)]
    w = WordList()
    w.heading(heading_lines())
    w.table(rows, merges=merges)
    w.signature()
    w.save(path)
    return ordered


@builds("DS_Kim_Xa_bang_ky.docx")
def _summary_and_signature_tables(path):
    ps = people()
    w = WordList()
    w.motto_table("UBND XÃ KIM XÁ")
    w.heading(heading_lines()[1:])
    w.table([[h for h, _ in CANON]] + data_rows(ps, CANON))
    w.para("TỔNG HỢP THEO LĨNH VỰC", bold=True)
    counts = [(f, sum(p.field == f for p in ps)) for f in FIELD_NAMES]
    w.table([["STT", "Lĩnh vực", "Số người"]] + [[str(i), f, str(n)] for i, (f, n) in enumerate(counts, 1)]
            + [["", "Tổng cộng", "30"]])
    w.para("")
    w.table([["NGƯỜI LẬP BIỂU", "TM. ỦY BAN NHÂN DÂN"], ["(Ký, ghi rõ họ tên)", "CHỦ TỊCH"], ["", ""],
             ["Nguyễn Thị Hương", "Trần Văn Quý"]])
    w.para("")
    w.save(path)
    return ps


@builds("DS_Kim_Xa_tong_hop.docx")
def _same_width_summary_after(path):
    ps = people()
    w = WordList()
    w.heading(heading_lines())
    w.table([[h for h, _ in CANON]] + data_rows(ps, CANON))
    # right below, a summary table of the same width with its own header: not a continuation of the list
    head = ["STT", "Lĩnh vực", "Số hồ sơ tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn", "Số người chọn",
            "Ghi chú"]
    rows = [[str(i), f, str(100 + 37 * i), str(98 + 37 * i), str(97 + 37 * i), "1", str(n), ""]
            for i, (f, n) in enumerate(((f, sum(p.field == f for p in ps)) for f in FIELD_NAMES), start=1)]
    w.table([head] + rows + [["", "Tổng cộng", "470", "462", "458", "4", "30", ""]])
    w.signature()
    w.save(path)
    return ps


# --- Excel and other formats ---------------------------------------------------------------------------------------

@builds("DS_Kim_Xa.xlsx")
def _xlsx(path):
    return excel_list(path, people())


@builds("DS_Kim_Xa_loi.xls")
def _xls_with_errors(path):
    ps = people()
    ps[8] = replace(ps[8], received=None)  # STT 9
    ps[13] = replace(ps[13], address="Thôn Đông, xã Yên Bình")  # STT 14
    return excel_list(path, ps)


@builds("DS_Vinh_Ninh.ods")
def _ods_29(path):
    return excel_list(path, people(29, unit="Vĩnh Ninh"), title_unit=None)


@builds("DS_Kim_Xa_motcua.doc", raw=True)
def _web_doc(path):
    return web_export_doc(path, people())


@builds("DS_Kim_Xa_motcua.xls", raw=True)
def _web_xls(path):
    return web_export_xls(path, people())


@builds("DS_Kim_Xa.rtf")
def _rtf(path):
    return word_list(path, people())


@builds("DS_Kim_Xa.odt")
def _odt(path):
    return word_list(path, people())


@builds("DS_Kim_Xa_word97.doc")
def _doc(path):
    return word_list(path, people(), motto=True)


@builds("DS_Kim_Xa.html")
def _html(path):
    return word_list(path, people())


# --- fonts and encodings -------------------------------------------------------------------------------------------

@builds("DS_Kim_Xa_Arial.docx")
def _arial(path):
    return word_list(path, people(), font="Arial")


@builds("DS_Kim_Xa_Time_New_Roman.docx")
def _misspelt(path):
    return word_list(path, people(), font="Time New Roman")


@builds("DS_Kim_Xa_word2003.doc", post=_alt_names({TNR: TNR}))
def _doc_with_alt_names(path):
    return word_list(path, people(), motto=True)


@builds("DS_Kim_Xa_Time_New_Roman.doc", post=_alt_names({"Time New Roman": TNR}))
def _misspelt_doc(path):
    return word_list(path, people(), font="Time New Roman")


# TCVN3 .VnTime has no upper-case toned letters: a clerk types the title in mixed case
_LEGACY_HEADING = ["UBND xã Kim Xá", "Danh sách cá nhân, tổ chức đã giao dịch và nhận kết quả giải quyết "
                   "thủ tục hành chính tại Bộ phận một cửa xã Kim Xá", f"(Từ ngày 01/01/{YEAR} đến ngày 15/10/{YEAR})"]


@builds("DS_Kim_Xa_TCVN3.docx")
def _tcvn3(path):
    return word_list(path, people(), font=".VnTime", encode=tcvn3, lines=_LEGACY_HEADING, signature=False)


@builds("DS_Kim_Xa_VNI.doc")
def _vni(path):
    return word_list(path, people(), font="VNI-Times", encode=vni, lines=_LEGACY_HEADING, signature=False)


@builds("DS_Kim_Xa_TCVN3.doc", post=_alt_names({".VnTime": TNR}))
def _tcvn3_doc(path):
    return word_list(path, people(), font=".VnTime", encode=tcvn3, lines=_LEGACY_HEADING, signature=False)


@builds("DS_Kim_Xa_VnTime_Unicode.docx")
def _vntime_unicode(path):
    return word_list(path, people(), font=".VnTime")


@builds("DS_Kim_Xa_dau_trang.docx")
def _header_footer_fonts(path):
    ps = people()
    w = WordList()
    sec = w.doc.sections[0]
    run = sec.header.paragraphs[0].add_run("UBND XÃ KIM XÁ - Bộ phận một cửa")
    set_fonts(run._r, "Arial", "Arial", "Arial", "Arial")
    run = sec.footer.paragraphs[0].add_run("Danh sách gửi Phòng Nội vụ huyện Vĩnh Tường")
    set_fonts(run._r, "Calibri", "Calibri", "Calibri", "Calibri")
    w.heading(heading_lines())
    w.table([[h for h, _ in CANON]] + data_rows(ps, CANON))
    w.signature()
    w.save(path)
    return ps


@builds("DS_Kim_Xa_chu_de.docx")
def _theme_fonts(path):
    # python-docx's own template: every font comes from the theme (minorHAnsi = Cambria)
    return word_list(path, people(), font=None)


@builds("DS_Kim_Xa_chu_de_TNR.docx")
def _theme_tnr(path):
    word_list(path, ps := people(), font=None)
    _rewrite_part(path, "word/theme/theme1.xml",
                  lambda x: re.sub(r'(<a:(?:minor|major)Font>\s*<a:latin typeface=")[^"]*"', r'\1Times New Roman"', x))
    return ps


def _rewrite_part(path: Path, member: str, fix: Callable[[str], str]) -> None:
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == member:
                new = fix(data.decode("utf-8"))
                if new == data.decode("utf-8"):
                    raise RuntimeError(f"{member} of {path.name} unchanged")
                data = new.encode("utf-8")
            z.writestr(info, data)


# --- dates, counts, people -----------------------------------------------------------------------------------------

@builds("DS_Kim_Xa_ngay_1.docx")
def _dates_short(path):
    return word_list(path, people(), fmt=short)


@builds("DS_Kim_Xa_ngay_2.docx")
def _dates_dash(path):
    return word_list(path, people(), fmt=dash)


@builds("DS_Kim_Xa_ngay_3.docx")
def _dates_dot(path):
    return word_list(path, people(), fmt=dot)


@builds("DS_Kim_Xa_ngoai_thoi_gian.docx")
def _out_of_window(path):
    ps = people()
    ps[6] = replace(ps[6], submitted=dt.date(YEAR, 10, 14), received=dt.date(YEAR, 10, 20))  # STT 7
    ps[18] = replace(ps[18], submitted=dt.date(YEAR, 10, 12), received=dt.date(YEAR, 11, 3))  # STT 19
    return word_list(path, ps)


@builds("DS_Kim_Xa_tra_truoc_nop.docx")
def _result_before_submission(path):
    ps = people()
    ps[4] = replace(ps[4], submitted=dt.date(YEAR, 6, 15), received=dt.date(YEAR, 6, 10))  # STT 5
    return word_list(path, ps)


@builds("DS_Kim_Xa_29.docx")
def _count_29(path):
    return word_list(path, people(29))


@builds("DS_Kim_Xa_31.docx")
def _count_31(path):
    return word_list(path, people(31))


@builds("DS_Kim_Xa_trung.docx")
def _duplicate(path):
    ps = people()
    ps[17] = replace(ps[2], stt=18, procedure="Chứng thực chữ ký", field="Chứng thực",
                     submitted=dt.date(YEAR, 8, 3), received=dt.date(YEAR, 8, 4))  # STT 18 = STT 3
    return word_list(path, ps)


@builds("DS_Kim_Xa_dia_chi.docx")
def _not_local(path):
    ps = people()
    ps[9] = replace(ps[9], address="Thôn Đông, xã Yên Bình, huyện Vĩnh Tường")  # STT 10: another commune
    ps[24] = replace(ps[24], address="xã Đồng Cương, huyện Yên Lạc, tỉnh Vĩnh Phúc")  # STT 25: another district
    return word_list(path, ps)


@builds("DS_Kim_Xa_it_linh_vuc.docx")
def _two_fields(path):
    return word_list(path, people(fields=("Hộ tịch", "Chứng thực")))


# --- units and documents that are not lists --------------------------------------------------------------------

@builds("DS_Tam_Phuc.docx")
def _unit_from_file_name(path):
    return word_list(path, people(unit="Tam Phúc"), lines=heading_lines(None), unit="Tam Phúc")


@builds("danh_sach_2021.docx")
def _unknown_unit(path):
    w_lines = heading_lines(None)
    ps = people(village_only=True)
    w = WordList()
    w.heading(w_lines)
    w.table([[h for h, _ in CANON]] + data_rows(ps, CANON))
    w.para("Người lập biểu", bold=True)
    w.save(path)
    return ps


@builds("Bao_cao_CCHC_Tam_Phuc.docx")
def _report(path):
    w = WordList()
    w.heading(["UBND XÃ TAM PHÚC", "BÁO CÁO", f"Kết quả công tác cải cách hành chính năm {YEAR}"])
    w.para("Thực hiện Kế hoạch của UBND huyện, UBND xã Tam Phúc báo cáo kết quả như sau:", center=False)
    w.table([["Nội dung", "Kết quả"], ["Số hồ sơ tiếp nhận", "1.254"], ["Số hồ sơ giải quyết đúng hạn", "1.250"],
             ["Số hồ sơ quá hạn", "4"]])
    w.para("Trên đây là báo cáo của UBND xã Tam Phúc./.", center=False)
    w.save(path)
    return []


@builds("DS_Kim_Xa_sai_cot.docx")
def _unrecognised_headers(path):
    ps = people()
    cols = [("STT", "stt"), ("Công dân", "name"), ("Quê quán", "address"), ("Công việc", "procedure"),
            ("Ghi chú", "blank")]
    word_list(path, ps, cols)
    return []


@builds("DS_Kim_Xa_khong_cot_ket_qua.docx")
def _no_result_column(path):
    return word_list(path, people(), CANON[:7])


@builds("~$DS_Kim_Xa.docx", raw=True)
def _lock_file(path):
    user = "Admin"
    data = bytes([len(user)]) + user.encode("ascii").ljust(53, b" ") + struct.pack("<H", len(user)) \
        + user.encode("utf-16-le").ljust(106, b"\x00")
    path.write_bytes(data[:162])
    return []


@builds("DS_Kim_Xa_content_types.docx")
def _content_types_default(path):
    word_list(path, ps := people())
    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"

    def fix(x: str) -> str:
        # what some generators write: the main part typed by the xml Default, other xml parts by Overrides
        x = re.sub(r'<Override PartName="/word/document.xml"[^>]*/>',
                   '<Override PartName="/customXml/item1.xml" ContentType="application/xml"/>', x)
        return re.sub(r'<Default Extension="xml" ContentType="[^"]*"/>',
                      f'<Default Extension="xml" ContentType="{main}"/>', x)
    _rewrite_part(path, "[Content_Types].xml", fix)
    return ps
