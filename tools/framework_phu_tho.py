"""The preset ``phu-tho``'s SAMPLE framework, ``automation/data/presets/phu-tho/bo-tieu-chi.xlsx``.

Shaped like the 2025 provincial frameworks of the commune level (Hà Nội's QĐ 5666/QĐ-UBND of 17/11/2025:
8 content areas on a 100-point scale and an area of bonus and penalty points); the criteria and numbers are
illustrative, not any province's.  The survey questionnaire reuses the shipped sample's questions (the five
elements of QĐ 2640/QĐ-BNV) for this framework's survey criteria, with the 2025 names (Trung tâm Phục vụ
hành chính công, xã, phường).  Written by ``tools/make_framework.py --preset phu-tho``.
"""

from __future__ import annotations

import re

from make_framework import HUONG_DAN, QUESTIONS, ROOT, XHH_EVIDENCE, Spec, T, X
from automation.scoring.framework import BONUS, PENALTY

OUTPUT = ROOT / "automation" / "data" / "presets" / "phu-tho" / "bo-tieu-chi.xlsx"
B, P = BONUS, PENALTY

NOTE = ("BỘ TIÊU CHÍ MẪU – không phải văn bản chính thức. Cơ quan thẩm định thay bằng bộ tiêu chí xác định Chỉ "
        "số CCHC của UBND xã, phường do UBND tỉnh ban hành (xem trang “HuongDan”).")
SOURCE = ("Bộ mẫu dựng theo cấu trúc Bộ Chỉ số CCHC của UBND xã, phường thành phố Hà Nội năm 2025 (Quyết định "
          "5666/QĐ-UBND ngày 17/11/2025: 8 nội dung, điểm thưởng và điểm trừ); điểm số chỉ để minh họa. Thang "
          "điểm 100 gồm 8 nội dung, trong đó 26 điểm đánh giá qua điều tra xã hội học (Điều tra XHH); nội dung 9 "
          "là điểm thưởng (cộng thêm) và điểm trừ (ghi số âm), tổng điểm không dưới 0 và không vượt 100.")

