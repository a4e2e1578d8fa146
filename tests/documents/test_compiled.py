"""A template parsed once (``documents/compiled``) renders every part byte for byte as a fresh
``DocxTemplate`` renders and saves it, and a template edited on disk is read again."""

from __future__ import annotations

import io
import os
import zipfile

import docx
import pytest
from docxtpl import DocxTemplate, RichText

from automation.documents.render import jinja_env, render_docx
from tests.documents.test_render import make_template, texts


def parts(path_or_buf) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(path_or_buf) as z:
        return [(i.filename, z.read(i)) for i in z.infolist()]


def docxtpl_parts(template, context) -> list[tuple[str, bytes]]:
    tpl = DocxTemplate(str(template))
    tpl.render(context, jinja_env())
    buf = io.BytesIO()
    tpl.save(buf)
    return parts(buf)


def with_properties(path, title: str):
    d = docx.Document(path)
    d.core_properties.title = title
    d.save(path)
    return path


CONTEXT = {"name": 'A & B <c> "d"', "lines": "một\nhai\tba\fbốn\ané", "head": "UBND <huyện>", "foot": "Trang",
           "rt": RichText("đậm", bold=True), "rows": [["1", "Kim Xá"], ["2", "Yên Bình"]], "n": 7}


def test_every_part_as_docxtpl_writes_it(tmp_path):
    tpl = with_properties(make_template(
        tmp_path / "t.docx", ["Kính gửi: {{ name }}", "{{ lines }}", "Trước {{r rt }} sau", "{% if n > 5 %}nhiều{% endif %}"],
        header="{{ head }}", footer="{{ foot }} {{ n }}",
        table=[["STT", "Đơn vị"], ["{%tr for r in rows %}", ""], ["{{ r[0] }}", "{{ r[1] }}"], ["{%tr endfor %}", ""]]),
        "Thông báo {{ n }}")
    for n in (1, 2):  # the second from the cache
        out = render_docx(tpl, {**CONTEXT, "n": n * 7}, tmp_path / f"r{n}.docx")
        assert parts(out) == docxtpl_parts(tpl, {**CONTEXT, "n": n * 7})
    d = docx.Document(out)
    assert d.core_properties.title == "Thông báo 14" and d.sections[0].footer.paragraphs[0].text == "Trang 14"
    assert [row.cells[1].text for row in d.tables[0].rows] == ["Đơn vị", "Kim Xá", "Yên Bình"]


@pytest.fixture(scope="module")
def year_jobs(tmp_path_factory):
    """The plan, one notice, the report and the decision of the shipped workspace, with their real contexts."""
    import datetime as dt

    from automation.app import _ws, appraisal_table
    from automation.config import init_workspace, load_settings
    from automation.documents import generate as gen
    from automation.ledger import open_ledger

    settings = load_settings(init_workspace(tmp_path_factory.mktemp("year") / "ws"))
    ws = _ws(settings)
    with open_ledger(ws.ledger_path) as ledger:
        table = appraisal_table(ws, ledger)
        jobs = gen._jobs(settings, "all", table, ledger.submissions.all(), True,
                         lambda kind, unit_code: dt.date(2021, 12, 20))
    first = {}
    for job in jobs:
        first.setdefault(job.kind, job)
    return settings, first


@pytest.mark.parametrize("kind", ["plan", "notice", "report", "decision"])
def test_the_shipped_templates_as_docxtpl_writes_them(tmp_path, year_jobs, kind):
    from automation.documents.render import template_path

    settings, jobs = year_jobs
    template = template_path(settings, jobs[kind].template)
    out = render_docx(template, jobs[kind].context, tmp_path / f"{kind}.docx")
    assert parts(out) == docxtpl_parts(template, jobs[kind].context)


def test_a_template_edited_on_disk_is_read_again(tmp_path):
    tpl = make_template(tmp_path / "mau.docx", ["Bản một {{ n }}"])
    assert texts(render_docx(tpl, {"n": 1}, tmp_path / "a.docx")) == ["Bản một 1"]
    make_template(tpl, ["Bản hai {{ n }}"])
    st = tpl.stat()
    os.utime(tpl, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))  # even on a file system with coarse times
    assert texts(render_docx(tpl, {"n": 2}, tmp_path / "b.docx")) == ["Bản hai 2"]


def test_a_failed_render_leaves_the_kept_template_whole(tmp_path):
    from automation.problems import CchcError

    tpl = make_template(tmp_path / "mau.docx", ["{{ a }}", "{{ b }}"], header="{{ a }}")
    with pytest.raises(CchcError):
        render_docx(tpl, {"a": "x"}, tmp_path / "bad.docx")
    out = render_docx(tpl, {"a": "x", "b": "y"}, tmp_path / "good.docx")
    assert texts(out) == ["x", "y"] and parts(out) == docxtpl_parts(tpl, {"a": "x", "b": "y"})
