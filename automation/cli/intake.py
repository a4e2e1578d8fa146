"""Receiving the communes' files: ``init``, ``check``, ``convert``, ``process``, ``watch``, ``submissions``."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Callable

import click

from automation import present
from automation.cli.common import existing_files, settings_of, workspace_option, workspace_settings
from automation.cli.vi import Command, help_option


@click.command("init", cls=Command)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), metavar="THƯ_MỤC")
@click.option("--preset", default="vinh-tuong-2021", show_default=True, metavar="MẪU",
              help="Mẫu cấu hình: vinh-tuong-2021 (huyện Vĩnh Tường, năm 2021, 28 đơn vị) hoặc phu-tho (tỉnh Phú Thọ, "
                   "năm 2026, 148 xã, phường, bộ tiêu chí mẫu có điểm thưởng, điểm trừ).")
@help_option
def init_cmd(directory: Path, preset: str) -> None:
    """Tạo không gian làm việc mới (cchc.toml, inbox/, outbox/, templates/)."""
    from automation.config import init_workspace, load_settings  # noqa: PLC0415
    target = init_workspace(directory, preset)
    settings = load_settings(target)
    click.echo(f"Đã tạo không gian làm việc tại {target}: năm {settings.year}, {settings.authority.issuing_body}, "
               f"{len(settings.units)} đơn vị. Sửa {target / 'cchc.toml'} cho đúng đơn vị của mình.")


@click.command("check", cls=Command)
@click.argument("files", nargs=-1, required=True, metavar="TỆP...")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON (một mảng, mỗi tệp một đối tượng).")
@workspace_option
@help_option
def check_cmd(files: tuple[str, ...], as_json: bool, workspace: Path | None) -> int:
    """Kiểm tra danh sách, văn bản, biểu chấm điểm của các xã (tệp hoặc thư mục)."""
    from automation.check import check_paths  # noqa: PLC0415
    from automation.workspace import libreoffice_dir  # noqa: PLC0415
    settings = settings_of(workspace)
    reports = check_paths(existing_files(files), settings, lo_workdir=libreoffice_dir(settings.workspace))
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in reports], ensure_ascii=False, indent=2))
    else:
        for r in reports:
            click.echo(present.describe_report(r))
        click.echo(present.checked_total(reports))
    return 1 if any(r.verdict == "rejected" for r in reports) else 0


@click.command("convert", cls=Command)
@click.argument("file", metavar="TỆP")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None, metavar="TỆP",
              help="Tệp kết quả (mặc định: <tên>-unicode.docx bên cạnh tệp gốc).")
@help_option
def convert_cmd(file: str, output: Path | None) -> None:
    """Chuyển văn bản bảng mã cũ (TCVN3, VNI) sang Unicode, phông Times New Roman."""
    from automation.formats.legacy_docx import convert_file  # noqa: PLC0415
    from automation.config import default_settings  # noqa: PLC0415
    from automation.workspace import sweep_libreoffice  # noqa: PLC0415
    sweep_libreoffice(None)
    [source] = existing_files((file,))
    result = convert_file(source, output, default_settings().limits)
    click.echo(f"Đã ghi bản Unicode, phông Times New Roman: {result.path} "
               f"({result.runs_decoded} đoạn chữ được chuyển mã, {result.runs_refonted} đoạn đổi phông).")


@click.command("process", cls=Command)
@workspace_option
@help_option
def process_cmd(workspace: Path | None) -> int:
    """Xử lý một lượt mọi tệp đang chờ trong inbox/ rồi thoát."""
    from automation.app import process_inbox  # noqa: PLC0415
    settings = workspace_settings(workspace)
    with click.progressbar(length=1, label="Đang xử lý", show_pos=True, file=sys.stderr) as bar:
        def grow(n: int) -> None:  # files are known only as they settle: the bar grows by batches
            bar.length = (bar.length if bar.pos else 0) + n
            bar.render_progress()

        result = process_inbox(settings, progress=lambda _rep: bar.update(1), on_batch=grow)
    click.echo(present.summarise_pass(result))
    return 0


@click.command("watch", cls=Command)
@workspace_option
@help_option
def watch_cmd(workspace: Path | None) -> int:
    """Theo dõi inbox/ liên tục, xử lý tệp ngay khi chép xong (Ctrl+C để dừng)."""
    import threading  # noqa: PLC0415
    from automation.app import send_weekly_status, watch  # noqa: PLC0415
    settings = workspace_settings(workspace)
    stop = threading.Event()
    click.echo(f"Đang theo dõi {settings.path('inbox')} (Ctrl+C để dừng)…")
    if settings.mail:
        click.echo(f"Bảng trạng thái được gửi thư mỗi {present.WEEKDAYS[settings.mail.weekday]} "
                   f"lúc {settings.mail.time}.")

    def weekly() -> None:  # a cheap no-op unless this week's status is due (recorded in the ledger)
        line = send_weekly_status(settings)
        if line:
            logging.getLogger("automation.status").info(line)
            click.echo(line)

    restore = _stop_on_signals(stop)
    try:
        watch(settings, stop, on_result=lambda r: click.echo(present.summarise_pass(r)), extra=weekly,
              on_problem=lambda p: click.echo(present.render(p, "error" if p.severity.value == "error" else "note", fix=True), err=True))
    except KeyboardInterrupt:
        stop.set()
    finally:
        restore()
    click.echo("Đã dừng theo dõi.")
    return 0


def _stop_on_signals(stop) -> Callable[[], None]:
    """Ctrl+C, SIGTERM (a service manager stopping the watcher) and Ctrl+Break on Windows end the watch
    cleanly: the pass under way finishes, LibreOffice is closed.  Installed explicitly, so a watcher started
    with Ctrl+C ignored (in the background of a shell script) still stops on it; a second signal while
    stopping interrupts at once.  Returns what puts the previous handlers back."""
    import signal  # noqa: PLC0415

    def ask(signum, frame) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {}
    for name in ("SIGINT", "SIGTERM", "SIGBREAK"):
        sig = getattr(signal, name, None)
        if sig is None:
            continue
        try:
            previous[sig] = signal.signal(sig, ask)
        except (ValueError, OSError):  # not the main thread, or not allowed here
            pass

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


@click.command("submissions", cls=Command)
@click.option("--json", "as_json", is_flag=True, help="In dạng JSON.")
@workspace_option
@help_option
def submissions_cmd(as_json: bool, workspace: Path | None) -> int:
    """Liệt kê sổ theo dõi hồ sơ đã nhận."""
    from automation.ledger.db import LEDGER_NAME, Ledger  # noqa: PLC0415
    from automation.ledger.records import KIND_NAMES  # noqa: PLC0415
    settings = workspace_settings(workspace)
    with Ledger(settings.path(LEDGER_NAME)) as ledger:
        subs = ledger.submissions.all()
    rows = [present.submission_dict(s, settings) for s in subs]
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    for line in present.columns(present.SUBMISSION_HEADERS, [present.submission_cells(r, KIND_NAMES) for r in rows]):
        click.echo(line)
    click.echo(f"Tổng cộng: {len(rows)} hồ sơ.")
    return 0


COMMANDS = (init_cmd, check_cmd, convert_cmd, process_cmd, watch_cmd, submissions_cmd)
