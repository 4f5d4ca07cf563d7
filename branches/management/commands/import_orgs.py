from branches.importing import ORGANIZATION_IMPORT
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import organisations (组织代码, 组织名称, 上级组织代码, 组织类型, 所属领域, ...)."
    table_import = ORGANIZATION_IMPORT
