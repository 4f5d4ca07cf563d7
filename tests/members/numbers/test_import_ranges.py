"""import_ranges: nested ranges in one file, all or nothing, rows named as Excel shows them."""

import pytest

from members.models import NumberRange
from members.numbers.importing import RANGE_COLUMNS
from tests.commands import rejected_rows
from tests.factories import committee, province, user_with_role
from tests.members.numbers.conftest import run_import_ranges as run
from tests.xlsx import write_xlsx

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def tree():
    root = province(code="P")
    city = committee(root, code="C1")
    county = committee(city, code="C1-K1", kind="county")
    other = committee(root, code="C2")
    user_with_role(city, "committee", username="city")
    return root, city, county, other


def test_nested_ranges_import_in_any_order(tmp_path, tree):
    root, city, county, other = tree
    rows = [
        ["C1-K1", "201900010001", "201900010040"],
        ["C1", 201900010001, 201900010100],
        ["P", "201900010001", "201900019999"],
        ["C2", "201900010101", "201900010200"],
    ]
    code, output = run(write_xlsx(tmp_path / "r.xlsx", RANGE_COLUMNS, rows))
    assert code == 0, output
    assert {(r.organization.code, r.first, r.last, r.level) for r in NumberRange.objects.all()} == {
        ("C1-K1", 201900010001, 201900010040, 3),
        ("C1", 201900010001, 201900010100, 2),
        ("P", 201900010001, 201900019999, 1),
        ("C2", 201900010101, 201900010200, 2),
    }


def test_importing_the_same_file_twice_changes_nothing(tmp_path, tree):
    rows = [["P", "201900010001", "201900019999"], ["C1", "201900010001", "201900010100"]]
    path = write_xlsx(tmp_path / "r.xlsx", RANGE_COLUMNS, rows, title=None)
    assert run(path)[0] == 0
    code, output = run(path)
    assert code == 1 and "overlaps" in output
    assert NumberRange.objects.count() == 2


def test_overlapping_and_bad_rows_reject_the_whole_file(tmp_path, tree):
    rows = [
        ["P", "201900010001", "201900019999"],  # row 3: fine
        ["C1", "201900010001", "201900010100"],  # row 4: fine
        ["C2", "201900010050", "201900010150"],  # row 5: overlaps C1's
        ["C1-K1", "201900010090", "201900010200"],  # row 6: sticks out of C1's
        ["NOPE", "201900020001", "201900020010"],  # row 7: unknown code
        ["C2", "201900010300", "201900010200"],  # row 8: first after last
        ["C2", "20190001030", "201900010400"],  # row 9: 11 digits
        ["C2", "201900019990", "202000010000"],  # row 10: two years
    ]
    code, output = run(write_xlsx(tmp_path / "r.xlsx", RANGE_COLUMNS, rows))
    assert code == 1
    assert rejected_rows(output) == {5, 6, 7, 8, 9, 10}
    assert "overlaps" in output and "NOPE" in output
    assert not NumberRange.objects.exists()


def test_a_committee_imports_only_below_itself(tmp_path, tree):
    root, city, county, other = tree
    NumberRange.objects.create(organization=root, first=201900010001, last=201900019999)
    NumberRange.objects.create(organization=city, first=201900010001, last=201900010100)
    rows = [
        ["C1-K1", "201900010001", "201900010040"],  # row 3: fine
        ["C2", "201900010101", "201900010200"],  # row 4: outside the city's scope
        ["C1", "201900010101", "201900010200"],  # row 5: its own ranges come from above
    ]
    code, output = run(write_xlsx(tmp_path / "r.xlsx", RANGE_COLUMNS, rows), "--as", "city")
    assert code == 1
    assert rejected_rows(output) == {4, 5}
    assert NumberRange.objects.count() == 2


def test_dry_run_writes_nothing(tmp_path, tree):
    path = write_xlsx(tmp_path / "r.xlsx", RANGE_COLUMNS, [["P", "201900010001", "201900019999"]])
    code, output = run(path, "--dry-run")
    assert code == 0 and "Dry run" in output
    assert not NumberRange.objects.exists()


def test_a_file_with_the_wrong_columns_is_refused(tmp_path, tree):
    path = write_xlsx(tmp_path / "r.xlsx", ["组织代码", "起始编号"], [["P", "201900010001"]])
    code, output = run(path)
    assert code == 1 and "终止编号" in output
