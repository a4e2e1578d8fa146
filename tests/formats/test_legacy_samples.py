"""Decoding the real legacy-encoded files of shared/ must match their Unicode transcripts.

The .doc and .xls files are converted by LibreOffice in one batch each, read with their fonts, and
decoded by font (``.VnTime``/``.VnTimeH`` -> TCVN3, ``VNI-*`` -> VNI).  The comparison is on the words
that carry Vietnamese diacritics, case-folded: the transcripts were made with a converter that did not
upper-case ``.VnTimeH`` text, and they lay tables and text boxes out differently.
"""

from __future__ import annotations

import csv
import difflib
import re
import unicodedata

import openpyxl
import pytest

from automation.check import decode_legacy
from automation.formats import legacy
from automation.formats.convert import Converter
from automation.formats.word import Table, read_docx

pytestmark = pytest.mark.libreoffice


def _words(text: str) -> list[str]:
    text = unicodedata.normalize("NFC", text).casefold()
    return [w for w in re.findall(r"\w+", text) if any(ord(c) > 0x7F for c in w)]


def _docx_text(path) -> str:
    doc = read_docx(path, decode=decode_legacy)
    out = []
    for block in doc.blocks:
        if isinstance(block, Table):
            out.extend(c for row in block.rows for c in row)
        else:
            out.append(block.text)
    return "\n".join(out)


def _xlsx_text(path) -> str:
    wb = openpyxl.load_workbook(path)
    out = []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if isinstance(cell.value, str):
                    font = cell.font.name if cell.font else None
                    enc = legacy.detect(cell.value, font)
                    out.append(legacy.decode(cell.value, enc, font) if enc else cell.value)
    return "\n".join(out)


@pytest.fixture(scope="module")
def decoded(samples):
    vn = samples / "vn"
    text = (samples / "MANIFEST.tsv").read_text(encoding="utf-8")
    manifest = list(csv.DictReader(text.splitlines(), delimiter="\t"))
    truth = {}
    for row in manifest:
        if row["path"].startswith("vn/ground-truth/"):
            for src in vn.iterdir():
                if src.name in row["exercises"]:
                    truth[src] = samples / row["path"]
    docs = sorted(p for p in truth if p.suffix == ".doc")
    sheets = sorted(p for p in truth if p.suffix == ".xls")
    assert len(docs) >= 4 and len(sheets) >= 3
    with Converter() as conv:
        converted = {**conv.convert_many(docs, "docx"), **conv.convert_many(sheets, "xlsx")}
        return {src: ((_docx_text(out) if src.suffix == ".doc" else _xlsx_text(out)),
                      truth[src].read_text(encoding="utf-8")) for src, out in converted.items()}


def test_every_legacy_sample_decodes_to_its_transcript(decoded):
    for src, (mine, truth) in decoded.items():
        ours, theirs = _words(mine), _words(truth)
        # every Vietnamese word we produce is a word of the transcript: no mis-decoded letter anywhere
        unknown = sorted(set(ours) - set(theirs))
        assert unknown == [], f"{src.name}: words not in the transcript: {unknown[:10]}"
        ratio = difflib.SequenceMatcher(None, ours, theirs, autojunk=False).ratio()
        assert ratio >= 0.94, f"{src.name}: word sequence differs from the transcript (ratio {ratio:.3f})"


def test_most_samples_match_word_for_word(decoded):
    exact = [src.name for src, (mine, truth) in decoded.items() if _words(mine) == _words(truth)]
    assert len(exact) >= 4, exact
