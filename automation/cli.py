"""The ``cchc`` command line: thin wrappers that parse, call one function and print.

Every user-facing failure is a :class:`~automation.problems.CchcError` turned into a Vietnamese
message here, in :func:`main`; heavy modules are imported inside the commands so ``cchc --help``
stays fast.
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import click

from automation.problems import CchcError, Severity, UsageError, problem

VERDICTS = {"accepted": "ĐẠT", "accepted_with_warnings": "ĐẠT (có cảnh báo)", "rejected": "KHÔNG ĐẠT"}
KINDS = {"respondent_list": "danh sách người đã giao dịch TTHC", "document": "văn bản Word",
         "workbook": "biểu tự chấm điểm (Excel)", "spreadsheet": "bảng tính khác (Excel)",
         "unknown": "không xác định"}


class _Formatter(click.HelpFormatter):
    def write_usage(self, prog, args="", prefix=None):
        super().write_usage(prog, args, prefix="Cách dùng: " if prefix is None else prefix)


class _Context(click.Context):
    formatter_class = _Formatter


class _Command(click.Command):
    context_class = _Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx)
                if isinstance(p, click.Option) and (rv := p.get_help_record(ctx)) is not None]
        if opts:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(opts)


class _Group(click.Group):
    context_class = _Context
    command_class = _Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM SỐ]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx, formatter):
        _Command.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter):
        rows = [(name, cmd.get_short_help_str(60)) for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)


_CTX = {"help_option_names": ["-h", "--help"]}
workspace_option = click.option(
    "--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="THƯ_MỤC",
    help="Thư mục không gian làm việc (có tệp cchc.toml). Bỏ trống: dùng cấu hình mặc định.")


def _help(f):
    return click.help_option("-h", "--help", help="Hiện hướng dẫn này rồi thoát.")(f)


@click.group(cls=_Group, context_settings=_CTX)
@click.version_option(package_name="cchc", message="cchc %(version)s", help="Hiện phiên bản rồi thoát.")
@click.option("--verbose", "-v", is_flag=True, help="Ghi nhật ký chi tiết (cho kỹ thuật viên).")
@_help
def cli(verbose: bool) -> None:
    """cchc – thẩm định Chỉ số cải cách hành chính (Chỉ số CCHC) của các xã, thị trấn."""
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _settings(workspace: Path | None):
    from automation.config import load_settings  # noqa: PLC0415
    return load_settings(workspace)


def _existing_files(files: tuple[str, ...]) -> list[Path]:
    paths = []
    for f in files:
        p = Path(f)
        if not p.exists():
            raise UsageError("usage.bad_argument", detail=f"Không có tệp “{f}”")
        if p.is_dir():
            paths.extend(sorted(q for q in p.rglob("*") if q.is_file()))
        else:
            paths.append(p)
    return paths


@cli.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="THƯ_MỤC")
@_help
def init_cmd(directory: Path) -> None:
    """Tạo không gian làm việc mới (cchc.toml, inbox/, outbox/, templates/)."""
    from automation.config import init_workspace  # noqa: PLC0415
    target = init_workspace(directory)
    click.echo(f"Đã tạo không gian làm việc tại {target}. Sửa {target / 'cchc.toml'} cho đúng đơn vị của mình.")


@cli.command("check")
@click.argument("files", nargs=-1, required=True, metavar="TỆP...")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON (một mảng, mỗi tệp một đối tượng).")
@workspace_option
@_help
def check_cmd(files: tuple[str, ...], as_json: bool, workspace: Path | None) -> int:
    """Kiểm tra danh sách, văn bản, biểu chấm điểm của các xã (tệp hoặc thư mục)."""
    from automation.check import check_paths  # noqa: PLC0415
    settings = _settings(workspace)
    reports = check_paths(_existing_files(files), settings)
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        for r in reports:
            click.echo(describe_report(r))
        rejected = sum(r.verdict == "rejected" for r in reports)
        click.echo(f"Tổng cộng: {len(reports)} tệp, {len(reports) - rejected} đạt, {rejected} không đạt.")
    return 1 if any(r.verdict == "rejected" for r in reports) else 0


def describe_report(r) -> str:
    errors = sum(p.severity is Severity.ERROR for p in r.problems)
    warnings = len(r.problems) - errors
    unit = f"{r.unit.full_name} ({r.unit.code})" if r.unit else "chưa xác định"
    lines = [f"Tệp: {r.path.name}", f"  Đơn vị: {unit} · Loại: {KINDS[r.kind]}"
             + (f" · {r.respondents} người" if r.respondents is not None else ""),
             f"  Kết luận: {VERDICTS[r.verdict]}" + (f" ({errors} lỗi, {warnings} cảnh báo)" if r.problems else "")]
    for p in r.problems:
        lines.append(f"  - {p.severity.label} {p.describe()}")
    if any(p.code == "encoding.legacy" for p in r.problems):  # for the office: letters never name a command
        lines.append(f"  (Cán bộ thẩm định: lệnh “cchc convert {r.path.name}” tạo bản Unicode, Times New Roman.)")
    return "\n".join(lines)


@cli.command("convert")
@click.argument("file", metavar="TỆP")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="TỆP",
              help="Tệp kết quả (mặc định: <tên>-unicode.docx bên cạnh tệp gốc).")
@_help
def convert_cmd(file: str, output: Path | None) -> None:
    """Chuyển văn bản bảng mã cũ (TCVN3, VNI) sang Unicode, phông Times New Roman."""
    from automation.formats.legacy_docx import convert_file  # noqa: PLC0415
    from automation.config import default_settings  # noqa: PLC0415
    [source] = _existing_files((file,))
    result = convert_file(source, output, default_settings().limits)
    click.echo(f"Đã ghi bản Unicode, phông Times New Roman: {result.path} "
               f"({result.runs_decoded} đoạn chữ được chuyển mã, {result.runs_refonted} đoạn đổi phông).")


STATUSES = {"archived": "đã lưu", "quarantined": "cách ly", "duplicate": "trùng lặp", "superseded": "đã có bản mới",
            "processing": "đang xử lý"}


def _workspace_settings(workspace: Path | None):
    """Commands that own folders need a workspace: --workspace, or the current folder if it is one."""
    from automation.config import CONFIG_NAME  # noqa: PLC0415
    if workspace is None:
        if not (Path.cwd() / CONFIG_NAME).exists():
            raise UsageError("usage.bad_argument", detail="Thư mục hiện tại không phải không gian làm việc "
                                                          "(không có cchc.toml); dùng --workspace THƯ_MỤC")
        workspace = Path.cwd()
    return _settings(workspace)


@cli.command("process")
@workspace_option
@_help
def process_cmd(workspace: Path | None) -> int:
    """Xử lý một lượt mọi tệp đang chờ trong inbox/ rồi thoát."""
    from automation.app import process_inbox  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    with click.progressbar(length=1, label="Đang xử lý", show_pos=True, file=sys.stderr) as bar:
        def grow(n: int) -> None:  # files are known only as they settle: the bar grows by batches
            bar.length = (bar.length if bar.pos else 0) + n
            bar.render_progress()

        result = process_inbox(settings, progress=lambda _rep: bar.update(1), on_batch=grow)
    click.echo(summarise_pass(result))
    return 0


def summarise_pass(result) -> str:
    parts = [f"{n} {STATUSES.get(k, k)}" for k, n in sorted(result.statuses.items())]
    head = f"Đã nhận {result.claimed} tệp" + (f", hoàn tất {result.recovered} tệp dở dang" if result.recovered else "")
    text = head + (": " + ", ".join(parts) if parts else "") + "."
    if result.appraisal:
        text += f"\nĐã cập nhật bảng thẩm định: {result.appraisal}"
    return text


@cli.command("forms")
@workspace_option
@_help
def forms_cmd(workspace: Path | None) -> int:
    """Tạo biểu mẫu gửi các xã: mẫu danh sách và biểu tự chấm điểm của từng đơn vị."""
    from automation.forms.self_assessment import write_forms  # noqa: PLC0415
    from automation.scoring.framework import workspace_framework  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    framework = workspace_framework(settings)
    if framework.sample:
        click.echo("Lưu ý: đang dùng BỘ TIÊU CHÍ MẪU (templates/bo-tieu-chi.xlsx); thay bằng bộ tiêu chí theo "
                   "quyết định của tỉnh trước khi gửi biểu cho các xã.", err=True)
    result = write_forms(settings.path("outbox"), settings, framework)
    click.echo(f"Đã tạo mẫu danh sách {result.list_template.name} và {len(result.workbooks)} biểu tự chấm điểm "
               f"trong {result.folder} (bộ tiêu chí {'MẪU' if framework.sample else 'chính thức'}, "
               f"{len(framework.scored)} tiêu chí tự chấm, tổng điểm tối đa {framework.total_max}).")
    return 0


@cli.command("recompute")
@workspace_option
@_help
def recompute_cmd(workspace: Path | None) -> int:
    """Tính lại điểm, chỉ số, xếp hạng và ghi bảng thẩm định (khi tệp không mở trong Excel)."""
    from automation.app import recompute  # noqa: PLC0415
    from automation.appraisal.workbook import workbook_path  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    table = recompute(settings)
    for note in table.invalid:
        click.echo(f"Lưu ý: {note}")
    final = sum(r.status == "Chính thức" for r in table.results)
    click.echo(f"Đã tính lại {len(table.results)} đơn vị ({final} chính thức) và ghi {workbook_path(settings)}.")
    return 0


@cli.command("watch")
@workspace_option
@_help
def watch_cmd(workspace: Path | None) -> int:
    """Theo dõi inbox/ liên tục, xử lý tệp ngay khi chép xong (Ctrl+C để dừng)."""
    import threading  # noqa: PLC0415
    from automation.app import watch  # noqa: PLC0415
    from automation.app import send_weekly_status  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    stop = threading.Event()
    click.echo(f"Đang theo dõi {settings.path('inbox')} (Ctrl+C để dừng)…")
    if settings.mail:
        days = ("", "thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")
        click.echo(f"Bảng trạng thái được gửi thư mỗi {days[settings.mail.weekday]} lúc {settings.mail.time}.")

    def weekly() -> None:  # a cheap no-op unless this week's status is due (recorded in the ledger)
        line = send_weekly_status(settings)
        if line:
            logging.getLogger("automation.status").info(line)
            click.echo(line)

    try:
        watch(settings, stop, on_result=lambda r: click.echo(summarise_pass(r)), extra=weekly)
    except KeyboardInterrupt:
        stop.set()
    click.echo("Đã dừng theo dõi.")
    return 0


@cli.command("submissions")
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@workspace_option
@_help
def submissions_cmd(as_json: bool, workspace: Path | None) -> int:
    """Liệt kê sổ theo dõi hồ sơ đã nhận."""
    from automation.ledger.db import LEDGER_NAME, Ledger  # noqa: PLC0415
    from automation.ledger.records import KIND_NAMES  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    with Ledger(settings.path(LEDGER_NAME)) as ledger:
        subs = ledger.submissions.all()
    rows = [submission_dict(s, settings) for s in subs]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for r in rows:
        unit = r["unit"]["name"] if r["unit"] else "chưa rõ đơn vị"
        timing = {True: "đúng hạn", False: "quá hạn", None: ""}[r["on_time"]]
        click.echo(f"{r['received_at']}  {unit:<24} {KIND_NAMES[r['kind']]:<32} "
                   f"v{r['version'] or '-'}  {STATUSES.get(r['status'], r['status'])}  "
                   f"{VERDICTS.get(r['verdict'] or '', '')} {timing}  {r['file']}")
    click.echo(f"Tổng cộng: {len(rows)} hồ sơ.")
    return 0


def submission_dict(s, settings) -> dict:
    unit = settings.units.by_code(s.unit_code) if s.unit_code else None
    return {"id": s.id, "file": s.original_name, "sha256": s.sha256, "unit": unit.as_dict() if unit else None,
            "kind": s.kind, "version": s.version, "status": s.status, "verdict": s.verdict,
            "received_at": s.received_at.isoformat() if s.received_at else None, "on_time": s.on_time,
            "path": s.path, "criterion": s.criterion, "duplicate_of": s.duplicate_of,
            "problems": [p["code"] for p in s.problems], "feedback": s.feedback_path}


@cli.group("survey", cls=_Group)
@_help
def survey_group() -> None:
    """Điều tra xã hội học: chọn mẫu, in phiếu, nhập kết quả."""


@survey_group.command("sample")
@click.option("--per-unit", type=click.IntRange(min=1), default=None, metavar="N",
              help="Số người mỗi đơn vị (mặc định: tất cả người hợp lệ trong danh sách).")
@click.option("--seed", type=int, default=None, metavar="S", help="Hạt giống ngẫu nhiên (mặc định: năm đánh giá).")
@click.option("--replace", is_flag=True, help="Chọn lại mẫu dù đã nhập kết quả điều tra (xóa kết quả cũ).")
@workspace_option
@_help
def survey_sample_cmd(per_unit: int | None, seed: int | None, replace: bool, workspace: Path | None) -> int:
    """Chọn mẫu người được điều tra từ danh sách đã đạt của từng đơn vị (phân tầng theo lĩnh vực)."""
    from automation.app import draw_sample, has_answers, save_sample  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    if has_answers(settings) and not replace:
        raise UsageError("usage.bad_argument", detail="Đã nhập kết quả điều tra của mẫu hiện tại; dùng --replace "
                                                      "nếu thật sự muốn chọn mẫu mới (kết quả cũ sẽ bị xóa)")
    result = draw_sample(settings, per_unit, settings.year if seed is None else seed)
    save_sample(settings, result)
    units = len({p.unit_code for p in result.people})
    click.echo(f"Đã chọn {len(result.people)} người của {units} đơn vị (hạt giống {result.seed}, "
               f"{per_unit or 'tất cả'} người mỗi đơn vị).")
    for name, why in result.missing:
        click.echo(f"Chưa chọn được mẫu: {name} – {why}.")
    return 0


@survey_group.command("forms")
@workspace_option
@_help
def survey_forms_cmd(workspace: Path | None) -> int:
    """In phiếu điều tra của từng đơn vị và tạo bảng nhập phiếu."""
    from automation.app import sampled_people  # noqa: PLC0415
    from automation.forms.survey import write_survey_forms  # noqa: PLC0415
    from automation.survey.questions import workspace_questions  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    people = sampled_people(settings)
    if not people:
        raise UsageError("usage.bad_argument", detail="Chưa có mẫu điều tra; chạy “cchc survey sample” trước")
    result = write_survey_forms(settings.path("outbox"), settings, workspace_questions(settings), people)
    click.echo(f"Đã tạo {len(people)} phiếu của {len(result.unit_files)} đơn vị trong {result.folder} "
               f"và bảng nhập phiếu {result.entry_workbook}.")
    return 0


@survey_group.command("import")
@click.argument("file", metavar="TỆP")
@workspace_option
@_help
def survey_import_cmd(file: str, workspace: Path | None) -> int:
    """Nhập bảng nhập phiếu đã điền (thay cho lần nhập trước), tính điểm điều tra XHH."""
    from automation.app import import_survey  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    [path] = _existing_files((file,))
    summary = import_survey(settings, path)
    describe_survey(summary, settings)
    return 1 if any(p.severity is Severity.ERROR for p in summary.problems) else 0


def describe_survey(summary, settings) -> None:
    click.echo(f"Đã nhập {summary.forms} phiếu.")
    for p in summary.problems:
        click.echo(f"  - {p.severity.label} {p.describe()}")
    for code, us in sorted(summary.units.items()):
        unit = settings.units.by_code(code)
        click.echo(f"{unit.full_name if unit else code}: {us.responded}/{us.sampled} phiếu có trả lời "
                   f"({float(us.response_rate) * 100:.0f}%), điểm điều tra XHH {us.points}.")
    if summary.appraisal:
        click.echo(f"Đã cập nhật bảng thẩm định: {summary.appraisal}")


@cli.command("generate")
@click.argument("what", type=click.Choice(["plan", "notices", "report", "decision", "all"]), metavar="LOẠI")
@click.option("--pdf", is_flag=True, help="Xuất thêm bản PDF của mỗi dự thảo (LibreOffice).")
@workspace_option
@_help
def generate_cmd(what: str, pdf: bool, workspace: Path | None) -> int:
    """Soạn dự thảo: plan (kế hoạch), notices (thông báo), report (báo cáo), decision (quyết định), all."""
    from automation.app import generate  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    drafts = generate(settings, what, pdf=pdf)
    for d in drafts:
        for p in d.problems():
            click.echo(f"Lưu ý [{p.code}]: {p.message}")
    final = all(d.final for d in drafts)
    click.echo(f"Đã soạn {len(drafts)} văn bản trong {settings.path('outbox', 'du-thao')} "
               f"({'sẵn sàng trình ký' if final else 'DỰ THẢO: còn đơn vị tạm tính'})"
               + (f", kèm {sum(1 for d in drafts if d.pdf)} bản PDF" if pdf else "") + ".")
    return 0


@cli.group("templates", cls=_Group)
@_help
def templates_group() -> None:
    """Mẫu văn bản (docxtpl) trong templates/."""


@templates_group.command("check")
@workspace_option
@_help
def templates_check_cmd(workspace: Path | None) -> int:
    """Kiểm tra các mẫu: biến mẫu dùng mà chương trình không cung cấp, biến cung cấp mà mẫu không dùng."""
    from automation.documents.context import TEMPLATES, supplied_variables  # noqa: PLC0415
    from automation.documents.render import check_templates  # noqa: PLC0415
    settings = _settings(workspace) if workspace else _workspace_settings_or_default()
    reports = check_templates(settings, {name: supplied_variables(kind) for kind, name in TEMPLATES.items()})
    bad = 0
    for r in reports:
        if r.error:
            bad += 1
            click.echo(f"{r.name}: LỖI – {r.error}")
            continue
        if r.missing:
            bad += 1
        click.echo(f"{r.name}: " + ("đủ biến" if not r.missing else "thiếu " + ", ".join(sorted(r.missing)))
                   + (f"; không dùng: {', '.join(sorted(r.unused))}" if r.unused else ""))
    return 1 if bad else 0


def _workspace_settings_or_default():
    from automation.config import CONFIG_NAME  # noqa: PLC0415
    return _settings(Path.cwd() if (Path.cwd() / CONFIG_NAME).exists() else None)


@cli.command("status")
@click.option("--send", "send_mail", is_flag=True, help="Gửi bảng trạng thái qua thư điện tử ([mail] trong cchc.toml).")
@click.option("--dry-run", is_flag=True, help="Ghi thư ra tệp .eml trong outbox/trang-thai thay vì gửi.")
@workspace_option
@_help
def status_cmd(send_mail: bool, dry_run: bool, workspace: Path | None) -> int:
    """Lập bảng trạng thái tiếp nhận hồ sơ của từng đơn vị (và gửi thư nếu yêu cầu)."""
    from automation import clock  # noqa: PLC0415
    from automation import mail  # noqa: PLC0415
    from automation.app import write_status  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    today = clock.now().date()
    path = write_status(settings, today)
    click.echo(f"Đã lập bảng trạng thái: {path}")
    if not (send_mail or dry_run):
        return 0
    cfg = settings.mail
    if cfg is None and not dry_run:
        raise CchcError("mail.not_configured")
    try:
        ms = mail.MailSettings(cfg.host, cfg.port, cfg.security, cfg.user, cfg.password_env, cfg.sender,
                               cfg.recipients) if cfg else mail.MailSettings(
            "localhost", 25, "none", "", "CCHC_SMTP_PASSWORD", "cchc@localhost", ("nguoi-nhan@localhost",))
        message = mail.build_message(settings, ms, path, mail.summary_lines(settings, today), today)
        if dry_run:
            click.echo(f"Đã ghi thư (không gửi): {mail.write_dry_run(message, path.parent)}")
        else:
            mail.send(message, ms, attempts=cfg.attempts, backoff_s=cfg.backoff_s)
            click.echo(f"Đã gửi thư tới {', '.join(cfg.recipients)}.")
    except mail.MailError as exc:
        raise CchcError("mail.failed", detail=str(exc)) from None
    except OSError as exc:  # smtplib errors are OSErrors after the retries
        raise CchcError("mail.failed", detail=f"{type(exc).__name__}: {exc}") from None
    return 0


@cli.command("send-drafts")
@click.option("--dry-run", is_flag=True, help="Ghi thư ra tệp .eml thay vì gửi (không đánh dấu đã gửi).")
@workspace_option
@_help
def send_drafts_cmd(dry_run: bool, workspace: Path | None) -> int:
    """Gửi các dự thảo đã sẵn sàng trình ký (kèm PDF) tới người ký; không gửi lại bản đã gửi."""
    from automation.documents.send import send_drafts  # noqa: PLC0415
    from automation.mail import MailError  # noqa: PLC0415
    settings = _workspace_settings(workspace)
    try:
        r = send_drafts(settings, dry_run=dry_run)
    except MailError as exc:
        raise CchcError("mail.failed", detail=str(exc)) from None
    except OSError as exc:  # smtplib errors, after the retries
        raise CchcError("mail.failed", detail=f"{type(exc).__name__}: {exc}") from None
    for p, why in r.skipped:
        click.echo(f"Bỏ qua {p}: {why}")
    if r.eml:
        click.echo(f"Đã ghi thư (không gửi): {r.eml}")
    elif r.sent:
        click.echo(f"Đã gửi {len(r.sent)} dự thảo tới {settings.documents.signer_email}.")
    else:
        click.echo("Không có dự thảo nào chờ trình ký.")
    return 0


@cli.command("demo")
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path), metavar="[THƯ_MỤC]")
@click.option("--dry-run", is_flag=True, help="Ghi thư bảng trạng thái ra tệp .eml thay vì gửi tới máy chủ thư thử nghiệm.")
@click.option("--only-lists", is_flag=True, help="Chỉ chạy phần danh sách (nhanh): tạo, thả vào inbox, kiểm tra.")
@_help
def demo_cmd(directory: Path | None, dry_run: bool, only_lists: bool) -> int:
    """Chạy thử cả năm trên dữ liệu mẫu của 28 đơn vị: danh sách, biểu tự chấm, tài liệu kiểm chứng,
    điều tra, thẩm định, dự thảo văn bản, bảng trạng thái và thư điện tử."""
    if only_lists:
        from automation.demo.lists import run_demo  # noqa: PLC0415
        return run_demo(directory, echo=click.echo)
    from automation.demo.year import run_year_demo  # noqa: PLC0415
    return run_year_demo(directory, echo=click.echo, dry_run=dry_run)


def main(argv: list[str] | None = None) -> None:
    """Entry point: every failure becomes a Vietnamese message with its problem code, never a traceback."""
    try:
        rv = cli.main(args=argv, prog_name="cchc", standalone_mode=False)
    except CchcError as exc:
        _fail(exc.problem, exc.exit_code)
    except click.exceptions.Abort:
        click.echo("Đã dừng.", err=True)
        sys.exit(1)
    except click.UsageError as exc:
        detail = f"{_usage_in_vietnamese(exc)}; xem “cchc --help”"
        _fail(problem("usage.bad_argument", detail=detail), 2)
    except click.ClickException as exc:
        _fail(problem("usage.bad_argument", detail=exc.format_message()), exc.exit_code)
    except KeyboardInterrupt:
        click.echo("Đã dừng.", err=True)
        sys.exit(130)
    except Exception as exc:  # a bug or an environment failure: a Vietnamese line, the traceback only in the log
        logging.getLogger("automation").debug("unexpected failure", exc_info=True)  # shown with -v
        _fail(problem("internal.error", detail=f"{type(exc).__name__}: {exc}"), 1)
    sys.exit(rv if isinstance(rv, int) else 0)


def _usage_in_vietnamese(exc: click.UsageError) -> str:
    """click's own messages are English: say the common ones in Vietnamese."""
    import re  # noqa: PLC0415

    param = getattr(exc, "param", None)
    name = param.human_readable_name if param is not None else ""
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"Không có tùy chọn “{exc.option_name}”"
    if isinstance(exc, click.exceptions.MissingParameter):
        return f"Thiếu {name or 'tham số'}"
    if isinstance(exc, click.BadParameter):
        if param is not None and isinstance(param.type, click.Choice):
            return f"Giá trị không hợp lệ cho {name}: chọn một trong {', '.join(map(str, param.type.choices))}"
        return f"Giá trị không hợp lệ cho {name or 'tham số'} ({exc.message})"
    message = exc.format_message()
    m = re.match(r"No such command '(.+)'", message)
    if m:
        return f"Không có lệnh “{m.group(1)}”"
    m = re.match(r"Got unexpected extra arguments? \((.+)\)", message)
    if m:
        return f"Thừa tham số: {m.group(1)}"
    return f"Sai cách dùng lệnh ({message})"


def _fail(p, code: int) -> None:
    click.echo(f"Lỗi [{p.code}]: {p.message}" + (f" {p.fix}" if p.fix else ""), err=True)
    sys.exit(code)
