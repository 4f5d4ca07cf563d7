"""The roster import near the database's floor: a fixed number of queries whatever the file's
size, COPY on PostgreSQL and bulk inserts elsewhere, a dry run that writes nothing, nothing
half-written, conflicts reported by row, column and person, and derived fields computed once per
distinct value."""

from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from branches import access
from members import bulk_insert
from members.importing import ROSTER_IMPORT, MemberResource
from members.models import Member, OrganizationTally
from members.models import member as member_rules
from members.tables import roster
from tests.factories import MemberFactory
from tests.members.conftest import roster_row, valid_id
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")
#: the queries of a whole import of one branch's rows, whatever their number
PINNED = {"sqlite": 17, "postgresql": 19}


def roster_file(tmp_path, rows, name="r.xlsx"):
    return write_xlsx(tmp_path / name, roster.HEADER, rows, title="新发展团员名册")


def rows_of(home, count, **overrides):
    return [roster_row(home, serial, **overrides) for serial in range(1, count + 1)]


def queries_of(path, **options):
    with CaptureQueriesContext(connection) as captured:
        outcome = ROSTER_IMPORT.run(path, **options)
    assert outcome.ok, outcome.errors[:3]
    return [query["sql"] for query in captured.captured_queries]


def stored():
    return (Member.objects.count(), Member.history.count(), OrganizationTally.objects.count())


def test_the_queries_do_not_grow_with_the_file(tmp_path, small_province):
    sp = small_province
    small = queries_of(roster_file(tmp_path, rows_of(sp.branch, 10), "small.xlsx"))
    Member.objects.all().delete()
    Member.history.all().delete()
    large = queries_of(roster_file(tmp_path, rows_of(sp.branch, 200), "large.xlsx"))
    assert Member.objects.count() == 200

    def pinned(sql):
        # SQLite limits a statement's parameters: its bulk inserts are split by that limit.
        if connection.vendor == "sqlite":
            return [s for s in sql if not s.startswith('INSERT INTO "members_')]
        return sql

    assert len(pinned(large)) == len(pinned(small)) == PINNED[connection.vendor], small
    # no savepoint per row: the same few for 10 rows and for 200
    assert sum("SAVEPOINT" in s for s in large) == sum("SAVEPOINT" in s for s in small)


def test_the_scope_is_asked_once_per_organisation_not_per_row(tmp_path, small_province):
    sp = small_province
    path = roster_file(tmp_path, rows_of(sp.branch, 50))
    with spy(access, "can") as can, spy(access, "is_in_scope") as in_scope:
        outcome = ROSTER_IMPORT.run(path, user=sp.secretary)
    assert outcome.ok and Member.objects.count() == 50
    # the branch (may enter members there) and the developer (in scope), once each
    assert can.call_count + in_scope.call_count <= 2


def spy(module, name):
    return mock.patch.object(module, name, wraps=getattr(module, name))


def test_postgresql_copies_and_other_databases_insert_in_bulk(tmp_path, small_province):
    path = roster_file(tmp_path, rows_of(small_province.branch, 20))
    with (
        spy(bulk_insert, "_copy_rows") as copy,
        spy(bulk_insert, "bulk_create_with_history") as bulk,
    ):
        sql = queries_of(path)
    assert Member.objects.count() == 20 and Member.history.count() == 20
    assert set(Member.history.values_list("history_type", flat=True)) == {"+"}
    if connection.vendor == "postgresql":
        assert bulk_insert.insert_method() == bulk_insert.COPY
        tables = [call.args[1] for call in copy.call_args_list]
        assert tables == ["members_member", "members_historicalmember"]
        assert not bulk.called
        assert not any(s.startswith('INSERT INTO "members_member"') for s in sql)
    else:
        assert bulk_insert.insert_method() == bulk_insert.BULK
        assert not copy.called and bulk.call_count == 1
    member = Member.objects.get(id_number=valid_id(1))
    # the derived fields and the history row are what save() would have written
    assert member.name_initials == "ty" and member.entry_deadline is not None
    assert member.history.get().name == member.name


def test_a_dry_run_writes_nothing(tmp_path, small_province):
    path = roster_file(tmp_path, rows_of(small_province.branch, 30))
    before = stored()
    with CaptureQueriesContext(connection) as captured:
        outcome = ROSTER_IMPORT.run(path, dry_run=True)
    assert outcome.ok and outcome.created == 30 and not outcome.written
    assert stored() == before
    statements = [q["sql"].lstrip().upper() for q in captured.captured_queries]
    assert not [s for s in statements if s.startswith(WRITES)]


