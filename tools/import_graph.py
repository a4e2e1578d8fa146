"""The package's import graph: edges (imports inside functions included), circles, and breaches of the layer rule.

    .venv/bin/python tools/import_graph.py [PACKAGE_DIR]

Used by tests/test_layers.py (which fails on any breach) and to print before/after counts.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# module (or package prefix) -> layer; the longest matching prefix decides
LAYERS: dict[str, int] = {
    "automation": 0, "automation.__init__": 0, "automation.problems": 0, "automation.vntext": 0,
    "automation.clock": 0, "automation.files": 0, "automation.resources": 0, "automation.storage": 0,
    "automation.tomltext": 0,  # TOML errors and values in words (standard library only)
    "automation.formats": 1,
    "automation.config": 2, "automation.settings": 2, "automation.units": 2, "automation.unitfile": 2, "automation.ranking_rules": 2, "automation.workspace": 2, "automation.lock": 2,
    "automation.mail": 2,
    "automation.ledger": 3,
    "automation.lists": 4, "automation.scoring": 4, "automation.survey": 4, "automation.check": 4,
    "automation.intake": 5, "automation.appraisal": 5, "automation.forms": 5, "automation.documents": 5,
    "automation.status": 5,
    "automation.app": 6,
    "automation.present": 7,
    "automation.cli": 7, "automation.excel_button": 7, "automation.demo": 7, "automation.__main__": 7,
    "automation.demo_run": 7, "automation.demo_year": 7,  # the layout before "One house"
}
# the pure domain, in the order its packages may use each other
DOMAIN_ORDER = ("automation.lists", "automation.scoring", "automation.survey", "automation.check")
# what the pure domain may not use although it sits below it: the store, the workspace, file writing
DOMAIN_FORBIDDEN = ("automation.ledger", "automation.workspace", "automation.files", "automation.lock",
                    "automation.mail")
STAGE_PACKAGES = ("automation.intake", "automation.appraisal", "automation.forms", "automation.documents",
                  "automation.status")
FACES = ("automation.cli", "automation.demo")


def module_name(path: Path, pkg_root: Path) -> str:
    rel = path.relative_to(pkg_root.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _runtime_nodes(tree: ast.AST):
    """Every node, except what sits under ``if TYPE_CHECKING:`` (annotations only, never imported at run time)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and isinstance(child.test, ast.Name) and child.test.id == "TYPE_CHECKING":
                stack.extend(child.orelse)
                continue
            stack.append(child)


def imports_of(path: Path, name: str) -> set[str]:
    """Every automation module ``path`` imports at run time: at the top or inside functions."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    out: set[str] = set()
    for node in _runtime_nodes(tree):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "automation")
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".")
                base = base[: len(base) - node.level + (1 if is_pkg else 0)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "automation":
                continue
            out.add(mod)
            for a in node.names:  # "from automation.ledger import submissions" imports a module
                out.add(f"{mod}.{a.name}")
    return out


def graph(pkg_root: Path) -> dict[str, set[str]]:
    files = {module_name(p, pkg_root): p for p in sorted(pkg_root.rglob("*.py"))}
    g: dict[str, set[str]] = {}
    for name, path in files.items():
        g[name] = {m for m in imports_of(path, name) if m in files and m != name}
    return g


def layer_of(module: str) -> tuple[str, int]:
    best = max((p for p in LAYERS if module == p or module.startswith(p + ".")), key=len, default="automation")
    return best, LAYERS[best]


def _top(module: str, prefixes: tuple[str, ...]) -> str | None:
    return next((p for p in prefixes if module == p or module.startswith(p + ".")), None)


def breaches(g: dict[str, set[str]]) -> list[str]:
    out = []
    for src, targets in sorted(g.items()):
        s_key, s_layer = layer_of(src)
        for dst in sorted(targets):
            d_key, d_layer = layer_of(dst)
            if src == "automation.__main__" and _top(dst, ("automation.cli",)):
                continue
            if src == "automation.cli.demo" and _top(dst, ("automation.demo",)):
                continue  # the `cchc demo` command runs the demo: the one face that calls the other
            if d_layer > s_layer:
                out.append(f"up: {src} (L{s_layer}) imports {dst} (L{d_layer})")
                continue
            s_dom, d_dom = _top(src, DOMAIN_ORDER), _top(dst, DOMAIN_ORDER)
            if s_dom and d_dom and DOMAIN_ORDER.index(d_dom) > DOMAIN_ORDER.index(s_dom):
                out.append(f"domain order: {src} imports {dst}")
            if s_dom and _top(dst, DOMAIN_FORBIDDEN):
                out.append(f"impure domain: {src} imports {dst}")
            s_stage, d_stage = _top(src, STAGE_PACKAGES), _top(dst, STAGE_PACKAGES)
            if s_stage and d_stage and s_stage != d_stage:
                out.append(f"sideways: {src} imports {dst}")
            d_face = _top(dst, FACES)
            if d_face and _top(src, FACES) != d_face:
                out.append(f"face imported: {src} imports {dst}")
    return out


def cycles(g: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in g.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(g):
        if v not in index:
            visit(v)
    return out


def main() -> int:
    pkg = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "automation"
    g = graph(pkg)
    edges = sum(len(t) for t in g.values())
    circ = cycles(g)
    br = breaches(g)
    print(f"modules {len(g)}, import edges {edges}, circles {len(circ)}, breaches of the layer rule {len(br)}")
    for c in circ:
        print("circle:", " -> ".join(c))
    for b in br:
        print(b)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
