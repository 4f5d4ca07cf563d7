"""Members, their development numbers and their moves; one module per topic."""

from members.models.member import (  # noqa: F401
    BRANCH_KINDS,
    Member,
    MemberQuerySet,
    add_months,
    entry_deadline_for,
    name_initials,
)
from members.models.numbers import (  # noqa: F401
    IssuedNumber,
    NumberRange,
    NumberStatus,
    UnusedNumber,
    format_number,
    format_span,
)
