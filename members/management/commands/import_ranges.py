from members.numbers.importing import RANGE_IMPORT
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import number ranges (组织代码, 起始编号, 终止编号); all or nothing, exit 1 on any bad row."
    table_import = RANGE_IMPORT
