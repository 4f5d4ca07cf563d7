"""Values as people and 智慧团建 type them import, and are stored as the project's own terms;
an export writes those terms, so a round trip stays identical."""

from datetime import date

import pytest

from members.choices import Education, Ethnicity, Gender, Identity
from members.models import Member
from members.tables import roster
from tests.commands import rejected_lines
from tests.members.conftest import roster_row, run_import_members, valid_id
from tests.xlsx import write_xlsx

pytestmark = pytest.mark.django_db


def import_one(tmp_path, home, **overrides):
    path = write_xlsx(tmp_path / "r.xlsx", roster.HEADER, [roster_row(home, 1, **overrides)])
    return run_import_members(path)


@pytest.mark.parametrize(
    ("column", "typed", "field", "stored"),
    [
        (roster.EDUCATION, "高中在读", "education", Education.SENIOR_SECONDARY),
        (roster.EDUCATION, "本科在读", "education", Education.UNDERGRADUATE),
        (roster.EDUCATION, "硕士", "education", Education.MASTER),
        (roster.EDUCATION, "中职", "education", Education.VOCATIONAL_SECONDARY),
        (roster.EDUCATION, "大学专科", "education", Education.JUNIOR_COLLEGE),
        (roster.EDUCATION, "本　科", "education", Education.UNDERGRADUATE),
        (roster.IDENTITY, "国有企业职工", "identity", Identity.ENTERPRISE_EMPLOYEE),
        (roster.IDENTITY, "非公企业职工", "identity", Identity.ENTERPRISE_EMPLOYEE),
        (roster.IDENTITY, "机关事业单位职工", "identity", Identity.PUBLIC_SERVANT),
        (roster.IDENTITY, "进城务工青年", "identity", Identity.MIGRANT_WORKER),
        (roster.ETHNICITY, "汉", "ethnicity", Ethnicity.HAN),
        (roster.ETHNICITY, "蒙古", "ethnicity", Ethnicity.MONGOL),
        (roster.ETHNICITY, "其他", "ethnicity", Ethnicity.OTHER),
        (roster.GENDER, "男性", "gender", Gender.MALE),
    ],
)
def test_import_reads_the_words_people_write(
    tmp_path, small_province, column, typed, field, stored
):
    code, _out, err = import_one(tmp_path, small_province.branch, **{column: typed})
    assert code == 0, err
    assert getattr(Member.objects.get(), field) == stored


def test_import_keeps_the_name_of_a_people_outside_the_56(tmp_path, small_province):
    code, _out, err = import_one(tmp_path, small_province.branch, **{roster.ETHNICITY: "穿青人"})
    assert code == 0, err
    member = Member.objects.get()
    assert (member.ethnicity, member.ethnicity_note) == (Ethnicity.OTHER, "穿青人")


def test_an_unmatched_value_lists_the_accepted_ones(tmp_path, small_province):
    code, _out, err = import_one(tmp_path, small_province.branch, **{roster.EDUCATION: "幼儿园"})
    assert code == 1
    [[message]] = rejected_lines(err).values()
    assert "幼儿园" in message and "本科" in message and "硕士研究生" in message
    assert not Member.objects.exists()


@pytest.mark.parametrize(
    "typed",
    ["20190504", "2019/05/04 00:00:00", "2019-05-04T00:00:00", 43589, "43589", "2019.5.4"],
)
def test_import_reads_dates_as_people_and_programs_write_them(tmp_path, small_province, typed):
    code, _out, err = import_one(tmp_path, small_province.branch, **{roster.JOIN_DATE: typed})
    assert code == 0, err
    assert Member.objects.get().join_date == date(2019, 5, 4)


@pytest.mark.parametrize("typed", ["2019-05", "2019年5月", "201905"])
def test_a_join_month_without_its_day_is_explained(tmp_path, small_province, typed):
    code, _out, err = import_one(tmp_path, small_province.branch, **{roster.JOIN_DATE: typed})
    assert code == 1
    assert "只有年和月" in err and "支部大会通过" in err


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("139-0591-0002", "13905910002"),
        ("139 0591 0002", "13905910002"),
        ("0591-87654321转123", "0591-87654321-123"),
        ("(0591)87654321", "0591-87654321"),
        ("+86 138 0013 8000", "13800138000"),
    ],
)
def test_import_normalises_phones(tmp_path, small_province, typed, stored):
    code, _out, err = import_one(tmp_path, small_province.branch, **{roster.PHONE: typed})
    assert code == 0, err
    assert Member.objects.get().phone == stored


def test_export_writes_our_own_terms(tmp_path, small_province):
    """高中在读 goes in as 高中 and comes out as 高中: a second import reads the same."""
    code, _out, err = import_one(
        tmp_path,
        small_province.branch,
        **{roster.EDUCATION: "高中在读", roster.ETHNICITY: "汉", roster.IDENTITY: "非公企业职工"},
    )
    assert code == 0, err
    [row] = list(roster.roster_rows(Member.objects.all()))
    cells = dict(zip(roster.HEADER, row, strict=True))
    assert (cells[roster.EDUCATION], cells[roster.ETHNICITY], cells[roster.IDENTITY]) == (
        "高中",
        "汉族",
        "企业员工",
    )
    assert cells[roster.ID_NUMBER] == valid_id(1)
