"""The annual statistics: known answers per level, year-on-year against the frozen figures with
declines that need an explanation, the December 31 freeze at the boundary, and query counts.

The tree (``small_province``): P > C1 甲市 > C1-K1 甲县 > B1, B2; P > C2 乙市 > C2-K1 > B1 of 乙县.
"""

import io
from datetime import UTC, date, datetime
from http import HTTPStatus

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from reports.models import DeclineExplanation, YearEndFigures
from reports.statistics.comparison import decline_explanation_save, statistics_for
from reports.statistics.figures import FIGURES
from reports.statistics.freeze import next_freeze_moment, statistics_freeze, year_due
from reports.statistics.tasks import freeze_year_end_statistics
from reports.tables.statistics import COLUMNS
from tests.factories import branch, committee, province
from tests.reports.statistics_fixtures import build_year, member
from tests.xlsx import read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def year(small_province):
    return build_year(small_province)


def figures_of(result, code):
    line = next(line for line in result.lines if line.organization.code == code)
    return {c.figure.name: c.current for c in line.comparisons}


def test_known_answers_at_every_level(year):
    by_city = statistics_for(year.province, 2025)
    c1 = figures_of(by_city, "C1")
    assert c1["members"] == 4  # m1, m2, m4, m6
    assert c1["developed"] == 2
    assert (c1["left"], c1["left_withdrawn"], c1["left_deceased"], c1["left_aged_out"]) == (
        2,
        1,
        1,
        0,
    )
    assert c1["cadres"] == 1
    assert (c1["female"], c1["minority"], c1["college"], c1["students"]) == (1, 1, 1, 1)
    assert figures_of(by_city, "C2")["members"] == 1
    assert figures_of(by_city, "P")["members"] == 5  # the total line
    by_county = statistics_for(year.county, 2025)
    assert figures_of(by_county, "C1-K1-B1")["members"] == 3
    assert figures_of(by_county, "C1-K1-B1")["developed"] == 2
    assert figures_of(by_county, "C1-K1-B2")["left_deceased"] == 1
    assert figures_of(by_county, "C1-K1")["cadres"] == 0  # B1's ended mid-year, K1's from 2026
    assert figures_of(statistics_for(year.county, 2026), "C1-K1")["cadres"] == 1


def test_year_on_year_decline_needs_an_explanation(year):
    assert statistics_freeze(year=2024) == 8  # every open organisation
    result = statistics_for(year.county, 2025)
    b2 = next(line for line in result.lines if line.organization.code == "C1-K1-B2")
    members = next(c for c in b2.comparisons if c.figure.name == "members")
    assert (members.current, members.previous, members.change, members.change_ratio) == (
        1,
        2,
        -1,
        -0.5,
    )
    assert members.needs_explanation and members.unexplained
    left = next(c for c in b2.comparisons if c.figure.name == "left")
    assert not left.needs_explanation  # more exits is no decline to explain
    assert ("C1-K1-B2", "members") in {
        (line.organization.code, c.figure.name) for line, c in result.unexplained
    }

    decline_explanation_save(
        user=year.county_user,
        organization=year.other_branch,
        year=2025,
        figure="members",
        text="一名团员去世",
    )
    decline_explanation_save(
        user=year.county_user,
        organization=year.other_branch,
        year=2025,
        figure="members",
        text="一名团员病故",
    )
    result = statistics_for(year.county, 2025)
    assert ("C1-K1-B2", "members") not in {
        (line.organization.code, c.figure.name) for line, c in result.unexplained
    }
    explanation = DeclineExplanation.objects.get()
    assert explanation.text == "一名团员病故"
    assert [h.text for h in explanation.history.order_by("-history_date")] == [
        "一名团员病故",
        "一名团员去世",
    ]


def test_decline_within_the_threshold_needs_no_explanation(year, settings):
    statistics_freeze(year=2024)
    settings.YOUTHLEAGUE = {**settings.YOUTHLEAGUE, "STATISTICS_DECLINE_THRESHOLD": 0.6}
    result = statistics_for(year.county, 2025)
    declines = {(line.organization.code, c.figure.name) for line, c in result.declines}
    assert ("C1-K1-B2", "members") not in declines  # fell by half: within 60%
    assert ("C1-K1-B1", "cadres") in declines  # fell by all


def test_explanation_rules(year):
    with pytest.raises(ValidationError):
        decline_explanation_save(
            user=year.county_user, organization=year.branch, year=2025, figure="left", text="x"
        )
    with pytest.raises(PermissionDenied):
        decline_explanation_save(
            user=year.other_city_user,
            organization=year.branch,
            year=2025,
            figure="members",
            text="x",
        )
    with pytest.raises(ValidationError):
        decline_explanation_save(
            user=year.county_user, organization=year.branch, year=2025, figure="members", text="  "
        )


