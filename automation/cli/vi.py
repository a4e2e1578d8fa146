"""click in Vietnamese: the help layout ("Cách dùng", "Tùy chọn", "Lệnh") and click's own errors said in
Vietnamese, recognised by their exception class (never by matching click's English text).

Light on purpose: ``cchc --help`` imports this module and nothing heavy.
"""

from __future__ import annotations

import click

from automation.problems import Problem, problem

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}


class Formatter(click.HelpFormatter):
    def write_usage(self, prog, args="", prefix=None):
        super().write_usage(prog, args, prefix="Cách dùng: " if prefix is None else prefix)


class Context(click.Context):
    formatter_class = Formatter


class ExtraArguments(click.UsageError):
    """Arguments left over after a command's own (click says "Got unexpected extra arguments")."""

    def __init__(self, extra: list[str], ctx: click.Context | None = None):
        super().__init__(f"Got unexpected extra argument{'s' if len(extra) > 1 else ''} ({' '.join(extra)})", ctx)
        self.extra = list(extra)


class Command(click.Command):
    context_class = Context

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        super().__init__(*args, **kwargs)

    def parse_args(self, ctx, args):
        # click reports left-over arguments with a plain UsageError: raise our own class instead
        allowed, ctx.allow_extra_args = ctx.allow_extra_args, True
        try:
            rest = super().parse_args(ctx, args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx)
                if isinstance(p, click.Option) and (rv := p.get_help_record(ctx)) is not None]
        if opts:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(opts)


class Group(click.Group):
    context_class = Context
    command_class = Command

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("options_metavar", "[TÙY CHỌN]")
        kwargs.setdefault("subcommand_metavar", "LỆNH [THAM SỐ]...")
        super().__init__(*args, **kwargs)

    def format_options(self, ctx, formatter):
        Command.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter):
        rows = [(name, cmd.get_short_help_str(60)) for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section("Lệnh"):
                formatter.write_dl(rows)


def help_option(f):
    return click.help_option("-h", "--help", help="Hiện hướng dẫn này rồi thoát.")(f)


def usage_in_vietnamese(exc: click.UsageError) -> str:
    """click's own messages are English: say the common ones in Vietnamese, by the error's class."""
    param = getattr(exc, "param", None)
    name = param.human_readable_name if param is not None else ""
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"Không có tùy chọn “{exc.option_name}”"
    if isinstance(exc, click.exceptions.NoSuchCommand):
        guesses = " hay ".join(f"“{p}”" for p in exc.possibilities or ())
        return f"Không có lệnh “{exc.command_name}”" + (f" (có phải {guesses}?)" if guesses else "")
    if isinstance(exc, click.exceptions.MissingParameter):
        return f"Thiếu {name or 'tham số'}"
    if isinstance(exc, click.BadParameter):
        if param is not None and isinstance(param.type, click.Choice):
            return f"Giá trị không hợp lệ cho {name}: chọn một trong {', '.join(map(str, param.type.choices))}"
        return f"Giá trị không hợp lệ cho {name or 'tham số'} ({exc.message})"
    if isinstance(exc, ExtraArguments):
        return f"Thừa tham số: {' '.join(exc.extra)}"
    return f"Sai cách dùng lệnh ({exc.format_message()})"


def click_problem(exc: click.ClickException) -> tuple[Problem, int]:
    """The problem and exit code of one of click's errors."""
    if isinstance(exc, click.UsageError):
        return problem("usage.bad_argument", detail=f"{usage_in_vietnamese(exc)}; xem “cchc --help”"), 2
    return problem("usage.bad_argument", detail=exc.format_message()), exc.exit_code
