"""Every page works for every role: the permission matrix.

Every URL pattern of the resolver (the admin included) is filled with real objects of the world
in :mod:`tests.matrix_world` and requested with GET as each role. The rules:

* nothing answers 500;
* the anonymous are sent to a login page (or may open the few public pages);
* an object outside a role's scope answers 404, never 200: or 403 when the role may not use
  that kind of page at all (the admin answers 403 for a model whose list the role may not
  open, whichever object is asked for, so nothing leaks by the difference);
* inside the scope a page answers 200, a redirect, 403 (a page the role may never use) or 405
  (an action that takes POST only), never 404; an action whose audience is narrower than the
  object's (confirming a report-in) answers 404 to everyone outside that audience, as the
  filler for it says;
* a page taking ``?org=CODE`` (or the admin's ``?under=CODE``) answers 404 for an organisation
  outside the scope.

A new URL pattern is covered without editing this file when it takes no parameters, or when it
is an admin page of a model the world holds objects of. A pattern the matrix cannot fill fails
with a message saying what to add, never skips.
"""

import re
from dataclasses import dataclass
from http import HTTPStatus
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from branches.models import Organization
from members.models import Member, Move
from reports.models import BranchRegistration, Campaign, ExportJob, Submission, SubmissionFile
from reports.tables.base import table_kinds
from spreadsheets.models import ImportJob
from tests.matrix_world import ROLES, Placed, build_world

pytestmark = pytest.mark.django_db

#: pages the anonymous may open
PUBLIC = {"login", "admin:login", "set_language", "logout", "admin:logout"}
#: a code no organisation has, to find out which pages take ``?org=`` and ``?under=``
NO_SUCH_CODE = "NO-SUCH-ORG"
SCOPE_PARAMETERS = ("org", "under")

#: Cases known to be wrong and owned elsewhere, to be fixed there: ``(route, role or None)`` ->
#: ``pytest.mark.xfail(strict=True, reason="... (owner)")``. Strict, so a fix turns it red until
#: the entry is removed. Empty: every case found so far is fixed.
KNOWN = {}


# --- the URL patterns -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Leaf:
    """One URL pattern: its parts from the root, its qualified name and its view."""

    parts: tuple
    name: str | None
    callback: object

    @property
    def route(self):
        return "".join(_text(part) for part in self.parts)

    @property
    def params(self):
        names = []
        for part in self.parts:
            pattern = part.pattern
            if isinstance(pattern, RoutePattern):
                names.extend(pattern.converters)
            else:
                regex = pattern.regex
                by_index = {index: name for name, index in regex.groupindex.items()}
                names.extend(by_index.get(i, i - 1) for i in range(1, regex.groups + 1))
        return names

    def url(self, values):
        """The URL with ``values`` (in parameter order) put in place of the parameters."""
        values = [str(value) for value in values]
        out = []
        for part in self.parts:
            text = _text(part)
            if isinstance(part.pattern, RoutePattern):
                text = re.sub(r"<(?:\w+:)?\w+>", lambda _m: values.pop(0), text)
            else:
                text = text.lstrip("^").rstrip("$")
                text = re.sub(r"\((?:\?P<\w+>)?[^()]*\)", lambda _m: values.pop(0), text)
            out.append(text)
        return "/" + "".join(out)


def _text(part):
    return str(part.pattern)


