"""``[units] file``: the unit list as a CSV, validated line by line; the Phú Thọ list of 148 units."""

import csv
import itertools
import shutil
from pathlib import Path

import pytest

from automation import vntext
from automation.config import load_settings, parse_settings, _load_toml, DEFAULT_CONFIG
from automation.problems import ConfigError
from automation.unitfile import read_unit_file
from automation.units import UnitRegistry

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
PHU_THO = SHARED / "units-phu-tho-2025.csv"


def _write(tmp_path, text, name="don-vi.csv"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_reads_kinds_names_aliases_groups_and_former(tmp_path):
    p = _write(tmp_path, "code,kind,name,aliases,group,former\n"
                         "09079,xa,Xã Vĩnh An,Vĩnh An mới,Xã,Xã Kim Xá (09079); Xã Yên Bình (09082); Chấn Hưng\n"
                         "04792,phuong,Phường Tân Hòa,,,\n"
                         "22222,dac_khu,Cô Tô,,,\n"
                         "33333,Thị trấn,Thổ Tang,,,\n")
    units = read_unit_file(p)
    assert [u.full_name for u in units] == ["Xã Vĩnh An", "Phường Tân Hòa", "Đặc khu Cô Tô", "Thị trấn Thổ Tang"]
    assert [u.kind for u in units] == ["xa", "phuong", "dac_khu", "thi_tran"]
    assert units[0].aliases == ("Vĩnh An mới",) and units[0].group == "Xã"
    assert [(f.type, f.name, f.code) for f in units[0].former] == [
        ("Xã", "Kim Xá", "09079"), ("Xã", "Yên Bình", "09082"), ("", "Chấn Hưng", "")]
    reg = UnitRegistry(units)
    assert [u.code for u in reg.successors("09082")] == ["09079"]


@pytest.mark.parametrize("text, line, words", [
    ("code,kind\n1,xa\n", 1, "thiếu cột name"),
    ("code,kind,name,khac\n1,xa,A,\n", 1, "“khac” không được hỗ trợ"),
    ("code,kind,name\n1,xa,A\n2,huyen,B\n", 3, "loại đơn vị “huyen” không hợp lệ"),
    ("code,kind,name\n1,xa,A\n1,xa,B\n", 3, "trùng với dòng 2"),
    ("code,kind,name\n1,xa,A\n\n2,xa,Xã A\n", 4, "trùng tên với dòng 2"),
    ("code,kind,name\n,xa,A\n", 2, "thiếu mã đơn vị"),
    ("code,kind,name\n1,xa,Phường A\n", 2, "không khớp loại xa"),
    ("code,kind,name\n1,xa,\n", 2, "thiếu tên đơn vị"),
    ("code,kind,name\n1,xa,A,thừa\n", 2, "nhiều hơn 3 cột"),
    ("code,kind,name,former\n1,xa,A,Xã B (mã b)\n", 2, "không đúng dạng"),
])
def test_every_error_names_the_line(tmp_path, text, line, words):
    with pytest.raises(ConfigError) as exc:
        read_unit_file(_write(tmp_path, text))
    msg = str(exc.value)
    assert "units.file" in msg and f"dòng {line}" in msg and words in msg


def test_file_level_errors(tmp_path):
    for raw, words in ((b"", "tệp trống"), ("code,kind,name\n1,xa,Kim X\xe1\n".encode("cp1258"), "UTF-8"),
                       (b"code,kind,name\n", "không có đơn vị nào")):
        p = tmp_path / "x.csv"
        p.write_bytes(raw)
        with pytest.raises(ConfigError) as exc:
            read_unit_file(p)
        assert words in str(exc.value)
    with pytest.raises(ConfigError) as exc:
        read_unit_file(tmp_path / "none.csv")
    assert "không tìm thấy" in str(exc.value)


def test_excel_csv_with_bom_and_semicolons(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes("code;kind;name\r\n09079;xa;Xã Vĩnh An\r\n".encode("utf-8-sig"))
    assert read_unit_file(p)[0].full_name == "Xã Vĩnh An"


def test_workspace_units_file(tmp_path):
    data = _load_toml(DEFAULT_CONFIG)
    data["units"] = {"file": "don-vi.csv"}
    shutil.copyfile(PHU_THO, tmp_path / "don-vi.csv")
    s = parse_settings(data, tmp_path)
    assert len(s.units) == 148
    assert sum(u.kind == "phuong" for u in s.units) == 15
    data["units"] = {"file": "don-vi.csv", "extra": 1}
    with pytest.raises(ConfigError) as exc:
        parse_settings(data, tmp_path)
    assert "units.extra" in str(exc.value)


def test_toml_units_keep_working_with_kind_checked():
    data = _load_toml(DEFAULT_CONFIG)
    data["units"][0]["type"] = "Huyện"
    with pytest.raises(ConfigError) as exc:
        parse_settings(data)
    assert "units[0].type" in str(exc.value)


def _phu_tho() -> UnitRegistry:
    return UnitRegistry(read_unit_file(PHU_THO))


def test_every_unit_of_phu_tho_is_found_by_its_own_words():
    reg = _phu_tho()
    for u in reg:
        slug = u.slug.replace("-", "_")
        for text in (f"UBND {u.full_name.upper()}", u.full_name, f"DS_{slug}_2026.docx", f"{u.slug}.docx",
                     f"{u.type.lower()} {u.name}", f"danh sach {vntext.ascii_key(u.name)}"):
            m = reg.find(text)
            assert m.unit is not None and m.unit.code == u.code, (text, m.candidates)


def test_every_pair_of_phu_tho_names_stays_apart():
    """Two units named together are ambiguous, never one of them silently; one unit's name never finds another."""
    reg = _phu_tho()
    units = list(reg)
    for a, b in itertools.combinations(units, 2):
        assert vntext.key(a.full_name) != vntext.key(b.full_name)
        for text in (f"{a.full_name} và {b.full_name}", f"{a.slug}_{b.slug}.docx"):
            both = reg.find(text)
            assert both.unit is None and {u.code for u in both.candidates} >= {a.code, b.code}, (text, both)
