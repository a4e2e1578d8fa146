"""The scores: ``forms`` (the blank forms sent to the communes), ``recompute`` (the appraisal workbook) and
``previous import`` (last year's results)."""

from __future__ import annotations

from pathlib import Path

import click

from automation import present
from automation.cli.common import workspace_option, workspace_settings
from automation.cli.vi import Command, Group, help_option
from automation.problems import UsageError


@click.command("forms", cls=Command)
@workspace_option
@help_option
def forms_cmd(workspace: Path | None) -> int:
    """Tạo biểu mẫu gửi các xã: mẫu danh sách và biểu tự chấm điểm của từng đơn vị."""
    from automation.forms.self_assessment import write_forms  # noqa: PLC0415
    from automation.scoring.framework import workspace_framework  # noqa: PLC0415
    settings = workspace_settings(workspace)
    framework = workspace_framework(settings)
    if framework.sample:
        click.echo("Lưu ý: đang dùng BỘ TIÊU CHÍ MẪU (templates/bo-tieu-chi.xlsx); thay bằng bộ tiêu chí theo "
                   "quyết định của tỉnh trước khi gửi biểu cho các xã.", err=True)
    result = write_forms(settings.path("outbox"), settings, framework)
    click.echo(f"Đã tạo mẫu danh sách {result.list_template.name} và {len(result.workbooks)} biểu tự chấm điểm "
               f"trong {result.folder} (bộ tiêu chí {'MẪU' if framework.sample else 'chính thức'}, "
               f"{len(framework.scored)} tiêu chí tự chấm, tổng điểm tối đa {framework.total_max}).")
    for line in present.kept_lines(result.kept):
        click.echo(line)
    return 0


@click.command("recompute", cls=Command)
@workspace_option
@help_option
def recompute_cmd(workspace: Path | None) -> int:
    """Tính lại điểm, chỉ số, xếp hạng và ghi bảng thẩm định (khi tệp không mở trong Excel)."""
    from automation.app import recompute  # noqa: PLC0415
    from automation.appraisal.workbook import workbook_path  # noqa: PLC0415
    settings = workspace_settings(workspace)
    table = recompute(settings)
    for note in table.invalid:
        click.echo(f"Lưu ý: {note}")
    final = sum(r.status == "Chính thức" for r in table.results)
    click.echo(f"Đã tính lại {len(table.results)} đơn vị ({final} chính thức) và ghi {workbook_path(settings)}.")
    return 0


@click.group("previous", cls=Group)
@help_option
def previous_group() -> None:
    """Kết quả Chỉ số CCHC năm trước, để so sánh với năm nay."""


@previous_group.command("import")
@click.argument("file", metavar="TỆP")
@workspace_option
@help_option
def previous_import_cmd(file: str, workspace: Path | None) -> int:
    """Nhập kết quả năm trước: bảng thẩm định năm trước (.xlsm, trang TongHop) hoặc tệp CSV có cột code,index,rank
    (thay cho lần nhập trước). Mã đơn vị cũ được đối chiếu qua cột former của danh sách đơn vị."""
    from automation.app import import_previous  # noqa: PLC0415
    settings = workspace_settings(workspace)
    path = Path(file)
    if not path.is_file():
        raise UsageError("usage.bad_argument", detail=f"Không có tệp “{file}”" if not path.exists()
                         else f"“{file}” là thư mục, cần một tệp .xlsm, .xlsx hoặc .csv")
    read, counts = import_previous(settings, path)
    click.echo(f"Đã nhập kết quả năm trước của {read} đơn vị từ {path.name}.")
    if counts:
        click.echo("Đối chiếu với năm nay: " + ", ".join(
            f"{n} đơn vị {'không có kết quả năm trước' if k == '-' else k}" for k, n in counts.items()) + ".")
    else:
        click.echo("Chưa có bảng thẩm định năm nay: sẽ đối chiếu khi có (cchc recompute).")
    return 0


COMMANDS = (forms_cmd, recompute_cmd, previous_group)
