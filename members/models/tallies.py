from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Organization

TALLY_FIELDS = ("new_members", "entered_on_time", "entered_late")


class OrganizationTally(models.Model):
    """Counts of the new members an organisation itself developed (not its subtree's).

    A stored derivation of the member table, kept exact by :mod:`members.tallies`, so that the
    entry figures of any tree level are a sum over organisations, not a scan of two million
    members. ``manage.py rebuild_tallies`` recomputes every row from the members.
    """

    organization = models.OneToOneField(
        Organization,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="tally",
        verbose_name=_("organisation"),
    )
    new_members = models.PositiveIntegerField(default=0)
    entered_on_time = models.PositiveIntegerField(default=0)
    entered_late = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("member tally")
        verbose_name_plural = _("member tallies")
        indexes = [models.Index(fields=["-entered_late"], name="tally_entered_late_idx")]

    def __str__(self):
        return f"{self.organization_id}: {self.new_members}"
