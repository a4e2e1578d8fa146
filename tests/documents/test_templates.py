"""The four shipped templates, rendered with docxtpl as the tool renders them (autoescape, StrictUndefined).

Real files throughout: each template is rendered, saved and read back with python-docx and with the project's
own effective-font reader.  The Plan rendered with the 2021 settings must reproduce the office's 2021 plan
(``SEED_PLAN`` below, a copy of ``shared/docs/seed-plan-2021.txt``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docxtpl import DocxTemplate

from automation.config import default_settings
from automation.documents import context as ctx
from automation.formats.word import read_docx
from tests.documents.test_context import TODAY, all_contexts, small_settings, small_table, submissions

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
SEED_FILE = ROOT.parent / "shared" / "docs" / "seed-plan-2021.txt"
KINDS = tuple(ctx.TEMPLATES)

# the office's real 2021 plan, as text (``**`` marks bold, ``*`` italic)
SEED_PLAN = """Số: /KH-UBND

Vĩnh Tường, ngày tháng 10 năm 2021

KẾ HOẠCH

Xác định Chỉ số cải cách hành chính năm 2021 của các xã, thị trấn trên địa bàn huyện Vĩnh Tường

Thực hiện nhiệm vụ công tác cải cách hành chính (CCHC) năm 2021 của UBND huyện và Quyết định số 2757/QĐ-UBND ngày 18/10/2017 của UBND tỉnh về việc ban hành Chỉ số cải cách hành chính (Chỉ số CCHC) các cơ quan, đơn vị tỉnh Vĩnh Phúc, UBND huyện ban hành Kế hoạch xác định Chỉ số CCHC năm 2021 của các xã, thị trấn trên địa bàn huyện Vĩnh Tường như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Mục đích:

- Nhằm thẩm định, đánh giá chính xác, khách quan kết quả công tác chỉ đạo và tổ chức thực hiện các nhiệm vụ cải cách hành chính năm 2021 của các xã, thị trấn trên địa bàn huyện.

- Nâng cao nhận thức và trách nhiệm của các cơ quan, đơn vị; các tổ chức, cá nhân đối với công tác cải cách hành chính nói chung và công tác đánh giá, xếp hạng Chỉ số CCHC đối với các xã, thị trấn trên địa bàn huyện nói riêng.

- Lấy kết quả xác định Chỉ số CCHC năm 2021 làm một trong những căn cứ để bình xét, xếp loại thi đua, khen thưởng đối với tập thể và cá nhân các xã, thị trấn trong năm 2021.

2. Yêu cầu:

- Việc xác định Chỉ số CCHC của các xã, thị trấn phải đảm bảo tuân thủ mục đích, nội dung, yêu cầu chỉ đạo về công tác cải cách hành chính của tỉnh, của huyện; phản ánh đúng, chính xác kết quả công tác cải cách hành chính của các xã, thị trấn trên địa bàn huyện.

- Việc xác định Chỉ số CCHC phải kết hợp chặt chẽ giữa đánh giá trực tiếp thông qua các tài liệu, hồ sơ tài liệu kiểm chứng của các xã, thị trấn và đánh giá gián tiếp thông qua điều tra xã hội học đối với tổ chức, cá nhân đã thực hiện giao dịch và nhận kết quả giải quyết thủ tục hành chính của các xã, thị trấn.

II. NỘI DUNG NHIỆM VỤ, TRÁCH NHIỆM THỰC HIỆN VÀ THỜI GIAN HOÀN THÀNH

1. Thu nhận, hồ sơ, tài liệu kiểm chứng phục vụ việc thẩm định để xác định Chỉ số CCHC năm 2021 của các xã, thị trấn.

- Căn cứ Quyết định số 2757/QĐ-UBND ngày 18/10/2017 của UBND tỉnh; hướng dẫn của phòng Nội vụ, các xã, thị trấn tự đánh giá, chấm điểm Chỉ số CCHC và gửi báo cáo tự đánh giá, chấm điểm, các tài liệu kiểm chứng của đơn vị mình về Phòng Nội vụ (Thường trực Hội đồng thẩm định) từ ngày **05/11/2021** đến trước ngày **16/11/2021**.

