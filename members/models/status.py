"""A member's status in the League (团籍状态) and the history of its changes.

``Member.status`` holds the status now; every change, proposed, approved, refused or reversed,
is a :class:`StatusChange` row with its date, its reason, who proposed it and who decided.
Writes go through :mod:`members.status.services`.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from youthleague.text import VisibleTextValidator


class MemberStatus(models.TextChoices):
    ACTIVE = "active", _("in the League")
    RETAINED = "retained", _("membership retained")
    AGED_OUT = "aged_out", _("left on reaching the age limit")
    WITHDRAWN = "withdrawn", _("left voluntarily")
    STOPPED = "stopped", _("membership stopped")
    EXPELLED = "expelled", _("expelled")
    DECEASED = "deceased", _("deceased")


#: statuses of members who count in live figures, rosters and lists
IN_LEAGUE = (MemberStatus.ACTIVE, MemberStatus.RETAINED)
#: statuses the committee above approves; the others take effect when recorded
NEEDS_APPROVAL = (MemberStatus.STOPPED, MemberStatus.EXPELLED)
#: statuses by which a member leaves the League
EXITS = (
    MemberStatus.AGED_OUT,
    MemberStatus.WITHDRAWN,
    MemberStatus.STOPPED,
    MemberStatus.EXPELLED,
    MemberStatus.DECEASED,
)
#: the age at which membership ends, unless the member holds a post
AGE_LIMIT = 28
#: how many days ahead the list of members reaching 28 looks by default
REACHING_DAYS = 90


class StatusChange(models.Model):
    """One change of a member's status: an exit, a retention or a reversal (恢复团籍)."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("awaiting approval")
        APPROVED = "approved", _("in effect")
        REFUSED = "refused", _("refused")

    member = models.ForeignKey(
        "members.Member",
        on_delete=models.CASCADE,
        related_name="status_changes",
        verbose_name=_("member"),
    )
    status = models.CharField(_("new status"), max_length=20, choices=MemberStatus.choices)
    previous_status = models.CharField(
        _("previous status"), max_length=20, choices=MemberStatus.choices
    )
    effective_on = models.DateField(_("date"))
    reason = models.TextField(_("reason"), validators=[VisibleTextValidator(_("reason"))])
    state = models.CharField(_("state"), max_length=20, choices=State.choices)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    proposed_at = models.DateTimeField(_("proposed at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-proposed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="status_change_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(state="proposed", decided_at__isnull=True)
                | ~Q(state="proposed") & Q(decided_at__isnull=False),
                name="status_change_decided_when_not_proposed",
            ),
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state="proposed"),
                name="status_change_one_proposal_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.member_id}: {self.get_status_display()}"

    @property
    def is_reversal(self):
        return self.status == MemberStatus.ACTIVE and self.previous_status in EXITS
