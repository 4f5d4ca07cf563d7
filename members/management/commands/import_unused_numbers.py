from members.numbers.importing import UNUSED_NUMBER_IMPORT
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the unused-number register (序号, 发展团员编号, 号段, 所属团组织, 状态, 情况说明, "
        "登记时间); all or nothing, exit 1 on any bad row."
    )
    table_import = UNUSED_NUMBER_IMPORT
