"""Long lists page by an estimate instead of counting every row."""

import pytest
from django.db import connection

from members.models import Member
from tests.factories import MemberFactory
from youthleague.pagination import EstimatedCountPaginator

pytestmark = pytest.mark.django_db


class SmallLimit(EstimatedCountPaginator):
    exact_up_to = 5


def test_small_lists_are_counted_exactly(small_province):
    for _ in range(4):
        MemberFactory(branch=small_province.branch)
    assert EstimatedCountPaginator(Member.objects.order_by("pk"), 50).count == 4
    assert SmallLimit(Member.objects.order_by("pk"), 50).count == 4


def test_long_lists_are_estimated_on_postgresql(small_province, django_assert_max_num_queries):
    for _ in range(12):
        MemberFactory(branch=small_province.branch)
    paginator = SmallLimit(Member.objects.order_by("pk"), 50)
    with django_assert_max_num_queries(2):
        count = paginator.count
    if connection.vendor == "postgresql":
        assert count >= 6  # never fewer than the rows it did count
    else:
        assert count == 12
