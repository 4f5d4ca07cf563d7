from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from members.choices import DocumentType
from members.id_numbers import had_invisible_characters
from members.models import Member
from members.validators import normalize_id_number, parse_development_number
from members.watch import member_record, stored_member_places, write_refusal


class DevelopmentNumberField(forms.Field):
    """A development number typed as its 12 digits, stored as an integer.

    The widget is a plain text input, so that the digits are kept as typed; pass ``widget=``
    to replace it (e.g. with one that offers the next free number).
    """

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "size": "14"})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:012d}"
        return value

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return parse_development_number(value)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != self.to_python(initial)
        except ValidationError:
            return True


MEMBER_FORM_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "ethnicity_note",
    "birth_date",
    "document_type",
    "id_number",
    "education",
    "identity",
    "join_date",
    "development_number",
    "developing_organization",
    "branch",
    "phone",
]


class MemberForm(forms.ModelForm):
    """The record a secretary enters; labels are the roster's column names (in Chinese)."""

    # Longer than 18: spaces typed between the digit groups are removed by the stated rule.
    id_number = forms.CharField(
        label=Member._meta.get_field("id_number").verbose_name,
        help_text=Member._meta.get_field("id_number").help_text,
        max_length=40,
    )
    development_number = DevelopmentNumberField(
        label=Member._meta.get_field("development_number").verbose_name,
        help_text=_(
            "12 digits; the first four are the join year (2017 and 2018 are interchangeable). "
            "Required for members who joined in 2017 or later."
        ),
    )

    class Meta:
        model = Member
        fields = MEMBER_FORM_FIELDS

    class Media:
        # Fills in the birth date and gender from the ID number and shows problems as typed.
        js = ["members/entry_form.js"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "id_number" in self.fields:
            self.fields["id_number"].widget.attrs["data-check-url"] = reverse("members:entry_check")
        if "document_type" in self.fields:
            # Most members hold a resident card, and a permit's number says what it is.
            self.fields["document_type"].required = False

    def clean_document_type(self):
        return self.cleaned_data.get("document_type") or DocumentType.RESIDENT_ID

    def clean_id_number(self):
        typed = self.cleaned_data["id_number"]
        #: whether invisible characters (a pasted zero-width space, a BOM) were removed
        self.removed_invisible = had_invisible_characters(typed)
        return normalize_id_number(typed)

    def _post_clean(self):
        # The model judges every field again, and one the form already rejected was left
        # empty on the instance: keep only the form's message for it ("12 digits", not also
        # "required").
        rejected = {field: len(errors) for field, errors in self.errors.items()}
        super()._post_clean()
        for field, count in rejected.items():
            if field != NON_FIELD_ERRORS:
                del self._errors[field][count:]
        # A record an accepted submission locks cannot be changed (reports.submissions.approval).
        member = self.instance
        refusal = write_refusal(
            kind="member", records=[member_record(member, *stored_member_places(member))]
        )
        if refusal:
            self.add_error(None, refusal)
