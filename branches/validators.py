"""Validators shared by every app that stores contact details and identities."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as NumberError

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, a 7- or 8-digit number, optionally an extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")

# An extension written out after the number: 转123, 分机123, ext. 123, x123, #123.
_EXTENSION_RE = re.compile(r"(?:转|分机|ext\.?|x|#)(\d{1,6})$", re.IGNORECASE)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９－（）＋", "0123456789-()+")


def normalize_phone(value):
    """One way of writing each number: full-width digits become ASCII, spaces and a +86 prefix
    go, a mobile number loses its hyphens (139-0591-0002), a landline reads 0591-87654321 and
    an extension (转123, 分机123, ext. 123) follows as -123."""
    value = (value or "").translate(_FULL_WIDTH)
    value = re.sub(r"\s+", "", value)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    value = value.replace("(", "").replace(")", "-").lstrip("-")
    extension = ""
    match = _EXTENSION_RE.search(value)
    if match:
        value, extension = value[: match.start()], match.group(1)
    digits = value.replace("-", "")
    if digits.isdigit():
        if MOBILE_RE.match(digits):
            value = digits
        elif digits.startswith("0") and 10 <= len(digits) <= 12:
            area = digits[:3] if digits[1] in "12" else digits[:4]
            value = f"{area}-{digits[len(area) :]}"
    return f"{value}-{extension}" if extension else value


def validate_phone(value):
    """A mainland mobile number, or a landline with its area code (0591-87517537)."""
    phone = normalize_phone(value)
    if not (MOBILE_RE.match(phone) or LANDLINE_RE.match(phone)):
        raise ValidationError(
            _(
                "Enter a mainland mobile number or a landline with its area code, such as 0591-87517537."
            ),
            code="invalid_phone",
        )


_ID_NUMBER_RE = re.compile(r"^\d{17}[\dX]$")


def normalize_id_number(value):
    """An ID number as stored: no white space, half-width characters, an upper-case X."""
    value = (value or "").translate(_FULL_WIDTH).replace("Ｘ", "X").replace("ｘ", "X")
    return "".join(value.split()).upper()


def id_number_birth_date(value):
    """The birth date an 18-character ID number carries, or None when it carries none."""
    try:
        return ric.get_birth_date(value)
    except (NumberError, ValueError):
        return None


def validate_id_number(value):
    """An 18-character ID number (GB 11643): 17 digits and a check character that agrees,
    with a real birth date. The county code is not checked: codes change, people keep theirs."""
    number = normalize_id_number(value)
    if not _ID_NUMBER_RE.match(number) or ric.calc_check_digit(number) != number[-1]:
        raise ValidationError(
            _("Enter an 18-character ID number whose last character agrees with the others."),
            code="invalid_id_number",
        )
    if id_number_birth_date(number) is None:
        raise ValidationError(
            _("This ID number does not carry a real birth date."), code="invalid_id_number"
        )


_FULL_WIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")


def normalize_school_code(value):
    """School codes are compared without any white space and with half-width digits
    (spreadsheets carry stray spaces and full-width digits)."""
    return "".join((value or "").translate(_FULL_WIDTH_DIGITS).split())
