"""Every way a person can mistype a ``cchc`` command, for every command of the real command tree: the answer is
one Vietnamese line (no English sentence, quotes “…” balanced, no traceback), and it says what was wrong."""

from __future__ import annotations

import click
import pytest

from automation.cli import cli, vi
from tests.messages import assert_one_vietnamese_error, problems_with, run_main

USAGE = "usage.bad_argument]: "


def _tree(cmd: click.Command, path: tuple[str, ...] = ()):
    yield path, cmd
    if isinstance(cmd, click.Group):
        for name in cmd.list_commands(click.Context(cmd)):
            yield from _tree(cmd.get_command(click.Context(cmd), name), (*path, name))


TREE = list(_tree(cli))
COMMANDS = [(p, c) for p, c in TREE if not isinstance(c, click.Group)]
GROUPS = [(p, c) for p, c in TREE if isinstance(c, click.Group)]


def _id(item) -> str:
    return " ".join(item[0]) or "cchc"


def _arguments(cmd):
    return [p for p in cmd.params if isinstance(p, click.Argument)]


def _options(cmd):
    return [p for p in cmd.params if isinstance(p, click.Option)]


def _valid(param, tmp_path) -> str:
    """A value the parser takes for ``param`` (the command is never run: another mistake stops it first)."""
    if isinstance(param.type, click.Choice):
        return str(param.type.choices[0])
    if isinstance(param.type, click.Path):
        return str(tmp_path / "moi")
    if isinstance(param.type, (click.types.IntParamType, click.types.FloatParamType)):
        return "5"
    return "x"


def _check(args, capsys, tmp_path, *expected: str) -> str:
    err = assert_one_vietnamese_error(list(args), capsys, "usage.", ignore=(str(tmp_path),))
    for text in expected:
        assert text in err, (args, err, text)
    assert err.endswith("--help”."), err  # where to read how the command is used
    return err


def test_the_tree_is_walked():
    names = {" ".join(p) for p, _ in COMMANDS}
    assert {"check", "generate", "survey sample", "ledger rebuild", "init"} <= names and len(names) >= 20


@pytest.mark.parametrize("item", TREE, ids=_id)
def test_unknown_option(item, capsys, tmp_path):
    path, cmd = item
    _check([*path, "--khong-co-tuy-chon"], capsys, tmp_path, "Không có tùy chọn “--khong-co-tuy-chon”.")
    for opt in (o for p in _options(cmd) for o in p.opts if o.startswith("--") and len(o) >= 5):
        _check([*path, opt + opt[-1]], capsys, tmp_path, f"Không có tùy chọn “{opt + opt[-1]}”.",
               "Có phải ý bạn là “", f"“{opt}”")


@pytest.mark.parametrize("item", GROUPS, ids=_id)
def test_unknown_command_with_its_near_miss(item, capsys, tmp_path):
    path, group = item
    _check([*path, "khong-co-lenh"], capsys, tmp_path, "Không có lệnh “khong-co-lenh”")
    for name in group.list_commands(click.Context(group)):
        typo = name + name[-1]
        err = _check([*path, typo], capsys, tmp_path, f"Không có lệnh “{typo}”", f"Có phải ý bạn là “{name}”")
        assert f"Xem “{' '.join(('cchc', *path))} --help”." in err


@pytest.mark.parametrize("item", COMMANDS, ids=_id)
def test_missing_argument(item, capsys, tmp_path):
    path, cmd = item
    args = _arguments(cmd)
    for i, param in enumerate(args):
        if param.required:
            given = [_valid(p, tmp_path) for p in args[:i]]
            _check([*path, *given], capsys, tmp_path, f"Thiếu tham số {vi.param_name(param)}.")


# a command taking any number of files (check, preview) has no extra argument to refuse
FIXED_ARITY = [item for item in COMMANDS if not any(p.nargs == -1 for p in _arguments(item[1]))]


def test_most_commands_have_a_fixed_number_of_arguments():
    assert len(COMMANDS) - len(FIXED_ARITY) <= 3 and len(FIXED_ARITY) >= 15


@pytest.mark.parametrize("item", FIXED_ARITY, ids=_id)
def test_extra_arguments(item, capsys, tmp_path):
    path, cmd = item
    args = _arguments(cmd)
    given = [_valid(p, tmp_path) for p in args]
    _check([*path, *given, "thua1", "thua2"], capsys, tmp_path, "Thừa tham số “thua1” “thua2”.")


@pytest.mark.parametrize("item", COMMANDS, ids=_id)
def test_option_without_its_value_and_flag_with_one(item, capsys, tmp_path):
    path, cmd = item
    given = [_valid(p, tmp_path) for p in _arguments(cmd) if p.required]
    for param in _options(cmd):
        for opt in param.opts:
            if param.is_flag:
                if opt.startswith("--"):
                    _check([*path, *given, f"{opt}=1"], capsys, tmp_path, f"Tùy chọn “{opt}” không nhận giá trị")
            else:
                _check([*path, *given, opt], capsys, tmp_path, f"Tùy chọn “{opt}” cần một giá trị ngay sau nó")


