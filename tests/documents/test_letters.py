"""Feedback letters: content, Decree 30/2020 layout, fonts, names, atomic writes, LibreOffice rendering."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import time
import unicodedata
from pathlib import Path

import docx
import docx.document
import pytest
from docx.oxml.ns import qn
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt

from automation.config import default_settings
from automation.formats.convert import find_soffice
from automation.formats.docx_package import Package
from automation.formats.word import read_docx
from automation.documents.letters import date_line, feedback_stem, write_feedback
from automation.files import TEMP_PREFIX
from automation.ledger.records import RESPONDENT_LIST, UNKNOWN, WORKBOOK, Submission
from automation.problems import Location, problem

NOW = dt.datetime(2021, 10, 26, 8, 30)
TNR = "Times New Roman"


@pytest.fixture(scope="module")
def settings():
    return default_settings()


@pytest.fixture(scope="module")
def kim_xa(settings):
    return settings.units.by_code("09079")


def submission(kind=RESPONDENT_LIST, version=2, verdict="rejected", on_time=True,
               received=dt.datetime(2021, 10, 25, 9, 15, 3), name="Kim Xa/DS Kim Xá.doc") -> Submission:
    return Submission(id=7, sha256="ab" * 32, original_name=name, unit_code="09079", kind=kind, version=version,
                      status="archived", verdict=verdict, received_at=received, on_time=on_time)


def sample_problems():
    """A warning first, to check that errors come before warnings in the letter."""
    return [problem("list.bad_phone", Location(table=1, row=3, column="Số điện thoại", area="danh sách", stt="3",
                                                person="Lê Văn Ba"), value="12345"),
            problem("list.count", None, found=28, expected=30),
            problem("font.not_times_new_roman", Location(part="tiêu đề"), font="Arial", sample="DANH SÁCH",
                    count=3)]


def text_of(path: Path) -> str:
    return "\n".join(b.text if hasattr(b, "text") else "\n".join(" | ".join(r) for r in b.rows)
                     for b in read_docx(path).blocks)


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def write(tmp_path, settings, unit, sub=None, problems=None, **kw) -> Path:
    return write_feedback(tmp_path / "phan-hoi" / unit.slug, sub or submission(), unit,
                          sample_problems() if problems is None else problems, settings, now=NOW, **kw)


# --------------------------------------------------------------------------------------------- content

def test_rejected_letter_says_what_was_received_and_what_to_fix(tmp_path, settings, kim_xa):
    path = write(tmp_path, settings, kim_xa, unicode_copy=tmp_path / "DS Kim Xa (Unicode).docx")
    text = text_of(path)
    paras = paragraphs(path)
    assert "PHIẾU PHẢN HỒI" not in paras  # a công văn: no type name, its summary under the number
    assert "V/v kết quả tiếp nhận, kiểm tra hồ sơ Chỉ số CCHC năm 2021" in text
    assert "Kính gửi: Ủy ban nhân dân xã Kim Xá." in paras
    assert "Phòng Nội vụ đã tiếp nhận hồ sơ của Ủy ban nhân dân xã Kim Xá như sau:" in paras
    assert "- Tên tệp: Kim Xa/DS Kim Xá.doc;" in paras
    assert "- Loại hồ sơ: danh sách người đã giao dịch TTHC (lần gửi thứ 2);" in paras
    assert ("- Thời điểm nhận: 09:15 ngày 25/10/2021, đúng hạn (hạn nộp: trước ngày 30/10/2021)."
            in paras)
    assert "Kết quả kiểm tra: KHÔNG ĐẠT – đề nghị sửa và gửi lại" in paras
    assert "Chi tiết (2 lỗi, 1 cảnh báo; lỗi phải sửa, cảnh báo đề nghị xem lại):" in paras
    assert "Đề nghị Ủy ban nhân dân xã Kim Xá kiểm tra, hoàn thiện và gửi lại trước hạn nêu trên./." in paras
    [unicode_line] = [p for p in paras if "Unicode" in p]
    assert "“DS Kim Xa (Unicode).docx”" in unicode_line and "gửi lại" in unicode_line
    assert "ngày 26 tháng 10 năm 2021" in text

    tables = docx.Document(str(path)).tables
    assert len(tables) == 3  # header, problems, Nơi nhận / signature
    rows = [[c.text for c in r.cells] for r in tables[1].rows]
    assert rows[0] == ["STT", "Nội dung", "Vị trí", "Cách khắc phục"]
    count, font, phone = sample_problems()[1], sample_problems()[2], sample_problems()[0]
    assert rows[1:] == [
        ["1", f"Lỗi: {count.message}", "Toàn văn bản", count.fix],
        ["2", f"Lỗi: {font.message}", "tiêu đề", font.fix],
        ["3", f"Cảnh báo: {phone.message}", "danh sách, dòng STT 3 (Lê Văn Ba), cột “Số điện thoại”", phone.fix],
    ]
    assert rows[1][1] == "Lỗi: Danh sách có 28 người, cần đúng 30 người."
    assert rows[1][3] == "Bổ sung hoặc bớt cho đủ 30 người."


def test_header_table_and_signature_block(tmp_path, settings, kim_xa):
    d = docx.Document(str(write(tmp_path, settings, kim_xa)))
    head, foot = d.tables[0], d.tables[-1]
    left, right = head.cell(0, 0).paragraphs, head.cell(0, 1).paragraphs
    # the standing office issues its own letters: the body above it (not bold), the office, then its rule
    assert [p.text for p in left] == ["ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG", "PHÒNG NỘI VỤ", ""]
    assert not left[0].runs[0].bold and left[1].runs[0].bold and left[1].runs[0].font.size == Pt(13)
    assert [p.text for p in right] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", ""]
    assert all(p.runs[0].bold for p in right[:2]) and not right[1].runs[0].underline
    for rule in (left[-1], right[-1]):
        assert rule._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}").get(qn("w:val")) == "single"
    number, summary = head.cell(1, 0).paragraphs
    assert number.text == "Số:       /NV" and number.runs[0].font.size == Pt(13)
    assert summary.text == "V/v kết quả tiếp nhận, kiểm tra hồ sơ Chỉ số CCHC năm 2021"
    assert summary.runs[0].font.size == Pt(12) and not summary.runs[0].bold
    [date] = head.cell(1, 1).paragraphs
    assert date.text == "Vĩnh Tường, ngày 26 tháng 10 năm 2021" and date.runs[0].italic

    nhan = foot.cell(0, 0).paragraphs
    assert [p.text for p in nhan] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT."]
    assert nhan[0].runs[0].bold and nhan[0].runs[0].italic and nhan[0].runs[0].font.size == Pt(12)
    assert all(p.runs[0].font.size == Pt(11) for p in nhan[1:])
    sign = [p.text for p in foot.cell(0, 1).paragraphs]
    assert sign == ["TRƯỞNG PHÒNG", "", "", "", "", ""]  # the head of the office, room to sign; no name set
    assert foot.rows[0]._tr.trPr.find(qn("w:cantSplit")) is not None
    closing = d.paragraphs[-2]
    assert closing.text.endswith("./.") and closing.paragraph_format.keep_with_next


def test_the_signer_follows_the_settings(tmp_path, settings, kim_xa):
    import dataclasses  # noqa: PLC0415

    s = dataclasses.replace(settings, documents=dataclasses.replace(
        settings.documents, authority_line="", signer_title="Chủ tịch", signer_name="Nguyễn Văn A",
        office_abbreviation="VP", letter_signer_title=""),  # "": the issuing body's letter, the drafts' signer
        authority=dataclasses.replace(settings.authority, parent_body="UBND tỉnh Phú Thọ"))
    d = docx.Document(str(write(tmp_path, s, kim_xa)))
    head, foot = d.tables[0], d.tables[-1]
    parent, body = head.cell(0, 0).paragraphs[:2]
    assert (parent.text, body.text) == ("UBND TỈNH PHÚ THỌ", "ỦY BAN NHÂN DÂN HUYỆN VĨNH TƯỜNG")
    assert not parent.runs[0].bold and body.runs[0].bold
    assert head.cell(1, 0).paragraphs[0].text == "Số:       /UBND-VP"
    assert [p.text for p in foot.cell(0, 1).paragraphs if p.text] == ["CHỦ TỊCH", "Nguyễn Văn A"]
    assert foot.cell(0, 0).paragraphs[-1].text == "- Lưu: VT, VP."
    assert "UBND huyện (qua Phòng Nội vụ) đã tiếp nhận hồ sơ" in "\n".join(p.text for p in d.paragraphs)


def test_the_office_signer_follows_the_settings(tmp_path, settings, kim_xa):
    import dataclasses  # noqa: PLC0415

    s = dataclasses.replace(settings, documents=dataclasses.replace(
        settings.documents, letter_signer_title="KT. Trưởng phòng\nPhó Trưởng phòng", letter_signer_name="Lê Văn Minh"))
    foot = docx.Document(str(write(tmp_path, s, kim_xa))).tables[-1]
    assert [p.text for p in foot.cell(0, 1).paragraphs if p.text] == ["KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG",
                                                                      "Lê Văn Minh"]


def test_late_accepted_workbook_has_no_table_and_no_request(tmp_path, settings, kim_xa):
    sub = submission(kind=WORKBOOK, version=1, verdict="accepted", on_time=False,
                     received=dt.datetime(2021, 11, 18, 16, 5))
    path = write(tmp_path, settings, kim_xa, sub, problems=[])
    paras = paragraphs(path)
    assert "- Loại hồ sơ: biểu tự đánh giá, chấm điểm (lần gửi thứ 1);" in paras
    assert "- Thời điểm nhận: 16:05 ngày 18/11/2021, quá hạn (hạn nộp: đến hết ngày 16/11/2021)." in paras
    assert "Kết quả kiểm tra: ĐẠT" in paras
    assert "Hồ sơ đáp ứng các yêu cầu kiểm tra, không phát hiện lỗi." in paras
    assert not any("gửi lại" in p or "Unicode" in p for p in paras)
    assert len(docx.Document(str(path)).tables) == 2
    assert path.name == "phan-hoi-bieu-cham-diem-v1-20211118-160500.docx"


def test_warnings_only_and_unknown_timeliness(tmp_path, settings, kim_xa):
    warn = problem("list.bad_phone", Location(table=1, row=9, column="Số điện thoại"), value="0")
    path = write(tmp_path, settings, kim_xa, submission(verdict="accepted_with_warnings", on_time=None), [warn])
    paras = paragraphs(path)
    assert "Kết quả kiểm tra: ĐẠT, có lưu ý" in paras
    assert "- Thời điểm nhận: 09:15 ngày 25/10/2021." in paras
    assert not any("hạn nộp" in p or "hoàn thiện và gửi lại" in p for p in paras)
    assert "Chi tiết (1 cảnh báo; lỗi phải sửa, cảnh báo đề nghị xem lại):" in paras


def test_rejected_late_asks_for_the_earliest_resend(tmp_path, settings, kim_xa):
    paras = paragraphs(write(tmp_path, settings, kim_xa, submission(on_time=False)))
    assert "- Thời điểm nhận: 09:15 ngày 25/10/2021, quá hạn (hạn nộp: trước ngày 30/10/2021)." in paras
    assert "Đề nghị Ủy ban nhân dân xã Kim Xá kiểm tra, hoàn thiện và gửi lại trong thời gian sớm nhất./." in paras


def test_unknown_kind_without_version_or_deadline(tmp_path, settings, kim_xa):
    sub = submission(kind=UNKNOWN, version=None, on_time=True)
    path = write(tmp_path, settings, kim_xa, sub)
    paras = paragraphs(path)
    assert "- Loại hồ sơ: không xác định;" in paras
    assert not any("hạn nộp" in p for p in paras)
    assert path.name == "phan-hoi-khac-20211025-091503.docx"


def test_town_is_addressed_in_lower_case(tmp_path, settings):
    tho_tang = settings.units.by_code("09112")
    paras = paragraphs(write(tmp_path, settings, tho_tang))
    assert "Kính gửi: Ủy ban nhân dân thị trấn Thổ Tang." in paras
    assert any(p.startswith("Đề nghị Ủy ban nhân dân thị trấn Thổ Tang kiểm tra") for p in paras)


@pytest.mark.parametrize("day, expected", [
    (dt.date(2022, 1, 5), "Vĩnh Tường, ngày 05 tháng 01 năm 2022"),
    (dt.date(2022, 2, 28), "Vĩnh Tường, ngày 28 tháng 02 năm 2022"),
    (dt.date(2021, 3, 9), "Vĩnh Tường, ngày 09 tháng 3 năm 2021"),
    (dt.date(2021, 12, 31), "Vĩnh Tường, ngày 31 tháng 12 năm 2021"),
])
def test_date_line_leading_zeros(day, expected):
    assert date_line("Vĩnh Tường", day) == expected


def test_text_is_nfc_even_from_nfd_input(tmp_path, settings, kim_xa):
    nfd = unicodedata.normalize("NFD", "Kim Xa/Danh sách Kim Xá.docx")
    path = write(tmp_path, settings, kim_xa, submission(name=nfd))
    doc = read_docx(path)
    texts = [r.text for r in doc.runs]
    assert texts and all(unicodedata.is_normalized("NFC", t) for t in texts)
    assert "- Tên tệp: Kim Xa/Danh sách Kim Xá.docx;" in paragraphs(path)


# --------------------------------------------------------------------------------------------- layout, fonts

def test_a4_portrait_and_decree_margins(tmp_path, settings, kim_xa):
    section = docx.Document(str(write(tmp_path, settings, kim_xa))).sections[0]
    tol = Mm(0.5)
    for actual, expected in ((section.page_width, Mm(210)), (section.page_height, Mm(297)),
                             (section.top_margin, Mm(20)), (section.bottom_margin, Mm(20)),
                             (section.left_margin, Mm(30)), (section.right_margin, Mm(15))):
        assert abs(actual - expected) <= tol
    assert section.different_first_page_header_footer  # page numbers from page 2 only


def test_every_visible_run_is_times_new_roman(tmp_path, settings, kim_xa):
    path = write(tmp_path, settings, kim_xa, unicode_copy=Path("x.docx"))
    runs = [r for r in read_docx(path).runs if r.visible_text]
    assert len(runs) > 30
    bad = [(r.text, r.fonts) for r in runs if r.fonts.used_by(r.text) != {TNR}]
    assert bad == []
    styles = docx.Document(str(path)).styles
    for rpr in (styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
                styles["Normal"].element.rPr):
        fonts = rpr.find(qn("w:rFonts"))
        assert dict(fonts.attrib) == {qn(f"w:{s}"): TNR for s in ("ascii", "hAnsi", "eastAsia", "cs")}


def test_sizes_follow_the_decree(tmp_path, settings, kim_xa):
    d = docx.Document(str(write(tmp_path, settings, kim_xa)))
    assert d.styles["Normal"].font.size == Pt(14)
    body_sizes = {r.font.size for p in d.paragraphs for r in p.runs if r.text.strip()}
    assert body_sizes == {Pt(14)}
    table_sizes = {r.font.size for c in d.tables[1]._cells for p in c.paragraphs for r in p.runs}
    assert table_sizes == {Pt(13)}


# --------------------------------------------------------------------------------------------- files

def test_second_letter_gets_a_new_name(tmp_path, settings, kim_xa):
    first = write(tmp_path, settings, kim_xa)
    assert first.parent == tmp_path / "phan-hoi" / "xa-kim-xa"
    assert first.name == "phan-hoi-danh-sach-v2-20211025-091503.docx"
    assert re.fullmatch(r"[a-z0-9.-]+", first.name)
    before = first.read_bytes()
    second = write(tmp_path, settings, kim_xa, problems=[])
    third = write(tmp_path, settings, kim_xa, problems=[])
    assert second.name == "phan-hoi-danh-sach-v2-20211025-091503-2.docx"
    assert third.name == "phan-hoi-danh-sach-v2-20211025-091503-3.docx"
    assert first.read_bytes() == before
    assert sorted(p.name for p in first.parent.iterdir()) == sorted([first.name, second.name, third.name])


def test_stem_falls_back_to_now_without_receipt_time():
    sub = submission(received=None, version=3)
    assert feedback_stem(sub, NOW) == "phan-hoi-danh-sach-v3-20211026-083000"


def test_failed_save_leaves_no_temp_file_and_keeps_old_letters(tmp_path, settings, kim_xa, monkeypatch):
    first = write(tmp_path, settings, kim_xa)
    before = first.read_bytes()

    def broken_save(self, path, replace=None):
        Path(path).write_bytes(b"PK\x03\x04 half a zip")
        raise OSError("disk full")

    monkeypatch.setattr(Package, "write", broken_save)
    with pytest.raises(OSError, match="disk full"):
        write(tmp_path, settings, kim_xa)
    folder = first.parent
    assert list(folder.glob(f"{TEMP_PREFIX}*")) == []
    assert [p.name for p in folder.iterdir()] == [first.name]
    assert first.read_bytes() == before


def test_long_problem_lists_are_fast(tmp_path, settings, kim_xa):
    many = [problem("list.missing_value", Location(table=1, row=i + 1, column="Địa chỉ", area="danh sách", stt=str(i + 1)), what="địa chỉ")
            for i in range(150)]
    many.append(problem("list.count", None, found=180, expected=30))
    start = time.perf_counter()
    path = write(tmp_path, settings, kim_xa, problems=many)
    elapsed = time.perf_counter() - start
    assert elapsed < 0.5, elapsed
    rows = docx.Document(str(path)).tables[1].rows
    assert len(rows) == 152
    assert rows[151].cells[0].text == "151" and rows[1].cells[1].text.startswith("Lỗi: Thiếu địa chỉ")
    assert rows[150].cells[2].text == "danh sách, dòng STT 150, cột “Địa chỉ”"


# --------------------------------------------------------------------------------------------- rendering

@pytest.mark.libreoffice
def test_libreoffice_renders_the_vietnamese_text_in_order(tmp_path, settings, kim_xa):
    short = problem("list.missing_value", Location(table=1, row=4, column="Họ và tên"), what="họ và tên")
    path = write(tmp_path, settings, kim_xa, problems=[short] + sample_problems())
    profile = (tmp_path / "lo-profile").as_uri()
    out = tmp_path / "pdf"
    subprocess.run([find_soffice(), f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(out), str(path)], check=True, capture_output=True, timeout=180)
    pdf = out / (path.stem + ".pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    text = " ".join(unicodedata.normalize("NFC", text).split())
    order = ["ỦY BAN NHÂN DÂN", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "/NV",
             "Kính gửi: Ủy ban nhân dân xã Kim Xá", "KHÔNG ĐẠT", "Thiếu họ và tên.", "Nơi nhận:",
             "TRƯỞNG PHÒNG"]
    positions = [text.find(s) for s in order]
    assert -1 not in positions, [s for s, p in zip(order, positions) if p == -1]
    assert positions == sorted(positions)


def test_control_characters_from_damaged_input_are_dropped(tmp_path, settings, kim_xa):
    odd = problem("file.unreadable", None, detail="mục lục\x0bbị hỏng\x01\ntrang 2")
    path = write(tmp_path, settings, kim_xa, submission(name="Kim Xa/DS\x07.doc"), [odd])
    assert "- Tên tệp: Kim Xa/DS.doc;" in paragraphs(path)
    row = [c.text for c in docx.Document(str(path)).tables[1].rows[1].cells]
    assert row[1] == "Lỗi: Không đọc được tệp: mục lục bị hỏng trang 2."
