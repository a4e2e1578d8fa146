"""``demo``: the whole year (or only the lists) on built-in sample data, in a fresh workspace."""

from __future__ import annotations

from pathlib import Path

import click

from automation.cli.vi import Command, help_option


@click.command("demo", cls=Command)
@click.argument("directory", required=False, type=click.Path(file_okay=False, path_type=Path), metavar="[THƯ_MỤC]")
@click.option("--dry-run", is_flag=True, help="Ghi thư bảng trạng thái ra tệp .eml thay vì gửi tới máy chủ thư thử nghiệm.")
@click.option("--only-lists", is_flag=True, help="Chỉ chạy phần danh sách (nhanh): tạo, thả vào inbox, kiểm tra.")
@click.option("--preset", default=None, metavar="MẪU",
              help="Mẫu cấu hình như của lệnh init: vinh-tuong-2021 (mặc định, 28 đơn vị, năm 2021) hoặc phu-tho "
                   "(148 xã, phường, năm 2026, có nhóm xếp hạng, điểm thưởng, điểm trừ, vòng giải trình, so sánh năm trước).")
@help_option
def demo_cmd(directory: Path | None, dry_run: bool, only_lists: bool, preset: str | None) -> int:
    """Chạy thử cả năm trên dữ liệu mẫu (mặc định 28 đơn vị của huyện Vĩnh Tường năm 2021): danh sách, biểu tự
    chấm, tài liệu kiểm chứng, điều tra, thẩm định, dự thảo văn bản, bảng trạng thái và thư điện tử."""
    from automation.workspace import sweep_libreoffice  # noqa: PLC0415
    sweep_libreoffice(None)  # the demo's own workspace is new: only the system temp folder
    if only_lists:
        from automation.demo.lists import run_demo  # noqa: PLC0415
        return run_demo(directory, echo=click.echo, preset=preset)
    from automation.demo.year import run_year_demo  # noqa: PLC0415
    return run_year_demo(directory, echo=click.echo, dry_run=dry_run, preset=preset)


COMMANDS = (demo_cmd,)
