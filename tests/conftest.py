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
