from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.models.submissions import Submission


class ChangeKind(models.TextChoices):
    MEMBER = "member", _("member")
    UNUSED_NUMBER = "unused_number", _("unused-number entry")
    EXPLANATION = "explanation", _("explanation")
    EDUCATION_COUNT = "education_count", _("education figure")


class ChangeAction(models.TextChoices):
    CREATED = "created", _("added")
    CHANGED = "changed", _("changed")
    DELETED = "deleted", _("deleted")


class PostAcceptanceChange(models.Model):
    """A change, after a submission was accepted, to a record its tables contain."""

    submission = models.ForeignKey(
        Submission,
        on_delete=models.CASCADE,
        related_name="changes_after_acceptance",
        verbose_name=_("submission"),
    )
    kind = models.CharField(_("record"), max_length=20, choices=ChangeKind.choices)
    action = models.CharField(_("kind of change"), max_length=10, choices=ChangeAction.choices)
    object_id = models.PositiveBigIntegerField(_("record id"))
    label = models.CharField(_("changed record"), max_length=200)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("change after acceptance")
        verbose_name_plural = _("changes after acceptance")
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=ChangeKind.values), name="post_acceptance_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(action__in=ChangeAction.values), name="post_acceptance_action_valid"
            ),
        ]

    def __str__(self):
        return f"{self.submission} · {self.label}"
