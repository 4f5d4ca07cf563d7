"""Shared by the tests of reports."""

from tests.commands import run_import


def run_import_education_counts(path, *args):
    """``(exit status, stdout, stderr)`` of ``manage.py import_education_counts path args``."""
    return run_import("import_education_counts", path, *args)
