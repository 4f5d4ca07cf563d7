from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from branches import access
from branches.models import Organization
from branches.validators import normalize_school_code


class OrganizationForm(forms.ModelForm):
    """The admin form: the tree position is given by the parent's code, as in the import."""

    parent_code = forms.CharField(
        label=_("parent organisation code"),
        required=False,
        help_text=_(
            "Code of the organisation directly above; empty only for the provincial committee."
        ),
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "kind",
            "sector",
            "opened_on",
            "school_code",
            "ownership",
            "graduation_date",
            "no_graduation_reason",
            "secretary_name",
            "secretary_phone",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.parent = None
        if self.instance.pk and self.instance.depth > 1:
            self.fields["parent_code"].initial = Organization.objects.get_parent(self.instance).code

    def clean_school_code(self):
        return normalize_school_code(self.cleaned_data.get("school_code"))

    def clean_parent_code(self):
        code = (self.cleaned_data.get("parent_code") or "").strip()
        if not code:
            if self.instance.pk and self.instance.depth == 1:
                return ""
            if access.sees_everything(self.user) and not Organization.objects.exists():
                return ""
            raise ValidationError(_("Enter the code of the parent organisation."))
        parent = Organization.objects.filter(code=code).first()
        if parent is None or not access.is_in_scope(self.user, parent):
            raise ValidationError(_("No such parent organisation in your scope."))
        self.parent = parent
        return code
