from django import forms
from django.utils.translation import gettext_lazy as _

from youthleague.spreadsheets.reader import SpreadsheetError, check_upload


class VerifyForm(forms.Form):
    file = forms.FileField(label=_("Stamped spreadsheet (.xlsx)"))

    def clean_file(self):
        """The same guards as every import: size, zip parts, decompressed size, sound XML."""
        upload = self.cleaned_data["file"]
        try:
            check_upload(upload)
        except SpreadsheetError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return upload


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
