"""django-import-export widgets for the official tables' cell formats.

Official tables spell choices the Chinese way (组织类型 "学生班级团支部"), whatever language the
user interface runs in: choices are read and written by their Simplified Chinese labels.
"""

import re
from datetime import date, datetime

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from youthleague.spreadsheets.reader import as_text

SPREADSHEET_LANGUAGE = "zh-hans"
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")


def chinese_label(choices, value):
    """The Simplified Chinese label of ``value`` in a ``TextChoices`` class."""
    if value in (None, ""):
        return ""
    with translation.override(SPREADSHEET_LANGUAGE):
        return str(choices(value).label)


def chinese_labels(choices):
    """Chinese label -> value for a ``TextChoices`` class."""
    with translation.override(SPREADSHEET_LANGUAGE):
        return {str(label): value for value, label in choices.choices}


def parse_date(value):
    """A date from an Excel date cell or from text such as 2019-05-23 (2019/5/23, 2019年5月23日)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    match = _DATE_RE.match(as_text(value))
    if match:
        try:
            return date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise ValueError(_("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value})


class TextWidget(widgets.Widget):
    """A code or a name: always text; a number Excel made of a code loses its '.0'."""

    def clean(self, value, row=None, **kwargs):
        return as_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class ChoiceLabelWidget(widgets.Widget):
    """A ``TextChoices`` value, read and written as its Chinese label."""

    def __init__(self, choices, *, label, allow_blank=False, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.label = label
        self.allow_blank = allow_blank
        self._labels = None  # built on first use: once per import, not once per cell

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if text == "":
            if self.allow_blank:
                return ""
            raise ValueError(_("%(column)s is required.") % {"column": self.label})
        if self._labels is None:
            self._labels = chinese_labels(self.choices)
        labels = self._labels
        if text in labels:
            return labels[text]
        raise ValueError(
            _("“%(value)s” is not a valid %(column)s; use one of: %(options)s.")
            % {"value": text, "column": self.label, "options": "、".join(labels)}
        )

    def render(self, value, obj=None, **kwargs):
        return chinese_label(self.choices, value)


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return parse_date(value)

    def render(self, value, obj=None, **kwargs):
        return value