# (code, content, points for leaves / None for parents, method for leaves, evidence for leaves)
CRITERIA: list[tuple[str, str, float | None, str | None, str]] = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", None, None, ""),
    ("1.1", "Kế hoạch cải cách hành chính năm", None, None, ""),
    ("1.1.1", "Ban hành Kế hoạch CCHC năm đúng thời hạn, đủ nội dung theo hướng dẫn của UBND tỉnh", 1, T,
     "Kế hoạch CCHC năm của UBND xã, phường"),
    ("1.1.2", "Mức độ hoàn thành Kế hoạch CCHC năm (100%: 2 điểm; từ 80% đến dưới 100%: 1 điểm; dưới 80%: "
              "0 điểm)", 2, T, "Báo cáo CCHC năm; bảng theo dõi tiến độ thực hiện Kế hoạch CCHC"),
    ("1.2", "Thực hiện chế độ báo cáo CCHC định kỳ đầy đủ, đúng thời hạn, đúng đề cương", 2, T,
     "Báo cáo CCHC định kỳ (quý, 6 tháng, năm); dấu thời gian gửi trên hệ thống quản lý văn bản"),
    ("1.3", "Kiểm tra, tự kiểm tra công tác CCHC; xử lý các vấn đề phát hiện qua kiểm tra", 2, T,
     "Kế hoạch kiểm tra; biên bản, báo cáo kết quả kiểm tra; văn bản chỉ đạo khắc phục"),
    ("1.4", "Thông tin, tuyên truyền CCHC trên trang thông tin điện tử, mạng xã hội, hệ thống truyền thanh của "
            "xã, phường", 1, T, "Tin, bài đã đăng, phát; ảnh chụp màn hình trang thông tin điện tử"),
    ("1.5", "Hoàn thành đúng hạn các nhiệm vụ CCHC do UBND tỉnh, Sở Nội vụ giao", 2, T,
     "Văn bản giao nhiệm vụ; báo cáo kết quả thực hiện; sổ theo dõi nhiệm vụ được giao"),

    ("2", "Cải cách thể chế", None, None, ""),
    ("2.1", "Ban hành văn bản quy phạm pháp luật của HĐND, UBND xã, phường đúng thẩm quyền, trình tự, thủ tục", 2,
     T, "Danh mục văn bản quy phạm pháp luật đã ban hành; hồ sơ xây dựng văn bản"),
    ("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật; xử lý văn bản trái pháp luật phát hiện qua rà "
            "soát", 2, T, "Báo cáo kết quả rà soát, hệ thống hóa; văn bản xử lý (bãi bỏ, sửa đổi)"),
    ("2.3", "Phổ biến, giáo dục pháp luật; theo dõi tình hình thi hành pháp luật trên địa bàn", 2, T,
     "Kế hoạch phổ biến, giáo dục pháp luật; báo cáo theo dõi thi hành pháp luật"),
    ("2.4", "Xã, phường đạt chuẩn tiếp cận pháp luật theo quy định", 2, T,
     "Quyết định công nhận đạt chuẩn tiếp cận pháp luật"),

    ("3", "Cải cách thủ tục hành chính", None, None, ""),
    ("3.1", "Công khai đầy đủ, đúng quy định các TTHC tại Trung tâm Phục vụ hành chính công và trên Cổng dịch vụ "
            "công", 2, T, "Ảnh chụp khu vực niêm yết; danh mục TTHC đang công khai; ảnh chụp Cổng dịch vụ công"),
    ("3.2", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn (100%: 3 điểm; từ 98% đến dưới 100%: 2 điểm; từ 95% đến dưới "
            "98%: 1 điểm; dưới 95%: 0 điểm)", 3, T,
     "Báo cáo trích xuất từ Hệ thống thông tin giải quyết TTHC của tỉnh"),
    ("3.3", "Xin lỗi tổ chức, cá nhân đối với 100% hồ sơ giải quyết quá hạn (không có hồ sơ quá hạn: điểm tối "
            "đa)", 1, T, "Phiếu xin lỗi và hẹn lại ngày trả kết quả"),
    ("3.4", "Tiếp nhận, xử lý đúng hạn phản ánh, kiến nghị của tổ chức, cá nhân về quy định hành chính", 2, T,
     "Sổ theo dõi phản ánh, kiến nghị; văn bản trả lời"),
    ("3.5", "Rà soát, đánh giá TTHC; kiến nghị đơn giản hóa TTHC, cắt giảm thành phần hồ sơ", 2, T,
     "Báo cáo rà soát, đánh giá TTHC; văn bản kiến nghị đơn giản hóa"),
    ("3.6", "Đánh giá của người dân, tổ chức về tính công khai, dễ hiểu của TTHC và số lần phải đi lại", 2, X,
     XHH_EVIDENCE),

    ("4", "Cải cách tổ chức bộ máy hành chính", None, None, ""),
    ("4.1", "Ban hành Quy chế làm việc của UBND xã, phường; quy định chức năng, nhiệm vụ của các phòng chuyên môn",
     2, T, "Quy chế làm việc; quyết định quy định chức năng, nhiệm vụ"),
    ("4.2", "Sử dụng biên chế, số lượng người làm việc đúng số được giao", 2, T,
     "Quyết định giao biên chế; báo cáo số lượng cán bộ, công chức, viên chức"),
    ("4.3", "Thực hiện nhiệm vụ được phân cấp, phân quyền, ủy quyền; tự kiểm tra việc thực hiện", 2, T,
     "Báo cáo tình hình thực hiện nhiệm vụ được phân cấp, phân quyền, ủy quyền"),
    ("4.4", "Kiện toàn tổ chức sau sắp xếp đơn vị hành chính; bố trí trụ sở, trang thiết bị làm việc", 1, T,
     "Quyết định kiện toàn; báo cáo bố trí trụ sở, trang thiết bị"),

    ("5", "Cải cách chế độ công vụ", None, None, ""),
    ("5.1", "Bố trí cán bộ, công chức theo vị trí việc làm được phê duyệt", 2, T,
     "Danh mục vị trí việc làm; quyết định phân công công tác"),
    ("5.2", "Đánh giá, xếp loại chất lượng cán bộ, công chức đúng quy trình, thời hạn", 2, T,
     "Hồ sơ đánh giá, xếp loại chất lượng; thông báo kết quả"),
    ("5.3", "Đào tạo, bồi dưỡng cán bộ, công chức theo kế hoạch", 2, T,
     "Kế hoạch đào tạo, bồi dưỡng; chứng chỉ, giấy chứng nhận bồi dưỡng"),
    ("5.4", "Chấp hành kỷ luật, kỷ cương hành chính; thực hiện quy tắc ứng xử của cán bộ, công chức", 2, T,
     "Báo cáo tình hình kỷ luật, kỷ cương hành chính; kết quả kiểm tra công vụ"),
    ("5.5", "Đánh giá của người dân, tổ chức về thái độ, năng lực của cán bộ, công chức xã, phường", 2, X,
     XHH_EVIDENCE),

    ("6", "Cải cách tài chính công", None, None, ""),
    ("6.1", "Công khai dự toán, quyết toán ngân sách xã, phường đúng hình thức, thời hạn", 2, T,
     "Quyết định công bố công khai dự toán, quyết toán; biên bản niêm yết"),
    ("6.2", "Ban hành, thực hiện Quy chế chi tiêu nội bộ và Quy chế quản lý, sử dụng tài sản công", 2, T,
     "Quy chế chi tiêu nội bộ; Quy chế quản lý, sử dụng tài sản công"),
    ("6.3", "Thu ngân sách nhà nước trên địa bàn đạt hoặc vượt dự toán được giao", 2, T,
     "Báo cáo quyết toán thu ngân sách"),
    ("6.4", "Thực hiện đầy đủ kết luận thanh tra, kiểm tra, kiểm toán về tài chính, ngân sách", 1, T,
     "Kết luận thanh tra, kiểm tra, kiểm toán; báo cáo thực hiện kiến nghị"),

    ("7", "Xây dựng và phát triển chính quyền điện tử, chính quyền số", None, None, ""),
    ("7.1", "Văn bản đi được ký số, gửi nhận trên hệ thống quản lý văn bản và điều hành (trừ văn bản mật)", 2, T,
     "Báo cáo trích xuất từ hệ thống quản lý văn bản và điều hành"),
    ("7.2", "Tỷ lệ hồ sơ TTHC được tiếp nhận, giải quyết trực tuyến toàn trình", 3, T,
     "Báo cáo thống kê từ Cổng dịch vụ công, Hệ thống thông tin giải quyết TTHC"),
    ("7.3", "Tỷ lệ hồ sơ, kết quả giải quyết TTHC được số hóa", 3, T,
     "Báo cáo thống kê số hóa hồ sơ, kết quả giải quyết TTHC"),
    ("7.4", "Tỷ lệ thanh toán trực tuyến phí, lệ phí TTHC", 2, T, "Báo cáo thống kê thanh toán trực tuyến"),
    ("7.5", "Khai thác cơ sở dữ liệu quốc gia về dân cư trong giải quyết TTHC, cắt giảm giấy tờ công dân", 2, T,
     "Báo cáo kết quả thực hiện Đề án 06 trên địa bàn"),
    ("7.6", "Tổ công nghệ số cộng đồng hoạt động, hỗ trợ người dân sử dụng dịch vụ công trực tuyến", 2, T,
     "Quyết định thành lập tổ công nghệ số cộng đồng; báo cáo kết quả hoạt động"),
    ("7.7", "Duy trì, cập nhật hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", 2, T,
     "Quyết định công bố hệ thống quản lý chất lượng; báo cáo đánh giá nội bộ"),

    ("8", "Tác động của cải cách hành chính đến người dân, tổ chức và phát triển kinh tế - xã hội", None, None, ""),
    ("8.1", "Mức độ hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính", None, None, ""),
    ("8.1.1", "Tiếp cận dịch vụ hành chính công", 4, X, XHH_EVIDENCE),
    ("8.1.2", "Thủ tục hành chính", 4, X, XHH_EVIDENCE),
    ("8.1.3", "Công chức trực tiếp giải quyết công việc", 4, X, XHH_EVIDENCE),
    ("8.1.4", "Kết quả cung ứng dịch vụ hành chính công", 4, X, XHH_EVIDENCE),
    ("8.1.5", "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị", 4, X, XHH_EVIDENCE),
    ("8.2", "Mức độ hài lòng của người dân, tổ chức khi sử dụng dịch vụ công trực tuyến", 2, X, XHH_EVIDENCE),
    ("8.3", "Thực hiện các chỉ tiêu phát triển kinh tế - xã hội", None, None, ""),
    ("8.3.1", "Tỷ lệ hoàn thành các chỉ tiêu phát triển kinh tế - xã hội do HĐND xã, phường giao", 4, T,
     "Nghị quyết của HĐND về chỉ tiêu phát triển kinh tế - xã hội; báo cáo tình hình kinh tế - xã hội năm"),
    ("8.3.2", "Bảo đảm quốc phòng, an ninh, trật tự, an toàn xã hội trên địa bàn", 2, T,
     "Báo cáo công tác quốc phòng, an ninh, trật tự năm"),
    ("8.3.3", "Phát triển doanh nghiệp, hộ kinh doanh, thu hút đầu tư trên địa bàn", 2, T,
     "Báo cáo tình hình phát triển doanh nghiệp, hộ kinh doanh"),

    ("9", "Điểm thưởng, điểm trừ", None, None, ""),
    ("9.1", "Có sáng kiến, mô hình, giải pháp mới về CCHC, chuyển đổi số được cấp tỉnh trở lên công nhận "
            "(điểm thưởng)", 1, B, "Quyết định công nhận sáng kiến, mô hình, giải pháp"),
    ("9.2", "Được cấp có thẩm quyền khen thưởng về thành tích CCHC trong năm (điểm thưởng)", 1, B,
     "Quyết định khen thưởng"),
    ("9.3", "Có cán bộ, công chức bị xử lý kỷ luật từ khiển trách trở lên do vi phạm trong thi hành công vụ (trừ "
            "1 điểm mỗi trường hợp, trừ tối đa 2 điểm)", 2, P,
     "Quyết định kỷ luật (nếu có); báo cáo tình hình kỷ luật, kỷ cương hành chính"),
    ("9.4", "Có phản ánh về nhũng nhiễu, gây phiền hà khi giải quyết TTHC được cơ quan có thẩm quyền xác minh là "
            "đúng (trừ 1 điểm)", 1, P, "Văn bản kết luận, trả lời phản ánh (nếu có)"),
    ("9.5", "Gửi báo cáo CCHC, biểu tự chấm điểm chậm so với thời hạn (trừ 1 điểm)", 1, P,
     "Văn bản gửi kèm dấu thời gian gửi trên hệ thống quản lý văn bản"),
]

