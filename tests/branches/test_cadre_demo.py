"""The demo's cadres: a county and a school without a secretary, terms due and overdue, and
school records missing details, for the cadre lists and the cadre campaign to find."""

from datetime import date, timedelta

import pytest

from branches import cadres, demo
from branches.models import Cadre, Organization
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db

TODAY = date(2025, 3, 1)


def test_demo_cadres_give_every_list_something():
    root = demo.build_tree()
    created = demo.build_cadres(today=TODAY)
    assert Cadre.objects.count() == created
    assert Cadre.history.count() == created
    user = user_with_role(root, "province", username="p")
    without = set(cadres.without_secretary(root, user=user).values_list("code", flat=True))
    assert set(demo.DEMO_WITHOUT_SECRETARY) <= without
    due = {o.code: o.term_end for o in cadres.terms_due(root, user=user, today=TODAY)}
    for code, days in demo.DEMO_TERMS_DUE.items():
        assert due[code] == TODAY + timedelta(days=days)
    incomplete = cadres.incomplete_school_records(root, user=user)
    assert incomplete.filter(cadres_missing_details=True).exists()
    assert incomplete.filter(code="350404-S1").exists()
    assert Organization.objects.filter(code="350322", cadres__isnull=True).exists()
