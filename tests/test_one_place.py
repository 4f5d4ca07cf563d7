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


def test_each_official_table_lists_its_columns_in_one_module():
    """A column only one table has is written once: in that table's module."""
    owners = {
        "发展团组织代码": "members/tables/roster.py",
        "现所在团支部代码": "members/tables/roster.py",
        "登记时间": "members/tables/unused_numbers.py",
        "所属团组织": "members/tables/unused_numbers.py",
        "起始编号": "members/tables/ranges.py",
        "去向省外团组织": "members/tables/moves.py",
        "上级组织代码": "branches/tables/organizations.py",
        "差距比例": "reports/tables/school_counts.py",
        "是否通报": "reports/tables/ranking.py",
    }
    for column, module in owners.items():
        assert places(f'"{column}"') == [module], column


def test_the_overdue_rule_is_written_once():
    assert places(r"moved_on__lt") == ["members/models/move_queries.py"]


def test_who_sees_a_member_or_a_move_is_written_once_in_both_forms():
    assert places(r"MEMBER_ORGANIZATIONS = ") == ["branches/access.py"]
    assert places(r"MOVE_ORGANIZATIONS = ") == ["branches/access.py"]
    # nobody else combines organisation scopes into a member's or a move's visibility
    assert places(r"in_scope_q\([^)]*(developing_organization|from_branch|destination)") == []
    assert places(r"is_in_scope\([^)]*developing_organization") == []


def test_the_grant_rule_is_asked_through_one_service():
    assert places(r"grantable_roles\(") == ["branches/access.py", "branches/services.py"]


def test_every_breadcrumb_comes_from_one_builder():
    assert places(r"visible_ancestors\(") == ["branches/access.py"]
