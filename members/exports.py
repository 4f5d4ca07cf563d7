"""The files the members app hands out besides the official tables: a look-up's answer and a
graduating class's template. Registered with the shared table registry, so that they leave
through the one export path (:mod:`spreadsheets.exporting`) like every table:
logged, and prepared by the task worker when large.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import privacy
from members.moves import services as moves
from members.moves import table as moves_table  # noqa: F401  (registration)
from members.moves.importing import TEMPLATE_COLUMNS
from members.numbers import lookup
from members.status import table as reaching_28_table  # noqa: F401  (registration)
from spreadsheets.tables import OfficialTable, register


def _lookup_rows(organization, user=None, lines=()):
    return lookup.lookup_rows(lookup.look_up(list(lines), user=user, downloaded=True))


def _lookup_count(organization, user=None, lines=()):
    return min(len(lines), lookup.LOOKUP_LIMIT)


LOOKUP = register(
    OfficialTable(
        kind="lookup",
        title=lambda organization, **options: str(_("Whereabouts of development numbers")),
        columns=lookup.LOOKUP_COLUMNS,
        rows=_lookup_rows,
        count=_lookup_count,
        options=("lines",),
        label=_("Whereabouts of development numbers"),
        public=False,
        stampable=False,
        filename=lambda organization, **options: f"lookup-{timezone.localtime():%Y%m%d-%H%M}",
    )
)


def _class_members(branch, user):
    return [
        m for m in moves.class_members_with_moves(user=user, branch=branch) if not m.pending_move
    ]


def _class_rows(branch, user=None):
    """One row per member of the class without a pending move, to fill in and import; ID
    numbers follow the class page's rule (whole only for those who edit the record)."""
    for serial, member in enumerate(_class_members(branch, user), start=1):
        yield [
            serial,
            member.name,
            privacy.id_number_for(user, member),
            "",
            branch.graduation_date,
            "",
            "",
            "",
            "",
            "",
        ]


CLASS_TEMPLATE = register(
    OfficialTable(
        kind="class_template",
        title=lambda branch, **options: str(
            _("Destinations of the graduates of %(name)s") % {"name": branch.name}
        ),
        columns=TEMPLATE_COLUMNS,
        rows=_class_rows,
        count=lambda branch, user=None: len(_class_members(branch, user)),
        label=_("Destinations of the graduates of a class"),
        public=False,
        stampable=False,
        filename=lambda branch, **options: f"moves-{branch.code}-{timezone.localdate():%Y%m%d}",
    )
)
