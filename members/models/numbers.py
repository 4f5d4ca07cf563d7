"""Development numbers: the ranges handed down the tree, issued numbers and the unused register.

Every number of a range has one whereabouts: a member holds it (used), it was issued by the
next-free-number service and the member is not entered yet, or it is registered as unused,
voided or lost with an explanation. The ledger (:mod:`members.numbers.ledger`) counts them.

Ranges form a laminar family: a child's range lies inside one of its parent's ranges and ranges
of siblings (and of one holder) never overlap, so two ranges at the same tree level never
overlap. PostgreSQL enforces that with an exclusion constraint (migration ``0002_numbers``);
:meth:`NumberRange.clean` checks it everywhere.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, OuterRef, Q
from django.db.models.lookups import Exact
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Organization
from members.models.number_queries import (  # noqa: F401
    ALREADY_USED,
    MAX_NUMBER,
    MIN_NUMBER,
    NOT_IN_RANGES,
    YEAR_DIVISOR,
    NumberRangeQuerySet,
    NumberStatus,
    SpanContains,
    UnusedNumberQuerySet,
    format_number,
    format_span,
    number_year,
)


def _twelve_digits(first="first", last="last"):
    return Q(**{f"{first}__gte": MIN_NUMBER, f"{last}__lte": MAX_NUMBER})


def _span_constraints(prefix, what):
    """first ≤ last, twelve digits, one year: shared by ranges and register entries."""
    return [
        models.CheckConstraint(
            condition=Q(first__lte=F("last")),
            name=f"{prefix}_first_not_after_last",
            violation_error_message=_("The first number must not come after the last."),
        ),
        models.CheckConstraint(
            condition=_twelve_digits(),
            name=f"{prefix}_twelve_digits",
            violation_error_message=_("A development number has exactly 12 digits."),
        ),
        models.CheckConstraint(
            condition=Exact(F("first") / YEAR_DIVISOR, F("last") / YEAR_DIVISOR),
            name=f"{prefix}_one_year",
            violation_error_message=what,
        ),
    ]


class NumberSpan(models.Model):
    """An interval ``[first, last]`` of development numbers."""

    first = models.BigIntegerField(_("first number"))
    last = models.BigIntegerField(_("last number"))

    class Meta:
        abstract = True

    @property
    def size(self):
        if self.first is None or self.last is None:
            return 0
        return self.last - self.first + 1

    @property
    def year(self):
        return number_year(self.first) if self.first is not None else None

    @property
    def span_text(self):
        if self.first is None or self.last is None:
            return ""
        return format_span(self.first, self.last)

    def contains(self, number):
        return self.first <= number <= self.last


class NumberRange(NumberSpan):
    """号段: the numbers [first, last] an organisation holds, handed to it by its parent."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="number_ranges",
        verbose_name=_("holder"),
    )
    # The holder's depth: same-level ranges never overlap, which PostgreSQL's exclusion
    # constraint checks without a join.
    level = models.PositiveSmallIntegerField(_("level in the tree"), editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("entered by"),
    )
    created_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)

    # Stored derivations kept exact by members.tallies: members holding a number of the range,
    # and numbers of the range in the unused-number register.
    used_count = models.PositiveBigIntegerField(default=0, editable=False)
    explained_count = models.PositiveBigIntegerField(default=0, editable=False)

    history = HistoricalRecords(excluded_fields=["used_count", "explained_count"])

    objects = NumberRangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("number range")
        verbose_name_plural = _("number ranges")
        ordering = ["first"]
        indexes = [
            models.Index(fields=["first", "last"], name="range_first_last_idx"),
            models.Index(fields=["organization", "first"], name="range_holder_idx"),
        ]
        constraints = _span_constraints(
            "range", _("A range's first and last numbers must start with the same year.")
        )

    def __str__(self):
        return self.span_text

    def save(self, *args, **kwargs):
        if self.organization_id:
            self.level = self.organization.depth
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.first is None or self.last is None or not self.organization_id:
            return
        if not (MIN_NUMBER <= self.first <= self.last <= MAX_NUMBER):
            return  # the constraints report it
        if number_year(self.first) != number_year(self.last):
            return
        holder = self.organization
        others = NumberRange.objects.exclude(pk=self.pk)
        if not holder.is_root():
            parent_path = holder.path[: -holder.steplen]
            inside = others.filter(
                organization__path=parent_path, first__lte=self.first, last__gte=self.last
            )
            if not inside.exists():
                raise ValidationError(
                    _("A range must lie inside one range held by the parent organisation.")
                )
        siblings = others.filter(level=holder.depth).overlapping(self.first, self.last)
        if siblings.exists():
            raise ValidationError(
                _("The range overlaps a range already handed to this or another organisation.")
            )
        if self.pk is not None:
            self._check_nothing_left_outside()
        self._check_numbers_in_use()

    def _check_nothing_left_outside(self):
        """A changed range keeps every range and register entry that lay inside it."""
        old = NumberRange.objects.filter(pk=self.pk).values_list("first", "last").first()
        if old is None:
            return
        outside = ~Q(first__gte=self.first, last__lte=self.last)
        below = NumberRange.objects.filter(
            level=self.organization.depth + 1, first__gte=old[0], last__lte=old[1]
        )
        if below.filter(outside).exists() or self.registrations.filter(outside).exists():
            raise ValidationError(
                _("Numbers of the old range are handed on or registered; the range must keep them.")
            )

    def _check_numbers_in_use(self):
        """Numbers already used, issued or registered elsewhere cannot be handed to this holder."""
        from members.models.member import Member

        holder_path = self.organization.path
        span = {"first__lte": self.last, "last__gte": self.first}
        conflicts = (
            Member.objects.filter(development_number__range=(self.first, self.last))
            .exclude(developing_organization__path__startswith=holder_path)
            .exists()
            or IssuedNumber.objects.filter(number__range=(self.first, self.last))
            .exclude(organization__path__startswith=holder_path)
            .exists()
            or UnusedNumber.objects.filter(**span)
            .exclude(number_range_id=self.pk)
            .exclude(number_range__level__gt=self.organization.depth)
            .exists()
        )
        if conflicts:
            raise ValidationError(
                _(
                    "Some numbers of this range are already used, issued or registered by "
                    "another organisation."
                )
            )


