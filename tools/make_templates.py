"""Write the four document templates ``templates/{ke-hoach,thong-bao,bao-cao,quyet-dinh}.docx``.

Each is an ordinary Word file in the layout of Nghị định 30/2020/NĐ-CP (A4 portrait; margins 20/20/30/15 mm;
Times New Roman in every font slot of the defaults and styles, no theme fonts; the two-column header with
the issuing body and the national motto; number and date on one row; document type and summary with a
short rule; body 14 pt justified with a 1.27 cm first-line indent and 6 pt between paragraphs; the
"Nơi nhận" / signature table; page numbers centred in the top margin from page 2) carrying docxtpl tags
(``{{ var }}``, ``{%p ... %}``, ``{%tr ... %}``) over the variables of ``automation.documents.context``.
The Plan reproduces the office's 2021 plan word for word when rendered with the 2021 settings.
Staff may edit the files in Word; this script is how the shipped versions are made, on the document base
and with the helpers of ``automation.formats.docx_write``.  The output is byte-for-byte deterministic.

    .venv/bin/python tools/make_templates.py [FOLDER]
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx.enum.section import WD_SECTION
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the templates are made by the code that renders them

from automation.formats import decree30 as d30  # noqa: E402
from automation.formats import docx_write as dw  # noqa: E402

OUTPUT = ROOT / "templates"
FIXED_TIME = datetime(2024, 1, 1)
BODY = 14  # body text size (NĐ 30: 13-14)
TEXT_CM = 16.5  # 210 mm - 30 mm - 15 mm
_MARK = re.compile(r"(\*\*|~~)")  # **bold**, ~~italic~~ in the texts below


class Builder:
    """A python-docx document with the helpers the four templates share."""

    def __init__(self, title: str):
        # A4 portrait, margins 20/20/30/15 mm, single lines and 0 pt after by default
        self.doc = dw.new_document(size_pt=BODY, header_mm=10, footer_mm=10)
        dw.page_numbers(self.doc.sections[0], size_pt=13)
        props = self.doc.core_properties
        props.title, props.author, props.last_modified_by = title, "cchc", "cchc"
        props.comments = "Mẫu văn bản của cchc (tools/make_templates.py), thể thức theo Nghị định 30/2020/NĐ-CP"
        props.created = props.modified = props.last_printed = FIXED_TIME
        props.revision = 1

    # --- paragraphs ---
    def par(self, text: str = "", where=None, *, align: str = "justify", size: int = BODY, bold: bool = False,
            italic: bool = False, indent: bool = True, before: int = 0, after: int = 6, color=None):
        """A paragraph of ``text`` (``**bold**`` and ``~~italic~~`` toggle inside it)."""
        p = dw.para(where if where is not None else self.doc, align=align, before=before, after=after,
                    indent=Cm(1.27) if indent else None)
        state = {"**": bold, "~~": italic}
        for piece in _MARK.split(text):
            if piece in state:
                state[piece] = not state[piece]
            elif piece:
                dw.run(p, piece, size=size, bold=state["**"], italic=state["~~"], color=color)
        return p

    def tag(self, text: str, where=None):
        """A paragraph holding only a ``{%p ... %}`` tag (docxtpl removes the paragraph)."""
        return self.par(text, where, align="left", indent=False, after=0)

    def body(self, *texts: str, **kw) -> None:
        for text in texts:
            self.par(text, **kw)

    def heading(self, text: str, **kw) -> None:
        self.par(text, bold=True, **kw).paragraph_format.keep_with_next = True

    def rule(self, *, width: float, within: float = TEXT_CM, after: int = 6) -> None:
        """A centred horizontal rule ``width`` cm long (the layout helpers' rule)."""
        self.xml(d30.rule(width * 10, within_mm=within * 10, after=after))

    # --- tables ---
    def table(self, widths: tuple[float, ...], rows: int = 1, grid: bool = False, header_rows: int = 0):
        return dw.table(self.doc, [Cm(w) for w in widths], rows=rows, style="Table Grid" if grid else None,
                        header_rows=header_rows)  # header rows repeated on every page

    def grid(self, widths, headers, loop: str, cells, totals=None) -> None:
        """A bordered table: a bold header row, a ``{%tr for ... %}`` row, the data row, ``{%tr endfor %}``
        and an optional totals row.  ``cells`` are (text, align) per column."""
        t = self.table(widths, rows=4 + (1 if totals else 0), grid=True, header_rows=1)
        for cell, text in zip(t.rows[0].cells, headers):
            self.par(text, cell, align="center", size=12, bold=True, indent=False, after=0)
        self.par(f"{{%tr {loop} %}}", t.rows[1].cells[0], align="left", size=12, indent=False, after=0)
        for cell, (text, align) in zip(t.rows[2].cells, cells):
            self.par(text, cell, align=align, size=12, indent=False, after=0)
        self.par("{%tr endfor %}", t.rows[3].cells[0], align="left", size=12, indent=False, after=0)
        if totals:
            for cell, (text, align) in zip(t.rows[4].cells, totals):
                self.par(text, cell, align=align, size=12, bold=True, indent=False, after=0)
        self.par("", indent=False, after=0, size=6)

    # --- Decree 30 blocks ---
    def draft_marker(self) -> None:
        """"DỰ THẢO", bold and red in a box at the top right, only while ``du_thao``."""
        self.tag("{%p if du_thao %}")
        p = self.par("DỰ THẢO", align="center", size=13, bold=True, indent=False, after=6,
                     color=RGBColor(0xC0, 0x00, 0x00))
        p.paragraph_format.left_indent = Cm(TEXT_CM - 3.6)
        _box(p)
        self.tag("{%p endif %}")

    def xml(self, fragment: str) -> None:
        """Append the paragraphs and tables of ``fragment`` (WordprocessingML from the layout helpers)."""
        d30.append(self.doc, fragment)

    def header(self) -> None:
        """Ô 1-4: issuing body (and its parent, when there is one) | national motto; number | place and date."""
        self.xml(d30.header(["{{ co_quan_ban_hanh }}"], parent=_when("co_quan_chu_quan", "{{ co_quan_chu_quan }}"),
                            number="{{ so_ky_hieu }}", place_date="{{ dia_danh_ngay }}"))

    def title(self, kind: str, summary: str) -> None:
        """Ô 5a: document type, summary and a rule under it."""
        self.xml(d30.title(kind, summary))

    def signature(self) -> None:
        """Ô 9b (recipients) | ô 7a-7b (authority, title, name)."""
        self.doc.paragraphs[-1].paragraph_format.keep_with_next = True  # the last lines go with the signature
        self.xml(d30.signature(authority=_when("quyen_han", "{{ quyen_han }}"),
                               titles=_each("l in chuc_vu", "{{ l }}"), name="{{ nguoi_ky }}",
                               recipients=_each("x in noi_nhan", "{{ x }}"), archive="{{ luu }}"))

    def save(self, path: Path) -> None:
        raw = io.BytesIO()
        self.doc.save(raw)
        out = io.BytesIO()
        with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6]),
                             src.read(info.filename), compress_type=zipfile.ZIP_DEFLATED)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_bytes(out.getvalue())
        tmp.replace(path)


