"""School reconciliation on a scripted province: league counts, gaps, omissions and figures."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from branches.models import Organization, Role
from reports import schools
from reports.metrics import all_figures, figure, figures_for, figures_for_children
from reports.models import Campaign, Direction, EducationCount, Explanation
from reports.ranking import draft_notice, ranking
from tests import factories
from tests.reports.school_fixtures import CODES, YEAR, build_school_province

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(scripted_province):
    return build_school_province(scripted_province)


def table(lines):
    """(code key, education, league, difference, ratio) per line, in the order listed."""
    keys = {code: key for key, code in CODES.items()}
    return [
        (keys[line.school_code], line.education, line.league, line.difference, line.ratio)
        for line in lines
    ]


def test_school_lines_of_a_city_with_known_answers(province):
    result = schools.reconciliation(province.scripted.c1)
    assert result.year == YEAR
    assert table(result.lines) == [
        ("X1", 30, 0, -30, 1.0),  # private, absent from the tree
        ("S2", 20, 19, -1, 0.05),  # private, exactly 5%: not above it
        ("S1", 12, 10, -2, 0.1667),  # the teacher is not a student
        ("S6", None, 3, None, None),  # not in the education figures
    ]
    x1, s2, s1, s6 = result.lines
    assert [line.is_private for line in result.lines] == [True, True, False, False]
    assert (x1.is_over_threshold, x1.is_omission, x1.in_tree) == (True, True, False)
    assert (s2.is_over_threshold, s2.is_omission) == (False, False)
    assert (s1.is_over_threshold, s1.is_omission, s1.needs_explanation) == (True, False, True)
    assert (s6.is_over_threshold, s6.is_omission, s6.in_education_figures) == (False, False, False)
    assert x1.city == "甲市" and s1.city == "甲市"


def test_committee_totals_and_own_gap(province):
    summary = schools.reconciliation(province.scripted.c1).summary
    assert (summary.schools, summary.education, summary.league, summary.difference) == (
        4,
        62,
        32,
        -30,
    )
    assert summary.ratio == 0.4839
    assert (summary.over_threshold, summary.unexplained, summary.missing) == (2, 2, 1)
    assert summary.needs_explanation


def test_province_lists_every_school_private_first(province):
    result = schools.reconciliation(province.root)
    assert [key for key, *_ in table(result.lines)] == [
        "X1",
        "S2",
        "S3",
        "S1",
        "S6",
        "S4",
        "S5",
        "X2",  # a city the tree does not know: counted for the province only
    ]
    summary = result.summary
    assert (summary.schools, summary.education, summary.league, summary.ratio) == (
        8,
        106,
        56,
        0.4717,
    )
    assert (summary.over_threshold, summary.missing) == (4, 3)


def test_figures_by_city(province):
    figures = {org.code: values for org, values in figures_for_children(province.root)}
    names = (
        "schools_total",
        "schools_over_threshold",
        "schools_unexplained",
        "schools_missing",
        "school_education_count",
        "school_league_count",
        "school_gap_ratio",
    )
    assert {code: tuple(values[n] for n in names) for code, values in figures.items()} == {
        "C1": (4, 2, 2, 1, 62, 32, 0.4839),
        "C2": (2, 1, 1, 1, 35, 20, 0.4286),
        "C3": (1, 0, 0, 0, 4, 4, 0.0),
    }
    total = figures_for(province.root)
    assert tuple(total[n] for n in names) == (8, 4, 4, 3, 106, 56, 0.4717)


def test_figures_below_a_city_leave_absent_schools_with_the_city(province):
    figures = {org.code: values for org, values in figures_for_children(province.scripted.c1)}
    assert figures["K1"]["schools_total"] == 2  # S2 and S6
    assert figures["K1"]["school_education_count"] == 20
    assert figures["K1"]["school_league_count"] == 22
    assert figures["S1"]["school_gap_ratio"] == 0.1667
    assert sum(values["schools_total"] for values in figures.values()) == 3  # X1 stays above


def test_explanations_count_as_explained(province):
    Explanation.objects.create(
        year=YEAR, subject=Explanation.Subject.SCHOOL, school_code=CODES["S1"], text="转学"
    )
    figures = figures_for(province.scripted.c1)
    assert (figures["schools_over_threshold"], figures["schools_unexplained"]) == (2, 1)
    line = next(li for li in schools.school_lines(province.scripted.c1, YEAR) if li.is_explained)
    assert line.school_code == CODES["S1"] and line.explanation == "转学"


def test_figures_use_the_newest_year(province):
    EducationCount.objects.create(
        year=YEAR - 1,
        school_code=CODES["S1"],
        school_name="甲市第一中学",
        ownership="public",
        city_name="甲市",
        education_count=500,
    )
    assert figures_for(province.scripted.c1)["school_education_count"] == 62
    old = schools.reconciliation(province.scripted.c1, YEAR - 1)
    assert [(line.education, line.league) for line in old.lines if line.education] == [(500, 10)]


def test_a_campaign_reads_the_education_figures_of_its_own_year(client, province, school_campaign):
    """Next year's figures arrive: the newest serve the plain figures and next year's campaign,
    while the 2019 campaign's dashboard, ranking and snapshot keep reading 2019's."""
    from reports.dashboard import build_dashboard
    from reports.snapshots import snapshot_take

    EducationCount.objects.create(
        year=YEAR + 1,
        school_code=CODES["S1"],
        school_name="甲市第一中学",
        ownership="public",
        city_name="甲市",
        education_count=500,
    )
    c1 = province.scripted.c1
    assert figures_for(c1)["school_education_count"] == 500
    assert figures_for(c1, school_campaign)["school_education_count"] == 62
    later = Campaign.objects.create(
        slug="schools-next",
        name="以教统核团统",
        year=YEAR + 2,
        deadline=date(2021, 6, 15),
    )
    assert figures_for(c1, later)["school_education_count"] == 500  # the newest before 2021
    earlier = Campaign.objects.create(
        slug="schools-before", name="以教统核团统", year=YEAR - 1, deadline=date(2018, 6, 15)
    )
    assert figures_for(c1, earlier)["schools_total"] == 0  # no figures for 2018 or before

    assert [e.value for e in ranking(school_campaign, province.root)][:2] == [0.4839, 0.4286]
    board = build_dashboard(province.root, campaign_slug="schools")
    by_code = {row.organization.code: row.figures for row in board.rows}
    assert by_code["C1"]["school_education_count"] == 62
    assert (
        board.total["school_education_count"]
        == figures_for(province.root, school_campaign)["school_education_count"]
    )
    assert board.education_year == YEAR
    client.force_login(factories.user_with_role(province.root, Role.PROVINCE, username="prov"))
    page = client.get("/dashboard/", {"campaign": "schools"}).content.decode()
    assert f"/reports/schools/?org={province.root.code}&amp;year={YEAR}" in page
    assert f"{YEAR}年教育统计数" in page
    snapshot = snapshot_take(campaign=school_campaign, taken_on=date(2019, 6, 15))
    frozen = snapshot.figures.get(organization=c1).figures
    assert frozen["school_education_count"] == 62


def test_without_education_figures_schools_still_list(scripted_province):
    build_school_province(scripted_province, education=False)
    result = schools.reconciliation(scripted_province.c1)
    assert result.year is None
    assert {line.education for line in result.lines} == {None}
    assert figures_for(scripted_province.c1)["school_gap_ratio"] is None


def test_compliance_json_carries_the_school_figures(province):
    out = io.StringIO()
    call_command("compliance", "--json", stdout=out)
    rows = {row["code"]: row for row in json.loads(out.getvalue())}
    assert rows["C2"]["schools_missing"] == 1
    assert rows["C2"]["school_gap_ratio"] == 0.4286
    assert rows["C3"]["schools_over_threshold"] == 0


def test_school_gap_is_a_rankable_figure_where_lower_is_better():
    gap = figure("school_gap_ratio")
    assert gap.rankable and gap.is_ratio and gap.better == "lower"
    names = {f.name for f in all_figures()}
    assert {"schools_total", "schools_over_threshold", "schools_unexplained"} <= names
    assert "schools_missing" in names


@pytest.fixture
def school_campaign(db):
    return Campaign.objects.create(
        slug="schools",
        name="以教统核团统",
        year=YEAR,
        deadline=date(2019, 6, 15),
        metric="school_gap_ratio",
        threshold=Decimal("0.05"),
        direction=Direction.ABOVE,
    )


def test_ranking_names_cities_above_five_percent(province, school_campaign):
    entries = ranking(school_campaign, province.root)
    assert [(e.rank, e.organization.code, e.value, e.named) for e in entries] == [
        (1, "C1", 0.4839, True),
        (2, "C2", 0.4286, True),
        (3, "C3", 0.0, False),
    ]


def test_notice_reads_like_the_notice(province, school_campaign):
    text = draft_notice(
        school_campaign, ranking(school_campaign, province.root), as_of=date(2019, 6, 10)
    )
    assert text == (
        "截至6月10日，甲市、乙市等2个设区市学校领域团员数量差距超过5%（甲市48.4%，乙市42.9%），"
        "请以上2个设区市于6月15日前做出详细情况说明。"
    )


def test_notice_when_no_city_is_above(province, school_campaign):
    school_campaign.threshold = Decimal("0.9")
    text = draft_notice(
        school_campaign, ranking(school_campaign, province.root), as_of=date(2019, 6, 10)
    )
    assert text == "截至6月10日，全部设区市学校领域团员数量差距均未超过90%。"


def test_threshold_comes_from_one_setting(province, settings):
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "SCHOOL_GAP_THRESHOLD": "0.2"}
    assert schools.gap_threshold() == Decimal("0.2")
    figures = figures_for(province.scripted.c1)
    assert figures["schools_over_threshold"] == 1  # S1's 16.7% is no longer above it


# --- matching ---------------------------------------------------------------------------------


def test_a_renamed_school_still_matches_by_code(province):
    s4 = province.schools["S4"]
    line = next(
        li
        for li in schools.school_lines(province.scripted.c2, YEAR)
        if li.in_tree and li.school_code == CODES["S4"]
    )
    assert (line.name, line.organization_name, line.league) == ("乙市第二中学", s4.name, 20)


def test_a_school_that_moved_city_counts_where_it_now_is(province):
    """The education department still writes 甲市; the tree holds the school under 丙市."""
    c1_codes = {line.school_code for line in schools.school_lines(province.scripted.c1, YEAR)}
    assert CODES["S5"] not in c1_codes
    (line,) = schools.school_lines(province.scripted.c3, YEAR)
    assert (line.school_code, line.city, line.education_city, line.city_differs) == (
        CODES["S5"],
        "丙市",
        "甲市",
        True,
    )
    s5 = Organization.objects.get(code="S5")
    Organization.objects.move(s5, province.scripted.c1, "last-child")
    c1_codes = {line.school_code for line in schools.school_lines(province.scripted.c1, YEAR)}
    assert CODES["S5"] in c1_codes


def test_a_school_added_to_the_tree_after_the_import_is_matched(province):
    line = next(
        li
        for li in schools.school_lines(province.scripted.c1, YEAR)
        if li.school_code == CODES["X1"]
    )
    assert not line.in_tree
    x1 = factories.committee(
        province.scripted.k1,
        kind=Organization.Kind.GRASSROOTS,
        code="X1",
        sector=Organization.Sector.SCHOOL,
        school_code=CODES["X1"],
        ownership="private",
    )
    factories.MemberFactory(branch=factories.class_branch(x1))
    line = next(
        li
        for li in schools.school_lines(province.scripted.c1, YEAR)
        if li.school_code == CODES["X1"]
    )
    assert (line.in_tree, line.league, line.is_omission) == (True, 1, False)


def test_codes_are_compared_without_spaces_full_width_too():
    row = EducationCount(
        year=YEAR,
        school_code=" 3135\u30000101 0001 ",
        school_name="甲市第一中学",
        ownership="public",
        city_name=" 甲 市 ",
        education_count=1,
    )
    row.full_clean()
    assert (row.school_code, row.city_name) == ("313501010001", "甲市")
    row.school_code = "３１３５０１０１０００１"
    row.full_clean()
    assert row.school_code == "313501010001"


def test_city_names_match_loosely():
    assert schools.city_key("福州市") == schools.city_key("福州") == schools.city_key(" 福州 市")
    assert schools.city_key("平潭综合实验区") == "平潭综合实验区"


def test_nested_schools_count_their_members_in_both(scripted_province):
    university = factories.committee(
        scripted_province.c3,
        kind=Organization.Kind.GRASSROOTS,
        code="U",
        sector=Organization.Sector.SCHOOL,
        school_code="4135000001",
        ownership="public",
    )
    factories.MemberFactory(branch=factories.class_branch(university))
    college = factories.committee(
        university,
        kind=Organization.Kind.GRASSROOTS,
        code="U-C",
        sector=Organization.Sector.SCHOOL,
        school_code="4135000002",
        ownership="private",
    )
    factories.MemberFactory(branch=factories.class_branch(college))
    leagues = {
        line.school_code: line.league for line in schools.school_lines(scripted_province.c3, None)
    }
    assert leagues == {"4135000001": 2, "4135000002": 1}


# --- cost -------------------------------------------------------------------------------------


def test_query_count_is_the_same_for_3_and_30_schools(db):
    """Schools, their figures and the city totals cost the same number of queries however
    many schools there are."""

    def count_for(size):
        root = factories.province(code=f"R{size}")
        city = factories.committee(root, code=f"R{size}-C", name=f"共青团{size}市委员会")
        for index in range(size):
            school = factories.committee(
                city,
                kind=Organization.Kind.GRASSROOTS,
                sector=Organization.Sector.SCHOOL,
                code=f"R{size}-S{index}",
                school_code=f"9{size:03d}{index:06d}",
                ownership="private" if index % 2 else "public",
            )
            factories.MemberFactory(branch=factories.class_branch(school))
            EducationCount.objects.create(
                year=YEAR,
                school_code=f"9{size:03d}{index:06d}",
                school_name=f"学校{index}",
                ownership="public",
                city_name=f"{size}市",
                education_count=index + 1,
            )
        counts = []
        with CaptureQueriesContext(connection) as queries:
            figures_for_children(root)
        counts.append(len(queries.captured_queries))
        with CaptureQueriesContext(connection) as queries:
            result = schools.reconciliation(city)
        counts.append(len(queries.captured_queries))
        assert len(result.lines) == size
        return counts

    assert count_for(3) == count_for(30)


def test_a_committee_user_sees_the_figures_in_the_dashboard(client, province):
    client.force_login(factories.user_with_role(province.scripted.c1, Role.COMMITTEE))
    response = client.get("/dashboard/")
    rows = {row.organization.code: row for row in response.context["board"].rows}
    assert rows["K1"].figures["schools_total"] == 2
    assert "/reports/schools/?org=C1" in response.content.decode()


# --- demo -------------------------------------------------------------------------------------


@override_settings(DEBUG=True)
def test_seed_demo_has_the_school_campaign_and_every_case():
    call_command("seed_demo", "--members", "50", stdout=io.StringIO())
    campaign = Campaign.objects.get(slug="2019-schools")
    assert (campaign.metric, campaign.direction, campaign.threshold) == (
        "school_gap_ratio",
        Direction.ABOVE,
        Decimal("0.05"),
    )
    assert campaign.deadline == date(2019, 6, 15)
    root = Organization.objects.get(depth=1)
    lines = schools.school_lines(root, 2019)
    absent = [line for line in lines if not line.in_tree]
    assert len(absent) == 1 and absent[0].is_private and absent[0].is_omission
    empty = [line for line in lines if line.in_tree and line.is_private and line.league == 0]
    assert empty and all(line.is_omission for line in empty)
    assert all(line.in_education_figures for line in lines)
    assert Explanation.objects.filter(year=2019).count() <= 1
    assert ranking(campaign, root)  # the cities are ranked on their gap
