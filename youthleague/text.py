"""Text a person types as a name: refused when it hides characters nobody can see.

Control characters, bidirectional overrides (U+202E turns "abc" into "cba" on screen), zero-width
spaces and joiners and other format characters make two names that look alike differ, or one
name look like another. They have no place in a name; the message names the field and the code
point, so that the user can find and delete it.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Cc control, Cf format (bidi controls, zero-width characters, soft hyphen), Zl/Zp line and
# paragraph separators, Cs lone surrogates, Co private use.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def hidden_characters(value):
    """The code points of ``value`` that are invisible or reorder the text, as ``U+XXXX``."""
    found = []
    for character in str(value or ""):
        if unicodedata.category(character) in HIDDEN_CATEGORIES:
            point = f"U+{ord(character):04X}"
            if point not in found:
                found.append(point)
    return found


@deconstructible
class VisibleTextValidator:
    """Refuses control, bidirectional and zero-width characters in the field ``label``."""

    code = "hidden_characters"

    def __init__(self, label):
        self.label = label

    def __call__(self, value):
        found = hidden_characters(value)
        if found:
            raise ValidationError(
                _(
                    "%(field)s contains invisible or control characters (%(points)s); "
                    "delete them and type it again."
                ),
                code=self.code,
                params={"field": self.label, "points": "、".join(found)},
            )

    def __eq__(self, other):
        return isinstance(other, VisibleTextValidator) and str(self.label) == str(other.label)
