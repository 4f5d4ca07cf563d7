"""What of a member's identity a reader sees: the one rule for every page, list and file.

Those who edit a member's record (its branch's secretary, provincial staff:
:func:`branches.access.sees_full_id_numbers`) read the whole ID number and the birth date.
Everyone else reads the first six and last four characters of the ID number and the age in
years instead of the birth date: the birth date is the eight characters the mask hides.
Searching by the start of an ID number reaches only the records the reader edits; others are
found by the whole number only.
"""

from datetime import date

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import access
from members import validators


def mask_id_number(number):
    """First six and last four characters, the rest as asterisks."""
    number = number or ""
    return number[:6] + "*" * max(len(number) - 10, 0) + number[-4:] if number else ""


def sees_full(user, member):
    return access.sees_full_id_numbers(user, member.branch)


def id_number_for(user, member):
    """The ID number as ``user`` may read it."""
    return member.id_number if sees_full(user, member) else mask_id_number(member.id_number)


def age_text(birth_date, today=None):
    """``"23 years old"`` in the reader's language; empty without a date."""
    if not birth_date:
        return ""
    if isinstance(birth_date, str):
        birth_date = date.fromisoformat(birth_date)
    age = validators.age_on(birth_date, today or timezone.localdate())
    return _("%(age)d years old") % {"age": age}


def birth_for(user, member):
    """The birth date as ``user`` may read it: the date, or the age in years."""
    if sees_full(user, member):
        return member.birth_date.isoformat() if member.birth_date else ""
    return age_text(member.birth_date)


def id_number_search_q(user, number, via=""):
    """Rows matching ``number`` (compact, upper case) for ``user``: a whole ID number anywhere in
    their view, the start of one only among the records they edit."""
    whole = Q(**{f"{via}id_number": number})
    if len(number) == 18:
        return whole
    branch = f"{via}branch__"
    return whole | (Q(**{f"{via}id_number__startswith": number}) & access.full_id_q(user, branch))
