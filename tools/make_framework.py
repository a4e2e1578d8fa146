"""Write ``templates/bo-tieu-chi.xlsx``: the SAMPLE criteria framework shipped with cchc (and, with
``--preset phu-tho``, the preset's SAMPLE framework of 2025 shape, ``tools/framework_phu_tho.py``).

Vĩnh Phúc's Decision 2757/QĐ-UBND (the commune-level criteria) could not be found, so the shipped
framework is a clearly labelled sample shaped like Hà Nội's 2024 commune framework (QĐ 3199/QĐ-UBND,
7 content areas); the numbers are illustrative.  The appraising office replaces it with the province's
framework (sheet ``HuongDan`` says how).  Sheet ``CauHoi`` holds the SAMPLE survey questionnaire: questions
following the five elements of the national satisfaction method (QĐ 2640/QĐ-BNV), each feeding one survey
criterion of the framework.  The output is byte-for-byte deterministic.

    .venv/bin/python tools/make_framework.py [OUTPUT]
    .venv/bin/python tools/make_framework.py --preset phu-tho [OUTPUT]
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from automation.scoring.framework import (APPRAISAL, BONUS, BONUS_PENALTY, HEADERS, PENALTY, SHEET,  # noqa: E402
                                          SURVEY)
from automation.survey.model import QUESTION_HEADERS, QUESTION_SHEET  # noqa: E402
from automation.formats import print_setup  # noqa: E402

OUTPUT = ROOT / "templates" / "bo-tieu-chi.xlsx"
FIXED_TIME = datetime(2024, 1, 1)

NOTE = ("BỘ TIÊU CHÍ MẪU – không phải văn bản chính thức. Quyết định 2757/QĐ-UBND của UBND tỉnh Vĩnh Phúc "
        "chưa tìm được; cơ quan thẩm định thay bằng bộ tiêu chí theo quyết định của tỉnh (xem trang “HuongDan”).")
SOURCE = ("Bộ mẫu dựng theo cấu trúc Khung Chỉ số CCHC của UBND xã, phường, thị trấn thành phố Hà Nội năm 2024 "
          "(Quyết định 3199/QĐ-UBND ngày 21/6/2024, 7 nội dung); điểm số chỉ để minh họa. Thang điểm 100, trong đó "
          "khoảng 30 điểm đánh giá qua điều tra xã hội học (Điều tra XHH), còn lại thẩm định điểm tự chấm.")

T, X = APPRAISAL, SURVEY
XHH_EVIDENCE = "Kết quả điều tra xã hội học do cơ quan thẩm định thực hiện (đơn vị không tự chấm)"

# (code, content, points for leaves / None for parents, method for leaves, evidence for leaves)
# Parents take the sum of their children; a parent is "Điều tra XHH" when all its children are.
CRITERIA: list[tuple[str, str, float | None, str | None, str]] = [
    ("1", "Công tác chỉ đạo, điều hành cải cách hành chính", None, None, ""),
    ("1.1", "Kế hoạch cải cách hành chính năm", None, None, ""),
    ("1.1.1", "Ban hành Kế hoạch CCHC năm của UBND xã đúng thời hạn theo hướng dẫn của cấp trên", 1, T,
     "Kế hoạch CCHC năm của UBND xã"),
    ("1.1.2", "Kế hoạch xác định đầy đủ nhiệm vụ trên các nội dung CCHC, có phân công người thực hiện, thời hạn "
              "và sản phẩm cụ thể", 1, T, "Kế hoạch CCHC năm của UBND xã"),
    ("1.1.3", "Mức độ hoàn thành Kế hoạch CCHC năm (100%: 1 điểm; từ 80% đến dưới 100%: 0,5 điểm; dưới 80%: "
              "0 điểm)", 1, T, "Báo cáo CCHC năm; bảng theo dõi tiến độ thực hiện Kế hoạch CCHC"),
    ("1.2", "Báo cáo cải cách hành chính", None, None, ""),
    ("1.2.1", "Gửi đủ các báo cáo CCHC định kỳ (quý I, 6 tháng, quý III, năm) theo quy định", 1, T,
     "Báo cáo CCHC định kỳ (quý I, 6 tháng, quý III, năm)"),
    ("1.2.2", "Các báo cáo CCHC gửi đúng thời hạn, đúng đề cương hướng dẫn", 1, T,
     "Báo cáo CCHC định kỳ; sổ đăng ký văn bản đi hoặc dấu thời gian gửi trên hệ thống quản lý văn bản"),
    ("1.3", "Kiểm tra, tuyên truyền cải cách hành chính", None, None, ""),
    ("1.3.1", "Kiểm tra công tác CCHC tại các bộ phận chuyên môn, thôn, tổ dân phố; xử lý các vấn đề phát hiện "
              "qua kiểm tra", 2, T, "Kế hoạch kiểm tra CCHC; biên bản, báo cáo kết quả kiểm tra; văn bản chỉ đạo "
                                  "khắc phục tồn tại sau kiểm tra"),
    ("1.3.2", "Thông tin, tuyên truyền về CCHC (trên đài truyền thanh xã, trang thông tin điện tử, hội nghị, "
              "bảng tin thôn)", 2, T, "Kế hoạch hoặc nội dung tuyên truyền CCHC trong Kế hoạch CCHC năm; tin, bài "
                                    "đã phát, đăng; ảnh chụp hoạt động tuyên truyền"),
    ("1.4", "Có sáng kiến hoặc giải pháp mới trong CCHC được cấp có thẩm quyền công nhận", 1, T,
     "Quyết định công nhận sáng kiến; báo cáo kết quả áp dụng mô hình, giải pháp"),
    ("1.5", "Thực hiện các nhiệm vụ CCHC do UBND cấp trên giao trong năm (hoàn thành 100% đúng hạn: 2 điểm; "
            "có nhiệm vụ chậm hạn: 1 điểm; có nhiệm vụ không hoàn thành: 0 điểm)", 2, T,
     "Văn bản giao nhiệm vụ của cấp trên; báo cáo kết quả thực hiện; sổ theo dõi nhiệm vụ được giao"),

    ("2", "Tổ chức thực hiện văn bản quy phạm pháp luật", None, None, ""),
    ("2.1", "Tuyên truyền, phổ biến, giáo dục pháp luật", None, None, ""),
    ("2.1.1", "Ban hành Kế hoạch phổ biến, giáo dục pháp luật năm của UBND xã", 1, T,
     "Kế hoạch phổ biến, giáo dục pháp luật năm của UBND xã"),
    ("2.1.2", "Tổ chức phổ biến văn bản quy phạm pháp luật mới của Trung ương, của tỉnh đến cán bộ, công chức và "
              "nhân dân", 1, T, "Tài liệu, giấy mời hội nghị phổ biến pháp luật; báo cáo công tác phổ biến, giáo "
                                "dục pháp luật năm"),
    ("2.2", "Theo dõi tình hình thi hành pháp luật trên địa bàn (có kế hoạch, báo cáo đúng thời hạn)", 2, T,
     "Kế hoạch theo dõi tình hình thi hành pháp luật; báo cáo kết quả theo dõi thi hành pháp luật"),
    ("2.3", "Tự kiểm tra, rà soát văn bản do HĐND, UBND xã ban hành", None, None, ""),
    ("2.3.1", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật do HĐND, UBND xã ban hành theo quy định", 1, T,
     "Báo cáo kết quả rà soát, hệ thống hóa văn bản quy phạm pháp luật"),
    ("2.3.2", "Xử lý văn bản trái pháp luật phát hiện qua rà soát, kiểm tra (không phát hiện văn bản trái pháp "
              "luật: điểm tối đa)", 1, T, "Văn bản xử lý (bãi bỏ, sửa đổi); báo cáo kết quả xử lý"),
    ("2.4", "Xã được công nhận đạt chuẩn tiếp cận pháp luật", 1, T,
     "Quyết định công nhận xã đạt chuẩn tiếp cận pháp luật"),

    ("3", "Thủ tục hành chính và cơ chế một cửa, một cửa liên thông", None, None, ""),
    ("3.1", "Công khai thủ tục hành chính", None, None, ""),
    ("3.1.1", "Niêm yết công khai đầy đủ, đúng quy định các TTHC thuộc thẩm quyền giải quyết của cấp xã tại Bộ "
              "phận một cửa", 1, T, "Ảnh chụp khu vực niêm yết; danh mục TTHC đang niêm yết"),
    ("3.1.2", "Công khai TTHC, kết quả giải quyết hồ sơ trên trang thông tin điện tử của xã hoặc Cổng dịch vụ "
              "công", 1, T, "Ảnh chụp màn hình trang thông tin điện tử, Cổng dịch vụ công (có địa chỉ trang)"),
    ("3.1.3", "Đánh giá của người dân, tổ chức về tính đầy đủ, dễ hiểu của thông tin TTHC được công khai", 1, X,
     XHH_EVIDENCE),
    ("3.2", "Tiếp nhận, giải quyết hồ sơ thủ tục hành chính", None, None, ""),
    ("3.2.1", "Tỷ lệ hồ sơ TTHC giải quyết đúng hạn (100%: 2 điểm; từ 95% đến dưới 100%: 1 điểm; dưới 95%: "
              "0 điểm)", 2, T, "Sổ theo dõi hồ sơ TTHC; báo cáo kết quả giải quyết TTHC trích xuất từ Hệ thống "
                               "thông tin giải quyết TTHC"),
    ("3.2.2", "Thực hiện xin lỗi tổ chức, cá nhân đối với 100% hồ sơ giải quyết quá hạn (không có hồ sơ quá hạn: "
              "điểm tối đa)", 1, T, "Phiếu xin lỗi và hẹn lại ngày trả kết quả; Sổ theo dõi hồ sơ TTHC"),
    ("3.2.3", "Cập nhật đầy đủ, kịp thời tình trạng hồ sơ trên Hệ thống thông tin giải quyết TTHC của tỉnh", 1, T,
     "Báo cáo trích xuất từ Hệ thống thông tin giải quyết TTHC"),
    ("3.2.4", "Số lần người dân, tổ chức phải đi lại để hoàn thành một thủ tục hành chính", 1, X, XHH_EVIDENCE),
    ("3.3", "Tổ chức và hoạt động của Bộ phận một cửa", None, None, ""),
    ("3.3.1", "Quyết định thành lập, kiện toàn Bộ phận một cửa và Quy chế hoạt động của Bộ phận một cửa", 1, T,
     "Quyết định thành lập, kiện toàn Bộ phận một cửa; Quy chế hoạt động"),
    ("3.3.2", "Bố trí diện tích, trang thiết bị của Bộ phận một cửa theo quy định", 1, T,
     "Ảnh chụp Bộ phận một cửa; danh mục trang thiết bị"),
    ("3.3.3", "Công chức làm việc tại Bộ phận một cửa đeo thẻ, thực hiện đúng quy tắc ứng xử", 1, T,
     "Quy chế, quy tắc ứng xử; ảnh chụp; kết quả kiểm tra công vụ"),
    ("3.3.4", "Thái độ, tinh thần phục vụ của công chức tại Bộ phận một cửa", 1, X, XHH_EVIDENCE),
    ("3.4", "Tiếp nhận, xử lý phản ánh, kiến nghị của cá nhân, tổ chức về quy định hành chính (công khai địa chỉ "
            "tiếp nhận; xử lý đúng hạn 100% phản ánh, kiến nghị thuộc thẩm quyền)", 2, T,
     "Ảnh chụp nơi công khai địa chỉ tiếp nhận; sổ theo dõi phản ánh, kiến nghị; văn bản trả lời"),
    ("3.5", "Kiểm soát thủ tục hành chính", None, None, ""),
    ("3.5.1", "Rà soát, đánh giá thủ tục hành chính; kiến nghị đơn giản hóa TTHC với cấp có thẩm quyền", 1, T,
     "Báo cáo rà soát, đánh giá TTHC; văn bản kiến nghị đơn giản hóa"),
    ("3.5.2", "Báo cáo tình hình, kết quả thực hiện kiểm soát TTHC, cơ chế một cửa, một cửa liên thông đầy đủ, "
              "đúng hạn", 2, T, "Báo cáo định kỳ về kiểm soát TTHC, thực hiện cơ chế một cửa, một cửa liên thông"),

    ("4", "Nâng cao chất lượng đội ngũ cán bộ, công chức", None, None, ""),
    ("4.1", "Bố trí cán bộ, công chức cấp xã đúng số lượng, chức danh theo quy định", 2, T,
     "Quyết định bố trí, phân công cán bộ, công chức; danh sách cán bộ, công chức"),
    ("4.2", "Đào tạo, bồi dưỡng cán bộ, công chức", None, None, ""),
    ("4.2.1", "Ban hành và thực hiện kế hoạch (hoặc cử cán bộ, công chức theo kế hoạch của cấp trên) đào tạo, "
              "bồi dưỡng năm", 1, T, "Kế hoạch đào tạo, bồi dưỡng; quyết định, văn bản cử đi học"),
    ("4.2.2", "Tỷ lệ cán bộ, công chức đạt chuẩn trình độ chuyên môn, nghiệp vụ theo quy định", 1, T,
     "Danh sách cán bộ, công chức kèm trình độ chuyên môn; bản sao văn bằng"),
    ("4.2.3", "Tỷ lệ cán bộ, công chức được bồi dưỡng kiến thức, kỹ năng trong năm", 1, T,
     "Chứng chỉ, giấy chứng nhận bồi dưỡng; báo cáo kết quả đào tạo, bồi dưỡng"),
    ("4.3", "Đánh giá, xếp loại chất lượng cán bộ, công chức năm đúng quy trình, thời hạn", 2, T,
     "Hồ sơ đánh giá, xếp loại; thông báo kết quả đánh giá, xếp loại chất lượng cán bộ, công chức"),
    ("4.4", "Kỷ luật, kỷ cương hành chính", None, None, ""),
    ("4.4.1", "Ban hành, thực hiện Quy chế làm việc của UBND xã; không có cán bộ, công chức bị xử lý kỷ luật "
              "trong năm", 1, T, "Quy chế làm việc của UBND xã; báo cáo tình hình kỷ luật, kỷ cương hành chính"),
    ("4.4.2", "Đánh giá của người dân, tổ chức về năng lực, tinh thần trách nhiệm của cán bộ, công chức xã", 2, X,
     XHH_EVIDENCE),

    ("5", "Quản lý tài chính công", None, None, ""),
    ("5.1", "Công khai dự toán, quyết toán ngân sách xã theo quy định (hình thức, thời hạn)", 2, T,
     "Quyết định công bố công khai dự toán, quyết toán ngân sách xã; biên bản niêm yết"),
    ("5.2", "Ban hành và thực hiện Quy chế chi tiêu nội bộ; chi đúng quy chế, không vượt dự toán", 2, T,
     "Quy chế chi tiêu nội bộ; báo cáo quyết toán kinh phí quản lý hành chính"),
    ("5.3", "Ban hành Quy chế quản lý, sử dụng tài sản công của UBND xã", 1, T,
     "Quy chế quản lý, sử dụng tài sản công; sổ theo dõi tài sản"),
    ("5.4", "Thanh tra, kiểm tra, kiểm toán tài chính, ngân sách: không có sai phạm; thực hiện đầy đủ kiến nghị", 2,
     T, "Kết luận thanh tra, kiểm tra, kiểm toán; báo cáo thực hiện kiến nghị"),

    ("6", "Hiện đại hóa hành chính", None, None, ""),
    ("6.1", "Ứng dụng công nghệ thông tin trong hoạt động của UBND xã", None, None, ""),
    ("6.1.1", "Tỷ lệ văn bản đi được gửi dưới dạng điện tử, ký số trên hệ thống quản lý văn bản và điều hành", 2,
     T, "Báo cáo trích xuất từ hệ thống quản lý văn bản và điều hành"),
    ("6.1.2", "Sử dụng thư điện tử công vụ; cập nhật thông tin trên trang thông tin điện tử của xã", 2, T,
     "Danh sách hộp thư công vụ; ảnh chụp màn hình trang thông tin điện tử"),
    ("6.2", "Dịch vụ công trực tuyến", None, None, ""),
    ("6.2.1", "Tỷ lệ hồ sơ TTHC được tiếp nhận, giải quyết trực tuyến toàn trình", 2, T,
     "Báo cáo thống kê từ Cổng dịch vụ công, Hệ thống thông tin giải quyết TTHC"),
    ("6.2.2", "Tỷ lệ hồ sơ, kết quả giải quyết TTHC được số hóa", 2, T,
     "Báo cáo thống kê số hóa hồ sơ, kết quả giải quyết TTHC"),
    ("6.2.3", "Tỷ lệ giao dịch thanh toán trực tuyến phí, lệ phí TTHC", 1, T,
     "Báo cáo thống kê thanh toán trực tuyến"),
    ("6.3", "Áp dụng, duy trì hệ thống quản lý chất lượng theo TCVN ISO 9001:2015", 2, T,
     "Quyết định công bố hệ thống quản lý chất lượng; báo cáo đánh giá nội bộ, xem xét của lãnh đạo"),
    ("6.4", "Chuyển đổi số: tổ công nghệ số cộng đồng hoạt động, hỗ trợ người dân sử dụng dịch vụ công trực "
            "tuyến", 2, T, "Quyết định thành lập tổ công nghệ số cộng đồng; báo cáo kết quả hoạt động"),

    ("7", "Tác động của CCHC đến người dân, tổ chức và phát triển kinh tế - xã hội", None, None, ""),
    ("7.1", "Sự hài lòng của người dân, tổ chức đối với sự phục vụ của UBND xã", None, None, ""),
    ("7.1.1", "Tiếp cận dịch vụ hành chính công", 4, X, XHH_EVIDENCE),
    ("7.1.2", "Thủ tục hành chính", 4, X, XHH_EVIDENCE),
    ("7.1.3", "Công chức trực tiếp giải quyết công việc", 4, X, XHH_EVIDENCE),
    ("7.1.4", "Kết quả cung ứng dịch vụ hành chính công", 4, X, XHH_EVIDENCE),
    ("7.1.5", "Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị", 4, X, XHH_EVIDENCE),
    ("7.2", "Đánh giá của người dân về hoạt động của chính quyền xã", None, None, ""),
    ("7.2.1", "Công khai, minh bạch hoạt động của chính quyền xã", 2.5, X, XHH_EVIDENCE),
    ("7.2.2", "Phòng, chống tiêu cực, nhũng nhiễu khi giải quyết công việc của người dân, tổ chức", 2.5, X,
     XHH_EVIDENCE),
    ("7.3", "Thực hiện các chỉ tiêu phát triển kinh tế - xã hội", None, None, ""),
    ("7.3.1", "Tỷ lệ hoàn thành các chỉ tiêu phát triển kinh tế - xã hội do HĐND xã giao", 3, T,
     "Nghị quyết của HĐND xã về chỉ tiêu phát triển kinh tế - xã hội; Báo cáo tình hình kinh tế - xã hội năm"),
    ("7.3.2", "Thu ngân sách nhà nước trên địa bàn đạt hoặc vượt dự toán được giao", 2, T,
     "Báo cáo quyết toán thu ngân sách xã"),
    ("7.3.3", "Thực hiện các tiêu chí xây dựng nông thôn mới (nông thôn mới nâng cao) theo kế hoạch", 2, T,
     "Báo cáo kết quả xây dựng nông thôn mới; quyết định công nhận (nếu có)"),
    ("7.3.4", "Bảo đảm an ninh chính trị, trật tự, an toàn xã hội trên địa bàn", 2, T,
     "Báo cáo công tác bảo đảm an ninh, trật tự năm"),
]

QUESTION_NOTE = ("BỘ CÂU HỎI MẪU – không phải bộ câu hỏi chính thức. Câu hỏi dựng theo 5 yếu tố của phương pháp đo "
                 "lường sự hài lòng (QĐ 2640/QĐ-BNV): tiếp cận dịch vụ, thủ tục hành chính, công chức, kết quả, "
                 "tiếp nhận và xử lý góp ý; mỗi câu gắn với một tiêu chí “Điều tra XHH” của trang “TieuChi”. "
                 "Người trả lời chọn một mức: Rất hài lòng, Hài lòng, Bình thường, Không hài lòng, Rất không hài "
                 "lòng (hoặc Không trả lời).")

# (code, question, survey criterion it feeds), in the order of the five elements of the method
QUESTIONS: list[tuple[str, str, str]] = [
    # 1. Tiếp cận dịch vụ hành chính công
    ("CH01", "Ông/Bà có hài lòng với nơi ngồi chờ tại Bộ phận một cửa (đủ chỗ ngồi, bàn viết, quạt, nước uống) "
             "không?", "7.1.1"),
    ("CH02", "Ông/Bà có hài lòng với trang thiết bị phục vụ người dân tại Bộ phận một cửa (máy lấy số thứ tự, "
             "máy tính tra cứu, nộp hồ sơ trực tuyến) và sự dễ sử dụng của chúng không?", "7.1.1"),
    ("CH03", "Ông/Bà có hài lòng với vị trí, biển chỉ dẫn và giờ làm việc của Bộ phận một cửa không?", "7.1.1"),
    # 2. Thủ tục hành chính
    ("CH04", "Ông/Bà có hài lòng với việc niêm yết công khai thủ tục hành chính (thành phần hồ sơ, phí, lệ phí, "
             "thời hạn giải quyết) đầy đủ, chính xác không?", "3.1.3"),
    ("CH05", "Ông/Bà có hài lòng với mức độ dễ hiểu, dễ tra cứu của thông tin thủ tục hành chính được công khai "
             "không?", "3.1.3"),
    ("CH06", "Ông/Bà có hài lòng với thành phần hồ sơ phải nộp (đúng quy định, không bị yêu cầu thêm giấy tờ) "
             "không?", "7.1.2"),
    ("CH07", "Ông/Bà có hài lòng với mức phí, lệ phí phải nộp (đúng mức đã niêm yết) không?", "7.1.2"),
    ("CH08", "Ông/Bà có hài lòng với thời hạn giải quyết thủ tục hành chính theo quy định không?", "7.1.2"),
    ("CH09", "Ông/Bà có hài lòng với số lần phải đi lại Bộ phận một cửa để hoàn thành thủ tục không?", "3.2.4"),
    ("CH10", "Ông/Bà có hài lòng với việc được hướng dẫn một lần, đầy đủ để không phải bổ sung hồ sơ nhiều lần "
             "không?", "3.2.4"),
    # 3. Công chức trực tiếp giải quyết công việc
    ("CH11", "Ông/Bà có hài lòng với sự lịch sự, chú ý lắng nghe của công chức khi tiếp nhận hồ sơ không?",
     "7.1.3"),
    ("CH12", "Ông/Bà có hài lòng với việc công chức hướng dẫn kê khai hồ sơ tận tình, dễ hiểu không?", "7.1.3"),
    ("CH13", "Ông/Bà có hài lòng với việc công chức tuân thủ đúng quy định khi giải quyết công việc không?",
     "7.1.3"),
    ("CH14", "Ông/Bà có hài lòng với thái độ tiếp đón của công chức tại Bộ phận một cửa (đeo thẻ, niềm nở, không "
             "để người dân chờ lâu) không?", "3.3.4"),
    ("CH15", "Ông/Bà có hài lòng với tinh thần sẵn sàng giúp đỡ người dân (người cao tuổi, người khuyết tật, "
             "người gặp khó khăn) của công chức tại Bộ phận một cửa không?", "3.3.4"),
    ("CH16", "Ông/Bà có hài lòng với năng lực chuyên môn (nắm vững quy định, giải quyết việc thành thạo, chính "
             "xác) của cán bộ, công chức xã không?", "4.4.2"),
    ("CH17", "Ông/Bà có hài lòng với tinh thần trách nhiệm (làm việc đúng giờ, chủ động giải quyết, không đùn "
             "đẩy) của cán bộ, công chức xã không?", "4.4.2"),
    # 4. Kết quả cung ứng dịch vụ hành chính công
    ("CH18", "Ông/Bà có hài lòng với kết quả giải quyết thủ tục hành chính đã nhận (đúng quy định) không?",
     "7.1.4"),
    ("CH19", "Ông/Bà có hài lòng với độ chính xác của thông tin ghi trên kết quả đã nhận không?", "7.1.4"),
    ("CH20", "Ông/Bà có hài lòng với thời gian trả kết quả (đúng hoặc sớm hơn ngày hẹn) không?", "7.1.4"),
    # 5. Tiếp nhận, giải quyết góp ý, phản ánh, kiến nghị
    ("CH21", "Ông/Bà có hài lòng với các hình thức tiếp nhận góp ý, phản ánh, kiến nghị của xã (hòm thư góp ý, "
             "số điện thoại đường dây nóng, trang thông tin điện tử) không?", "7.1.5"),
    ("CH22", "Ông/Bà có hài lòng với sự dễ dàng khi gửi góp ý, phản ánh, kiến nghị không?", "7.1.5"),
    ("CH23", "Ông/Bà có hài lòng với việc xã tiếp nhận, xử lý và trả lời góp ý, phản ánh, kiến nghị kịp thời "
             "không?", "7.1.5"),
    # Hoạt động của chính quyền xã
    ("CH24", "Ông/Bà có hài lòng với việc chính quyền xã công khai thông tin về hoạt động (kế hoạch, ngân sách, "
             "các khoản đóng góp của người dân) không?", "7.2.1"),
    ("CH25", "Ông/Bà có hài lòng với mức độ dễ tiếp cận các thông tin do chính quyền xã công khai không?",
     "7.2.1"),
    ("CH26", "Ông/Bà có hài lòng với việc không bị gây phiền hà, sách nhiễu hay đòi nộp thêm tiền ngoài phí, "
             "lệ phí khi giải quyết công việc không?", "7.2.2"),
    ("CH27", "Ông/Bà có hài lòng với việc không có người trung gian (“cò”) nhận làm hộ hồ sơ để lấy tiền tại "
             "Bộ phận một cửa không?", "7.2.2"),
]

HUONG_DAN = [
    "HƯỚNG DẪN THAY BỘ TIÊU CHÍ MẪU BẰNG BỘ TIÊU CHÍ CỦA TỈNH",
    "",
    "1. Trang “TieuChi” của tệp này là BỘ TIÊU CHÍ MẪU, chỉ để chạy thử phần mềm. Không dùng để chấm điểm thật.",
    "2. Lấy quyết định ban hành bộ tiêu chí xác định Chỉ số CCHC cấp xã của tỉnh (bảng tiêu chí và điểm tối đa).",
    "3. Sao chép tệp này thành tệp bo-tieu-chi.xlsx trong thư mục templates/ của không gian làm việc (thư mục có "
    "tệp cchc.toml). Phần mềm dùng tệp đó thay cho bộ mẫu.",
    "4. Ở trang “TieuChi”: giữ nguyên tên trang và dòng tiêu đề cột (Mã tiêu chí | Nội dung | Điểm tối đa | Cách "
    "đánh giá | Tài liệu kiểm chứng); xóa các dòng tiêu chí mẫu rồi nhập các tiêu chí của tỉnh, mỗi tiêu chí một "
    "dòng, theo đúng thứ tự trong quyết định.",
    "5. Mã tiêu chí ghi theo cấp: 1 (lĩnh vực), 1.1 (tiêu chí), 1.1.1 (tiêu chí thành phần). Tiêu chí cha phải "
    "đứng trên các tiêu chí con. Nhập mã dưới dạng văn bản (ô đã định dạng Text, hoặc gõ dấu ' trước, ví dụ '1.10) "
    "để Excel không đổi 1.10 thành 1.1.",
    "6. Điểm tối đa ghi bằng số (được dùng số lẻ, ví dụ 0,5). Điểm của tiêu chí cha phải bằng tổng điểm các tiêu chí "
    "con; tổng các lĩnh vực là thang điểm của bộ chỉ số (thường là 100).",
    "7. Cách đánh giá ghi “Thẩm định” (đơn vị tự chấm, cơ quan thẩm định chấm lại) hoặc “Điều tra XHH” (chấm qua "
    "điều tra xã hội học, đơn vị không tự chấm). Tiêu chí “Điều tra XHH” chỉ có tiêu chí con “Điều tra XHH”.",
    "8. Cột Tài liệu kiểm chứng ghi các tài liệu đơn vị phải gửi kèm để chứng minh điểm tự chấm.",
    "9. Sửa hai dòng ghi chú phía trên dòng tiêu đề: ghi số, ngày, cơ quan ban hành quyết định của tỉnh và bỏ chữ "
    "“mẫu” (phần mềm dựa vào chữ này để biết đây còn là bộ tiêu chí mẫu và nhắc người dùng).",
    "10. Lưu tệp (định dạng .xlsx), rồi chạy lại lệnh “cchc forms” để lập lại biểu tự đánh giá, chấm điểm gửi các "
    "đơn vị. Nếu bộ tiêu chí sai (mã trùng, thiếu tiêu chí cha, điểm con cộng lại khác điểm cha, cách đánh giá "
    "không đúng, điểm không phải số), phần mềm báo lỗi “framework.invalid” kèm dòng và mã tiêu chí cần sửa.",
    f"11. Trang “{QUESTION_SHEET}” là BỘ CÂU HỎI MẪU của phiếu khảo sát sự hài lòng (điều tra xã hội học). Giữ "
    f"nguyên tên trang và dòng tiêu đề cột ({' | '.join(QUESTION_HEADERS)}); mỗi câu hỏi một dòng, mã câu hỏi "
    "không trùng (CH01, CH02…), câu hỏi trả lời được bằng các mức Rất hài lòng, Hài lòng, Bình thường, Không hài "
    "lòng, Rất không hài lòng.",
    "12. Cột Mã tiêu chí của trang câu hỏi ghi mã một tiêu chí “Điều tra XHH” (tiêu chí lá) của trang “TieuChi”; "
    "mỗi tiêu chí điều tra XHH nên có ít nhất một câu hỏi. Sửa dòng ghi chú phía trên dòng tiêu đề và bỏ chữ "
    "“mẫu” khi đã dùng bộ câu hỏi chính thức.",
]


@dataclass(frozen=True)
class Spec:
    """What one framework workbook says: its notes, criteria, questionnaire and guide."""

    note: str
    source: str
    criteria: list
    question_note: str
    questions: list
    guide: list
    title: str


def _parent_method(kids: list) -> str:
    methods = {k[3] for k in kids}
    if methods <= {BONUS, PENALTY, BONUS_PENALTY}:
        return methods.pop() if len(methods) == 1 else BONUS_PENALTY
    return X if methods == {X} else T


def criteria_rows(criteria: list | None = None) -> list[tuple[str, str, Decimal, str, str]]:
    """The rows of the sheet, parents with the sum of their children (a penalty adds nothing to a maximum)."""
    criteria = CRITERIA if criteria is None else criteria
    rows = {c[0]: list(c) for c in criteria}
    for code in sorted(rows, key=lambda c: -c.count(".")):  # deepest first
        row = rows[code]
        kids = [r for k, r in rows.items() if k.rsplit(".", 1)[0] == code and "." in k]
        if kids:
            row[2] = sum((Decimal(0) if k[3] == PENALTY else Decimal(str(k[2])) for k in kids), Decimal(0))
            row[3] = _parent_method(kids)
        else:
            row[2] = Decimal(str(row[2]))
    return [tuple(rows[c[0]]) for c in criteria]


def _number(d: Decimal) -> int | float:
    return int(d) if d == d.to_integral_value() else float(d)


def default_spec() -> Spec:
    return Spec(NOTE, SOURCE, CRITERIA, QUESTION_NOTE, QUESTIONS, HUONG_DAN, "Bộ tiêu chí mẫu – Chỉ số CCHC cấp xã")


def build(spec: Spec | None = None) -> Workbook:
    spec = spec or default_spec()
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="top")
    ws.append([spec.note])
    ws.append([spec.source])
    ws.append(list(HEADERS))
    for r, font in ((1, Font(bold=True, color="C00000", size=12)), (2, Font(italic=True))):
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(HEADERS))
        ws.cell(r, 1).font = font
        ws.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="center")
    ws.row_dimensions[1].height = 36
    ws.row_dimensions[2].height = 36
    ws.row_dimensions[3].height = 30
    fill_head = PatternFill("solid", fgColor="D9E1F2")
    fill_area = PatternFill("solid", fgColor="F2F2F2")
    for c in range(1, len(HEADERS) + 1):
        cell = ws.cell(3, c)
        cell.font = Font(bold=True)
        cell.fill = fill_head
        cell.border = border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for code, content, points, method, evidence in criteria_rows(spec.criteria):
        ws.append([code, content, _number(points), method, evidence])
        r = ws.max_row
        depth = code.count(".")
        parent = not evidence
        for c in range(1, len(HEADERS) + 1):
            cell = ws.cell(r, c)
            cell.border = border
            cell.alignment = wrap
            if parent:
                cell.font = Font(bold=True)
            if depth == 0:
                cell.fill = fill_area
        ws.cell(r, 1).number_format = "@"  # codes are text: "1.10" must not become 1.1
        ws.cell(r, 2).alignment = Alignment(wrap_text=True, vertical="top", indent=depth)
        ws.cell(r, 3).alignment = Alignment(horizontal="center", vertical="top")
        ws.row_dimensions[r].height = 15 * max(1, -(-len(content) // 66), -(-len(evidence) // 56))
    for col, width in zip("ABCDE", (11, 70, 10, 14, 60)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A4"
    print_setup.apply_openpyxl(ws, print_setup.PrintSetup(f"{spec.title}: tiêu chí", title_rows=(3, 3)))

    qs = wb.create_sheet(QUESTION_SHEET)
    qs.append([spec.question_note])
    qs.append(list(QUESTION_HEADERS))
    qs.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(QUESTION_HEADERS))
    qs["A1"].font = Font(bold=True, color="C00000", size=12)
    qs["A1"].alignment = Alignment(wrap_text=True, vertical="center")
    qs.row_dimensions[1].height = 64
    for c in range(1, len(QUESTION_HEADERS) + 1):
        cell = qs.cell(2, c)
        cell.font, cell.fill, cell.border = Font(bold=True), fill_head, border
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for code, text, criterion in spec.questions:
        qs.append([code, text, criterion])
        r = qs.max_row
        for c in range(1, len(QUESTION_HEADERS) + 1):
            qs.cell(r, c).border, qs.cell(r, c).alignment = border, wrap
            qs.cell(r, c).number_format = "@"
        qs.row_dimensions[r].height = 15 * max(1, -(-len(text) // 86))
    for col, width in zip("ABC", (12, 90, 12)):
        qs.column_dimensions[col].width = width
    qs.freeze_panes = "A3"
    print_setup.apply_openpyxl(qs, print_setup.PrintSetup(f"{spec.title}: câu hỏi điều tra XHH", title_rows=(2, 2)))

    hd = wb.create_sheet("HuongDan")
    for line in spec.guide:
        hd.append([line])
    hd.column_dimensions["A"].width = 120
    for r in range(1, hd.max_row + 1):
        hd.cell(r, 1).alignment = Alignment(wrap_text=True, vertical="top")
        hd.row_dimensions[r].height = 15 * max(1, -(-len(hd.cell(r, 1).value or "") // 112))
    hd["A1"].font = Font(bold=True, size=12)
    print_setup.apply_openpyxl(hd, print_setup.PrintSetup.text(f"{spec.title}: hướng dẫn"))
    wb.properties.creator = "cchc (tools/make_framework.py)"
    wb.properties.title = spec.title
    wb.properties.created = FIXED_TIME
    return wb


def deterministic_bytes(wb: Workbook) -> bytes:
    """The .xlsx with fixed zip timestamps and document dates (openpyxl stamps "now" on both)."""
    raw = io.BytesIO()
    wb.save(raw)
    stamp = FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6]), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(argv: list[str]) -> int:
    spec, target = None, OUTPUT
    if argv[:1] == ["--preset"]:
        if argv[1:2] != ["phu-tho"]:
            print("dùng: make_framework.py --preset phu-tho [OUTPUT]", file=sys.stderr)
            return 2
        import framework_phu_tho as preset  # noqa: PLC0415 (beside this script)

        spec, target, argv = preset.SPEC, preset.OUTPUT, argv[2:]
    target = Path(argv[0]) if argv else target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".tmp")
    tmp.write_bytes(deterministic_bytes(build(spec)))
    tmp.replace(target)
    from automation.scoring.framework import load_framework  # noqa: PLC0415

    fw = load_framework(target)
    print(f"{target}: {len(fw.top)} lĩnh vực, {len(fw.leaves)} tiêu chí lá ({len(fw.scored)} tự chấm, "
          f"{len(fw.survey)} điều tra XHH); tổng {fw.total_max} điểm, điều tra XHH {fw.survey_max} điểm; "
          + (f"điểm thưởng tối đa {fw.bonus_max}, điểm trừ tối đa {fw.penalty_max}; " if fw.adjustments else "")
          + f"mẫu: {fw.sample}")
    from automation.survey.questions import load_questions  # noqa: PLC0415

    qset = load_questions(target, fw)
    print(f"{target}: {len(qset.questions)} câu hỏi cho {len({q.criterion for q in qset.questions})} tiêu chí "
          f"điều tra XHH; mẫu: {qset.sample}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