- Phòng Nội vụ thu nhận hồ sơ, tài liệu của các cơ quan, đơn vị từ ngày **05/11/2021** đến hết ngày **16/11/2021**; đối với tài liệu kiểm chứng bổ sung (nếu có) gửi về Phòng Nội vụ trước ngày **10/12/2021**.

2. Thẩm định kết quả tự đánh giá Chỉ số CCHC của các xã, thị trấn.

Các thành viên Hội đồng thẩm định Chỉ số CCHC huyện; Tổ công tác giúp việc tiến hành thẩm định kết quả tự chấm điểm của các cơ quan, đơn vị qua Báo cáo tự chấm điểm, tài liệu kiểm chứng hoặc kiểm tra các điều kiện thực tế (*nếu cần thiết*) để phục vụ việc xác định Chỉ số CCHC năm 2021; Chịu trách nhiệm trước Chủ tịch UBND huyện và Chủ tịch Hội đồng thẩm định Chỉ số CCHC của huyện về kết quả thẩm định Chỉ số CCHC của các xã, thị trấn.

Thời gian hoàn thành việc thẩm định kết quả tự chấm điểm của các xã, thị trấn trước ngày **15/01/2022**.

3. Điều tra xã hội học phục vụ xác định Chỉ số CCHC năm 2021.

- Mỗi xã, thị trấn lập danh sách **30** cá nhân, đại diện tổ chức đã giao dịch và nhận kết quả giải quyết thủ tục hành chính (TTHC) trong thời gian từ ngày 01/01/2021 đến ngày 15/10/2021 tại Bộ phận một cửa các xã, thị trấn; các cá nhân trong danh sách phải đại diện các lĩnh vực giải quyết TTHC của đơn vị; Danh sách gửi về Ủy ban nhân dân huyện (qua Phòng Nội vụ) trước ngày **30/10/2021** để triển khai công tác điều tra xã hội học (*có mẫu danh sách gửi kèm*).

Lưu ý: Không đưa vào danh sách đối với các trường hợp sau: (1) Người dân, người đại diện tổ chức đã giao dịch nhưng chưa nhận kết quả; (2) người dân, người đại diện tổ chức đã giao dịch và nhận kết quả nhưng địa chỉ không ở địa phương.

4. Tổ Giúp việc Hội đồng thẩm định Chỉ số CCHC huyện: Tiếp nhận danh sách tổ chức, cá nhân đã được giải quyết TTHC năm 2021, mẫu phiếu điều tra, lựa chọn mẫu phiếu và trực tiếp tiến hành điều tra xã hội học đối với các xã, thị trấn. Tổng hợp, báo cáo kết quả điều tra xã hội học với cơ quan thường trực Hội đồng thẩm định Chỉ số CCHC huyện trước ngày **15/01/2022**.

5. Các thành viên Hội đồng thẩm định Chỉ số CCHC huyện: có trách nhiệm chỉ đạo, đôn đốc các thành viên Tổ công tác giúp việc tiến hành thẩm định kết quả điều tra xã hội học đảm bảo khoa học, chính xác, khách quan, đúng tiến độ; Tổng hợp chung kết quả đánh giá trực tiếp và kết quả điều tra xã hội học xác định Chỉ số CCHC năm 2021 của các xã, thị trấn báo cáo Chủ tịch Hội đồng thẩm định Chỉ số CCHC huyện trước ngày **11/02/2022**.

6. Thường trực Hội đồng thẩm định Chỉ số CCHC huyện: Hoàn thiện hồ sơ, tài liệu, báo cáo chung về việc đánh giá, xác định Chỉ số CCHC năm 2021 của các xã, thị trấn trình Chủ tịch Hội đồng Thẩm định Chỉ số CCHC, Chủ tịch UBND huyện xét duyệt trước ngày **25/02/2022**.

