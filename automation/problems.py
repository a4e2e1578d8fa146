"""User-facing problems: stable codes, severities and Vietnamese messages, in one place.

Every finding the tool reports to a person (CLI, JSON, feedback letters, status sheet) is a
:class:`Problem` built from :data:`CATALOG`.  Failures that stop an operation are raised as
:class:`CchcError` subclasses carrying a problem; the CLI turns them into a message in one place
(:func:`automation.cli.main`), never a traceback.
"""

from __future__ import annotations

import enum
import unicodedata
from dataclasses import dataclass, field


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    @property
    def label(self) -> str:
        return "Lỗi" if self is Severity.ERROR else "Cảnh báo"


@dataclass(frozen=True)
class Location:
    """Where a problem is, in the terms of the person who made the file.

    ``table`` and ``row`` are for machines (1-based table index in the document, 1-based position among
    the list's people); what a person reads comes from ``area`` ("danh sách", "bảng thứ 2 …"), ``stt``
    (the row's STT as written), ``person`` (the name on that row), ``column`` (the header as written) and
    ``part`` ("đầu trang", "chân trang", a sheet name).
    """

    table: int | None = None
    row: int | None = None
    column: str | None = None
    part: str | None = None  # e.g. "đầu trang", "chân trang", a sheet name
    area: str | None = None  # the table in words: "danh sách", "bảng thứ 2 (“Nơi nhận”)"
    stt: str | None = None  # the STT written on the row (a list's own numbering)
    person: str | None = None  # the name written on the row

    def describe(self) -> str:
        bits = []
        if self.part:
            bits.append(self.part)
        if self.area:
            bits.append(self.area)
        elif self.table is not None and self.row is None:
            bits.append(f"bảng thứ {self.table} của văn bản")
        if self.row is not None:
            line = f"dòng STT {self.stt}" if self.stt else f"dòng thứ {self.row}"
            bits.append(line + (f" ({self.person})" if self.person else ""))
        if self.column:
            bits.append(f"cột “{self.column}”")
        return ", ".join(bits)

    def as_dict(self) -> dict:
        return {k: v for k, v in (("table", self.table), ("row", self.row), ("column", self.column),
                                  ("part", self.part), ("area", self.area), ("stt", self.stt),
                                  ("person", self.person)) if v is not None}


@dataclass(frozen=True)
class Entry:
    severity: Severity
    message: str  # str.format template
    fix: str  # how to fix it, for feedback letters
    # other wordings of the same finding: variant -> (message, fix); "" keeps the default of that half
    variants: dict[str, tuple[str, str]] = field(default_factory=dict)


def _e(sev: str, message: str, fix: str, **variants: tuple[str, str]) -> Entry:
    return Entry(Severity(sev), message, fix, variants)


