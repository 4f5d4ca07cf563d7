from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Member
from members.validators import parse_development_number


class DevelopmentNumberField(forms.CharField):
    """A development number typed as its 12 digits, stored as an integer.

    The widget is a plain text input, so that leading zeros and long digit strings are kept as
    typed; pass ``widget=`` to replace it (e.g. with one that offers the next free number).
    """

    widget = forms.TextInput

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "size": "14"})
        return attrs

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{value:012d}"
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        try:
            return parse_development_number(text)
        except ValidationError as exc:
            raise ValidationError(exc.messages, code="invalid") from None

    def has_changed(self, initial, data):
        try:
            return self.to_python(data) != (
                self.to_python(self.prepare_value(initial)) if initial not in (None, "") else None
            )
        except ValidationError:
            return True


MEMBER_FORM_FIELDS = [
    "name",
    "gender",
    "ethnicity",
    "birth_date",
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
