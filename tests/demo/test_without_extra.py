"""A plain install has no aiosmtpd (the ``demo`` extra): ``cchc demo`` says so with a code and writes the
status mail as a .eml instead of sending it."""

from __future__ import annotations

import sys

import pytest

from automation.cli import main
from automation.demo import year as demo_year


def test_without_aiosmtpd_the_year_demo_writes_the_mail(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "aiosmtpd.controller", None)  # "import aiosmtpd.controller" fails
    seen = {}

    def run(directory, settings, echo, dry_run, province=False):
        seen["dry_run"] = dry_run
        return 0

    monkeypatch.setattr(demo_year, "_run", run)
    with pytest.raises(SystemExit) as exc:
        main(["demo", str(tmp_path / "nam")])
    out = capsys.readouterr().out
    assert exc.value.code == 0 and seen == {"dry_run": True}
    assert out.startswith("Lưu ý [tool.aiosmtpd_missing]: Chưa cài aiosmtpd") and "cchc[demo]" in out


def test_only_the_year_demo_imports_aiosmtpd():
    import ast
    from pathlib import Path

    import automation

    root = Path(automation.__file__).parent
    users = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n.split(".")[0] == "aiosmtpd" for n in names):
                users.append(path.relative_to(root).as_posix())
    assert users == ["demo/year.py"]


def test_aiosmtpd_is_an_extra_not_a_dependency():
    import tomllib
    from pathlib import Path

    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8"))["project"]
    assert not any(d.startswith("aiosmtpd") for d in project["dependencies"])
    extras = project["optional-dependencies"]
    assert any(d.startswith("aiosmtpd") for d in extras["demo"]) and any(d.startswith("aiosmtpd")
                                                                          for d in extras["test"])
