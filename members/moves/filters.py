"""The follow-up page's tabs as filters on moves, shared by the page and its spreadsheet."""

from django.db.models import Q

from members.models.moves import RETURNED_STATES, State, overdue_q, pending_q

SHOWN = ("pending", "overdue", "returned", "reported", "closed")


def follow_up_filters(today=None):
    """``{tab: Q}`` for every tab of the follow-up page; "overdue" is the one overdue rule."""
    return {
        "pending": pending_q(),
        "overdue": overdue_q(today),
        "returned": Q(state__in=RETURNED_STATES),
        "reported": Q(state=State.REPORTED),
        "closed": Q(state=State.CLOSED),
    }


def follow_up_filter(show, today=None):
    """The filter of tab ``show`` (pending for an unknown or empty one)."""
    filters = follow_up_filters(today)
    return filters.get(show or "pending", filters["pending"])
