"""Security events worth a log line."""

import logging

from axes.signals import user_locked_out
from django.dispatch import receiver

logger = logging.getLogger("youthleague.security")


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("Login locked out: username=%r ip=%s", username, ip_address)
