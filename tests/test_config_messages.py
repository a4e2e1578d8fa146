"""Every way ``cchc.toml`` can be wrong, said in Vietnamese through ``cchc``: a wrong type for each key of the
default file (the value shown as it is written: ``"30"`` is text), an unknown key with its near miss, a missing
one, a date that does not exist, and TOML syntax errors of every family tomllib has (line, column, the key)."""

from __future__ import annotations

import datetime as dt
import re
import tomllib

import pytest

from automation.config import DEFAULT_CONFIG, load_settings
from tests.messages import assert_one_vietnamese_error

DEFAULT = DEFAULT_CONFIG.read_text(encoding="utf-8")


def _with_examples(text: str) -> str:
    """The default file with its commented [mail] and [ranking] examples switched on (ca_file left out: it names
    a certificate file the test does not have)."""
    out, on = [], False
    for line in text.split("\n"):
        if line in ("# [mail]", "# [ranking]"):
            on = True
        if on and not line.startswith("#"):
            on = False
        if on and not line.startswith("# ca_file") and not line.startswith("#      "):
            line = line[2:]
        out.append(line)
    return "\n".join(out)


FULL = _with_examples(DEFAULT).replace('"dac_khu"] }', '"dac_khu", "thi_tran"] }')  # the district's towns
_HEADER = re.compile(r"^\[\[?([\w.]+)\]\]?")
_ASSIGN = re.compile(r"^([A-Za-z_]+) = (.+?)(\s+#.*)?$")


def _assignments(text: str):
    """(line index, dotted key, leaf, value) for each "key = value" line (the first [[units]] block only)."""
    table, blocks = "", 0
    for i, line in enumerate(text.split("\n")):
        if m := _HEADER.match(line):
            table = m.group(1)
            if line.startswith("[["):
                blocks += 1
                table = f"{table}[{blocks - 1}]"
            continue
        m = _ASSIGN.match(line)
        if m and blocks <= 1:
            key = f"{table}.{m.group(1)}" if table else m.group(1)
            yield i, key, m.group(1), tomllib.loads(f"v = {m.group(2)}")["v"]


def _wrong(value) -> tuple[str, str | None]:
    """A literal of the wrong type for ``value``'s key, and how the message must say to write it (None: no
    rewriting is obvious)."""
    if isinstance(value, bool):
        return '"yes"', "true"
    if isinstance(value, str):
        return "30", '"30"'
    if isinstance(value, (int, float)):
        return f'"{value}"', str(value)
    if isinstance(value, dt.date):
        return f'"{value.isoformat()}"', value.isoformat()
    if isinstance(value, list):
        return '"x"', '["x"]'
    return "5", None  # an inline table


def _cases():
    for i, key, leaf, value in _assignments(FULL):
        if key.startswith("ranking."):
            continue  # [ranking] is checked in the general sweep below (its own messages)
        wrong, fixed = _wrong(value)
        yield pytest.param(i, key, leaf, wrong, fixed, id=key)
        if isinstance(value, dict):  # the keys of an inline table: deadlines.respondent_list.date …
            for inner, v in value.items():
                w, f = _wrong(v)
                yield pytest.param(i, f"{key}.{inner}", inner, w, f, id=f"{key}.{inner}")


def _run(tmp_path, capsys, text: str | bytes, code: str = "config.") -> str:
    ws = tmp_path / "ws"
    ws.mkdir(exist_ok=True)
    target = ws / "cchc.toml"
    target.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return assert_one_vietnamese_error(["status", "-w", ws], capsys, code, ignore=(str(ws),))


def test_the_file_with_its_examples_is_valid(tmp_path):
    (tmp_path / "cchc.toml").write_text(FULL, encoding="utf-8")
    s = load_settings(tmp_path)
    assert s.mail is not None and s.ranking.bands and len(list(_cases())) > 50


@pytest.mark.parametrize("line, key, leaf, wrong, fixed", list(_cases()))
def test_a_wrong_type_shows_the_value_as_written(line, key, leaf, wrong, fixed, tmp_path, capsys):
    lines = FULL.split("\n")
    if "." in key and key.count(".") == 2 and "{" in lines[line]:  # inside an inline table
        inner = key.rsplit(".", 1)[1]
        lines[line] = re.sub(rf"\b{inner} = [^,}}]+", f"{inner} = {wrong}", lines[line])
    else:
        lines[line] = f"{leaf} = {wrong}"
    err = _run(tmp_path, capsys, "\n".join(lines), "config.invalid]: ")
    assert f"Cấu hình không hợp lệ ở khóa “{key}”: " in err, err
    if key == "mail.weekday":
        assert f"nhưng ghi “{wrong}”" in err
        return
    assert re.search(rf": cần [^,]+, nhưng “{re.escape(wrong)}” là ", err), err
    if wrong.startswith('"'):
        assert "là chữ (viết trong ngoặc kép)" in err
    if fixed is not None:
        assert f"; viết {leaf} = {fixed}." in err, err


