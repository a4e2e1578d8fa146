"""What a careful appraiser following the plan (section II.3 and its final note) decides for each corpus file.

The plan: each commune lists 30 people who transacted AND received a result at its one-stop shop between
01/01/2021 and 15/10/2021, representing the commune's TTHC fields; excluded are (1) people with no result yet and
(2) people whose address is outside the commune; the list is a Word file in Times New Roman.  Issue 10 says how
real lists are laid out and what the reader must make of them.  These expectations come from there, never from
what the code happens to do; ``why`` says what was decided where the issue is silent.

``codes`` is the exact set of codes the file's report must hold, each with how many findings:
``None`` = at least one, an ``int`` = exactly that many, a tuple = exactly one finding on each of these rows
(by the STT written on the row).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WORD = ("word",)
WORD_EXCEL = ("word", "excel")
KIM_XA, TAM_PHUC, VINH_NINH = "09079", "09142", "09160"
ALL_ROWS = tuple(range(1, 31))


@dataclass(frozen=True)
class Case:
    file: str
    kind: str  # respondent_list | document | workbook | unknown
    verdict: str  # accepted | accepted_with_warnings | rejected
    codes: dict[str, object]
    unit: str | None
    respondents: int | None
    why: str
    formats: tuple[str, ...] = WORD  # the [list] formats setting the file is checked under
    says: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code -> texts some finding's message has
    where: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code -> texts some location describes
    never_says: tuple[str, ...] = ()  # texts no message of the report may contain
    fix_never: dict[str, tuple[str, ...]] = field(default_factory=dict)  # code -> texts its advice must not hold

    @property
    def id(self) -> str:
        return self.file if self.formats == WORD else f"{self.file}@{'+'.join(self.formats)}"


def ok(file: str, why: str, unit: str | None = KIM_XA, n: int = 30, **kw) -> Case:
    """A good list: accepted, nothing to say."""
    return Case(file, "respondent_list", "accepted", {}, unit, n, why, **kw)


def bad(file: str, codes: dict, why: str, unit: str | None = KIM_XA, n: int | None = 30, **kw) -> Case:
    return Case(file, "respondent_list", "rejected", codes, unit, n, why, **kw)


FONT = "font.not_times_new_roman"
NOT_RECEIVED = "list.result_not_received"
NOT_LOCAL = "list.address_not_local"

CASES: list[Case] = [
    # --- headers: the vocabulary, order, case, diacritics, layout -------------------------------------
    ok("DS_Kim_Xa_mau.docx", "The office's own template (motto table above, title, 8 columns, signature lines)."),
    ok("DS_Kim_Xa_ten_cot_1.docx", "Vocabulary: TT, Họ tên, Nơi cư trú, Điện thoại, Lĩnh vực TTHC, Tên TTHC, "
       "Ngày tiếp nhận, Ngày trả KQ are all the issue's names for the 8 columns."),
    ok("DS_Kim_Xa_ten_cot_2.docx", "Reordered columns with Tên thủ tục, Lĩnh vực giải quyết, Người nộp hồ sơ, "
       "Địa chỉ thường trú, SĐT, Ngày nhận hồ sơ (submitted), Ngày nhận KQ (result): a header per column, "
       "'Người nộp hồ sơ' is the name and 'Ngày nhận hồ sơ' is not the result."),
    ok("DS_Kim_Xa_nguoi_nop.docx", "'Họ và tên người nộp hồ sơ' is the name, not the submission date (issue); "
       "Số TT, Địa chỉ liên hệ, ĐT liên hệ, Thủ tục hành chính, Ngày nộp, Ngày hoàn thành (result)."),
    ok("DS_Kim_Xa_chu_hoa.docx", "Upper-case headers (HỌ VÀ TÊN, SỐ ĐT, NGÀY TRẢ KẾT QUẢ…) mean the same columns."),
    ok("DS_Kim_Xa_khong_dau.docx", "Headers typed without diacritics (Ho va ten, Dia chi, Ten thu tuc, Ngay nop "
       "ho so, Ngay nhan ket qua) still name the columns; the data is ordinary Unicode."),
    ok("DS_Kim_Xa_NFD.docx", "Every text (title, headers, people) stored decomposed (NFD, as macOS and some web "
       "software write it): the same list; the unit comes from the NFD title."),
    ok("DS_Kim_Xa_xuong_dong.docx", "Line breaks inside header cells ('Họ và<br>tên', 'Ngày nhận<br>kết quả') and "
       "one header as two paragraphs ('Địa chỉ' / 'thường trú') are one header each."),
    ok("DS_Kim_Xa_tieu_de_2_dong.docx", "Two-row merged header ('Ngày' over 'Tiếp nhận | Trả kết quả') and a "
       "numbering row (1)…(8): submitted and result columns found, the numbering row is not a person."),
    ok("DS_Kim_Xa_cot_phu.docx", "Extra columns Mã hồ sơ, Giới tính, Năm sinh, Số CCCD, Trạng thái ('Đã trả kết "
       "quả'), Ghi chú ('Đúng hạn') do not break the mapping and say nothing against anyone."),
    ok("DS_Kim_Xa_to_chuc.docx", "Tên tổ chức/cá nhân, Thôn/xóm (village only: inside the commune), Số ĐT, Nội "
       "dung giao dịch (procedure), Ngày tiếp nhận, Ngày trả kết quả."),
    ok("DS_Kim_Xa_chu_ho_so.docx", "Chủ hồ sơ (name), Nơi ở, Loại hồ sơ (procedure), Ngày nhận hồ sơ (submitted), "
       "Ngày trả kết quả thực tế (result)."),

    # --- appointment columns ---------------------------------------------------------------------------------
    bad("DS_Kim_Xa_hen_tra.docx", {NOT_RECEIVED: ALL_ROWS},
        "Only 'Ngày hẹn trả kết quả' (an appointment) and no actual-result column: an appointment is not a "
        "result, so no row shows the person received it (issue): one finding per row, 30, naming the column.",
        says={NOT_RECEIVED: ("hẹn trả",)}),
    bad("DS_Kim_Xa_han_giai_quyet.doc", {NOT_RECEIVED: ALL_ROWS},
        "A .doc (LibreOffice 'Save as' Word 97) whose last column is 'Hạn giải quyết' (the legal deadline) and "
        "which has no result column: every row lacks a result, as with 'Ngày hẹn trả'.",
        says={NOT_RECEIVED: ("Hạn giải quyết",)}),
    ok("DS_Kim_Xa_hen_va_tra.docx", "'Ngày hẹn trả' next to 'Ngày trả kết quả': only the actual date counts; STT 13 "
       "has an appointment after the window (18/10) but got its result on 14/10, inside it: nothing to say."),
    bad("DS_Kim_Xa_han_tra.docx", {NOT_RECEIVED: (12,)},
        "'Hạn trả' and 'Ngày trả KQ': STT 12 has an appointment but an empty result date: exclusion (1) for that "
        "row only; its appointment date does not stand in for the result."),

    # --- notes and status columns ----------------------------------------------------------------------------
    bad("DS_Kim_Xa_ghi_chu.docx", {NOT_RECEIVED: (4, 11, 17)},
        "Ghi chú says 'Chưa nhận kết quả' (STT 4), 'Công dân chưa đến nhận' (11), 'Chưa trả' (17) although a "
        "result date is typed: the note shows exclusion (1), quoted; 'Đã nhận' / 'Đúng hạn' elsewhere are harmless.",
        says={NOT_RECEIVED: ("Chưa nhận kết quả", "Công dân chưa đến nhận", "Chưa trả")}),
    bad("DS_Kim_Xa_trang_thai.docx", {NOT_RECEIVED: (8, 23)},
        "A 'Trạng thái' column: 'Đang giải quyết' (STT 8) and 'Đang xử lý' (23) mean no result yet; 'Đã trả kết "
        "quả' on the other rows is harmless.",
        says={NOT_RECEIVED: ("Đang giải quyết", "Đang xử lý")}),
    bad("DS_Kim_Xa_ghi_chu_cu_tru.docx", {NOT_LOCAL: (6, 21)},
        "Ghi chú 'Không cư trú tại địa phương' (STT 6) and 'Hộ khẩu xã khác' (21), address only 'Thôn Đông': the "
        "note shows exclusion (2), quoted; 'Đúng hạn' on STT 2 is harmless.",
        says={NOT_LOCAL: ("Không cư trú tại địa phương", "Hộ khẩu xã khác")}),

    # --- one list over several tables -------------------------------------------------------------------------
    ok("DS_Kim_Xa_ngat_trang.docx", "15 + 15 people in two tables split by a page break, the header typed again: "
       "one list of 30."),
    ok("DS_Kim_Xa_bang_noi_tiep.docx", "18 people, then a continuation table of 12 without a header (same columns): "
       "one list of 30."),
    bad("DS_Kim_Xa_29_hai_bang.docx", {"list.count": 1},
        "15 + 14 people over two tables: the count is across tables, 29, not 15.", n=29,
        says={"list.count": ("29 người",)}),
    ok("DS_Kim_Xa_theo_linh_vuc.docx", "One table per field, each under a heading '1. Lĩnh vực Hộ tịch' … and each "
       "with its header, no field column: one list of 30 (numbering continues). Silent in the issue: the heading "
       "names the field of its table, as a group row does, so the 4 fields are represented (no warning)."),
    ok("DS_Kim_Xa_lap_tieu_de.docx", "The header row typed again inside the table after STT 15 is not a person."),
    ok("DS_Kim_Xa_nhom_linh_vuc.docx", "Group rows 'I. LĨNH VỰC HỘ TỊCH' … (the field of the rows below, no field "
       "column), a 'Tổng cộng: 30 người' row and 3 empty trailing rows: 30 people in 4 fields."),
    ok("DS_Kim_Xa_bang_ky.docx", "A motto table above, then after the list a summary table (STT | Lĩnh vực | Số "
       "người) and a signature table: neither is merged into the list."),
    ok("DS_Kim_Xa_tong_hop.docx", "Right after the list, a summary table of the same width (8 columns: STT | Lĩnh "
       "vực | Số hồ sơ tiếp nhận | … | Ghi chú) with its own header: unrelated, never joined (30, not 35)."),

    # --- Excel and other formats -------------------------------------------------------------------------------
    bad("DS_Kim_Xa.xlsx", {"list.not_word": 1},
        "An .xlsx whose list is on the second sheet under title rows, dates as Excel date cells: a respondent list "
        "(recognised by its header), unit from the title rows; the plan wants Word: list.not_word only."),
    ok("DS_Kim_Xa.xlsx", "The same workbook where [list] formats allows Excel: nothing to say.", formats=WORD_EXCEL),
    bad("DS_Kim_Xa_loi.xls", {"list.not_word": 1, NOT_RECEIVED: (9,), NOT_LOCAL: (14,)},
        "An .xls (LibreOffice 'Save as' Excel 97) with an empty result date on STT 9 and 'xã Yên Bình' (another "
        "commune of the district) on STT 14: list.not_word together with every content finding (issue)."),
    bad("DS_Kim_Xa_loi.xls", {NOT_RECEIVED: (9,), NOT_LOCAL: (14,)},
        "The same .xls with Excel allowed: only the content findings.", formats=WORD_EXCEL),
    bad("DS_Vinh_Ninh.ods", {"list.not_word": 1, "list.count": 1},
        "An .ods of 29 people whose title rows name no unit: the unit comes from the file name (Vĩnh Ninh), as for "
        "Word; wrong format and wrong count.", unit=VINH_NINH, n=29),
    bad("DS_Vinh_Ninh.ods", {"list.count": 1}, "The same .ods with Excel allowed: the count only.", unit=VINH_NINH,
        n=29, formats=WORD_EXCEL),
    ok("DS_Kim_Xa_motcua.doc", "A web one-stop-shop 'Xuất Word' export: HTML named .doc, font as the CSS list "
       "\"Times New Roman\",\"serif\" (Times New Roman), Mã hồ sơ, 'Người nộp hồ sơ' (name), 'Ngày hẹn trả' next "
       "to 'Ngày trả kết quả thực tế' (the actual date counts), dates with times, 'Trạng thái: Đã trả kết quả'. "
       "Silent in the issue: an HTML file named .doc opens in Word and counts as a Word list.",
       never_says=("serif", "Liberation")),
    bad("DS_Kim_Xa_motcua.xls", {"list.not_word": 1},
        "A web 'Xuất Excel' export: an HTML table named .xls, title rows inside the table, no font named (Word's "
        "default, Times New Roman: no font finding), 'Hạn giải quyết' next to 'Ngày trả kết quả'. Silent in the "
        "issue: the commune sent it, and opens it, as an Excel file, so under the plan's Word-only rule it gets "
        "list.not_word.", never_says=("Liberation",)),
    ok("DS_Kim_Xa_motcua.xls", "The same export with Excel allowed: nothing to say.", formats=WORD_EXCEL,
       never_says=("Liberation",)),
    ok("DS_Kim_Xa.rtf", "An .rtf saved by LibreOffice from the template: a Word list in Times New Roman."),
    ok("DS_Kim_Xa.odt", "An .odt saved by LibreOffice from the template: a Word list in Times New Roman."),
    ok("DS_Kim_Xa_word97.doc", "A .doc (Word 97) saved by LibreOffice from a python-docx list in Times New Roman, as "
       "the plan asks: no font finding (not 'Times New Roman;…')."),
    ok("DS_Kim_Xa.html", "An .html saved by LibreOffice from the template: its CSS font list "
       "'\"Times New Roman\", serif' is Times New Roman.", never_says=("serif", "Liberation")),

    # --- fonts and encodings -----------------------------------------------------------------------------------
    bad("DS_Kim_Xa_Arial.docx", {FONT: 1}, "The whole list in Arial: one font finding naming Arial.",
        says={FONT: ("“Arial”",)}),
    bad("DS_Kim_Xa_Time_New_Roman.docx", {FONT: 1},
        "Font typed as 'Time New Roman': stays a font error and the message names the misspelling.",
        says={FONT: ("“Time New Roman”", "viết sai")}),
    ok("DS_Kim_Xa_word2003.doc", "A .doc whose font table gives Times New Roman the alternate name Times New Roman, "
       "as Word writes it (LibreOffice reads 'Times New Roman;Times New Roman'): judged by the primary name, "
       "Times New Roman: no font finding.", never_says=("Times New Roman;",)),
    bad("DS_Kim_Xa_Time_New_Roman.doc", {FONT: 1},
        "The misspelt font in a .doc whose font table gives it the alternate name Times New Roman (read as 'Time "
        "New Roman;Times New Roman'): judged and reported by its primary name 'Time New Roman', misspelt.",
        says={FONT: ("“Time New Roman”", "viết sai")}, never_says=("Time New Roman;", "Times New Roman;")),
    bad("DS_Kim_Xa_TCVN3.docx", {"encoding.legacy": 1, FONT: 1},
        "Typed in TCVN3 with .VnTime: legacy encoding (one finding for the encoding) and the font; still read: "
        "30 people and the unit from the decoded title.", says={"encoding.legacy": ("TCVN3",), FONT: (".VnTime",)}),
    bad("DS_Kim_Xa_TCVN3.doc", {"encoding.legacy": 1, FONT: 1},
        "A TCVN3 .doc whose font table gives .VnTime the alternate name Times New Roman (read as '.VnTime;Times "
        "New Roman'): legacy encoding, and a font finding naming .VnTime only; 30 people, unit from the title.",
        says={"encoding.legacy": ("TCVN3",), FONT: ("“.VnTime”",)}, never_says=(".VnTime;",)),
    bad("DS_Kim_Xa_VNI.doc", {"encoding.legacy": 1, FONT: 1},
        "A .doc typed in VNI-Windows with VNI-Times: legacy encoding and the font; still read: 30 people, unit.",
        says={"encoding.legacy": ("VNI",), FONT: ("VNI-Times",)}),
    bad("DS_Kim_Xa_VnTime_Unicode.docx", {FONT: 1},
        "Correct Unicode typed in runs whose font is named .VnTime: a font finding only, never encoding.legacy "
        "(decoding changes nothing, not even the ASCII-only 'STT'/'UBND' runs).", says={FONT: (".VnTime",)}),
    bad("DS_Kim_Xa_dau_trang.docx", {FONT: 2},
        "Body in Times New Roman, page header in Arial, page footer in Calibri: two font findings, located "
        "'đầu trang' and 'chân trang'.", says={FONT: ("“Arial”", "“Calibri”")},
        where={FONT: ("đầu trang", "chân trang")}),
    bad("DS_Kim_Xa_chu_de.docx", {FONT: 1},
        "No font named in the runs: every slot is a theme reference (minorHAnsi) resolving to Cambria; reported as "
        "Cambria, never as the theme slot.", says={FONT: ("“Cambria”",)}, never_says=("minor", "chủ đề")),
    ok("DS_Kim_Xa_chu_de_TNR.docx", "Theme fonts whose minor/major latin font is Times New Roman: Times New Roman."),

    # --- dates, counts, people ---------------------------------------------------------------------------------
    ok("DS_Kim_Xa_ngay_1.docx", "Dates as d/m/yyyy (5/3/2021)."),
    ok("DS_Kim_Xa_ngay_2.docx", "Dates as dd-mm-yyyy."),
    ok("DS_Kim_Xa_ngay_3.docx", "Dates as dd.mm.yyyy."),
    bad("DS_Kim_Xa_ngoai_thoi_gian.docx", {"list.date_out_of_window": (7, 19)},
        "STT 7 got the result on 20/10/2021 and STT 19 on 03/11/2021, after 15/10: outside the window (one "
        "finding each, on the result date; their submission dates are inside)."),
    bad("DS_Kim_Xa_tra_truoc_nop.docx", {"list.bad_date": (5,)},
        "STT 5: result 10/06/2021 before submission 15/06/2021."),
    bad("DS_Kim_Xa_29.docx", {"list.count": 1}, "29 people.", n=29),
    bad("DS_Kim_Xa_31.docx", {"list.count": 1}, "31 people.", n=31),
    bad("DS_Kim_Xa_trung.docx", {"list.duplicate": (18,)},
        "STT 18 is STT 3 again (same name and address, another procedure): one person counted twice; the finding "
        "is on the repeat."),
    bad("DS_Kim_Xa_dia_chi.docx", {NOT_LOCAL: (10, 25)},
        "STT 10 lives in xã Yên Bình (another commune of the district), STT 25 in xã Đồng Cương, huyện Yên Lạc "
        "(another district): exclusion (2)."),
    Case("DS_Kim_Xa_it_linh_vuc.docx", "respondent_list", "accepted_with_warnings",
         {"list.fields_not_representative": 1}, KIM_XA, 30,
         "Everyone in 2 fields (Hộ tịch, Chứng thực), fewer than 3: a warning only."),

    # --- units; documents that are not lists -------------------------------------------------------------------
    ok("DS_Tam_Phuc.docx", "The title names no unit; the file name DS_Tam_Phuc does (Xã Tam Phúc).", unit=TAM_PHUC),
    bad("danh_sach_2021.docx", {"unit.unknown": 1},
        "Neither the title, the addresses (villages only) nor the file name names a unit.", unit=None),
    Case("Bao_cao_CCHC_Tam_Phuc.docx", "document", "accepted", {}, TAM_PHUC, None,
         "A report with a 2-column table (Nội dung | Kết quả): a document, not a list; no list rule applies."),
    bad("DS_Kim_Xa_sai_cot.docx", {"list.table_missing": 1},
        "Titled DANH SÁCH but its table's headers (Công dân, Quê quán, Công việc, Ghi chú) name no list column: "
        "the message quotes that table's headers.", n=None,
        says={"list.table_missing": ("Công dân", "Quê quán", "Công việc")}),
    bad("DS_Kim_Xa_khong_cot_ket_qua.docx", {NOT_RECEIVED: None},
        "No result column at all (nor an appointment): nothing shows anyone received a result. Silent in the "
        "issue how many findings: at least one; the advice must be to add the column, not to replace people.",
        fix_never={NOT_RECEIVED: ("Thay bằng người đã nhận kết quả giải quyết",)}),
    Case("~$DS_Kim_Xa.docx", "unknown", "rejected", {"file.unsupported": 1}, None, None,
         "Word's 162-byte lock file left next to the list: named as a lock file, never 'tệp rỗng'. Silent in the "
         "issue which code: not a document, so file.unsupported.",
         says={"file.unsupported": ("khóa",)}, never_says=("tệp rỗng",)),
    ok("DS_Kim_Xa_content_types.docx", "A .docx whose [Content_Types].xml types the main part by <Default "
       "Extension=\"xml\">, not by an <Override> (issue): an ordinary list."),
]

ROW_CODES = {NOT_RECEIVED, NOT_LOCAL, "list.bad_date", "list.date_out_of_window", "list.duplicate",
             "list.missing_value", "list.bad_phone"}
