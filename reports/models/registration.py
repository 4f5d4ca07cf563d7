"""The yearly registration (团籍注册) and education evaluation (团员教育评议) of members.

A registration year is a :class:`~reports.models.campaigns.Campaign` of kind *registration*:
its deadline, forwards and earlier internal deadlines are those of every campaign. Each branch
records one :class:`MemberRegistration` per active member, then submits its registration as one
:class:`BranchRegistration`, which the committee above certifies (审核通过) or returns.
Writes go through :mod:`reports.registration.services`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from branches.models import Organization
from members.models import Member
from reports.models.campaigns import Campaign


class RegistrationResult(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("registration result", "registered")
    DEFERRED = "deferred", pgettext_lazy("registration result", "registration deferred")
    REFUSED = "refused", pgettext_lazy("registration result", "registration refused")


#: results that need a written reason
RESULTS_WITH_REASON = (RegistrationResult.DEFERRED, RegistrationResult.REFUSED)


class EvaluationGrade(models.TextChoices):
    EXCELLENT = "excellent", _("excellent")
    QUALIFIED = "qualified", _("qualified")
    BASIC = "basic", _("basically qualified")
    UNQUALIFIED = "unqualified", _("unqualified")


class MemberRegistration(models.Model):
    """One member's registration result and evaluation grade for one registration year."""

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="member_registrations",
        verbose_name=_("registration year"),
    )
    member = models.ForeignKey(
        Member,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("member"),
    )
    #: the branch that recorded it (the member's branch at the time)
    branch = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="member_registrations",
        verbose_name=_("branch"),
    )
    result = models.CharField(
        _("registration result"),
        max_length=12,
        choices=RegistrationResult.choices,
        default=RegistrationResult.REGISTERED,
    )
    reason = models.CharField(_("reason for deferring or refusing"), max_length=200, blank=True)
    grade = models.CharField(
        _("evaluation grade"),
        max_length=12,
        choices=EvaluationGrade.choices,
        default=EvaluationGrade.QUALIFIED,
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("member registration")
        verbose_name_plural = _("member registrations")
        ordering = ["campaign", "branch", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "member"], name="registration_once_per_member"
            ),
            models.CheckConstraint(
                condition=Q(result__in=RegistrationResult.values),
                name="registration_result_valid",
            ),
            models.CheckConstraint(
                condition=Q(grade__in=EvaluationGrade.values), name="registration_grade_valid"
            ),
            models.CheckConstraint(
                condition=Q(result=RegistrationResult.REGISTERED) | ~Q(reason=""),
                name="registration_reason_when_not_registered",
            ),
        ]

    def __str__(self):
        return f"{self.campaign} · {self.member_id} · {self.get_result_display()}"

    def clean(self):
        super().clean()
        self.reason = (self.reason or "").strip()
        if self.result in RESULTS_WITH_REASON and not self.reason:
            raise ValidationError(
                {"reason": _("Give the reason for deferring or refusing registration.")}
            )
        if self.result == RegistrationResult.REGISTERED:
            # A reason belongs to a deferral or refusal only; a registered member has none.
            self.reason = ""


class BranchRegistrationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("submitted, awaiting certification")
    CERTIFIED = "certified", _("certified")
    RETURNED = "returned", _("returned")


class BranchRegistrationQuerySet(models.QuerySet):
    def awaiting(self):
        return self.filter(status=BranchRegistrationStatus.SUBMITTED)


class BranchRegistration(models.Model):
    """A branch's registration for a year, sent up to the committee above to certify.

    One row per branch and year; a returned registration is corrected and submitted again,
    and the history keeps every state it went through.
    """

    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        related_name="branch_registrations",
        verbose_name=_("registration year"),
    )
    branch = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="branch_registrations",
        verbose_name=_("branch"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BranchRegistrationStatus.choices,
        default=BranchRegistrationStatus.SUBMITTED,
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    deadline = models.DateField(_("deadline given"))
    late = models.BooleanField(_("submitted late"), default=False)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)

    history = HistoricalRecords()

    objects = BranchRegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = _("branch registration")
        verbose_name_plural = _("branch registrations")
        ordering = ["campaign", "branch"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "branch"], name="branch_registration_once"),
            models.CheckConstraint(
                condition=Q(status__in=BranchRegistrationStatus.values),
                name="branch_registration_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=BranchRegistrationStatus.RETURNED) | ~Q(return_reason=""),
                name="branch_registration_return_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.branch} · {self.campaign}"

    def clean(self):
        super().clean()
        if self.status == BranchRegistrationStatus.RETURNED and not self.return_reason.strip():
            raise ValidationError({"return_reason": _("Say why the registration is returned.")})