CATALOG: dict[str, Entry] = {
    # files
    "file.unreadable": _e("error", "Không đọc được tệp: {detail}.",
                          "Mở tệp bằng Word/Excel, kiểm tra nội dung và lưu lại, rồi gửi lại."),
    "file.encrypted": _e("error", "Tệp được đặt mật khẩu hoặc bảo vệ quyền truy cập ({detail}), không thể mở để kiểm tra.",
                         "Gỡ mật khẩu (Tệp > Thông tin > Bảo vệ tài liệu) rồi gửi lại."),
    "file.unsupported": _e("error", "Loại tệp không được tiếp nhận: {detail}.",
                           "Gửi danh sách bằng tệp Word (.doc hoặc .docx), biểu chấm điểm bằng tệp Excel (.xlsx)."),
    "file.too_large": _e("error", "Tệp quá lớn: {detail}.",
                         "Bỏ ảnh và đối tượng nhúng không cần thiết, lưu lại rồi gửi lại."),
    "file.conversion_failed": _e("error", "Không chuyển đổi được tệp định dạng cũ: {detail}.",
                                 "Mở tệp bằng Word và lưu dưới dạng .docx rồi gửi lại."),
    # units
    "unit.unknown": _e("error", "Không xác định được đơn vị gửi: {detail}.",
                       "Ghi rõ tên xã, thị trấn ở tiêu đề văn bản hoặc trong tên tệp."),
    # Word formatting
    "font.not_times_new_roman": _e("error", "Chữ dùng phông “{font}” thay vì Times New Roman, ví dụ “{sample}” "
                                            "({count} đoạn chữ).",
                                   "Chọn toàn bộ văn bản (Ctrl+A) và đặt phông Times New Roman.",
                                   misspelt=("Tên phông “{font}” bị viết sai, không phải Times New Roman, ví dụ "
                                             "“{sample}” ({count} đoạn chữ); máy không có phông mang tên này sẽ "
                                             "hiện chữ bằng một phông khác.",
                                             "Chọn toàn bộ văn bản (Ctrl+A) và chọn lại phông Times New Roman "
                                             "trong danh sách phông của Word (không gõ tay tên phông).")),
    "encoding.legacy": _e("error", "Văn bản gõ bằng bảng mã cũ {encoding} (phông “{font}”), ví dụ “{sample}” "
                                   "(đọc đúng là “{decoded}”; {count} đoạn chữ).",
                          "Chuyển văn bản sang bảng mã Unicode: dùng Unikey, Công cụ chuyển mã (bảng mã nguồn "
                          "{encoding}, bảng mã đích Unicode), rồi đặt phông Times New Roman; hoặc dùng bản Unicode "
                          "gửi kèm (nếu có)."),
    # the respondent list
    "list.table_missing": _e("error", "Không tìm thấy bảng danh sách có các cột Họ và tên, Địa chỉ, Thủ tục hành chính.",
                             "Lập danh sách theo mẫu (bảng có các cột STT, Họ và tên, Địa chỉ, Số điện thoại, "
                             "Lĩnh vực, Tên thủ tục hành chính, Ngày nộp hồ sơ, Ngày nhận kết quả).",
                             headers=("Không nhận ra bảng danh sách: bảng lớn nhất của văn bản có các cột {headers}, "
                                      "nhưng không có cột {missing}.",
                                      "Đặt lại tên cột cho đúng; tên cột được chấp nhận: {accepted}.")),
    "list.not_word": _e("error", "Danh sách phải lập bằng tệp {allowed} theo kế hoạch; tệp gửi đến là {detail}.",
                        "Chép bảng danh sách sang Word (phông Times New Roman), lưu thành tệp .docx rồi gửi lại; "
                        "sửa luôn các lỗi khác nêu trong thư này."),
    "list.count": _e("error", "Danh sách có {found} người, cần đúng {expected} người.",
                     "Bổ sung hoặc bớt cho đủ {expected} người."),
    "list.too_long": _e("error", "Bảng danh sách có {rows} dòng, quá dài: chỉ {read} dòng đầu được đọc và kiểm tra; "
                                 "danh sách cần đúng {expected} người.",
                        "Lập danh sách đúng {expected} người theo kế hoạch (bỏ các dòng thừa) rồi gửi lại."),
    "list.missing_value": _e("error", "Thiếu {what}.", "Điền đủ họ tên, địa chỉ và tên thủ tục hành chính."),
    "list.bad_date": _e("error", "Ngày không hợp lệ: {detail}.",
                        "Ghi ngày theo dạng ngày/tháng/năm (ví dụ 05/03/{year}); ngày nhận kết quả không trước ngày nộp."),
    "list.date_out_of_window": _e("error", "Ngày {value} nằm ngoài khoảng {start} – {end}.",
                                  "Chỉ đưa vào người giao dịch và nhận kết quả trong khoảng {start} – {end}."),
    "list.result_not_received": _e(
        "error", "Chưa có ngày nhận kết quả (người chưa nhận kết quả không được đưa vào danh sách).",
        "Thay bằng người đã nhận kết quả giải quyết thủ tục hành chính.",
        note=("Ghi “{note}” cho thấy người này chưa nhận kết quả (người chưa nhận kết quả không được đưa vào "
              "danh sách).", ""),
        appointment=("Cột “{column}” là ngày hẹn trả, không phải ngày nhận kết quả; danh sách không ghi ngày nhận "
                     "kết quả thực tế nên chưa thể hiện người này đã nhận kết quả.",
                     "Thêm cột “Ngày nhận kết quả” ghi ngày người dân thực nhận kết quả; người chưa nhận kết quả "
                     "thì thay bằng người đã nhận."),
        no_column=("Danh sách không có cột ngày nhận kết quả (các cột của bảng: {headers}), nên chưa thể hiện "
                   "người trong danh sách đã nhận kết quả.",
                   "Thêm cột “Ngày nhận kết quả” ghi ngày nhận kết quả của từng người (tên cột được chấp nhận: "
                   "{accepted}).")),
    "list.address_not_local": _e("error", "Địa chỉ “{address}” không thuộc địa phương ({detail}).",
                                 "Thay bằng người có địa chỉ tại địa phương.",
                                 note=("Ghi “{note}” cho thấy người này không cư trú tại địa phương.", "")),
    "list.duplicate": _e("error", "Trùng người với {other}: {name}.", "Bỏ dòng trùng và bổ sung người khác."),
    "list.fields_not_representative": _e("warning", "Danh sách chưa đại diện các lĩnh vực thủ tục hành chính: {detail}.",
                                         "Chọn người thuộc nhiều lĩnh vực thủ tục hành chính khác nhau của đơn vị."),
    "list.bad_phone": _e("warning", "Số điện thoại “{value}” không phải số điện thoại Việt Nam.",
                         "Ghi số di động 10 chữ số (ví dụ 0912345678) hoặc số cố định có mã vùng."),
    # the self-assessment workbook
    "score.structure_changed": _e("error", "Biểu chấm điểm không khớp bộ tiêu chí: {detail}.",
                                  "Dùng đúng biểu mẫu cơ quan thẩm định gửi, không thêm, bớt hay sửa dòng tiêu chí."),
    "score.not_a_number": _e("error", "Điểm tự chấm của tiêu chí {code} “{value}” không phải là số.",
                             "Ghi điểm bằng số (ví dụ 1,5), không ghi chữ."),
    "score.negative": _e("error", "Điểm tự chấm của tiêu chí {code} là {value}, nhỏ hơn 0.",
                         "Ghi điểm từ 0 đến {max}."),
    "score.above_max": _e("error", "Điểm tự chấm của tiêu chí {code} là {value}, vượt điểm tối đa {max}.",
                          "Ghi điểm từ 0 đến {max}."),
    "score.penalty_positive": _e("error", "Tiêu chí {code} là điểm trừ, điểm tự chấm {value} phải là số âm hoặc 0.",
                                 "Ghi điểm trừ {range} (ví dụ -1 khi bị trừ 1 điểm; 0 khi không bị trừ)."),
    "score.below_min": _e("error", "Điểm trừ tự chấm của tiêu chí {code} là {value}, trừ quá mức tối đa {max} điểm.",
                          "Ghi điểm trừ {range}."),
    "score.missing": _e("warning", "Tiêu chí {code} chưa tự chấm (tính 0 điểm).",
                        "Ghi điểm tự chấm cho mọi tiêu chí, kể cả 0."),
    "score.evidence_missing": _e("warning", "Tiêu chí {code} tự chấm {value} điểm nhưng không ghi tài liệu kiểm chứng "
                                            "và không có giải trình.",
                                 "Ghi tên tài liệu kiểm chứng (và gửi kèm tệp) hoặc giải trình."),
    # the survey
    # last year's results
    "previous.invalid": _e("error", "Không nhập được kết quả năm trước ({where}): {detail}.",
                           "Dùng bảng thẩm định năm trước (.xlsm, trang TongHop) hoặc tệp CSV có cột code,index,rank "
                           "(mã đơn vị, chỉ số %, xếp hạng), mỗi đơn vị một dòng."),
    "survey.unknown_form": _e("error", "Phiếu không có trong danh sách phiếu đã phát, dòng này không được tính: {detail}.",
                              "Kiểm tra mã phiếu ghi trên phiếu giấy và sửa lại cho đúng; chỉ nhập phiếu đã phát."),
    "survey.duplicate_form": _e("error", "Phiếu {form} đã nhập ở dòng {first_row}; dòng nhập lại này không được tính.",
                                "Xóa dòng nhập trùng: mỗi phiếu chỉ nhập một lần."),
    "survey.bad_answer": _e("error", "Câu trả lời không hợp lệ, không được tính: {detail}.",
                            "Chọn câu trả lời trong danh sách thả xuống (Rất hài lòng, Hài lòng, Bình thường, "
                            "Không hài lòng, Rất không hài lòng, Không trả lời), để trống câu chưa trả lời; không "
                            "thêm hay đổi tên cột câu hỏi."),
    "survey.unanswered": _e("warning", "Phiếu {form} không có câu trả lời nào (tính là phiếu không được trả lời).",
                            "Kiểm tra lại phiếu giấy: nếu người dân đã trả lời thì nhập các câu trả lời."),
    "framework.invalid": _e("error", "Bộ tiêu chí không hợp lệ ({where}): {detail}.",
                            "Sửa tệp templates/bo-tieu-chi.xlsx theo quyết định ban hành bộ chỉ số của tỉnh."),
    "appraisal.locked": _e("error", "Bảng thẩm định {path} đang mở trong Excel nên không được ghi đè.",
                           "Lưu và đóng tệp trong Excel rồi chạy lại (hoặc bấm nút “Tính lại” ngay trong Excel)."),
    # templates and drafts
    "template.missing": _e("error", "Không tìm thấy mẫu văn bản {template} (đã tìm trong: {paths}).",
                           "Chép mẫu {template} vào thư mục templates của không gian làm việc."),
    "template.error": _e("error", "Lỗi trong mẫu {template}: {detail}.",
                         "Mở mẫu bằng Word, sửa thẻ được nêu (đúng cú pháp, đúng tên biến mà lệnh "
                         "“cchc templates check” liệt kê), lưu lại rồi chạy lại."),
    "draft.edited": _e("warning", "Tệp {path} {reason} nên được giữ nguyên; bản mới ghi vào {new}.",
                       "Đối chiếu hai bản, chép phần cần giữ sang một bản rồi xóa bản không dùng."),
    "draft.pdf_failed": _e("error", "Không chuyển được {path} sang PDF: {detail}.",
                           "Mở tệp bằng Word và lưu dưới dạng PDF, hoặc kiểm tra LibreOffice rồi chạy lại."),
    "preview.failed": _e("error", "Không tạo được bản xem trước (PDF) của {path}: {detail}.",
                         "Mở tệp bằng Word hoặc Excel xem tệp có hỏng không, lưu lại rồi chạy lại."),
    # mail
    "mail.not_configured": _e("error", "Chưa cấu hình thư điện tử (mục [mail] trong cchc.toml).",
                              "Điền mục [mail] (máy chủ, cổng, người gửi, người nhận) hoặc dùng --dry-run."),
    "mail.failed": _e("error", "Không gửi được thư: {detail}.",
                      "Kiểm tra mạng, máy chủ thư, tài khoản và biến môi trường chứa mật khẩu, rồi gửi lại."),
    "mail.tls": _e("error", "Không lập được kết nối bảo mật (TLS) với máy chủ thư {server}: {detail}.",
                   "Kiểm tra host và port trong mục [mail] của cchc.toml (tên máy chủ phải đúng tên ghi trên "
                   "chứng chỉ) và ngày giờ của máy tính; nếu máy chủ thư của tỉnh dùng chứng chỉ do cơ quan chứng "
                   "thực riêng cấp, xin bộ phận quản trị máy chủ thư tệp chứng chỉ gốc (CA, dạng PEM) rồi khai báo "
                   "ca_file = \"đường/dẫn/ca.pem\" trong mục [mail].",
                   cert=("Chứng chỉ của máy chủ thư {server} không được tin cậy: {detail}.", ""),
                   no_starttls=("Máy chủ thư {server} không hỗ trợ STARTTLS nên không gửi thư bảo mật được.",
                                "Hỏi bộ phận quản trị máy chủ thư cổng và kiểu bảo mật đúng: thường là "
                                "security = \"ssl\" với cổng 465, hoặc security = \"starttls\" với cổng 587; "
                                "sửa mục [mail] của cchc.toml rồi gửi lại.")),
    "mail.auth": _e("error", "Máy chủ thư {server} không chấp nhận đăng nhập của tài khoản {user}: {detail}.",
                    "Kiểm tra tên đăng nhập (user trong mục [mail] của cchc.toml) và mật khẩu trong biến môi trường "
                    "{variable}; nếu mật khẩu hộp thư đã đổi, đặt lại biến môi trường rồi gửi lại.",
                    required=("Máy chủ thư {server} yêu cầu đăng nhập trước khi gửi thư: {detail}.",
                              "Điền user (tên đăng nhập hộp thư) và password_env (tên biến môi trường chứa mật "
                              "khẩu) trong mục [mail] của cchc.toml, đặt mật khẩu vào biến đó rồi gửi lại."),
                    unsupported=("Máy chủ thư {server} không cho đăng nhập trên kết nối này (không hỗ trợ AUTH).",
                                 "Dùng security = \"starttls\" hoặc \"ssl\" (nhiều máy chủ chỉ cho đăng nhập trên "
                                 "kết nối bảo mật); nếu máy chủ không cần đăng nhập, bỏ user trong mục [mail].")),
    "mail.refused": _e("error", "Máy chủ thư {server} từ chối thư: {detail} (đã thử {tries} lần).",
                       "Kiểm tra địa chỉ người gửi (sender) và người nhận (recipients) trong mục [mail] của "
                       "cchc.toml; nếu máy chủ báo bận hoặc lỗi tạm thời (mã 4xx), chờ một lúc rồi gửi lại; nếu "
                       "vẫn bị từ chối, gửi nội dung lỗi này cho bộ phận quản trị máy chủ thư."),
    "mail.timeout": _e("error", "Máy chủ thư {server} không trả lời kịp: quá {timeout} giây mà chưa gửi xong thư "
                                "(đã thử {tries} lần).",
                       "Kiểm tra mạng và máy chủ thư (host, port trong mục [mail] của cchc.toml); nếu máy chủ chậm, "
                       "tăng timeout_s trong mục [mail] rồi gửi lại."),
    "mail.config": _e("error", "Cấu hình thư không hợp lệ: {detail}.", "Sửa mục [mail] trong cchc.toml rồi chạy lại.",
                      security=("Cấu hình thư: security phải là một trong {choices}, nhận được “{value}”.",
                                "Sửa security trong mục [mail] của cchc.toml."),
                      recipients=("Cấu hình thư: chưa có địa chỉ người nhận (recipients).",
                                  "Điền recipients trong mục [mail] của cchc.toml."),
                      password_env=("Cấu hình thư: có tên đăng nhập (user) nhưng chưa khai báo password_env — tên "
                                    "biến môi trường chứa mật khẩu hộp thư.",
                                    "Thêm password_env = \"TÊN_BIẾN\" vào mục [mail] của cchc.toml và đặt mật khẩu "
                                    "vào biến môi trường đó."),
                      signer=("Chưa có địa chỉ thư của người ký (signer_email trong mục [documents] của cchc.toml).",
                              "Điền signer_email trong mục [documents] của cchc.toml rồi chạy lại lệnh "
                              "cchc send-drafts.")),
    "mail.password": _e("error", "Chưa đặt biến môi trường {variable} chứa mật khẩu hộp thư gửi báo cáo ({user}).",
                        "Hãy đặt biến này rồi chạy lại; mật khẩu không ghi trong cchc.toml.",
                        not_ascii=("Mật khẩu trong biến môi trường {variable} có ký tự ngoài bảng mã ASCII (chữ có "
                                   "dấu…); công cụ gửi thư không dùng được mật khẩu như vậy.",
                                   "Đổi mật khẩu hộp thư (chữ không dấu, chữ số, ký hiệu) rồi đặt lại biến môi "
                                   "trường.")),
    # storage and the ledger (raised; the pass stops, nothing is half-written, the next pass finishes)
    "storage.full": _e("error", "Ổ đĩa chứa {path} đã đầy, không ghi thêm được; thao tác dừng lại, không tệp nào "
                                "bị mất hay ghi dở.",
                       "Giải phóng chỗ trống trên ổ đĩa (xóa tệp không cần, chuyển bớt dữ liệu) rồi chạy lại; "
                       "các tệp đang chờ sẽ được xử lý tiếp."),
    "storage.read_only": _e("error", "Không ghi được vào {path}: thư mục hoặc tệp chỉ cho phép đọc; thao tác dừng "
                                     "lại, không tệp nào bị mất hay ghi dở.",
                            "Cấp quyền ghi cho thư mục đó (hoặc gắn lại ổ mạng ở chế độ đọc–ghi) rồi chạy lại."),
    "ledger.corrupt": _e("error", "Sổ theo dõi {path} bị hỏng hoặc không đầy đủ ({detail}); không ghi gì thêm vào "
                                  "sổ này.",
                         "Chạy “cchc ledger rebuild” để dựng lại sổ từ thư mục lưu trữ và cách ly, hoặc chép bản "
                         "sao lưu gần nhất trong luu-tru/_sao-luu/ về thay cho tệp sổ."),
    "ledger.issues": _e("warning", "Sổ theo dõi có {count} điểm không khớp với các thư mục: {detail}.",
                        "Chạy “cchc ledger rebuild” để dựng lại sổ từ thư mục lưu trữ và cách ly."),
    "workspace.replaced": _e("warning", "Thư mục {path} đã bị thay thế hoặc chuyển đi trong khi cchc watch đang "
                                        "chạy; chương trình mở lại không gian làm việc mới.",
                             "Không cần làm gì; nếu đã khôi phục thư mục từ bản sao lưu, kiểm tra các tệp mới "
                             "nộp bằng “cchc submissions”."),
    "file.processing_failed": _e("error", "Chương trình gặp lỗi không lường trước khi xử lý tệp này ({detail}); tệp "
                                          "được cách ly để các tệp khác vẫn được xử lý.",
                                 "Mở tệp bằng Word/Excel, lưu lại thành tệp mới rồi gửi lại; nếu lỗi lặp lại, "
                                 "gửi tệp cho kỹ thuật viên.",
                                 repeated=("Việc xử lý tệp này đã bị gián đoạn {attempts} lần (chương trình dừng "
                                           "đột ngột khi đọc tệp); tệp được cách ly để các tệp khác vẫn được xử "
                                           "lý.", "")),
    "internal.error": _e("error", "Lỗi không lường trước của chương trình ({detail}); không tệp nào bị mất, "
                                  "thao tác có thể chạy lại.",
                         "Chạy lại lệnh; nếu lỗi lặp lại, chạy kèm -v và gửi nội dung in ra cho kỹ thuật viên."),
    # configuration (raised, not reported per file)
    "config.invalid": _e("error", "Cấu hình không hợp lệ ở khóa “{key}”: {detail}.", "Sửa tệp cchc.toml.",
                         syntax=("Tệp cấu hình {path} viết sai ở dòng {line}, cột {column}{where}: {detail}.",
                                 "Sửa dòng {line} của tệp rồi chạy lại lệnh."),
                         encoding=("Tệp cấu hình {path} không lưu bằng bảng mã UTF-8 (dòng {line} có ký tự không "
                                   "đọc được).", "Mở tệp bằng Notepad, chọn Lưu thành… với bảng mã UTF-8.")),
    "config.missing": _e("error", "Không tìm thấy tệp cấu hình {path}.",
                         "Chạy “cchc init THƯ_MỤC” để tạo không gian làm việc mới."),
    "usage.bad_argument": _e("error", "{detail}.", "",
                             click=("", "{suggestion}Xem “{help}”.")),  # click's own errors, with a near miss
    "workspace.exists": _e("error", "Thư mục {path} đã có không gian làm việc.", "Chọn thư mục khác."),
    "workspace.locked": _e("error", "Không gian làm việc đang bận: một tiến trình cchc khác (ví dụ cchc watch "
                                    "hoặc cchc process) đang giữ khóa {path}.",
                           "Chờ tiến trình đó xong rồi chạy lại; khóa tự mở khi tiến trình dừng, không cần xóa "
                           "tệp khóa."),
    "tool.libreoffice_missing": _e("error", "Không tìm thấy LibreOffice (soffice) để đọc tệp định dạng cũ.",
                                   "Cài LibreOffice hoặc chạy lệnh cài đặt trong README."),
    "tool.aiosmtpd_missing": _e("warning", "Chưa cài aiosmtpd (máy chủ thư thử nghiệm của bản chạy thử) nên thư "
                                           "được ghi ra tệp .eml thay vì gửi.",
                                "Cài phần chạy thử: pip install \"cchc[demo]\" (hoặc chạy ./run demo)."),
}


