"""Forms of the moves pages; they only collect input, the services in :mod:`members.moves.services` decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _

from branches.models import Organization
from members import validators
from members.divisions import validate_county_code
from members.models import Member
from members.models.moves import CloseReason, Reason
from spreadsheets.uploads import UploadForm as SpreadsheetUploadForm

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class DestinationForm(forms.Form):
    """The three kinds of destination; exactly one is filled (the service checks that)."""

    reason = forms.ChoiceField(label=_("reason for moving"), choices=Reason.choices)
    moved_on = forms.DateField(label=_("date of the move"), widget=DATE_INPUT)
    destination_code = forms.CharField(
        label=_("destination organisation code"),
        required=False,
        max_length=32,
        help_text=_("For an organisation in this system."),
    )
    destination_county_code = forms.CharField(
        label=_("county division code"),
        required=False,
        max_length=6,
        validators=[validate_county_code],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "pattern": "[0-9]{6}"}),
        help_text=_("Outside this system: six digits (GB/T 2260), such as 350128."),
    )
    destination_township = forms.CharField(
        label=_("township or street"), required=False, max_length=50
    )
    destination_other_province = forms.CharField(
        label=_("other province's system"), required=False, max_length=100
    )
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=200,
        help_text=_("School, employer or unit at the destination."),
    )

    def clean_destination_code(self):
        code = self.cleaned_data["destination_code"].strip()
        if not code:
            return None
        # Destinations lie anywhere in the province, so the look-up is by exact code only.
        organization = Organization.objects.filter(code=code).first()
        if organization is None:
            raise ValidationError(_("No organisation has the code %(code)s.") % {"code": code})
        return organization

    def move_fields(self):
        """Keyword arguments for :func:`members.moves.services.move_create`."""
        data = self.cleaned_data
        return {
            "reason": data["reason"],
            "moved_on": data["moved_on"],
            "destination_organization": data["destination_code"],
            "destination_county_code": data["destination_county_code"],
            "destination_township": data["destination_township"],
            "destination_other_province": data["destination_other_province"],
            "note": data["note"],
        }


class MoveForm(DestinationForm):
    """One move, the member given by ID number (looked up among the members ``user`` may see)."""

    id_number = forms.CharField(label=_("ID number"), max_length=20)

    field_order = ["id_number"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_id_number(self):
        number = validators.normalize_id_number(self.cleaned_data["id_number"])
        member = (
            Member.objects.visible_to(self.user)
            .select_related("branch", "developing_organization")
            .filter(id_number=number)
            .first()
        )
        if member is None:
            raise ValidationError(_("No member with this ID number in your scope."))
        self.member = member
        return number


class GraduateMoveForm(DestinationForm):
    """One graduate's move on a class's page; rows left unticked are not recorded."""

    member = forms.IntegerField(widget=forms.HiddenInput)
    include = forms.BooleanField(label=_("record a move"), required=False)

    def _ticked(self):
        return self.fields["include"].widget.value_from_datadict(
            self.data, self.files, self.add_prefix("include")
        )

    def full_clean(self):
        if self.is_bound and not self._ticked():
            # Nothing to check on a row that will not be recorded.
            self._errors = ErrorDict()
            self.cleaned_data = {"include": False}
            return
        super().full_clean()


GraduateMoveFormSet = forms.formset_factory(GraduateMoveForm, extra=0)


class ContactForm(forms.Form):
    note = forms.CharField(
        label=_("what the member said"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(label=_("reason for closing"), choices=CloseReason.choices)
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )


class CloseClassForm(forms.Form):
    """Closing (撤销) a graduated class branch that holds no member any more."""

    closed_on = forms.DateField(label=_("closed on"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("reason for the closure"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("reason for the closure")}),
    )


class ReportForm(forms.Form):
    """Confirming a report-in: the branch (when the destination is a committee) and a note."""

    branch = forms.ModelChoiceField(
        label=_("branch reported to"), queryset=Organization.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, branches=None, note_required=False, **kwargs):
        super().__init__(*args, **kwargs)
        if branches is None:
            del self.fields["branch"]
        else:
            self.fields["branch"].queryset = branches
            self.fields["branch"].required = True
        if note_required:
            self.fields["note"].required = True
            self.fields["note"].label = _("where and when the member reported")


class GraduationRowForm(forms.Form):
    """One class branch on the graduation dates page."""

    branch = forms.IntegerField(widget=forms.HiddenInput)
    graduation_date = forms.DateField(label=_("graduation date"), required=False, widget=DATE_INPUT)
    no_graduation_reason = forms.ChoiceField(
        label=_("reason for no graduation date"),
        required=False,
        choices=[("", "—"), *Organization.NoGraduationReason.choices],
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("graduation_date") and cleaned.get("no_graduation_reason"):
            raise ValidationError(
                _("Give either a graduation date or a reason for having none, not both.")
            )
        return cleaned


GraduationRowFormSet = forms.formset_factory(GraduationRowForm, extra=0)


class FillDateForm(forms.Form):
    fill_date = forms.DateField(
        label=_("date for every class still without one"), required=False, widget=DATE_INPUT
    )


class UploadForm(SpreadsheetUploadForm):
    """The class page's spreadsheet upload, with the shared size limit."""
