"""Names refuse control, bidirectional and zero-width characters, naming the field."""

import pytest
from django.core.exceptions import ValidationError

from branches.importing import COLUMNS
from branches.models import Organization
from members.models import Member
from members.tables import roster
from tests.commands import rejected_lines, run_import
from tests.factories import MemberFactory, branch, province
from tests.members.conftest import roster_row
from tests.xlsx import write_xlsx
from youthleague.text import VisibleTextValidator, hidden_characters

pytestmark = pytest.mark.django_db

HOSTILE = ["张\u202e三", "张\u200b三", "张三\u200d", "\ufeff张三", "张\x07三", "张\u2066三"]


@pytest.mark.parametrize("name", HOSTILE)
def test_hidden_characters_are_found(name):
    """Bidi overrides and isolates, zero-width characters, BOM and control characters count."""
    assert hidden_characters(name)


@pytest.mark.parametrize("name", ["张三", "阿依古丽·买买提", "Anna Müller", "李 四", "𠀾明"])
def test_ordinary_names_pass(name):
    """Chinese (rare characters too), minority names with a middle dot, and Latin pass."""
    VisibleTextValidator("姓名")(name)


def test_member_name_with_a_bidi_override_is_refused_naming_the_field(small_province):
    """The member's full_clean refuses it; the message names 姓名 and the code point."""
    member = MemberFactory.build(name="张\u202e三", branch=small_province.branch)
    with pytest.raises(ValidationError) as caught:
        member.full_clean(exclude=["branch", "developing_organization"])
    message = " ".join(caught.value.message_dict["name"])
    assert "姓名" in message and "U+202E" in message and "不可见" in message


def test_roster_import_refuses_a_zero_width_space_in_a_name(tmp_path, small_province):
    """The row is named by its Excel row number; nothing is written."""
    rows = [roster_row(small_province.branch, 1, **{roster.NAME: "李\u200b四"})]
    path = write_xlsx(tmp_path / "r.xlsx", roster.HEADER, rows)
    code, _out, err = run_import("import_members", path)
    assert code == 1
    assert any("U+200B" in m and "姓名" in m for m in rejected_lines(err)[3])
    assert not Member.objects.exists()


def test_organisation_import_refuses_a_hidden_character_in_a_name(tmp_path):
    """Organisation names are checked too; nothing is written."""
    root = province(code="P", name="测试省团委")
    rows = [["C1", "甲市\u202e团委", root.code, "市级团委", "机关", "", "", ""]]
    path = write_xlsx(tmp_path / "o.xlsx", COLUMNS, rows)
    code, _out, err = run_import("import_orgs", path)
    assert code == 1
    assert "U+202E" in err and "组织名称" in err
    assert not Organization.objects.filter(code="C1").exists()


def test_organisation_form_refuses_a_hidden_character():
    """The model's validation (used by the admin forms) refuses it on the name field."""
    root = province(code="P", name="测试省团委")
    org = branch(root, code="B1", name="第一团支部")
    org.name = "第一\u200b团支部"
    with pytest.raises(ValidationError) as caught:
        org.full_clean()
    assert "name" in caught.value.message_dict
