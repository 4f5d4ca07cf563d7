from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import Campaign, CampaignKind
from reports.tables.base import TABLES, table_kinds
from spreadsheets.reader import SpreadsheetError, check_upload


def table_choices():
    """The registered tables, by their label, for choosing what a campaign collects."""
    return [(kind, f"{TABLES[kind].label or kind} ({kind})") for kind in table_kinds()]


class PercentField(forms.DecimalField):
    """A ratio entered and shown as a percentage: 60 in the form is 0.6 in the model."""

    def __init__(self, **kwargs):
        super().__init__(max_digits=6, decimal_places=2, min_value=0, max_value=100, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, Decimal | float | int) and not isinstance(value, bool):
            return format((Decimal(str(value)) * 100).normalize(), "f")
        return value

    def clean(self, value):
        cleaned = super().clean(value)
        return None if cleaned is None else (cleaned / 100).quantize(Decimal("0.0001"))

    def has_changed(self, initial, data):
        return super().has_changed(self.prepare_value(initial), data)


class CampaignForm(forms.ModelForm):
    """The campaign form: labels of a campaign, the threshold in percent, the tables to submit
    chosen from the registered ones."""

    threshold = PercentField(
        label=_("Threshold (%)"),
        required=False,
        help_text=_("A percentage: 60 means 60%."),
    )
    submission_tables = forms.MultipleChoiceField(
        label=_("Tables to submit"),
        choices=table_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The tables each committee submits, stamped."),
    )

    class Meta:
        model = Campaign
        fields = [
            "slug",
            "name",
            "kind",
            "year",
            "deadline",
            "metric",
            "threshold",
            "direction",
            "ranked_kind",
            "ranked_noun",
            "numbers_from_year",
            "numbers_to_year",
            "submission_tables",
            "lock_after_acceptance",
            "description",
            "is_active",
        ]
        labels = {"name": _("Campaign name")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "kind" in self.fields:
            self.fields["kind"].required = False
        if self.instance.pk:
            known = set(table_kinds())
            self.initial["submission_tables"] = [
                kind for kind in self.instance.named_table_kinds if kind in known
            ]

    def clean_kind(self):
        # Left out of a posted form (older scripts, the admin without the field): a general one.
        return self.cleaned_data.get("kind") or CampaignKind.GENERAL

    def clean_submission_tables(self):
        return ",".join(self.cleaned_data["submission_tables"])


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


class OverrideSubmitForm(SubmitForm):
    """Submitting while organisations below are not yet accepted: the committee says why."""

    override_reason = forms.CharField(
        label=_("Reason for submitting before every organisation below is accepted"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for taking back the acceptance"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NotificationPreferenceForm(forms.Form):
    delivery = forms.ChoiceField(label=_("Notifications by e-mail"), choices=())

    def __init__(self, *args, **kwargs):
        from reports.models import Delivery

        super().__init__(*args, **kwargs)
        self.fields["delivery"].choices = Delivery.choices
