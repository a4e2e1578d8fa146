"""click in Vietnamese: the help layout ("Cách dùng", "Tùy chọn", "Lệnh", "mặc định", "bắt buộc") and click's
own errors said in Vietnamese, recognised by their exception class and attributes (never by matching click's
English text; its message is never shown).  Written against click 8.5 (the venv has 8.5.1).

Light on purpose: ``cchc --help`` imports this module and nothing heavy.
"""

from __future__ import annotations

import click

from automation.problems import Problem, problem

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"]}
_RANGE = getattr(click.types, "_NumberRangeBase", (click.IntRange, click.FloatRange))  # IntRange, FloatRange


class Formatter(click.HelpFormatter):
    def write_usage(self, prog, args="", prefix=None):
        super().write_usage(prog, args, prefix="Cách dùng: " if prefix is None else prefix)


class Context(click.Context):
    formatter_class = Formatter


class ExtraArguments(click.UsageError):
    """Arguments left over after a command's own (click says "Got unexpected extra arguments")."""

    def __init__(self, extra: list[str], ctx: click.Context | None = None):
        super().__init__("Thừa tham số " + " ".join(f"“{x}”" for x in extra), ctx)
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
            rest = parse_keeping_context(self, ctx, args, super().parse_args)
        finally:
            ctx.allow_extra_args = allowed
        if rest and not allowed and not ctx.resilient_parsing:
            raise ExtraArguments(rest, ctx)
        return rest

    def format_options(self, ctx, formatter):
        opts = [rv for p in self.get_params(ctx)
                if isinstance(p, click.Option) and (rv := help_record(p, ctx)) is not None]
        if opts:
            with formatter.section("Tùy chọn"):
                formatter.write_dl(opts)


def parse_keeping_context(cmd: click.Command, ctx: click.Context, args: list[str], parse):
    """click's ``parse_args``, its usage errors carrying the command's context (click's parser raises some
    without it) and a bad value the text typed for it (``given``), for the message to show."""
    given = list(args)
    try:
        return parse(ctx, args)
    except click.UsageError as exc:
        if exc.ctx is None:
            exc.ctx, exc.cmd = ctx, cmd
        if isinstance(exc, click.BadParameter):
            exc.given = _given_value(cmd, ctx, given, exc.param)
        raise


class Group(click.Group):
    context_class = Context
    command_class = Command

    def parse_args(self, ctx, args):
        return parse_keeping_context(self, ctx, args, super().parse_args)

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


def confirm(question: str) -> bool:
    """A yes/no question answered in Vietnamese ("c" có, "k" không; Enter: không), asked again on any other
    answer (click's own confirm says "Error: invalid input")."""
    while True:
        answer = click.prompt(question, default="", show_default=False, prompt_suffix=" [c/K]: ").strip().lower()
        if answer in ("c", "có", "co", "y", "yes"):
            return True
        if answer in ("", "k", "không", "khong", "n", "no"):
            return False
        click.echo("Hãy trả lời c (có) hoặc k (không).", err=True)


def help_option(f):
    return click.help_option("-h", "--help", help="Hiện hướng dẫn này rồi thoát.")(f)