def _when(condition: str, line: str) -> list[str]:
    """``line`` only when ``condition`` holds (docxtpl paragraph tags around it)."""
    return [d30.Tag(f"{{%p if {condition} %}}"), line, d30.Tag("{%p endif %}")]


def _each(loop: str, line: str) -> list[str]:
    """``line`` once per item of ``loop`` ("x in noi_nhan")."""
    return [d30.Tag(f"{{%p for {loop} %}}"), line, d30.Tag("{%p endfor %}")]


def _box(p) -> None:
    bdr = OxmlElement("w:pBdr")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        for k, v in (("w:val", "single"), ("w:sz", "8"), ("w:space", "2"), ("w:color", "C00000")):
            el.set(qn(k), v)
        bdr.append(el)
    ppr = p._p.get_or_add_pPr()
    ppr.insert_element_before(bdr, "w:shd", "w:tabs", "w:spacing", "w:ind", "w:jc", "w:rPr")


# --- Kế hoạch (the office's 2021 plan, word for word) ------------------------------------------------

def plan() -> Builder:
    b = Builder("Kế hoạch xác định Chỉ số CCHC")
    b.draft_marker()
    b.header()
    b.title("KẾ HOẠCH", "Xác định Chỉ số cải cách hành chính năm {{ nam }} của các {{ loai_don_vi }} trên địa bàn "
                        "{{ dia_ban }}")
    b.body("Thực hiện nhiệm vụ công tác cải cách hành chính (CCHC) năm {{ nam }} của {{ co_quan }} và "
           "{{ qd_tieu_chi }}, {{ co_quan }} ban hành Kế hoạch xác định Chỉ số CCHC năm {{ nam }} của các "
           "{{ loai_don_vi }} trên địa bàn {{ dia_ban }} như sau:")
    b.heading("I. MỤC ĐÍCH, YÊU CẦU")
    b.heading("1. Mục đích:")
    b.body("- Nhằm thẩm định, đánh giá chính xác, khách quan kết quả công tác chỉ đạo và tổ chức thực hiện các "
           "nhiệm vụ cải cách hành chính năm {{ nam }} của các {{ loai_don_vi }} trên địa bàn {{ cap }}.",
           "- Nâng cao nhận thức và trách nhiệm của các cơ quan, đơn vị; các tổ chức, cá nhân đối với công tác cải "
           "cách hành chính nói chung và công tác đánh giá, xếp hạng Chỉ số CCHC đối với các {{ loai_don_vi }} trên "
           "địa bàn {{ cap }} nói riêng.",
           "- Lấy kết quả xác định Chỉ số CCHC năm {{ nam }} làm một trong những căn cứ để bình xét, xếp loại thi "
           "đua, khen thưởng đối với tập thể và cá nhân các {{ loai_don_vi }} trong năm {{ nam }}.")
    b.heading("2. Yêu cầu:")
    b.body("- Việc xác định Chỉ số CCHC của các {{ loai_don_vi }} phải đảm bảo tuân thủ mục đích, nội dung, yêu cầu "
           "chỉ đạo về công tác cải cách hành chính của tỉnh, của {{ cap }}; phản ánh đúng, chính xác kết quả "
           "công tác cải cách hành chính của các {{ loai_don_vi }} trên địa bàn {{ cap }}.",
           "- Việc xác định Chỉ số CCHC phải kết hợp chặt chẽ giữa đánh giá trực tiếp thông qua các tài liệu, hồ "
           "sơ tài liệu kiểm chứng của các {{ loai_don_vi }} và đánh giá gián tiếp thông qua điều tra xã hội học đối "
           "với tổ chức, cá nhân đã thực hiện giao dịch và nhận kết quả giải quyết thủ tục hành chính của các "
           "{{ loai_don_vi }}.")
    b.heading("II. NỘI DUNG NHIỆM VỤ, TRÁCH NHIỆM THỰC HIỆN VÀ THỜI GIAN HOÀN THÀNH")
    b.heading("1. Thu nhận, hồ sơ, tài liệu kiểm chứng phục vụ việc thẩm định để xác định Chỉ số CCHC năm "
              "{{ nam }} của các {{ loai_don_vi }}.")
    b.body("- Căn cứ {{ qd_tieu_chi_so }}; hướng dẫn của {{ thuong_truc_thuong }}, các {{ loai_don_vi }} tự đánh giá, "
           "chấm điểm Chỉ số CCHC và gửi báo cáo tự đánh giá, chấm điểm, các tài liệu kiểm chứng của đơn vị mình "
           "về {{ thuong_truc }} (Thường trực Hội đồng thẩm định) từ ngày **{{ ngay.self_assessment_open }}** "
           "đến trước ngày **{{ ngay.self_assessment }}**.",
           "- {{ thuong_truc }} thu nhận hồ sơ, tài liệu của các cơ quan, đơn vị từ ngày "
           "**{{ ngay.self_assessment_open }}** **{{ han.self_assessment }}**; đối với tài liệu kiểm chứng bổ "
           "sung (nếu có) gửi về {{ thuong_truc }} **{{ han.supplementary_evidence }}**.")
    b.heading("2. Thẩm định kết quả tự đánh giá Chỉ số CCHC của các {{ loai_don_vi }}.")
    b.body("Các thành viên Hội đồng thẩm định Chỉ số CCHC {{ cap }}; Tổ công tác giúp việc tiến hành thẩm định "
           "kết quả tự chấm điểm của các cơ quan, đơn vị qua Báo cáo tự chấm điểm, tài liệu kiểm chứng hoặc kiểm "
           "tra các điều kiện thực tế (~~nếu cần thiết~~) để phục vụ việc xác định Chỉ số CCHC năm {{ nam }}; "
           "Chịu trách nhiệm trước Chủ tịch {{ co_quan }} và Chủ tịch Hội đồng thẩm định Chỉ số CCHC của "
           "{{ cap }} về kết quả thẩm định Chỉ số CCHC của các {{ loai_don_vi }}.",
           "Thời gian hoàn thành việc thẩm định kết quả tự chấm điểm của các {{ loai_don_vi }} **{{ han.appraisal }}**.")
    b.heading("3. Điều tra xã hội học phục vụ xác định Chỉ số CCHC năm {{ nam }}.")
    b.body("- Mỗi {{ loai_don_vi }} lập danh sách **{{ so_nguoi }}** cá nhân, đại diện tổ chức đã giao dịch và nhận "
           "kết quả giải quyết thủ tục hành chính (TTHC) trong thời gian từ ngày {{ ds_tu_ngay }} đến ngày "
           "{{ ds_den_ngay }} tại Bộ phận một cửa các {{ loai_don_vi }}; các cá nhân trong danh sách phải đại diện "
           "các lĩnh vực giải quyết TTHC của đơn vị; Danh sách gửi về {{ co_quan_day_du }} (qua "
           "{{ thuong_truc }}) **{{ han.respondent_list }}** để triển khai công tác điều tra xã hội học "
           "(~~có mẫu danh sách gửi kèm~~).",
           "~~Lưu ý:~~ Không đưa vào danh sách đối với các trường hợp sau: (1) Người dân, người đại diện tổ chức "
           "đã giao dịch nhưng chưa nhận kết quả; (2) người dân, người đại diện tổ chức đã giao dịch và nhận kết "
           "quả nhưng địa chỉ không ở địa phương.",
           "**4. Tổ Giúp việc Hội đồng thẩm định Chỉ số CCHC {{ cap }}:** Tiếp nhận danh sách tổ chức, cá nhân đã "
           "được giải quyết TTHC năm {{ nam }}, mẫu phiếu điều tra, lựa chọn mẫu phiếu và trực tiếp tiến hành "
           "điều tra xã hội học đối với các {{ loai_don_vi }}. Tổng hợp, báo cáo kết quả điều tra xã hội học với cơ "
           "quan thường trực Hội đồng thẩm định Chỉ số CCHC {{ cap }} **{{ han.survey }}**.",
           "**5. Các thành viên Hội đồng thẩm định Chỉ số CCHC {{ cap }}:** có trách nhiệm chỉ đạo, đôn đốc các "
           "thành viên Tổ công tác giúp việc tiến hành thẩm định kết quả điều tra xã hội học đảm bảo khoa học, "
           "chính xác, khách quan, đúng tiến độ; Tổng hợp chung kết quả đánh giá trực tiếp và kết quả điều tra xã "
           "hội học xác định Chỉ số CCHC năm {{ nam }} của các {{ loai_don_vi }} báo cáo Chủ tịch Hội đồng thẩm định "
           "Chỉ số CCHC {{ cap }} **{{ han.combined_results }}**.",
           "**6. Thường trực Hội đồng thẩm định Chỉ số CCHC {{ cap }}:** Hoàn thiện hồ sơ, tài liệu, báo cáo chung "
           "về việc đánh giá, xác định Chỉ số CCHC năm {{ nam }} của các {{ loai_don_vi }} trình Chủ tịch Hội đồng "
           "Thẩm định Chỉ số CCHC, Chủ tịch {{ co_quan }} xét duyệt **{{ han.final_report }}**.",
           "**7. Công bố chỉ số CCHC năm {{ nam }}:** Hội đồng thẩm định Chỉ số CCHC của {{ cap }} đánh giá, xác "
           "định Chỉ số CCHC năm {{ nam }} của các {{ loai_don_vi }} trình Chủ tịch {{ co_quan }} ban hành Quyết định "
           "công bố xong **{{ cong_bo }}**.")
    b.heading("III. KINH PHÍ THỰC HIỆN THẨM ĐỊNH CHỈ SỐ CCHC")
    b.body("1. Kinh phí thực hiện xác định Chỉ số CCHC của các {{ loai_don_vi }} trên địa bàn {{ cap }} năm {{ nam }} "
           "bao gồm: Các hoạt động của Hội đồng thẩm định Chỉ số CCHC {{ cap }}, Tổ công tác giúp việc Hội đồng "
           "và điều tra xã hội học được bố trí từ nguồn kinh phí cải cách hành chính.",
           "2. Kinh phí công tác xác định Chỉ số CCHC cấp xã thực hiện theo quy định tại {{ qd_tieu_chi_rut_gon }}; "
           "Thông tư số 26/2019/TT-BTC ngày 10/5/2019 của Bộ Tài chính về hướng dẫn việc lập dự toán, quản lý, "
           "sử dụng và quyết toán kinh phí bảo đảm công tác cải cách hành chính nhà nước và các văn bản khác "
           "liên quan.")
    b.heading("IV. TỔ CHỨC THỰC HIỆN")
    b.body("Việc thẩm định Chỉ số CCHC năm {{ nam }} của các {{ loai_don_vi }} trên địa bàn {{ cap }} là nhiệm vụ "
           "trọng tâm 6 tháng cuối năm {{ nam }}, để thực hiện nghiêm túc, có hiệu quả theo đúng tiến độ, "
           "{{ co_quan }} yêu cầu:")
    b.heading("1. UBND các {{ loai_don_vi }}")
    b.body("- Thực hiện nghiêm việc giao nộp hồ sơ, tài liệu kiểm chứng, gửi danh sách đại diện tổ chức, cá nhân "
           "đã được giải quyết TTHC năm {{ nam }} tại Bộ phận một cửa của các {{ loai_don_vi }} đảm bảo đúng, đủ nội "
           "dung và đúng thời gian quy định.",
           "- Phối hợp chặt chẽ với thành viên Tổ giúp việc Hội đồng trong việc điều tra xã hội học phục vụ việc "
           "xác định Chỉ số CCHC năm {{ nam }}.")
    b.heading("2. {{ thuong_truc }}")
    b.body("- Chủ trì, phối hợp với các thành viên Hội đồng thẩm định Chỉ số CCHC, Tổ công tác giúp việc Hội đồng "
           "thẩm định Chỉ số CCHC trong việc hướng dẫn, đôn đốc, tổng hợp, báo cáo Chủ tịch Hội đồng thẩm định về "
           "hồ sơ, kết quả thẩm định để trình Chủ tịch {{ co_quan }} phê duyệt, xếp loại và công bố Chỉ số CCHC "
           "năm {{ nam }} của các cơ quan, đơn vị;",
           "- Bố trí kinh phí phục vụ hoạt động của Hội đồng thẩm định và Tổ công tác giúp việc Hội đồng thẩm định "
           "Chỉ số CCHC {{ cap }} theo đúng quy định hiện hành.")
    b.heading("3. Thành viên Hội đồng thẩm định và Tổ công tác giúp việc")
    b.body("Các thành viên Hội đồng thẩm định và Tổ công tác giúp việc được phân công nhiệm vụ phải chủ động, bám "
           "sát kế hoạch để hoàn thành tốt nhiệm vụ được giao.")
    b.heading("4. Phòng Tài chính - Kế hoạch")
    b.body("Hướng dẫn, thẩm định lập dự toán, bố trí kinh phí theo quy định hiện hành trình {{ co_quan }} xem xét, "
           "quyết định.")
    b.heading("5. Các cơ quan thông tin truyền thông")
    b.body("Trung tâm Văn hóa - Thông tin - Thể thao, Cổng Thông tin - Giao tiếp điện tử {{ cap }} cập nhật, thông "
           "tin kịp thời về công tác CCHC và việc công bố kết quả Chỉ số CCHC năm {{ nam }} của các cơ quan, đơn "
           "vị trên địa bàn {{ cap }} để cán bộ, công chức, viên chức và nhân dân theo dõi, giám sát đối với công "
           "tác CCHC của {{ cap }}.",
           "Trên đây là Kế hoạch xác định Chỉ số CCHC năm {{ nam }} của các {{ loai_don_vi }} trên địa bàn {{ cap }}; "
           "yêu cầu thủ trưởng các cơ quan, đơn vị; các thành viên Hội đồng thẩm định Chỉ số CCHC {{ cap }} và Tổ "
           "công tác giúp việc nghiêm túc triển khai thực hiện. Trong quá trình thực hiện Kế hoạch này nếu có khó "
           "khăn, vướng mắc, đề nghị phản ánh kịp thời với {{ co_quan }} (qua {{ thuong_truc }}) để xem xét, giải "
           "quyết./.")
    b.signature()
    b.par("", indent=False)
    b.par("~~**Lưu ý: Danh sách được lập bằng file *.doc, font chữ Times New Roman gửi về {{ thuong_truc }} "
          "{{ han.respondent_list }}.**~~", align="left", indent=False)
    return b


