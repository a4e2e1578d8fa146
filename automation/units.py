"""The registry of units (communes, towns, wards) and name matching that survives real text."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from automation import vntext

# words that introduce a unit name ("xã Kim Xá", "TT. Thổ Tang", "UBND phường ...")
UNIT_PREFIXES = ("xã", "thị trấn", "tt", "phường", "p", "ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")
# words that introduce a name of a higher level (the district "huyện Vĩnh Tường" is not the town)
HIGHER_PREFIXES = ("huyện", "h", "quận", "thị xã", "tx", "thành phố", "tp", "tỉnh")


@dataclass(frozen=True)
class Unit:
    code: str
    type: str  # "Xã", "Thị trấn", "Phường"
    name: str
    aliases: tuple[str, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}"

    @property
    def slug(self) -> str:
        """A file-system friendly name: ``xa-kim-xa``."""
        return "-".join(vntext.ascii_key(self.full_name).split())

    def as_dict(self) -> dict:
        return {"code": self.code, "name": self.full_name}


@dataclass(frozen=True)
class Match:
    unit: Unit | None
    candidates: tuple[Unit, ...] = ()

    @property
    def ambiguous(self) -> bool:
        return self.unit is None and len(self.candidates) > 1

    def reason(self) -> str:
        if self.unit:
            return ""
        if self.ambiguous:
            return "văn bản nêu tên nhiều đơn vị (" + ", ".join(u.full_name for u in self.candidates) + ")"
        return "không nêu tên đơn vị nào trong danh sách đơn vị"


def _keys(text: str, ascii_only: bool) -> list[str]:
    return (vntext.ascii_key(text) if ascii_only else vntext.key(text)).split()


@dataclass
class UnitRegistry:
    units: list[Unit]
    _names: list[tuple[Unit, list[str], list[str]]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._names = []
        for u in self.units:
            for name in (u.name, *u.aliases):
                self._names.append((u, vntext.key(name).split(), vntext.ascii_key(name).split()))
        self._by_code = {u.code: u for u in self.units}

    def __iter__(self):
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def by_code(self, code: str) -> Unit | None:
        return self._by_code.get(code)

    def find(self, text: str) -> Match:
        """The single unit ``text`` names, preferring names after "xã"/"thị trấn"/"TT." prefixes.

        Names after "huyện"/"tỉnh"/... are higher levels and ignored.  Text without any diacritic
        (file names such as ``DS_Tam_Phuc.docx``) is matched without diacritics.
        """
        text = vntext.nfc(text)
        ascii_only = vntext.is_ascii(text)
        toks = _keys(text, ascii_only)
        unit_pre = [_keys(p, ascii_only) for p in UNIT_PREFIXES]
        higher_pre = [_keys(p, ascii_only) for p in HIGHER_PREFIXES]

        def preceded_by(pos: int, prefixes: list[list[str]]) -> bool:
            return any(len(p) <= pos and toks[pos - len(p):pos] == p for p in prefixes)

        prefixed: dict[str, Unit] = {}
        bare: dict[str, Unit] = {}
        for unit, dia, asc in self._names:
            name = asc if ascii_only else dia
            n = len(name)
            for i in range(len(toks) - n + 1):
                if toks[i:i + n] != name:
                    continue
                if preceded_by(i, higher_pre):
                    continue
                (prefixed if preceded_by(i, unit_pre) else bare)[unit.code] = unit
        for tok in toks:
            if tok in self._by_code:
                bare[tok] = self._by_code[tok]
        for found in (prefixed, bare):
            # a longer name that contains a shorter one wins ("Vĩnh Thịnh" over a village "Thịnh")
            if len(found) == 1:
                return Match(next(iter(found.values())))
            if len(found) > 1:
                return Match(None, tuple(sorted(found.values(), key=lambda u: u.code)))
        return Match(None)

    def find_first(self, *texts: str) -> Match:
        """Try each text in turn (heading, then file name); the first that names one unit wins."""
        first_ambiguous = None
        for text in texts:
            if not text:
                continue
            m = self.find(text)
            if m.unit:
                return m
            if m.ambiguous and first_ambiguous is None:
                first_ambiguous = m
        return first_ambiguous or Match(None)


def load_units_csv(data: str) -> list[Unit]:
    """Read the GSO-style unit list: ``gso_code,type,name[,...]``."""
    rows = csv.DictReader(io.StringIO(data))
    return [Unit(code=r["gso_code"].strip(), type=vntext.clean(r["type"]), name=vntext.clean(r["name"]))
            for r in rows]


def default_units() -> list[Unit]:
    path = Path(__file__).with_name("data") / "units-vinh-tuong-2021.csv"
    return load_units_csv(path.read_text(encoding="utf-8"))
