"""TableImport: a failing database is reported as such, never as a rejected row."""

import logging

import pytest
from django.db import InterfaceError, OperationalError, connection

from members.importing import ROSTER_IMPORT
from members.models import Member
from members.tables import roster
from tests.commands import run_import
from tests.members.conftest import roster_row
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

MESSAGE = "数据库连接中断，未导入任何数据，请重试"


def roster_file(tmp_path, small_province, count=3):
    rows = [roster_row(small_province.branch, n) for n in range(1, count + 1)]
    return write_xlsx(tmp_path / "r.xlsx", roster.HEADER, rows)


#: the write of the members: an INSERT on SQLite, a COPY on PostgreSQL
MEMBER_WRITE = '"members_member" ('


def fail_on(fragment, error):
    """An execute wrapper: the database raises ``error`` on the first statement with ``fragment``."""

    def wrapper(execute, sql, params, many, context):
        if fragment in sql:
            raise error
        return execute(sql, params, many, context)

    return wrapper


@pytest.mark.parametrize(
    ("fragment", "error"),
    [
        (MEMBER_WRITE, InterfaceError("connection already closed")),
        ('FROM "members_member"', OperationalError("server closed the connection unexpectedly")),
    ],
)
def test_a_database_failure_mid_import_is_reported_as_such(
    tmp_path, small_province, caplog, fragment, error
):
    """The outcome says the connection broke, names no row, and logs the cause."""
    path = roster_file(tmp_path, small_province)
    caplog.set_level(logging.ERROR, logger="spreadsheets.importing")
    with connection.execute_wrapper(fail_on(fragment, error)):
        outcome = ROSTER_IMPORT.run(path, user=small_province.secretary)
    assert outcome.failed and not outcome.written
    assert [(e.row, e.message) for e in outcome.errors] == [(None, MESSAGE)]
    assert outcome.summary() == MESSAGE
    assert any(
        type(error).__name__ in r.getMessage() and r.exc_info and r.exc_info[1] is error
        for r in caplog.records
    )
    assert not Member.objects.exists()


def test_the_command_says_the_database_failed(tmp_path, small_province):
    """import_members exits 1 with the database message and no '第N行' line."""
    path = roster_file(tmp_path, small_province)
    wrapper = fail_on(MEMBER_WRITE, InterfaceError("connection already closed"))
    with connection.execute_wrapper(wrapper):
        code, _out, err = run_import("import_members", path)
    assert code == 1
    assert MESSAGE in err and "第" not in err and "InterfaceError" not in err
    assert not Member.objects.exists()
