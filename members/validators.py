"""Validation of a member's identifying fields, with messages in the user's language.

ID numbers (公民身份号码) follow one stated rule before they are checked: full-width digits and
letters become half-width, every space (half- or full-width) is removed, and a lowercase x
becomes X. Anything else that is not a digit (or a final X) is an error, never silently dropped.
"""

import re
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from stdnum import exceptions as stdnum_errors
from stdnum.cn import ric

from members.choices import Gender
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


def normalize_id_number(value):
    """Apply the stated rule: half-width, no spaces, upper-case X."""
    if value is None:
        return ""
    text = _SPACES.sub("", str(value).translate(_FULL_WIDTH))
    return text.upper()


def validate_id_number(value):
    """An 18-character resident ID number with a valid checksum, birth date and region."""
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(
            _("The ID number must have 18 characters (it has %(count)d)."),
            code="id_length",
            params={"count": len(number)},
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise ValidationError(
            _("The ID number may only hold digits, and X as its last character."),
            code="id_format",
        )
    try:
        ric.validate(number)
    except stdnum_errors.InvalidChecksum:
        raise ValidationError(
            _("The ID number's check digit is wrong; check for a mistyped digit."),
            code="id_checksum",
        ) from None
    except stdnum_errors.ValidationError:
        raise ValidationError(
            _("The ID number holds no valid birth date or region code."),
            code="id_component",
        ) from None
    return number


def id_number_birth_date(number):
    return ric.get_birth_date(number)


def id_number_gender(number):
    """The 17th digit is odd for men and even for women."""
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


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
