"""Formatting findings of a Word document as Word shows it: fonts that are not Times New Roman, and text typed
in a legacy Vietnamese encoding (TCVN3, VNI), one finding per font or encoding per story."""

from __future__ import annotations

from functools import lru_cache

from automation.formats import legacy, wordfonts
from automation.formats.word import Fonts, WordDocument
from automation.problems import Location, Problem, problem

_PART_NAMES = {"header": "đầu trang", "footer": "chân trang", "footnotes": "chú thích", "endnotes": "chú thích cuối"}


def _text_font(text: str, fonts: Fonts) -> str | None:
    return fonts.hAnsi if any(ord(c) > 0x7F for c in text) else fonts.ascii


# runs repeat (the same header cells, names, dates): detection is pure, so remember it
_detect = lru_cache(maxsize=65536)(legacy.detect)


class _LegacyDecoder:
    """``decode(text, fonts)`` for :func:`read_docx`: the Unicode text a legacy-encoded run means, or None.

    ``read_docx`` first hands it every run of the document (:meth:`for_document`), so that runs which read as
    Vietnamese both ways are judged like the rest of their document (:class:`legacy.DocumentEncodings`).
    """

    def __init__(self, encodings: legacy.DocumentEncodings | None = None):
        self.encodings = encodings

    def __call__(self, text: str, fonts: Fonts) -> str | None:
        font = _text_font(text, fonts)
        enc = self.encodings.detect(text, font) if self.encodings else _detect(text, font)
        return legacy.decode(text, enc, font) if enc else None

    def for_document(self, runs: list[tuple[str, Fonts]]) -> "_LegacyDecoder | None":
        """The decoder for a document of these (text, fonts) runs; None when no run is legacy text."""
        fonted = [(text, _text_font(text, fonts)) for text, fonts in runs]
        encodings = legacy.DocumentEncodings(fonted)
        return _LegacyDecoder(encodings) if any(encodings.detect(t, f) for t, f in fonted) else None


decode_legacy = _LegacyDecoder()


def _is_tnr(font: str | None) -> bool:
    # no font named anywhere: Word's built-in default (Times New Roman) applies; letter case does not matter
    return wordfonts.is_times_new_roman(font)


def _font_label(font: str | None) -> str:
    return font or "không xác định"


def format_problems(doc: WordDocument) -> list[Problem]:
    """font.not_times_new_roman (one per font) and encoding.legacy (one per encoding) findings, per story.

    Fonts are judged by the name Word's font box shows (the reader resolves alternate names, CSS lists and
    theme references).  Each story (the body, headers, footers, footnotes, endnotes) gets its own findings: one
    in a header or footer is located there ("đầu trang", "chân trang"); one in the body that stays within one
    table says which table; one spread over the body has no location and counts its runs.  A misspelt
    "Times New Roman" gets the wording that names the misspelling.
    """
    fonts: dict[tuple[str, str | None], list] = {}
    encodings: dict[tuple[str, str], list] = {}
    visible = [run for run in doc.runs if run.visible_text]
    document = legacy.DocumentEncodings([(run.text, _text_font(run.text, run.fonts)) for run in visible])
    for run in visible:
        for font in run.fonts.used_by(run.text):
            if not _is_tnr(font):
                fonts.setdefault((run.part, font), []).append(run)
        enc = document.detect(run.text, _text_font(run.text, run.fonts))
        if enc:
            encodings.setdefault((run.part, enc), []).append(run)
    out = []
    for (_part, enc), runs in encodings.items():
        sample = _sample(runs)
        font = _text_font(sample.text, sample.fonts)
        names = sorted({_font_label(_text_font(r.text, r.fonts)) for r in runs})
        out.append(problem("encoding.legacy", _where(runs), encoding=enc, font="”, “".join(names),
                           sample=_short(sample.text),
                           decoded=_short(sample.shown or legacy.decode(sample.text, enc, font)), count=len(runs)))
    for (_part, font), runs in fonts.items():
        sample = _sample(runs)
        out.append(problem("font.not_times_new_roman", _where(runs),
                           variant="misspelt" if wordfonts.misspelt_times_new_roman(font) else None, font=_font_label(font),
                           sample=_short(sample.shown or sample.text), count=len(runs)))
    return out


def _sample(runs: list) -> object:
    return next((r for r in runs if len(r.text.strip()) > 3), runs[0])


def _where(runs: list) -> Location | None:
    """Where the runs of one finding are (they share a story): the header/footer part, and the table of the
    body when they all lie in one."""
    part = _PART_NAMES.get(runs[0].part)
    tables = {r.table for r in runs}
    table = tables.pop() if len(tables) == 1 else None
    return Location(table=table, part=part) if part or table else None


def _short(text: str, n: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"
