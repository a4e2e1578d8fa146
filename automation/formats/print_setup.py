"""How a worksheet prints: A4, landscape when wide, one page wide, the header rows on every page, a header
with the sheet's title and a footer "Trang X/Y", gridlines for a table, page breaks where the caller says.

One description (:class:`PrintSetup`) applied by either writer the tool uses: openpyxl (:func:`apply_openpyxl`)
or XlsxWriter (:func:`apply_xlsxwriter`).  Both write the same XML: ``<sheetPr><pageSetUpPr fitToPage="1"/>``
(without it Excel and LibreOffice ignore ``fitToWidth``), ``<pageSetup paperSize="9" fitToWidth="1"
fitToHeight="0">`` (0: as many pages tall as needed), the print titles as the defined name
``_xlnm.Print_Titles``, ``<headerFooter>`` and ``<rowBreaks>``; a sheet of one column (a guide) gets a fixed
``scale`` instead, as LibreOffice never shrinks one column to the page.  The caller passes every text; nothing
here knows what a unit or a criterion is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

A4 = 9  # paperSize of A4 in SpreadsheetML
PORTRAIT_CHARS = 100.0  # column widths (characters) that fit an A4 portrait page at about 100 %
DEFAULT_WIDTH = 8.43  # Excel's width of a column nobody sized
MARGINS_IN = {"left": 0.5, "right": 0.4, "top": 0.75, "bottom": 0.6, "header": 0.3, "footer": 0.3}  # inches
FOOTER = "Trang &P/&N"  # "Trang 3/12": &P the page, &N the number of pages
HEADER_FONT = '&"Times New Roman,Bold"&11'
FOOTER_FONT = '&"Times New Roman,Regular"&10'
MAX_BREAKS = 1023  # Excel keeps at most 1,026 manual breaks a sheet (XlsxWriter: 1,023)
MAX_HEADER = 255  # Excel's longest header or footer (format codes included)
PAGE_PT = {False: 595.3, True: 841.9}  # A4's width in points, portrait and landscape
LINE_PT = 15.75  # a line of 12-point Times New Roman
CHAR_PT = 7.0  # a character of column width as LibreOffice prints it without Calibri (Excel: 5.3)


@dataclass(frozen=True)
class PrintSetup:
    """``title``: the text of the page header (the sheet's title, as the reader knows it); ``title_rows``: the
    first and last row (1-based) printed on top of every page, None for none; ``landscape``: None decides by
    the width of the columns (:func:`is_wide`); ``breaks``: the rows (1-based) after which a new page starts;
    ``gridlines``: printed (a table)."""

    title: str
    title_rows: tuple[int, int] | None = (1, 1)
    landscape: bool | None = None
    breaks: tuple[int, ...] = ()
    gridlines: bool = True

    @classmethod
    def text(cls, title: str) -> PrintSetup:
        """A sheet of prose (a guide, one wide column of lines): no header row, no grid."""
        return cls(title, title_rows=None, gridlines=False)

    def header(self) -> str:
        """The centre section of the page header (format codes and the title), without its ``&C``."""
        return _fit(HEADER_FONT, self.title)

    def footer(self) -> str:
        return FOOTER_FONT + FOOTER


def _escape(text: str) -> str:
    """``&`` introduces a format code in a header: a literal one is doubled."""
    return " ".join(text.split()).replace("&", "&&")


def _fit(codes: str, text: str) -> str:
    """Codes + text, the text shortened so the section (with its ``&C``) stays within Excel's 255 characters."""
    room = MAX_HEADER - len("&C") - len(codes)
    shown = _escape(text)
    if len(shown) > room:
        shown = shown[:room - 1].rstrip("&") + "…"
    return codes + shown


def is_wide(widths: Iterable[float]) -> bool:
    """True when columns this wide (characters) print better across an A4 page: landscape."""
    return sum(widths) > PORTRAIT_CHARS


def scale_for(widths: list[float], landscape: bool) -> int | None:
    """None: fit the columns to the page's width.  LibreOffice never shrinks a single column wider than the
    page (one column is already "one page wide"): such a sheet gets a fixed scale (per cent) that fits it."""
    if len(widths) > 1:
        return None
    room = PAGE_PT[landscape] - 72 * (MARGINS_IN["left"] + MARGINS_IN["right"])
    return max(10, min(100, int(room / (sum(widths) * CHAR_PT) * 100)))


def wrapped_height(cells: Iterable[tuple[str, float]], line_pt: float = LINE_PT) -> float | None:
    """The height (points) of a row showing each text wrapped in its column (``(text, width in characters)``),
    None when every text holds on one line.  LibreOffice prints a row the tool left unsized one line tall,
    whatever its wrapped text holds (the lines run into the next rows)."""
    lines = 1
    for text, width in cells:
        if text:
            lines = max(lines, wrapped_lines(text, max(1, int(width * 0.9))))
    return None if lines == 1 else lines * line_pt


def wrapped_lines(text: str, per_line: int) -> int:
    """The lines ``text`` takes wrapped at word boundaries ``per_line`` characters wide, as a spreadsheet wraps
    it (a word longer than the line is broken)."""
    total = 0
    for part in text.split("\n"):
        n, used = 1, 0
        for word in part.split():
            if used and used + 1 + len(word) > per_line:
                n, used = n + 1, 0
            if used == 0 and len(word) > per_line:
                n += (len(word) - 1) // per_line
                used = len(word) % per_line or per_line
            else:
                used += len(word) + (1 if used else 0)
        total += n
    return total


def size_wrapped_rows(ws, first_row: int = 1, line_pt: float = 15.0) -> None:
    """Give each row of the openpyxl worksheet ``ws`` from ``first_row`` down, not sized yet, the height its
    wrapped text cells need (:func:`wrapped_height`, the widths of their columns)."""
    from openpyxl.utils import get_column_letter  # noqa: PLC0415

    widths: dict[int, float] = {}
    for row in ws.iter_rows(min_row=first_row):
        cells = []
        for cell in row:
            if isinstance(cell.value, str) and cell.alignment is not None and cell.alignment.wrap_text:
                if cell.column not in widths:
                    dim = ws.column_dimensions.get(get_column_letter(cell.column))
                    widths[cell.column] = dim.width if dim is not None and dim.width else DEFAULT_WIDTH
                cells.append((cell.value, widths[cell.column]))
        height = wrapped_height(cells, line_pt)
        if row and height is not None and ws.row_dimensions[row[0].row].height is None:
            ws.row_dimensions[row[0].row].height = height


def breaks_between(keys: Sequence, first_row: int) -> tuple[int, ...]:
    """The rows after which a new page starts so that each run of equal ``keys`` (the rows from
    ``first_row`` down, in order) begins a page: one break before each change of key."""
    out = tuple(first_row + i - 1 for i in range(1, len(keys)) if keys[i] != keys[i - 1])
    return out[:MAX_BREAKS]


def apply_openpyxl(ws, setup: PrintSetup) -> None:
    """Set up the openpyxl worksheet ``ws`` to print as ``setup`` says."""
    from openpyxl.worksheet.page import PageMargins  # noqa: PLC0415
    from openpyxl.worksheet.pagebreak import Break, RowBreak  # noqa: PLC0415
    from openpyxl.worksheet.properties import PageSetupProperties  # noqa: PLC0415

    widths = _openpyxl_widths(ws)
    landscape = is_wide(widths) if setup.landscape is None else setup.landscape
    scale = scale_for(widths, landscape)
    ps = ws.page_setup
    ps.paperSize, ps.orientation = A4, "landscape" if landscape else "portrait"
    ps.fitToWidth, ps.fitToHeight = 1, 0
    if ws.sheet_properties.pageSetUpPr is None:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties()
    ws.sheet_properties.pageSetUpPr.fitToPage = scale is None
    if scale is not None:
        ps.scale = scale
    ws.page_margins = PageMargins(**MARGINS_IN)
    ws.print_options.gridLines = setup.gridlines
    ws.print_options.horizontalCentered = True
    if setup.title_rows is not None:
        ws.print_title_rows = f"{setup.title_rows[0]}:{setup.title_rows[1]}"
    # openpyxl composes a header item from its text, font and size: the codes are given whole instead
    ws.oddHeader.center.text = setup.header()
    ws.oddFooter.center.text = setup.footer()
    ws.row_breaks = RowBreak()
    for row in setup.breaks[:MAX_BREAKS]:
        ws.row_breaks.append(Break(id=row))


def _openpyxl_widths(ws) -> list[float]:
    from openpyxl.utils import column_index_from_string, get_column_letter  # noqa: PLC0415

    dims = ws.column_dimensions
    sized = [column_index_from_string(letter) for letter, dim in dims.items() if dim.width]
    out = []
    for c in range(1, max([ws.max_column or 1, *sized]) + 1):
        letter = get_column_letter(c)
        dim = dims[letter] if letter in dims else None
        if dim is not None and dim.hidden:
            continue
        out.append(dim.width if dim is not None and dim.width else DEFAULT_WIDTH)
    return out


def apply_xlsxwriter(ws, setup: PrintSetup, widths: Iterable[float]) -> None:
    """Set up the XlsxWriter worksheet ``ws`` (before the workbook is closed) to print as ``setup`` says;
    ``widths``: the printed columns' widths (characters), XlsxWriter cannot tell them."""
    widths = list(widths)
    landscape = is_wide(widths) if setup.landscape is None else setup.landscape
    scale = scale_for(widths, landscape)
    ws.set_paper(A4)
    if landscape:
        ws.set_landscape()
    else:
        ws.set_portrait()
    if scale is None:
        ws.fit_to_pages(1, 0)
    else:
        ws.set_print_scale(scale)
    m = MARGINS_IN
    ws.set_margins(left=m["left"], right=m["right"], top=m["top"], bottom=m["bottom"])
    ws.hide_gridlines(0 if setup.gridlines else 1)
    ws.center_horizontally()
    if setup.title_rows is not None:
        ws.repeat_rows(setup.title_rows[0] - 1, setup.title_rows[1] - 1)
    ws.set_header("&C" + setup.header(), {"margin": m["header"]})
    ws.set_footer("&C" + setup.footer(), {"margin": m["footer"]})
    if setup.breaks:
        ws.set_h_pagebreaks(list(setup.breaks[:MAX_BREAKS]))
