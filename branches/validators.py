"""Validators shared by every app that stores contact details."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# Area code 0xx or 0xxx, a 7- or 8-digit number, optionally an extension.
LANDLINE_RE = re.compile(r"^0\d{2,3}-?[2-9]\d{6,7}(-\d{1,6})?$")

_FULL_WIDTH = str.maketrans("０１２３４５６７８９－（）＋", "0123456789-()+")


def normalize_phone(value):
    """Full-width digits become ASCII; spaces go; a +86 prefix goes."""
    value = (value or "").translate(_FULL_WIDTH)
    value = re.sub(r"\s+", "", value)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    return value.replace("(", "").replace(")", "-").lstrip("-")


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
