"""``cchc init --preset phu-tho``: the province workspace of today, and addresses after the 2025 merger."""

from pathlib import Path

import pytest
from tests.cli.test_main import _run
from automation.config import init_workspace, load_settings, presets
from automation.lists.rules import address_not_local
from automation.problems import UsageError


@pytest.fixture(scope="module")
def province(tmp_path_factory):
    root = init_workspace(tmp_path_factory.mktemp("pt") / "ws", "phu-tho")
    return load_settings(root)


def test_the_preset_is_a_province_of_148_units(province):
    s = province
    assert s.year == 2026 and s.authority.issuing_body == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert s.authority.standing_office == "Sở Nội vụ" and s.authority.district == ""
    assert len(s.units) == 148
    assert sum(u.kind == "phuong" for u in s.units) == 15 and sum(u.kind == "xa" for u in s.units) == 133
    vinh_an = s.units.by_code("09079")
    assert vinh_an.full_name == "Xã Vĩnh An"
    assert [f.full_name for f in vinh_an.former] == ["Xã Kim Xá", "Xã Yên Bình", "Xã Chấn Hưng"]
    assert [u.code for u in s.units.successors("09118")] == ["09076"]  # Bình Dương -> Xã Vĩnh Tường
    assert s.deadlines["respondent_list"].date.year == 2026 and s.deadlines["decision"].date.year == 2027
    text = (s.workspace / "cchc.toml").read_text(encoding="utf-8")
    assert "MẪU" in text and "2757" not in text and "former_provinces = [\"Vĩnh Phúc\", \"Hòa Bình\"]" in text
    assert "phu-tho" in presets()


def test_init_command_names_what_it_made(tmp_path, capsys):
    code, out, _ = _run(["init", str(tmp_path / "a"), "--preset", "phu-tho"], capsys)
    assert code == 0 and "năm 2026, Ủy ban nhân dân tỉnh Phú Thọ, 148 đơn vị" in out
    code, _, err = _run(["init", str(tmp_path / "b"), "--preset", "ha-noi"], capsys)
    assert code == 2 and "không có mẫu “ha-noi”" in err and "Traceback" not in err
    assert not (tmp_path / "b").exists()
    with pytest.raises(UsageError):
        init_workspace(tmp_path / "a", "phu-tho")  # never over an existing workspace


@pytest.mark.parametrize("code, address, local", [
    ("09079", "Thôn Đông, xã Vĩnh An", True),
    ("09079", "Thôn Đông, xã Kim Xá, huyện Vĩnh Tường", True),  # a former unit, a district that no longer exists
    ("09079", "xã Kim Xá, huyện Vĩnh Tường, tỉnh Vĩnh Phúc", True),  # and a former province
    ("09079", "Yên Bình, Vĩnh Tường", True),  # bare former name
    ("09079", "Thôn 3, huyện Vĩnh Tường", True),  # no unit at all
    ("09079", "Thôn 3, Vĩnh Tường, Vĩnh Phúc", True),  # bare names of the former district and province
    ("09079", "Thôn 3, xã Vĩnh Tường", False),  # the commune of that name is another unit
    ("09079", "Thôn 3, xã Nghĩa Hưng, huyện Vĩnh Tường", False),  # a former unit of Xã Vĩnh Hưng
    ("09079", "Thôn 3, Đại Đồng", False),  # bare, former unit of another commune
    ("09079", "xã Vĩnh Hưng", False),  # another unit of the province
    ("09079", "Tổ 5, phường Việt Trì", False),
    ("09079", "xã Kim Xá, tỉnh Thái Nguyên", False),  # another province
    ("09079", "Số 3, TP Hà Nội", False),  # a centrally-run city is a province
    ("09079", "Khu 2, thành phố Vĩnh Yên, Vĩnh Phúc", True),  # a former district-level city: a district name
    ("09112", "Khu 1, thị trấn Thổ Tang", True),  # the town is now Xã Thổ Tang
    ("09112", "Thượng Trưng, Vĩnh Tường", True),
    ("09106", "xã Sao Đại Việt", True),  # the 2024 merger's name, now Xã Vĩnh Thành
    ("09154", "xã Phú Đa", True),
])
def test_addresses_after_the_merger(province, code, address, local):
    reason = address_not_local(address, province.units.by_code(code), province)
    assert (reason == "") is local, reason


def test_the_reason_names_where_a_former_unit_went(province):
    reason = address_not_local("Thôn 3, xã Nghĩa Hưng", province.units.by_code("09079"), province)
    assert reason == "nêu xã Nghĩa Hưng, nay thuộc Xã Vĩnh Hưng"


def test_the_district_default_keeps_its_rule(settings):
    kim_xa = settings.units.by_code("09079")
    assert address_not_local("xã Hợp Thịnh", kim_xa, settings)  # a commune outside the district's list
    assert address_not_local("Xã Kim Xá, huyện Yên Lạc", kim_xa, settings)
    assert address_not_local("Khu 2, thành phố Vĩnh Yên", kim_xa, settings)
