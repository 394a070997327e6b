"""The layering rules of the package, checked on its source.

Imports point one way (cli -> apply/planner/render -> plan/diff/live -> api/model/manifest -> errors);
the emulator shares no code with the client; only the CLI modules print; only diff.py imports deepdiff;
renderers draw from plan dicts alone. A rule broken here is a design change: make it on purpose.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "reconciler"

# module prefix -> reconciler modules it must never import
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "reconciler.emulator": (
        "reconciler.api",
        "reconciler.model",
        "reconciler.manifest",
        "reconciler.plan",
        "reconciler.planner",
        "reconciler.live",
        "reconciler.errors",
        "reconciler.target",
    ),
    "reconciler.errors": ("reconciler",),
    "reconciler.model": (
        "reconciler.api",
        "reconciler.manifest",
        "reconciler.plan",
        "reconciler.planner",
        "reconciler.live",
        "reconciler.cli",
        "reconciler.emulator",
        "reconciler.render",
    ),
    "reconciler.manifest": (
        "reconciler.api",
        "reconciler.plan",
        "reconciler.planner",
        "reconciler.live",
        "reconciler.cli",
        "reconciler.emulator",
        "reconciler.render",
        "reconciler.target",
    ),
    "reconciler.api": (
        "reconciler.manifest",
        "reconciler.plan",
        "reconciler.planner",
        "reconciler.live",
        "reconciler.cli",
        "reconciler.emulator",
        "reconciler.render",
        "reconciler.target",
    ),
    "reconciler.targeting": (
        "reconciler.plan",
        "reconciler.planner",
        "reconciler.live",
        "reconciler.cli",
        "reconciler.emulator",
        "reconciler.render",
        "reconciler.target",
    ),
    "reconciler.plan": (
        "reconciler.api",
        "reconciler.model",
        "reconciler.manifest",
        "reconciler.planner",
        "reconciler.live",
        "reconciler.cli",
        "reconciler.emulator",
        "reconciler.render",
    ),
    "reconciler.diff": (
        "reconciler.api",
        "reconciler.manifest",
        "reconciler.planner",
        "reconciler.cli",
        "reconciler.emulator",
    ),
    "reconciler.planner": (
        "reconciler.api",
        "reconciler.cli",
        "reconciler.emulator",
        "reconciler.render",
        "reconciler.target",
        "reconciler.manifest",
    ),
    "reconciler.render": (
        "reconciler.api",
        "reconciler.model",
        "reconciler.manifest",
        "reconciler.planner",
        "reconciler.live",
        "reconciler.diff",
        "reconciler.cli",
        "reconciler.emulator",
    ),
}
# Modules allowed to write to the terminal.
PRINTERS = ("reconciler.cli", "reconciler.emulator.cli")


def modules() -> Iterator[tuple[str, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        yield name, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def imported(tree: ast.Module, module: str) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import: resolve against the module's package
                base = module.split(".")[: -node.level]
                names.add(".".join([*base, node.module or ""]).rstrip("."))
            elif node.module:
                names.add(node.module)
    return names


ALL = list(modules())


@pytest.mark.parametrize(("name", "tree"), ALL, ids=[n for n, _ in ALL])
def test_imports_point_one_way(name: str, tree: ast.Module) -> None:
    rules = [bad for prefix, bad in FORBIDDEN.items() if name == prefix or name.startswith(prefix + ".")]
    forbidden = [b for rule in rules for b in rule]
    wrong = sorted(t for t in imported(tree, name) if any(t == f or t.startswith(f + ".") for f in forbidden))
    assert wrong == [], f"{name} must not import {wrong}"


@pytest.mark.parametrize(("name", "tree"), ALL, ids=[n for n, _ in ALL])
def test_only_the_cli_prints(name: str, tree: ast.Module) -> None:
    if any(name == p or name.startswith(p + ".") for p in PRINTERS):
        return
    calls = [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and (
            (isinstance(node.func, ast.Name) and node.func.id == "print")
            or (isinstance(node.func, ast.Attribute) and node.func.attr in {"echo", "secho"})
        )
    ]
    assert calls == [], f"{name} prints on lines {calls}; only the CLI modules print"


def test_only_diff_imports_deepdiff() -> None:
    users = sorted(
        name for name, tree in ALL if any(n.split(".")[0] == "deepdiff" for n in imported(tree, name))
    )
    assert users == ["reconciler.diff"]


def test_the_rules_cover_real_modules() -> None:
    names = {name for name, _ in ALL}
    for prefix in FORBIDDEN:
        assert any(n == prefix or n.startswith(prefix + ".") for n in names), prefix