class _SafeDict(dict):
    def __missing__(self, key):  # a missing field never crashes message rendering
        return "…"


def render(template: str, params: dict) -> str:
    return unicodedata.normalize("NFC", template.format_map(_SafeDict(params)))


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    message: str
    location: Location | None = None
    fix: str = ""
    params: dict = field(default_factory=dict, compare=False, repr=False)

    def as_dict(self, with_fix: bool = False) -> dict:
        out = {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": self.location.as_dict() if self.location else None,
        }
        if with_fix:
            out["fix"] = self.fix
        return out

    @classmethod
    def from_dict(cls, d: dict) -> "Problem":
        """The inverse of ``as_dict(with_fix=True)`` (problems kept in the ledger)."""
        loc = Location(**d["location"]) if d.get("location") else None
        return cls(d["code"], Severity(d["severity"]), d["message"], loc, d.get("fix", ""))

    def describe(self) -> str:
        where = self.location.describe() if self.location else ""
        return f"[{self.code}] {self.message}" + (f" ({where})" if where else "")


def problem(code: str, location: Location | None = None, /, *, variant: str | None = None, **params) -> Problem:
    """Build the problem ``code`` with its catalogued severity and Vietnamese message.

    ``variant`` picks another wording of the same finding from the entry (for instance the advice for a
    list whose result column is missing is not the advice for a person without a result).
    """
    entry = CATALOG[code]
    message, fix = entry.message, entry.fix
    if variant is not None:
        alt_message, alt_fix = entry.variants[variant]
        message, fix = alt_message or message, alt_fix or fix
    return Problem(code, entry.severity, render(message, params), location, render(fix, params), dict(params))


