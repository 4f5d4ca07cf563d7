from django import forms
from django.utils.translation import gettext_lazy as _

from reports.breakdowns import DEFAULT_DIMENSION, dimension_choices
from reports.forms_schools import MAX_EXPLANATION


class BreakdownForm(forms.Form):
    """The one or two attributes members are broken down by."""

    by = forms.ChoiceField(label=_("Break down by"), choices=dimension_choices)
    then = forms.ChoiceField(
        label=_("and by"),
        required=False,
        choices=lambda: [("", "—"), *dimension_choices()],
    )

    def dimension_names(self):
        """The valid names asked for; the default for an invalid first one."""
        if self.is_valid():
            return self.cleaned_data["by"], self.cleaned_data["then"] or None
        return DEFAULT_DIMENSION, None


class DeclineExplanationForm(forms.Form):
    """The text of an explanation (情况说明) of a decline against last year."""

    text = forms.CharField(
        label=_("Explanation"),
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say what caused the decline, e.g. members who reached the age limit, branches "
            "merged or closed, or records corrected."
        ),
    )
