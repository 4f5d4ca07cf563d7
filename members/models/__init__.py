"""Members, their development numbers and their moves; one module per topic."""

from members.divisions import county_division_name  # noqa: F401
from members.models.lookups import LookupLog  # noqa: F401
from members.models.member import (  # noqa: F401
    BRANCH_KINDS,
    Member,
    MemberQuerySet,
    add_months,
    age_limit_birth_date,
    age_limit_date,
    entry_deadline_for,
    name_initials,
)
from members.models.moves import Move, MoveQuerySet  # noqa: F401
from members.models.numbers import (  # noqa: F401
    IssuedNumber,
    NumberRange,
    NumberStatus,
    UnusedNumber,
    format_number,
    format_span,
)
from members.models.status import (  # noqa: F401
    AGE_LIMIT,
    EXITS,
    IN_LEAGUE,
    NEEDS_APPROVAL,
    MemberStatus,
    StatusChange,
)
from members.models.tallies import TALLY_FIELDS, OrganizationTally  # noqa: F401
