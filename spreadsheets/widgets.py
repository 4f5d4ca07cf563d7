"""django-import-export widgets for the official tables' cell formats.

Official tables spell choices the Chinese way (组织类型 "学生班级团支部"), whatever language the
user interface runs in: choices are read and written by their Simplified Chinese labels.
"""

import re
from datetime import date, datetime, timedelta

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from spreadsheets.reader import as_text

SPREADSHEET_LANGUAGE = "zh-hans"
_DATE_RE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$")
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_YEAR_MONTH_RE = re.compile(r"^\d{4}([-/.年]\d{1,2}月?|\d{2})$")
# A time part after the day: " 00:00:00", "T08:30", " 0:00".
_TIME_RE = re.compile(r"(?:[T\s]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)$")
_SERIAL_RE = re.compile(r"^\d{4,5}(\.\d+)?$")
# Excel's day 0 in the 1900 system, shifted past its fictitious 29 February 1900.
_EXCEL_EPOCH = date(1899, 12, 30)
_FIRST_SERIAL = (date(1910, 1, 1) - _EXCEL_EPOCH).days
_LAST_SERIAL = (date(2099, 12, 31) - _EXCEL_EPOCH).days


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
    """A date from an Excel date cell, an Excel serial number left in a General cell, or text:
    2019-05-23, 2019/5/23, 2019.5.23, 2019年5月23日, 20190523, each with or without a time."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return _from_serial(value)
    text = as_text(value)
    text = _TIME_RE.sub("", text)
    for pattern in (_DATE_RE, _COMPACT_DATE_RE):
        match = pattern.match(text)
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    else:
        if _SERIAL_RE.match(text):
            return _from_serial(float(text))
        if _YEAR_MONTH_RE.match(text):
            raise ValueError(
                _(
                    "“%(value)s” gives a year and a month only; write the whole day "
                    "(for a join date, the day the branch meeting approved the member)."
                )
                % {"value": value}
            )
    raise ValueError(_("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": value})


def _from_serial(number):
    """The day an Excel serial number stands for (1900 date system), within 1910-2099."""
    if not _FIRST_SERIAL <= number <= _LAST_SERIAL:
        raise ValueError(
            _("“%(value)s” is not a date; write it as YYYY-MM-DD.") % {"value": as_text(number)}
        )
    return _EXCEL_EPOCH + timedelta(days=int(number))


class TextWidget(widgets.Widget):
    """A code or a name: always text; a number Excel made of a code loses its '.0'."""

    def clean(self, value, row=None, **kwargs):
        return as_text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


def _compact(text):
    """Text with every white space removed (half and full width, line breaks)."""
    return "".join(text.split())


class ChoiceLabelWidget(widgets.Widget):
    """A ``TextChoices`` value, read and written as its Chinese label.

    ``synonyms`` is a function of the labels (label -> value) answering the other spellings
    people write (高中在读 for 高中), or None. White space inside a cell is ignored.
    """

    def __init__(self, choices, *, label, allow_blank=False, synonyms=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.label = label
        self.allow_blank = allow_blank
        self.synonyms = synonyms
        self._labels = None  # built on first use: once per import, not once per cell
        self._accepted = None

    def _build(self):
        self._labels = chinese_labels(self.choices)
        accepted = dict(self.synonyms(self._labels)) if self.synonyms else {}
        accepted.update(self._labels)
        self._accepted = {_compact(text): value for text, value in accepted.items()}

    def clean(self, value, row=None, **kwargs):
        text = as_text(value)
        if text == "":
            if self.allow_blank:
                return ""
            raise ValueError(_("%(column)s is required.") % {"column": self.label})
        if self._labels is None:
            self._build()
        labels = self._labels
        found = self._accepted.get(_compact(text))
        if found is not None:
            return found
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
