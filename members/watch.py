"""Guards that higher apps hang on the member and number writes.

``reports`` registers one at start-up (``reports/apps.py``) that records, or refuses, changes to
records an accepted submission contains; ``members`` cannot import ``reports``, so its write
services call :func:`guard_write` and know nothing of submissions.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

_guards = []


@dataclass(frozen=True)
class WatchedRecord:
    """One written record: its id, a label a person recognises, and the places it counts in,
    as ``(organization_id, year)`` pairs (a moved member counts in both branches)."""

    object_id: int
    label: str
    places: frozenset = field(default_factory=frozenset)


def register_write_guard(guard):
    """Call ``guard(kind=, action=, records=, user=, check_only=)`` on every watched write,
    inside the write's transaction; a guard may raise ValidationError to refuse the write. With
    ``check_only`` it only says whether it would refuse, and records nothing."""
    if guard not in _guards:
        _guards.append(guard)


def guard_write(*, kind, action, records, user=None, check_only=False):
    """Run every registered guard on ``records`` (a list of :class:`WatchedRecord`)."""
    records = [record for record in records if record.places]
    if not records:
        return
    for guard in _guards:
        guard(kind=kind, action=action, records=records, user=user, check_only=check_only)


def write_refusal(*, kind, records):
    """The message a guard would refuse a write to ``records`` with, or None; writes nothing.

    Forms and the admin ask before saving, so that a refused write is a form error, not a
    failure after the form was accepted."""
    try:
        guard_write(kind=kind, action="changed", records=records, check_only=True)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def member_record(member, *extra_places):
    """The :class:`WatchedRecord` of a member: its branch and join year, and any ``extra_places``."""
    places = set(extra_places)
    if member.branch_id and member.join_date:
        places.add((member.branch_id, member.join_date.year))
    return WatchedRecord(member.pk or 0, member.name, frozenset(places))


def stored_member_places(member):
    """Where the saved version of ``member`` counts (before a change is saved)."""
    from members.models import Member

    row = Member.objects.filter(pk=member.pk).values_list("branch_id", "join_date").first()
    if row is None or row[1] is None:
        return ()
    return ((row[0], row[1].year),)


def member_places_in(branch, member):
    """Where ``member`` counted while in ``branch`` (the branch it leaves)."""
    if branch is None or member.join_date is None:
        return ()
    return ((branch.pk, member.join_date.year),)


_listeners = []


def register_event_listener(listener):
    """Call ``listener(event, **data)`` after each announced event (a higher app notifies)."""
    if listener not in _listeners:
        _listeners.append(listener)


def announce(event, **data):
    """Tell the registered listeners about ``event`` (``"move_sent"``, ``"move_refused"``)."""
    for listener in _listeners:
        listener(event, **data)