QUESTION_NOTE = ("BỘ CÂU HỎI MẪU – không phải bộ câu hỏi chính thức. Câu hỏi dựng theo 5 yếu tố của phương pháp đo "
                 "lường sự hài lòng (QĐ 2640/QĐ-BNV), mỗi câu gắn với một tiêu chí “Điều tra XHH” của trang "
                 "“TieuChi”. Người trả lời chọn một mức: Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Rất "
                 "không hài lòng (hoặc Không trả lời).")

# the shipped sample's survey criteria -> this framework's (its 7.2 questions, on the commune's government, have
# no criterion here)
_CRITERION = {"7.1.1": "8.1.1", "7.1.2": "8.1.2", "7.1.3": "8.1.3", "7.1.4": "8.1.4", "7.1.5": "8.1.5",
              "3.1.3": "3.6", "3.2.4": "3.6", "3.3.4": "5.5", "4.4.2": "5.5"}
_ONLINE = [
    "Ông/Bà có hài lòng với sự dễ dàng khi nộp hồ sơ, theo dõi và nhận kết quả trên Cổng dịch vụ công không?",
    "Ông/Bà có hài lòng với việc được hướng dẫn, hỗ trợ khi sử dụng dịch vụ công trực tuyến (tổ công nghệ số "
    "cộng đồng, công chức Trung tâm Phục vụ hành chính công) không?",
]