def test_the_text_30_is_text_not_a_number(tmp_path, capsys):
    err = _run(tmp_path, capsys, DEFAULT.replace("size = 30", 'size = "30"'))
    assert err == ("Lỗi [config.invalid]: Cấu hình không hợp lệ ở khóa “list.size”: cần số nguyên, nhưng “\"30\"” là "
                   "chữ (viết trong ngoặc kép); viết size = 30. Sửa tệp cchc.toml.")


def test_an_unknown_key_names_its_near_miss(tmp_path, capsys):
    tables = [(i, t) for i, t in enumerate(FULL.split("\n")) if _HEADER.match(t) and not t.startswith("[[")]
    assert len(tables) >= 8
    for i, header in [(-1, ""), *tables]:
        table = _HEADER.match(header).group(1) if header else ""
        first = next(leaf for j, key, leaf, _ in _assignments(FULL) if j > i and key == (
            f"{table}.{leaf}" if table else leaf))
        lines = FULL.split("\n")
        lines.insert(i + 1, f"{first}x = 1")
        err = _run(tmp_path, capsys, "\n".join(lines))
        dotted = f"{table}.{first}" if table else first
        assert f"khóa “{dotted}x”: khóa không được hỗ trợ" in err, err
        if not table.startswith("ranking"):
            assert f"(có phải ý bạn là “{dotted}”?)" in err, err


def test_a_missing_key_and_a_value_out_of_range(tmp_path, capsys):
    err = _run(tmp_path, capsys, DEFAULT.replace("year = 2021\n", ""))
    assert "khóa “year”: thiếu khóa bắt buộc." in err
    err = _run(tmp_path, capsys, DEFAULT.replace("size = 30", "size = 0"))
    assert "khóa “list.size”: phải lớn hơn 0." in err
    err = _assert_missing(tmp_path, capsys)
    assert "Không tìm thấy tệp cấu hình" in err


def _assert_missing(tmp_path, capsys):
    (tmp_path / "trong").mkdir()
    return assert_one_vietnamese_error(["status", "-w", tmp_path / "trong"], capsys, "config.missing",
                                       ignore=(str(tmp_path),))


def _line_of(text: str, needle: str) -> int:
    return next(i for i, s in enumerate(text.split("\n"), 1) if needle in s)


R = "respondent_list = { date = 2021-10-30, inclusive = false }"
SYNTAX = [  # (what replaces, with what, the key the message names, what it says)
    (R, R.replace("2021-10-30", "2021-13-30"), "deadlines.respondent_list.date",
     "ngày “2021-13-30” không có thật (không có tháng 13)"),
    ("window_start = 2021-01-01", "window_start = 2021-02-30", "list.window_start",
     "ngày “2021-02-30” không có thật (tháng 2 năm 2021 không có ngày 30)"),
    ("window_start = 2021-01-01", "window_start = 01/01/2021", "list.window_start",
     "ngày viết dạng năm-tháng-ngày, không có ngoặc kép: 2021-01-01"),
    ("window_start = 2021-01-01", "window_start = 2021-1-1", "list.window_start", "2021-01-01"),
    ('place_name = "Vĩnh Tường"', "place_name = Vĩnh Tường", "authority.place_name",
     "chữ phải đặt trong ngoặc kép: \"Vĩnh Tường\""),
    ("size = 30", "size 30", "list.size", "thiếu dấu “=” giữa tên khóa và giá trị"),
    ('place_name = "Vĩnh Tường"', 'place_name = "Vĩnh Tường', "authority.place_name",
     "chuỗi chưa có dấu ngoặc kép đóng trên dòng này"),
    ("[list]", "[list", "", "tiêu đề bảng thiếu dấu “]” ở cuối"),
    ("[[units]]", "[[units]", "", "tiêu đề khối thiếu dấu “]]” ở cuối"),
    ("size = 30", "size = 30\nsize = 31", "list.size", "khóa này đã có giá trị ở trên"),
    ("[limits]", "[list]", "", "bảng này đã được khai báo ở trên"),
    ("max_field_share = 0.7", "max_field_share = 0,7", "list.max_field_share", "số thập phân viết bằng dấu chấm: 0.7"),
    ("polling = false", "polling = no", "inbox.polling", "giá trị đúng/sai viết true hoặc false"),
    ('code = "09079"', "code = 09079", "units[1].code", "mã như 09079 viết trong ngoặc kép: \"09079\""),
    ("size = 30", "size =", "list.size", "thiếu giá trị sau dấu “=”"),
    ('formats = ["word"]', 'formats = ["word"', "list.formats", "danh sách thiếu dấu “]” ở cuối"),
    ('formats = ["word"]', 'formats = ["word" "excel"]', "list.formats", "thiếu dấu phẩy giữa hai phần tử"),
    (R, "respondent_list = { date = 2021-10-30 inclusive = false }", "deadlines.respondent_list.date",
     "bảng { … } thiếu dấu “}”"),
    ("year = 2021", "year = 2021 2022", "year", "còn chữ thừa sau giá trị"),
    ("size = 30", "= 30", "", "dòng này không phải “khóa = giá trị”"),
    ('place_name = "Vĩnh Tường"', 'place_name = "Vĩnh\x01Tường"', "authority.place_name",
     "ký tự điều khiển không được phép"),
    ('place_name = "Vĩnh Tường"', 'place_name = "D:\\cchc"', "authority.place_name",
     "dấu “\\” trong chuỗi ngoặc kép phải viết hai lần"),
    ('place_name = "Vĩnh Tường"', 'place_name = "\\uZZZZ"', "authority.place_name", "mã ký tự “\\u…”"),
    ("size = 30", "size = 3x0", "list.size", "còn chữ thừa sau giá trị"),
    ("size = 30", "size = [1, 2", "list.size", "danh sách thiếu dấu “]”"),
    ("size = 30", "size = { a = 1, a = 2 }", "list.size.a", "khóa bị lặp trong bảng { … }"),
    ("size = 30", "size. = 30", "", "tên khóa bắt đầu bằng ký tự không dùng được"),
    ('parent_body = ""', 'parent_body = """', "authority.parent_body", 'chuỗi mở bằng “"""” chưa có dấu đóng “"""”'),
    ('formats = ["word"]', 'formats = ["word",\n"excel"\nmin_fields = 3', "list.formats",
     "danh sách thiếu dấu “]” ở cuối"),
]