7. Công bố chỉ số CCHC năm 2021: Hội đồng thẩm định Chỉ số CCHC của huyện đánh giá, xác định Chỉ số CCHC năm 2021 của các xã, thị trấn trình Chủ tịch UBND huyện ban hành Quyết định công bố xong **trong Quý I/2022**.

III. KINH PHÍ THỰC HIỆN THẨM ĐỊNH CHỈ SỐ CCHC

1. Kinh phí thực hiện xác định Chỉ số CCHC của các xã, thị trấn trên địa bàn huyện năm 2021 bao gồm: Các hoạt động của Hội đồng thẩm định Chỉ số CCHC huyện, Tổ công tác giúp việc Hội đồng và điều tra xã hội học được bố trí từ nguồn kinh phí cải cách hành chính.

2. Kinh phí công tác xác định Chỉ số CCHC cấp xã thực hiện theo quy định tại Quyết định số 2757/QĐ-UBND ngày 18/10/2017 của UBND tỉnh về việc ban hành chỉ số CCHC các cơ quan, đơn vị tỉnh Vĩnh Phúc; Thông tư số 26/2019/TT-BTC ngày 10/5/2019 của Bộ Tài chính về hướng dẫn việc lập dự toán, quản lý, sử dụng và quyết toán kinh phí bảo đảm công tác cải cách hành chính nhà nước và các văn bản khác liên quan.

IV. TỔ CHỨC THỰC HIỆN

Việc thẩm định Chỉ số CCHC năm 2021 của các xã, thị trấn trên địa bàn huyện là nhiệm vụ trọng tâm 6 tháng cuối năm 2021, để thực hiện nghiêm túc, có hiệu quả theo đúng tiến độ, UBND huyện yêu cầu:

1. UBND các xã, thị trấn

- Thực hiện nghiêm việc giao nộp hồ sơ, tài liệu kiểm chứng, gửi danh sách đại diện tổ chức, cá nhân đã được giải quyết TTHC năm 2021 tại Bộ phận một cửa của các xã, thị trấn đảm bảo đúng, đủ nội dung và đúng thời gian quy định.

- Phối hợp chặt chẽ với thành viên Tổ giúp việc Hội đồng trong việc điều tra xã hội học phục vụ việc xác định Chỉ số CCHC năm 2021.

2. Phòng Nội vụ

- Chủ trì, phối hợp với các thành viên Hội đồng thẩm định Chỉ số CCHC, Tổ công tác giúp việc Hội đồng thẩm định Chỉ số CCHC trong việc hướng dẫn, đôn đốc, tổng hợp, báo cáo Chủ tịch Hội đồng thẩm định về hồ sơ, kết quả thẩm định để trình Chủ tịch UBND huyện phê duyệt, xếp loại và công bố Chỉ số CCHC năm 2021 của các cơ quan, đơn vị;

- Bố trí kinh phí phục vụ hoạt động của Hội đồng thẩm định và Tổ công tác giúp việc Hội đồng thẩm định Chỉ số CCHC huyện theo đúng quy định hiện hành.

3. Thành viên Hội đồng thẩm định và Tổ công tác giúp việc

Các thành viên Hội đồng thẩm định và Tổ công tác giúp việc được phân công nhiệm vụ phải chủ động, bám sát kế hoạch để hoàn thành tốt nhiệm vụ được giao.

4. Phòng Tài chính - Kế hoạch

Hướng dẫn, thẩm định lập dự toán, bố trí kinh phí theo quy định hiện hành trình UBND huyện xem xét, quyết định.

5. Các cơ quan thông tin truyền thông

Trung tâm Văn hóa - Thông tin - Thể thao, Cổng Thông tin - Giao tiếp điện tử huyện cập nhật, thông tin kịp thời về công tác CCHC và việc công bố kết quả Chỉ số CCHC năm 2021 của các cơ quan, đơn vị trên địa bàn huyện để cán bộ, công chức, viên chức và nhân dân theo dõi, giám sát đối với công tác CCHC của huyện.

