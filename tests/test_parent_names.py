"""Names that repeat across the tree (branches) are shown with their parent's name in the admin's
organisation list, the moves' destinations, the inbox and the graduation pages."""

from datetime import timedelta

import pytest
from django.utils import timezone

from branches.models import Role
from members.models import Move
from members.moves import services as moves
from tests import factories

pytestmark = pytest.mark.django_db


def test_the_admin_organisation_list_names_each_branch_with_its_parent(client, small_province):
    client.force_login(small_province.province_user)
    page = client.get("/admin/branches/organization/").content.decode()
    assert "甲县第一团支部 · 甲县团委" in page
    assert "甲县团委 · " not in page  # a committee's own name does not repeat


def test_the_inbox_and_the_move_name_the_destination_with_its_parent(client, small_province):
    p = small_province
    move = moves.move_create(
        member=factories.MemberFactory(branch=p.branch, name="林小红"),
        reason=Move.Reason.EMPLOYMENT,
        moved_on=timezone.localdate() - timedelta(days=10),
        destination_organization=p.foreign_branch,
        user=p.county_user,
    )
    client.force_login(p.other_city_user)
    inbox = client.get("/moves/inbox/").content.decode()
    assert "乙县第一团支部 · 乙县团委" in inbox
    assert "甲县第一团支部 · 甲县团委" in inbox  # where the member comes from
    detail = client.get(f"/moves/{move.pk}/").content.decode()
    assert "乙县第一团支部 · 乙县团委" in detail


def test_the_graduation_pages_name_each_class_with_its_school(client, scripted_province):
    p = scripted_province
    user = factories.user_with_role(p.s1, Role.COMMITTEE, username="school")
    client.force_login(user)
    dates = client.get("/moves/graduation/").content.decode()
    assert f"高三2班团支部 · {p.s1.name}" in dates
    graduates = client.get("/moves/graduates/", {"today": ""}).content.decode()
    assert f"高三1班团支部 · {p.s1.name}" in graduates
