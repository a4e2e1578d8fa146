"""``status``: the status workbook of what each unit sent, and the status mail on demand."""

from __future__ import annotations

from pathlib import Path

import click

from automation.cli.common import workspace_option, workspace_settings
from automation.cli.vi import Command, help_option


@click.command("status", cls=Command)
@click.option("--send", "send_mail", is_flag=True, help="Gửi bảng trạng thái qua thư điện tử ([mail] trong cchc.toml).")
@click.option("--dry-run", is_flag=True, help="Ghi thư ra tệp .eml trong outbox/trang-thai thay vì gửi.")
@workspace_option
@help_option
def status_cmd(send_mail: bool, dry_run: bool, workspace: Path | None) -> int:
    """Lập bảng trạng thái tiếp nhận hồ sơ của từng đơn vị (và gửi thư nếu yêu cầu)."""
    from automation import clock, mail  # noqa: PLC0415
    from automation.status import message  # noqa: PLC0415
    from automation.app import write_status  # noqa: PLC0415
    settings = workspace_settings(workspace)
    today = clock.now().date()
    path = write_status(settings, today)
    click.echo(f"Đã lập bảng trạng thái: {path}")
    if not (send_mail or dry_run):
        return 0
    ms = mail.MailSettings.from_config(settings.mail, dry_run=dry_run)  # no [mail]: mail.not_configured
    msg = message.build_message(settings, ms, path, message.summary_lines(settings, today), today)
    if dry_run:
        click.echo(f"Đã ghi thư (không gửi): {mail.write_eml(msg, path.parent, message.EML_PREFIX)}")
    else:  # a failure after the retries is a MailError (mail.timeout, mail.tls…): main() shows it
        mail.send(msg, ms, attempts=settings.mail.attempts, backoff_s=settings.mail.backoff_s)
        click.echo(f"Đã gửi thư tới {', '.join(ms.recipients)}.")
    return 0


COMMANDS = (status_cmd,)
