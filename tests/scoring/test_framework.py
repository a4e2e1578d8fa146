"""The shipped sample framework (templates/bo-tieu-chi.xlsx) and the loader's validation errors."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from automation.scoring.framework import (APPRAISAL, DEFAULT_FRAMEWORK, HEADERS, SHEET, SURVEY, FrameworkError,
                                          load_framework, parse_rows)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def framework():
    return load_framework()


def test_shipped_framework_is_a_labelled_sample(framework):
    assert framework.sample is True
    wb = openpyxl.load_workbook(DEFAULT_FRAMEWORK)
    ws = wb[SHEET]
    first = ws["A1"].value
    assert "MẪU" in first and "2757/QĐ-UBND" in first and "Vĩnh Phúc" in first
    assert ws["A1"].font.b and ws["A1"].font.color.rgb.endswith("C00000")
    assert "3199/QĐ-UBND" in ws["A2"].value
    assert [c.value for c in ws[3]] == list(HEADERS) and all(c.font.b for c in ws[3])
    assert ws.freeze_panes == "A4"
    assert "HuongDan" in wb.sheetnames
    guide = " ".join(str(r[0].value or "") for r in wb["HuongDan"].iter_rows())
    assert "bo-tieu-chi.xlsx" in guide and "cchc forms" in guide and "templates/" in guide
    # codes are text cells, so "1.10" could never turn into 1.1
    assert all(ws.cell(r, 1).data_type == "s" for r in range(4, ws.max_row + 1))


def test_shipped_framework_shape(framework):
    assert framework.total_max == 100
    assert [c.code for c in framework.top] == [str(i) for i in range(1, 8)]
    assert [c.content.split()[0] for c in framework.top] == ["Công", "Tổ", "Thủ", "Nâng", "Quản", "Hiện", "Tác"]
    for area in framework.top:
        assert 2 <= len(area.children) <= 5, area.code
    assert any(c.depth == 2 for c in framework.criteria)  # some criteria have sub-criteria
    for c in framework.criteria:
        if c.children:
            assert sum((k.max_points for k in c.children), Decimal(0)) == c.max_points, c.code
            if c.method == SURVEY:
                assert all(k.method == SURVEY for k in c.children), c.code
    assert 25 <= framework.survey_max <= 35
    assert framework.appraisal_max + framework.survey_max == 100
    assert 40 <= len(framework.leaves) <= 60
    assert all(c.evidence for c in framework.leaves)
    assert {c.method for c in framework.leaves} == {APPRAISAL, SURVEY}
    assert framework.by_code["7.1"].method == SURVEY  # satisfaction, scored by the survey
    assert any(c.method == SURVEY for c in framework.survey if not c.code.startswith("7"))
    texts = " ".join(c.evidence for c in framework.leaves)
    for expected in ("Kế hoạch CCHC năm của UBND xã", "Báo cáo CCHC định kỳ", "Sổ theo dõi hồ sơ TTHC"):
        assert expected in texts


def test_generator_is_deterministic_and_the_committed_file_is_current(tmp_path):
    out = tmp_path / "bo-tieu-chi.xlsx"
    for _ in range(2):
        subprocess.run([sys.executable, str(ROOT / "tools" / "make_framework.py"), str(out)], check=True,
                       capture_output=True, cwd=tmp_path)
    assert out.read_bytes() == DEFAULT_FRAMEWORK.read_bytes()


# --- the loader's errors ----------------------------------------------------------------------------

NOTE = ("Bộ tiêu chí thử",)


def rows(*criteria):
    return [NOTE, HEADERS, *criteria]


GOOD = [("1", "Chỉ đạo điều hành", 3, "Thẩm định", ""),
        ("1.1", "Kế hoạch", 2, "Thẩm định", "Kế hoạch CCHC"),
        ("1.2", "Báo cáo", 1, "Thẩm định", "Báo cáo CCHC"),
        ("2", "Hài lòng", 2, "Điều tra XHH", ""),
        ("2.1", "Hài lòng", 2, "Điều tra XHH", "Kết quả điều tra")]


def _error(*criteria) -> FrameworkError:
    with pytest.raises(FrameworkError) as info:
        parse_rows(rows(*criteria))
    assert info.value.code == "framework.invalid"
    return info.value


def test_valid_rows_parse():
    fw = parse_rows(rows(*GOOD))
    assert (fw.total_max, fw.appraisal_max, fw.survey_max, fw.sample) == (5, 3, 2, False)
    assert [c.code for c in fw.scored] == ["1.1", "1.2"] and [c.code for c in fw.survey] == ["2.1"]
    assert parse_rows([("BỘ TIÊU CHÍ MẪU",), HEADERS, *GOOD]).sample is True


def test_child_sum_mismatch_names_the_parent():
    exc = _error(("1", "Chỉ đạo", 4, "Thẩm định", ""), *GOOD[1:3])
    assert "mã 1)" in str(exc) and "3" in str(exc) and "4" in str(exc)


def test_duplicate_code_names_row_and_code():
    exc = _error(*GOOD[:3], ("1.2", "Lặp", 1, "Thẩm định", ""))
    assert "mã 1.2" in str(exc) and "dòng 6" in str(exc) and "trùng" in str(exc)


def test_orphan_code_names_it_and_its_missing_parent():
    exc = _error(*GOOD[:2], ("1.2.3", "Mồ côi", 1, "Thẩm định", ""))
    assert "mã 1.2.3" in str(exc) and "tiêu chí cha 1.2" in str(exc) and "dòng 5" in str(exc)


def test_bad_method_and_non_numeric_max_and_survey_parent():
    exc = _error(*GOOD[:2], ("1.2", "Báo cáo", 1, "Tự chấm", ""))
    assert "mã 1.2" in str(exc) and "Tự chấm" in str(exc)
    exc = _error(*GOOD[:2], ("1.2", "Báo cáo", "một", "Thẩm định", ""))
    assert "mã 1.2" in str(exc) and "một" in str(exc)
    exc = _error(*GOOD[:3], ("2", "Hài lòng", 2, "Điều tra XHH", ""), ("2.1", "Hài lòng", 2, "Thẩm định", ""))
    assert "mã 2)" in str(exc)


def test_missing_header():
    with pytest.raises(FrameworkError) as info:
        parse_rows([NOTE, ("Mã", "Nội dung"), *GOOD])
    assert info.value.code == "framework.invalid" and "Mã tiêu chí" in str(info.value)


def test_a_broken_workbook_is_reported(tmp_path):
    bad = tmp_path / "bo-tieu-chi.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = SHEET
    for r in rows(*GOOD[:2]):
        wb.active.append(list(r))
    wb.save(bad)
    with pytest.raises(FrameworkError) as info:
        load_framework(bad)
    assert "mã 1)" in str(info.value)
