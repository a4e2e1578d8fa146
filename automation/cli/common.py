"""What the command modules share: the --workspace option, finding the workspace and its settings, and the
files named on the command line."""

from __future__ import annotations

from pathlib import Path

import click

from automation.problems import UsageError

workspace_option = click.option(
    "--workspace", "-w", type=click.Path(file_okay=False, path_type=Path), default=None, metavar="THƯ_MỤC",
    help="Thư mục không gian làm việc (có tệp cchc.toml). Bỏ trống: dùng cấu hình mặc định.")


def settings_of(workspace: Path | None):
    """The settings of ``workspace`` (None: the built-in defaults), once what LibreOffice left behind for a dead
    command there and in the system temp folder is swept (every command reading settings starts here)."""
    from automation.config import load_settings  # noqa: PLC0415
    from automation.workspace import sweep_libreoffice  # noqa: PLC0415
    settings = load_settings(workspace)
    sweep_libreoffice(settings.workspace)
    return settings


def workspace_settings(workspace: Path | None):
    """Commands that own folders need a workspace: --workspace, or the current folder if it is one."""
    from automation.config import CONFIG_NAME  # noqa: PLC0415
    if workspace is None:
        if not (Path.cwd() / CONFIG_NAME).exists():
            raise UsageError("usage.bad_argument", detail="Thư mục hiện tại không phải không gian làm việc "
                                                          "(không có cchc.toml); dùng --workspace THƯ_MỤC")
        workspace = Path.cwd()
    return settings_of(workspace)


def workspace_or_default(workspace: Path | None):
    """--workspace, else the current folder if it is a workspace, else the built-in defaults."""
    if workspace is not None:
        return settings_of(workspace)
    from automation.config import CONFIG_NAME  # noqa: PLC0415
    return settings_of(Path.cwd() if (Path.cwd() / CONFIG_NAME).exists() else None)


def existing_files(files: tuple[str, ...]) -> list[Path]:
    """The files named (a folder stands for every file under it); a missing one is a usage error."""
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
