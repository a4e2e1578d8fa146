"""The Decree 30 layout helpers on their own: the XML they write, read back by python-docx and rendered by
docxtpl (the template tags they carry)."""

from __future__ import annotations

import jinja2
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate

from automation.formats import decree30 as d30
from automation.formats import docx_write as dw


def _doc(xml: str, path):
    doc = dw.new_document()
    d30.append(doc, xml)
    doc.save(path)
    return Document(path)


def test_header_without_number_is_one_row_and_the_rules_are_borders(tmp_path):
    doc = _doc(d30.header(["ỦY BAN NHÂN DÂN XÃ A"], parent=["UBND HUYỆN B"]), tmp_path / "h.docx")
    [head] = doc.tables
    assert len(head.rows) == 1
    parent, body, rule = head.cell(0, 0).paragraphs
    assert (parent.text, body.text, rule.text) == ("UBND HUYỆN B", "ỦY BAN NHÂN DÂN XÃ A", "")
    assert parent.runs[0].bold is False and body.runs[0].bold is True
    for p in (rule, head.cell(0, 1).paragraphs[-1]):
        assert p._p.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:top')}") is not None
    # 20 mm under the body, 59 mm (the motto's length) under the motto, centred in their cells
    left = rule.paragraph_format.left_indent
    assert abs(left - Mm((63 - 4 - 20) / 2)) < Mm(0.1) and rule.paragraph_format.right_indent == left
    assert all(abs(c.width - Mm(w)) < Mm(0.1) for c, w in zip(head.rows[0].cells, (63, 102)))


def test_signature_lines_space_and_name(tmp_path):
    xml = d30.signature(authority=[], titles=["CHỦ TỊCH"], name="Nguyễn Văn A", recipients=["Như trên", "X"],
                        archive="")
    doc = _doc(xml, tmp_path / "s.docx")
    [sign] = doc.tables
    assert [p.text for p in sign.cell(0, 0).paragraphs] == ["Nơi nhận:", "- Như trên;", "- X;", "- Lưu: VT."]
    assert [p.text for p in sign.cell(0, 1).paragraphs] == ["CHỦ TỊCH", "", "", "", "", "Nguyễn Văn A"]
    assert doc.paragraphs[-1].paragraph_format.keep_with_next  # the spacer goes with the block


def test_template_tags_are_their_own_paragraphs_and_render_away(tmp_path):
    each = [d30.Tag("{%p for x in people %}"), "{{ x }}", d30.Tag("{%p endfor %}")]
    xml = d30.signature(authority=[d30.Tag("{%p if a %}"), "{{ a }}", d30.Tag("{%p endif %}")], titles=each,
                        name="{{ n }}", recipients=[d30.Tag("{%p for r in rs %}"), "{{ r }}", d30.Tag("{%p endfor %}")],
                        archive="{{ luu }}")
    _doc(xml, tmp_path / "t.docx")
    tpl = DocxTemplate(tmp_path / "t.docx")
    tpl.render({"a": "", "people": ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"], "n": "B & C", "rs": ["Như trên"], "luu": "NV"},
               jinja_env=jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True))
    tpl.save(tmp_path / "r.docx")
    [sign] = Document(tmp_path / "r.docx").tables
    assert [p.text for p in sign.cell(0, 0).paragraphs] == ["Nơi nhận:", "- Như trên;", "- Lưu: VT, NV."]
    assert [p.text for p in sign.cell(0, 1).paragraphs if p.text] == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "B & C"]
