"""Background work of the spreadsheets package (run by `manage.py db_worker`).

Each task is defined beside the work it runs (:mod:`spreadsheets.uploads`), so that queueing it
needs no import back from here; this module names them all in one place.
"""

from spreadsheets.uploads import run_import_job  # noqa: F401