class UnusedNumber(NumberSpan):
    """An entry of the unused-number register (未使用编号登记表): one number or a span."""

    Status = NumberStatus

    number_range = models.ForeignKey(
        NumberRange,
        on_delete=models.PROTECT,
        related_name="registrations",
        editable=False,
        verbose_name=_("number range"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="unused_numbers",
        editable=False,
        verbose_name=_("owning organisation"),
    )
    status = models.CharField(_("status"), max_length=10, choices=NumberStatus.choices)
    explanation = models.TextField(_("explanation"), max_length=500)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("registered by"),
    )
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    history = HistoricalRecords()

    objects = UnusedNumberQuerySet.as_manager()

    class Meta:
        verbose_name = _("registered unused number")
        verbose_name_plural = _("unused-number register")
        ordering = ["first"]
        indexes = [
            models.Index(fields=["first", "last"], name="unused_first_last_idx"),
            models.Index(fields=["organization", "first"], name="unused_org_idx"),
        ]
        constraints = [
            *_span_constraints(
                "unused", _("A span's first and last numbers must start with the same year.")
            ),
            models.CheckConstraint(
                condition=Q(status__in=NumberStatus.values), name="unused_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(explanation=""),
                name="unused_explanation_given",
                violation_error_message=_("An explanation is required."),
            ),
        ]

    def __str__(self):
        return f"{self.span_text} {self.get_status_display()}"

    def clean(self):
        super().clean()
        self.explanation = (self.explanation or "").strip()
        if not self.explanation:
            raise ValidationError({"explanation": _("An explanation is required.")})


class IssuedNumberQuerySet(models.QuerySet):
    def with_entered(self):
        """Annotate ``entered``: whether a member holds the number by now."""
        from members.models.member import Member

        return self.annotate(
            entered=models.Exists(Member.objects.filter(development_number=OuterRef("number")))
        )

    def unentered(self):
        """Numbers no member holds yet."""
        from members.models.member import Member

        return self.exclude(
            models.Exists(Member.objects.filter(development_number=OuterRef("number")))
        )

    def reservations(self):
        """Numbers taken for one entry form: they expire unless a member is saved with them."""
        return self.filter(expires_at__isnull=False).unentered()

    def expired(self, now):
        """Reservations past their expiry, which return to the free pool."""
        return self.reservations().filter(expires_at__lte=now)

    def held_by(self, user, now):
        """``user``'s reservations that still hold their number."""
        return self.reservations().filter(issued_by=user, expires_at__gt=now)


class IssuedNumber(models.Model):
    """A number the next-free-number service handed out; it is used once a member holds it."""

    number = models.BigIntegerField(_("development number"), unique=True)
    number_range = models.ForeignKey(
        NumberRange,
        on_delete=models.PROTECT,
        related_name="issued_numbers",
        verbose_name=_("number range"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="issued_numbers",
        verbose_name=_("issued to"),
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)
    # A number taken by an entry form's button is a reservation: unless a member is saved with
    # it by then, it returns to the free pool at expiry (members.reservations).
    expires_at = models.DateTimeField(_("reserved until"), null=True, blank=True)
    #: the entry form that took it; the form's next click gets the same number back
    form_key = models.CharField(max_length=32, blank=True, editable=False)

    history = HistoricalRecords()

    objects = IssuedNumberQuerySet.as_manager()

    class Meta:
        verbose_name = _("issued number")
        verbose_name_plural = _("issued numbers")
        constraints = [
            models.CheckConstraint(
                condition=_twelve_digits("number", "number"), name="issued_twelve_digits"
            ),
        ]

    def __str__(self):
        return format_number(self.number)
