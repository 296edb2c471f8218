"""The shape of the code: which app may import which.

Every module of every app is imported (so an import-time error anywhere fails here), and the
app-level dependency graph is read from the modules' import statements (tests and migrations left
out). ``core`` is the kernel and imports no other app; the ``dashboard`` composes what the apps
provide and imports no domain app; and no two apps import each other, directly or round a longer
loop.
"""

from __future__ import annotations

import ast
import importlib
from collections import defaultdict
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]  # the tongchou package
KERNEL = {"core"}
PLATFORM = {"core", "accounts", "regions"}  # what the dashboard may build on


def _our_apps() -> list[str]:
    return [c.label for c in apps.get_app_configs() if c.name.startswith("tongchou.")]


def _modules(app: str) -> list[Path]:
    return [
        p
        for p in (ROOT / app).rglob("*.py")
        if "tests" not in p.relative_to(ROOT).parts and "migrations" not in p.relative_to(ROOT).parts
    ]


def _graph() -> dict[str, dict[str, list[str]]]:
    """app -> {imported app: ["module:line", ...]}"""
    ours = set(_our_apps())
    edges: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for app in ours:
        for path in _modules(app):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                names = []
                if isinstance(node, ast.Import):
                    names = [a.name for a in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    names = [node.module]
                for name in names:
                    parts = name.split(".")
                    if parts[0] == "tongchou" and len(parts) > 1 and parts[1] in ours and parts[1] != app:
                        edges[app][parts[1]].append(f"{path.relative_to(ROOT.parent)}:{node.lineno}")
    return edges


def _cycles(edges: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """Strongly connected components with more than one app (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in edges.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                out.append(sorted(component))

    for v in sorted(_our_apps()):
        if v not in index:
            visit(v)
    return out


def test_every_module_of_every_app_imports():
    failures = []
    for app in _our_apps():
        for path in _modules(app):
            rel = path.relative_to(ROOT.parent).with_suffix("")
            name = ".".join(rel.parts).removesuffix(".__init__")
            try:
                importlib.import_module(name)
            except Exception as exc:  # noqa: BLE001 - report every failure at once
                failures.append(f"{name}: {exc!r}")
    assert not failures, "\n".join(failures)


def test_core_imports_no_other_app():
    edges = _graph()
    assert dict(edges.get("core", {})) == {}, f"core imports: {dict(edges['core'])}"


def test_the_dashboard_imports_no_domain_app():
    edges = _graph()
    domain = set(edges.get("dashboard", {})) - PLATFORM
    assert not domain, f"dashboard imports domain apps: { {a: edges['dashboard'][a] for a in domain} }"


def test_no_import_cycle_between_apps():
    """enterprises ↔ rules was the last cycle; the facts app broke it (enterprises and rules both
    go through facts, which imports neither)."""
    edges = _graph()
    cycles = _cycles(edges)
    detail = {" ↔ ".join(c): {a: {b: edges[a][b][:3] for b in edges[a] if b in c} for a in c} for c in cycles}
    assert cycles == [], f"import cycles between apps: {detail}"
