"""Where the files shipped with the package are: the templates and the sample criteria framework.

One source: the repository's top-level ``templates/`` (the ready workspace's editable templates).  An
installed package carries the same files as the sub-package ``automation.templates`` (pyproject maps it to
that folder), so ``pip install .`` works anywhere, and a checkout works without installing.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().with_name("data")


@lru_cache(maxsize=1)
def shipped_templates() -> Path:
    here = Path(__file__).resolve().parent
    installed = here / "templates"  # automation/templates/ of an installed wheel
    return installed if (installed / "bo-tieu-chi.xlsx").is_file() else here.parent / "templates"
