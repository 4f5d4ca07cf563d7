"""Number ranges (号段), as the committees hand them down: ``组织代码, 起始编号, 终止编号``.

The columns are declared once here; the import (``import_ranges`` and the admin's button,
``members/numbers/importing.py``) builds its fields from them.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import widgets

from members import validators
from spreadsheets import columns
from spreadsheets.columns import TableColumn

CODE = "组织代码"
FIRST = "起始编号"
LAST = "终止编号"


class NumberWidget(widgets.Widget):
    """A development number: 12 digits, as text or as a number Excel made of it."""

    def clean(self, value, row=None, **kwargs):
        try:
            number = validators.parse_development_number(value)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
        if number is None:
            raise ValueError(_("A development number is required."))
        return number

    def render(self, value, obj=None, **kwargs):
        return validators.format_development_number(value)


COLUMNS = (
    TableColumn(CODE, "organization__code", "organization", width=16, required=True),
    TableColumn(FIRST, "first", "first", width=16, widget=NumberWidget, required=True),
    TableColumn(LAST, "last", "last", width=16, widget=NumberWidget, required=True),
)
HEADER = columns.header(COLUMNS)
REQUIRED = columns.required(COLUMNS)
