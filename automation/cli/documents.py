"""The office's documents: ``generate`` (drafts), ``templates check``, ``send-drafts`` (to the signer)."""

from __future__ import annotations

from pathlib import Path

import click

from automation import present
from automation.cli.common import workspace_option, workspace_or_default, workspace_settings
from automation.cli.vi import Command, Group, help_option


@click.command("generate", cls=Command)
@click.argument("what", type=click.Choice(["plan", "notices", "report", "decision", "all"]), metavar="LOẠI")
@click.option("--pdf", is_flag=True, help="Xuất thêm bản PDF của mỗi dự thảo (LibreOffice).")
@click.option("--today", is_flag=True,
              help="Ghi ngày hôm nay vào thông báo, báo cáo, quyết định (mặc định: giữ ngày soạn dự thảo lần "
                   "đầu; kế hoạch theo plan_date trong cchc.toml).")
@workspace_option
@help_option
def generate_cmd(what: str, pdf: bool, today: bool, workspace: Path | None) -> int:
    """Soạn dự thảo: plan (kế hoạch), notices (thông báo), report (báo cáo), decision (quyết định), all."""
    from automation.app import generate  # noqa: PLC0415
    settings = workspace_settings(workspace)
    drafts = generate(settings, what, pdf=pdf, today=today)
    for d in drafts:
        for p in d.problems():
            click.echo(present.render(p, "note"))
        if d.held_by:
            click.echo(present.held_decision(d.held_by))
    final = all(d.final for d in drafts)
    click.echo(f"Đã soạn {len(drafts)} văn bản trong {settings.path('outbox', 'du-thao')} "
               f"({present.drafts_state(final)})"
               + (f", kèm {sum(1 for d in drafts if d.pdf)} bản PDF" if pdf else "") + ".")
    return 0


@click.group("templates", cls=Group)
@help_option
def templates_group() -> None:
    """Mẫu văn bản (docxtpl) trong templates/."""


@templates_group.command("check")
@workspace_option
@help_option
def templates_check_cmd(workspace: Path | None) -> int:
    """Kiểm tra các mẫu: biến mẫu dùng mà chương trình không cung cấp, biến cung cấp mà mẫu không dùng."""
    from automation.documents.context import TEMPLATES, supplied_variables  # noqa: PLC0415
    from automation.documents.render import check_templates  # noqa: PLC0415
    settings = workspace_or_default(workspace)
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


@click.command("send-drafts", cls=Command)
@click.option("--dry-run", is_flag=True, help="Ghi thư ra tệp .eml thay vì gửi (không đánh dấu đã gửi).")
@workspace_option
@help_option
def send_drafts_cmd(dry_run: bool, workspace: Path | None) -> int:
    """Gửi các dự thảo đã sẵn sàng trình ký (kèm PDF) tới người ký; không gửi lại bản đã gửi."""
    from automation.documents.send import send_drafts  # noqa: PLC0415
    settings = workspace_settings(workspace)
    r = send_drafts(settings, dry_run=dry_run)  # a mail failure carries its problem (mail.*): main() shows it
    for p, why in r.skipped:
        click.echo(f"Bỏ qua {p}: {why}")
    if r.eml:
        click.echo(f"Đã ghi thư (không gửi): {r.eml}")
    elif r.sent:
        click.echo(f"Đã gửi {len(r.sent)} dự thảo tới {settings.documents.signer_email}.")
    else:
        click.echo("Không có dự thảo nào chờ trình ký.")
    return 0


COMMANDS = (generate_cmd, templates_group, send_drafts_cmd)
