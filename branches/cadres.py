"""Reads over the cadre register: the lists a committee works through.

Each list is one query over the organisations of a subtree, within the user's scope
(:mod:`branches.access`): organisations with no 书记 on record, organisations whose term ends
soon or has ended (换届提醒), and school organisations whose cadre records are incomplete.
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, Min, OuterRef, Q, Subquery
from django.utils import timezone

from branches import access
from branches.models import Cadre, Organization, secretary_on_record


def term_warning_days():
    return settings.YOUTHLEAGUE["CADRE_TERM_WARNING_DAYS"]


def _organizations(organization, user):
    return access.scope_queryset(user, Organization.objects.subtree_of(organization))


def without_secretary(organization, *, user):
    """Organisations in ``organization``'s subtree with no 书记 in post, in tree order."""
    return (
        _organizations(organization, user)
        .annotate(has_secretary=secretary_on_record())
        .filter(has_secretary=False)
        .order_by("path")
    )


def terms_due(organization, *, user, today=None, days=None):
    """Organisations whose cadres' term ends within ``days`` of ``today`` or has ended, soonest
    first, each with ``term_end`` (the earliest term end of a cadre in post) and that cadre's
    ``term``."""
    today = today or timezone.localdate()
    horizon = today + timedelta(days=term_warning_days() if days is None else days)
    in_post = Cadre.objects.active().filter(organization=OuterRef("pk"), term_end__isnull=False)
    return (
        _organizations(organization, user)
        .annotate(
            term_end=Min("cadres__term_end", filter=Q(cadres__ended_on__isnull=True)),
            term=Subquery(in_post.order_by("term_end", "pk").values("term")[:1]),
        )
        .filter(term_end__lte=horizon)
        .order_by("term_end", "path")
    )


def incomplete_school_records(organization, *, user):
    """School-sector organisations with no 书记 in post, or with a cadre in post missing a phone
    or an ID number; each with ``has_secretary`` and ``cadres_missing_details``."""
    missing = Cadre.objects.active().incomplete().filter(organization=OuterRef("pk"))
    return (
        _organizations(organization, user)
        .filter(sector=Organization.Sector.SCHOOL)
        .annotate(has_secretary=secretary_on_record(), cadres_missing_details=Exists(missing))
        .filter(Q(has_secretary=False) | Q(cadres_missing_details=True))
        .order_by("path")
    )
