"""Small builders of real .docx files (python-docx + raw WordprocessingML where python-docx stops)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

HEADERS = ["STT", "Họ và tên", "Địa chỉ", "Số điện thoại", "Lĩnh vực", "Tên thủ tục hành chính",
           "Ngày nộp hồ sơ", "Ngày nhận kết quả"]
FIELDS = [("Hộ tịch", "Đăng ký khai sinh"), ("Chứng thực", "Chứng thực bản sao từ bản chính"),
          ("Đất đai", "Đăng ký biến động đất đai"), ("Lao động - Thương binh và Xã hội", "Xác nhận hộ nghèo")]
FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ"]
GIVEN = ["Văn An", "Thị Bình", "Đức Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quang Hùng", "Thị Lan"]


def set_fonts(rpr_owner, ascii="Times New Roman", hAnsi=None, eastAsia=None, cs=None, clear_theme=True):
    """Write w:rFonts on an element owning an rPr (style, run, rPrDefault); None leaves a slot unset."""
    rpr = rpr_owner.get_or_add_rPr() if hasattr(rpr_owner, "get_or_add_rPr") else rpr_owner
    rf = rpr.find(qn("w:rFonts"))
    if rf is None:
        rf = parse_xml(f"<w:rFonts {nsdecls('w')}/>")
        rpr.insert(0, rf)
    if clear_theme:
        for a in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            rf.attrib.pop(qn(a), None)
    for slot, value in (("w:ascii", ascii), ("w:hAnsi", hAnsi if hAnsi is not None else ascii),
                        ("w:eastAsia", eastAsia), ("w:cs", cs)):
        if value is not None:
            rf.set(qn(slot), value)
    return rf


def tnr_document(font: str = "Times New Roman") -> Document:
    """A blank document whose defaults and Normal style are ``font`` in every slot."""
    doc = Document()
    defaults = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    set_fonts(defaults, font, font, font, font)
    set_fonts(doc.styles["Normal"].element, font, font, font, font)
    return doc


def person_rows(n: int, year: int = 2021, unit: str = "Kim Xá"):
    rows = []
    for i in range(n):
        field, proc = FIELDS[i % len(FIELDS)]
        name = f"{FAMILY[i % len(FAMILY)]} {GIVEN[(i // len(FAMILY)) % len(GIVEN)]} {chr(65 + i % 26)}"
        month = 1 + i % 9
        rows.append([str(i + 1), name, f"Thôn Đông {i}, xã {unit}", f"09123456{i:02d}", field, proc,
                     f"{3 + i % 20:02d}/{month:02d}/{year}", f"{5 + i % 20:02d}/{month:02d}/{year}"])
    return rows


def list_document(path: Path, rows=None, headers=None, heading=("UBND XÃ KIM XÁ", "DANH SÁCH"),
                  font: str = "Times New Roman", doc=None) -> Path:
    """A respondent list: heading paragraphs, then one table with ``headers`` and ``rows``."""
    doc = doc or tnr_document(font)
    for text in heading:
        doc.add_paragraph(text)
    headers = headers or HEADERS
    rows = person_rows(30) if rows is None else rows
    table = doc.add_table(rows=1, cols=len(headers))
    for cell, text in zip(table.rows[0].cells, headers):
        cell.text = text
    for r in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, r):
            cell.text = text
    doc.add_paragraph("Người lập biểu")
    doc.save(path)
    return path


SA_HEADERS = ["Mã tiêu chí", "Nội dung", "Điểm tối đa", "Điểm tự chấm", "Tài liệu kiểm chứng", "Giải trình"]


def self_assessment_workbook(path: Path, unit_name: str, unit_code: str, criteria, scores: dict,
                             evidence: dict | None = None) -> Path:
    """A commune's self-assessment workbook as the office's form lays it out (openpyxl)."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TuDanhGia"
    ws.append(["BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH"])
    ws.append([f"Đơn vị: {unit_name}"])
    ws.append(["Mã đơn vị:", unit_code])
    ws.append(SA_HEADERS)
    for c in criteria:
        ws.append([c.code, c.content, float(c.max_points), scores.get(c.code),
                   (evidence or {}).get(c.code, f"Tài liệu {c.code}"), ""])
    wb.save(path)
    return path


SMALL_FRAMEWORK = [
    ("BỘ TIÊU CHÍ MẪU dùng trong kiểm thử",),
    ("Mã tiêu chí", "Nội dung", "Điểm tối đa", "Cách đánh giá", "Tài liệu kiểm chứng"),
    ("1", "Công tác chỉ đạo, điều hành", 30, "Thẩm định", ""),
    ("1.1", "Ban hành kế hoạch CCHC năm", 10, "Thẩm định", "Kế hoạch CCHC"),
    ("1.2", "Báo cáo CCHC định kỳ", 20, "Thẩm định", "Báo cáo"),
    ("2", "Thủ tục hành chính, một cửa", 40, "Thẩm định", ""),
    ("2.1", "Niêm yết công khai TTHC", 15, "Thẩm định", "Ảnh chụp"),
    ("2.2", "Giải quyết hồ sơ đúng hạn", 25, "Thẩm định", "Sổ theo dõi"),
    ("3", "Sự hài lòng của người dân", 30, "Điều tra XHH", ""),
    ("3.1", "Hài lòng về thủ tục", 30, "Điều tra XHH", ""),
]


def framework_workbook(path: Path, rows=SMALL_FRAMEWORK) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "TieuChi"
    for r in rows:
        ws.append(list(r))
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


# a framework with bonus and penalty criteria on an 80-point scale (not 100): area 3 holds them
ADJUSTED_FRAMEWORK = [
    ("BỘ TIÊU CHÍ MẪU có điểm thưởng, điểm trừ, dùng trong kiểm thử",),
    ("Mã tiêu chí", "Nội dung", "Điểm tối đa", "Cách đánh giá", "Tài liệu kiểm chứng"),
    ("1", "Công tác chỉ đạo, điều hành", 60, "Thẩm định", ""),
    ("1.1", "Ban hành kế hoạch CCHC năm", 20, "Thẩm định", "Kế hoạch CCHC"),
    ("1.2", "Báo cáo CCHC định kỳ", 40, "Thẩm định", "Báo cáo"),
    ("2", "Sự hài lòng của người dân", 20, "Điều tra XHH", ""),
    ("2.1", "Hài lòng về thủ tục", 20, "Điều tra XHH", ""),
    ("3", "Điểm thưởng, điểm trừ", 3, "Điểm thưởng, điểm trừ", ""),
    ("3.1", "Sáng kiến CCHC được công nhận", 3, "Điểm thưởng", "Quyết định công nhận"),
    ("3.2", "Cán bộ, công chức bị kỷ luật", 2, "Điểm trừ", "Quyết định kỷ luật"),
    ("3.3", "Chậm gửi báo cáo", 1.5, "ĐIỂM TRỪ", "Văn bản gửi"),
]
