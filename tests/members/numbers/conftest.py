"""Shared by the tests of development numbers."""

import pytest
from django.utils import translation

from tests.commands import run_import


def run_reporting(command, path, *args):
    """``(exit status, what the command said)``: its output when it succeeded, else its errors."""
    code, out, err = run_import(command, path, *args)
    return code, (out if code == 0 else err)


@pytest.fixture
def english():
    """Messages in English, for the modules that compare them (``usefixtures("english")``)."""
    with translation.override("en"):
        yield


def run_import_unused_numbers(path, *args):
    return run_reporting("import_unused_numbers", path, *args)


def run_import_ranges(path, *args):
    return run_reporting("import_ranges", path, *args)
