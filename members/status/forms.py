"""Forms of the member status pages; every write goes through :mod:`members.status.services`."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.models import MemberStatus
from members.models.status import REACHING_DAYS
from members.status.services import PROPOSABLE


class ProposeForm(forms.Form):
    status = forms.ChoiceField(
        label=_("new status"),
        choices=[(s, MemberStatus(s).label) for s in PROPOSABLE],
    )
    effective_on = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    reason = forms.CharField(label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=_("reason for restoring membership"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("approve")), ("refuse", _("refuse"))], widget=forms.HiddenInput
    )
    note = forms.CharField(label=_("note"), required=False)


class ReachingForm(forms.Form):
    """The list's horizon (``?days=``)."""

    days = forms.IntegerField(
        label=_("turning 28 within (days)"), min_value=0, max_value=3660, initial=REACHING_DAYS
    )


class ConfirmAgedOutForm(forms.Form):
    """The members ticked on the list of those reaching 28, confirmed as 超龄离团."""

    members = forms.TypedMultipleChoiceField(coerce=int, label=_("members"))
    effective_on = forms.DateField(
        label=_("date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        initial=timezone.localdate,
    )
    reason = forms.CharField(label=_("reason"), initial=_("Reached the age of 28"))

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = [(m.pk, m.name) for m in choices]
        self.fields["members"].error_messages["required"] = _("Tick at least one member.")
