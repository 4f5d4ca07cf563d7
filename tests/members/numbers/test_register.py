"""The unused-number register: who registers what, its import and its export."""

import io

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.utils import translation

from members.models import UnusedNumber
from members.numbers import services as numbering
from members.numbers.importing import UNUSED_COLUMNS, parse_span
from members.tables.unused_numbers import COLUMNS
from tests.commands import rejected_rows
from tests.factories import UnusedNumberFactory, n2019, numbered_province
from tests.members.numbers.conftest import run_import_unused_numbers as run
from tests.xlsx import read_xlsx, write_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def p():
    return numbered_province()


def register(p, first, last=None, user=None, status="unused", explanation="预留"):
    return numbering.unused_number_register(
        first=n2019(first),
        last=None if last is None else n2019(last),
        status=status,
        explanation=explanation,
        user=user,
    )


# --- the service -------------------------------------------------------------------------------


def test_register_a_single_number_records_who_and_when(p):
    entry = register(p, 10030, user=p.k1_user, status="lost", explanation="入团志愿书遗失")
    assert (entry.first, entry.last, entry.size) == (n2019(10030), n2019(10030), 1)
    assert entry.organization == p.k1 and entry.number_range == p.ranges["K1"]
    assert entry.registered_by == p.k1_user and entry.registered_at is not None
    assert entry.history.first().history_user == p.k1_user


def test_register_a_span_in_a_childs_range(p):
    """K1 registers numbers of B1's range: the entry belongs to B1."""
    entry = register(p, 10016, 10020, user=p.k1_user, status="voided")
    assert entry.organization == p.b1 and entry.size == 5


def test_explanation_is_required(p):
    with pytest.raises(ValidationError, match="explanation is required"):
        register(p, 10030, user=p.k1_user, explanation="   ")
    with pytest.raises(IntegrityError), transaction.atomic():
        UnusedNumberFactory(number_range=p.ranges["K1"], first=n2019(10031), explanation="")


def test_status_is_one_of_the_three(p):
    with pytest.raises(ValidationError):
        register(p, 10030, user=p.k1_user, status="missing")
    assert {label for _, label in UnusedNumber.Status.choices} == {"unused", "voided", "lost"}
    with translation.override("zh-hans"):
        assert [str(label) for _, label in UnusedNumber.Status.choices] == [
            "未使用",
            "作废",
            "遗失",
        ]


def test_numbers_outside_the_users_ranges_are_refused_without_naming_the_holder(p):
    with pytest.raises(ValidationError) as caught:
        register(p, 10140, user=p.c1_user)
    assert caught.value.messages == ["The number is not in this organisation's ranges."]
    with pytest.raises(ValidationError):
        register(p, 20001, user=p.province_user)  # in no range at all


def test_a_span_may_not_cross_a_ranges_edge_or_reach_into_a_handed_on_range(p):
    with pytest.raises(ValidationError, match="crosses the edge"):
        register(p, 10018, 10025, user=p.k1_user)
    numbering.number_range_create(
        organization=p.c3, first=n2019(10180), last=n2019(10190), user=p.province_user
    )
    with pytest.raises(ValidationError, match="handed on"):
        register(p, 10170, 10185, user=p.province_user)
    assert register(p, 10170, 10179, user=p.province_user).organization == p.province


def test_a_number_is_registered_once(p):
    register(p, 10030, 10032, user=p.k1_user)
    with pytest.raises(ValidationError, match="already in the unused-number register"):
        register(p, 10032, user=p.k1_user)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraint")
def test_postgresql_refuses_overlapping_register_entries(p):
    with pytest.raises(IntegrityError), transaction.atomic():
        UnusedNumberFactory(number_range=p.ranges["B1"], first=n2019(10014), last=n2019(10016))


def test_secretaries_do_not_register(p):
    with pytest.raises(ValidationError):
        register(p, 10016, user=p.b1_secretary)


