import unicodedata

import pytest

from automation import vntext
from automation.units import UnitRegistry, Unit


@pytest.fixture()
def units(settings) -> UnitRegistry:
    return settings.units


def test_default_registry_has_the_28_units_with_codes(units):
    assert len(units) == 28
    assert units.by_code("09106").full_name == "Xã Lũng Hoà"
    assert units.by_code("09112").full_name == "Thị trấn Thổ Tang"


@pytest.mark.parametrize("text, code", [
    ("UBND XÃ LŨNG HÒA", "09106"),  # new tone placement, upper case
    ("Xã Lũng Hoà", "09106"),  # old tone placement
    (unicodedata.normalize("NFD", "xã Lũng Hòa"), "09106"),  # NFD
    ("DS_Tam_Phuc_2021", "09142"),  # no diacritics, underscores
    ("TT. Thổ Tang", "09112"),
    ("thị trấn Tứ Trưng", "09145"),
    ("UBND HUYỆN VĨNH TƯỜNG UBND XÃ KIM XÁ", "09079"),  # the district is not the town
    ("UBND THỊ TRẤN VĨNH TƯỜNG", "09076"),
    ("vinh tuong", "09076"),
    ("danh sach 09142", "09142"),  # the official code
])
def test_find_survives_real_text(units, text, code):
    m = units.find(text)
    assert m.unit is not None and m.unit.code == code


def test_ambiguous_and_unknown(units):
    m = units.find("xã Kim Xá và xã Yên Bình")
    assert m.unit is None and m.ambiguous and "Kim Xá" in m.reason()
    assert units.find("Báo cáo tổng hợp").unit is None
    assert not units.find("Báo cáo tổng hợp").ambiguous
    assert units.find("huyện Vĩnh Tường").unit is None  # only the district


def test_find_first_prefers_heading_then_file_name(units):
    assert units.find_first("DANH SÁCH", "DS_Kim_Xa").unit.code == "09079"
    assert units.find_first("UBND XÃ YÊN BÌNH", "DS_Kim_Xa").unit.code == "09082"


def test_keys():
    assert vntext.key("Lũng Hoà") == vntext.key("LŨNG HÒA")
    assert vntext.ascii_key("Đại Đồng") == "dai dong"
    assert vntext.key("Hòa") != vntext.key("Hoa")


def test_aliases():
    reg = UnitRegistry([Unit("1", "Xã", "Tân Phú", aliases=("Phú Thịnh",))])
    assert reg.find("xã Phú Thịnh").unit.code == "1"
