"""Writes on development numbers, shared by the admin, the views, the imports and the commands.

* ``number_range_create`` / ``_update`` / ``_delete``: a committee hands a range to an
  organisation below it, inside the parent's range; provincial staff enter the root's ranges.
* ``unused_number_register`` / ``_update`` / ``_delete``: the unused-number register.
* ``number_issue_next``: the lowest free number for a developing organisation, never handed out
  twice, even to parallel requests.

Each validates with ``full_clean()`` and runs in one transaction. Range writes lock the parent
organisation's row, so that siblings' ranges are checked one writer at a time; issuing locks the
range rows it draws from.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import access
from branches.models import Organization
from members import validators
from members.models import IssuedNumber, Member, NumberRange, UnusedNumber
from members.models.numbers import NOT_IN_RANGES, format_number, number_year
from members.numbers.spans import free_spans
from members.watch import WatchedRecord, guard_write, write_refusal

# --- ranges ------------------------------------------------------------------------------------


def number_range_check_user(*, organization, user):
    """Raise ValidationError unless ``user`` may hand a range to ``organization``.

    Provincial staff enter the root's ranges and any other; committees hand ranges to the
    organisations below their own, never to themselves. None is the system operator.
    """
    if user is None:
        return
    if organization.is_root() and not access.sees_everything(user):
        raise ValidationError(_("Only provincial staff enter the provincial committee's ranges."))
    if not access.can(user, access.Capability.MANAGE_RANGES, organization):
        raise ValidationError(_("No such organisation in your scope."))
    root = access.scope_root(user)
    if root is not None and organization.pk == root.pk:
        raise ValidationError(
            _("Your organisation's own ranges are handed to it by the committee above.")
        )


def _lock_siblings(organization):
    """Lock the row that every range write among ``organization``'s siblings also locks."""
    parent_path = organization.path[: -organization.steplen] or organization.path
    list(Organization.objects.select_for_update().filter(path=parent_path).values_list("pk"))


def watched_number_range(number_range, *extra_places):
    """The :class:`WatchedRecord` of a range: the organisation it is handed to and its year, and
    any ``extra_places``. A range is a line of the unused-number table (its 号段) and of the
    ledger, so accepted submissions holding that table watch it like a register entry."""
    places = set(extra_places)
    if number_range.organization_id and number_range.first is not None:
        places.add((number_range.organization_id, number_year(number_range.first)))
    return WatchedRecord(
        number_range.pk or 0,
        _("number range %(range)s") % {"range": number_range.span_text},
        frozenset(places),
    )


def stored_range_places(number_range):
    """Where the saved version of ``number_range`` counts (before a change is saved)."""
    if number_range.pk is None:
        return ()
    row = (
        NumberRange.objects.filter(pk=number_range.pk)
        .values_list("organization_id", "first")
        .first()
    )
    return () if row is None else ((row[0], number_year(row[1])),)


def number_range_write_refusal(number_range):
    """The message an accepted, locked submission refuses a write to ``number_range`` with."""
    return write_refusal(
        kind="unused_number",
        records=[watched_number_range(number_range, *stored_range_places(number_range))],
    )


def number_range_create(*, organization, first, last, user=None):
    """Hand the numbers [first, last] to ``organization``."""
    number_range_check_user(organization=organization, user=user)
    with transaction.atomic():
        _lock_siblings(organization)
        number_range = NumberRange(
            organization=organization, first=first, last=last, created_by=_actor(user)
        )
        number_range.full_clean()
        _save(number_range, user)
        guard_write(
            kind="unused_number",
            action="created",
            records=[watched_number_range(number_range)],
            user=user,
        )
    return number_range


def number_range_update(*, number_range, first, last, user=None):
    """Move the bounds of a range; it must keep what lay inside it."""
    number_range_check_user(organization=number_range.organization, user=user)
    with transaction.atomic():
        _lock_siblings(number_range.organization)
        before = stored_range_places(number_range)
        number_range.first, number_range.last = first, last
        number_range.full_clean()
        _save(number_range, user)
        guard_write(
            kind="unused_number",
            action="changed",
            records=[watched_number_range(number_range, *before)],
            user=user,
        )
    return number_range