def test_update_and_delete_keep_to_the_scope(p):
    entry = UnusedNumber.objects.get(first=n2019(10131))
    with pytest.raises(ValidationError):
        numbering.unused_number_update(entry=entry, status="lost", explanation="x", user=p.c1_user)
    numbering.unused_number_update(entry=entry, status="lost", explanation="遗失", user=p.c2_user)
    entry.refresh_from_db()
    assert entry.status == "lost"
    numbering.unused_number_delete(entry=entry, user=p.c2_user)
    assert not UnusedNumber.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("201935000120", (201935000120, 201935000120)),
        ("201935000120–201935000199", (201935000120, 201935000199)),
        ("201935000120-201935000199", (201935000120, 201935000199)),
        (" 201935000120 ~ 201935000199 ", (201935000120, 201935000199)),
        (201935000120.0, (201935000120, 201935000120)),
    ],
)
def test_parse_span(text, expected):
    assert parse_span(text) == expected


@pytest.mark.parametrize("text", ["", "20193500012", "abc", "201935000120–2019"])
def test_parse_span_refuses_garbage(text):
    with pytest.raises(ValueError):
        parse_span(text)


# --- import ------------------------------------------------------------------------------------


def test_import_register_with_only_the_required_columns(tmp_path, p):
    path = write_xlsx(
        tmp_path / "u.xlsx",
        ["发展团员编号", "状态", "情况说明"],
        [
            ["201900010030", "作废", "填写错误"],
            ["201900010031–201900010033", "未使用", "预留"],
            [201900010016, "遗失", "志愿书遗失"],
        ],
    )
    code, output = run(path, "--as", "k1")
    assert code == 0, output
    entries = {e.first: e for e in UnusedNumber.objects.filter(registered_by__username="k1")}
    assert entries[n2019(10030)].status == "voided"
    assert entries[n2019(10031)].last == n2019(10033)
    assert entries[n2019(10016)].organization == p.b1


def test_import_all_columns_checks_span_and_owner(tmp_path, p):
    rows = [
        [1, "201900010030", "201900010001–201900010040", "甲县团委", "作废", "错", "2019-05-01"],
        [2, "201900010034", "201900010001–201900010020", "K1", "作废", "错", ""],  # bad span
        [3, "201900010035", "", "乙市团委", "作废", "错", ""],  # owner holds no such range
    ]
    path = write_xlsx(tmp_path / "u.xlsx", UNUSED_COLUMNS, rows)
    code, output = run(path, "--as", "k1")
    assert code == 1
    assert rejected_rows(output) == {4, 5}
    assert not UnusedNumber.objects.filter(first=n2019(10030)).exists()


def test_import_bad_rows_are_named_and_nothing_is_written(tmp_path, p):
    rows = [
        ["201900010030", "作废", "填写错误"],  # row 3: fine
        ["201900010001", "作废", "用过了"],  # row 4: a member holds it
        ["201900010140", "作废", "别人的"],  # row 5: outside k1's ranges
        ["201900010031", "丢了", "状态错"],  # row 6: bad status
        ["201900010032", "作废", ""],  # row 7: no explanation
        ["20190001003", "作废", "位数"],  # row 8: 11 digits
        ["201900010030", "未使用", "重复"],  # row 9: repeats row 3
    ]
    path = write_xlsx(tmp_path / "u.xlsx", ["发展团员编号", "状态", "情况说明"], rows)
    before = UnusedNumber.objects.count()
    code, output = run(path, "--as", "k1")
    assert code == 1
    assert rejected_rows(output) == {4, 5, 6, 7, 8, 9}
    assert "used by a member" in output and "not in this organisation's ranges" in output
    assert UnusedNumber.objects.count() == before


def test_import_dry_run_writes_nothing(tmp_path, p):
    path = write_xlsx(
        tmp_path / "u.xlsx", ["发展团员编号", "状态", "情况说明"], [["201900010030", "作废", "错"]]
    )
    before = UnusedNumber.objects.count()
    code, output = run(path, "--dry-run")
    assert code == 0 and "Dry run" in output
    assert UnusedNumber.objects.count() == before


# --- export ------------------------------------------------------------------------------------


