"""Issue 15: the published annex says what each number is (a status column and a note under each table; the
decision stays a DỰ THẢO and `cchc generate decision` names the units holding it back), one number style
(``[documents] decimals``) in every document and workbook, and dates that mean something (the plan's from
``[documents] plan_date`` or blank, a draft keeping the day it was first drafted unless ``--today``)."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from automation.app import generate
from automation.cli import main
from automation.config import init_workspace, load_settings, parse_settings
from automation.ledger.db import LEDGER_NAME, MIGRATIONS, Ledger
from automation.problems import ConfigError
from automation.vntext import number, number_format
from tests.documents.test_generate import all_text

TWO = re.compile(r"^-?\d+,\d\d$")


def mixed_workspace(root: Path, toml_extra: str = ""):
    """28 units appraised and surveyed, but the 2nd unit (by code order) has a criterion not appraised yet
    (Tạm tính) and the 3rd has no survey score (Chưa có điều tra XHH)."""
    from automation.appraisal.workbook import workbook_path, write_workbook
    from automation.scoring.framework import workspace_framework
    from automation.scoring.table import Row, Table, compute_table

    ws = init_workspace(root)
    if toml_extra:
        toml = ws / "cchc.toml"
        toml.write_text(toml.read_text(encoding="utf-8").replace("[documents]\n", "[documents]\n" + toml_extra, 1),
                        encoding="utf-8")
    settings = load_settings(ws)
    fw = workspace_framework(settings)
    units = list(settings.units)
    rows, survey = [], {}
    for i, u in enumerate(units):
        share = Decimal(100 - i) / 100  # 87.6-style totals: one decimal unless formatted
        for j, c in enumerate(fw.scored):
            appraised = None if (i == 1 and j == 0) else (c.max_points * share).quantize(Decimal("0.1"))
            rows.append(Row(u.code, u.full_name, c.code, c.content, c.max_points, self_score=c.max_points,
                            appraised=appraised))
        if i != 2:
            survey[u.code] = (Decimal(fw.survey_max) * share).quantize(Decimal("0.1"))
    table = compute_table(Table(rows, survey), fw, settings)
    write_workbook(workbook_path(settings), table, fw, settings)
    return settings, table


@pytest.fixture()
def mixed(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2022-01-10T09:00:00")
    return mixed_workspace(tmp_path / "ws")


def _run(args, capsys):
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


# --- the formatter ---------------------------------------------------------------------------------

def test_one_formatter_for_every_score_and_index():
    assert number(Decimal("87.6")) == "87,60" and number(Decimal("90.1")) == "90,10" and number(2) == "2,00"
    assert number(Decimal("0.125")) == "0,13" and number(Decimal("-1.5")) == "-1,50"
    assert number(Decimal("-0.001")) == "0,00"  # no "-0,00"
    assert number(Decimal("87.65"), 1) == "87,7" and number(Decimal("87.4"), 0) == "87"
    assert number(87.605) == "87,61" and number(None) == "" and number("chưa chấm") == "chưa chấm"
    assert number_format() == "0.00" and number_format(1) == "0.0" and number_format(0) == "0"


# --- the annex and the DỰ THẢO ---------------------------------------------------------------------

def test_annex_marks_each_result_and_the_cli_names_the_units_holding_the_decision(mixed, capsys):
    settings, table = mixed
    held = [r for r in sorted(table.results, key=lambda r: r.rank) if r.status != "Chính thức"]
    assert sorted(r.status for r in held) == ["Chưa có điều tra XHH", "Tạm tính"]
    code, out, err = _run(["generate", "decision", "--workspace", str(settings.workspace)], capsys)
    assert code == 0 and "Traceback" not in err
    line = next(x for x in out.splitlines() if x.startswith("Quyết định còn là DỰ THẢO"))
    assert line == ("Quyết định còn là DỰ THẢO vì 2 đơn vị chưa chính thức: "
                    + ", ".join(f"{r.name} ({r.status})" for r in held) + ".")
    path = settings.path("outbox", "du-thao", "quyet-dinh-2021.docx")
    doc = Document(path)
    assert "DỰ THẢO" in all_text(path)
    [annex] = [t for t in doc.tables if t.rows[0].cells[0].text == "Xếp hạng"]
    assert [c.text for c in annex.rows[0].cells][-1] == "Tình trạng kết quả"
    status = {r.cells[1].text: r.cells[-1].text for r in annex.rows[1:]}
    assert len(status) == 28 and {r.name: r.status for r in table.results} == status
    assert all(TWO.match(r.cells[2].text) and TWO.match(r.cells[3].text) for r in annex.rows[1:])
    text = [p.text for p in doc.paragraphs]
    note = next(p for p in text if p.startswith("Ghi chú: Kết quả của 2/28 đơn vị chưa chính thức."))
    for r in held:
        assert f"{r.status} (1 đơn vị): {r.name}" in note
    assert text.index(note) > text.index("Phụ lục")


def test_a_final_decision_has_no_note_and_no_message(tmp_path, monkeypatch, capsys):
    from tests.documents.test_generate import final_workspace

    monkeypatch.setenv("CCHC_NOW", "2022-01-10T09:00:00")
    settings, _ = final_workspace(tmp_path / "ws")
    code, out, _ = _run(["generate", "decision", "--workspace", str(settings.workspace)], capsys)
    assert code == 0 and "DỰ THẢO" not in out and "sẵn sàng trình ký" in out
    doc = Document(settings.path("outbox", "du-thao", "quyet-dinh-2021.docx"))
    assert not [p for p in doc.paragraphs if p.text.startswith("Ghi chú:")]
    [annex] = [t for t in doc.tables if t.rows[0].cells[0].text == "Xếp hạng"]
    assert {r.cells[-1].text for r in annex.rows[1:]} == {"Chính thức"}


def test_each_ranking_group_has_the_column_and_its_own_note(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2022-01-10T09:00:00")
    settings, table = mixed_workspace(tmp_path / "ws")
    toml = settings.workspace / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + '\n[ranking]\ngroups = [{ name = "Thị trấn", kinds = '
                    '["thi_tran"] }, { name = "Xã", kinds = ["xa"] }]\n', encoding="utf-8")
    settings = load_settings(settings.workspace)
    [d] = generate(settings, "decision")
    doc = Document(d.path)
    annex = [t for t in doc.tables if t.rows[0].cells[0].text == "Xếp hạng"]
    assert len(annex) == 2 and all(t.rows[0].cells[-1].text == "Tình trạng kết quả" for t in annex)
    towns = {u.full_name for u in settings.units if u.kind == "thi_tran"}
    held = [r for r in table.results if r.status != "Chính thức"]
    notes = [p.text for p in doc.paragraphs if p.text.startswith("Ghi chú:")]
    want = {("Thị trấn" if r.name in towns else "Xã") for r in held}
    assert len(notes) == len(want)  # a note under each table holding a result not final, only there
    assert sorted(d.held_by) == sorted(f"{r.name} ({r.status})" for r in held) and len(d.held_by) == 2


# --- one number style ------------------------------------------------------------------------------

def test_every_document_kind_writes_two_decimals(mixed):
    settings, table = mixed
    drafts = {(d.kind, d.unit_code): d.path for d in generate(settings, "all")}
    r = next(x for x in table.results if x.status == "Chính thức" and x.total != x.total.to_integral())
    notice = all_text(drafts["notice", r.code])
    sentence = next(x for x in notice.splitlines() if x.startswith("3. Tổng điểm:"))
    assert f"Tổng điểm: {number(r.total)} điểm" in sentence and f"{number(r.index)}%" in sentence
    assert f"Điểm điều tra xã hội học: {number(r.survey)} điểm." in notice
    doc = Document(drafts["notice", r.code])
    grid = next(t for t in doc.tables if t.rows[0].cells[0].text == "Mã")
    assert all(TWO.match(c.text) for row in grid.rows[1:] for c in row.cells[2:5] if c.text)
    report = Document(drafts["report", None])
    ranking = next(t for t in report.tables if t.rows[0].cells[0].text == "STT")
    assert all(TWO.match(c.text) for row in ranking.rows[1:] for c in row.cells[2:7] if c.text != "-")
    averages = [p.text for p in report.paragraphs if p.text.startswith(("- Chỉ số CCHC bình quân", "- Cao nhất"))]
    assert len(averages) == 2 and all(re.search(r"\d+,\d\d%", x) for x in averages)
    # no sentence with a score of one decimal beside one of two ("87,6 điểm" beside "87,60%"); the tables'
    # numbers are checked above (the criteria's own wording, "0,5 điểm" in a "Nội dung" cell, is the framework's)
    for path in drafts.values():
        text = "\n".join(p.text for p in Document(path).paragraphs)
        assert not re.search(r"\b\d+,\d(?!\d)\s*(điểm|%)", text), path.name


def test_configured_decimals_in_documents_and_workbooks(tmp_path, monkeypatch):
    from automation.appraisal.workbook import workbook_path
    from automation.app import write_status

    monkeypatch.setenv("CCHC_NOW", "2022-01-10T09:00:00")
    settings, table = mixed_workspace(tmp_path / "ws", "decimals = 1\n")
    assert settings.documents.decimals == 1
    [d] = generate(settings, "decision")
    [annex] = [t for t in Document(d.path).tables if t.rows[0].cells[0].text == "Xếp hạng"]
    assert all(re.fullmatch(r"\d+,\d", r.cells[3].text) for r in annex.rows[1:])
    wb = openpyxl.load_workbook(workbook_path(settings), keep_vba=True)
    th = wb["TongHop"]
    assert {th.cell(2, c).number_format for c in (3, 4, 5, 6, 7)} == {"0.0"}
    assert isinstance(th.cell(2, 7).value, (int, float))  # the index is a number, not text
    td = wb["ThamDinh"]
    assert td["E2"].number_format == "0.0" and isinstance(td["E2"].value, (int, float))
    status = openpyxl.load_workbook(write_status(settings))["TrangThai"]
    heads = [c.value for c in status[1]]
    col = next(i for i, h in enumerate(heads, start=1) if h and "Chỉ số" in h)
    assert status.cell(2, col).number_format == "0.0" and isinstance(status.cell(2, col).value, (int, float))


def test_workbooks_default_to_two_decimals(mixed):
    from automation.appraisal.workbook import workbook_path

    settings, _ = mixed
    wb = openpyxl.load_workbook(workbook_path(settings), keep_vba=True)
    assert {wb["TongHop"].cell(2, c).number_format for c in (3, 4, 6, 7)} == {"0.00"}
    assert {wb["ThamDinh"][f"{c}2"].number_format for c in "EFG"} == {"0.00"}


def test_decimals_and_plan_date_keys_are_checked():
    from automation.config import DEFAULT_CONFIG, _load_toml

    data = _load_toml(DEFAULT_CONFIG)
    settings = parse_settings(data)
    assert settings.documents.decimals == 2 and settings.documents.plan_date is None
    for bad, key, words in ((7, "decimals", "phải từ 0 đến 4"), ("2", "decimals", "số nguyên"),
                            ("15/03/2021", "plan_date", "cần ngày")):
        data["documents"][key] = bad
        with pytest.raises(ConfigError) as exc:
            parse_settings(data)
        assert exc.value.problem.params["key"] == f"documents.{key}" and words in exc.value.problem.message
        del data["documents"][key]
    data["documents"]["plan_date"] = dt.date(2021, 3, 15)
    assert parse_settings(data).documents.plan_date == dt.date(2021, 3, 15)


# --- dates -----------------------------------------------------------------------------------------

def _date_line(path: Path) -> str:
    return Document(path).tables[0].cell(1, 1).paragraphs[0].text


def test_the_plan_is_dated_by_the_configuration_or_left_blank(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2021-12-20T09:00:00")
    ws = init_workspace(tmp_path / "ws")
    [plan] = generate(load_settings(ws), "plan")
    assert _date_line(plan.path) == f"Vĩnh Tường, ngày {' ' * 5}tháng {' ' * 5}năm 2021" and plan.dated is None
    toml = ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('plan_number = ""', 'plan_number = "7"\n'
                                                              "plan_date = 2021-03-05"), encoding="utf-8")
    [plan] = generate(load_settings(ws), "plan")
    assert _date_line(plan.path) == "Vĩnh Tường, ngày 05 tháng 3 năm 2021"
    assert Document(plan.path).tables[0].cell(1, 0).paragraphs[0].text == "Số: 07/KH-UBND"


def test_a_draft_keeps_its_first_date_unless_today_is_asked(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCHC_NOW", "2021-12-20T09:00:00")
    ws = init_workspace(tmp_path / "ws")
    first = {d.kind: d for d in generate(load_settings(ws), "all")}
    assert _date_line(first["report"].path) == "Vĩnh Tường, ngày 20 tháng 12 năm 2021"
    monkeypatch.setenv("CCHC_NOW", "2022-01-05T09:00:00")
    again = {(d.kind, d.unit_code): d for d in generate(load_settings(ws), "all")}
    for (kind, _unit), d in again.items():
        if kind != "plan":
            assert d.dated == dt.date(2021, 12, 20) and "ngày 20 tháng 12 năm 2021" in _date_line(d.path), d.path
    decision = all_text(again["decision", None].path)
    assert "/QĐ-UBND ngày 20 tháng 12 năm 2021 của Chủ tịch" in decision  # the annex cites the same date
    # staff ask for today's date: it is used, and kept from then on
    code, out, _ = _run(["generate", "report", "--today", "--workspace", str(ws)], capsys)
    assert code == 0
    assert _date_line(again["report", None].path) == "Vĩnh Tường, ngày 05 tháng 01 năm 2022"
    monkeypatch.setenv("CCHC_NOW", "2022-01-07T09:00:00")
    [report] = generate(load_settings(ws), "report")
    assert _date_line(report.path) == "Vĩnh Tường, ngày 05 tháng 01 năm 2022"
    notice = next(d for d in generate(load_settings(ws), "notices"))
    assert notice.dated == dt.date(2021, 12, 20)  # --today of the report left the notices' date alone


def test_an_edited_draft_written_beside_keeps_the_date(tmp_path, monkeypatch):
    monkeypatch.setenv("CCHC_NOW", "2021-12-20T09:00:00")
    ws = init_workspace(tmp_path / "ws")
    [report] = generate(load_settings(ws), "report")
    doc = Document(report.path)
    doc.add_paragraph("Sửa tay")
    doc.save(report.path)
    monkeypatch.setenv("CCHC_NOW", "2022-01-05T09:00:00")
    [v2] = generate(load_settings(ws), "report")
    assert v2.path.name == "bao-cao-2021-v2.docx" and "ngày 20 tháng 12 năm 2021" in _date_line(v2.path)


def test_the_migration_takes_the_dates_of_earlier_drafts(tmp_path):
    path = tmp_path / LEDGER_NAME
    db = sqlite3.connect(path)
    for version, sql in MIGRATIONS[:-1]:
        db.executescript(sql)
        db.execute(f"PRAGMA user_version = {version}")
    db.executemany("INSERT INTO drafts (kind, unit_code, path, sha256, final, written_at) VALUES (?, ?, ?, '', 0, ?)",
                   [("report", None, "outbox/du-thao/bao-cao-2021.docx", "2021-12-22T10:00:00"),
                    ("report", None, "outbox/du-thao/bao-cao-2021-v2.docx", "2022-01-03T10:00:00"),
                    ("notice", "09076", "outbox/du-thao/thong-bao/a.docx", "2021-12-21T08:00:00")])
    db.commit()
    db.close()
    with Ledger(path) as ledger:
        assert ledger.drafts.first_drafted("report", None) == dt.date(2021, 12, 22)
        assert ledger.drafts.first_drafted("notice", "09076") == dt.date(2021, 12, 21)
        assert ledger.drafts.first_drafted("decision", None) is None


def test_a_feedback_letter_writes_the_scores_in_the_same_style(tmp_path):
    """The commune's letter on its self-assessment: the score it typed and the criterion's maximum both with two
    decimals ("là 3,00, vượt điểm tối đa 2,50"), not "3" beside "2,5"."""
    from automation.config import default_settings
    from automation.documents.letters import write_feedback
    from automation.ledger.records import WORKBOOK
    from automation.scoring.selfassess import read_self_assessment
    from tests.documents.test_letters import NOW, submission
    from tests.scoring.test_selfassess import FW, lines_of, write

    scores = {"1.1": (1, "KH", ""), "1.2": (Decimal("1.5"), "BC", ""), "1.3": (3, "KL", ""), "2.1": (2, "TB", ""),
              "2.2": (Decimal("0.5"), "", "")}
    _, problems = read_self_assessment(write(tmp_path / "a.xlsx", lines_of(scores)), FW)
    settings = default_settings()
    unit = settings.units.by_code("09079")
    letter = write_feedback(tmp_path / "phan-hoi", submission(kind=WORKBOOK, name="Kim Xa/bieu.xlsx"), unit,
                            problems, settings, now=NOW)
    text = all_text(letter)
    assert "Điểm tự chấm của tiêu chí 1.3 là 3,00, vượt điểm tối đa 2,50." in text
    assert "Tiêu chí 2.2 tự chấm 0,50 điểm" in text
    assert not re.search(r"\b\d+,\d(?!\d)\s*điểm", text)