# --- Thông báo kết quả thẩm định (one per unit) -------------------------------------------------------

def notice() -> Builder:
    b = Builder("Thông báo kết quả thẩm định Chỉ số CCHC")
    b.draft_marker()
    b.header()
    b.title("THÔNG BÁO", "Kết quả thẩm định Chỉ số cải cách hành chính năm {{ nam }} của {{ don_vi }}")
    b.par("Kính gửi: Ủy ban nhân dân {{ don_vi }}.", align="center", indent=False, after=12)
    b.body("Thực hiện {{ ke_hoach }} của {{ co_quan }} về xác định Chỉ số cải cách hành chính (Chỉ số CCHC) năm "
           "{{ nam }} của các {{ loai_don_vi }} trên địa bàn {{ dia_ban }}; trên cơ sở kết quả thẩm định của Hội đồng "
           "thẩm định Chỉ số CCHC {{ cap }} và kết quả điều tra xã hội học, {{ co_quan }} thông báo kết quả xác "
           "định Chỉ số CCHC năm {{ nam }} của {{ don_vi }} như sau:")
    b.heading("1. Kết quả thẩm định các tiêu chí")
    b.grid((1.4, 6.4, 1.6, 1.6, 1.8, 3.7), ("Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Thẩm định", "Nhận xét"),
           "for r in tieu_chi", [("{{ r.ma }}", "center"), ("{{ r.noi_dung }}", "left"), ("{{ r.toi_da }}", "center"),
                                 ("{{ r.tu_cham }}", "center"), ("{{ r.tham_dinh }}", "center"),
                                 ("{{ r.nhan_xet }}", "left")],
           totals=[("", "center"), ("Cộng", "left"), ("{{ cong_toi_da }}", "center"),
                   ("{{ cong_tu_cham }}", "center"), ("{{ cong_tham_dinh }}", "center"), ("", "left")])
    b.tag("{%p if dieu_chinh %}")
    b.body("Sau khi xem xét giải trình, tài liệu bổ sung của đơn vị, Hội đồng thẩm định đã điều chỉnh điểm các tiêu "
           "chí sau (điểm thẩm định ở bảng trên là điểm sau điều chỉnh):")
    b.grid((1.4, 5.6, 1.9, 1.9, 5.7), ("Mã", "Nội dung", "Thẩm định lần đầu", "Sau giải trình", "Lý do điều chỉnh"),
           "for r in dieu_chinh", [("{{ r.ma }}", "center"), ("{{ r.noi_dung }}", "left"),
                                   ("{{ r.lan_dau }}", "center"), ("{{ r.sau_giai_trinh }}", "center"),
                                   ("{{ r.ly_do }}", "left")])
    b.tag("{%p endif %}")
    b.body("**2. Điểm điều tra xã hội học:** {{ diem_dtxhh }}.",
           "**3. Tổng điểm:** {{ tong_diem }} điểm; **Chỉ số CCHC năm {{ nam }}:** {{ chi_so }}%, xếp thứ "
           "{{ xep_hang }}/{{ so_don_vi }} {{ nhom_don_vi }}{{ xep_loai_cau }}.")
    b.tag("{%p if not chinh_thuc %}")
    b.par("~~Lưu ý: kết quả trên chưa phải kết quả chính thức ({{ trang_thai }}).~~")
    b.tag("{%p endif %}")
    b.body("Đề nghị Ủy ban nhân dân {{ don_vi }} căn cứ kết quả trên, chỉ đạo khắc phục những tồn tại, hạn chế "
           "trong công tác cải cách hành chính của đơn vị. Trường hợp có ý kiến khác về kết quả thẩm định, đề nghị "
           "phản hồi bằng văn bản về {{ co_quan }} (qua {{ thuong_truc }}) để xem xét, tổng hợp./.")
    b.signature()
    return b


