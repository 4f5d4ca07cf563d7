"""Rules the code writes exactly once: a grep over the project's sources finds each in one module."""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
PACKAGES = ("branches", "members", "reports", "spreadsheets", "youthleague", "bench", "templates")


def _sources():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                yield path


def places(pattern):
    """The source files (relative paths) in which ``pattern`` matches."""
    regex = re.compile(pattern)
    return sorted(
        str(path.relative_to(ROOT)) for path in _sources() if regex.search(path.read_text())
    )


def test_the_twelve_digit_number_format_is_written_once():
    assert places(r"012d") == ["members/validators.py"]
