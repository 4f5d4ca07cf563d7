"""Campaign settings: tables chosen from the registry, a campaign's labels, a threshold in percent."""

import re
from datetime import timedelta
from decimal import Decimal
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from branches.models import Role
from reports.models import Campaign, Submission
from reports.tables.base import table_kinds
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(scripted_province):
    p = scripted_province
    return {
        "province": factories.user_with_role(p.root, Role.PROVINCE, username="prov"),
        "c1": factories.user_with_role(p.c1, Role.COMMITTEE, username="c1"),
    }


def form_data(**overrides):
    data = {
        "slug": "entry-2019",
        "name": "新发展团员录入",
        "year": "2019",
        "deadline": "2019-06-15",
        "metric": "entry_ratio",
        "threshold": "60",
        "direction": "below",
        "ranked_kind": "city",
        "ranked_noun": "设区市",
        "submission_tables": ["roster", "unused_numbers"],
        "description": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def labels(html):
    return [
        re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(r"<label[^>]*>(.*?)</label>", html)
    ]


def test_form_reads_as_a_campaign_and_offers_the_registered_tables(client, staff):
    """The add form says 名称 (not 姓名), 阈值（%）, and offers one checkbox per registered table."""
    client.force_login(staff["province"])
    html = client.get(reverse("admin:reports_campaign_add")).content.decode()
    shown = labels(html)
    assert "名称:" in shown and "姓名:" not in shown
    assert "阈值（%）:" in shown
    offered = re.findall(r'name="submission_tables" value="([^"]+)"', html)
    assert offered == table_kinds()
    assert 'type="checkbox" name="submission_tables"' in html


def test_threshold_is_entered_and_shown_in_percent(client, staff):
    """60 typed in the form is stored as the ratio 0.6 and shown as 60 / 60% again."""
    client.force_login(staff["province"])
    response = client.post(reverse("admin:reports_campaign_add"), form_data())
    assert response.status_code == HTTPStatus.FOUND, response.context["errors"]
    campaign = Campaign.objects.get(slug="entry-2019")
    assert campaign.threshold == Decimal("0.6")
    assert campaign.submission_tables == "roster,unused_numbers"
    change = client.get(reverse("admin:reports_campaign_change", args=[campaign.pk]))
    assert 'name="threshold" value="60"' in change.content.decode()
    listing = client.get(reverse("admin:reports_campaign_changelist")).content.decode()
    assert "60%" in listing and "0.6000" not in listing
    assert "名称" in listing and "姓名" not in listing
    client.force_login(staff["c1"])
    read_only = client.get(reverse("admin:reports_campaign_change", args=[campaign.pk]))
    assert read_only.status_code == HTTPStatus.OK
    assert "60%" in read_only.content.decode()
    assert "名称" in read_only.content.decode() and "姓名" not in read_only.content.decode()


def test_threshold_above_100_percent_is_refused(client, staff):
    client.force_login(staff["province"])
    response = client.post(reverse("admin:reports_campaign_add"), form_data(threshold="160"))
    assert response.status_code == HTTPStatus.OK
    assert not Campaign.objects.exists()


def test_unknown_table_cannot_be_saved(client, staff):
    """Neither the form nor the model's validation accepts a name no table is registered under."""
    client.force_login(staff["province"])
    response = client.post(
        reverse("admin:reports_campaign_add"), form_data(submission_tables=["roster", "unused"])
    )
    assert response.status_code == HTTPStatus.OK
    assert "submission_tables" in response.context["adminform"].form.errors
    assert not Campaign.objects.exists()
    campaign = Campaign(
        slug="x",
        name="x",
        year=2019,
        deadline=timezone.localdate(),
        submission_tables="roster, unused",
    )
    with pytest.raises(ValidationError) as caught:
        campaign.full_clean()
    assert "submission_tables" in caught.value.message_dict


def test_a_stored_unknown_table_does_not_break_submissions(client, scripted_province, staff):
    """A campaign that holds an unknown name (saved before the rule, or by hand) still lets a
    committee open its submission page and submit the registered tables."""
    campaign = Campaign.objects.create(
        slug="summary",
        name="加盖公章汇总表上报",
        year=2019,
        deadline=timezone.localdate() + timedelta(days=5),
        submission_tables="roster, unused",
    )
    assert campaign.table_kinds == ["roster"]
    assert campaign.unknown_table_kinds == ["unused"]
    client.force_login(staff["c1"])
    page = client.get(reverse("reports:submissions"), {"campaign": "summary"})
    assert page.status_code == HTTPStatus.OK
    # The city's county and school committees have not submitted: it submits over them.
    response = client.post(
        reverse("reports:submit", args=["summary"]), {"note": "", "override_reason": "先行上报"}
    )
    assert response.status_code == HTTPStatus.FOUND
    submission = Submission.objects.get(organization=scripted_province.c1)
    assert [stored.kind for stored in submission.files.all()] == ["roster"]