# --- Báo cáo kết quả xác định Chỉ số CCHC -------------------------------------------------------------

def _comparison_table(b: Builder) -> None:
    """Last year beside this year (report and decision annex), only when ``cchc previous import`` ran."""
    b.tag("{%p if so_sanh %}")
    b.par("**So sánh với năm {{ nam_truoc }}**", align="center", indent=False, before=12)
    b.grid((4.6, 2.2, 2.2, 2.1, 1.9, 1.9, 1.6), ("Đơn vị", "Chỉ số năm {{ nam_truoc }} (%)", "Chỉ số năm {{ nam }} (%)",
                                                "Tăng, giảm", "Hạng năm {{ nam_truoc }}", "Hạng năm {{ nam }}", "Thay đổi"),
           "for r in so_sanh", [("{{ r.don_vi }}", "left"), ("{{ r.chi_so_truoc }}", "center"),
                                ("{{ r.chi_so }}", "center"), ("{{ r.tang_giam }}", "center"),
                                ("{{ r.hang_truoc }}", "center"), ("{{ r.xep_hang }}", "center"),
                                ("{{ r.thay_doi_hang }}", "center")])
    b.tag("{%p endif %}")


def report() -> Builder:
    b = Builder("Báo cáo kết quả xác định Chỉ số CCHC")
    b.draft_marker()
    b.header()
    b.title("BÁO CÁO", "Kết quả xác định Chỉ số cải cách hành chính năm {{ nam }} của các {{ loai_don_vi }} trên địa "
                       "bàn {{ dia_ban }}")
    b.body("Thực hiện {{ ke_hoach }} của {{ co_quan }} về xác định Chỉ số cải cách hành chính (Chỉ số CCHC) năm "
           "{{ nam }} của các {{ loai_don_vi }} trên địa bàn {{ dia_ban }}, Hội đồng thẩm định Chỉ số CCHC {{ cap }} "
           "đã tổ chức thẩm định, điều tra xã hội học và tổng hợp kết quả. {{ co_quan }} báo cáo như sau:")
    b.heading("I. QUÁ TRÌNH TRIỂN KHAI")
    b.heading("1. Thu nhận hồ sơ, tài liệu")
    b.body("Các {{ loai_don_vi }} gửi danh sách tổ chức, cá nhân đã giao dịch và nhận kết quả giải quyết TTHC "
           "{{ han.respondent_list }}; gửi báo cáo tự đánh giá, biểu chấm điểm và tài liệu kiểm chứng từ ngày "
           "{{ ngay.self_assessment_open }} {{ han.self_assessment }}; tài liệu kiểm chứng bổ sung (nếu có) "
           "{{ han.supplementary_evidence }}. Kết quả thu nhận của {{ so_don_vi }} {{ loai_don_vi }} (số đơn vị):")
    b.grid((6.0, 4.0, 2.1, 2.1, 2.3), ("Nội dung", "Thời hạn", "Đúng hạn", "Quá hạn", "Chưa nộp"),
           "for r in qua_trinh", [("{{ r.noi_dung }}", "left"), ("{{ r.han }}", "center"),
                                  ("{{ r.dung_han }}", "center"), ("{{ r.qua_han }}", "center"),
                                  ("{{ r.chua_nop }}", "center")])
    b.heading("2. Thẩm định, điều tra xã hội học")
    b.body("Hội đồng thẩm định Chỉ số CCHC {{ cap }} và Tổ công tác giúp việc thẩm định kết quả tự chấm điểm qua "
           "báo cáo, tài liệu kiểm chứng của các {{ loai_don_vi }} (thời hạn: {{ han.appraisal }}); điều tra xã hội học "
           "đối với tổ chức, cá nhân đã giao dịch và nhận kết quả giải quyết TTHC (thời hạn: {{ han.survey }}); "
           "tổng hợp chung kết quả đánh giá trực tiếp và kết quả điều tra xã hội học (thời hạn: "
           "{{ han.combined_results }}).")
    b.heading("II. KẾT QUẢ XÁC ĐỊNH CHỈ SỐ CCHC NĂM {{ nam }}")
    b.heading("1. Kết quả của từng đơn vị")
    b.par("~~(Xếp theo Chỉ số CCHC từ cao xuống thấp; ĐTXHH: điểm điều tra xã hội học)~~")
    b.tag("{%p for g in nhom %}")
    b.tag("{%p if g.ten %}")
    b.par("**{{ g.ten }}** ({{ g.so_don_vi }} đơn vị)", indent=False, before=6)
    b.tag("{%p endif %}")
    b.grid((1.2, 4.0, 1.8, 1.9, 2.0, 1.9, 1.9, 1.8),
           ("STT", "Đơn vị", "Tự chấm", "Thẩm định", "ĐTXHH", "Tổng điểm", "Chỉ số (%)", "Xếp hạng"),
           "for r in g.ket_qua", [("{{ r.stt }}", "center"), ("{{ r.don_vi }}", "left"), ("{{ r.tu_cham }}", "center"),
                                ("{{ r.tham_dinh }}", "center"), ("{{ r.dtxhh }}", "center"),
                                ("{{ r.tong_diem }}", "center"), ("{{ r.chi_so }}", "center"),
                                ("{{ r.xep_hang }}", "center")])
    b.tag("{%p endfor %}")
    _comparison_table(b)
    b.heading("2. Một số chỉ tiêu")
    b.body("- Chỉ số CCHC bình quân của {{ so_don_vi }} {{ loai_don_vi }}: {{ chi_so_tb }}%.",
           "- Cao nhất: {{ chi_so_cao_nhat }}% ({{ don_vi_cao_nhat }}).",
           "- Thấp nhất: {{ chi_so_thap_nhat }}% ({{ don_vi_thap_nhat }}).",
           "- {{ phan_bo_tieu_de }}:")
    b.grid((8.0, 4.0, 4.5), ("Mức Chỉ số CCHC", "Số đơn vị", "Tỷ lệ"),
           "for r in phan_bo", [("{{ r.muc }}", "left"), ("{{ r.so_don_vi }}", "center"), ("{{ r.ty_le }}", "center")])
    b.heading("3. Đơn vị nộp hồ sơ muộn, chưa đầy đủ")
    b.tag("{%p if nop_muon %}")
    b.tag("{%p for x in nop_muon %}")
    b.par("- {{ x }}")
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.par("Các {{ loai_don_vi }} nộp đầy đủ hồ sơ, tài liệu đúng thời hạn.")
    b.tag("{%p endif %}")
    b.tag("{%p if chua_chinh_thuc %}")
    b.par("Đơn vị chưa có kết quả chính thức:")
    b.tag("{%p for x in chua_chinh_thuc %}")
    b.par("- {{ x }}")
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")
    b.heading("III. NHIỆM VỤ TIẾP THEO")
    b.body("1. Chủ tịch {{ co_quan }} ban hành Quyết định công bố Chỉ số CCHC năm {{ nam }} của các {{ loai_don_vi }} "
           "{{ cong_bo }}.",
           "2. Các {{ loai_don_vi }} căn cứ kết quả Chỉ số CCHC năm {{ nam }} xây dựng kế hoạch khắc phục những tồn "
           "tại, hạn chế, nâng cao hiệu quả công tác cải cách hành chính; {{ thuong_truc }} tham mưu sử dụng kết "
           "quả làm căn cứ đánh giá, xếp loại thi đua, khen thưởng năm {{ nam }}.",
           "Trên đây là báo cáo kết quả xác định Chỉ số CCHC năm {{ nam }} của các {{ loai_don_vi }} trên địa bàn "
           "{{ dia_ban }}./.")
    b.signature()
    return b


