"""The ledger's upkeep: ``ledger check``, ``ledger backup``, ``ledger rebuild``."""

from __future__ import annotations

from pathlib import Path

import click

from automation.cli.common import workspace_option, workspace_settings
from automation.cli.vi import Group, confirm, help_option
from automation.present import render


@click.group("ledger", cls=Group)
@help_option
def ledger_group() -> None:
    """Sổ theo dõi: kiểm tra, sao lưu, dựng lại từ thư mục lưu trữ."""


@ledger_group.command("check")
@workspace_option
@help_option
def ledger_check_cmd(workspace: Path | None) -> int:
    """Kiểm tra sổ theo dõi còn nguyên vẹn và khớp với thư mục lưu trữ, cách ly."""
    from automation.app import ledger_check  # noqa: PLC0415
    found = ledger_check(workspace_settings(workspace))
    for p in found:
        click.echo(render(p, "note", fix=True))
    if not found:
        click.echo("Sổ theo dõi nguyên vẹn và khớp với các thư mục lưu trữ, cách ly.")
    return 1 if found else 0


@ledger_group.command("backup")
@workspace_option
@help_option
def ledger_backup_cmd(workspace: Path | None) -> int:
    """Sao lưu sổ theo dõi vào luu-tru/_sao-luu/ (giữ 14 bản mới nhất)."""
    from automation.app import ledger_backup  # noqa: PLC0415
    settings = workspace_settings(workspace)
    path = ledger_backup(settings)
    click.echo(f"Đã sao lưu sổ theo dõi vào {path.relative_to(settings.workspace)}.")
    return 0


@ledger_group.command("rebuild")
@click.option("--yes", is_flag=True, help="Không hỏi lại.")
@workspace_option
@help_option
def ledger_rebuild_cmd(yes: bool, workspace: Path | None) -> int:
    """Dựng lại sổ theo dõi từ thư mục lưu trữ và cách ly (sổ cũ được giữ lại với tên …hong-…)."""
    from automation.app import ledger_rebuild  # noqa: PLC0415
    settings = workspace_settings(workspace)
    if not yes:
        if not confirm("Dựng lại sổ theo dõi từ thư mục lưu trữ và cách ly?"):
            raise click.Abort()
    r = ledger_rebuild(settings)
    click.echo(f"Đã dựng lại sổ theo dõi: {r.from_sidecars} tệp theo phiếu thông tin lưu kèm, "
               f"{r.from_names} tệp theo tên và thư mục.")
    for p in r.moved_aside:
        click.echo(f"Sổ cũ được giữ lại: {p.name}")
    if r.missing:
        click.echo(f"Không thấy {len(r.missing)} tệp đã ghi trong phiếu thông tin: " + ", ".join(r.missing[:5]))
    if r.unreadable:
        click.echo(f"Không đọc được {len(r.unreadable)} phiếu thông tin: " + ", ".join(r.unreadable[:5]))
    return 0


COMMANDS = (ledger_group,)
