"""Shared by the tests of moves (and of the move figures): a member of B1 moving to 乙市."""

from dataclasses import dataclass

import pytest

from branches.models import Organization, Role
from members.models import Member
from tests import factories


@dataclass
class MoveScene:
    """A member of B1 (甲市) moving to a branch of 乙市; a third city looks on from outside."""

    province: object
    member: Member
    origin: Organization
    destination: Organization
    developing_user: object
    receiving_user: object
    outsider: object
    secretary: object


def build_scene(small_province):
    p = small_province
    third_city = factories.committee(p.province, code="C3", name="丙市团委")
    return MoveScene(
        province=p,
        member=factories.MemberFactory(branch=p.branch, name="林小红"),
        origin=p.branch,
        destination=p.foreign_branch,
        developing_user=p.county_user,
        receiving_user=p.other_city_user,
        outsider=factories.user_with_role(third_city, Role.COMMITTEE, username="city3"),
        secretary=p.secretary,
    )


@pytest.fixture
def scene(small_province):
    return build_scene(small_province)
