"""The organisation tree as a page that scales: one level at a time, children on demand, search.

The page shows the user's scope root (or ``?org=CODE``) and its children; each child with
children of its own opens in place (the page fetches ``children/?org=CODE``, an HTML fragment)
or, without JavaScript, by following its link. Every request is a fixed number of queries,
whatever the width of the tree.
"""

from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.shortcuts import render

from branches import access
from branches.models import Organization

SEARCH_LIMIT = 50


def _children(user, organization):
    """The visible children of ``organization``, in tree order (one query)."""
    return access.scope_queryset(
        user, Organization.objects.children_of(organization).order_by("path")
    ).only("pk", "path", "depth", "numchild", "code", "name", "kind", "status")


def search(user, term, limit=SEARCH_LIMIT):
    """Organisations in ``user``'s scope whose name or code contains ``term``, with their
    parent's name where names repeat (one query)."""
    term = (term or "").strip()
    if not term:
        return []
    found = (
        access.visible_organizations(user)
        .filter(Q(name__icontains=term) | Q(code__iexact=term) | Q(school_code__iexact=term))
        .with_parent_name()
        .order_by("path")
    )
    return list(found[:limit])


@login_required
def tree(request):
    """The tree from ``?org=CODE`` (default the user's own), or search results for ``?q=``."""
    user = request.user
    organization = access.requested_organization(user, request.GET.get("org"))
    term = request.GET.get("q", "").strip()
    return render(
        request,
        "branches/tree.html",
        {
            "organization": organization,
            "breadcrumb": access.breadcrumb(user, organization)[:-1],
            "children": _children(user, organization),
            "term": term,
            "results": search(user, term) if term else None,
            "limit": SEARCH_LIMIT,
            "may_manage": access.can(user, access.Capability.MANAGE_ORGANIZATIONS),
        },
    )


@login_required
def tree_children(request):
    """The children of ``?org=CODE`` as an HTML fragment (404 outside the user's scope)."""
    user = request.user
    organization = access.requested_organization(user, request.GET.get("org"))
    return render(
        request,
        "branches/_tree_nodes.html",
        {
            "children": _children(user, organization),
            "may_manage": access.can(user, access.Capability.MANAGE_ORGANIZATIONS),
        },
    )
