"""The registry of units (communes, wards, towns, special zones) and name matching that survives real text.

A unit has a kind (``xa``, ``phuong``, ``thi_tran``, ``dac_khu``: Xã, Phường, Thị trấn, Đặc khu), an optional
ranking group and the former units merged into it (a 2025 commune is often three 2021 communes).  The list
comes from ``[[units]]`` blocks of cchc.toml or from a CSV file (``[units] file``, :mod:`automation.unitfile`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from automation import vntext

# words that introduce a unit name ("xã Kim Xá", "TT. Thổ Tang", "UBND phường ...")
UNIT_PREFIXES = ("xã", "thị trấn", "tt", "phường", "p", "đặc khu", "ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")
# words that introduce a name of a higher level (the district "huyện Vĩnh Tường" is not the town)
HIGHER_PREFIXES = ("huyện", "h", "quận", "thị xã", "tx", "thành phố", "tp", "tỉnh")


# the kinds of commune-level unit: key -> the word written before the name
KINDS = {"xa": "Xã", "phuong": "Phường", "thi_tran": "Thị trấn", "dac_khu": "Đặc khu"}
_KIND_OF_TYPE = {vntext.key(t): k for k, t in KINDS.items()}


def kind_of(type_word: str) -> str:
    """``xa`` for "Xã", "xã", "XÃ" …; "" for a word that is no kind."""
    return _KIND_OF_TYPE.get(vntext.key(type_word), "")


@dataclass(frozen=True)
class FormerUnit:
    """A unit merged into a current one: its name as people still write it, its type and its old code."""

    name: str
    type: str = ""
    code: str = ""

    @property
    def full_name(self) -> str:
        return f"{self.type} {self.name}".strip()


@dataclass(frozen=True)
class Unit:
    code: str
    type: str  # "Xã", "Phường", "Thị trấn", "Đặc khu" (the word written before the name)
    name: str
    aliases: tuple[str, ...] = ()
    group: str = ""  # the ranking group named in the unit list, if any
    former: tuple[FormerUnit, ...] = ()  # the units merged into this one

    @property
    def kind(self) -> str:
        """``xa`` | ``phuong`` | ``thi_tran`` | ``dac_khu`` ("" for a type word that is none of them)."""
        return kind_of(self.type)

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
        self._former: dict[str, list[Unit]] = {}  # former code -> the current units it went into
        self._places: dict[str, dict[str, Unit]] = {}  # a name's key -> the current units it designates
        for u in self.units:
            for name in (u.name, *u.aliases):
                self._places.setdefault(vntext.key(name), {})[u.code] = u
            for f in u.former:
                self._places.setdefault(vntext.key(f.name), {})[u.code] = u
                if f.code and u not in self._former.setdefault(f.code, []):
                    self._former[f.code].append(u)

    def __iter__(self):
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def by_code(self, code: str) -> Unit | None:
        return self._by_code.get(code)

    def successors(self, former_code: str) -> list[Unit]:
        """The current units a former unit's code went into (one, or several when it was split)."""
        return list(self._former.get(former_code, ()))

    def designated(self, name: str) -> list[Unit]:
        """The current units a place name designates: by their names and aliases, or as one of their former
        units ("Kim Xá" designates Xã Vĩnh An, into which it was merged)."""
        return list(self._places.get(vntext.key(name), {}).values())

    def former_of(self, unit: Unit, name: str) -> FormerUnit | None:
        """The former unit of ``unit`` called ``name``, if any."""
        k = vntext.key(name)
        return next((f for f in unit.former if vntext.key(f.name) == k), None)

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

        hits: list[tuple[int, int, bool, Unit]] = []  # (start, end, after a unit prefix, unit)
        for unit, dia, asc in self._names:
            name = asc if ascii_only else dia
            n = len(name)
            for i in range(len(toks) - n + 1):
                if toks[i:i + n] != name:
                    continue
                if preceded_by(i, higher_pre):
                    continue
                hits.append((i, i + n, preceded_by(i, unit_pre), unit))
        # a longer name that contains a shorter one wins: "Tam Dương Bắc" is not also "Tam Dương"
        hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and o[1] - o[0] > h[1] - h[0]
                                           for o in hits)]
        prefixed: dict[str, Unit] = {}
        bare: dict[str, Unit] = {}
        for _, _, after_prefix, unit in hits:
            (prefixed if after_prefix else bare)[unit.code] = unit
        for tok in toks:
            if tok in self._by_code:
                bare[tok] = self._by_code[tok]
        for found in (prefixed, bare):
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
