"""What a message a person reads must be: Vietnamese, its quotes “…” balanced, one line, no traceback, no
English sentence and no Python repr ('30', True) — shared by the sweeps of click's and cchc.toml's errors."""

from __future__ import annotations

import re

import pytest

from automation.cli import main

# click's, tomllib's and Python's English, word by word: none may reach the screen
ENGLISH_WORDS = ("error", "usage", "expected", "invalid", "no such", "did you mean", "got unexpected", "missing",
                 "requires", "argument", "option", "options", "commands", "default", "required", "does not",
                 "take a value", "not a valid", "is not", "choose from", "aborted", "traceback", "exception",
                 "unclosed", "cannot", "illegal", "unterminated", "found", "character", "declare", "overwrite",
                 "twice", "statement", "end of document", "line", "column", "try", "show this", "exit",
                 "directory", "file", "path", "integer", "range", "not in", "should", "must", "value")
_ENGLISH_WORD = re.compile(r"(?<![\w./\\-])(" + "|".join(re.escape(w) for w in ENGLISH_WORDS) + r")(?![\w/\\-])",
                           re.IGNORECASE)
# common English words: three of them in a row are a sentence
COMMON = set("""a an the of to in on at for from by with without is are was were be been not no yes and or but if
then this that these those it its there here what which who how why when where all any each every some one two
has have had do does did can could will would shall should may might must you your we our they their he she
his her me my please use used using try again only also more less than as so such into out up down over under
after before above below again new old same other another first last next value values key keys name names
type types number numbers text string list table date time true false file files folder command commands""".split())
_PY_REPR = re.compile(r"'[^'\s“”]+'|\b(True|False|None)\b|<[a-z_.]+ object")


def english_sentence(text: str) -> str | None:
    """The first run of three common English words (ASCII words, separated only by spaces), or None."""
    words = re.findall(r"[A-Za-z']+|[^\sA-Za-z']+", text)
    run: list[str] = []
    for w in words:
        if w.lower() in COMMON:
            run.append(w)
            if len(run) >= 3:
                return " ".join(run)
        else:
            run = []
    return None


def quotes_balanced(text: str) -> bool:
    depth = 0
    for ch in text:
        depth += (ch == "“") - (ch == "”")
        if depth not in (0, 1):
            return False
    return depth == 0


def problems_with(text: str, *, ignore: tuple[str, ...] = ()) -> list[str]:
    """Everything wrong with ``text`` as a Vietnamese message (``ignore``: the person's own words, paths)."""
    for s in sorted(ignore, key=len, reverse=True):
        text = text.replace(s, "…")
    text = re.sub(r"\[[a-z_]+\.[a-z_]+\]|(?<!\w)--?[\w-]+", "…", text)  # problem codes, option names
    found = []
    if m := _ENGLISH_WORD.search(text):
        found.append(f"English word {m.group(0)!r}")
    if s := english_sentence(text):
        found.append(f"English sentence {s!r}")
    if not quotes_balanced(text):
        found.append("unbalanced quotes")
    if m := _PY_REPR.search(text):
        found.append(f"Python repr {m.group(0)!r}")
    if "Traceback" in text or 'File "' in text:
        found.append("traceback")
    return found


def run_main(args: list[str], capsys) -> tuple[int, str, str]:
    """``cchc ARGS`` through :func:`automation.cli.main`: exit code, stdout, stderr."""
    with pytest.raises(SystemExit) as exc:
        main(args)
    out = capsys.readouterr()
    return exc.value.code, out.out, out.err


def assert_one_vietnamese_error(args, capsys, code_prefix: str, *, ignore: tuple[str, ...] = (),
                                exit_code: int = 2) -> str:
    """``cchc ARGS`` fails with one Vietnamese line "Lỗi [<code_prefix>…]: …" and returns that line."""
    code, out, err = run_main([str(a) for a in args], capsys)
    where = f"cchc {' '.join(map(str, args))}"
    assert code == exit_code, (where, code, out, err)
    assert out == "" and err.count("\n") == 1 and err.startswith(f"Lỗi [{code_prefix}"), (where, err)
    bad = problems_with(err, ignore=ignore)
    assert not bad, (where, err, bad)
    return err.strip()
