"""`cchc convert`: a Unicode, Times New Roman copy of a legacy-encoded Word file; the original untouched."""

from __future__ import annotations

import hashlib
import re
import shutil
import unicodedata

import pytest
from docx import Document

from automation.check import check_paths
from automation.cli import main
from automation.formats.legacy_docx import unicode_copy
from tests.builders import set_fonts, tnr_document

TCVN3 = {"Nguyễn": "NguyÔn", "Văn": "V¨n", "Thắng": "Th¾ng", "xã": "x·", "Tường": "T\u00adêng"}


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_unicode_copy_of_a_tcvn3_docx(tmp_path, settings):
    doc = tnr_document()
    p = doc.add_paragraph()
    run = p.add_run(" ".join(TCVN3[w] for w in ("Nguyễn", "Văn", "Thắng", "xã", "Tường")))
    set_fonts(run._r, ".VnTime")
    head = doc.add_paragraph().add_run("danh s¸ch")
    set_fonts(head._r, ".VnTimeH")
    doc.add_paragraph("Unicode đã đúng")
    doc.save(tmp_path / "cu.docx")
    before = _sha(tmp_path / "cu.docx")
    result = unicode_copy(tmp_path / "cu.docx", tmp_path / "moi.docx", 10**8)
    assert _sha(tmp_path / "cu.docx") == before
    assert result.runs_decoded == 2
    texts = [p.text for p in Document(tmp_path / "moi.docx").paragraphs]
    assert texts == ["Nguyễn Văn Thắng xã Tường", "DANH SÁCH", "Unicode đã đúng"]
    [rep] = check_paths([tmp_path / "moi.docx"], settings)
    assert not {p.code for p in rep.problems} & {"encoding.legacy", "font.not_times_new_roman"}
    [old] = check_paths([tmp_path / "cu.docx"], settings)
    assert {"encoding.legacy", "font.not_times_new_roman"} <= {p.code for p in old.problems}


@pytest.mark.libreoffice
@pytest.mark.parametrize("name, transcript", [("viparse-tcvn3-2003-02144qd.doc", "2003-02144qd.txt"),
                                              ("viparse-vni-2008-23.QD-991-UBND.doc", "2008-23.QD-991-UBND.txt")])
def test_cchc_convert_on_real_legacy_doc(tmp_path, samples, settings, name, transcript, capsys):
    src = tmp_path / name
    shutil.copyfile(samples / "vn" / name, src)
    before = _sha(src)
    with pytest.raises(SystemExit) as exc:
        main(["convert", str(src)])
    assert exc.value.code == 0
    out = src.with_name(src.stem + "-unicode.docx")
    assert out.exists() and _sha(src) == before and "Đã ghi bản Unicode" in capsys.readouterr().out
    [rep] = check_paths([out], settings)
    assert not {p.code for p in rep.problems} & {"encoding.legacy", "font.not_times_new_roman"}
    words = lambda t: [w for w in re.findall(r"\w+", unicodedata.normalize("NFC", t).casefold())  # noqa: E731
                       if any(ord(c) > 0x7F for c in w)]
    body = "\n".join(p.text for p in Document(out).paragraphs)
    truth = (samples / "vn" / "ground-truth" / transcript).read_text(encoding="utf-8")
    assert set(words(body)) <= set(words(truth)) and len(words(body)) > 100