Trên đây là Kế hoạch xác định Chỉ số CCHC năm 2021 của các xã, thị trấn trên địa bàn huyện; yêu cầu thủ trưởng các cơ quan, đơn vị; các thành viên Hội đồng thẩm định Chỉ số CCHC huyện và Tổ công tác giúp việc nghiêm túc triển khai thực hiện. Trong quá trình thực hiện Kế hoạch này nếu có khó khăn, vướng mắc, đề nghị phản ánh kịp thời với UBND huyện (qua Phòng Nội vụ) để xem xét, giải quyết./.

Nơi nhận:

- TT Huyện ủy (b/c);
- TT HĐND (b/c);
- TV HĐ thẩm định Chỉ số CCHC huyện;
- Các phòng, ban chuyên môn;
- UBND các xã, thị trấn;
- Trung tâm VH-TT - TT huyện;
- Lưu: VT, NV.

TM. ỦY BAN NHÂN DÂN
KT.CHỦ TỊCH
PHÓ CHỦ TỊCH

Hoàng Tuấn Tam

***Lưu ý: Danh sách được lập bằng file *.doc, font chữ Times New Roman gửi về Phòng Nội vụ trước ngày 30/10/2021.**
"""


def render(kind: str, context: dict, out: Path) -> Path:
    """Render ``kind`` exactly as the tool does: autoescape on, undefined variables an error."""
    tpl = DocxTemplate(TEMPLATES / ctx.TEMPLATES[kind])
    tpl.render(context, jinja_env=jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True))
    path = out / f"{kind}.docx"
    tpl.save(path)
    return path


def lines(path: Path) -> list[str]:
    """Every paragraph's text in body order, table cells row by row."""
    out = []
    for block in Document(path).iter_inner_content():
        if hasattr(block, "rows"):
            for row in block.rows:
                for cell in row.cells:
                    out.extend(p.text for p in cell.paragraphs)
        else:
            out.append(block.text)
    return out


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def seed_lines() -> list[str]:
    """The seed plan's lines, markdown emphasis removed, without those that differ by nature (the blank
    number, the undated date line)."""
    out = []
    for line in SEED_PLAN.splitlines():
        line = line.strip().replace("**", "")
        line = line[1:] if line.startswith("*") else line  # "***Lưu ý: ..." (bold italic) keeps "*.doc"
        line = re.sub(r"\*([^*\s][^*]*[^*\s])\*", r"\1", line)  # (*nếu cần thiết*)
        if not line or line.startswith("Số:") or re.match(r"^[^,]+, ngày .* năm \d{4}$", line):
            continue
        out.append(line)
    return out


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Each template rendered with the small table, as a draft and as a final version."""
    out = {}
    for draft in (True, False):
        folder = tmp_path_factory.mktemp("draft" if draft else "final")
        for kind, context in all_contexts(draft=draft).items():
            out[kind, draft] = render(kind, context, folder)
    return out


# --- the files and their variables ------------------------------------------------------------------

def test_generator_is_deterministic_and_the_committed_files_are_current(tmp_path):
    for _ in range(2):
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_templates.py"), str(tmp_path)], check=True,
                       capture_output=True, cwd=tmp_path)
    for name in ctx.TEMPLATES.values():
        assert (tmp_path / name).read_bytes() == (TEMPLATES / name).read_bytes(), name


@pytest.mark.parametrize("kind", KINDS)
def test_template_variables_are_the_supplied_ones(kind):
    used = DocxTemplate(TEMPLATES / ctx.TEMPLATES[kind]).get_undeclared_template_variables()
    supplied = ctx.supplied_variables(kind)
    assert used <= supplied, f"{ctx.TEMPLATES[kind]} uses {sorted(used - supplied)}"
    unused = supplied - used - ctx.LEGACY_VARIABLES.get(kind, set())
    assert unused == set(), f"{ctx.TEMPLATES[kind]} never uses {sorted(unused)}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("draft", [True, False])
def test_rendered_files_have_no_tags_left(rendered, kind, draft):
    text = "\n".join(lines(rendered[kind, draft]))
    for tag in ("{{", "}}", "{%", "%}"):
        assert tag not in text


def test_a_missing_variable_is_an_error_not_a_blank(tmp_path):
    context = all_contexts()["plan"]
    del context["so_nguoi"]
    with pytest.raises(jinja2.UndefinedError):
        render("plan", context, tmp_path)


# --- content ---------------------------------------------------------------------------------------

def test_the_embedded_seed_is_the_shared_one():
    if not SEED_FILE.is_file():
        pytest.skip(f"{SEED_FILE} not found")
    assert SEED_FILE.read_text(encoding="utf-8").strip() == SEED_PLAN.strip()


def test_plan_2021_reproduces_the_seed_plan(tmp_path):
    settings = default_settings()
    path = render("plan", ctx.plan_context(settings, today=dt.date(2021, 10, 20), draft=False), tmp_path)
    text = squash("\n".join(lines(path)))
    expected = seed_lines()
    misses = [line for line in expected if squash(line) not in text]
    assert len(expected) >= 55
    assert len(misses) <= 0.05 * len(expected), f"{len(misses)}/{len(expected)} lines missing:\n" + "\n".join(misses)


def test_plan_follows_the_settings(tmp_path):
    s = default_settings()
    shift = {k: dataclasses.replace(d, date=d.date.replace(year=d.date.year + 4)) for k, d in s.deadlines.items()}
    s = dataclasses.replace(s, year=2025, deadlines=shift, documents=dataclasses.replace(
        s.documents, publication="trong Quý I/2026"), list_rules=dataclasses.replace(
        s.list_rules, size=20, window_start=dt.date(2025, 1, 1), window_end=dt.date(2025, 9, 30)))
    text = "\n".join(lines(render("plan", ctx.plan_context(s, today=dt.date(2025, 10, 1), draft=False), tmp_path)))
    assert "Mỗi xã, thị trấn lập danh sách 20 cá nhân" in text
    assert "từ ngày 01/01/2025 đến ngày 30/09/2025" in text and "trước ngày 30/10/2025" in text
    assert "từ ngày 05/11/2025 đến hết ngày 16/11/2025" in text and "trong Quý I/2026" in text
    assert "2021" not in text.replace("2757/QĐ-UBND ngày 18/10/2017", "")


def test_values_with_markup_characters_render_intact(tmp_path):
    odd = 'Trần & Lê <Văn> "A" \'B\''
    s = small_settings(signer_name=odd, recipients={k: (f"Sở A&B <{k}>",) for k in KINDS})
    table = small_table(s)
    table.rows[6].comment = 'Thiếu "biên bản" & <ảnh> chụp'
    contexts = {"plan": ctx.plan_context(s, today=TODAY, draft=False),
                "notice": ctx.notice_context(s, table, table.rows[6].unit_code, today=TODAY, draft=False),
                "report": ctx.report_context(s, table, submissions(s), today=TODAY, draft=False),
                "decision": ctx.decision_context(s, table, today=TODAY, draft=False)}
    for kind, context in contexts.items():
        text = lines(render(kind, context, tmp_path))
        assert odd in text, kind
        assert f"- Sở A&B <{kind}>;" in text, kind
    assert 'Thiếu "biên bản" & <ảnh> chụp' in lines(tmp_path / "notice.docx")


@pytest.mark.parametrize("kind", KINDS)
def test_draft_marker_only_on_drafts(rendered, kind):
    draft = Document(rendered[kind, True])
    first = draft.paragraphs[0]
    assert first.text == "DỰ THẢO" and all(r.bold for r in first.runs)
    assert first._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None  # in a box
    assert "DỰ THẢO" not in "\n".join(lines(rendered[kind, False]))


def test_notice_lists_each_criterion_and_the_rank(rendered):
    doc = Document(rendered["notice", False])
    grid = doc.tables[1]
    rows = [[c.text for c in r.cells] for r in grid.rows]
    assert rows[0] == ["Mã", "Nội dung", "Điểm tối đa", "Tự chấm", "Thẩm định", "Nhận xét"]
    assert rows[1:] == [["1.1", "Kế hoạch CCHC năm", "10,00", "8,00", "7,50", "Nhận xét 1.1"],
                        ["1.2", "Báo cáo CCHC định kỳ", "20,00", "15,25", "14,75", "Nhận xét 1.2"],
                        ["2.1", "Niêm yết công khai TTHC", "40,00", "30,00", "", ""],
                        ["", "Cộng", "70,00", "53,25", "52,25", ""]]
    text = "\n".join(lines(rendered["notice", False]))
    assert "Kính gửi: Ủy ban nhân dân xã Yên Bình." in text
    assert "xếp thứ 4/4 xã, thị trấn" in text and "Chỉ số CCHC năm 2021: 52,25%" in text
    assert "Điểm điều tra xã hội học: chưa có." in text and "chưa phải kết quả chính thức" in text


def test_final_notice_has_no_provisional_note(tmp_path):
    s = small_settings()
    text = "\n".join(lines(render("notice", ctx.notice_context(s, small_table(s), "09079", today=TODAY,
                                                                draft=False), tmp_path)))
    assert "xếp thứ 1/4" in text and "Điểm điều tra xã hội học: 28,00 điểm." in text
    assert "chưa phải kết quả chính thức" not in text


def test_report_tables_and_late_units(rendered):
    doc = Document(rendered["report", False])
    process, ranking, bands = ([[c.text for c in r.cells] for r in t.rows] for t in doc.tables[1:4])
    assert process[0] == ["Nội dung", "Thời hạn", "Đúng hạn", "Quá hạn", "Chưa nộp"]
    assert process[1] == ["Danh sách tổ chức, cá nhân đã giao dịch TTHC", "trước ngày 30/10/2021", "1", "1", "2"]
    assert len(process) == 5
    assert ranking[0] == ["STT", "Đơn vị", "Tự chấm", "Thẩm định", "ĐTXHH", "Tổng điểm", "Chỉ số (%)", "Xếp hạng"]
    assert [r[1] for r in ranking[1:]] == ["Xã Kim Xá", "Thị trấn Vĩnh Tường", "Xã Chấn Hưng", "Xã Yên Bình"]
    assert [r[0] for r in bands[1:]] == ["Từ 90% trở lên", "Từ 80% đến dưới 90%", "Từ 70% đến dưới 80%", "Dưới 70%"]
    text = "\n".join(lines(rendered["report", False]))
    assert "Chỉ số CCHC bình quân của 4 xã, thị trấn: 78,41%." in text
    assert "Cao nhất: 97,00% (Xã Kim Xá)." in text and "Thấp nhất: 52,25% (Xã Yên Bình)." in text
    assert "- Xã Kim Xá: nộp danh sách tổ chức, cá nhân đã giao dịch TTHC quá hạn (ngày 02/11/2021)" in text
    assert "Các xã, thị trấn nộp đầy đủ hồ sơ" not in text and "Đơn vị chưa có kết quả chính thức:" in text


def test_report_when_everything_arrived_on_time(tmp_path):
    four = small_settings()
    s = dataclasses.replace(four, units=type(four.units)(list(four.units)[:1]))
    subs = [sub for sub in submissions(four) if sub.unit_code == "09076"]
    table = small_table(s)
    text = "\n".join(lines(render("report", ctx.report_context(s, table, subs, today=TODAY, draft=False), tmp_path)))
    assert "Các xã, thị trấn nộp đầy đủ hồ sơ, tài liệu đúng thời hạn." in text
    assert "Đơn vị chưa có kết quả chính thức:" not in text


def test_decision_layout_and_annex_in_rank_order(rendered):
    path = rendered["decision", False]
    doc = Document(path)
    text = lines(path)
    assert text.index("QUYẾT ĐỊNH") < text.index("CHỦ TỊCH ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG") < text.index(
        "QUYẾT ĐỊNH:") < text.index("Phụ lục")
    assert ("Về việc công bố Chỉ số cải cách hành chính năm 2021 của các xã, thị trấn trên địa bàn huyện Vĩnh "
            "Tường") in text
    bases = [p for p in doc.paragraphs if p.text.startswith(("Căn cứ", "Theo đề nghị"))]
    assert len(bases) == 4 and all(r.italic for p in bases for r in p.runs)
    assert bases[-1].text == "Theo đề nghị của Trưởng phòng Nội vụ."
    art3 = next(p for p in doc.paragraphs if p.text.startswith("Điều 3."))
    assert art3.text.endswith("./.") and art3.runs[0].bold
    assert "TM. ỦY BAN NHÂN DÂN" not in text  # signed by the Chairman (KT. CHỦ TỊCH)
    assert len(doc.sections) == 2  # the annex starts a new page with its own page numbers
    assert doc.sections[1]._sectPr.find(qn("w:pgNumType")).get(qn("w:start")) == "1"
    annex_title = text[text.index("Phụ lục"):text.index("Phụ lục") + 4]
    assert annex_title[1:] == ["CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2021 CỦA CÁC XÃ, THỊ TRẤN",
                               "TRÊN ĐỊA BÀN HUYỆN VĨNH TƯỜNG",
                               f"(Kèm theo Quyết định số {' ' * 6}/QĐ-UBND ngày 05 tháng 3 năm 2022 của Chủ tịch "
                               "Ủy ban nhân dân huyện Vĩnh Tường)"]
    heading = next(p for p in doc.paragraphs if p.text == "Phụ lục")
    assert heading.runs[0].bold and heading.runs[0].font.size == Pt(14)
    annex = [[c.text for c in r.cells] for r in doc.tables[-1].rows]
    assert annex == [["Xếp hạng", "Đơn vị", "Tổng điểm", "Chỉ số CCHC (%)", "Tình trạng kết quả"],
                     ["1", "Xã Kim Xá", "97,00", "97,00", "Chính thức"],
                     ["2", "Thị trấn Vĩnh Tường", "87,50", "87,50", "Chính thức"],
                     ["3", "Xã Chấn Hưng", "76,88", "76,88", "Chính thức"],
                     ["4", "Xã Yên Bình", "52,25", "52,25", "Tạm tính"]]
    note = text[text.index("Ghi chú: Kết quả của 1/4 đơn vị chưa chính thức. Tạm tính (1 đơn vị): Xã Yên Bình. Chỉ số và thứ hạng của các đơn vị này có thể thay đổi khi có đủ "
                           "kết quả thẩm định và điều tra xã hội học.")]
    assert note  # under the annex table, in the annex
    assert text.index(note) > text.index("Phụ lục")


# --- Decree 30 layout ---------------------------------------------------------------------------------

def _runs(paragraph):
    return [r for r in paragraph.runs if r.text.strip()]


@pytest.mark.parametrize("kind", KINDS)
def test_page_and_fonts_follow_decree_30(rendered, kind):
    path = rendered[kind, True]
    doc = Document(path)
    for sec in doc.sections:
        mm = {k: round(getattr(sec, k).mm, 1) for k in ("page_width", "page_height", "top_margin", "bottom_margin",
                                                          "left_margin", "right_margin")}  # Word stores twips
        assert (mm["page_width"], mm["page_height"]) == (210, 297)
        assert 20 <= mm["top_margin"] <= 25 and 20 <= mm["bottom_margin"] <= 25
        assert 30 <= mm["left_margin"] <= 35 and 15 <= mm["right_margin"] <= 20
        assert sec.different_first_page_header_footer  # no number on the first page
        assert "PAGE" in sec.header._element.xml and not sec.first_page_header.paragraphs[0].text
    visible = [r for r in read_docx(path).runs if r.visible_text]
    assert len(visible) > 20
    wrong = [(r.text, r.fonts) for r in visible if r.fonts.used_by(r.text) != {"Times New Roman"}]
    assert wrong == []


@pytest.mark.parametrize("kind", KINDS)
def test_header_table(rendered, kind):
    doc = Document(rendered[kind, False])
    head = doc.tables[0]
    left = [p for p in head.cell(0, 0).paragraphs if p.text]
    right = [p for p in head.cell(0, 1).paragraphs if p.text]
    assert [p.text for p in left] == ["UBND TỈNH VĨNH PHÚC", "ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG"]
    assert not any(r.bold for r in _runs(left[0])) and all(r.bold for r in _runs(left[1]))
    assert {r.font.size for p in left for r in _runs(p)} == {Pt(13)}
    assert [p.text for p in right] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(r.bold for p in right for r in _runs(p))
    assert [r.font.size for p in right for r in _runs(p)] == [Pt(12), Pt(13)]
    rules = [p for c in (head.cell(0, 0), head.cell(0, 1)) for p in c.paragraphs
             if p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}") is not None]
    assert len(rules) == 2  # under the issuing body and under the motto
    symbol = ctx.SYMBOLS[kind]
    number, date = head.cell(1, 0).paragraphs[0], head.cell(1, 1).paragraphs[0]
    assert number.text == f"Số: {' ' * 6}/{symbol}-UBND" and {r.font.size for r in _runs(number)} == {Pt(13)}
    if kind == "plan":  # no [documents] plan_date: left blank for the registry
        assert date.text == f"Vĩnh Tường, ngày {' ' * 5}tháng {' ' * 5}năm 2021"
    else:
        assert re.fullmatch(r"Vĩnh Tường, ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm \d{4}", date.text)
    assert all(r.italic and r.font.size == Pt(14) for r in _runs(date))
    assert all(p.alignment == WD_ALIGN_PARAGRAPH.CENTER for c in head._cells for p in c.paragraphs if p.text)


def test_header_without_a_parent_body(tmp_path):
    s = small_settings()
    s = dataclasses.replace(s, authority=dataclasses.replace(s.authority, parent_body=""))
    doc = Document(render("plan", ctx.plan_context(s, today=TODAY, draft=False), tmp_path))
    assert [p.text for p in doc.tables[0].cell(0, 0).paragraphs if p.text] == ["ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG"]


TITLES = {"plan": "KẾ HOẠCH", "notice": "THÔNG BÁO", "report": "BÁO CÁO", "decision": "QUYẾT ĐỊNH"}


@pytest.mark.parametrize("kind", KINDS)
def test_title_body_and_signature(rendered, kind):
    doc = Document(rendered[kind, False])
    paragraphs = doc.paragraphs
    i = next(i for i, p in enumerate(paragraphs) if p.text == TITLES[kind])
    for p in paragraphs[i:i + 2]:  # document type and summary: bold, centred, 14 pt
        assert p.alignment == WD_ALIGN_PARAGRAPH.CENTER
        assert all(r.bold and r.font.size == Pt(14) for r in _runs(p))
    body = [p for p in paragraphs[i + 2:] if p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY and p.text.strip()]
    assert len(body) >= 3
    for p in body:
        assert p.paragraph_format.first_line_indent == Cm(1.27) and p.paragraph_format.space_after >= Pt(6)
        assert {r.font.size for r in _runs(p)} == {Pt(14)}
    assert any(p.text.endswith("./.") for p in body)
    sign = next(t for t in doc.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:")
    left, right = sign.cell(0, 0).paragraphs, [p for p in sign.cell(0, 1).paragraphs if p.text]
    head = left[0].runs[0]
    assert head.bold and head.italic and head.font.size == Pt(12)
    items = [p for p in left[1:] if p.text]
    assert all(p.text.startswith("- ") and p.text.endswith(";") for p in items[:-1])
    assert items[-1].text == "- Lưu: VT, NV." and {r.font.size for p in items for r in _runs(p)} == {Pt(11)}
    expected = (["TM. ỦY BAN NHÂN DÂN"] if kind != "decision" else []) + ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                                                           "Hoàng Tuấn Tam"]
    assert [p.text for p in right] == expected
    assert all(r.bold and r.font.size == Pt(14) for p in right for r in _runs(p))
