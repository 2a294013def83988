"""Imports go one way: training/cli → public API → hub → registry → models → layers/complexity/data config.

Every module under ``modelzoo/`` is parsed with ``ast`` (nothing is imported) and each import,
including the ones inside functions, becomes an edge of the module graph. The test fails, naming
both files, on an import into a higher layer or on a cycle. A new module must be given a layer
in ``LAYERS`` (the test says so).
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE_DIR = Path(__file__).resolve().parents[1] / "modelzoo"

# Highest layer first. A module belongs to the longest prefix that names it ("modelzoo" alone is
# the package's __init__, which is the public API).
LAYERS: list[tuple[str, ...]] = [
    ("modelzoo.training", "modelzoo.cli", "modelzoo.__main__"),
    ("modelzoo", "modelzoo.api", "modelzoo.inference", "modelzoo.exporters", "modelzoo.backbones"),
    ("modelzoo.hub",),
    ("modelzoo.registry",),
    ("modelzoo.models",),
    ("modelzoo.layers", "modelzoo.complexity", "modelzoo.data_config", "modelzoo.preprocess", "modelzoo.version"),
]
LAYER_NAMES = ["training/cli", "public API", "hub", "registry", "models", "layers/complexity/data_config"]


def module_name(path: Path, root: Path = PACKAGE_DIR) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def imported_modules(path: Path, known: set[str], root: Path) -> set[str]:
    """The ``modelzoo`` modules that ``path`` imports anywhere in its body (resolved to known modules)."""
    name = module_name(path, root)
    package = name if is_package(path) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                stem = ".".join(base + ([node.module] if node.module else []))
            else:
                stem = node.module or ""
            # ``from pkg import sub`` imports the submodule when there is one, else a name of pkg.
            targets = [f"{stem}.{a.name}" if f"{stem}.{a.name}" in known else stem for a in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # ``import a.b.c`` of a name inside a module
                target = target.rpartition(".")[0]
            if target.startswith("modelzoo") and target != name:
                found.add(target)
    return found


def layer_of(module: str) -> int | None:
    best: tuple[int, int] | None = None  # (prefix length, layer)
    for layer, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if module == prefix or (prefix != "modelzoo" and module.startswith(prefix + ".")):
                if best is None or len(prefix) > best[0]:
                    best = (len(prefix), layer)
    return None if best is None else best[1]


def import_graph(root: Path = PACKAGE_DIR) -> tuple[dict[str, set[str]], dict[str, Path]]:
    files = {module_name(p, root): p for p in sorted(root.rglob("*.py"))}
    known = set(files)
    return {m: imported_modules(p, known, root) for m, p in files.items()}, files


def upward_imports(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    """``(importer, imported)`` pairs where the imported module sits in a higher layer."""
    return [(a, b) for a, targets in graph.items() for b in sorted(targets)
            if layer_of(a) is not None and layer_of(b) is not None and layer_of(b) < layer_of(a)]  # fmt: skip


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle as a list of modules (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(m: str) -> list[str] | None:
        state[m] = 1
        stack.append(m)
        for n in sorted(graph.get(m, ())):
            if state.get(n) == 1:
                return stack[stack.index(n) :] + [n]
            if n not in state and (cycle := visit(n)):
                return cycle
        stack.pop()
        state[m] = 2
        return None

    for m in sorted(graph):
        if m not in state and (cycle := visit(m)):
            return cycle
    return None


def edge(a: str, b: str, files: dict[str, Path], root: Path) -> str:
    return f"{files[a].relative_to(root.parent)} imports {files[b].relative_to(root.parent)}"


def layering_problems(root: Path = PACKAGE_DIR) -> dict[str, list[str]]:
    """What is wrong with the package at ``root``: modules without a layer, upward imports, a cycle."""
    graph, files = import_graph(root)
    cycle = find_cycle(graph)
    return {
        "no layer": [str(files[m].relative_to(root.parent)) for m in graph if layer_of(m) is None],
        "upward": [f"{edge(a, b, files, root)} ({LAYER_NAMES[layer_of(a)]} -> {LAYER_NAMES[layer_of(b)]})"
                   for a, b in upward_imports(graph)],  # fmt: skip
        "cycle": ["import cycle: " + "; ".join(edge(a, b, files, root) for a, b in zip(cycle, cycle[1:]))]
        if cycle else [],  # fmt: skip
    }


PROBLEMS = layering_problems()


def test_every_module_has_a_layer():
    assert not PROBLEMS["no layer"], f"give these modules a layer in LAYERS (tests/test_layering.py): {PROBLEMS['no layer']}"


def test_no_upward_imports():
    assert not PROBLEMS["upward"], "imports into a higher layer:\n  " + "\n  ".join(PROBLEMS["upward"])


def test_no_import_cycles():
    assert not PROBLEMS["cycle"], PROBLEMS["cycle"]


@pytest.mark.parametrize("source, kind, message", [
    ({"registry.py": "from .hub import specs\n", "hub/__init__.py": "", "hub/specs.py": "from .. import registry\n"},
     "cycle", "import cycle: modelzoo/hub/specs.py imports modelzoo/registry.py; "
              "modelzoo/registry.py imports modelzoo/hub/specs.py"),
    ({"complexity.py": "def f():\n    from .registry import architecture\n", "registry.py": ""},
     "upward", "modelzoo/complexity.py imports modelzoo/registry.py (layers/complexity/data_config -> registry)"),
    ({"helpers.py": ""}, "no layer", "modelzoo/helpers.py"),
])  # fmt: skip
def test_the_checks_name_both_files(tmp_path, source, kind, message):
    """The checks catch what they are meant to on a miniature package (lazy imports included)."""
    root = tmp_path / "modelzoo"
    for name, text in {"__init__.py": "", **source}.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    assert layering_problems(root)[kind] == [message]
