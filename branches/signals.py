"""Security events worth a log line."""

import logging

from axes.signals import user_locked_out
from django.dispatch import Signal, receiver

logger = logging.getLogger("youthleague.security")

#: Sent after an organisation (with its subtree) moved under another parent; ``organization``
#: is the moved node as it is now, ``old_path`` its path before. Apps that store tree positions
#: (or totals over subtrees) keep them in step.
organization_moved = Signal()


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("Login locked out: username=%r ip=%s", username, ip_address)