def test_frozen_year_never_moves(year):
    assert statistics_freeze(year=2025) == 8
    frozen_at = YearEndFigures.objects.get(organization=year.county, year=2025).frozen_at
    member(year.branch, date(2025, 7, 1))  # entered late, after the year was frozen
    assert statistics_freeze(year=2025) == 0
    result = statistics_for(year.county, 2025)
    assert result.frozen
    assert figures_of(result, "C1-K1")["members"] == 4
    assert figures_of(result, "C1-K1-B1")["developed"] == 2
    row = YearEndFigures.objects.get(organization=year.county, year=2025)
    assert row.frozen_at == frozen_at and row.figures["members"] == 4
    # Counted live, the year would have moved.
    assert figures_of(statistics_for(year.county, 2026), "C1-K1")["members"] == 5


def local(year_, month, day, hour, minute):
    return timezone.make_aware(datetime(year_, month, day, hour, minute))


def test_year_due_at_the_boundary_in_the_project_time_zone():
    assert year_due(local(2025, 12, 30, 23, 59)) == 2024
    assert year_due(local(2025, 12, 31, 0, 0)) == 2025
    assert year_due(local(2025, 12, 31, 23, 59)) == 2025
    assert year_due(local(2026, 1, 1, 0, 0)) == 2025
    # 16:00 UTC on December 31 is already January 1 in China; 15:59 UTC on December 30 is not
    # yet December 31.
    assert year_due(datetime(2025, 12, 31, 16, 0, tzinfo=UTC)) == 2025
    assert year_due(datetime(2025, 12, 30, 15, 59, tzinfo=UTC)) == 2024
    assert next_freeze_moment(local(2025, 12, 31, 23, 55)) == local(2026, 12, 31, 23, 50)
    assert next_freeze_moment(local(2025, 6, 1, 0, 0)) == local(2025, 12, 31, 23, 50)


def test_command_freezes_the_due_year_at_the_boundary(year, monkeypatch):
    def run_at(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)
        out = io.StringIO()
        call_command("freeze_statistics", stdout=out)
        return out.getvalue()

    run_at(local(2025, 12, 30, 23, 59))
    assert set(YearEndFigures.objects.values_list("year", flat=True)) == {2024}
    run_at(local(2025, 12, 31, 23, 59))
    assert set(YearEndFigures.objects.values_list("year", flat=True)) == {2024, 2025}
    member(year.branch, date(2025, 12, 31))  # entered on January 1: after the freeze
    assert "2025" in run_at(local(2026, 1, 1, 0, 0))
    assert YearEndFigures.objects.get(organization=year.county, year=2025).figures["members"] == 4
    assert YearEndFigures.objects.filter(year=2025).count() == 8


def test_command_refuses_a_year_not_ended(year, monkeypatch):
    from django.core.management.base import CommandError

    monkeypatch.setattr(timezone, "now", lambda: local(2025, 12, 30, 12, 0))
    with pytest.raises(CommandError):
        call_command("freeze_statistics", "--year", "2025")
    assert not YearEndFigures.objects.exists()


def test_task_freezes_the_due_year(year, monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: local(2025, 12, 31, 23, 50))
    result = freeze_year_end_statistics.enqueue()
    assert result.return_value == {"year": 2025, "organizations": 8}
    assert freeze_year_end_statistics.enqueue().return_value == {"year": 2025, "organizations": 0}


def grow(parent, children, start):
    for index in range(start, start + children):
        city = committee(parent, code=f"GC{index}")
        member(branch(city, code=f"GC{index}-B"), date(2024, 3, 1))


def test_statistics_cost_the_same_for_3_and_30_children(client):
    from branches.models import Role
    from tests.factories import user_with_role

    root = province(code="P")
    client.force_login(user_with_role(root, Role.PROVINCE, username="prov"))
    counts, page_counts = [], []
    for children, start in ((3, 0), (30, 10)):
        parent = committee(root, code=f"PARENT{children}")
        grow(parent, children, start)
        with CaptureQueriesContext(connection) as queries:
            result = statistics_for(parent, 2025)
        assert figures_of(result, parent.code)["members"] == children
        counts.append(len(queries.captured_queries))
        url = f"/reports/statistics/?org={parent.code}&year=2025"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == HTTPStatus.OK
        page_counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1]
    assert page_counts[0] == page_counts[1]
    YearEndFigures.objects.all().delete()
    statistics_freeze(year=2025)
    with CaptureQueriesContext(connection) as queries:
        statistics_for(root, 2025)
    assert len(queries.captured_queries) <= counts[0]


def test_pages_show_declines_and_explanations(client, year):
    statistics_freeze(year=2024)
    client.force_login(year.county_user)
    page = client.get("/reports/statistics/?org=C1-K1&year=2025").content.decode()
    assert 'data-code="C1-K1-B2" data-figure="members" class="decline"' in page
    declines = client.get("/reports/statistics/declines/?org=C1-K1&year=2025").content.decode()
    assert "figure=members" in declines
    url = "/reports/statistics/explain/?org=C1-K1-B2&year=2025&figure=members"
    assert client.get(url).status_code == HTTPStatus.OK
    response = client.post(url, {"text": "一名团员去世"})
    assert response.status_code == HTTPStatus.FOUND
    page = client.get("/reports/statistics/?org=C1-K1&year=2025").content.decode()
    assert "一名团员去世" in page


