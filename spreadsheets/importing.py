"""Running a django-import-export resource over an uploaded table, all or nothing.

Commands and admin pages call :meth:`TableImport.run`. It reads the workbook safely, hands the
rows to the resource inside one transaction, and turns every rejection into a :class:`RowError`
naming the row as Excel shows it. Any rejected row rolls the whole import back; a dry run always
rolls back.
"""

import logging
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from datetime import date

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, InterfaceError, OperationalError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.results import Result

from spreadsheets.reader import (
    ROW_NUMBER,
    SpreadsheetError,
    as_text,
    iter_table,
    read_table,
)
from spreadsheets.tables import OfficialTable, register
from spreadsheets.writer import Column, Kind, TableWriter

logger = logging.getLogger(__name__)

#: the column an error report adds after the table's own
ERROR_COLUMN = "错误原因"
#: failures of the database itself, never of a row: the connection dropped, the server went away
INFRASTRUCTURE_ERRORS = (OperationalError, InterfaceError)
#: rejected rows kept for the user; the count of all of them is always given
MAX_REPORTED_ERRORS = 1000


def database_failure_message():
    return _("The database connection was interrupted; nothing was imported. Please try again.")


@dataclass(frozen=True)
class RowError:
    row: int | None  # the row number Excel shows; None for the file as a whole
    message: str
    person: str = ""  # who the row is about (its 姓名), when the table names people

    def __str__(self):
        if self.row is None:
            return self.message
        if self.person:
            return _("Row %(row)d (%(person)s): %(message)s") % {
                "row": self.row,
                "person": self.person,
                "message": self.message,
            }
        return _("Row %(row)d: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class ImportOutcome:
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    ignored_columns: list = field(default_factory=list)
    #: rows written to the error report, when one was asked for and rows were rejected
    error_report_rows: int = 0
    #: the database (not the file) failed; ``errors`` then holds one message saying so
    failed: bool = False
    #: rows rejected in all, also those beyond the errors kept
    rejected: int = 0

    @property
    def ok(self):
        return not self.errors

    @property
    def written(self):
        """Whether anything was saved: only a real run without a single error saves."""
        return self.ok and not self.dry_run

    @property
    def file_refused(self):
        """Whether the file as a whole was refused, before any row was read."""
        return any(error.row is None for error in self.errors) and not self.total

    def ignored_note(self):
        """What a dry run says of the columns the table does not know, or ''."""
        if not self.ignored_columns:
            return ""
        return _("Columns ignored: %(names)s.") % {"names": "、".join(self.ignored_columns)}

    def summary(self):
        if self.failed:
            return database_failure_message()
        if self.file_refused:
            return _("The file was not imported: %(reason)s") % {
                "reason": "；".join(e.message for e in self.errors if e.row is None)
            }
        if not self.ok:
            return _("%(count)d row(s) rejected out of %(total)d; nothing was imported.") % {
                "count": self.rejected or len({e.row for e in self.errors}),
                "total": self.total,
            }
        if self.dry_run:
            return _(
                "Dry run: all %(total)d row(s) are valid (%(created)d new, %(updated)d updated); "
                "nothing was saved yet."
            ) % {"total": self.total, "created": self.created, "updated": self.updated}
        return _("Imported %(total)d row(s): %(created)d new, %(updated)d updated.") % {
            "total": self.total,
            "created": self.created,
            "updated": self.updated,
        }


class LeanResult(Result):
    """import-export's result without a record per accepted row: memory stays flat with the
    file. The totals, and the rejected rows with their errors, are kept."""

    def append_row_result(self, row_result):
        pass


class TableResourceMixin:
    """For resources fed by :class:`TableImport`: knows the user and the Excel row numbers."""

    #: model attribute -> column name, so that messages name the column the user sees
    column_labels = {}

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @classmethod
    def get_result_class(cls):
        return LeanResult

    @staticmethod
    def excel_row(row):
        return row.get(ROW_NUMBER)


class SpooledDataset(tablib.Dataset):
    """A dataset whose rows wait in a temporary file, not in memory.

    For resources that only iterate the dataset (as often as they like) and read its headers:
    memory then does not grow with the file. Each iteration reads the file afresh.
    """

    #: rows pickled together: one call per chunk, not per row, and still a small chunk in memory
    CHUNK = 500

    def __init__(self, *, headers):
        super().__init__(headers=headers)
        handle, self._path = tempfile.mkstemp(prefix="import-", suffix=".rows")
        self._writer = os.fdopen(handle, "wb")
        self._count = 0
        self._pending = []

    def append(self, row, tags=()):
        self._pending.append(tuple(row))
        self._count += 1
        if len(self._pending) >= self.CHUNK:
            self._spill()

    def _spill(self):
        if self._pending:
            pickle.dump(self._pending, self._writer, protocol=pickle.HIGHEST_PROTOCOL)
            self._pending = []

    def __len__(self):
        return self._count

    height = property(__len__)

    def __iter__(self):
        self._spill()
        self._writer.flush()
        with open(self._path, "rb") as reader:
            left = self._count
            while left > 0:
                chunk = pickle.load(reader)
                left -= len(chunk)
                yield from chunk

    def close(self):
        self._writer.close()
        os.unlink(self._path)


@dataclass(frozen=True)
class TableImport:
    """One importable official table: its columns and the resource that stores its rows."""

    name: str
    title: object
    columns: tuple
    required: tuple
    resource_class: type
    help_text: object = ""
    #: other names people and other systems give the columns: alias -> column
    aliases: dict = field(default_factory=dict)
    #: the column naming the person a row is about (姓名), so that errors can name them too
    person_column: str = ""

    def __post_init__(self):
        register(
            OfficialTable(
                kind=self.template_kind,
                title=lambda organization, **options: str(self.title),
                columns=tuple(Column(name, Kind.TEXT, 16) for name in self.columns),
                rows=lambda organization, user=None: iter(()),
                count=lambda organization, user=None: 0,
                label=_template_label(self.title),
                public=False,
                stampable=False,
                filename=lambda organization, **options: f"{self.name}-template",
            )
        )

    @property
    def template_kind(self):
        """The export log's name for this table's empty template."""
        return f"{self.name}_template"

    @property
    def error_report_kind(self):
        """The export log's name for an error report of this table."""
        return f"{self.name}_errors"

    #: where this import is defined, so that a background worker can rebuild it:
    #: (dotted path of a TableImport or of a function returning one, its keyword arguments)
    origin: tuple = None
    #: keep the rows on disk (:class:`SpooledDataset`): for resources that only iterate them
    spooled: bool = False

    def read(self, file):
        return read_table(file, self.columns, self.required, self.aliases)

    def run(self, file, *, user=None, dry_run=False, on_progress=None, error_report=None):
        """Import ``file``; nothing is written unless every row is accepted and not ``dry_run``.

        The rows stream from the file into the dataset the resource checks; ``on_progress(count)``
        is called as rows are read. A failure of the database is reported as such, never as a
        rejected row, and logged with its cause. When rows are rejected and ``error_report``
        (a path) is given, the error report is written there (:func:`write_error_report`).
        """
        outcome = ImportOutcome(dry_run=dry_run)
        headers = [ROW_NUMBER, *self.columns]
        dataset = (
            SpooledDataset(headers=headers) if self.spooled else tablib.Dataset(headers=headers)
        )
        try:
            return self._run(dataset, outcome, file, user, dry_run, on_progress, error_report)
        finally:
            if self.spooled:
                dataset.close()

    def _run(self, dataset, outcome, file, user, dry_run, on_progress, error_report):
        try:
            rows = iter_table(file, self.columns, self.required, self.aliases, on_row=on_progress)
            outcome.ignored_columns = list(rows.ignored)
            for number, record in rows:
                dataset.append([number, *(record.get(column, "") for column in self.columns)])
        except SpreadsheetError as exc:
            outcome.errors.append(RowError(None, str(exc)))
            return outcome
        outcome.total = len(dataset)
        try:
            resource = self.resource_class(user=user)
            result = resource.import_data(
                dataset,
                dry_run=dry_run,
                raise_errors=False,
                use_transactions=True,
                rollback_on_validation_errors=True,
            )
        except INFRASTRUCTURE_ERRORS as exc:
            return self._failed(outcome, exc)
        causes = [error.error for error in result.base_errors] + [
            error.error for error_row in result.error_rows for error in error_row.errors
        ]
        for cause in causes:
            if isinstance(cause, INFRASTRUCTURE_ERRORS):
                return self._failed(outcome, cause)
        rejected = {e.number for e in result.error_rows} | {i.number for i in result.invalid_rows}
        excel_rows, people = {}, {}
        person = 1 + self.columns.index(self.person_column) if self.person_column else None
        if rejected:
            for index, values in enumerate(dataset, 1):
                if index in rejected:
                    excel_rows[index] = values[0]
                    if person is not None:
                        people[values[0]] = as_text(values[person])
        labels = resource.column_labels
        errors = []

        def row_error(number, message):
            row = excel_rows[number]
            return RowError(row, message, people.get(row, ""))

        for error in result.base_errors:
            errors.append(RowError(None, _describe(error.error)))
        for error_row in result.error_rows:
            for error in error_row.errors:
                errors.append(row_error(error_row.number, _describe(error.error)))
        for invalid in result.invalid_rows:
            for message in _validation_messages(invalid.error, labels):
                errors.append(row_error(invalid.number, message))
        errors.sort(key=lambda e: e.row or 0)
        outcome.rejected = len({e.row for e in errors if e.row is not None})
        outcome.errors = errors[:MAX_REPORTED_ERRORS]
        if errors and error_report is not None:
            outcome.error_report_rows = write_error_report(self, dataset, errors, error_report)
        totals = result.totals
        outcome.created = totals.get("new", 0)
        outcome.updated = totals.get("update", 0)
        return outcome

    def _failed(self, outcome, cause):
        logger.error(
            "Import of %s stopped: the database failed (%s: %s); nothing was written.",
            self.name,
            type(cause).__name__,
            cause,
            exc_info=cause,
        )
        outcome.failed = True
        outcome.created = outcome.updated = 0
        outcome.errors = [RowError(None, database_failure_message())]
        return outcome


def write_error_report(table_import, dataset, errors, target):
    """Every row of the file (``dataset``: the row number, then the table's columns) with
    错误原因 beside each rejected row, naming what is wrong: corrected, the report imports
    whole (the import ignores the extra column, and an import is all or nothing, so the
    accepted rows must come along). Returns the number of rows written."""
    reasons = {}
    for error in errors:
        if error.row is not None:
            reasons.setdefault(error.row, []).append(error.message)
    columns = [Column(name, Kind.TEXT, 16) for name in table_import.columns]
    title = _("Error report: %(table)s") % {"table": table_import.title}
    with TableWriter(
        target, title=title, columns=[*columns, Column(ERROR_COLUMN, Kind.TEXT, 60)]
    ) as writer:
        width = len(table_import.columns)
        for number, *values in dataset:
            # A resource may add columns of its own to the dataset: the file's come first.
            cells = [_as_cell(value) for value in values[:width]]
            writer.write_row([*cells, "；".join(reasons.get(number, []))])
        return writer.rows_written


def _template_label(title):
    return format_lazy("{}{}", gettext_lazy("Empty template: "), title)


def _as_cell(value):
    return value.isoformat() if isinstance(value, date) else as_text(value)


def _describe(error):
    if isinstance(error, ValidationError):
        return "；".join(error.messages)
    if isinstance(error, IntegrityError):
        return _("This row conflicts with a record that already exists.")
    if isinstance(error, (ValueError, SpreadsheetError)):
        return str(error)
    logger.exception("Unexpected error while importing a row", exc_info=error)
    return _("This row could not be imported (%(kind)s).") % {"kind": type(error).__name__}


def _validation_messages(error, labels):
    if not hasattr(error, "error_dict"):
        return list(error.messages)
    messages = []
    for attribute, errors in error.error_dict.items():
        for item in errors:
            for text in item.messages if hasattr(item, "messages") else [str(item)]:
                if attribute == NON_FIELD_ERRORS:
                    messages.append(text)
                else:
                    label = labels.get(attribute, attribute)
                    messages.append(f"{label}：{text}")
    return messages


DRY_RUN_HELP = gettext_lazy("Check every row and report errors without saving anything.")