def _today(text: str) -> str:
    """A question of the 2021 sample in the words of 2025: no district, a service centre for the one-stop shop."""
    text = text.replace("Bộ phận một cửa", "Trung tâm Phục vụ hành chính công")
    return re.sub(r"\bxã\b", "xã, phường", text)


def _questions() -> list[tuple[str, str, str]]:
    kept = [(_today(text), _CRITERION[crit]) for _, text, crit in QUESTIONS if crit in _CRITERION]
    kept += [(text, "8.2") for text in _ONLINE]
    return [(f"CH{n:02d}", text, crit) for n, (text, crit) in enumerate(kept, start=1)]


GUIDE = HUONG_DAN + [
    f"13. Cách đánh giá “{BONUS}” và “{PENALTY}” (nội dung 9): đơn vị tự chấm, cơ quan thẩm định chấm lại như "
    "tiêu chí “Thẩm định”. Điểm thưởng ghi từ 0 đến điểm tối đa; điểm trừ ghi số âm, từ -(điểm tối đa) đến 0 "
    "(cột Điểm tối đa của tiêu chí điểm trừ là số điểm bị trừ nhiều nhất). Điểm của nội dung 9 bằng tổng điểm "
    "thưởng tối đa; điểm thưởng, điểm trừ không tính vào thang điểm 100 của 8 nội dung, và tổng điểm của đơn vị "
    "không dưới 0, không vượt 100.",
]

SPEC = Spec(NOTE, SOURCE, CRITERIA, QUESTION_NOTE, _questions(), GUIDE,
            "Bộ tiêu chí mẫu 2025 – Chỉ số CCHC cấp xã (điểm thưởng, điểm trừ)")