def number_range_check_delete(*, number_range, user=None):
    """Raise ValidationError unless ``number_range`` holds nothing and may be withdrawn."""
    number_range_check_user(organization=number_range.organization, user=user)
    span = {"first__gte": number_range.first, "last__lte": number_range.last}
    if NumberRange.objects.filter(level=number_range.level + 1, **span).exists():
        raise ValidationError(_("Withdraw the ranges handed on from this range first."))
    in_use = (
        Member.objects.filter(
            development_number__range=(number_range.first, number_range.last)
        ).exists()
        or number_range.registrations.exists()
        or number_range.issued_numbers.exists()
    )
    if in_use:
        raise ValidationError(
            _("Numbers of this range are used, issued or registered; it cannot be withdrawn.")
        )
    refusal = number_range_write_refusal(number_range)
    if refusal:
        raise ValidationError(refusal)


def number_range_delete(*, number_range, user=None):
    with transaction.atomic():
        _lock_siblings(number_range.organization)
        number_range_check_delete(number_range=number_range, user=user)
        guard_write(
            kind="unused_number",
            action="deleted",
            records=[watched_number_range(number_range)],
            user=user,
        )
        number_range._history_user = _actor(user)
        number_range.delete()


# --- the unused-number register ----------------------------------------------------------------


def unused_number_locate(*, first, last, user=None, lock=False):
    """The range an entry [first, last] belongs to: the innermost range holding both ends.

    Raises ValidationError when the numbers are outside the user's ranges, cross a range's
    edge, or lie partly in a range handed on; the messages never name another subtree.
    """
    if last < first:
        raise ValidationError(_("The first number must not come after the last."))
    if number_year(first) != number_year(last):
        raise ValidationError(_("A span's first and last numbers must start with the same year."))
    candidates = (
        NumberRange.objects.containing(first).order_by("-level").select_related("organization")
    )
    if lock:
        candidates = candidates.select_for_update(of=("self",))
    number_range = candidates.first()
    if number_range is None or (
        user is not None
        and not access.can(user, access.Capability.EXPLAIN, number_range.organization)
    ):
        raise ValidationError(NOT_IN_RANGES)
    if last > number_range.last:
        raise ValidationError(
            _("The span crosses the edge of range %(range)s; register each part separately.")
            % {"range": number_range.span_text}
        )
    handed_on = NumberRange.objects.filter(level=number_range.level + 1).overlapping(first, last)
    if handed_on.exists():
        raise ValidationError(
            _(
                "Part of the span lies in a range handed on to an organisation below; that "
                "organisation's committee registers it."
            )
        )
    return number_range


def unused_number_check_free(*, first, last, exclude_pk=None):
    """No number is both used and registered, nor registered twice."""
    used = (
        Member.objects.filter(development_number__range=(first, last))
        .order_by("development_number")
        .values_list("development_number", flat=True)
        .first()
    )
    if used is not None:
        raise ValidationError(
            _("Number %(number)s is used by a member and cannot be registered as unused.")
            % {"number": format_number(used)}
        )
    if UnusedNumber.objects.overlapping(first, last).exclude(pk=exclude_pk).exists():
        raise ValidationError(_("These numbers are already in the unused-number register."))


def unused_number_register(*, first, last=None, status, explanation, user=None):
    """Register the number ``first`` (or the span to ``last``) as unused, voided or lost."""
    last = first if last is None else last
    with transaction.atomic():
        number_range = unused_number_locate(first=first, last=last, user=user, lock=True)
        unused_number_check_free(first=first, last=last)
        entry = UnusedNumber(
            first=first,
            last=last,
            number_range=number_range,
            organization=number_range.organization,
            status=status,
            explanation=explanation,
            registered_by=_actor(user),
            registered_at=timezone.now(),
        )
        entry.full_clean()
        _save(entry, user)
        guard_write(
            kind="unused_number",
            action="created",
            records=[watched_unused_number(entry)],
            user=user,
        )
    return entry


