"""The organisation tree as a table (``import_orgs`` and the admin's button): its columns,
declared once; the import (``branches/importing.py``) builds its fields from them.

``组织代码, 组织名称, 上级组织代码, 组织类型, 所属领域, 学校标识码, 办学性质, 毕业时间``: choices by their
Chinese labels, 毕业时间 as an Excel date or ``YYYY-MM-DD`` text, codes as text.
"""

from branches.models import Organization
from spreadsheets import columns
from spreadsheets.columns import TableColumn
from spreadsheets.widgets import DateWidget, TextWidget
from spreadsheets.writer import Kind

CODE = "组织代码"
NAME = "组织名称"
PARENT = "上级组织代码"
KIND = "组织类型"
SECTOR = "所属领域"
SCHOOL_CODE = "学校标识码"
OWNERSHIP = "办学性质"
GRADUATION = "毕业时间"

COLUMNS = (
    TableColumn(CODE, "code", "code", width=16, widget=TextWidget, required=True),
    TableColumn(NAME, "name", "name", width=28, widget=TextWidget, required=True),
    TableColumn(PARENT, "parent__code", "parent", width=16, required=True),
    TableColumn(KIND, "kind", "kind", width=14, choices=Organization.Kind, required=True),
    TableColumn(SECTOR, "sector", "sector", width=12, choices=Organization.Sector, required=True),
    TableColumn(SCHOOL_CODE, "school_code", "school_code", width=16, widget=TextWidget),
    TableColumn(OWNERSHIP, "ownership", "ownership", width=10, choices=Organization.Ownership),
    TableColumn(GRADUATION, "graduation_date", "graduation_date", Kind.DATE, 12, widget=DateWidget),
)
HEADER = columns.header(COLUMNS)
REQUIRED = columns.required(COLUMNS)
#: the organisation fields the import reads as they are (the parent is placed by code)
IMPORTED_FIELDS = ("code", "name", "kind", "sector", "school_code", "ownership", "graduation_date")