def export(tmp_path, code="P", *args):
    path = tmp_path / "register.xlsx"
    call_command(
        "export_report",
        "unused_numbers",
        "--org",
        code,
        "--out",
        str(path),
        *args,
        stdout=io.StringIO(),
    )
    return path


def test_export_has_exactly_the_register_columns_and_one_row_per_number(tmp_path, p):
    rows = read_xlsx(export(tmp_path))
    assert rows[0][0] == "测试省团委未使用编号登记表"
    assert rows[1] == ["序号", "发展团员编号", "号段", "所属团组织", "状态", "情况说明", "登记时间"]
    assert [c.name for c in COLUMNS] == list(UNUSED_COLUMNS)
    body = rows[2:]
    assert len(body) == 5 + 1 + 20
    assert body[0][:5] == [1, "201900010011", "201900010001–201900010020", "甲县第一团支部", "作废"]
    assert [r[0] for r in body] == list(range(1, 27))
    assert {r[4] for r in body} == {"作废", "遗失", "未使用"}


def test_export_of_a_subtree_and_within_a_users_scope(tmp_path, p):
    assert len(read_xlsx(export(tmp_path, "C1"))) == 2 + 6
    assert len(read_xlsx(export(tmp_path, "C2"))) == 2 + 20
    with pytest.raises(CommandError):
        export(tmp_path, "C2", "--as", "c1")


def test_formula_typed_as_an_explanation_comes_out_as_inert_text(tmp_path, p):
    formula = '=HYPERLINK("http://evil.example","点击")'
    register(p, 10060, user=p.c1_user, explanation=formula)
    register(p, 10061, user=p.c1_user, explanation="+1+1")
    register(p, 10062, user=p.c1_user, explanation="＝SUM(A1)")
    sheet = openpyxl.load_workbook(export(tmp_path, "C1")).active
    cells = {row[1].value: row[5] for row in sheet.iter_rows(min_row=3)}
    for number, text in [
        ("201900010060", formula),
        ("201900010061", "+1+1"),
        ("201900010062", "＝SUM(A1)"),
    ]:
        cell = cells[number]
        assert cell.value == text
        assert cell.data_type == "s"
        assert cell.quotePrefix
    assert cells["201900010050"].data_type == "s"


def test_export_reimports_as_the_same_register(tmp_path, p):
    """The export's rows import back (into a register emptied meanwhile) unchanged."""
    path = export(tmp_path, "C2")
    first_rows = read_xlsx(path)[2:]
    UnusedNumber.objects.filter(organization=p.c2).delete()
    code, output = run(path, "--as", "c2")
    assert code == 0, output
    second_rows = read_xlsx(export(tmp_path, "C2"))[2:]
    assert [r[:6] for r in second_rows] == [r[:6] for r in first_rows]


# --- finding the entry holding a number ------------------------------------------------------


def test_containing_finds_the_entry_holding_a_number(p):
    entry = register(p, 10030, 10032, user=p.k1_user)
    for number in (10030, 10031, 10032):
        assert list(UnusedNumber.objects.containing(n2019(number))) == [entry]
    assert not UnusedNumber.objects.containing(n2019(10029)).filter(pk=entry.pk).exists()
    assert not UnusedNumber.objects.containing(n2019(10033)).filter(pk=entry.pk).exists()


@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GiST index")
def test_containing_uses_the_registers_gist_index(p):
    """With 20,000 entries analysed, the planner reaches the entry through the GiST index of the
    exclusion constraint (the two comparisons alone could not use it)."""
    sample = UnusedNumber.objects.first()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO members_unusednumber (first, last, number_range_id, organization_id,"
            " status, explanation, registered_at)"
            " SELECT 203500000000 + 10 * i, 203500000000 + 10 * i + 4, %s, %s, 'unused', '预留',"
            " now() FROM generate_series(1, 20000) AS i",
            [sample.number_range_id, sample.organization_id],
        )
        cursor.execute("ANALYZE members_unusednumber")
    query = UnusedNumber.objects.containing(203500100002)
    assert [(e.first, e.last) for e in query] == [(203500100000, 203500100004)]
    plan = query.explain()
    assert "unused_no_overlap" in plan, plan
