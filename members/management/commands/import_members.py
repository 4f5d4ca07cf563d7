from members.importing import ROSTER_IMPORT
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import table 1-1, the roster of new members, from an .xlsx file: all or nothing, "
        "rejected rows named by their Excel row number, exit status 1 when any is rejected."
    )
    table_import = ROSTER_IMPORT
