"""``cchc demo`` over a whole year: a fresh workspace that lives the 2021 cycle of all units.

Only the project's own pipeline runs; the demo plays the communes, the survey team and the council:
lists in late October (one late), self-assessment workbooks and evidence in November (two with a
fault, corrected a few days later), the survey in January, the council's scores, the draft documents
and the status mail.  ``CCHC_NOW`` follows the plan's calendar and is restored afterwards.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import random
import shutil
import socket
import time
from collections import Counter
from pathlib import Path

from automation.config import Mail
from automation.demo.lists import _fresh_workspace
from automation.present import drafts_state, held_decision, render
from automation.problems import problem
from automation.vntext import number

SEED = 2021
LATE_POSITION = -1  # the last unit's list arrives after the deadline (30/10)
FAULTS = {2: "over_max", 5: "text"}  # unit position -> fault in its first self-assessment workbook
PARTLY_APPRAISED = 4  # the council has not finished these units (the last ones in the unit list)
COMMENTS = ("Thiếu tài liệu kiểm chứng", "Báo cáo gửi chậm so với quy định", "Kế hoạch chưa nêu rõ kinh phí",
            "Niêm yết TTHC chưa đầy đủ", "Tài liệu kiểm chứng chưa đóng dấu")
CALENDAR = {"lists": "2021-10-25T09:00:00", "resent": "2021-10-28T10:00:00", "late_list": "2021-11-02T10:15:00",
            "self": "2021-11-10T08:30:00", "corrected": "2021-11-15T14:00:00", "survey": "2022-01-05T09:00:00",
            "appraisal": "2022-01-20T15:00:00", "documents": "2022-02-20T09:00:00"}
# a province (``--preset``) plays the explanation round before the supplementary-evidence deadline (10/12):
# the survey and the council's first appraisal in November, notices, explanations and revisions in December
PROVINCE_CALENDAR = {**CALENDAR, "survey": "2021-11-20T09:00:00", "appraisal": "2021-11-27T15:00:00",
                     "notices": "2021-11-30T09:00:00", "explanations": "2021-12-04T10:00:00",
                     "revisions": "2021-12-08T15:00:00"}


def run_year_demo(directory: Path | None, echo=print, dry_run: bool = False, preset: str | None = None) -> int:
    """The year of ``preset`` (default: the 2021 district) in a fresh workspace ``directory``."""
    if not dry_run and _test_server(echo) is None:  # a plain install: the mail is written, not sent
        dry_run = True
    directory = Path(directory or ("cchc-demo-nam" if not preset else f"cchc-demo-{preset}")).resolve()
    settings = _fresh_workspace(directory, preset)
    _YEARS[0] = settings.year - SEED  # the plan's calendar, moved to the workspace's year
    _PLAN[0] = PROVINCE_CALENDAR if preset else CALENDAR
    saved = os.environ.get("CCHC_NOW")
    try:
        return _run(directory, settings, echo, dry_run, province=bool(preset))
    finally:
        if saved is None:
            os.environ.pop("CCHC_NOW", None)
        else:
            os.environ["CCHC_NOW"] = saved


_YEARS = [0]  # years between the 2021 calendar and the demo's year
_PLAN = [CALENDAR]  # the demo's calendar (in 2021's dates)


def _at(step: str) -> None:
    when = dt.datetime.fromisoformat(_PLAN[0][step])
    os.environ["CCHC_NOW"] = when.replace(year=when.year + _YEARS[0]).isoformat()


def _pdf(title: str) -> bytes:
    """A tiny but valid one-page PDF (correct cross-reference table)."""
    text = title.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"), []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _resave(source: Path, target: Path) -> None:
    """The commune opens its list in Word and saves it again (new revision, new bytes)."""
    from docx import Document  # noqa: PLC0415

    doc = Document(str(source))
    doc.core_properties.revision = (doc.core_properties.revision or 1) + 1
    doc.core_properties.modified = dt.datetime.fromisoformat(os.environ["CCHC_NOW"])
    target.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(target))


def _fill_self_assessment(form: Path, target: Path, scores: dict, evidence: dict) -> None:
    """What a commune does with its form: scores and evidence references in D and E, saved."""
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.load_workbook(form)
    ws = wb["TuDanhGia"]
    for row in ws.iter_rows(min_row=5):
        code = row[0].value
        if code in scores:
            row[3].value, row[4].value = scores[code], evidence.get(code, "")
    target.parent.mkdir(parents=True, exist_ok=True)
    wb.save(target)


def _run(directory: Path, settings, echo, dry_run: bool, province: bool = False) -> int:
    from automation import vntext  # noqa: PLC0415
    from automation.demo.samples import make_sample_lists  # noqa: PLC0415
    from automation.app import generate, process_inbox, recompute  # noqa: PLC0415
    from automation.appraisal.workbook import workbook_path  # noqa: PLC0415
    from automation.forms.self_assessment import write_forms  # noqa: PLC0415
    from automation.scoring.framework import workspace_framework  # noqa: PLC0415
    from automation.forms.survey import write_survey_forms  # noqa: PLC0415
    from automation.survey.model import ANSWERS  # noqa: PLC0415
    from automation.survey.questions import workspace_questions  # noqa: PLC0415
    from automation.app import draw_sample, save_sample  # noqa: PLC0415

    t_start, steps = time.perf_counter(), []
    rng = random.Random(SEED)
    units = list(settings.units)
    inbox = settings.path("inbox")

    def step(title: str) -> None:
        steps.append(time.perf_counter())
        echo(f"\n== {title} (ngày giả lập {os.environ['CCHC_NOW'][:10]}) ==")

    def process(what: str):
        result = process_inbox(settings)
        echo(f"{what}: đã nhận {result.claimed} tệp.")
        return result

    echo(f"Không gian làm việc mẫu (cả năm {settings.year}): {directory}")

    # 1. lists: everyone in late October, one commune after the deadline
    _at("lists")
    step("1. Danh sách người dân giao dịch")
    samples = make_sample_lists(settings.path("mau", "danh-sach"), settings, seed=SEED)
    late = samples[LATE_POSITION]
    for f in samples:
        if f is not late:
            shutil.copyfile(f.path, inbox / f.path.name)
    lists = process(f"{len(samples) - 1} danh sách đúng hạn").submissions
    _at("resent")  # the commune whose list named no unit was told so by letter: it sends it again, in its folder
    lost = next(f for f in samples if f.variant == "unknown_unit")
    _resave(lost.path, inbox / lost.unit.full_name / lost.path.name)
    lists += process(f"Danh sách gửi lại của {lost.unit.full_name} (trong thư mục mang tên đơn vị)").submissions
    _at("late_list")
    shutil.copyfile(late.path, inbox / late.path.name)
    lists += process(f"Danh sách nộp muộn của {late.unit.full_name}").submissions

    # 2. self-assessment workbooks (from the office's forms) and evidence, 05-16/11
    _at("self")
    step("2. Biểu tự chấm điểm và tài liệu kiểm chứng")
    framework = workspace_framework(settings)
    forms = write_forms(settings.path("outbox"), settings, framework)
    scored = framework.scored
    self_scores: dict[str, dict] = {}
    refs: dict[str, dict] = {}  # what each commune writes under "Tài liệu kiểm chứng"
    default_refs = {c.code: c.evidence or "Hồ sơ lưu tại UBND" for c in scored}
    evidence_files = 0
    for i, (unit, form) in enumerate(zip(units, forms.workbooks)):
        scores = {}
        for c in scored:
            top = float(c.max_points)
            if c.is_penalty:  # most communes lose nothing, a few a point or so
                scores[c.code] = 0 if rng.random() < 0.8 else -min(top, rng.choice((0.5, 1.0)))
                continue
            scores[c.code] = top if rng.random() < 0.7 else round(top * rng.uniform(0.6, 0.95) * 4) / 4
        self_scores[unit.code] = dict(scores)
        bad = FAULTS.get(i)
        if bad == "over_max":
            scores[scored[0].code] = float(scored[0].max_points) + 5
        elif bad == "text":
            scores[scored[1].code] = "đạt"
        picks = rng.sample([c for c in scored if not c.is_adjustment], rng.randint(2, 4))
        names = {c.code: f"{c.code} {' '.join(vntext.ascii_key(c.content).split()[:5]).capitalize()}.pdf"
                 for c in picks}
        folder = inbox / unit.full_name
        refs[unit.code] = {**default_refs, **{k: v[:-4] for k, v in names.items()}}
        _fill_self_assessment(form, folder / form.name, scores, refs[unit.code])
        for code, name in names.items():
            (folder / name).write_bytes(_pdf(f"{unit.full_name} - tieu chi {code}"))
            evidence_files += 1
    first = process(f"Biểu tự chấm của {len(units)} đơn vị và {evidence_files} tài liệu kiểm chứng").submissions
    _at("corrected")
    for i, bad in FAULTS.items():  # the communes told of a fault by letter send a corrected workbook
        unit, form = units[i], forms.workbooks[i]
        target = inbox / unit.full_name / f"sua-{form.name}"
        _fill_self_assessment(form, target, self_scores[unit.code], refs[unit.code])
    corrected = process(f"Biểu tự chấm sửa lại của {len(FAULTS)} đơn vị").submissions

    # 3. the survey: sample from the accepted lists, forms, the team's entry workbook through the inbox
    _at("survey")
    step("3. Điều tra xã hội học")
    sample = draw_sample(settings, 10, settings.year)
    save_sample(settings, sample)
    survey = write_survey_forms(settings.path("outbox"), settings, workspace_questions(settings), sample.people)
    echo(f"Chọn mẫu {len(sample.people)} người của {len(survey.unit_files)} đơn vị; "
         f"{len(sample.missing)} đơn vị chưa có mẫu (danh sách chưa đạt).")
    import openpyxl  # noqa: PLC0415

    wb = openpyxl.load_workbook(survey.entry_workbook)
    ws = wb["NhapPhieu"]
    for row in ws.iter_rows(min_row=2):
        if row[0].value:
            for cell in row[4:]:
                cell.value = rng.choices(ANSWERS, weights=(40, 42, 10, 3, 1, 4))[0]
    wb.save(inbox / f"nhap-phieu-da-dien-{settings.year}.xlsx")
    entry = process("Bảng nhập phiếu đã điền").submissions

    # 4. the council appraises most units in the workbook, then recomputes
    _at("appraisal")
    step("4. Hội đồng thẩm định")
    path = workbook_path(settings)
    wb = openpyxl.load_workbook(path, keep_vba=True)
    partly = {u.code for u in units[-PARTLY_APPRAISED:]}
    reduced = []  # (unit, criterion, the unit's own score) where the council took points off
    for row in wb["ThamDinh"].iter_rows(min_row=2):
        unit_code, code = row[0].value, row[2].value
        if not unit_code or (unit_code in partly and rng.random() < 0.5):
            continue
        own, (low, top) = self_scores.get(unit_code, {}).get(code), map(float, framework.by_code[code].range)
        score = own if own is not None else top
        if rng.random() < 0.15:  # the council takes a little off, and says why
            score, comment = max(low, score - rng.choice((0.25, 0.5, 1.0))), rng.choice(COMMENTS)
            if own is not None and score < own:
                reduced.append((unit_code, code, own))
        else:
            comment = ""
        row[6].value, row[7].value = score, comment
    wb.save(path)
    table = recompute(settings)
    status_of = Counter(r.status for r in table.results)
    echo(f"Đã tính lại {len(table.results)} đơn vị: " + ", ".join(f"{n} {_label(s)}" for s, n in status_of.items()))
    if province:
        from automation.demo import province as round_  # noqa: PLC0415

        _at("notices")
        step("4b. Vòng giải trình")
        letters, table, held = round_.explanation_round(settings, reduced, _at, process, echo)
        status_of = Counter(r.status for r in table.results)  # the results after the round

    # 5. documents
    _at("documents")
    step("5. Dự thảo văn bản")
    if province:
        round_.import_last_year(settings, echo)
    # after the explanation round the final notices are a new letter: the office dates them today (--today)
    drafts = generate(settings, "all", pdf=False, today=province)
    final = all(d.final for d in drafts)
    echo(f"Đã soạn {len(drafts)} văn bản ({drafts_state(final)}).")
    for d in drafts:
        if d.held_by:
            echo(held_decision(d.held_by))

    # 6. status workbook and mail
    step("6. Bảng trạng thái và thư báo cáo")
    mail_line = _status_mail(settings, echo, dry_run, "phutho.example" if province else "vinhtuong.example")

    # 7. summary
    steps.append(time.perf_counter())
    verdicts = Counter(s.verdict for s in lists if s.kind == "respondent_list")
    books = [s for s in first + corrected if s.kind == "workbook"]
    evidence = [s for s in first if s.kind == "evidence"]
    forms_in = len(sample.people) if any(s.kind == "survey_entry" for s in entry) else 0
    echo("\n== Tổng kết năm ==")
    echo(f"Danh sách: {len(lists)} tệp; {verdicts['accepted']} đạt, {verdicts['accepted_with_warnings']} đạt có cảnh "
         f"báo, {verdicts['rejected']} không đạt ({sum(s.status == 'quarantined' for s in lists)} cách ly, "
         f"{lost.unit.full_name} đã gửi lại); 1 nộp muộn ({late.unit.full_name}).")
    echo(f"Biểu tự chấm: {len(books)} tệp ({sum(s.verdict == 'rejected' for s in books)} không đạt, "
         f"{len(FAULTS)} được xã gửi lại); tài liệu kiểm chứng: {len(evidence)} tệp.")
    echo(f"Điều tra XHH: đã nhập {forms_in} phiếu của {len(survey.unit_files)} đơn vị.")
    echo(f"Kết quả: {status_of.get('Chính thức', 0)} đơn vị chính thức, {status_of.get('Tạm tính', 0)} tạm tính"
         + "".join(f", {n} {_label(s)}" for s, n in status_of.items() if s not in ("Chính thức", "Tạm tính")) + ".")
    if province:
        echo(f"Giải trình: {letters} văn bản; Hội đồng điều chỉnh {len(table.revisions)} tiêu chí có lý do, "
             f"{held} chưa có lý do.")
        for line in round_.group_lines(table, settings):
            echo(line)
    else:
        for r in table.results[:3]:
            index = number(r.index, settings.documents.decimals)
            echo(f"  Hạng {r.rank}: {r.name} – chỉ số {index}% ({_label(r.status)})")
    names = ("Danh sách", "Biểu tự chấm", "Điều tra XHH", "Thẩm định") + (("Giải trình",) if province else ()) \
        + ("Văn bản", "Trạng thái, thư")
    echo("Thời gian: " + ", ".join(f"{n} {b - a:.1f} giây" for n, a, b in zip(names, steps, steps[1:]))
         + f"; tổng {time.perf_counter() - t_start:.1f} giây.")
    echo("Các tệp kết quả:")
    for label, where in (("Lưu trữ hồ sơ", settings.path("luu-tru")), ("Cách ly (kèm lý do)", settings.path("cach-ly")),
                         ("Thư phản hồi gửi các xã", settings.path("outbox", "phan-hoi")),
                         ("Biểu mẫu gửi các xã", forms.folder), ("Bảng thẩm định", path),
                         ("Điều tra XHH (phiếu, bảng nhập)", survey.folder),
                         ("Dự thảo văn bản", settings.path("outbox", "du-thao")),
                         ("Bảng trạng thái", mail_line[0]), ("Thư báo cáo", mail_line[1])):
        echo(f"  {label}: {where}")
    return 0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Inbox:
    """The test mail server's mailbox: every envelope it accepted."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


