"""The log of batch look-ups (批量查询): who asked about how many lines, when, from which scope."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LookupLog(models.Model):
    """One batch look-up, whether answered on the page or downloaded."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("user"),
    )
    username = models.CharField(_("username"), max_length=150)
    #: the top of the user's scope, as a code (empty: the whole province)
    scope_code = models.CharField(_("scope"), max_length=32, blank=True)
    at = models.DateTimeField(_("looked up at"), default=timezone.now, db_index=True)
    lines = models.PositiveIntegerField(_("lines"))
    numbers = models.PositiveIntegerField(_("development numbers"), default=0)
    id_numbers = models.PositiveIntegerField(_("ID numbers"), default=0)
    downloaded = models.BooleanField(_("downloaded"), default=False)

    class Meta:
        verbose_name = _("batch look-up")
        verbose_name_plural = _("batch look-ups")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.username} {self.at:%Y-%m-%d %H:%M} ({self.lines})"
