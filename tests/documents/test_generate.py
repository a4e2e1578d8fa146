"""Drafts in ``outbox/du-thao/``: recorded in the ledger, never overwritten once staff edited them; the year's
documents from the real templates, DỰ THẢO while any unit is provisional, and PDFs in one LibreOffice run."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from automation.config import init_workspace, load_settings
from automation.documents import generate as gen
from automation.app import generate
from automation.documents.generate import Draft, write_draft
from automation.files import sha256_of
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.problems import CchcError, Severity
from tests.documents.test_render import make_template


@pytest.fixture()
def ws(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2021-12-20T09:00:00")
    return init_workspace(tmp_path / "ws")


@pytest.fixture()
def settings(ws):
    s = load_settings(ws)
    make_template(ws / "templates" / "mau.docx", ["{% if du_thao %}DỰ THẢO{% endif %}", "Số lần: {{ n }}"])
    return s


def ledger_row(ws: Path, rel: str):
    with Ledger(ws / LEDGER_NAME) as ledger:
        return ledger.db.execute("SELECT * FROM drafts WHERE path = ?", (rel,)).fetchone()


def staff_edit(path: Path, text: str = "Sửa tay của chuyên viên") -> bytes:
    d = docx.Document(path)
    d.add_paragraph(text)
    d.save(path)
    return path.read_bytes()


def body_text(path: Path) -> str:
    d = docx.Document(path)
    return "\n".join(p.text for p in d.paragraphs)


# --- write_draft -----------------------------------------------------------------------------------------

def test_first_write_records_path_hash_and_flags(settings, ws):
    d = write_draft(settings, "plan", None, "mau.docx", {"du_thao": True, "n": 1}, "ke-hoach-2021.docx")
    assert d == Draft("plan", None, ws / "outbox" / "du-thao" / "ke-hoach-2021.docx", None, False, None)
    assert body_text(d.path) == "DỰ THẢO\nSố lần: 1"
    row = ledger_row(ws, "outbox/du-thao/ke-hoach-2021.docx")
    assert row["sha256"] == sha256_of(d.path) and row["kind"] == "plan" and row["unit_code"] is None
    assert row["final"] == 0 and row["written_at"] == "2021-12-20T09:00:00" and row["sent_at"] is None
    n = write_draft(settings, "notice", "09079", "mau.docx", {"du_thao": False, "n": 2},
                    "thong-bao/thong-bao-xa-kim-xa-2021.docx")
    assert n.final and n.path.parent.name == "thong-bao" and body_text(n.path) == "\nSố lần: 2"
    row = ledger_row(ws, "outbox/du-thao/thong-bao/thong-bao-xa-kim-xa-2021.docx")
    assert row["final"] == 1 and row["unit_code"] == "09079" and row["kind"] == "notice"


def test_an_unedited_draft_is_overwritten(settings, ws):
    first = write_draft(settings, "plan", None, "mau.docx", {"du_thao": True, "n": 1}, "kh.docx")
    again = write_draft(settings, "plan", None, "mau.docx", {"du_thao": False, "n": 2}, "kh.docx")
    assert again.path == first.path and again.replaced_edited is None and again.problems() == []
    assert body_text(again.path) == "\nSố lần: 2"
    assert sorted(p.name for p in first.path.parent.iterdir()) == ["kh.docx"]
    row = ledger_row(ws, "outbox/du-thao/kh.docx")
    assert row["sha256"] == sha256_of(again.path) and row["final"] == 1


def test_an_edited_draft_is_kept_byte_for_byte_and_the_new_one_goes_beside_it(settings, ws):
    first = write_draft(settings, "report", None, "mau.docx", {"du_thao": True, "n": 1}, "bc.docx")
    edited = staff_edit(first.path)
    second = write_draft(settings, "report", None, "mau.docx", {"du_thao": True, "n": 2}, "bc.docx")
    assert first.path.read_bytes() == edited
    assert second.path == first.path.with_name("bc-v2.docx") and second.replaced_edited == first.path
    assert second.kept_reason == gen.EDITED and body_text(second.path) == "DỰ THẢO\nSố lần: 2"
    [warning] = second.problems()
    assert warning.code == "draft.edited" and warning.severity is Severity.WARNING
    assert "bc.docx đã được sửa nên được giữ nguyên" in warning.message and "bc-v2.docx" in warning.message
    assert ledger_row(ws, "outbox/du-thao/bc-v2.docx")["sha256"] == sha256_of(second.path)
    # the v2 the tool wrote and nobody touched is refreshed in place, the edited file still kept
    third = write_draft(settings, "report", None, "mau.docx", {"du_thao": True, "n": 3}, "bc.docx")
    assert third.path == second.path and third.replaced_edited == first.path and first.path.read_bytes() == edited
    assert body_text(third.path) == "DỰ THẢO\nSố lần: 3"
    # staff edit v2 as well: v3, never clobbering either
    edited_v2 = staff_edit(second.path, "Sửa lần hai")
    fourth = write_draft(settings, "report", None, "mau.docx", {"du_thao": False, "n": 4}, "bc.docx")
    assert fourth.path.name == "bc-v3.docx" and fourth.replaced_edited == second.path
    assert first.path.read_bytes() == edited and second.path.read_bytes() == edited_v2
    assert body_text(fourth.path) == "\nSố lần: 4"
    assert sorted(p.name for p in first.path.parent.iterdir()) == ["bc-v2.docx", "bc-v3.docx", "bc.docx"]


def test_files_open_in_word_sent_or_not_written_by_the_tool_are_kept(settings, ws):
    folder = ws / "outbox" / "du-thao"
    folder.mkdir(parents=True)
    (folder / "la.docx").write_bytes(b"a file staff put here")
    d = write_draft(settings, "plan", None, "mau.docx", {"du_thao": True, "n": 1}, "la.docx")
    assert d.path.name == "la-v2.docx" and d.kept_reason == gen.NOT_OURS
    assert (folder / "la.docx").read_bytes() == b"a file staff put here"

    mo = write_draft(settings, "plan", None, "mau.docx", {"du_thao": True, "n": 1}, "mo-trong-word.docx")
    (folder / "~$-trong-word.docx").write_bytes(b"owner")  # Word's owner file while the draft is open
    again = write_draft(settings, "plan", None, "mau.docx", {"du_thao": True, "n": 2}, "mo-trong-word.docx")
    assert again.path.name == "mo-trong-word-v2.docx" and again.replaced_edited == mo.path
    assert again.kept_reason == gen.OPEN and "đang mở trong Word" in again.problems()[0].message
    (folder / "~$-trong-word.docx").unlink()

    sent = write_draft(settings, "notice", "09079", "mau.docx", {"du_thao": True, "n": 1}, "gui.docx")
    with Ledger(ws / LEDGER_NAME) as ledger:
        ledger.db.execute("UPDATE drafts SET sent_at = '2021-12-21T08:00:00' WHERE path = ?",
                          ("outbox/du-thao/gui.docx",))
    before = sent.path.read_bytes()
    again = write_draft(settings, "notice", "09079", "mau.docx", {"du_thao": True, "n": 2}, "gui.docx")
    assert again.path.name == "gui-v2.docx" and again.kept_reason == gen.SENT and sent.path.read_bytes() == before


def test_a_failing_render_leaves_the_draft_and_no_temp_file(settings, ws):
    first = write_draft(settings, "plan", None, "mau.docx", {"du_thao": True, "n": 1}, "kh.docx")
    before = first.path.read_bytes()
    make_template(ws / "templates" / "hong.docx", ["{{ n }} {{ khong_co }}"])
    with pytest.raises(CchcError) as err:
        write_draft(settings, "plan", None, "hong.docx", {"n": 2}, "kh.docx")
    assert err.value.code == "template.error" and "khong_co" in str(err.value) and "hong.docx" in str(err.value)
    assert [p.name for p in first.path.parent.iterdir()] == ["kh.docx"] and first.path.read_bytes() == before
    assert ledger_row(ws, "outbox/du-thao/kh.docx")["sha256"] == sha256_of(first.path)


def test_generate_rejects_an_unknown_kind(settings):
    with pytest.raises(CchcError) as err:
        generate(settings, "letters")
    assert err.value.code == "usage.bad_argument" and "letters" in str(err.value)


# --- generate with the real context builders and templates ---------------------------------------------------

def _context_module():
    try:
        from automation.documents import context
    except ImportError as exc:
        pytest.skip(f"automation.documents.context cannot be imported yet ({exc})")
    from automation.documents.render import SHIPPED_TEMPLATES

    missing = [n for n in context.TEMPLATES.values() if not (SHIPPED_TEMPLATES / n).is_file()]
    if missing:
        pytest.skip(f"the shipped templates are not there yet: {', '.join(missing)}")
    return context


def all_text(path: Path) -> str:
    """Every text of a .docx (body, tables, headers, footers), paragraphs on their own lines."""
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if re.fullmatch(r"word/(document|header\d*|footer\d*)\.xml", name):
                xml = z.read(name).decode("utf-8")
                for para in re.findall(r"<w:p[ >].*?</w:p>", xml, re.DOTALL):
                    text = "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", para))
                    out.append(text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
    return "\n".join(out)


def final_workspace(root: Path, spread: bool = True):
    """A workspace whose appraisal is complete: every criterion appraised, every unit surveyed."""
    from automation.appraisal.workbook import workbook_path, write_workbook
    from automation.scoring.table import Row, Table, compute_table
    from automation.scoring.framework import workspace_framework

    ws = init_workspace(root)
    settings = load_settings(ws)
    fw = workspace_framework(settings)
    rows, survey = [], {}
    for i, u in enumerate(settings.units):
        share = Decimal(100 - 2 * i) / 100 if spread else Decimal(1)
        for c in fw.scored:
            rows.append(Row(u.code, u.full_name, c.code, c.content, c.max_points, self_score=c.max_points,
                            appraised=(c.max_points * share).quantize(Decimal("0.01"))))
        survey[u.code] = Decimal(fw.survey_max) * share if fw.survey_max else Decimal(0)
    table = compute_table(Table(rows, survey), fw, settings)
    write_workbook(workbook_path(settings), table, fw, settings)
    return settings, table


def test_all_documents_say_draft_while_units_are_provisional(ws):
    _context_module()
    settings = load_settings(ws)
    drafts = generate(settings, "all")
    out = ws / "outbox" / "du-thao"
    year = settings.year
    assert [d.kind for d in drafts].count("notice") == len(settings.units) == 28
    names = {d.path.relative_to(out).as_posix() for d in drafts}
    assert {f"ke-hoach-{year}.docx", f"bao-cao-{year}.docx", f"quyet-dinh-{year}.docx"} <= names
    assert {f"thong-bao/thong-bao-{u.slug}-{year}.docx" for u in settings.units} <= names and len(names) == 31
    assert all(not d.final and d.pdf is None and d.replaced_edited is None for d in drafts)
    for d in drafts:
        assert "DỰ THẢO" in all_text(d.path), d.path.name
    with Ledger(ws / LEDGER_NAME) as ledger:
        rows = ledger.db.execute("SELECT path, sha256, final FROM drafts").fetchall()
    assert len(rows) == 31 and all(r["final"] == 0 for r in rows)
    assert not list(out.rglob(".~cchc-*"))


def test_final_documents_do_not_say_draft(tmp_path, monkeypatch):
    _context_module()
    monkeypatch.setenv("CCHC_NOW", "2022-01-10T09:00:00")
    settings, table = final_workspace(tmp_path / "ws")
    drafts = generate(settings, "all")
    assert len(drafts) == 31 and all(d.final for d in drafts)
    for d in drafts:
        assert "DỰ THẢO" not in all_text(d.path), d.path.name
    decision = all_text(next(d.path for d in drafts if d.kind == "decision"))
    first, last = table.results[0], table.results[-1]
    assert first.name in decision and last.name in decision
    assert decision.index(first.name) < decision.index(last.name)


def test_an_edited_notice_survives_a_second_run(ws):
    _context_module()
    settings = load_settings(ws)
    generate(settings, "notices")
    unit = settings.units.units[0]
    path = ws / "outbox" / "du-thao" / "thong-bao" / f"thong-bao-{unit.slug}-{settings.year}.docx"
    edited = staff_edit(path)
    drafts = generate(settings, "notices")
    kept = [d for d in drafts if d.replaced_edited]
    assert [(d.replaced_edited, d.path.name) for d in kept] == [(path, path.stem + "-v2.docx")]
    assert path.read_bytes() == edited
    assert all(d.path.parent == path.parent and not re.search(r"-v\d+$", d.path.stem)
               for d in drafts if d is not kept[0])


def test_a_template_missing_a_variable_stops_before_any_file_is_written(ws):
    context = _context_module()
    settings = load_settings(ws)
    make_template(ws / "templates" / context.TEMPLATES["plan"], ["Kế hoạch {{ bien_khong_co }}"])
    with pytest.raises(CchcError) as err:
        generate(settings, "all")
    assert err.value.code == "template.error"
    assert context.TEMPLATES["plan"] in str(err.value) and "bien_khong_co" in str(err.value)
    assert not (ws / "outbox" / "du-thao").exists() or not any((ws / "outbox" / "du-thao").rglob("*.docx"))


def test_the_workbook_open_in_excel_is_read_not_written(tmp_path, monkeypatch):
    _context_module()
    from automation.appraisal.workbook import workbook_path

    settings, _ = final_workspace(tmp_path / "ws")
    path = workbook_path(settings)
    (path.parent / ("~$" + path.name[2:])).write_bytes(b"owner")
    before = path.stat().st_mtime_ns, path.read_bytes()
    drafts = generate(settings, "decision")
    assert (path.stat().st_mtime_ns, path.read_bytes()) == before
    assert [d.kind for d in drafts] == ["decision"] and drafts[0].final


@pytest.mark.libreoffice
def test_pdf_for_every_draft_in_one_libreoffice_process(tmp_path, monkeypatch):
    _context_module()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext is not installed")
    from automation.formats.convert import Converter

    monkeypatch.setenv("CCHC_NOW", "2022-01-10T09:00:00")
    settings, table = final_workspace(tmp_path / "ws")
    runs = []
    real_run = Converter._run

    def counting_run(self, names, *args, **kw):
        runs.append(len(names))
        return real_run(self, names, *args, **kw)

    monkeypatch.setattr(Converter, "_run", counting_run)
    drafts = generate(settings, "all", pdf=True)
    assert runs == [31]
    assert all(d.pdf == d.path.with_suffix(".pdf") and d.pdf.read_bytes().startswith(b"%PDF") for d in drafts)
    assert all(d.pdf_error is None for d in drafts)
    decision = next(d for d in drafts if d.kind == "decision")
    text = subprocess.run(["pdftotext", "-layout", str(decision.pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    text = " ".join(text.split())
    assert "DỰ THẢO" not in text
    pos = []
    for r in table.results:  # "<rank> <unit> [<total>] <index with a decimal comma>", in rank order
        index = f"{r.index:.2f}".replace(".", ",")
        hit = re.search(rf"(?<!\d){r.rank} {re.escape(r.name)} (?:[\d,]+ )?{re.escape(index)}(?![\d,])", text)
        assert hit, (r.rank, r.name, index)
        pos.append(hit.start())
    assert pos == sorted(pos) and len(set(r.rank for r in table.results)) == 28
