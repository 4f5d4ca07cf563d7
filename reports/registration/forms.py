"""The bulk form of a branch's registration: one row per active member."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import EvaluationGrade, RegistrationResult
from reports.models.registration import RESULTS_WITH_REASON


class RegistrationRowForm(forms.Form):
    member = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("registration result"), choices=RegistrationResult.choices)
    reason = forms.CharField(
        label=_("reason for deferring or refusing"), max_length=200, required=False
    )
    grade = forms.ChoiceField(label=_("evaluation grade"), choices=EvaluationGrade.choices)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("result") in RESULTS_WITH_REASON and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Give the reason for deferring or refusing registration."))
        return cleaned


RegistrationFormSet = forms.formset_factory(RegistrationRowForm, extra=0)
