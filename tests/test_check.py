"""The check pipeline end to end on real files: Word lists, documents, workbooks, refused files."""

from __future__ import annotations

import json

import openpyxl
import pytest
from docx import Document

from automation.check import check_paths
from automation.cli import main
from tests.builders import list_document, person_rows, set_fonts, tnr_document


def _codes(report):
    return sorted({p.code for p in report.problems})


def test_clean_list_is_accepted(tmp_path, settings):
    [rep] = check_paths([list_document(tmp_path / "ds.docx")], settings)
    assert (rep.kind, rep.verdict, rep.respondents, rep.unit.code) == ("respondent_list", "accepted", 30, "09079")
    assert rep.problems == []


def test_list_in_arial_and_hansi_trap(tmp_path, settings):
    [arial] = check_paths([list_document(tmp_path / "arial.docx", font="Arial")], settings)
    assert _codes(arial) == ["font.not_times_new_roman"] and arial.verdict == "rejected"
    doc = tnr_document()
    set_fonts(doc.styles["Normal"].element, ascii="Times New Roman", hAnsi="Arial")
    [trap] = check_paths([list_document(tmp_path / "trap.docx", doc=doc)], settings)
    assert _codes(trap) == ["font.not_times_new_roman"]
    [finding] = trap.problems
    assert "“Arial”" in finding.message and finding.location is None  # heading paragraphs and the table
    table_only = tnr_document()
    path = list_document(tmp_path / "table-only.docx", doc=table_only)
    d = Document(path)
    for cell in d.tables[0].rows[3].cells:
        for r in cell.paragraphs[0].runs:
            set_fonts(r._r, ascii="Times New Roman", hAnsi="Tahoma")
    d.save(path)
    [rep] = check_paths([path], settings)
    [finding] = rep.problems
    assert "“Tahoma”" in finding.message and finding.location.table == 1
    assert finding.location.describe() == "danh sách"  # the commune's word for that table, never "bảng 1"


def test_document_gets_font_findings_but_no_list_rules(tmp_path, settings):
    doc = tnr_document("Calibri")
    doc.add_paragraph("BÁO CÁO TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2021 CỦA UBND XÃ TAM PHÚC")
    doc.save(tmp_path / "bao-cao.docx")
    [rep] = check_paths([tmp_path / "bao-cao.docx"], settings)
    assert (rep.kind, rep.unit.code, _codes(rep)) == ("document", "09142", ["font.not_times_new_roman"])


def test_list_title_without_table(tmp_path, settings):
    doc = tnr_document()
    doc.add_paragraph("DANH SÁCH cá nhân đã giao dịch TTHC xã Kim Xá")
    doc.add_paragraph("1. Nguyễn Văn A, thôn Đông")
    doc.save(tmp_path / "ds.docx")
    [rep] = check_paths([tmp_path / "ds.docx"], settings)
    assert (rep.kind, _codes(rep)) == ("respondent_list", ["list.table_missing"])


def test_unknown_unit_and_file_name_fallback(tmp_path, settings):
    [unknown] = check_paths([list_document(tmp_path / "ds.docx", heading=("DANH SÁCH",))], settings)
    assert _codes(unknown) == ["unit.unknown"]
    [by_name] = check_paths([list_document(tmp_path / "DS_Tam_Phuc.docx", heading=("DANH SÁCH",),
                                           rows=person_rows(30, unit="Tam Phúc"))], settings)
    assert by_name.unit.code == "09142" and by_name.verdict == "accepted"


def test_refused_and_unsupported_files(tmp_path, settings):
    (tmp_path / "empty.docx").write_bytes(b"")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj\n<<>>\nendobj\n")
    (tmp_path / "fake.docx").write_bytes(b"PK\x03\x04 this is not a zip")
    reps = {r.path.name: r for r in check_paths(sorted(tmp_path.iterdir()), settings)}
    assert _codes(reps["empty.docx"]) == ["file.unreadable"]
    assert _codes(reps["fake.docx"]) == ["file.unreadable"]
    assert _codes(reps["scan.pdf"]) == ["file.unsupported"]
    assert all(r.verdict == "rejected" and r.kind == "unknown" for r in reps.values())


def test_workbooks(tmp_path, settings):
    from automation.scoring.framework import load_framework
    from tests.builders import self_assessment_workbook

    fw = load_framework()
    full = {c.code: float(c.max_points) for c in fw.scored}
    self_assessment_workbook(tmp_path / "tu-cham.xlsx", "Xã Kim Xá", "09079", fw.scored, full)
    first = fw.scored[0].code
    self_assessment_workbook(tmp_path / "sai.xlsx", "Xã Kim Xá", "09079", fw.scored, {**full, first: "hai"})
    other = openpyxl.Workbook()
    other.active.append(["=1+1", "bảng tính khác"])
    other.save(tmp_path / "khac.xlsx")
    reps = {r.path.name: r for r in check_paths(sorted(tmp_path.iterdir()), settings)}
    assert (reps["tu-cham.xlsx"].kind, reps["tu-cham.xlsx"].unit.code, reps["tu-cham.xlsx"].verdict) == \
        ("workbook", "09079", "accepted")
    assert _codes(reps["sai.xlsx"]) == ["score.not_a_number"] and reps["sai.xlsx"].verdict == "rejected"
    assert _codes(reps["khac.xlsx"]) == ["file.unsupported"]


def test_cli_json_and_exit_codes(tmp_path, capsys):
    good = list_document(tmp_path / "good.docx")
    with pytest.raises(SystemExit) as exc:
        main(["check", "--json", str(good)])
    assert exc.value.code == 0
    [obj] = json.loads(capsys.readouterr().out)
    assert set(obj) == {"file", "kind", "unit", "verdict", "respondents", "problems"}
    assert obj["unit"] == {"code": "09079", "name": "Xã Kim Xá"} and obj["respondents"] == 30

    bad = list_document(tmp_path / "bad.docx", rows=person_rows(29))
    with pytest.raises(SystemExit) as exc:
        main(["check", str(good), str(bad)])
    assert exc.value.code == 1
    out = capsys.readouterr().out
    assert "KHÔNG ĐẠT" in out and "[list.count]" in out and "cần đúng 30 người" in out

    with pytest.raises(SystemExit) as exc:
        main(["check", str(tmp_path / "missing.docx")])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Lỗi [usage.bad_argument]" in err and "Traceback" not in err

    with pytest.raises(SystemExit) as exc:
        main(["check", "--no-such-option", str(good)])
    assert exc.value.code == 2


def test_cli_uses_workspace_configuration(tmp_path, capsys):
    main_ws = tmp_path / "ws"
    with pytest.raises(SystemExit):
        main(["init", str(main_ws)])
    toml = main_ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("size = 30", "size = 29"), encoding="utf-8")
    bad = list_document(tmp_path / "ds.docx", rows=person_rows(29))
    with pytest.raises(SystemExit) as exc:
        main(["check", "--workspace", str(main_ws), str(bad)])
    assert exc.value.code == 0
    toml.write_text("year = 'x'\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main(["check", "-w", str(main_ws), str(bad)])
    assert exc.value.code == 2 and "“year”" in capsys.readouterr().err
