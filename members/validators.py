"""Validation of a member's identifying fields, with messages in the user's language.

ID numbers (公民身份号码) and the documents that share their shape are judged by
``members.id_numbers``: invisible characters and a leading text marker are removed, full-width
digits and letters become half-width, every space is removed and a lowercase x becomes X.
Anything else that is not a digit (or a final X) is an error, never silently dropped.
"""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from members import id_numbers
from youthleague.text import VisibleTextValidator

_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_SPACES = re.compile(r"[\s\u3000]+")
DEVELOPMENT_NUMBER_RE = re.compile(r"^\d{12}$")

#: a member's name refuses control, bidirectional and zero-width characters
validate_member_name = VisibleTextValidator(pgettext_lazy("member", "name"))

MIN_JOIN_AGE = 14
MAX_JOIN_AGE = 28


def rules():
    return settings.YOUTHLEAGUE


# The ID number rule lives in members.id_numbers; these names are what the rest of the code calls.
normalize_id_number = id_numbers.normalize_id_number
validate_id_number = id_numbers.validate_id_number
id_number_birth_date = id_numbers.birth_date_of
id_number_gender = id_numbers.gender_of


def age_on(birth_date, day):
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def development_number_years(join_date):
    """The year prefixes a development number may carry for a join date (2017 and 2018 pair)."""
    year = join_date.year
    pairs = rules().get("INTERCHANGEABLE_NUMBER_YEARS", ((2017, 2018),))
    for pair in pairs:
        if year in pair:
            return set(pair)
    return {year}


def number_required(join_date):
    """A development number is required for members who joined since the new-member date."""
    return join_date >= rules()["NEW_MEMBER_SINCE"]


def format_development_number(number):
    """A development number as the 12-digit text every page, form and table shows; '' for none.

    The one place the format is written: models, forms, imports and exports call this.
    """
    return "" if number is None else f"{number:012d}"


def parse_development_number(value):
    """A development number as an int, from text or a number; ValidationError when malformed."""
    if value in (None, ""):
        return None
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = _SPACES.sub("", str(value).translate(_FULL_WIDTH))
    if not DEVELOPMENT_NUMBER_RE.match(text):
        raise ValidationError(
            _("A development number has exactly 12 digits."), code="number_format"
        )
    return int(text)


def check_join_date(join_date, today=None):
    if join_date > (today or date.today()):
        raise ValidationError(_("The join date cannot be in the future."), code="join_future")
