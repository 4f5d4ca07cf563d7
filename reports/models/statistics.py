"""The annual statistics (团内统计): each year's frozen year-end figures and the explanations of
declines against them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization
from reports.models.schools import FIRST_YEAR, LAST_YEAR


class YearEndFiguresQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def frozen_years(self):
        return self.order_by("-year").values_list("year", flat=True).distinct()


class YearEndFigures(models.Model):
    """One organisation's statistics for one year (its whole subtree), frozen at year end.

    Written once by :func:`reports.statistics.freeze.statistics_freeze`; a frozen year is never
    rewritten, so last year's numbers do not move when members move or leave later.
    """

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="year_end_figures",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    figures = models.JSONField(_("figures"), default=dict)
    frozen_at = models.DateTimeField(_("frozen at"), default=timezone.now, editable=False)

    objects = YearEndFiguresQuerySet.as_manager()

    class Meta:
        verbose_name = _("year-end figures")
        verbose_name_plural = _("year-end figures")
        ordering = ["-year", "organization__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="year_end_figures_once_per_year"
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.organization_id}"


class DeclineExplanation(models.Model):
    """Why a figure of an organisation fell against last year's (情况说明), with its history."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="decline_explanations",
        verbose_name=_("organisation"),
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    figure = models.CharField(_("figure"), max_length=40)
    text = models.TextField(_("explanation"))
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("written by"),
    )
    written_at = models.DateTimeField(_("written at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decline explanation")
        verbose_name_plural = _("decline explanations")
        ordering = ["-year", "organization__path", "figure"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""), name="decline_explanation_text_not_empty"
            ),
            models.UniqueConstraint(
                fields=["organization", "year", "figure"],
                name="decline_explanation_once_per_figure",
            ),
        ]

    def __str__(self):
        return f"{self.year} · {self.organization_id} · {self.figure}"

    def clean(self):
        self.text = (self.text or "").strip()
        super().clean()
        if not self.text:
            raise ValidationError({"text": _("Write what explains the decline.")})
