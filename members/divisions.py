"""County-level divisions (GB/T 2260): the codes a move's destination outside the system names."""

import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import numdb

_COUNTY_CODE_RE = re.compile(r"^\d{6}$")
_PERIOD_RE = re.compile(r"^\[(\d{4})?-(\d{4})?\]")
# Names the division table gives to groupings that are not a county-level division of their own.
_PLACEHOLDER_NAMES = {
    "市辖区",
    "县",
    "省直辖县级行政单位",
    "省直辖县级行政区划",
    "自治区直辖县级行政区划",
}


def _current_name(entry):
    """The name a table entry carries today, or '' when the division was abolished.

    Entries read ``[1983-2019]桥东区,[2020-]襄都区``: periods with an open end are current.
    """
    if not entry:
        return ""
    last = entry.split(",")[-1]
    match = _PERIOD_RE.match(last)
    if match and match.group(2):
        return ""
    return last[match.end() :] if match else last


@functools.cache
def county_division_name(code):
    """The current name of a county-level division (GB/T 2260) such as 350128 (平潭县), or ''.

    The table is the one python-stdnum ships. A prefecture's own code (ending in 00) counts only
    for a prefecture-level city without counties (东莞市 441900), whose townships sit directly
    under it; abolished codes and groupings such as 市辖区 do not count.
    """
    if not isinstance(code, str) or not _COUNTY_CODE_RE.match(code) or code.endswith("0000"):
        return ""
    parts = dict(numdb.get("cn/loc").info(code))
    name = _current_name(parts.get(code[2:], {}).get("county", ""))
    if not name or name in _PLACEHOLDER_NAMES:
        return ""
    if code.endswith("00") and any(
        county_division_name(f"{code[:4]}{n:02d}") for n in range(1, 100)
    ):
        return ""
    province = dict(numdb.get("cn/loc").info(code)).get(code[:2], {}).get("province", "")
    return f"{province}{name}" if province and province != name else name


def validate_county_code(value):
    """A six-digit code of a county-level division that exists today."""
    if not _COUNTY_CODE_RE.match(value or ""):
        raise ValidationError(
            _("A county division code has exactly six digits, such as 350128."), code="format"
        )
    if not county_division_name(value):
        raise ValidationError(
            _("%(code)s is not the code of a county-level division (GB/T 2260) in use today.")
            % {"code": value},
            code="unknown",
        )