def help_record(p: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """click's help line of an option with its extras ("default", "required", a range) in Vietnamese."""
    record = p.get_help_record(ctx)
    if record is None or not hasattr(p, "get_help_extra"):
        return record
    extra = p.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(f"biến môi trường: {', '.join(extra['envvars'])}")
    if "default" in extra:
        items.append(f"mặc định: {extra['default']}")
    if "range" in extra and isinstance(p.type, _RANGE):
        items.append(range_words(p.type))
    if "required" in extra:
        items.append("bắt buộc")
    text = p.help or ""
    if items:
        text = f"{text}  [{'; '.join(items)}]" if text else f"[{'; '.join(items)}]"
    return record[0], text


def range_words(t) -> str:
    """An IntRange/FloatRange in words: "từ 1 trở lên", "từ 0 đến 100", "lớn hơn 0"."""
    low = None if t.min is None else (f"lớn hơn {t.min}" if t.min_open else f"từ {t.min}")
    if t.max is None:
        return f"{low} trở lên" if not t.min_open else str(low)
    high = f"nhỏ hơn {t.max}" if t.max_open else (f"đến {t.max}" if low and not t.min_open else f"không quá {t.max}")
    return f"{low} {high}" if low else high


def _given_value(cmd: click.Command, ctx: click.Context, args: list[str], param) -> str | None:
    """The raw text typed for ``param`` (parsed again without converting), None when it cannot be told."""
    if param is None:
        return None
    try:
        parser = cmd.make_parser(ctx)
        opts, _, _ = parser.parse_args(args=list(args))
    except Exception:  # noqa: BLE001 - the first parse already failed on something else: no value to show
        return None
    value = opts.get(param.name)
    if isinstance(value, (list, tuple)):
        value = " ".join(str(v) for v in value)
    return value if isinstance(value, str) else None


def param_name(param) -> str:
    """How the person typed (or reads in the help) a parameter: "--per-unit", "THƯ_MỤC"."""
    if param is None:
        return "tham số"
    if isinstance(param, click.Option):
        return max(param.opts, key=len)
    return (param.metavar or "").rstrip(".[]").lstrip("[") or (param.name or "").upper() or "tham số"


def _quoted(words) -> str:
    return " hay ".join(f"“{w}”" for w in words)


def _guess(words) -> str:
    return f"Có phải ý bạn là {_quoted(words)}? " if words else ""


def _option_of(ctx: click.Context | None, name: str):
    if ctx is None:
        return None
    return next((p for p in ctx.command.params if isinstance(p, click.Option)
                 and name in (*p.opts, *p.secondary_opts)), None)


def _bad_value(exc: click.BadParameter) -> tuple[str, list[str]]:
    """What is wrong with the value given to a parameter, told by the parameter's type."""
    param, value = exc.param, getattr(exc, "given", None)
    name = param_name(param)
    shown = f"“{value}”" if value is not None else "giá trị đã ghi"
    t = param.type if param is not None else None
    if isinstance(t, click.Choice):
        from difflib import get_close_matches  # noqa: PLC0415
        choices = [str(c) for c in t.choices]
        near = get_close_matches(value, choices, 2) if value is not None else []
        return f"{shown} không phải {name} hợp lệ; chọn một trong: {', '.join(choices)}", near
    if isinstance(t, _RANGE):
        number = "số nguyên" if isinstance(t, click.types.IntParamType) else "số"
        return f"{name} cần {number} {range_words(t)}, không dùng được {shown}", []
    if isinstance(t, click.types.IntParamType):
        return f"{name} cần số nguyên, {shown} không phải số nguyên", []
    if isinstance(t, click.types.FloatParamType):
        return f"{name} cần số (dấu chấm thập phân), {shown} không phải số", []
    if isinstance(t, click.Path):
        return _bad_path(t, name, value), []
    if isinstance(t, click.types.BoolParamType):
        return f"{name} cần true hoặc false (có: 1, yes; không: 0, no), không dùng được {shown}", []
    if isinstance(t, click.DateTime):
        return f"{name} cần ngày dạng {', '.join(t.formats)}, không dùng được {shown}", []
    return f"Giá trị {shown} không dùng được cho {name}", []


def _bad_path(t: click.Path, name: str, value: str | None) -> str:
    import os  # noqa: PLC0415
    if value is None:
        return f"Đường dẫn đã ghi cho {name} không dùng được"
    what = "thư mục" if not t.file_okay else "tệp" if not t.dir_okay else "tệp hay thư mục"
    if not os.path.exists(value):
        return f"Không có {what} “{value}” ({name})"
    if not t.file_okay and not os.path.isdir(value):
        return f"“{value}” là tệp, {name} cần thư mục"
    if not t.dir_okay and os.path.isdir(value):
        return f"“{value}” là thư mục, {name} cần tệp"
    return f"Không có quyền dùng “{value}” ({name}: cần quyền đọc, ghi)"


def usage_in_vietnamese(exc: click.UsageError) -> tuple[str, list[str]]:
    """What went wrong and the near misses to suggest, told by the error's class and attributes."""
    ctx = exc.ctx
    if isinstance(exc, click.exceptions.NoSuchCommand):
        where = f" trong nhóm “{ctx.command_path}”" if ctx is not None and ctx.parent is not None else ""
        return f"Không có lệnh “{exc.command_name}”{where}", list(exc.possibilities or ())
    if isinstance(exc, click.exceptions.NoSuchOption):
        return f"Không có tùy chọn “{exc.option_name}”", [p for p in exc.possibilities or () if p != exc.option_name]
    if isinstance(exc, click.exceptions.BadOptionUsage):
        option = _option_of(ctx, exc.option_name)
        if option is not None and (option.is_flag or option.nargs == 0):
            return f"Tùy chọn “{exc.option_name}” không nhận giá trị (chỉ ghi “{exc.option_name}”)", []
        metavar = f" ({option.metavar})" if option is not None and option.metavar else ""
        return f"Tùy chọn “{exc.option_name}” cần một giá trị ngay sau nó{metavar}", []
    if isinstance(exc, click.exceptions.MissingParameter):
        kind = "tùy chọn" if isinstance(exc.param, click.Option) else "tham số"
        return f"Thiếu {kind} {param_name(exc.param)}", []
    if isinstance(exc, click.BadParameter):
        return _bad_value(exc)
    if isinstance(exc, ExtraArguments):
        return exc.message, []  # its own message is already Vietnamese
    if isinstance(exc, click.exceptions.BadArgumentUsage):
        return "Tham số chưa đủ giá trị", []
    return "Sai cách dùng lệnh", []


def click_problem(exc: click.ClickException) -> tuple[Problem, int]:
    """The problem and exit code of one of click's errors (click's English message is never shown)."""
    ctx = getattr(exc, "ctx", None)
    where = ctx.command_path if ctx is not None else "cchc"
    if isinstance(exc, click.UsageError):
        detail, near = usage_in_vietnamese(exc)
        return problem("usage.bad_argument", variant="click", detail=detail, suggestion=_guess(near),
                       help=f"{where} --help"), 2
    if isinstance(exc, click.FileError):
        detail = f"Không mở được tệp “{exc.ui_filename}”"
    else:
        detail = "Lệnh không chạy được"
    return problem("usage.bad_argument", variant="click", detail=detail, suggestion="", help=f"{where} --help"), \
        exc.exit_code
