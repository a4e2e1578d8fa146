"""Every workbook the tool writes prints as an A4 document: each kind written for real, converted to PDF by
LibreOffice in one batch, its pages counted (``pdfinfo``) and read (``pdftotext``): one page wide and
landscape where wide, the header row on every page of a table, the sheet's title and "Trang X/Y" on every page,
each unit of the council's sheet from a new page; and the page setup itself read back with openpyxl."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from automation.appraisal.workbook import write_workbook
from automation.config import init_workspace, load_settings
from automation.formats import print_setup as ps
from automation.formats.convert import Converter
from automation.forms.self_assessment import HEADER_ROW, write_forms
from automation.forms.survey import write_survey_forms
from automation.scoring.framework import load_framework
from automation.scoring.table import Row, Table, compute_table
from automation.status.workbook import write_status
from automation.survey.model import SampledPerson
from automation.survey.questions import load_questions

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = {"framework": ROOT / "templates" / "bo-tieu-chi.xlsx",
              "preset": ROOT / "automation" / "data" / "presets" / "phu-tho" / "bo-tieu-chi.xlsx"}
A4_LANDSCAPE = (841.89, 595.3)


def _table(settings, fw) -> Table:
    rows = []
    for u in settings.units:
        for i, c in enumerate(fw.scored):
            rows.append(Row(u.code, u.full_name, c.code, c.content, c.max_points, self_score=c.max_points / 2,
                            appraised=Decimal("0.5") if i == 0 else None, comment="Thiếu hồ sơ" if i == 2 else "",
                            evidence=[(f"bc {u.code}.pdf", f"../luu-tru/{u.slug}/bc {u.code}.pdf")] if i == 1 else []))
    return compute_table(Table(rows, {}), fw, settings)


def _people(settings) -> list[SampledPerson]:
    return [SampledPerson(f"{u.code}-{i:02d}", u.code, u.full_name, f"Nguyễn Văn {chr(65 + i)}", f"Thôn {i}",
                          "", "Hộ tịch", "Đăng ký khai sinh") for u in list(settings.units)[:6] for i in range(8)]


@pytest.fixture(scope="module")
def books(tmp_path_factory):
    """One workbook of each kind, as the tool writes it for the shipped 28-unit district."""
    tmp = tmp_path_factory.mktemp("print")
    root = init_workspace(tmp / "ws")
    settings = load_settings(root)
    fw = load_framework(root / "templates" / "bo-tieu-chi.xlsx")
    table = _table(settings, fw)
    out = {"appraisal": write_workbook(tmp / "tham-dinh-2021.xlsm", table, fw, settings),
           "status": write_status(settings, table=table),
           "self_assessment": write_forms(root / "outbox", settings, fw).workbooks[0],
           "survey": write_survey_forms(root / "outbox", settings, load_questions(), _people(settings)).entry_workbook}
    return {**out, **FRAMEWORKS}


def _pages(pdf: Path) -> list[str]:
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                                                            check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-f", str(p), "-l", str(p), str(pdf), "-"], capture_output=True,
                           text=True, check=True).stdout for p in range(1, count + 1)]


def _outside(pdf: Path) -> list[str]:
    """The words printed (partly) beyond the paper's left or right edge."""
    xml = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    out = []
    for width, body in re.findall(r'<page width="([\d.]+)"[^>]*>(.*?)</page>', xml, re.S):
        out += [w for x0, x1, w in re.findall(r'<word xMin="([-\d.]+)" yMin="[-\d.]+" xMax="([-\d.]+)"[^>]*>([^<]*)',
                                              body) if float(x0) < 0 or float(x1) > float(width)]
    return out


