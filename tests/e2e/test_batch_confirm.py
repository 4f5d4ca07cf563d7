"""A receiving committee answers June's wave in a real browser: ticks several arrivals, reads
the preview of what will change, applies it, and every member moves to the branch at once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from members.models import Member, Move
from members.moves import services as moves
from tests import factories
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)

NAMES = ["林小红", "陈大明", "王晓燕", "张伟"]


def test_receiving_committee_batch_confirms_several_arrivals(page, small_province):
    p = small_province
    arrivals = [
        moves.move_create(
            member=factories.MemberFactory(branch=p.branch, name=name),
            reason=Move.Reason.EMPLOYMENT,
            moved_on=timezone.localdate() - timedelta(days=10),
            destination_organization=p.foreign_branch,
            user=p.county_user,
        )
        for name in NAMES
    ]
    left_waiting = arrivals[-1]

    log_in(page, "city2")  # 乙市团委: the receiving side
    page.goto(f"{page.base_url}/moves/inbox/")
    for move in arrivals[:-1]:
        page.check(f"#pick-{move.pk}")
    page.select_option("#batch-action", "confirm")
    page.click("#batch-preview")
    page.wait_for_url("**/moves/inbox/batch/")

    preview = page.locator("#preview")
    rows = preview.locator("tbody tr")
    assert rows.count() == 3
    text = preview.inner_text()
    for name in NAMES[:-1]:
        assert name in text
    assert NAMES[-1] not in text
    assert "已流动 → 已报到" in text and "乙县第一团支部" in text
    # Nothing has changed yet.
    assert Move.objects.filter(state=Move.State.REPORTED).count() == 0

    page.click("#apply-form button[type=submit]")
    page.wait_for_url("**/moves/inbox/**")
    assert "已确认3名团员报到。" in page.locator(".messages").inner_text()
    assert page.locator("#incoming [data-move]").count() == 1
    assert NAMES[-1] in page.locator("#incoming").inner_text()
    for name in NAMES[:-1]:
        assert name in page.locator("#recent").inner_text()

    moved = Member.objects.filter(name__in=NAMES[:-1])
    assert {m.branch_id for m in moved} == {p.foreign_branch.pk}
    assert Move.objects.get(pk=left_waiting.pk).state == Move.State.MOVED
