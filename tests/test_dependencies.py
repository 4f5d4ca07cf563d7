"""Dependencies point one way: branches < members < reports; the shared spreadsheets package
imports none of them. The export path relies on it (members reach the export log only through
``spreadsheets.exporting``)."""

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
