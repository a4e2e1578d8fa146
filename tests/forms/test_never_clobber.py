"""A regenerated form, entry workbook or status sheet never replaces a file staff typed into."""

import datetime as dt

import openpyxl

from automation import app
from automation.config import load_settings
from automation.forms.self_assessment import write_forms
from automation.forms.survey import write_survey_forms
from automation.scoring.framework import workspace_framework
from automation.survey.model import SampledPerson
from automation.survey.questions import workspace_questions


def _type_into(path, cell="A1", value="cán bộ đã sửa"):
    wb = openpyxl.load_workbook(path)
    wb.active[cell] = value
    wb.save(path)


def test_forms_kept_when_edited_and_replaced_when_not(fast_ws):
    settings = load_settings(fast_ws)
    framework = workspace_framework(settings)
    first = write_forms(fast_ws / "outbox", settings, framework)
    again = write_forms(fast_ws / "outbox", settings, framework)
    assert again.workbooks == first.workbooks and again.kept == []  # untouched: replaced in place
    edited = first.workbooks[3]
    _type_into(edited)
    before = edited.read_bytes()
    third = write_forms(fast_ws / "outbox", settings, framework)
    assert edited.read_bytes() == before  # staff's file, byte for byte
    [kept] = third.kept
    assert kept.kept == edited and kept.reason == "đã được sửa"
    assert kept.path == edited.with_name(f"{edited.stem}-v2{edited.suffix}") and kept.path in third.workbooks
    fourth = write_forms(fast_ws / "outbox", settings, framework)  # the -v2 the tool wrote may be replaced
    assert fourth.kept[0].path == kept.path and edited.read_bytes() == before


def test_a_file_the_tool_did_not_write_is_never_replaced(fast_ws):
    settings = load_settings(fast_ws)
    folder = fast_ws / "outbox" / "bieu-mau"
    folder.mkdir(parents=True)
    own = folder / f"mau-danh-sach-{settings.year}.docx"
    own.write_bytes(b"the office's own list template")
    result = write_forms(fast_ws / "outbox", settings, workspace_framework(settings))
    assert own.read_bytes() == b"the office's own list template"
    assert result.list_template.name == f"mau-danh-sach-{settings.year}-v2.docx"
    assert result.kept[0].reason == "không do chương trình ghi"


def test_the_entry_workbook_with_answers_typed_in_is_kept(fast_ws):
    settings = load_settings(fast_ws)
    people = [SampledPerson("09079-01", "09079", "Xã Kim Xá", "Nguyễn Văn An", "Thôn Đông", "0912345678",
                            "Hộ tịch", "Khai sinh")]
    questions = workspace_questions(settings)
    first = write_survey_forms(fast_ws / "outbox", settings, questions, people)
    _type_into(first.entry_workbook, "E2", "Hài lòng")  # the answers staff typed
    typed = first.entry_workbook.read_bytes()
    again = write_survey_forms(fast_ws / "outbox", settings, questions, people)
    assert first.entry_workbook.read_bytes() == typed
    assert again.entry_workbook.name == f"nhap-phieu-{settings.year}-v2.xlsx"
    assert [k.kept for k in again.kept] == [first.entry_workbook]


def test_the_status_sheet_of_the_day_is_kept_when_edited(fast_ws):
    settings = load_settings(fast_ws)
    day = dt.date(2021, 10, 25)
    path = app.write_status(settings, day)
    assert app.write_status(settings, day) == path
    _type_into(path, "A1", "ghi chú của cán bộ")
    before = path.read_bytes()
    again = app.write_status(settings, day)
    assert path.read_bytes() == before and again == path.with_name(f"{path.stem}-v2.xlsx")


def test_the_command_says_which_file_it_kept(fast_ws, capsys):
    import pytest

    from automation.cli import main

    for _ in range(2):
        with pytest.raises(SystemExit):
            main(["forms", "--workspace", str(fast_ws)])
        if _ == 0:
            form = next((fast_ws / "outbox" / "bieu-mau").glob("tu-cham-xa-kim-xa-*.xlsx"))
            _type_into(form)
            capsys.readouterr()
    out = capsys.readouterr().out
    assert f"Giữ nguyên {form.name} (đã được sửa); bản mới ghi vào {form.stem}-v2.xlsx." in out