def watched_unused_number(entry):
    """The :class:`WatchedRecord` of a register entry: its organisation and year."""
    return WatchedRecord(
        entry.pk or 0,
        entry.span_text,
        frozenset({(entry.organization_id, number_year(entry.first))}),
    )


def unused_number_check_user(*, entry, user=None):
    if user is not None and not access.can(user, access.Capability.EXPLAIN, entry.organization):
        raise ValidationError(_("No such organisation in your scope."))


def unused_number_update(*, entry, status, explanation, user=None):
    """Change the status or the explanation of an entry (its numbers stay)."""
    unused_number_check_user(entry=entry, user=user)
    entry.status, entry.explanation = status, explanation
    with transaction.atomic():
        entry.full_clean()
        _save(entry, user)
        guard_write(
            kind="unused_number",
            action="changed",
            records=[watched_unused_number(entry)],
            user=user,
        )
    return entry


def unused_number_delete(*, entry, user=None):
    unused_number_check_user(entry=entry, user=user)
    entry._history_user = _actor(user)
    with transaction.atomic():
        guard_write(
            kind="unused_number",
            action="deleted",
            records=[watched_unused_number(entry)],
            user=user,
        )
        entry.delete()


# --- the next free number ----------------------------------------------------------------------


def nearest_ranges(organization, year):
    """Ranges for ``year`` held by ``organization`` or by its nearest ancestor that holds any.

    Ids, the join year's own ranges first, then those of an interchangeable year (2017/2018).
    """
    years = validators.development_number_years(date(year, 1, 1))
    paths = [*organization.ancestor_paths(), organization.path]
    rows = list(
        NumberRange.objects.of_year(years)
        .filter(organization__path__in=paths)
        .order_by("-level", "first")
        .values_list("pk", "level", "first")
    )
    nearest = [row for row in rows if row[1] == rows[0][1]] if rows else []
    nearest.sort(key=lambda row: (number_year(row[2]) != year, row[2]))
    return [pk for pk, _level, _first in nearest]


def number_issue_next(*, organization, user=None, year=None, expires_at=None, form_key=""):
    """Issue the lowest free number of ``organization``'s nearest range for ``year``.

    Free means: no member holds it, it is not registered, not issued before (or reserved
    with ``expires_at`` and expired unused) and not inside a range handed on to another
    subtree. The range rows stay locked until the number is stored, so parallel requests queue
    and each gets its own number. With ``expires_at`` the number is a reservation
    (:mod:`members.reservations`).
    """
    if user is not None and not (
        access.can(user, access.Capability.ENTER_MEMBERS, organization)
        or access.can(user, access.Capability.MANAGE_RANGES, organization)
    ):
        raise PermissionDenied
    year = year or timezone.localdate().year
    ordered = nearest_ranges(organization, year)
    if not ordered:
        raise ValidationError(
            _(
                "Neither this organisation nor any above it holds a number range for %(year)d; "
                "ask the committee above to hand one down."
            )
            % {"year": year}
        )
    with transaction.atomic():
        locked = {
            r.pk: r
            for r in NumberRange.objects.select_for_update().filter(pk__in=ordered).order_by("pk")
        }
        # Expired reservations return to the free pool, under the same locks.
        IssuedNumber.objects.expired(timezone.now()).filter(number_range__in=ordered).delete()
        for pk in ordered:
            number_range = locked[pk]
            spans = free_spans(
                number_range.first,
                number_range.last,
                limit=1,
                issued=True,
                handed_on_level=number_range.level + 1,
            )
            if spans:
                return _save(
                    IssuedNumber(
                        number=spans[0][0],
                        number_range=number_range,
                        organization=organization,
                        issued_by=_actor(user),
                        expires_at=expires_at,
                        form_key=form_key,
                    ),
                    user,
                )
    raise ValidationError(
        _(
            "Every number of range %(range)s is used, issued, registered or handed on; ask the "
            "committee above for a new range."
        )
        % {"range": "、".join(locked[pk].span_text for pk in ordered)}
    )


def _save(instance, user):
    """Save, naming ``user`` in the history even outside a request (commands, imports)."""
    instance._history_user = _actor(user)
    instance.save()
    return instance


def _actor(user):
    return user if user is not None and user.is_authenticated else None
