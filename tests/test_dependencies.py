"""Dependencies point one way: branches < members < reports; the shared spreadsheets package
imports none of them. The export path relies on it (members reach the export log only through
``spreadsheets.exporting``). No module of the project is longer than 400 lines."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
FORBIDDEN = {
    "branches": {"members", "reports"},
    "members": {"reports"},
    "spreadsheets": {"branches", "members", "reports"},
}


def imported_packages(path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            yield node.module.split(".")[0]


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_nothing_above_it(package):
    offenders = sorted(
        f"{path.relative_to(ROOT)} imports {name}"
        for path in (ROOT / package).rglob("*.py")
        for name in set(imported_packages(path))
        if name in FORBIDDEN[package]
    )
    assert offenders == []


# --- no import circles ------------------------------------------------------------------------

PACKAGES = ("branches", "members", "reports", "spreadsheets", "youthleague")


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """Module name -> path, for every module of the project's packages but migrations."""
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
    }


def import_graph():
    """Module -> the project modules it imports, function-local imports included.

    ``from a.b import c`` depends on ``a.b.c`` when that is a module, else on ``a.b``.
    """
    modules = project_modules()
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    targets.add(full if full in modules else base)
        graph[name] = sorted(t for t in targets if t in modules and t != name)
    return graph


def import_cycles(graph):
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, cycles = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(cycles)


def test_the_cycle_finder_finds_a_circle():
    assert import_cycles({"a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]}) == [["a", "b", "c"]]
    assert import_cycles({"a": ["b"], "b": []}) == []


def test_no_module_imports_itself_back_through_others():
    assert import_cycles(import_graph()) == []


MAX_MODULE_LINES = 400


def all_project_modules():
    """Every Python file of the project (bench and the top-level scripts included) but the tests,
    the migrations and hidden or virtual-environment folders."""
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] == "tests" or "migrations" in parts:
            continue
        if any(part.startswith(".") or part in {"venv", "node_modules"} for part in parts):
            continue
        yield path


def test_no_module_exceeds_the_line_limit():
    """A module longer than this is split by topic (docs/ARCHITECTURE.md)."""
    modules = list(all_project_modules())
    assert {"access.py", "generate.py", "manage.py"} <= {path.name for path in modules}
    too_long = sorted(
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in modules
        if (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    )
    assert too_long == []
