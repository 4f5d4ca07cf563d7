"""Moves of many members (学社衔接): the columns a class's graduates are listed and imported by,
declared once. The class's template (registered here) writes them and the move import
(``members/moves/importing.py``) reads them.
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import privacy
from members.models.moves import Reason
from members.moves.classes import class_members_with_moves
from spreadsheets import columns
from spreadsheets.columns import TableColumn
from spreadsheets.tables import OfficialTable, register
from spreadsheets.widgets import DateWidget, TextWidget
from spreadsheets.writer import Kind

SERIAL = "序号"
NAME = "姓名"
ID_NUMBER = "公民身份号码"
REASON = "流动原因"
MOVED_ON = "流动日期"
DESTINATION_CODE = "去向团组织代码"
COUNTY_CODE = "去向县级行政区划代码"
TOWNSHIP = "去向乡镇（街道）"
OTHER_PROVINCE = "去向省外团组织"
NOTE = "备注"

COLUMNS = (
    TableColumn(SERIAL, kind=Kind.INTEGER, width=6),
    TableColumn(NAME, attribute="name", width=10, required=True),
    TableColumn(ID_NUMBER, attribute="member", width=21, required=True),
    TableColumn(REASON, attribute="reason", width=10, choices=Reason, required=True),
    TableColumn(MOVED_ON, attribute="moved_on", kind=Kind.DATE, width=12, widget=DateWidget),
    TableColumn(DESTINATION_CODE, attribute="destination_organization", width=16),
    TableColumn(COUNTY_CODE, attribute="destination_county_code", width=14, widget=TextWidget),
    TableColumn(TOWNSHIP, attribute="destination_township", width=18, widget=TextWidget),
    TableColumn(
        OTHER_PROVINCE, attribute="destination_other_province", width=24, widget=TextWidget
    ),
    TableColumn(NOTE, attribute="note", width=24, widget=TextWidget),
)
HEADER = columns.header(COLUMNS)
REQUIRED = columns.required(COLUMNS)
WRITER_COLUMNS = columns.writer_columns(COLUMNS)
#: the move fields the import reads from the file as they are (the member and the destination
#: organisation are looked up by the import)
IMPORTED_FIELDS = (
    "reason",
    "moved_on",
    "destination_county_code",
    "destination_township",
    "destination_other_province",
    "note",
)


# --- a class's template ---------------------------------------------------------------------------


def _class_members(branch, user):
    return [m for m in class_members_with_moves(user=user, branch=branch) if not m.pending_move]


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
        columns=WRITER_COLUMNS,
        rows=_class_rows,
        count=lambda branch, user=None: len(_class_members(branch, user)),
        label=_("Destinations of the graduates of a class"),
        public=False,
        stampable=False,
        filename=lambda branch, **options: f"moves-{branch.code}-{timezone.localdate():%Y%m%d}",
    )
)