def test_a_late_bad_row_leaves_nothing_written(tmp_path, small_province, monkeypatch):
    # Small batches, so that earlier batches are written before the bad row is read.
    monkeypatch.setattr(MemberResource._meta, "batch_size", 20)
    rows = rows_of(small_province.branch, 99)
    rows.append(roster_row(small_province.branch, 100, **{roster.PHONE: "12345"}))
    before = stored()
    outcome = ROSTER_IMPORT.run(roster_file(tmp_path, rows))
    assert not outcome.ok and {e.row for e in outcome.errors} == {102}
    assert stored() == before


def test_a_constraint_the_checks_missed_rolls_everything_back(
    tmp_path, small_province, monkeypatch
):
    # The database's constraints stay the backstop: a number taken between the checks and the
    # write fails the whole batch, and nothing is left.
    monkeypatch.setattr(MemberResource, "_note_existing", lambda self, rows, field: None)
    MemberFactory(branch=small_province.foreign_branch, id_number=valid_id(5))
    before = stored()
    outcome = ROSTER_IMPORT.run(roster_file(tmp_path, rows_of(small_province.branch, 10)))
    assert not outcome.ok and not outcome.written
    assert stored() == before


def test_conflicts_name_the_row_the_column_and_the_person(tmp_path, small_province):
    sp = small_province
    existing = MemberFactory(branch=sp.foreign_branch, id_number=valid_id(3))
    rows = [
        roster_row(sp.branch, 1),
        roster_row(sp.branch, 2, **{roster.ID_NUMBER: valid_id(1), roster.NAME: "李四"}),
        roster_row(sp.branch, 3, **{roster.ID_NUMBER: existing.id_number, roster.NAME: "王五"}),
    ]
    with translation.override("zh-hans"):
        outcome = ROSTER_IMPORT.run(roster_file(tmp_path, rows))
        messages = {error.row: str(error) for error in outcome.errors}
    assert set(messages) == {4, 5}
    assert "第4行" in messages[4] and "李四" in messages[4] and "公民身份号码" in messages[4]
    assert "第3行" in messages[4]  # where the number first appears
    assert "第5行" in messages[5] and "王五" in messages[5] and "公民身份号码" in messages[5]
    assert "已" in messages[5]
    assert not Member.objects.filter(name__in=["李四", "王五"]).exists()


def test_derived_fields_are_computed_once_per_distinct_value(tmp_path, small_province):
    rows = [
        roster_row(
            small_province.branch,
            serial,
            **{
                roster.NAME: ("张三", "李四", "王五")[serial % 3],
                roster.JOIN_DATE: ("2019-05-04", "2019-06-01")[serial % 2],
            },
        )
        for serial in range(1, 31)
    ]
    path = roster_file(tmp_path, rows)
    with (
        spy(member_rules, "name_initials") as initials,
        spy(member_rules, "entry_deadline_for") as deadline,
    ):
        queries_of(path)
    assert Member.objects.count() == 30
    assert initials.call_count == 3
    assert deadline.call_count == 2
    assert set(Member.objects.values_list("name_initials", flat=True)) == {"zs", "ls", "ww"}


def test_a_dry_run_asks_the_write_guards_once_per_place(tmp_path, small_province, monkeypatch):
    from django.core.exceptions import ValidationError

    from members import watch

    asked = []

    def guard(*, kind, action, records, user=None, check_only=False):
        asked.append((kind, check_only, sorted(r.label for r in records)))
        raise ValidationError("已接收的报送中含有这些团员，上级撤销接收前不能修改。")

    monkeypatch.setattr(watch, "_guards", [guard])
    sp = small_province
    rows = rows_of(sp.branch, 6) + [roster_row(sp.other_branch, 7)]
    before = stored()
    outcome = ROSTER_IMPORT.run(roster_file(tmp_path, rows), dry_run=True)
    # one record per place (branch, join year), the first member of each named
    assert asked == [("member", True, ["团员1", "团员7"])]
    assert not outcome.ok and "上级撤销接收前不能修改" in outcome.errors[0].message
    assert stored() == before
