"""Dashboard tables that read and print: the campaign's own figure group first, a column
chooser (``?groups=``), an .xlsx download, past deadlines in one line, a legible chart."""

import io
import re
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus
from pathlib import Path

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from reports.charts import bar_chart
from reports.columns import campaign_group, chosen_groups, shown_figures
from reports.models import Campaign, ExportLog
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def graduation_campaign(db):
    return Campaign.objects.create(
        slug="grad",
        name="毕业时间填写",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=10),
        metric="graduation_fill_ratio",
        threshold=Decimal("0.5"),
    )


@pytest.fixture
def province_user(scripted_province):
    return factories.user_with_role(scripted_province.root, Role.PROVINCE, username="pv")


def headers(response):
    body = response.content.decode()
    table = body[body.index('id="children"') :]
    return re.findall(r"<th class=\"num\"><a [^>]*>([^<]+)</a>", table[: table.index("</thead>")])


def test_dashboard_opens_on_the_campaigns_own_figure_group(
    client, province_user, graduation_campaign
):
    client.force_login(province_user)
    response = client.get(reverse("dashboard"), {"campaign": "grad"})
    board = response.context["board"]
    assert campaign_group(graduation_campaign) == "graduation"
    assert [f.name for f in board.figures] == [
        "class_branches_with_date",
        "class_branches_without_date",
        "class_branches_exempt",
        "graduation_fill_ratio",
    ]
    assert len(headers(response)) == 4


def test_column_chooser_adds_groups_without_javascript(client, province_user, graduation_campaign):
    client.force_login(province_user)
    # The chooser is a plain GET form of checkboxes named "groups"; the comma form works too.
    for params in ({"groups": ["graduation", "entries"]}, {"groups": "graduation,entries"}):
        response = client.get(reverse("dashboard"), {"campaign": "grad", **params})
        names = [f.name for f in response.context["board"].figures]
        assert names[:3] == ["new_members", "entered_on_time", "entered_late"]
        assert "graduation_fill_ratio" in names and "numbers_total" not in names
    body = response.content.decode()
    assert 'name="groups" value="entries" checked' in body
    assert 'name="groups" value="ledger">' in body
    # Unknown groups are ignored; nothing valid falls back to the campaign's group.
    response = client.get(reverse("dashboard"), {"campaign": "grad", "groups": "nonsense"})
    assert response.status_code == HTTPStatus.OK
    assert [g.slug for g in response.context["board"].column_groups if g.shown] == ["graduation"]


def test_every_group_can_be_shown():
    groups = chosen_groups(None, "all")
    assert all(g.shown for g in groups)
    assert len(shown_figures(groups)) > 20


def test_dashboard_table_downloads_as_xlsx_through_the_export_path(
    client, scripted_province, province_user, graduation_campaign
):
    client.force_login(province_user)
    page = client.get(reverse("dashboard"), {"campaign": "grad"}).content.decode()
    url = f"{reverse('reports:download', args=['dashboard'])}?org={scripted_province.root.code}"
    assert url in page
    response = client.get(url.replace("&amp;", "&"), {"for_campaign": "grad"})
    assert response.status_code == HTTPStatus.OK
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[1][:2] == ("组织代码", "组织名称")
    assert len(rows[1]) > 20  # every figure, named in Chinese
    assert all(isinstance(cell, str) and cell for cell in rows[1])
    assert rows[-1][1] == "合计"
    codes = {row[0] for row in rows[2:-1]}
    from branches.models import Organization

    children = Organization.objects.children_of(scripted_province.root).current()
    assert codes == {c.code for c in children}
    assert ExportLog.objects.filter(kind="dashboard", user=province_user).count() == 1


def test_dashboard_table_cannot_be_stamped(client, province_user, scripted_province):
    client.force_login(province_user)
    url = reverse("reports:download", args=["dashboard"])
    response = client.get(url, {"org": scripted_province.root.code, "stamp": "1"})
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_past_deadlines_collapse_into_one_line(client, province_user):
    today = timezone.localdate()
    for index, days in enumerate([-2800, -2790, -2780, 5]):
        Campaign.objects.create(
            slug=f"c{index}", name=f"专项{index}", year=2019, deadline=today + timedelta(days=days)
        )
    client.force_login(province_user)
    response = client.get(reverse("dashboard"))
    board = response.context["board"]
    assert [d.campaign.slug for d in board.upcoming_deadlines] == ["c3"]
    assert len(board.past_deadlines) == 3
    body = response.content.decode()
    section = body[
        body.index('class="deadline-list"') : body.index("</ul>", body.index("deadline-list"))
    ]
    assert section.count("<li") == 2  # one upcoming, one line for the three past ones
    assert "已截止的专项工作 3 项" in section
    assert "已截止2" not in section  # no "closed 27xx days ago" per campaign


def test_chart_threshold_line_passes_behind_the_value_labels(client, province_user):
    from django.template.loader import render_to_string

    chart = bar_chart([("甲市", 0.58, "amber"), ("乙市", 0.61, "green")], threshold=0.6)
    svg = render_to_string("reports/_bar_chart.html", {"chart": chart})
    line = svg.index('class="threshold"')
    labels = [m.start() for m in re.finditer(r'<text class="value"', svg)]
    assert len(labels) == 3  # the threshold's own label and one per bar
    # Drawn first, the line lies under every label, and each label carries a halo.
    assert all(line < position for position in labels)
    assert "paint-order: stroke" in svg


def test_print_stylesheet_fits_a4_landscape(client, province_user):
    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/tables.css")).read_text(encoding="utf-8")
    assert "@page { size: A4 landscape" in css
    client.force_login(province_user)
    assert "css/tables.css" in client.get(reverse("dashboard")).content.decode()


def test_every_figure_group_has_a_chooser_label():
    """A new figure group needs its words in the column chooser (else its slug would show)."""
    from reports.columns import LABELS, all_groups

    assert {slug for slug, _group in all_groups(every=True)} <= set(LABELS)


def test_undated_class_branches_read_with_their_school(client, province_user, scripted_province):
    from branches.models import Organization

    undated = Organization.objects.class_branches().filter(
        graduation_date__isnull=True, no_graduation_reason=""
    )
    assert undated.exists()
    client.force_login(province_user)
    board = client.get(reverse("dashboard")).context["board"]
    listed = board.who_has_not.undated_class_branches
    assert listed
    for branch in listed:
        parent = Organization.objects.get(path=branch.path[: -Organization.steplen])
        assert str(branch) == f"{branch.name} · {parent.name}"
