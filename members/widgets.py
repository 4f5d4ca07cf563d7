"""The development number input of the member form, with its "next free number" button."""

import uuid

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from members.models import format_number


class DevelopmentNumberWidget(forms.TextInput):
    """A text input for a 12-digit number and a button that fetches the next free one.

    The button posts the developing organisation (the value of the element with id
    ``organization_field`` in the page, by default the member form's ``developing_organization``
    select; the user's own organisation when there is none) and the join year (read from
    ``year_field``, the current year when empty) to ``members:number_next`` and fills in the
    number it is given. Self-contained: its script is ``members/development_number.js``.

    The number is reserved for this form (:mod:`members.reservations`): a hidden input
    ``<name>_form_key`` names the form, and keeps naming it when the form comes back with
    errors, so that its next click gets the same number back.
    """

    class Media:
        js = ["members/development_number.js"]

    def __init__(
        self,
        attrs=None,
        *,
        organization_field="id_developing_organization",
        year_field="id_join_date",
    ):
        defaults = {"inputmode": "numeric", "autocomplete": "off", "size": "16", "maxlength": "20"}
        super().__init__({**defaults, **(attrs or {})})
        self.organization_field = organization_field
        self.year_field = year_field
        self.form_key = ""

    def value_from_datadict(self, data, files, name):
        key = data.get(f"{name}_form_key", "")
        if key.isalnum() and len(key) <= 32:
            self.form_key = key
        return super().value_from_datadict(data, files, name)

    def format_value(self, value):
        if isinstance(value, int):
            return format_number(value)
        return super().format_value(value)

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        self.form_key = self.form_key or uuid.uuid4().hex
        return format_html(
            '<span class="dn-widget" data-dn-url="{}" data-dn-organization="{}" data-dn-year="{}"'
            ' data-dn-failed="{}">{}'
            '<input type="hidden" class="dn-key" name="{}_form_key" value="{}">'
            ' <button type="button" class="button dn-next">{}</button>'
            ' <span class="dn-message" role="status" aria-live="polite"></span></span>',
            reverse("members:number_next"),
            self.organization_field,
            self.year_field,
            _("The server could not be reached; try again."),
            field,
            name,
            self.form_key,
            _("Take the next free number"),
        )