# --- Quyết định công bố Chỉ số CCHC (Mẫu 1.2) with its annex (Mẫu 2.1) --------------------------------

def decision() -> Builder:
    b = Builder("Quyết định công bố Chỉ số CCHC")
    b.draft_marker()
    b.header()
    b.title("QUYẾT ĐỊNH", "Về việc công bố Chỉ số cải cách hành chính năm {{ nam }} của các {{ loai_don_vi }} trên "
                          "địa bàn {{ dia_ban }}")
    b.par("{{ tham_quyen }}", align="center", bold=True, indent=False, after=12)
    b.tag("{%p for c in can_cu %}")
    b.par("~~{{ c }}~~")
    b.tag("{%p endfor %}")
    b.par("~~Theo đề nghị của {{ de_nghi }}.~~")
    b.par("QUYẾT ĐỊNH:", align="center", bold=True, indent=False, before=6, after=12)
    b.body("**Điều 1.** Công bố Chỉ số cải cách hành chính năm {{ nam }} của các {{ loai_don_vi }} trên địa bàn "
           "{{ dia_ban }} (chi tiết tại Phụ lục kèm theo Quyết định này).",
           "**Điều 2.** Ủy ban nhân dân các {{ loai_don_vi }} căn cứ kết quả Chỉ số cải cách hành chính năm {{ nam }} "
           "xây dựng kế hoạch khắc phục những tồn tại, hạn chế, nâng cao hiệu quả công tác cải cách hành chính; "
           "{{ thuong_truc }} tham mưu {{ co_quan }} sử dụng kết quả làm căn cứ đánh giá, xếp loại thi đua, khen "
           "thưởng năm {{ nam }} theo quy định. Quyết định này có hiệu lực thi hành kể từ ngày ký.",
           "**Điều 3.** Chánh Văn phòng HĐND và UBND {{ cap }}, {{ de_nghi }}, Thủ trưởng các cơ quan, đơn vị có "
           "liên quan và Chủ tịch Ủy ban nhân dân các {{ loai_don_vi }} chịu trách nhiệm thi hành Quyết định này./.")
    b.signature()
    # the annex on its own pages, numbered separately (NĐ 30, Phụ lục I, III.1.đ)
    sec = b.doc.add_section(WD_SECTION.NEW_PAGE)
    dw.page_numbers(sec, size_pt=13, restart=True)
    b.par("Phụ lục", align="center", bold=True, indent=False, after=0)
    b.par("CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {{ nam }} CỦA CÁC {{ loai_don_vi|upper }}", align="center", bold=True, indent=False,
          after=0)
    b.par("TRÊN ĐỊA BÀN {{ dia_ban|upper }}", align="center", bold=True, indent=False, after=0)
    b.par("~~({{ kem_theo }})~~", align="center", indent=False, after=2)
    b.rule(width=5.0, after=12)
    b.tag("{%p for g in nhom %}")
    b.tag("{%p if g.ten %}")
    b.par("**{{ g.ten|upper }}** ({{ g.so_don_vi }} đơn vị)", align="center", indent=False, before=6)
    b.tag("{%p endif %}")
    # every result says what it is (published: a provisional index or one without the survey is marked)
    b.tag("{%p if co_xep_loai %}")
    b.grid((1.6, 4.4, 2.1, 2.3, 2.3, 3.8),
           ("Xếp hạng", "Đơn vị", "Tổng điểm", "Chỉ số CCHC (%)", "Xếp loại", "Tình trạng kết quả"),
           "for r in g.ket_qua", [("{{ r.xep_hang }}", "center"), ("{{ r.don_vi }}", "left"),
                                  ("{{ r.tong_diem }}", "center"), ("{{ r.chi_so }}", "center"),
                                  ("{{ r.xep_loai }}", "center"), ("{{ r.trang_thai }}", "center")])
    b.tag("{%p else %}")
    b.grid((1.8, 5.4, 2.5, 2.8, 4.0), ("Xếp hạng", "Đơn vị", "Tổng điểm", "Chỉ số CCHC (%)", "Tình trạng kết quả"),
           "for r in g.ket_qua", [("{{ r.xep_hang }}", "center"), ("{{ r.don_vi }}", "left"),
                                  ("{{ r.tong_diem }}", "center"), ("{{ r.chi_so }}", "center"),
                                  ("{{ r.trang_thai }}", "center")])
    b.tag("{%p endif %}")
    b.tag("{%p if g.ghi_chu %}")
    b.par("~~Ghi chú: {{ g.ghi_chu }}~~", after=12)
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    _comparison_table(b)
    return b


BUILDERS = {"ke-hoach.docx": plan, "thong-bao.docx": notice, "bao-cao.docx": report, "quyet-dinh.docx": decision}


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else OUTPUT
    folder.mkdir(parents=True, exist_ok=True)
    for name, build in BUILDERS.items():
        build().save(folder / name)
        print(folder / name)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
