"""The sociological survey: ``survey sample``, ``survey forms``, ``survey import``."""

from __future__ import annotations

from pathlib import Path

import click

from automation import present
from automation.cli.common import existing_files, workspace_option, workspace_settings
from automation.cli.vi import Group, help_option
from automation.problems import Severity, UsageError


@click.group("survey", cls=Group)
@help_option
def survey_group() -> None:
    """Điều tra xã hội học: chọn mẫu, in phiếu, nhập kết quả."""


@survey_group.command("sample")
@click.option("--per-unit", type=click.IntRange(min=1), default=None, metavar="N",
              help="Số người mỗi đơn vị (mặc định: tất cả người hợp lệ trong danh sách).")
@click.option("--seed", type=int, default=None, metavar="S", help="Hạt giống ngẫu nhiên (mặc định: năm đánh giá).")
@click.option("--replace", is_flag=True, help="Chọn lại mẫu dù đã nhập kết quả điều tra (xóa kết quả cũ).")
@workspace_option
@help_option
def survey_sample_cmd(per_unit: int | None, seed: int | None, replace: bool, workspace: Path | None) -> int:
    """Chọn mẫu người được điều tra từ danh sách đã đạt của từng đơn vị (phân tầng theo lĩnh vực)."""
    from automation.app import draw_sample, has_answers, save_sample  # noqa: PLC0415
    settings = workspace_settings(workspace)
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
@help_option
def survey_forms_cmd(workspace: Path | None) -> int:
    """In phiếu điều tra của từng đơn vị và tạo bảng nhập phiếu."""
    from automation.app import sampled_people  # noqa: PLC0415
    from automation.forms.survey import write_survey_forms  # noqa: PLC0415
    from automation.survey.questions import workspace_questions  # noqa: PLC0415
    settings = workspace_settings(workspace)
    people = sampled_people(settings)
    if not people:
        raise UsageError("usage.bad_argument", detail="Chưa có mẫu điều tra; chạy “cchc survey sample” trước")
    result = write_survey_forms(settings.path("outbox"), settings, workspace_questions(settings), people)
    click.echo(f"Đã tạo {len(people)} phiếu của {len(result.unit_files)} đơn vị trong {result.folder} "
               f"và bảng nhập phiếu {result.entry_workbook}.")
    for line in present.kept_lines(result.kept):
        click.echo(line)
    return 0


@survey_group.command("import")
@click.argument("file", metavar="TỆP")
@workspace_option
@help_option
def survey_import_cmd(file: str, workspace: Path | None) -> int:
    """Nhập bảng nhập phiếu đã điền (thay cho lần nhập trước), tính điểm điều tra XHH."""
    from automation.app import import_survey  # noqa: PLC0415
    settings = workspace_settings(workspace)
    [path] = existing_files((file,))
    summary = import_survey(settings, path)
    for line in present.describe_survey(summary, settings):
        click.echo(line)
    return 1 if any(p.severity is Severity.ERROR for p in summary.problems) else 0


COMMANDS = (survey_group,)
