"""The failure limit django-axes applies to a sign-in, per username and per address.

Axes counts failures for each of ``AXES_LOCKOUT_PARAMETERS`` (one username from one address, and
one address across every username) and compares the largest count with one limit. This callable
gives each its own: a username from an address is locked after ``AXES_USERNAME_FAILURE_LIMIT``
failures, an address after ``AXES_ADDRESS_FAILURE_LIMIT`` failures whatever the usernames, so
that trying one password against many accounts (password spraying) is stopped too, while an
office behind one address is not locked by a single forgetful colleague.
"""

from django.conf import settings


def failure_limit(request, credentials=None):
    """The limit to hold the largest failure count against (see the module docstring)."""
    from axes.handlers.database import AxesDatabaseHandler

    by_username, *_by_address = AxesDatabaseHandler().get_user_attempts(request, credentials)
    failures = sum(by_username.values_list("failures_since_start", flat=True))
    if failures >= settings.AXES_USERNAME_FAILURE_LIMIT:
        # The largest count is at least this one, so the username's limit is reached.
        return settings.AXES_USERNAME_FAILURE_LIMIT
    return settings.AXES_ADDRESS_FAILURE_LIMIT
