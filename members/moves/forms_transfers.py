"""Forms of the two-sided transfer pages; the services in :mod:`members.moves.transfers` decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from members.models.moves import RefusalReason
from members.moves.forms import DestinationForm
from members.moves.transfers import BatchAction


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for refusing"), choices=RefusalReason.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("why the move is withdrawn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class ResendForm(DestinationForm):
    """The corrected destination of a refused or expired move (reason and date stay)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["reason"]
        del self.fields["moved_on"]

    def destination_fields(self):
        """Keyword arguments for :func:`members.moves.transfers.move_resend`."""
        data = self.cleaned_data
        return {
            "destination_organization": data["destination_code"],
            "destination_county_code": data["destination_county_code"],
            "destination_township": data["destination_township"],
            "destination_other_province": data["destination_other_province"],
            "note": data["note"],
        }


class MoveIdsField(forms.Field):
    """The ticked moves' ids; the view looks them up in the user's scope (404 otherwise)."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        try:
            return sorted({int(item) for item in value or []})
        except (TypeError, ValueError) as exc:
            raise forms.ValidationError(_("Tick at least one member.")) from exc


class BatchForm(forms.Form):
    """The moves chosen on the inbox and what to do with them; ``apply`` after the preview."""

    moves = MoveIdsField(
        label=_("moves"), error_messages={"required": _("Tick at least one member.")}
    )
    action = forms.ChoiceField(label=_("what to do"), choices=BatchAction.choices)
    reason = forms.ChoiceField(
        label=_("reason for refusing"),
        choices=[("", "—"), *RefusalReason.choices],
        required=False,
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    apply = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("action") == BatchAction.REFUSE and not cleaned.get("reason"):
            self.add_error("reason", _("Choose a reason for refusing."))
        return cleaned
