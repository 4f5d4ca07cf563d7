from django import forms
from django.utils.translation import gettext_lazy as _

MAX_EXPLANATION = 2000


class ExplanationForm(forms.Form):
    """The text of an explanation (情况说明) of a school's or a committee's gap."""

    text = forms.CharField(
        label=_("Explanation"),
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Say what causes the gap and what is being done about it, e.g. members not yet "
            "entered, students who left, or figures counted differently."
        ),
    )
