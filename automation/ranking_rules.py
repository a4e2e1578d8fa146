"""``[ranking]`` of cchc.toml: ranking groups and classification bands, validated against the unit list.

* ``groups``: absent or empty, one ranking of all units (the seed plan).  Otherwise an array of tables
  ``{ name = "Phường", kinds = ["phuong"] }, { name = "Xã, đặc khu", kinds = ["xa", "dac_khu"] }`` (Hải Phòng
  ranked its wards apart from communes and special zones in its 2025 index).  A unit whose list names a group
  (the ``group`` column of ``[units] file``) goes to that group whatever its kind; every unit is in exactly one.
* ``bands``: none by default; ``[{ name = "Tốt", min = 90 }, { name = "Khá", min = 80 }, …]`` on the index (%),
  highest first.  A unit below every band has none.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from automation import vntext
from automation.problems import ConfigError
from automation.units import KINDS, Unit


@dataclass(frozen=True)
class Group:
    name: str
    kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Band:
    name: str
    min: Decimal


@dataclass(frozen=True)
class Ranking:
    groups: tuple[Group, ...] = ()
    bands: tuple[Band, ...] = ()

    @property
    def grouped(self) -> bool:
        return len(self.groups) > 1

    def group_of(self, unit: Unit) -> str:
        """The name of ``unit``'s group ("" when all units are ranked together)."""
        if not self.groups:
            return ""
        if unit.group:
            for g in self.groups:
                if vntext.key(g.name) == vntext.key(unit.group):
                    return g.name
        return next((g.name for g in self.groups if unit.kind in g.kinds), "")

    def band_of(self, index: Decimal) -> str:
        return next((b.name for b in self.bands if index >= b.min), "")


def _err(key: str, detail: str) -> ConfigError:
    return ConfigError("config.invalid", key=key, detail=detail)


def _name(raw: dict, key: str) -> str:
    name = raw.get("name")
    if not isinstance(name, str) or not vntext.clean(name):
        raise _err(f"{key}.name", "cần tên (chuỗi, không để trống)")
    return vntext.clean(name)


def _only(raw, key: str, allowed: tuple[str, ...]) -> dict:
    if not isinstance(raw, dict):
        raise _err(key, "cần bảng, ví dụ { name = \"…\", … }")
    unknown = sorted(set(raw) - set(allowed))
    if unknown:
        raise _err(f"{key}.{unknown[0]}", "khóa không được hỗ trợ (gõ nhầm?)")
    return raw


def parse_ranking(data, units: list[Unit]) -> Ranking:
    """``data``: the ``[ranking]`` table (a dict); every error names its key."""
    if not isinstance(data, dict):
        raise _err("ranking", "cần bảng [ranking]")
    unknown = sorted(set(data) - {"groups", "bands"})
    if unknown:
        raise _err(f"ranking.{unknown[0]}", "khóa không được hỗ trợ (gõ nhầm?)")
    groups = []
    raw_groups = data.get("groups", [])
    if not isinstance(raw_groups, list):
        raise _err("ranking.groups", "cần danh sách nhóm, ví dụ [{ name = \"Phường\", kinds = [\"phuong\"] }]")
    for i, raw in enumerate(raw_groups):
        key = f"ranking.groups[{i}]"
        raw = _only(raw, key, ("name", "kinds"))
        kinds = raw.get("kinds", [])
        if not isinstance(kinds, list) or not all(isinstance(k, str) for k in kinds):
            raise _err(f"{key}.kinds", "cần danh sách loại đơn vị")
        bad = [k for k in kinds if k not in KINDS]
        if bad:
            raise _err(f"{key}.kinds", f"“{bad[0]}” không phải loại đơn vị; dùng {', '.join(KINDS)}")
        g = Group(_name(raw, key), tuple(kinds))
        if any(vntext.key(o.name) == vntext.key(g.name) for o in groups):
            raise _err(f"{key}.name", f"nhóm “{g.name}” bị trùng")
        for o in groups:
            both = set(o.kinds) & set(g.kinds)
            if both:
                raise _err(f"{key}.kinds", f"loại {sorted(both)[0]} đã thuộc nhóm “{o.name}”")
        groups.append(g)
    ranking = Ranking(tuple(groups), _bands(data.get("bands", [])))
    if groups:
        names = {vntext.key(g.name) for g in groups}
        for u in units:
            if u.group and vntext.key(u.group) not in names:
                raise _err("ranking.groups", f"{u.full_name} (mã {u.code}) ghi nhóm “{u.group}”, không có trong "
                                             "[ranking] groups")
            if not ranking.group_of(u):
                raise _err("ranking.groups", f"{u.full_name} (mã {u.code}, loại {u.kind}) không thuộc nhóm nào")
    return ranking


def _bands(raw_bands) -> tuple[Band, ...]:
    if not isinstance(raw_bands, list):
        raise _err("ranking.bands", "cần danh sách mức, ví dụ [{ name = \"Tốt\", min = 90 }]")
    bands: list[Band] = []
    for i, raw in enumerate(raw_bands):
        key = f"ranking.bands[{i}]"
        raw = _only(raw, key, ("name", "min"))
        low = raw.get("min")
        if isinstance(low, bool) or not isinstance(low, (int, float)) or not 0 <= low <= 100:
            raise _err(f"{key}.min", "cần số từ 0 đến 100 (chỉ số, %)")
        b = Band(_name(raw, key), Decimal(str(low)))
        if bands and b.min >= bands[-1].min:
            raise _err(f"{key}.min", f"các mức xếp từ cao xuống thấp: {b.min} không nhỏ hơn {bands[-1].min}")
        if any(vntext.key(o.name) == vntext.key(b.name) for o in bands):
            raise _err(f"{key}.name", f"mức “{b.name}” bị trùng")
        bands.append(b)
    return tuple(bands)
