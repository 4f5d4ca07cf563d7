"""Numbers reserved by the entry form's 取下一个可用编号 button.

A click reserves the lowest free number for the form that asked (its ``form_key``) for
``YOUTHLEAGUE['NUMBER_RESERVATION_MINUTES']``; the same form's next click gets the same number
back with a fresh expiry instead of using up another. Saving a member with the number uses
it. A reservation that expires unused, or that its taker releases, returns to the free pool:
the next-number service frees expired ones before it looks (:func:`members.numbers.services.number_issue_next`)
and never hands out a number another form still holds.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import IssuedNumber
from members.models.numbers import number_year
from members.numbers import services as numbering

FORM_KEY_LENGTH = 32


def reservation_minutes():
    return settings.YOUTHLEAGUE["NUMBER_RESERVATION_MINUTES"]


def reservation_expiry(now=None):
    return (now or timezone.now()) + timedelta(minutes=reservation_minutes())


def number_reserve(*, organization, user, year=None, form_key=""):
    """The number reserved for the form ``form_key``: its own live reservation of ``year`` for
    ``organization`` again (with a fresh expiry), or the next free number, newly reserved."""
    now = timezone.now()
    form_key = (form_key or "")[:FORM_KEY_LENGTH]
    year = year or timezone.localdate().year
    with transaction.atomic():
        if form_key:
            held = (
                IssuedNumber.objects.held_by(user, now)
                .select_for_update(of=("self",))
                .filter(form_key=form_key, organization=organization)
                .select_related("number_range")
                .first()
            )
            if held is not None and number_year(held.number) == year:
                held.expires_at = reservation_expiry(now)
                held.save(update_fields=["expires_at"])
                return held
        return numbering.number_issue_next(
            organization=organization,
            user=user,
            year=year,
            expires_at=reservation_expiry(now),
            form_key=form_key,
        )


def reservations_of(user, now=None):
    """``user``'s reservations that still hold a number, soonest expiry first."""
    return (
        IssuedNumber.objects.held_by(user, now or timezone.now())
        .select_related("organization", "number_range")
        .order_by("expires_at")
    )


def number_reservation_release(*, number, user):
    """Give back ``user``'s reservation of ``number`` to the free pool.

    Raises ValidationError when the user holds no live, unused reservation of that number
    (the same answer whoever else may hold it).
    """
    with transaction.atomic():
        reservation = (
            IssuedNumber.objects.held_by(user, timezone.now())
            .select_for_update(of=("self",))
            .filter(number=number)
            .first()
        )
        if reservation is None:
            raise ValidationError(_("You hold no reservation of this number."))
        reservation._history_user = user
        reservation.delete()
    return reservation


def reservations_expire(now=None):
    """Return every expired, unused reservation to the free pool; how many there were."""
    expired = IssuedNumber.objects.expired(now or timezone.now())
    deleted, _rows = expired.delete()
    return deleted
