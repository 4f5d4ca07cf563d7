"""Validators shared by every app that stores contact details."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

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
