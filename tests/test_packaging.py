"""The package as installed: every sub-package listed in pyproject.toml, the templates, the sample framework
and the data files inside the wheel, and the tool working from the wheel alone (not the repository)."""

import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_every_sub_package_is_listed():
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["packages"])
    found = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "automation").rglob("*.py")}
    assert found | {"automation.templates"} == listed


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    [whl] = out.glob("cchc-*.whl")
    return whl


def test_the_wheel_carries_templates_framework_and_data(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {f"automation/templates/{p.name}" for p in (ROOT / "templates").iterdir() if p.suffix in (".docx", ".xlsx")}
    assert shipped and shipped <= names
    assert {"automation/data/cchc.default.toml", "automation/data/vbaProject.bin",
            "automation/data/units-vinh-tuong-2021.csv"} <= names
    assert "automation/data/presets/phu-tho/bo-tieu-chi.xlsx" in names  # the preset's sample framework
    assert not any(n.startswith(("tests/", "bench/", "tools/")) for n in names)


def test_the_tool_works_from_the_wheel_alone(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    env = {**os.environ, "PYTHONPATH": str(site)}
    ws = tmp_path / "ws"

    def cchc(*args):
        proc = subprocess.run([sys.executable, "-m", "automation", *args], capture_output=True, text=True,
                              cwd=tmp_path, env=env, timeout=300)
        assert "Traceback" not in proc.stderr, proc.stderr
        return proc

    probe = subprocess.run([sys.executable, "-c", "import automation, automation.resources as r; "
                            "print(automation.__file__); print(r.shipped_templates())"],
                           capture_output=True, text=True, cwd=tmp_path, env=env)
    where, templates = probe.stdout.split()
    assert where.startswith(str(site)) and templates == str(site / "automation" / "templates")
    assert cchc("init", str(ws)).returncode == 0
    assert sorted(p.name for p in (ws / "templates").iterdir()) == sorted(
        p.name for p in (ROOT / "templates").iterdir() if p.suffix in (".docx", ".xlsx"))
    assert cchc("forms", "-w", str(ws)).returncode == 0
    assert cchc("generate", "plan", "-w", str(ws)).returncode == 0
    template = next((ws / "outbox" / "bieu-mau").glob("mau-danh-sach-*.docx"))
    checked = cchc("check", str(template))
    assert checked.returncode == 1 and "danh sách người đã giao dịch TTHC" in checked.stdout
