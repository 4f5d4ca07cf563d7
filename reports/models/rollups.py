from django.db import models
from django.utils.translation import gettext_lazy as _

from branches.models import Organization


class FigureRollup(models.Model):
    """One summable figure of one organisation: its own count and its whole subtree's.

    A stored derivation of the counted tables, kept exact by :mod:`reports.rollups` on every
    write, so that a dashboard reads one row per child and figure whatever the size of the
    subtree. ``period`` is empty for figures without one, the campaign's id for figures of a
    campaign (registration years). ``manage.py rebuild_tallies`` recomputes every row,
    ``rebuild_tallies --check`` compares them with a full recount.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="rollups",
        verbose_name=_("organisation"),
    )
    figure = models.CharField(max_length=64)
    period = models.CharField(max_length=32, blank=True, default="")
    own = models.BigIntegerField(default=0)
    subtree = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("figure roll-up")
        verbose_name_plural = _("figure roll-ups")
        # The anchor date of a figure kept by date (store.anchor) is found by figure.
        indexes = [models.Index(fields=["figure", "period"], name="rollup_figure_period_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "figure", "period"], name="rollup_unique"
            ),
        ]

    def __str__(self):
        return f"{self.organization_id} {self.figure}[{self.period}]: {self.own}/{self.subtree}"
