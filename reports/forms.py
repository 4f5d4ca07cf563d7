from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Stamped spreadsheet (.xlsx)"))


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for returning"), widget=forms.Textarea(attrs={"rows": 3})
    )


class SubmitForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the committee above"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