def _bad_values(param, tmp_path):
    """(value, what the message must say) for a value the parameter's type refuses."""
    t, name = param.type, vi.param_name(param)
    if isinstance(t, click.Choice):
        first = str(t.choices[0])
        yield "khong-co", f"“khong-co” không phải {name} hợp lệ; chọn một trong: {first}"
        yield first + first[-1], f"Có phải ý bạn là “{first}”?"
    if isinstance(t, (click.types.IntParamType, click.types.FloatParamType)):
        yield "abc", f"{name} cần số"
        if isinstance(t, (click.IntRange, click.FloatRange)) and t.min is not None:
            yield str(t.min - 1), f"{name} cần số nguyên {vi.range_words(t)}, không dùng được “{t.min - 1}”."
    if isinstance(t, click.Path):
        a_file, a_dir = tmp_path / "tep.txt", tmp_path / "thu-muc"
        a_file.write_text("x", encoding="utf-8")
        a_dir.mkdir(exist_ok=True)
        if not t.file_okay:
            yield str(a_file), f"là tệp, {name} cần thư mục."
        if not t.dir_okay:
            yield str(a_dir), f"là thư mục, {name} cần tệp."
        if t.exists:
            yield str(tmp_path / "khong-co"), "Không có "


@pytest.mark.parametrize("item", COMMANDS, ids=_id)
def test_bad_values(item, capsys, tmp_path):
    path, cmd = item
    arguments = _arguments(cmd)
    for param in cmd.params:
        for value, text in _bad_values(param, tmp_path):
            if isinstance(param, click.Argument):
                i = arguments.index(param)
                args = [*(_valid(p, tmp_path) for p in arguments[:i]), value]
            else:
                args = [*(_valid(p, tmp_path) for p in arguments if p.required), param.opts[0], value]
            _check([*path, *args], capsys, tmp_path, text)


@pytest.mark.parametrize("item", TREE, ids=_id)
def test_help_is_vietnamese(item, capsys):
    path, _ = item
    code, out, err = run_main([*path, "--help"], capsys)
    assert code == 0 and err == "" and out.startswith("Cách dùng: cchc")
    assert problems_with(out, ignore=("Word/Excel", "Word (.doc, .docx)")) == [], out


# click's other parameter types, on a command built the way cchc's are (vi.Command): none is English either
@click.command("thu", cls=vi.Command)
@click.argument("hai", nargs=2, metavar="A B")
@click.option("--ti-le", type=click.FloatRange(0, 1), default=0.5, show_default=True, help="Tỉ lệ.")
@click.option("--so", type=float)
@click.option("--kieu", type=click.Choice(["word", "excel"]))
@click.option("--tep", type=click.Path(exists=True, dir_okay=False))
@click.option("--ngay", type=click.DateTime(["%Y-%m-%d"]))
@click.option("--bat", type=bool)
@click.option("--ma", required=True)
def _thu(**kwargs):
    """Lệnh thử."""


@pytest.mark.parametrize("args, text", [
    (["a"], "Tham số chưa đủ giá trị"),
    (["a", "b"], "Thiếu tùy chọn --ma."),
    (["a", "b", "--ma", "1", "--ti-le", "2"], "--ti-le cần số từ 0 đến 1, không dùng được “2”."),
    (["a", "b", "--ma", "1", "--so", "1,5"], "--so cần số (dấu chấm thập phân), “1,5” không phải số."),
    (["a", "b", "--ma", "1", "--kieu", "wrod"], "“wrod” không phải --kieu hợp lệ; chọn một trong: word, excel. "
                                                "Có phải ý bạn là “word”?"),
    (["a", "b", "--ma", "1", "--tep", "/khong/co"], "Không có tệp “/khong/co” (--tep)."),
    (["a", "b", "--ma", "1", "--ngay", "30/10/2021"], "--ngay cần ngày dạng %Y-%m-%d, không dùng được “30/10/2021”"),
    (["a", "b", "--ma", "1", "--bat", "co"], "--bat cần true hoặc false"),
])
def test_every_parameter_type_is_said_in_vietnamese(args, text, monkeypatch, capsys):
    from automation import cli as cli_module
    group = vi.Group("cchc", commands=[_thu])
    monkeypatch.setattr(cli_module, "cli", group)
    err = assert_one_vietnamese_error(["thu", *args], capsys, "usage.", ignore=("%Y-%m-%d",))
    assert text in err, err


def test_help_extras_are_vietnamese(monkeypatch, capsys):
    from automation import cli as cli_module
    monkeypatch.setattr(cli_module, "cli", vi.Group("cchc", commands=[_thu]))
    code, out, _ = run_main(["thu", "--help"], capsys)
    assert code == 0 and "[mặc định: 0.5; từ 0 đến 1]" in out and "[bắt buộc]" in out
    assert "default" not in out and "required" not in out