def _sizes(pdf: Path) -> list[tuple[float, float]]:
    out = subprocess.run(["pdfinfo", "-f", "1", "-l", "100000", str(pdf)], capture_output=True, text=True,
                         check=True).stdout
    return [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", out)]


@pytest.fixture(scope="module")
def pdfs(books, tmp_path_factory):
    """Each workbook as PDF, all in one LibreOffice batch: (pages' text, pages' sizes) by kind."""
    if shutil.which("pdftotext") is None or shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils (pdftotext, pdfinfo) not installed")
    keep = tmp_path_factory.mktemp("pdf")
    with Converter(timeout_s=180) as conv:
        done = conv.convert_many(list(books.values()), "pdf")
        out = {}
        for kind, book in books.items():
            assert isinstance(done[book], Path), done[book]
            pdf = shutil.copyfile(done[book], keep / f"{kind}.pdf")
            out[kind] = (_pages(pdf), _sizes(pdf), _outside(pdf))
    return out


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _title(ws) -> str:
    """The page header's text, without its format codes."""
    return re.sub(r'&"[^"]*"|&\d+', "", ws.oddHeader.center.text or "").replace("&&", "&")


def _printed(book: Path) -> list:
    wb = openpyxl.load_workbook(book)
    return [ws for ws in wb.worksheets if ws.sheet_state == "visible"]


HEADER_ROWS = {"ThamDinh": 1, "TrangThai": 1, "VanDe": 1, "TuDanhGia": HEADER_ROW, "NhapPhieu": 1, "TieuChi": 3, "CauHoi": 0,
               "TongHop": 0, "HuongDan": None}  # 0: the row holding the sheet's first header ("Mã ...")


def _header_cells(ws) -> list[str]:
    """The texts of the sheet's header row (None: a sheet of text, no header)."""
    row = HEADER_ROWS[ws.title]
    if row == 0:
        row = next(c.row for c in ws["A"] if str(c.value or "").startswith(("Mã", "Loại hồ sơ")))
    return [] if row is None else [str(c.value) for c in ws[row] if c.value]


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind, most", [("appraisal", 60), ("status", 3), ("self_assessment", 4), ("survey", 3),
                                        ("framework", 8), ("preset", 8)])
def test_each_page_holds_its_sheets_title_page_number_and_whole_header(books, pdfs, kind, most):
    pages, sizes, outside = pdfs[kind]
    assert 1 <= len(pages) <= most
    assert outside == []  # nothing cut at the paper's edge
    sheets = _printed(books[kind])
    titles = sorted(((_flat(_title(ws)), ws) for ws in sheets), key=lambda t: -len(t[0]))
    seen = set()
    for n, text in enumerate(pages, start=1):
        flat = _flat(text)
        assert f"Trang{n}/{len(pages)}" in flat, (kind, n)
        ws = next((ws for title, ws in titles if title and title in flat), None)
        assert ws is not None, (kind, n, text[:200])
        seen.add(ws.title)
        words = set(text.split())  # a header cell wraps: its words, not its lines, are on the page
        heads = _header_cells(ws)
        assert bool(heads) == bool(ws.print_title_rows), (kind, ws.title)
        for head in heads:
            assert set(head.split()) <= words, (kind, ws.title, n, head)
    assert seen == {ws.title for ws in sheets}
    wide = [ws for ws in sheets if ws.page_setup.orientation == "landscape"]
    assert wide, kind
    assert all(abs(w - A4_LANDSCAPE[0]) < 1 and abs(h - A4_LANDSCAPE[1]) < 1 or
               abs(w - A4_LANDSCAPE[1]) < 1 and abs(h - A4_LANDSCAPE[0]) < 1 for w, h in sizes)


@pytest.mark.libreoffice
def test_each_unit_of_the_council_sheet_starts_a_page(books, pdfs):
    pages, sizes, _ = pdfs["appraisal"]
    units = list(load_settings(books["appraisal"].parent / "ws").units)
    tham_dinh = [p for p in pages if "điểm từng tiêu chí" in p]
    assert len(units) <= len(tham_dinh) <= 2 * len(units)  # the whole width, 47 criteria on one or two pages
    codes = [set(re.findall(r"^(09\d{3})$", text, re.M)) for text in tham_dinh]
    assert all(len(c) == 1 for c in codes)  # never two units on a page
    order = [c.pop() for c in codes]
    assert [u for i, u in enumerate(order) if i == 0 or order[i - 1] != u] == [u.code for u in units]
    assert all(w > h for w, h in sizes)


def _breaks(ws) -> list[int]:
    return [b.id for b in ws.row_breaks.brk]


