from members.moves.importing import MOVE_IMPORT
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = "Import moves of members (one row per member) from an .xlsx file."
    table_import = MOVE_IMPORT