VERDICTS = ("accepted", "accepted_with_warnings", "rejected")


def verdict(problems: list[Problem]) -> str:
    """The one rule: an error rejects; only warnings accept with warnings; nothing accepts."""
    if any(p.severity is Severity.ERROR for p in problems):
        return "rejected"
    return "accepted_with_warnings" if problems else "accepted"


class CchcError(Exception):
    """A user-facing failure with a stable problem code; shown by the CLI without a traceback."""

    exit_code = 1

    def __init__(self, code: str, **params):
        self.problem = problem(code, **params)
        super().__init__(self.problem.message)

    @property
    def code(self) -> str:
        return self.problem.code


class FileRejected(CchcError):
    """The format layer refuses a file (file.* codes)."""


class ConfigError(CchcError):
    exit_code = 2


class UsageError(CchcError):
    exit_code = 2


class MailError(CchcError):
    """Mail cannot be sent: a configuration mistake, a missing password, a server that refused (mail.* codes).

    ``MailError("mail.config", variant="recipients")``; a failed sending: ``mail.tls``, ``mail.auth``,
    ``mail.refused``, ``mail.timeout`` and ``mail.failed`` (any other network error)."""


class LockTimeout(CchcError):
    """The workspace lock was not free within the time allowed (workspace.locked)."""

    def __init__(self, path):
        self.path = str(path)
        super().__init__("workspace.locked", path=self.path)