def test_page_setup_as_written(books):
    for kind, book in books.items():
        for ws in _printed(book):
            setup = ws.page_setup
            assert setup.paperSize in (9, "9"), (kind, ws.title)
            if ws.max_column > 1:
                assert int(setup.fitToWidth or 1) == 1, (kind, ws.title)  # 1, the default, XlsxWriter omits
                assert int(setup.fitToHeight) == 0, (kind, ws.title)
                assert ws.sheet_properties.pageSetUpPr.fitToPage, (kind, ws.title)
            else:  # a guide: one wide column, which LibreOffice would not shrink to the page
                assert not ws.sheet_properties.pageSetUpPr.fitToPage and 50 <= int(setup.scale) < 100
            assert ws.oddFooter.center.text.endswith("Trang &P/&N"), (kind, ws.title)
            assert _title(ws).strip(), (kind, ws.title)
            table = bool(ws.print_title_rows)
            assert bool(ws.print_options.gridLines) == table, (kind, ws.title)
    td = openpyxl.load_workbook(books["appraisal"])["ThamDinh"]
    assert td.page_setup.orientation == "landscape" and td.print_title_rows == "$1:$1"
    codes = [r[0] for r in td.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert _breaks(td) == [n for n in range(2, len(codes) + 1) if codes[n - 1] != codes[n - 2]]
    assert len(_breaks(td)) == len(set(codes)) - 1 == 27
    st = openpyxl.load_workbook(books["status"])
    assert st["TrangThai"].page_setup.orientation == "landscape" and st["TrangThai"].print_title_rows == "$1:$1"
    assert st["TongHop"].print_title_rows == "$3:$3"
    assert "Tình hình tiếp nhận hồ sơ" in _title(st["TrangThai"])


def test_a_rebuild_keeps_the_print_setup_for_the_new_rows(tmp_path):
    root = init_workspace(tmp_path / "ws")
    settings = load_settings(root)
    fw = load_framework(root / "templates" / "bo-tieu-chi.xlsx")
    table = _table(settings, fw)
    path = tmp_path / "tham-dinh.xlsm"
    write_workbook(path, table, fw, settings)
    first = [r for r in table.rows if r.unit_code != table.rows[0].unit_code]  # a unit fewer, rows moved up
    write_workbook(path, compute_table(Table(first, {}), fw, settings), fw, settings)
    td = openpyxl.load_workbook(path, keep_vba=True)["ThamDinh"]
    codes = [r[0] for r in td.iter_rows(min_row=2, max_col=1, values_only=True)]
    assert _breaks(td) == [n for n in range(2, len(codes) + 1) if codes[n - 1] != codes[n - 2]]
    assert len(_breaks(td)) == 26 and td.page_setup.orientation == "landscape"
    with zipfile.ZipFile(path) as z:
        assert "xl/vbaProject.bin" in z.namelist()


def test_breaks_between_runs_of_a_key():
    assert ps.breaks_between(["a", "a", "b", "b", "b", "c"], first_row=2) == (3, 6)
    assert ps.breaks_between([], first_row=2) == () == ps.breaks_between(["a"], first_row=2)
    assert len(ps.breaks_between(list(range(5000)), first_row=2)) == ps.MAX_BREAKS


def test_a_title_is_escaped_and_kept_within_excels_limit():
    assert ps.PrintSetup("Lãi & lỗ").header().endswith("Lãi && lỗ")
    long = ps.PrintSetup("Bảng " * 100).header()
    assert len("&C" + long) <= ps.MAX_HEADER and long.endswith("…")


def test_orientation_by_width(tmp_path):
    wb = openpyxl.Workbook()
    narrow, wide = wb.active, wb.create_sheet("Rong")
    narrow.column_dimensions["A"].width, narrow["B1"] = 60, "x"
    for c in "ABCDEFGH":
        wide.column_dimensions[c].width = 14
    ps.apply_openpyxl(narrow, ps.PrintSetup("Hẹp"))
    ps.apply_openpyxl(wide, ps.PrintSetup("Rộng"))
    wb.save(tmp_path / "b.xlsx")
    back = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert back["Sheet"].page_setup.orientation == "portrait"
    assert back["Rong"].page_setup.orientation == "landscape"


@pytest.mark.libreoffice
def test_wrapped_text_prints_whole_in_its_row(books, pdfs):
    """Each criterion's content on the first unit's page reads whole: its row is as tall as its lines (an
    unsized row prints one line tall in LibreOffice, the lines running into the next rows)."""
    pages = pdfs["appraisal"][0]
    td = openpyxl.load_workbook(books["appraisal"])["ThamDinh"]
    first = [r for r in td.iter_rows(min_row=2, values_only=True) if r[0] == td["A2"].value]
    flat = _flat("".join(p for p in pages if re.search(rf"^{first[0][0]}$", p, re.M) and "tiêu chí" in p))
    assert [r[3] for r in first if _flat(r[3]) not in flat] == []
    assert any(td.row_dimensions[n].height for n in range(2, len(first) + 2))


def test_wrapped_height():
    assert ps.wrapped_height([("ngắn", 20), ("", 10)]) is None
    assert ps.wrapped_height([("x" * 100, 60)]) == 2 * ps.LINE_PT
    assert ps.wrapped_height([("một\nhai\nba", 60), ("x" * 30, 10)], line_pt=15) == 4 * 15


def test_size_wrapped_rows_leaves_sized_rows(tmp_path):
    from openpyxl.styles import Alignment
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.column_dimensions["B"].width = 20
    for r in (1, 2, 3):
        ws.cell(r, 2, "chữ dài " * 10).alignment = Alignment(wrap_text=r != 3)
    ws.row_dimensions[2].height = 40
    ps.size_wrapped_rows(ws)
    assert (ws.row_dimensions[1].height, ws.row_dimensions[2].height, ws.row_dimensions[3].height) == (75, 40, None)
