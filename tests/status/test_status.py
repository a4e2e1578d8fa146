"""The weekly status workbook and mail, on a real workspace, real lists and a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import io
import socket
from pathlib import Path
from decimal import Decimal

import openpyxl
import pytest
from aiosmtpd.controller import Controller

from automation.config import load_settings
from automation.ledger.db import LEDGER_NAME, Ledger
from automation.app import process_inbox as process_once
from automation.mail import MailSettings, send, write_eml
from automation.status import message as status_message
from automation.status.message import EML_PREFIX, build_message, summary_lines
from automation.status.workbook import (EXPECTED_KINDS, KIND_SUBCOLUMNS, SHEET_PROBLEMS, SHEET_SUMMARY, SHEET_UNITS, put_text,
                                        unit_headers)
from automation.app import write_status
from tests.builders import list_document, person_rows

TODAY = dt.date(2021, 11, 3)
KIM_XA, YEN_BINH, CHAN_HUNG = "09079", "09082", "09085"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _run(ws):
    return process_once(load_settings(ws), settle_timeout_s=20)


@pytest.fixture()
def ws(fast_ws, monkeypatch):
    """Kim Xá: a good list on time; Yên Bình: a short list (rejected) on time; Chấn Hưng: late."""
    root = fast_ws
    list_document(root / "inbox" / "DS Kim Xá.docx")
    list_document(root / "inbox" / "DS Yên Bình.docx", rows=person_rows(29, unit="Yên Bình"),
                  heading=("UBND XÃ YÊN BÌNH", "DANH SÁCH"))
    _run(root)
    monkeypatch.setenv("CCHC_NOW", "2021-11-02T08:00:00")
    list_document(root / "inbox" / "DS Chấn Hưng.docx", rows=person_rows(30, unit="Chấn Hưng"),
                  heading=("UBND XÃ CHẤN HƯNG", "DANH SÁCH"))
    _run(root)
    return root


def _current(ws) -> dict[str, object]:
    with Ledger(ws / LEDGER_NAME) as ledger:
        return ledger.submissions.latest_by_unit("respondent_list")


def _rows(path) -> tuple[list[str], dict[str, list]]:
    wb = openpyxl.load_workbook(path)
    sheet = wb[SHEET_UNITS]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    return values[0], {r[0]: r for r in values[1:]}


def _check_rows_match_ledger(ws, path) -> None:
    heads, rows = _rows(path)
    assert heads == unit_headers()
    settings = load_settings(ws)
    assert list(rows) == [u.code for u in settings.units]
    current = _current(ws)
    assert set(current) == {KIM_XA, YEN_BINH, CHAN_HUNG}
    verdicts = {"accepted": "Đạt", "accepted_with_warnings": "Đạt, có cảnh báo", "rejected": "Không đạt"}
    for code, row in rows.items():
        assert row[1] == settings.units.by_code(code).full_name
        lst = row[2:2 + len(KIND_SUBCOLUMNS)]
        sub = current.get(code)
        if sub is None:
            assert lst == ["Chưa", None, None, None, None, None]
            continue
        assert lst[0] == "Có"
        assert lst[1].date() == sub.received_at.date()
        assert lst[2] == sub.version
        assert lst[3] == ("Đúng hạn" if sub.on_time else "Quá hạn")
        assert lst[4] == verdicts[sub.verdict]
        errors = sum(p["severity"] == "error" for p in sub.problems)
        counts = [(errors, "lỗi"), (len(sub.problems) - errors, "cảnh báo")]
        assert lst[5] == (", ".join(f"{n} {w}" for n, w in counts if n) or None)  # each one: the problems sheet
        # nothing else arrived: the other kinds read "Chưa"
        for i in range(1, len(EXPECTED_KINDS)):
            assert row[2 + i * len(KIND_SUBCOLUMNS)] == "Chưa"


def test_status_rows_match_the_ledger(ws):
    current = _current(ws)
    assert current[KIM_XA].verdict == "accepted" and current[KIM_XA].on_time is True
    assert current[YEN_BINH].verdict == "rejected" and current[YEN_BINH].problems
    assert current[CHAN_HUNG].on_time is False
    path = write_status(load_settings(ws), TODAY)
    assert path == ws / "outbox" / "trang-thai" / "trang-thai-2021-11-03.xlsx"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".~")]  # no temporary file left
    _check_rows_match_ledger(ws, path)


def test_the_problems_sheet_has_the_words_and_the_code_apart(ws):
    current = _current(ws)
    path = write_status(load_settings(ws), TODAY)
    sheet = openpyxl.load_workbook(path)[SHEET_PROBLEMS]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Mã đơn vị", "Đơn vị", "Loại hồ sơ", "Tệp", "Mức độ", "Nội dung", "Mã lỗi")
    expected = [(YEN_BINH, {"error": "Lỗi", "warning": "Cảnh báo"}[p["severity"]], p["message"], p["code"])
                for p in current[YEN_BINH].problems]
    got = [(r[0], r[4], r[5], r[6]) for r in rows[1:] if r[0] == YEN_BINH]
    assert got == expected and all(r[6] and "[" not in r[5] and not r[5].startswith(r[6]) for r in rows[1:])
    assert {r[3] for r in rows[1:] if r[0] == YEN_BINH} == {Path(current[YEN_BINH].original_name).name}


def test_summary_sheet_counts_and_deadlines(ws):
    path = write_status(load_settings(ws), TODAY)
    sheet = openpyxl.load_workbook(path)[SHEET_SUMMARY]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[2] == ["Loại hồ sơ", "Hạn nộp", "Số đơn vị phải nộp", "Đã nhận", "Đúng hạn", "Đạt"]
    lists, workbooks, reports, evidence = values[3:7]
    assert lists[0].startswith("Danh sách") and lists[1] == "trước ngày 30/10/2021"
    assert lists[2:] == [28, 3, 2, 2]  # Kim Xá and Chấn Hưng accepted, Yên Bình rejected; Chấn Hưng late
    for row in (workbooks, reports, evidence):
        assert row[2:] == [28, 0, 0, 0]
    texts = [r[0] for r in values[8:] if r[0]]
    assert texts[0] == "Các mốc thời gian sắp tới"
    # on 03/11/2021 the list deadline has passed; the self-assessment one is next
    assert not any("30/10/2021" in t for t in texts)
    assert texts[1] == "Bắt đầu nộp hồ sơ tự đánh giá: đến hết ngày 05/11/2021"
    assert any(t.endswith("đến hết ngày 16/11/2021") for t in texts)


def test_conditional_formatting_freeze_and_widths(ws):
    path = write_status(load_settings(ws), TODAY)
    sheet = openpyxl.load_workbook(path)[SHEET_UNITS]
    rules = {}
    for cf in sheet.conditional_formatting:
        for rule in cf.rules:
            rules[str(cf.sqref)] = (rule.type, rule.operator, rule.formula, rule.dxf.fill.fgColor.rgb)
    heads = unit_headers()
    letters = {h: openpyxl.utils.get_column_letter(i) for i, h in enumerate(heads, start=1)}
    for label in ("Danh sách", "Biểu tự chấm", "Báo cáo", "Tài liệu KC"):
        late, verdict = letters[f"{label}: đúng hạn"], letters[f"{label}: kết luận"]
        assert rules[f"{late}2:{late}29"][:3] == ("cellIs", "equal", ['"Quá hạn"'])
        assert rules[f"{verdict}2:{verdict}29"][:3] == ("cellIs", "equal", ['"Không đạt"'])
        assert rules[f"{late}2:{late}29"][3].endswith("FFC7CE")
    assert len(rules) == 8
    # the cells the rules must catch hold exactly those words
    _, rows = _rows(path)
    assert rows[CHAN_HUNG][heads.index("Danh sách: đúng hạn")] == "Quá hạn"
    assert rows[YEN_BINH][heads.index("Danh sách: kết luận")] == "Không đạt"
    assert sheet.freeze_panes == "C2"
    assert sheet.column_dimensions["B"].width == 20 and sheet.column_dimensions["H"].width == 10


def test_commune_text_starting_with_equals_stays_text(ws, tmp_path):
    sub = _current(ws)[YEN_BINH]
    evil = [{"code": "=1+1", "message": '=HYPERLINK("http://x.invalid","bấm")'}]
    with Ledger(ws / LEDGER_NAME) as ledger:
        ledger.submissions.update(sub.id, problems=evil)
    path = write_status(load_settings(ws), TODAY)
    sheet = openpyxl.load_workbook(path)[SHEET_UNITS]
    col = unit_headers().index("Danh sách: lỗi") + 1
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == YEN_BINH)
    assert sheet.cell(row, col).value == "1 cảnh báo"  # no severity stored: counted as a warning
    line = next(r for r in openpyxl.load_workbook(path)[SHEET_PROBLEMS].iter_rows(min_row=2) if r[0].value == YEN_BINH)
    assert line[5].data_type == "s" and line[5].value == '=HYPERLINK("http://x.invalid","bấm")'
    assert line[6].data_type == "s" and line[6].value == "=1+1"
    # and a bare "=" text on its own
    wb = openpyxl.Workbook()
    put_text(wb.active["A1"], "=SUM(A2:A3)")
    wb.save(tmp_path / "t.xlsx")
    back = openpyxl.load_workbook(tmp_path / "t.xlsx").active["A1"]
    assert back.data_type == "s" and back.value == "=SUM(A2:A3)"


def test_appraisal_and_survey_progress(ws):
    from automation.appraisal.workbook import workbook_path, write_workbook
    from automation.scoring.table import compute_table, rebuild_table
    from automation.scoring.framework import workspace_framework

    settings = load_settings(ws)
    framework = workspace_framework(settings)
    table = rebuild_table(settings, framework, {}, {}, None, None)
    mine = [r for r in table.rows if r.unit_code == KIM_XA]
    mine[0].appraised = Decimal(0)
    mine[1].appraised = min(Decimal(1), mine[1].max_points)
    table = compute_table(table, framework, settings)
    write_workbook(workbook_path(settings), table, framework, settings)
    with Ledger(ws / LEDGER_NAME) as ledger:
        db = ledger.db
        db.execute("INSERT INTO survey_samples (id, created_at, seed, per_unit) VALUES (1, '2021-11-01', 7, 3)")
        for i in range(3):
            db.execute("INSERT INTO survey_people (form_code, sample_id, unit_code, name) VALUES (?, 1, ?, ?)",
                       (f"KX-{i}", KIM_XA, f"Người {i}"))
        db.execute("INSERT INTO survey_imports (id, at, source, forms) VALUES (1, '2021-11-02', 'x.xlsx', 2)")
        for i in range(2):
            db.execute("INSERT INTO survey_forms (form_code, import_id, sheet_row) VALUES (?, 1, ?)", (f"KX-{i}", i))
        db.execute("INSERT INTO survey_answers (form_code, question, answer) VALUES ('KX-0', 'Q1', '1')")
    path = write_status(settings, TODAY)
    heads, rows = _rows(path)
    kx, other = rows[KIM_XA], rows[YEN_BINH]
    n = len(framework.scored)
    assert kx[heads.index("Tiêu chí đã thẩm định")] == f"2/{n}"
    assert other[heads.index("Tiêu chí đã thẩm định")] == f"0/{n}"
    assert kx[heads.index("Phiếu điều tra")] == "1/3"  # one imported form has answers
    assert other[heads.index("Phiếu điều tra")] is None
    result = {r.code: r for r in table.results}[KIM_XA]
    assert kx[heads.index("Chỉ số")] == pytest.approx(float(result.index))
    assert kx[heads.index("Trạng thái")] == result.status


# --- mail ---------------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Store:
    def __init__(self, refuse: int = 0):
        self.envelopes, self.refuse, self.calls = [], refuse, 0

    async def handle_DATA(self, server, session, envelope):
        self.calls += 1
        if self.calls <= self.refuse:
            return "451 try again"
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.fixture()
def smtp_server():
    started = []

    def start(handler, **kw):
        port = _free_port()
        c = Controller(handler, hostname="127.0.0.1", port=port, **kw)
        c.start()
        started.append(c)
        return port

    yield start
    for c in started:
        c.stop()


def _mail(port, **kw) -> MailSettings:
    base = dict(host="127.0.0.1", port=port, security="none", user="", password_env="CCHC_TEST_SMTP_PW",
                sender="phongnoivu@vinhtuong.example", recipients=("hoidong@vinhtuong.example", "lanhdao@x.example"),
                timeout_s=10)
    base.update(kw)
    return MailSettings(**base)


def _message(ws, mail):
    settings = load_settings(ws)
    path = write_status(settings, TODAY)
    return build_message(settings, mail, path, summary_lines(settings, TODAY), TODAY), path


def test_summary_lines(ws):
    lines = summary_lines(load_settings(ws), TODAY)
    assert lines[0] == ("- Danh sách người đã giao dịch TTHC (hạn trước ngày 30/10/2021): đã nhận 3/28 đơn vị, "
                        "đúng hạn 2, đạt 2.")
    assert lines[1].startswith("- Biểu tự đánh giá, chấm điểm") and "đã nhận 0/28" in lines[1]
    assert any(l.startswith("- 25 đơn vị chưa gửi hồ sơ nào: Thị trấn Vĩnh Tường, Xã Nghĩa Hưng,") for l in lines)
    assert not any("Kim Xá" in l and "chưa gửi hồ sơ nào" in l for l in lines)
    assert lines[-1] == "- Mốc tiếp theo: Bắt đầu nộp hồ sơ tự đánh giá: đến hết ngày 05/11/2021."


def test_mail_arrives_with_subject_body_and_attachment(ws, smtp_server):
    store = Store()
    port = smtp_server(store)
    mail = _mail(port)
    message, path = _message(ws, mail)
    send(message, mail, sleep=lambda s: pytest.fail("no retry expected"))
    assert len(store.envelopes) == 1
    env = store.envelopes[0]
    assert env.mail_from == mail.sender and env.rcpt_tos == list(mail.recipients)
    raw = env.original_content
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n", 1)[0].lower()  # the subject is RFC 2047 encoded
    got = email.message_from_bytes(raw, policy=email.policy.default)
    week = TODAY.isocalendar()[1]
    assert got["Subject"] == (f"Báo cáo tình hình tiếp nhận hồ sơ Chỉ số CCHC năm 2021 – tuần {week}, "
                              "ngày 03/11/2021")
    body = got.get_body(preferencelist=("plain",)).get_content()
    assert "đã nhận 3/28 đơn vị" in body and "trang-thai-2021-11-03.xlsx" in body
    (att,) = list(got.iter_attachments())
    assert att.get_content_type() == XLSX and att.get_filename() == path.name
    data = att.get_content()
    assert data == path.read_bytes()
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == [SHEET_UNITS, SHEET_SUMMARY, SHEET_PROBLEMS]
    saved = ws / "received.xlsx"
    saved.write_bytes(data)
    _check_rows_match_ledger(ws, saved)


# retries, refusals, passwords and bad settings of the transport: tests/test_mail.py


def test_dry_run_writes_an_eml_that_parses_back(ws, tmp_path):
    mail = _mail(25)
    message, path = _message(ws, mail)
    eml = write_eml(message, tmp_path / "thu", EML_PREFIX)
    assert eml.suffix == ".eml" and eml.parent == tmp_path / "thu"
    got = email.message_from_bytes(eml.read_bytes(), policy=email.policy.default)
    assert got["Subject"] == status_message.subject(load_settings(ws), TODAY)
    assert got["To"] == "hoidong@vinhtuong.example, lanhdao@x.example"
    (att,) = list(got.iter_attachments())
    assert att.get_content() == path.read_bytes()
    assert write_eml(message, tmp_path / "thu", EML_PREFIX) != eml  # a second run never overwrites the first


# --- the command ---------------------------------------------------------------------------------

def test_cchc_status_send_and_dry_run(fast_ws, smtp_server, capsys):
    from automation.cli import main

    def run(*args):
        with pytest.raises(SystemExit) as exc:
            main(["status", *args, "--workspace", str(fast_ws)])
        out = capsys.readouterr()
        return exc.value.code, out.out, out.err

    code, out, err = run("--send")
    assert code == 1 and "Lỗi [mail.not_configured]" in err
    code, out, _ = run("--dry-run")
    assert code == 0 and ".eml" in out
    store = Store()
    port = smtp_server(store)
    toml = fast_ws / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + f'''
[mail]
host = "127.0.0.1"
port = {port}
security = "none"
sender = "phongnoivu@vinhtuong.example"
recipients = ["hoidong@vinhtuong.example"]
''', encoding="utf-8")
    code, out, _ = run("--send")
    assert code == 0 and "Đã gửi thư tới hoidong@vinhtuong.example" in out
    [env] = store.envelopes
    msg = email.message_from_bytes(env.content, policy=email.policy.default)
    assert "Chỉ số CCHC năm 2021" in msg["Subject"]
    [att] = list(msg.iter_attachments())
    assert att.get_filename().startswith("trang-thai-")
