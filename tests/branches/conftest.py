"""Shared by the tests of the organisation tree."""

from tests.commands import run_import


def run_import_orgs(path, *args):
    """``(exit status, stdout, stderr)`` of ``manage.py import_orgs path args``."""
    return run_import("import_orgs", path, *args)
