"""``preview``: outputs rendered to PDF, as they would print, into ``outbox/xem-truoc/``."""

from __future__ import annotations

from pathlib import Path

import click

from automation import present
from automation.cli.common import workspace_option, workspace_settings
from automation.cli.vi import Command, help_option


@click.command("preview", cls=Command)
@click.argument("targets", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="TỆP|THƯ_MỤC...")
@workspace_option
@help_option
def preview_cmd(targets: tuple[Path, ...], workspace: Path | None) -> int:
    """Chuyển văn bản, bảng tính sang PDF (như khi in) vào outbox/xem-truoc/."""
    from automation.documents.preview import preview  # noqa: PLC0415
    settings = workspace_settings(workspace)
    results = preview(settings, list(targets))
    failed = [r for r in results if r.problem is not None]
    for r in results:
        if r.pdf is not None:
            click.echo(f"{r.path.name} → {r.pdf}")
    for r in failed:
        click.echo(present.render(r.problem, "error"))
    click.echo(f"Đã tạo {len(results) - len(failed)} bản xem trước"
               + (f", {len(failed)} tệp không tạo được" if failed else "") + f" trong {settings.path('outbox', 'xem-truoc')}.")
    return 1 if failed else 0


COMMANDS = (preview_cmd,)
