"""The dependency rule of the package (README, "Cho người phát triển"): no circles, no import up a layer, the
pure domain writing no file and using no store, no stage package using another, nothing using the faces.

Imports inside functions count (they are where circles hide); those under ``if TYPE_CHECKING:`` do not.
"""

import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import import_graph  # noqa: E402


def test_the_package_keeps_the_layer_rule():
    g = import_graph.graph(ROOT / "automation")
    assert import_graph.cycles(g) == []
    assert import_graph.breaches(g) == []


def test_every_module_has_a_layer():
    g = import_graph.graph(ROOT / "automation")
    unmapped = [m for m in g if import_graph.layer_of(m)[0] == "automation" and m != "automation"]
    assert unmapped == []


def _package(tmp_path, files: dict[str, str]) -> Path:
    root = tmp_path / "automation"
    for name, body in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(body), encoding="utf-8")
    for folder in [root, *(p for p in root.rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return root


def test_the_check_finds_what_it_is_for(tmp_path):
    """The rule fails on the faults the old layout had: a hidden circle, an upward import, a sideways one,
    the domain touching the store, the demo importing the CLI."""
    root = _package(tmp_path, {
        "intake/desk.py": "def f():\n    from automation.appraisal.workbook import x\n",
        "appraisal/workbook.py": "def g():\n    from automation.intake.desk import y\n",
        "scoring/sources.py": "from automation.ledger.db import Ledger\n",
        "formats/convert.py": "from automation.config import Limits\n",
        "demo/lists.py": "from automation.cli import STATUSES\n",
        "cli/__init__.py": "",
        "config.py": "",
        "app.py": "",
        "ledger/db.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from automation.app import x\n",
    })
    g = import_graph.graph(root)
    assert import_graph.cycles(g) == [["automation.appraisal.workbook", "automation.intake.desk"]]
    found = "\n".join(import_graph.breaches(g))
    assert "sideways: automation.appraisal.workbook imports automation.intake.desk" in found
    assert "impure domain: automation.scoring.sources imports automation.ledger.db" in found
    assert "up: automation.formats.convert (L1) imports automation.config (L2)" in found
    assert "face imported: automation.demo.lists imports automation.cli" in found
    assert "imports automation.app\n" not in found + "\n"  # an annotation-only import is not an import
