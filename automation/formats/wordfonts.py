"""Fonts as Word's font box shows them: run fonts resolved through styles and themes, names normalised.

The effective font is resolved as Word does (ECMA-376 §17.7.2): document defaults, then the table style chain,
the paragraph style chain, the character style chain and direct formatting, each of the four ``w:rFonts`` slots
(ascii, hAnsi, eastAsia, cs) inheriting on its own.

Names are normalised in one place, :func:`font_name`: a binary .doc's font table gives each font an alternate
name, which LibreOffice joins to the primary one with ";" ("Times New Roman;Times New Roman", ".VnTime;Times New
Roman"); HTML gives CSS lists (``"Times New Roman","serif"``, written "Times New Roman;serif" after conversion).
Word shows the primary name, the first family, so that is the font.

Theme references (``w:asciiTheme="minorHAnsi"``) resolve through :class:`Theme`; see its docstring for the rules
chosen where the theme slot is empty or the theme part is missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from automation.problems import CchcError

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
_W = "{%s}" % W
_A = "{%s}" % A


def w(tag: str) -> str:
    return _W + tag


SLOTS = ("ascii", "hAnsi", "eastAsia", "cs")
THEME_ATTR = {"ascii": "asciiTheme", "hAnsi": "hAnsiTheme", "eastAsia": "eastAsiaTheme", "cs": "cstheme"}

# ranges Word always shows in the eastAsia font (CJK, kana, hangul, full-width forms)
_EAST_ASIAN = ((0x2E80, 0x9FFF), (0xAC00, 0xD7AF), (0xF900, 0xFAFF), (0xFE30, 0xFE4F), (0xFF00, 0xFFEF))


def font_name(raw: str | None) -> str | None:
    """The name Word's font box shows for a stored font value: the first non-empty name of a ";" or ","
    separated list, without quotes or surrounding spaces; None for an empty value (which names no font)."""
    if not raw:
        return None
    for piece in re.split(r"[;,]", raw):
        name = piece.strip().strip("\"'").strip()
        if name:
            return name
    return None


@dataclass(frozen=True)
class Fonts:
    ascii: str | None
    hAnsi: str | None
    eastAsia: str | None
    cs: str | None
    hint: str | None = None
    complex_script: bool = False

    def used_by(self, text: str) -> set[str | None]:
        """Fonts Word uses to show ``text``: ascii for U+0000–007F, eastAsia for CJK, hAnsi for other
        letters such as Vietnamese (MS-OI29500 §2.1.88); eastAsia too where the run carries
        ``w:hint="eastAsia"``; cs for complex-script runs."""
        if self.complex_script:
            return {self.cs}
        used = set()
        for ch in text:
            if ch.isspace():
                continue
            o = ord(ch)
            if o < 0x80:
                used.add(self.ascii)
            elif any(lo <= o <= hi for lo, hi in _EAST_ASIAN):
                used.add(self.eastAsia)
            else:
                used.add(self.hAnsi)
                if self.hint == "eastAsia":
                    used.add(self.eastAsia)
        return used


# --- Times New Roman, and names that miss it -------------------------------------------------------------------
TNR = "Times New Roman"
_TNR_KEY = "timesnewroman"


def is_times_new_roman(name: str | None) -> bool:
    """No font named anywhere (Word's built-in default) or Times New Roman in any letter case."""
    return name is None or name.strip().casefold() == TNR.casefold()


def _distance(a: str, b: str, cap: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``cap + 1`` once it is certainly above ``cap``."""
    if abs(len(a) - len(b)) > cap:
        return cap + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > cap:
            return cap + 1
        prev = cur
    return prev[-1]


def misspelt_times_new_roman(name: str | None) -> bool:
    """True for a near miss of "Times New Roman" typed by hand ("Time New Roman", "Times New Roma",
    "TimesNewRoman", "New Times Roman"): a name no computer has, so Word shows another font.

    The real fonts that extend the name by a word ("Times New Roman Cyr", "Times New Roman CE") and fonts
    of another name ("Times", "Tms Rmn") are not misspellings.
    """
    if name is None or is_times_new_roman(name):
        return False
    words = re.findall(r"[a-z0-9]+", name.casefold())
    if len(words) > 3 and words[:3] == ["times", "new", "roman"]:
        return False  # a different real font of the family
    if sorted(words) == ["new", "roman", "times"]:
        return True
    key = "".join(words)
    return key == _TNR_KEY or _distance(key, _TNR_KEY, 2) <= 2


# --- Themes -----------------------------------------------------------------------------------------------------
# language tag (lower case; the primary subtag as a fallback) -> DrawingML script of the theme's <a:font script=…>
_SCRIPTS = {"zh-cn": "Hans", "zh-sg": "Hans", "zh-hans": "Hans", "zh": "Hans", "zh-tw": "Hant", "zh-hk": "Hant",
            "zh-mo": "Hant", "zh-hant": "Hant", "ja": "Jpan", "ko": "Hang", "ar": "Arab", "fa": "Arab", "ur": "Arab",
            "he": "Hebr", "yi": "Hebr", "th": "Thai", "hi": "Deva", "mr": "Deva", "ne": "Deva", "sa": "Deva",
            "bn": "Beng", "ta": "Taml", "te": "Telu", "gu": "Gujr", "kn": "Knda", "ml": "Mlym", "pa": "Guru",
            "or": "Orya", "km": "Khmr", "lo": "Laoo", "si": "Sinh", "my": "Mymr", "ka": "Geor", "hy": "Armn",
            "am": "Ethi", "bo": "Tibt", "mn": "Mong", "syr": "Syrc", "dv": "Thaa", "ug": "Uigh", "vi": "Viet"}
# Word's built-in "Office" theme (Word 2013-2022), used when a package has no theme part: latin faces and the
# script fonts of the scripts above that it names (from a real Word-made theme1.xml)
_OFFICE_THEME = {
    "major": ("Calibri Light", {"Jpan": "游ゴシック Light", "Hang": "맑은 고딕", "Hans": "等线 Light", "Hant": "新細明體",
                                "Arab": "Times New Roman", "Hebr": "Times New Roman", "Thai": "Angsana New",
                                "Viet": "Times New Roman"}),
    "minor": ("Calibri", {"Jpan": "游明朝", "Hang": "맑은 고딕", "Hans": "等线", "Hant": "新細明體", "Arab": "Arial",
                          "Hebr": "Arial", "Thai": "Cordia New", "Viet": "Arial"}),
}


def _typeface(el) -> str | None:
    return font_name(el.get("typeface")) if el is not None else None


def _script(lang: str | None) -> str | None:
    if not lang:
        return None
    lang = lang.strip().lower()
    return _SCRIPTS.get(lang) or _SCRIPTS.get(lang.split("-")[0])


class Theme:
    """The theme fonts of a document, as Word resolves ``major…``/``minor…`` references.

    * ``…Ascii``/``…HAnsi`` take the theme's latin typeface.
    * ``…EastAsia``/``…Bidi`` take the ea/cs typeface; when it is empty (``<a:ea typeface=""/>`` is usual) they
      take the theme's ``<a:font script=…>`` for the document's East Asian / complex-script language
      (``w:themeFontLang`` in settings, else the ``w:lang`` of the document defaults), as Word does; without
      such a language or font, the latin typeface (the choice made here: Word then shows the body font).
    * No theme part at all: Word's built-in Office theme (Calibri Light / Calibri) with the same rules.
    """

    def __init__(self, font_scheme=None, east_asian_lang: str | None = None, bidi_lang: str | None = None):
        self.faces: dict[str, tuple[str | None, str | None, str | None, dict[str, str]]] = {}
        for kind in ("major", "minor"):
            el = font_scheme.find(f"{_A}{kind}Font") if font_scheme is not None else None
            if el is None:
                latin, scripts = _OFFICE_THEME[kind]
                self.faces[kind] = (latin, None, None, scripts)
                continue
            latin, ea, cs = (_typeface(el.find(f"{_A}{tag}")) for tag in ("latin", "ea", "cs"))
            scripts = {f.get("script"): _typeface(f) for f in el.iter(f"{_A}font") if _typeface(f)}
            self.faces[kind] = (latin or _OFFICE_THEME[kind][0], ea, cs, scripts)
        self.ea_script, self.cs_script = _script(east_asian_lang), _script(bidi_lang)

    @classmethod
    def of(cls, pkg, main: str, defaults_rpr) -> "Theme":
        scheme = None
        for part in pkg.related(main, "theme"):
            scheme = pkg.xml(part).find(f".//{_A}fontScheme")
            if scheme is not None:
                break
        langs = {"eastAsia": None, "bidi": None}
        lang = defaults_rpr.find(w("lang")) if defaults_rpr is not None else None
        tfl = None
        for part in pkg.related(main, "settings"):
            try:
                tfl = pkg.xml(part).find(w("themeFontLang"))
            except CchcError:  # a damaged settings part costs the languages, not the document
                tfl = None
        for key in langs:
            for el in (tfl, lang):
                if el is not None and el.get(w(key)):
                    langs[key] = el.get(w(key))
                    break
        return cls(scheme, langs["eastAsia"], langs["bidi"])

    def resolve(self, token: str) -> str | None:
        kind = "major" if token.startswith("major") else "minor"
        latin, ea, cs, scripts = self.faces[kind]
        if token.endswith("EastAsia"):
            return ea or scripts.get(self.ea_script or "") or latin
        if token.endswith("Bidi"):
            return cs or scripts.get(self.cs_script or "") or latin
        return latin


# --- Styles -----------------------------------------------------------------------------------------------------
def val(el, path: str) -> str | None:
    found = el.find(path)
    return found.get(w("val")) if found is not None else None


class Styles:
    """Document defaults, styles and theme of one package; resolves the fonts of any run."""

    def __init__(self, pkg, main: str):
        self.defaults: dict[str, object] = {}
        self.styles: dict[str, object] = {}
        self.default_para: str | None = None
        self.default_table: str | None = None
        styles = pkg.related(main, "styles")
        root = pkg.xml(styles[0]) if styles else None
        rpr = root.find(f"{_W}docDefaults/{_W}rPrDefault/{_W}rPr") if root is not None else None
        self.theme = Theme.of(pkg, main, rpr)
        if root is not None:
            self.defaults = self._props(rpr)
            for st in root.iter(w("style")):
                sid = st.get(w("styleId"))
                if sid is None:
                    continue
                self.styles[sid] = st
                if st.get(w("default")) in ("1", "true", "on"):
                    typ = st.get(w("type"))
                    if typ == "paragraph":
                        self.default_para = sid
                    elif typ == "table":
                        self.default_table = sid
        self._chain_cache: dict[str | None, dict] = {}
        self._cache: dict[tuple, tuple[Fonts, bool]] = {}

    def _props(self, rpr) -> dict:
        """The font slots, hint, vanish and cs flags set on one rPr element."""
        out: dict[str, object] = {}
        if rpr is None:
            return out
        rf = rpr.find(w("rFonts"))
        if rf is not None:
            for s in SLOTS:
                theme = rf.get(w(THEME_ATTR[s]))
                literal = rf.get(w(s))
                if theme is not None:  # a theme attribute beats a literal in the same element
                    out[s] = self.theme.resolve(theme)
                elif font_name(literal):  # LibreOffice writes w:cs="": an empty name sets nothing
                    out[s] = font_name(literal)
            if rf.get(w("hint")):
                out["hint"] = rf.get(w("hint"))
        for flag in ("vanish", "cs", "rtl"):  # toggles, kept apart from the font slot names
            el = rpr.find(w(flag))
            if el is not None:
                out["flag:" + flag] = el.get(w("val"), "true") not in ("0", "false", "off")
        return out

    def _style_chain(self, sid: str | None) -> dict:
        """Merged run properties of a style and its basedOn ancestors (ancestors first)."""
        if sid in self._chain_cache:
            return self._chain_cache[sid]
        chain, seen, cur = [], set(), sid
        while cur and cur in self.styles and cur not in seen:
            seen.add(cur)
            st = self.styles[cur]
            chain.append(st)
            based = st.find(w("basedOn"))
            cur = based.get(w("val")) if based is not None else None
        merged: dict = {}
        for st in reversed(chain):
            merged.update(self._props(st.find(w("rPr"))))
        self._chain_cache[sid] = merged
        return merged

    def resolve(self, tbl_style: str | None, p_style: str | None, r_style: str | None, rpr) -> tuple[Fonts, bool]:
        direct_key = None if rpr is None else _rpr_key(rpr)
        key = (tbl_style, p_style, r_style, direct_key)
        hit = self._cache.get(key)
        if hit is None:
            acc: dict = dict(self.defaults)
            if tbl_style:
                acc.update(self._style_chain(tbl_style))
            acc.update(self._style_chain(p_style or self.default_para))
            if r_style:
                acc.update(self._style_chain(r_style))
            acc.update(self._props(rpr))
            fonts = Fonts(*(acc.get(s) for s in SLOTS), hint=acc.get("hint"),
                          complex_script=bool(acc.get("flag:cs") or acc.get("flag:rtl")))
            hit = self._cache[key] = (fonts, bool(acc.get("flag:vanish")))
        return hit


def _rpr_key(rpr) -> tuple:
    rf = rpr.find(w("rFonts"))
    fonts = tuple(sorted(rf.attrib.items())) if rf is not None else ()
    flags = tuple((f, rpr.find(w(f)).get(w("val"), "1")) for f in ("vanish", "cs", "rtl") if rpr.find(w(f)) is not None)
    return fonts + flags
