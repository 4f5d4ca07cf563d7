from branches.tables.cadres import CADRE_IMPORT
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import the cadre register 团干部名册 (组织代码, 职务, 姓名, 任职性质, 任职时间, ...)."
    table_import = CADRE_IMPORT
