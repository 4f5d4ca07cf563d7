"""Forms for number ranges, the unused-number register and the batch look-up."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members import validators
from members.models import NumberRange, UnusedNumber, format_number
from members.numbers import lookup
from members.numbers import services as numbering
from members.watch import write_refusal


class NumberFormField(forms.CharField):
    """A 12-digit development number typed as text (full-width digits and spaces allowed)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 16})

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        return validators.parse_development_number(value)

    def prepare_value(self, value):
        return format_number(value) if isinstance(value, int) else value


class UserFormMixin:
    """A ModelForm the admin builds for one user, whose scope the service checks."""

    user = None

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user


class NumberRangeForm(UserFormMixin, forms.ModelForm):
    first = NumberFormField(label=_("first number"))
    last = NumberFormField(label=_("last number"))

    class Meta:
        model = NumberRange
        fields = ["organization", "first", "last"]

    def clean(self):
        cleaned = super().clean()
        organization = cleaned.get("organization") or (
            self.instance.organization if self.instance.organization_id else None
        )
        if organization is not None:
            try:
                numbering.number_range_check_user(organization=organization, user=self.user)
            except ValidationError as exc:
                self.add_error("organization" if "organization" in self.fields else None, exc)
                return cleaned
        if organization is not None and cleaned.get("first") is not None:
            # A range an accepted, locked submission holds is refused here, as a form error.
            self.instance.organization = organization
            self.instance.first = cleaned["first"]
            self.instance.last = cleaned.get("last")
            refusal = numbering.number_range_write_refusal(self.instance)
            if refusal:
                self.add_error(None, refusal)
        return cleaned


class UnusedNumberForm(UserFormMixin, forms.ModelForm):
    """Add: one number or a span, its status and why. Change: only status and explanation."""

    first = NumberFormField(label=_("development number"))
    last = NumberFormField(
        label=_("last number of the span"),
        required=False,
        help_text=_("Leave empty to register a single number."),
    )

    class Meta:
        model = UnusedNumber
        fields = ["first", "last", "status", "explanation"]
        widgets = {"explanation": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # A registered entry keeps its numbers; delete it and register again to move them.
            del self.fields["first"], self.fields["last"]

    def clean(self):
        cleaned = super().clean()
        if "first" not in self.fields:
            # A registered entry an accepted submission locks cannot be changed.
            refusal = write_refusal(
                kind="unused_number", records=[numbering.watched_unused_number(self.instance)]
            )
            if refusal:
                self.add_error(None, refusal)
            return cleaned
        first = cleaned.get("first")
        if first is None:
            return cleaned
        last = cleaned.get("last") or first
        cleaned["last"] = last
        self.instance.last = last
        try:
            number_range = numbering.unused_number_locate(first=first, last=last, user=self.user)
            numbering.unused_number_check_free(first=first, last=last)
        except ValidationError as exc:
            self.add_error("first", exc)
            return cleaned
        self.instance.first, self.instance.organization = first, number_range.organization
        refusal = write_refusal(
            kind="unused_number", records=[numbering.watched_unused_number(self.instance)]
        )
        if refusal:
            self.add_error(None, refusal)
        return cleaned


class LookupForm(forms.Form):
    lines = forms.CharField(
        label=_("Development numbers or ID numbers, one per line"),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lines"].help_text = _("Up to %(limit)d lines; paste a column from Excel.") % {
            "limit": lookup.LOOKUP_LIMIT
        }

    def clean_lines(self):
        lines = [line for line in self.cleaned_data["lines"].splitlines() if line.strip()]
        if len(lines) > lookup.LOOKUP_LIMIT:
            raise ValidationError(
                _("At most %(limit)d lines at a time; this has %(count)d.")
                % {"limit": lookup.LOOKUP_LIMIT, "count": len(lines)}
            )
        return lines
