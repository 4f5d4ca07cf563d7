"""The model signals that keep the roll-ups exact on single-object writes.

Each watched model names the organisations whose counts a row sits in; a save refreshes them as
they were before and as they are after (a member changing branch leaves one and joins another),
a delete refreshes them as they were. Connected in :meth:`reports.apps.ReportsConfig.ready`.
"""

from django.db.models import signals

from branches.models import Cadre, Organization
from members.models import Member, Move
from reports.models import BranchRegistration, Campaign, MemberRegistration
from reports.rollups import maintain


def _member_of(registration):
    return Member.objects.filter(pk=registration.member_id).values_list("branch_id", flat=True)


def _cadre_places(cadre):
    """The cadre's organisation, and the branches of members holding its ID number (a member
    in post does not count as reaching 28)."""
    holders = Member.objects.filter(id_number=cadre.id_number).values_list("branch_id", flat=True)
    return [cadre.organization_id, *(holders if cadre.id_number else [])]


#: model -> (topic, function naming the organisations a row counts in)
WATCHED = {
    Member: ("member", lambda m: [m.branch_id, m.developing_organization_id]),
    Move: ("move", lambda move: [move.developing_organization_id]),
    Organization: ("organization", lambda organization: [organization.pk]),
    Cadre: ("cadre", _cadre_places),
    MemberRegistration: ("registration", lambda r: list(_member_of(r))),
    BranchRegistration: ("registration", lambda r: [r.branch_id]),
}


def _remember(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or maintain.is_paused():
        return
    before = sender._base_manager.filter(pk=instance.pk).first()
    instance._rollup_before = WATCHED[sender][1](before) if before is not None else []


def _changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    topic, owners = WATCHED[sender]
    before = getattr(instance, "_rollup_before", [])
    maintain.refresh([*before, *owners(instance)], topic)


def _deleted(sender, instance, **kwargs):
    topic, owners = WATCHED[sender]
    maintain.refresh(owners(instance), topic)


def _campaign_changed(sender, instance, created=False, raw=False, **kwargs):
    """A registration year begins (or goes): the figures kept per year gain (or lose) its
    rows, counted set-based."""
    if raw or maintain.is_paused() or not instance.is_registration:
        return
    if created or kwargs.get("signal") is signals.post_delete:
        maintain.rebuild([group for group in maintain.rolled_groups() if group.by_campaign])


def connect():
    for model in WATCHED:
        uid = f"rollup_{model._meta.label_lower}"
        signals.pre_save.connect(_remember, sender=model, dispatch_uid=f"{uid}_0")
        signals.post_save.connect(_changed, sender=model, dispatch_uid=f"{uid}_1")
        signals.post_delete.connect(_deleted, sender=model, dispatch_uid=f"{uid}_2")
    signals.pre_delete.connect(
        maintain.forget_organization, sender=Organization, dispatch_uid="rollup_org_forget"
    )
    signals.post_save.connect(_campaign_changed, sender=Campaign, dispatch_uid="rollup_campaign_1")
    signals.post_delete.connect(
        _campaign_changed, sender=Campaign, dispatch_uid="rollup_campaign_2"
    )
