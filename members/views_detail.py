"""One member, read-only: the record, its history with the reason of each change, its moves."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from branches import access
from members import privacy
from members.models import Member, Move, StatusChange

#: the newest versions of the record shown on the page
HISTORY_SHOWN = 100
#: fields whose old and new values the reader may see only as :mod:`members.privacy` allows
_PRIVATE = {"id_number", "birth_date"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Version:
    when: object
    who: object
    kind: str
    reason: str
    changes: list


def _shown(member_field, value, full):
    if value in (None, ""):
        return "—"
    if not full and member_field.name == "id_number":
        return privacy.mask_id_number(value)
    if not full and member_field.name == "birth_date":
        return privacy.age_text(value)
    if member_field.choices:
        return str(dict(member_field.flatchoices).get(value, value))
    if member_field.name == "development_number":
        return f"{int(value):012d}"
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10] if member_field.get_internal_type() == "DateField" else value
    return str(value)


def member_versions(member, *, full):
    """The record's versions, newest first, each with the fields it changed (as the reader may
    read them) and its reason. Organisations changed are named, loaded in one query."""
    records = list(
        member.history.select_related("history_user").order_by("-history_date", "-history_id")[
            : HISTORY_SHOWN + 1
        ]
    )
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    foreign = {"branch", "developing_organization"}
    pairs = []
    for newer, older in zip(records, [*records[1:], None], strict=True):
        if older is None or newer.history_type != "~":
            pairs.append((newer, []))
            continue
        delta = newer.diff_against(older, excluded_fields=["entered_at", "name_initials"])
        pairs.append((newer, delta.changes))
    pks = {
        value
        for _record, changes in pairs
        for change in changes
        if change.field in foreign
        for value in (change.old, change.new)
        if value
    }
    from branches.models import Organization

    names = dict(Organization.objects.filter(pk__in=pks).values_list("pk", "name"))
    versions = []
    for record, changes in pairs[:HISTORY_SHOWN]:
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue  # a save that changed nothing a reader sees (derived fields only)
        shown = []
        for change in changes:
            field = Member._meta.get_field(change.field)
            if change.field in foreign:
                old, new = names.get(change.old, "—"), names.get(change.new, "—")
            else:
                old, new = _shown(field, change.old, full), _shown(field, change.new, full)
            shown.append(Change(str(field.verbose_name), old, new))
        versions.append(
            Version(
                when=record.history_date,
                who=record.history_user,
                kind=kinds.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=shown,
            )
        )
    return versions, len(records) > HISTORY_SHOWN


@login_required
def member_detail(request, pk):
    """A member the user may see (404 otherwise): the record, its history, its status changes
    with their reasons and its moves."""
    user = request.user
    member = get_object_or_404(
        Member.objects.visible_to(user).select_related("branch", "developing_organization"), pk=pk
    )
    full = privacy.sees_full(user, member)
    versions, versions_cut = member_versions(member, full=full)
    moves = (
        Move.objects.visible_to(user)
        .filter(member=member)
        .select_related("from_branch", "destination_organization", "received_branch")
        .order_by("-moved_on", "-pk")
    )
    status_changes = (
        StatusChange.objects.filter(member=member)
        .select_related("proposed_by", "decided_by")
        .order_by("-effective_on", "-pk")
    )
    return render(
        request,
        "members/detail.html",
        {
            "member": member,
            "id_number": privacy.id_number_for(user, member),
            "birth": privacy.birth_for(user, member),
            "full": full,
            "versions": versions,
            "versions_cut": versions_cut,
            "history_shown": HISTORY_SHOWN,
            "moves": moves,
            "status_changes": status_changes,
            "can_edit": access.can(user, access.Capability.ENTER_MEMBERS, member.branch),
            "breadcrumb": [*access.visible_ancestors(user, member.branch), member.branch],
        },
    )
