"""Shared fixtures: settings, the real sample files, and small builders of real .docx files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from automation.config import default_settings

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples" / "real"


@pytest.fixture(scope="session")
def settings():
    return default_settings()


@pytest.fixture(scope="session")
def samples() -> Path:
    if not SAMPLES.is_dir():
        pytest.skip(f"real sample files not found at {SAMPLES}")
    return SAMPLES


def pytest_collection_modifyitems(config, items):
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    skip = pytest.mark.skip(reason="LibreOffice (soffice) is not installed")
    for item in items:
        if "libreoffice" in item.keywords:
            item.add_marker(skip)


@pytest.fixture()
def fast_ws(tmp_path, monkeypatch):
    """A fresh workspace whose inbox settles in 0.2 s, on a day before the list deadline (25/10/2021)."""
    from automation.config import init_workspace

    root = init_workspace(tmp_path / "ws")
    toml = root / "cchc.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("stable_window_s = 2", "stable_window_s = 0.2"),
                    encoding="utf-8")
    monkeypatch.setenv("CCHC_NOW", "2021-10-25T09:30:00")
    return root
