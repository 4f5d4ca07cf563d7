"""The education department's school figures (以教统核团统) and the explanations of gaps."""

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization
from branches.validators import normalize_school_code

FIRST_YEAR = 2000
LAST_YEAR = 2100


def normalize_education_code(value):
    """A school code as the tree stores it: full-width characters made half-width (NFKC), and
    every space removed, half- or full-width."""
    return normalize_school_code(unicodedata.normalize("NFKC", str(value or "")))


class EducationCountQuerySet(models.QuerySet):
    def for_year(self, year):
        return self.filter(year=year)

    def years(self):
        """The years that have figures, newest first."""
        return list(self.order_by("-year").values_list("year", flat=True).distinct())

    def with_match(self):
        """Annotate the school organisation each row matches by school code (or None).

        Matching happens when reading, not when importing, so a school added to the tree
        after the import is matched at once; the unique index on the code serves the look-up.
        """
        # Spelled like the partial unique index's condition, so that PostgreSQL can use it.
        matched = (
            Organization.objects.filter(school_code=OuterRef("school_code"))
            .exclude(school_code="")
            .order_by()
        )
        return self.annotate(
            organization_id=Subquery(matched.values("pk")[:1]),
            organization_path=Subquery(matched.values("path")[:1]),
            organization_name=Subquery(matched.values("name")[:1]),
            organization_code=Subquery(matched.values("code")[:1]),
        )

    def with_explanation(self):
        """Annotate the explanation of the school's gap (``explanation_text``, or None)."""
        explanations = Explanation.objects.filter(
            year=OuterRef("year"),
            subject=Explanation.Subject.SCHOOL,
            school_code=OuterRef("school_code"),
        ).order_by()
        return self.annotate(explanation_text=Subquery(explanations.values("text")[:1]))


class EducationCount(models.Model):
    """One school's student league members as the education department counted them in a year.

    A row whose school code matches no organisation of the tree is kept: it is an
    organisational blank (组织空白点), a school the league has left out whole.
    """

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    school_code = models.CharField(
        _("school code"),
        max_length=20,
        help_text=_("The education department's identifier of the school (学校标识码)."),
    )
    school_name = models.CharField(_("school name"), max_length=100)
    ownership = models.CharField(
        _("school ownership"), max_length=10, choices=Organization.Ownership.choices
    )
    city_name = models.CharField(
        _("city"),
        max_length=50,
        help_text=_("The city (设区市) as the education department writes it."),
    )
    education_count = models.PositiveIntegerField(_("education department's count"))
    imported_at = models.DateTimeField(_("imported at"), default=timezone.now, editable=False)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("imported by"),
    )

    history = HistoricalRecords()

    objects = EducationCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("education department's school count")
        verbose_name_plural = _("education department's school counts")
        ordering = ["-year", "school_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "school_code"],
                name="education_count_once_per_year",
                violation_error_message=_("This school already has a count for this year."),
            ),
            models.CheckConstraint(
                condition=~Q(school_code=""), name="education_count_school_code_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(ownership__in=Organization.Ownership.values),
                name="education_count_ownership_valid",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="education_count_year_plausible",
            ),
        ]

    def __str__(self):
        return f"{self.year} {self.school_name} ({self.school_code})"

    def clean(self):
        self.school_code = normalize_education_code(self.school_code)
        self.school_name = (self.school_name or "").strip()
        self.city_name = "".join((self.city_name or "").split())
        super().clean()
        if not self.school_code:
            raise ValidationError({"school_code": _("The school code is required.")})

    @property
    def is_private(self):
        return self.ownership == Organization.Ownership.PRIVATE


class Explanation(models.Model):
    """A written explanation (情况说明) of a gap, for one school or one committee, per year.

    A school's explanation is keyed by its school code, so that a school absent from the tree
    can be explained too and a renamed or moved school keeps its explanation.
    """

    class Subject(models.TextChoices):
        SCHOOL = "school", _("school")
        COMMITTEE = "committee", _("committee")

    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    subject = models.CharField(_("explains"), max_length=10, choices=Subject.choices)
    school_code = models.CharField(_("school code"), max_length=20, blank=True)
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="school_gap_explanations",
        verbose_name=_("committee"),
    )
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
        verbose_name = _("gap explanation")
        verbose_name_plural = _("gap explanations")
        ordering = ["-year", "subject", "school_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(subject__in=["school", "committee"]), name="explanation_subject_valid"
            ),
            models.CheckConstraint(
                condition=Q(subject="school", organization__isnull=True) & ~Q(school_code="")
                | Q(subject="committee", organization__isnull=False, school_code=""),
                name="explanation_school_or_committee",
            ),
            models.CheckConstraint(condition=~Q(text=""), name="explanation_text_not_empty"),
            models.UniqueConstraint(
                fields=["year", "school_code"],
                condition=Q(subject="school"),
                name="explanation_once_per_school_and_year",
            ),
            models.UniqueConstraint(
                fields=["year", "organization"],
                condition=Q(subject="committee"),
                name="explanation_once_per_committee_and_year",
            ),
        ]

    def __str__(self):
        subject = self.school_code if self.subject == self.Subject.SCHOOL else self.organization
        return f"{self.year} · {subject}"

    def clean(self):
        self.text = (self.text or "").strip()
        self.school_code = normalize_education_code(self.school_code)
        super().clean()
        errors = {}
        if not self.text:
            errors["text"] = _("Write what explains the gap.")
        if self.subject == self.Subject.SCHOOL:
            if not self.school_code:
                errors["school_code"] = _("A school's explanation needs its school code.")
            if self.organization_id:
                errors["organization"] = _("A school's explanation is not a committee's.")
        elif self.subject == self.Subject.COMMITTEE:
            if not self.organization_id:
                errors["organization"] = _("A committee's explanation needs the committee.")
            if self.school_code:
                errors["school_code"] = _("A committee's explanation has no school code.")
        if errors:
            raise ValidationError(errors)