def test_pages_answer_404_outside_the_scope(client, year):
    client.force_login(year.other_city_user)
    assert client.get("/reports/statistics/?org=C1").status_code == HTTPStatus.NOT_FOUND
    assert client.get("/reports/statistics/declines/?org=C1").status_code == HTTPStatus.NOT_FOUND
    url = "/reports/statistics/explain/?org=C1-K1-B2&year=2025&figure=members"
    assert client.get(url).status_code == HTTPStatus.NOT_FOUND
    client.force_login(year.county_user)
    assert client.get("/reports/statistics/?org=C1&year=x").status_code == HTTPStatus.NOT_FOUND
    bad = "/reports/statistics/explain/?org=C1-K1-B2&year=2025&figure=left"
    assert client.get(bad).status_code == HTTPStatus.NOT_FOUND


def test_table_is_stamped_and_carries_the_explanations(client, year):
    statistics_freeze(year=2024)
    decline_explanation_save(
        user=year.county_user,
        organization=year.other_branch,
        year=2025,
        figure="members",
        text="一名团员去世",
    )
    client.force_login(year.county_user)
    response = client.get("/reports/download/statistics/?org=C1-K1&year=2025&stamp=1")
    assert response.status_code == HTTPStatus.OK
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert rows[0][0] == "2025年团内统计表（甲县团委）"
    assert rows[1] == [column.name for column in COLUMNS]
    line = next(r for r in rows[2:] if r[1] == "C1-K1-B2" and r[3] == "年末团员数")
    assert line[4:] == [1, 2, -1, -0.5, "是", "一名团员去世"]


def test_export_report_writes_the_statistics_of_a_year(year, tmp_path):
    statistics_freeze(year=2024)
    out = tmp_path / "statistics.xlsx"
    call_command(
        "export_report",
        "statistics",
        "--org",
        "C1-K1",
        "--year",
        "2025",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    rows = read_xlsx(out)
    assert rows[0][0] == "2025年团内统计表（甲县团委）"
    line = next(r for r in rows[2:] if r[1] == "C1-K1-B2" and r[3] == "年末团员数")
    assert line[4:8] == [1, 2, -1, -0.5]


def test_campaign_submits_the_statistics_stamped_up_the_tree(year):
    from datetime import timedelta

    from reports.models import Campaign
    from reports.submissions.services import submission_accept, submission_create
    from reports.submissions.verifying import verify_workbook

    campaign = Campaign.objects.create(
        slug="statistics",
        name="团内统计上报",
        year=timezone.localdate().year,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="statistics",
    )
    campaign.full_clean()  # the registry knows the table
    submission = submission_create(
        campaign=campaign, organization=year.county, user=year.county_user
    )
    (frozen,) = submission.files.all()
    assert frozen.kind == "statistics"
    assert frozen.rows == 3 * len(FIGURES)  # two branches and the total
    with frozen.file.open("rb") as handle:
        assert verify_workbook(handle).ok
    submission_accept(submission=submission, user=year.city_user)


def test_page_says_how_the_year_is_counted(client, year):
    client.force_login(year.county_user)
    unfrozen = client.get("/reports/statistics/?org=C1-K1&year=2025").content.decode()
    assert "该年度统计数未固化" in unfrozen
    statistics_freeze(year=2025)
    frozen = client.get("/reports/statistics/?org=C1-K1&year=2025").content.decode()
    assert "本年统计数已按12月31日固化" in frozen
    current = timezone.localdate().year
    live = client.get(f"/reports/statistics/?org=C1-K1&year={current}").content.decode()
    assert "本年统计数截至今日" in live


def test_the_declines_page_downloads_only_the_declines(client, year):
    statistics_freeze(year=2024)
    client.force_login(year.county_user)
    page = client.get("/reports/statistics/declines/?org=C1-K1&year=2025").content.decode()
    assert "/reports/download/statistics/?org=C1-K1&amp;year=2025&amp;declines=1" in page
    response = client.get("/reports/download/statistics/?org=C1-K1&year=2025&declines=1")
    assert response.status_code == HTTPStatus.OK
    rows = read_xlsx(io.BytesIO(b"".join(response.streaming_content)))
    assert rows[0][0] == "2025年需说明的下降（甲县团委）"
    assert rows[2:] and all(r[8] == "是" for r in rows[2:])
    everything = client.get("/reports/download/statistics/?org=C1-K1&year=2025")
    all_rows = read_xlsx(io.BytesIO(b"".join(everything.streaming_content)))
    assert len(all_rows) > len(rows)