def _test_server(echo):
    """aiosmtpd's ``Controller`` (the test mail server), or None and a note: aiosmtpd is the ``demo`` extra."""
    try:
        from aiosmtpd.controller import Controller  # noqa: PLC0415
    except ImportError:
        echo(render(problem("tool.aiosmtpd_missing"), "note", fix=True))
        return None
    return Controller


def _demo_mail(port: int, domain: str) -> Mail:
    """The office's [mail] in the demo: the test mail server on this machine."""
    sender = "phongnoivu" if domain == "vinhtuong.example" else "sonoivu"
    return Mail(host="127.0.0.1", port=port, security="none", user="", password_env="CCHC_DEMO_SMTP_PW",
                sender=f"{sender}@{domain}", recipients=(f"hoidong@{domain}", f"lanhdao@{domain}"),
                attempts=2, backoff_s=0.5, weekday=5, time="16:00")


def _status_mail(settings, echo, dry_run: bool, domain: str) -> tuple[Path, str]:
    from automation import clock  # noqa: PLC0415
    from automation import mail  # noqa: PLC0415
    from automation.app import write_status  # noqa: PLC0415
    from automation.status import message as status_message  # noqa: PLC0415

    today = clock.now().date()
    path = write_status(settings, today)
    echo(f"Đã lập bảng trạng thái: {path}")
    Controller = None if dry_run else _test_server(echo)
    port = _free_port() if Controller else 25
    cfg = _demo_mail(port, domain)
    ms = dataclasses.replace(mail.MailSettings.from_config(cfg), timeout_s=10)
    message = status_message.build_message(settings, ms, path, status_message.summary_lines(settings, today), today)
    if Controller is None:
        eml = mail.write_eml(message, path.parent, status_message.EML_PREFIX)
        echo(f"Đã ghi thư (không gửi): {eml}")
        return path, str(eml)
    box = _Inbox()
    server = Controller(box, hostname="127.0.0.1", port=port)
    server.start()
    try:
        mail.send(message, ms, attempts=cfg.attempts, backoff_s=cfg.backoff_s)
    finally:
        server.stop()
    echo(f"Máy chủ thư thử nghiệm đã nhận {len(box.envelopes)} thư gửi tới "
         f"{', '.join(box.envelopes[0].rcpt_tos) if box.envelopes else '(không có)'}.")
    DELIVERED.append(len(box.envelopes))
    return path, f"đã gửi tới máy chủ thư thử nghiệm 127.0.0.1:{port}"


DELIVERED: list[int] = []  # messages the test server received, one entry per run (read by the tests)


def _label(status: str) -> str:
    """"Chính thức" -> "chính thức" inside a sentence; "Chưa có điều tra XHH" keeps its capitals."""
    return status[0].lower() + status[1:]
