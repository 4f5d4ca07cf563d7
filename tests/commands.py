"""Running the import commands in tests, and reading the rows they rejected."""

import io

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


def rejected_lines(err):
    """``{row number: [messages]}`` of the '第N行：' lines a command printed."""
    found = {}
    for line in err.splitlines():
        if line.startswith("第") and "行：" in line:
            number, message = line[1:].split("行：", 1)
            found.setdefault(int(number), []).append(message)
    return found


def rejected_rows(text):
    """The row numbers of the 'Row N: …' lines a command printed in English."""
    return {
        int(line.split(":")[0].split()[1]) for line in text.splitlines() if line.startswith("Row ")
    }