@pytest.mark.parametrize("old, new, key, said", SYNTAX, ids=[s[1][:30] for s in SYNTAX])
def test_a_syntax_error_names_line_column_and_key(old, new, key, said, tmp_path, capsys):
    assert f"\n{old}\n" in DEFAULT
    at = DEFAULT.index(f"\n{old}\n") + 1
    text = DEFAULT[:at] + new + DEFAULT[at + len(old):]
    err = _run(tmp_path, capsys, text, "config.invalid]: ")
    line = text.count("\n", 0, at) + 1 + (0 if key == "list.formats" else new.count("\n"))  # the line at fault
    assert re.search(rf"Tệp cấu hình …/cchc\.toml viết sai ở dòng {line}, cột \d+", err.replace(
        str(tmp_path / "ws"), "…")), err
    assert said in err, err
    if key:
        assert f", khóa “{key}”: " in err, err
    assert err.endswith(f"Sửa dòng {line} của tệp rồi chạy lại lệnh."), err


def test_a_string_left_open_to_the_end_and_a_file_not_in_utf8(tmp_path, capsys):
    err = _run(tmp_path, capsys, DEFAULT + "\nghi_chu = '''chưa đóng\n")
    assert "khóa “units[27].ghi_chu”: chuỗi mở bằng “'''” chưa có dấu đóng “'''”" in err, err
    err = _run(tmp_path, capsys, DEFAULT.replace("Vĩnh Tường", "Vinh Tuong").encode("utf-8").replace(
        b'name = "Kim X\xc3\xa1"', b'name = "Kim X\xe1"'))
    line = _line_of(DEFAULT, 'name = "Kim Xá"')
    assert f"không lưu bằng bảng mã UTF-8 (dòng {line} có ký tự không đọc được)" in err, err


def test_a_byte_order_mark_is_not_a_mistake(tmp_path):
    (tmp_path / "cchc.toml").write_bytes(b"\xef\xbb\xbf" + DEFAULT.encode("utf-8"))
    assert load_settings(tmp_path).year == 2021


def test_an_unknown_toml_message_is_still_vietnamese():
    from automation.tomltext import SYNTAX_GENERIC, syntax_problem
    p = syntax_problem(ValueError("Something new happened (at line 2, column 3)"), "a = 1\n[list]\nb = c\n")
    assert (p.line, p.column, p.detail) == (2, 3, SYNTAX_GENERIC)


def _mutations(text: str):
    """Each statement of the default file cut in half, without its "=", and with a stray quote: a person's slips."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        if not line.strip() or line.startswith("#"):
            continue
        for changed in (line[:len(line) // 2], line.replace("=", "", 1), line + '"', line.replace('"', "", 1),
                        line.replace("]", "", 1), line.replace(",", "", 1), "  " + line[1:]):
            if changed != line:
                yield i + 1, "\n".join([*lines[:i], changed, *lines[i + 1:]])


def test_every_slip_on_every_line_is_said_in_vietnamese(tmp_path):
    from automation.config import _load_toml
    from automation.problems import ConfigError
    from tests.messages import problems_with
    target, said = tmp_path / "cchc.toml", 0
    for line, text in _mutations(FULL):
        try:
            tomllib.loads(text)
            continue  # still valid TOML (the type checks are swept above)
        except tomllib.TOMLDecodeError:
            pass
        target.write_text(text, encoding="utf-8")
        with pytest.raises(ConfigError) as exc:
            _load_toml(target)
        msg = exc.value.problem.message
        assert f"viết sai ở dòng {line}, cột " in msg, (line, text.split("\n")[line - 1], msg)  # the line changed
        assert problems_with(msg, ignore=(str(target),)) == [], msg
        said += 1
    assert said > 150
