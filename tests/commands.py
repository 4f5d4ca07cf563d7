"""Running the import commands in tests, and reading the rows they rejected."""

import io
import re

from django.core.management import call_command
from django.core.management.base import CommandError


def run_import(command, path, *args):
    """``(exit status, stdout, stderr)`` of ``manage.py command path args``."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


_ROW_LINE = re.compile(r"^第(\d+)行(?:（(.*?)）)?：(.*)$")


def rejected_lines(err):
    """``{row number: [messages]}`` of the '第N行：' and '第N行（姓名）：' lines a command printed."""
    found = {}
    for line in err.splitlines():
        match = _ROW_LINE.match(line)
        if match:
            found.setdefault(int(match.group(1)), []).append(match.group(3))
    return found


def rejected_people(err):
    """``{row number: name}`` of the rows a command named a person in."""
    return {
        int(m.group(1)): m.group(2)
        for m in map(_ROW_LINE.match, err.splitlines())
        if m and m.group(2)
    }


def rejected_rows(text):
    """The row numbers of the 'Row N: …' lines a command printed in English."""
    return {
        int(line.split(":")[0].split()[1]) for line in text.splitlines() if line.startswith("Row ")
    }
