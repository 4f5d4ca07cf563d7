"""Identity document numbers (证件号码): GB 11643 and the documents that share its shape.

Four kinds of document carry an 18-character number with the GB 11643 check digit, birth date
and gender digit: the resident identity card (居民身份证), the residence permits for residents
of Hong Kong, Macao (81, 82) and Taiwan (83), and the foreigner's permanent residence identity
card of 2023 (9 followed by the issuing province). Their region code is informative only:
codes are created and abolished while people keep their numbers, so an unknown or historical
county code is a note, never a reason to refuse. Other documents (其他) are checked for their
length only.

Every function here raises nothing but ``ValidationError`` whatever it is given.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.choices import DocumentType, Gender
from members.divisions import county_division_name

_FULL_WIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_SPACES = re.compile(r"[\s\u3000]+")
# Characters that paste in unseen: zero-width and bidirectional marks, soft hyphens, BOMs.
_INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Excel's marker for "this cell is text", typed or pasted along with the number.
_TEXT_MARKERS = "'‘’`"

_WEIGHTS = tuple(2 ** (17 - i) % 11 for i in range(17))
_CHECK_CHARACTERS = "10X98765432"

#: two-digit province codes of GB/T 2260, with 71 (Taiwan) as the resident card allows it
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "  # noqa: SIM905
    "61 62 63 64 65 71".split()
)
#: first two digits of the residence permits' numbers
PERMIT_PREFIXES = {
    DocumentType.HONG_KONG_MACAO_PERMIT: frozenset({"81", "82"}),
    DocumentType.TAIWAN_PERMIT: frozenset({"83"}),
}
OTHER_MIN_LENGTH = 5
OTHER_MAX_LENGTH = 18
_OTHER_RE = re.compile(r"^[0-9A-Z()（）\-]+$")


def normalize_id_number(value):
    """Apply the stated rule: no invisible characters, no text marker, half-width, no spaces,
    upper case."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isalnum() and value.upper() == value:
        return value  # already in the stated form (the common case, asked several times a row)
    text = _INVISIBLE.sub("", str(value)).strip().lstrip(_TEXT_MARKERS)
    return _SPACES.sub("", text.translate(_FULL_WIDTH)).upper()


def had_invisible_characters(value):
    """Whether ``value`` held characters that normalisation removed without a trace on screen."""
    return bool(value) and bool(_INVISIBLE.search(str(value)))


def check_character(body):
    """The GB 11643 (ISO 7064 MOD 11-2) check character of a 17-digit body."""
    return _CHECK_CHARACTERS[sum(int(d) * w for d, w in zip(body, _WEIGHTS, strict=True)) % 11]


def infer_document_type(number):
    """The kind of document an 18-character number belongs to, read from its first digits."""
    number = normalize_id_number(number)
    for kind, prefixes in PERMIT_PREFIXES.items():
        if number[:2] in prefixes:
            return DocumentType(kind)
    if number[:1] == "9":
        return DocumentType.FOREIGN_PERMANENT_RESIDENCE
    return DocumentType.RESIDENT_ID


def birth_date_of(number):
    """The birth date an 18-character number holds, or None when it holds no real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, TypeError):
        return None


def gender_of(number):
    """The 17th digit is odd for men and even for women."""
    return Gender.MALE if int(number[16]) % 2 else Gender.FEMALE


def _region_is_known(number, document_type):
    if document_type == DocumentType.FOREIGN_PERMANENT_RESIDENCE:
        return number[0] == "9" and number[1:3] in PROVINCE_CODES
    if document_type in PERMIT_PREFIXES:
        return number[:2] in PERMIT_PREFIXES[document_type]
    return number[:2] in PROVINCE_CODES


def _validate_other(number):
    if not OTHER_MIN_LENGTH <= len(number) <= OTHER_MAX_LENGTH or not _OTHER_RE.match(number):
        raise ValidationError(
            _(
                "A document number of another kind has %(min)d to %(max)d letters, digits, "
                "brackets or hyphens."
            ),
            code="id_other",
            params={"min": OTHER_MIN_LENGTH, "max": OTHER_MAX_LENGTH},
        )
    return number


def validate_id_number(value, document_type=None, *, today=None):
    """The normalised number if it is valid for ``document_type`` (inferred when None);
    ValidationError otherwise, with one message a person can act on."""
    number = normalize_id_number(value)
    if document_type == DocumentType.OTHER:
        return _validate_other(number)
    if len(number) == 15 and number.isdigit():
        raise ValidationError(
            _("This is a first-generation 15-digit ID number; enter the 18-character number."),
            code="id_length",
        )
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
    if check_character(number[:17]) != number[17]:
        raise ValidationError(
            _("The ID number's check digit is wrong; check for a mistyped digit."),
            code="id_checksum",
        )
    kind = DocumentType(document_type or infer_document_type(number))
    if not _region_is_known(number, kind):
        raise ValidationError(
            _("The number does not begin as a %(kind)s number does (it begins with %(start)s).")
            % {"kind": kind.label, "start": number[:2]},
            code="id_region",
        )
    born = birth_date_of(number)
    if born is None:
        raise ValidationError(
            _("The ID number holds no real birth date (%(digits)s)."),
            code="id_birth_date",
            params={"digits": number[6:14]},
        )
    if born > (today or date.today()):
        raise ValidationError(
            _("The birth date in the ID number (%(date)s) lies in the future."),
            code="id_birth_date",
            params={"date": born.isoformat()},
        )
    return number


def id_number_notes(number, document_type=None):
    """Remarks on a valid number that are worth showing but never a reason to refuse."""
    number = normalize_id_number(number)
    kind = document_type or infer_document_type(number)
    if kind != DocumentType.RESIDENT_ID or len(number) != 18:
        return []
    region = number[:6]
    if county_division_name(region):
        return []
    return [
        _(
            "Region code %(code)s is not in the current division table (it may have been "
            "abolished or renamed); the number is accepted."
        )
        % {"code": region}
    ]
