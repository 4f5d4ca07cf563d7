"""The one door through which a file leaves the system, as the apps below ``reports`` see it.

Every view that returns a file (an official table, a look-up's answer, a class's template, a
stored submission or background export) returns :func:`export_response`. The function behind it
lives in :mod:`reports.submissions.exporting`, because the export log, the background jobs and the stamps
are the reports app's; ``reports`` installs it when it is ready. ``members`` (which must not
import ``reports``) depends only on this module, and a project without ``reports`` fails loudly
here instead of letting files leave unlogged.
"""

from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured

_export = None


@dataclass(frozen=True)
class StoredFile:
    """A file already written (a submission's table, a finished background export, an import's
    error report): ``file`` has ``open()`` and ``name`` (a FieldFile or a ``pathlib.Path``)."""

    file: object
    rows: int
    stamped: bool = False


def install(function):
    """Called once by the app that owns the export log (``reports``)."""
    global _export
    _export = function


def export_response(request, **kwargs):
    """The response that hands a file to ``request.user``, logged; see
    :func:`reports.submissions.exporting.export_response` for the arguments."""
    if _export is None:
        raise ImproperlyConfigured("No export function is installed: add 'reports' to the apps.")
    return _export(request, **kwargs)