def leaves(patterns=None, parents=(), namespace=None):
    """Every URL pattern below ``patterns`` (the root resolver's by default)."""
    if patterns is None:
        patterns = get_resolver().url_patterns
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            if entry.namespace and namespace:
                inner = f"{namespace}:{entry.namespace}"
            yield from leaves(entry.url_patterns, (*parents, entry), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield Leaf((*parents, entry), name, entry.callback)


def _owner_of(callback):
    """The object a view is a bound method of, through decorators' ``__wrapped__``."""
    seen = callback
    while seen is not None:
        if getattr(seen, "__self__", None) is not None:
            return seen.__self__
        seen = getattr(seen, "__wrapped__", None)
    return None


def model_admin_of(callback):
    """The ModelAdmin serving ``callback``, if any (Django's wrapper or a bound method)."""
    seen = callback
    while seen is not None:
        found = getattr(seen, "model_admin", None)
        if found is None and isinstance(getattr(seen, "__self__", None), admin.ModelAdmin):
            found = seen.__self__
        if found is not None:
            return found
        seen = getattr(seen, "__wrapped__", None)
    return None


# --- filling the parameters -----------------------------------------------------------------------


@dataclass
class Case:
    url: str
    placed: Placed | None = None
    #: for an action narrower than seeing the object: ``audience(world, role, placed)``
    audience: object = None

    def visible(self, world, role):
        if self.placed is None:
            return True
        if self.audience is not None:
            return self.audience(world, role, self.placed)
        return world.visible(role, self.placed)


def _objects(world, model, leaf):
    placed = world.objects.get(model, [])
    if not placed:
        pytest.fail(
            f"{leaf.route}: the matrix world holds no {model._meta.label} object; "
            "add some to tests/matrix_world.py"
        )
    return placed


def _admin_cases(world, leaf, model_admin):
    params = leaf.params
    if not params:
        return [Case(leaf.url([]))]
    if params == ["token"] and leaf.name.endswith("_table_error_report"):
        # An import's error report belongs to the uploader's session: any other token is 404.
        return [Case(leaf.url(["0" * 32]))]
    cases = []
    for placed in _objects(world, model_admin.model, leaf):
        pk = placed.obj.pk
        if params in (["object_id"], ["id"]):
            cases.append(Case(leaf.url([pk]), placed))
        elif params == [0, 1] and leaf.name.endswith("_simple_history"):
            record = placed.obj.history.order_by("-history_id").first()
            if record is None:
                pytest.fail(f"{leaf.route}: {placed.obj!r} has no history row to open")
            cases.append(Case(leaf.url([pk, record.history_id]), placed))
        else:
            return None
    return cases


def _site_cases(world, leaf):
    params = leaf.params
    if not params:
        return [Case(leaf.url([]))]
    if params == ["app_label"]:
        labels = sorted({model._meta.app_label for model in admin.site._registry})
        return [Case(leaf.url([label])) for label in labels]
    if params == ["url"]:
        return [Case(leaf.url(["no-such-page/"]))]
    return None


def _view_on_site(world, leaf):
    """The admin's "view on site" link: the models here have no public page, so it answers
    404 for every object; a global case."""
    organization = world.orgs["F"]
    kind = ContentType.objects.get_for_model(Organization)
    return [Case(leaf.url([kind.pk, organization.pk]))]


def _by_pk(model, audience=None):
    def fill(world, leaf):
        return [Case(leaf.url([p.obj.pk]), p, audience) for p in _objects(world, model, leaf)]

    return fill


def _confirming_side(world, role, placed):
    """A report-in is confirmed by the receiving side; for a destination outside the system
    (as the world's moves are) by the committees following the move. Everyone else, whoever
    may see the move, finds no confirmation page (404)."""
    return role not in ("secretary", "anonymous") and world.visible(role, placed)


def _answering_side(world, role, placed):
    """A move is refused by the side of its destination organisation, only while it waits for
    an answer; the world's moves lead outside the system, so nobody finds the page."""
    move = placed.obj
    return (
        move.is_in_system
        and move.is_pending
        and role not in ("secretary", "anonymous")
        and world.sees(role, move.destination_organization)
    )


def _resending_side(world, role, placed):
    """A refused or expired move is resent by the committees following it; others find no
    page (the world's moves wait for an answer, so nobody does)."""
    return (
        placed.obj.is_returned
        and role not in ("secretary", "anonymous")
        and world.visible(role, placed)
    )


def _class_codes(world, leaf):
    return [
        Case(leaf.url([p.obj.code]), p)
        for p in world.objects[Organization]
        if p.obj.kind == Organization.Kind.CLASS_BRANCH
    ]


def _branch_codes(world, leaf):
    return [
        Case(leaf.url([p.obj.code]), p)
        for p in world.objects[Organization]
        if p.obj.kind in (Organization.Kind.BRANCH, Organization.Kind.CLASS_BRANCH)
    ]


def _registration_error_reports(world, leaf):
    """An error report belongs to the uploader's session: any other token is 404 for all."""
    return [
        Case(leaf.url([p.obj.code, "0" * 16]), p, audience=lambda world, role, placed: False)
        for p in world.objects[Organization]
        if p.obj.kind in (Organization.Kind.BRANCH, Organization.Kind.CLASS_BRANCH)
    ]


#: app URLs with parameters, by qualified name; the admin's are filled from its registry
FILLERS = {
    "admin:view_on_site": _view_on_site,
    "reports:download": lambda world, leaf: [Case(leaf.url([kind])) for kind in table_kinds()],
    "reports:export_job": _by_pk(ExportJob),
    "reports:export_job_download": _by_pk(ExportJob),
    "reports:submit": lambda world, leaf: [
        Case(leaf.url([p.obj.slug])) for p in _objects(world, Campaign, leaf)
    ],
    "reports:accept": _by_pk(Submission),
    "reports:return": _by_pk(Submission),
    "reports:reopen": _by_pk(Submission),
    "reports:submission_changes": _by_pk(Submission),
    "reports:submission_file": _by_pk(SubmissionFile),
    "spreadsheets:import_job": _by_pk(ImportJob),
    "spreadsheets:import_job_confirm": _by_pk(ImportJob),
    "moves:detail": _by_pk(Move),
    "moves:contact": _by_pk(Move),
    "moves:close": _by_pk(Move),
    "moves:confirm": _by_pk(Move, audience=_confirming_side),
    "moves:refuse": _by_pk(Move, audience=_answering_side),
    "moves:withdraw": _by_pk(Move),
    "moves:resend": _by_pk(Move, audience=_resending_side),
    "moves:class": _class_codes,
    "moves:class_template": _class_codes,
    "moves:close_class": _class_codes,
    "members:status": _by_pk(Member),
    "members:detail": _by_pk(Member),
    "reports:registration_branch": _branch_codes,
    "reports:registration_submit": _branch_codes,
    "reports:registration_sheet": _branch_codes,
    "reports:registration_errors": _registration_error_reports,
    "reports:registration_certify": _by_pk(BranchRegistration),
    "reports:registration_return": _by_pk(BranchRegistration),
}


def cases_for(world, leaf):
    """The requests that exercise ``leaf``; fails when the matrix cannot fill it."""
    model_admin = model_admin_of(leaf.callback)
    if model_admin is not None:
        cases = _admin_cases(world, leaf, model_admin)
    elif leaf.name in FILLERS:
        cases = FILLERS[leaf.name](world, leaf)
    elif isinstance(_owner_of(leaf.callback), admin.AdminSite):
        cases = _site_cases(world, leaf)
    elif not leaf.params:
        cases = [Case(leaf.url([]))]
    else:
        cases = None
    if cases is None:
        pytest.fail(
            f"The permission matrix cannot fill the URL pattern {leaf.route!r} "
            f"(name {leaf.name!r}, parameters {leaf.params}): add a filler to FILLERS in "
            "tests/test_permission_matrix.py or objects to tests/matrix_world.py."
        )
    return cases


# --- the world, built once for the module ----------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The matrix world, built once and rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def browse(world, django_db_blocker):
    """``browse(role, url)``: GET as the role, a 500 answered as a status with the error's text.

    The clients log in once, inside the module's world, so every test reuses their sessions.
    """
    clients = {}
    with django_db_blocker.unblock():
        for role in ROLES:
            clients[role] = Client(raise_request_exception=True)
            if world.users[role] is not None:
                clients[role].force_login(world.users[role])
    cache = {}

    def get(role, url, follow_once=False, cached=False):
        if cached and (role, url) in cache:
            return cache[role, url]
        try:
            response = clients[role].get(url)
        except Exception as exc:  # the error a user would see as 500
            return HTTPStatus.INTERNAL_SERVER_ERROR, f"{type(exc).__name__}: {exc}"
        if response.streaming:
            # read it out as a WSGI server would: the client's wrapper then closes it without
            # closing the database connection (a direct close() would)
            b"".join(response.streaming_content)
        location = response.get("Location", "")
        if follow_once and response.status_code == HTTPStatus.FOUND and not _is_login(location):
            return get(role, location)
        if cached:
            cache[role, url] = response.status_code, location
        return response.status_code, location

    return get


# --- judging an answer -----------------------------------------------------------------------------


def _is_login(location):
    path = urlsplit(location).path
    return path in {reverse("login"), reverse("admin:login")}


def judge(world, role, leaf, case, status, detail, whole_page_forbidden):
    """The problem with an answer, or None when it is right."""
    if status == HTTPStatus.INTERNAL_SERVER_ERROR:
        return f"500 ({detail})"
    if role == "anonymous":
        if status == HTTPStatus.FOUND and _is_login(detail):
            return None
        if leaf.name in PUBLIC and status in (
            HTTPStatus.OK,
            HTTPStatus.FOUND,
            HTTPStatus.METHOD_NOT_ALLOWED,
        ):
            return None
        return f"{status} for the anonymous (expected a redirect to login)"
    if status == HTTPStatus.METHOD_NOT_ALLOWED:
        return None  # an action taking POST only answers alike for every object
    if not case.visible(world, role):
        if status == HTTPStatus.NOT_FOUND:
            return None
        if status == HTTPStatus.FORBIDDEN and whole_page_forbidden:
            return None
        return f"{status} for an object outside the scope (expected 404)"
    allowed = {HTTPStatus.OK, HTTPStatus.FOUND, HTTPStatus.FORBIDDEN}
    if case.placed is None:
        allowed.add(HTTPStatus.NOT_FOUND)  # global pages: e.g. the admin's catch-all
    if status in allowed:
        return None
    return f"{status} inside the scope (expected 200, a redirect or 403)"


def _whole_page_forbidden(world, browse, role, leaf):
    """Whether the role may not use the leaf's model at all (its admin list answers 403)."""
    model_admin = model_admin_of(leaf.callback)
    if model_admin is None:
        return False
    info = model_admin.model._meta.app_label, model_admin.model._meta.model_name
    status, _ = browse(role, reverse("admin:{}_{}_changelist".format(*info)), cached=True)
    return status == HTTPStatus.FORBIDDEN


def _scope_probes(world, browse, role, url):
    """For a page taking ``?org=`` or ``?under=``: an organisation out of scope is 404."""
    problems = []
    # an ancestor (or sibling) and an organisation of the other city
    hidden = [org for org in world.orgs.values() if not world.sees(role, org)]
    outside = list(dict.fromkeys([*hidden[:1], world.orgs["F"]]))
    outside = [org for org in outside if not world.sees(role, org)]
    for parameter in SCOPE_PARAMETERS:
        status, _ = browse(role, f"{url}?{parameter}={NO_SUCH_CODE}")
        if status != HTTPStatus.NOT_FOUND:
            continue
        for org in outside:
            status, detail = browse(role, f"{url}?{parameter}={org.code}")
            if status not in (HTTPStatus.NOT_FOUND, HTTPStatus.FORBIDDEN):
                problems.append(f"{url}?{parameter}={org.code}: {status} outside the scope")
        home = world.role_org(role)
        status, detail = browse(role, f"{url}?{parameter}={home.code}")
        if status == HTTPStatus.INTERNAL_SERVER_ERROR:
            problems.append(f"{url}?{parameter}={home.code}: 500 ({detail})")
    return problems


LEAVES = sorted(leaves(), key=lambda leaf: leaf.route)


def _params():
    for leaf in LEAVES:
        for role in ROLES:
            marks = [KNOWN[(leaf.route, role)]] if (leaf.route, role) in KNOWN else []
            marks += [KNOWN[(leaf.route, None)]] if (leaf.route, None) in KNOWN else []
            yield pytest.param(leaf, role, id=f"{role}-{leaf.route}", marks=marks)


@pytest.mark.parametrize(("leaf", "role"), list(_params()))
def test_page_answers_each_role_by_scope(world, browse, leaf, role):
    """Each URL pattern, filled with every object of the world, answers the role as the rules
    at the top of this module say."""
    problems = []
    answers = []
    for case in cases_for(world, leaf):
        # a redirect that is alike for every object (the admin's ``<id>/`` to
        # ``<id>/change/``) is judged by where it leads
        follow = case.placed is not None and role != "anonymous"
        status, detail = browse(role, case.url, follow_once=follow)
        answers.append((case, status, detail))
    # A page the role may never use answers 403 for every object alike.
    whole_page_forbidden = role != "anonymous" and (
        _whole_page_forbidden(world, browse, role, leaf)
        or all(status == HTTPStatus.FORBIDDEN for _case, status, _detail in answers)
    )
    for case, status, detail in answers:
        problem = judge(world, role, leaf, case, status, detail, whole_page_forbidden)
        if problem:
            owner = case.placed.owner.code if case.placed and case.placed.owner else "-"
            problems.append(f"{case.url} (object of {owner}): {problem}")
        if (
            role != "anonymous"
            and case.placed is None
            and not leaf.params
            and status == HTTPStatus.OK
        ):
            problems.extend(_scope_probes(world, browse, role, case.url))
    assert not problems, f"{role} on {leaf.route}:\n" + "\n".join(problems)


def test_matrix_covers_every_registered_model(world):
    """Every model of the admin has objects in the world, so its object pages are requested."""
    missing = [model._meta.label for model in admin.site._registry if not world.objects.get(model)]
    assert not missing


def test_an_unfillable_pattern_fails_loudly(world):
    """A URL pattern the matrix does not know how to fill fails the test with a clear message
    rather than being skipped."""
    from django.urls import path

    def view(request, widget):  # pragma: no cover - never requested
        raise AssertionError

    (leaf,) = leaves([path("widgets/<int:widget>/", view, name="widget")])
    with pytest.raises(pytest.fail.Exception, match="cannot fill the URL pattern"):
        cases_for(world, leaf)
