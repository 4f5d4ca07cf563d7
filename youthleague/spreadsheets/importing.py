"""Running a django-import-export resource over an uploaded table, all or nothing.

Commands and admin pages call :meth:`TableImport.run`. It reads the workbook safely, hands the
rows to the resource inside one transaction, and turns every rejection into a :class:`RowError`
naming the row as Excel shows it. Any rejected row rolls the whole import back; a dry run always
rolls back.
"""

import logging
from dataclasses import dataclass, field
from datetime import date

import tablib
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from youthleague.spreadsheets.reader import ROW_NUMBER, SpreadsheetError, as_text, read_table
from youthleague.spreadsheets.tables import OfficialTable, register
from youthleague.spreadsheets.writer import Column, Kind, TableWriter

logger = logging.getLogger(__name__)

#: the column an error report adds after the table's own
ERROR_COLUMN = "错误原因"


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
    #: (row number, {column: value}) of every row of a file with rejected rows: the error report
    rows: list = field(default_factory=list)

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
        if self.file_refused:
            return _("The file was not imported: %(reason)s") % {
                "reason": "；".join(e.message for e in self.errors if e.row is None)
            }
        if not self.ok:
            return _("%(count)d row(s) rejected out of %(total)d; nothing was imported.") % {
                "count": len({e.row for e in self.errors}),
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


class TableResourceMixin:
    """For resources fed by :class:`TableImport`: knows the user and the Excel row numbers."""

    #: model attribute -> column name, so that messages name the column the user sees
    column_labels = {}

    def __init__(self, *, user=None, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    @staticmethod
    def excel_row(row):
        return row.get(ROW_NUMBER)


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

    def read(self, file):
        return read_table(file, self.columns, self.required, self.aliases)

    def run(self, file, *, user=None, dry_run=False):
        """Import ``file``; nothing is written unless every row is accepted and not ``dry_run``."""
        outcome = ImportOutcome(dry_run=dry_run)
        try:
            table = self.read(file)
        except SpreadsheetError as exc:
            outcome.errors.append(RowError(None, str(exc)))
            return outcome
        outcome.ignored_columns = list(table.ignored)
        dataset = tablib.Dataset(headers=[ROW_NUMBER, *self.columns])
        for number, record in table.rows:
            dataset.append([number, *(record.get(column, "") for column in self.columns)])
        outcome.total = len(dataset)
        resource = self.resource_class(user=user)
        result = resource.import_data(
            dataset,
            dry_run=dry_run,
            raise_errors=False,
            use_transactions=True,
            rollback_on_validation_errors=True,
        )
        excel_rows = [row[0] for row in dataset]
        people = {}
        if self.person_column in self.columns:
            people = {n: as_text(r.get(self.person_column)) for n, r in table.rows}
        labels = resource.column_labels

        def row_error(number, message):
            row = excel_rows[number - 1]
            return RowError(row, message, people.get(row, ""))

        for error in result.base_errors:
            outcome.errors.append(RowError(None, _describe(error.error)))
        for error_row in result.error_rows:
            for error in error_row.errors:
                outcome.errors.append(row_error(error_row.number, _describe(error.error)))
        for invalid in result.invalid_rows:
            for message in _validation_messages(invalid.error, labels):
                outcome.errors.append(row_error(invalid.number, message))
        outcome.errors.sort(key=lambda e: e.row or 0)
        if outcome.errors:
            outcome.rows = table.rows
        totals = result.totals
        outcome.created = totals.get("new", 0)
        outcome.updated = totals.get("update", 0)
        return outcome


def write_error_report(table_import, outcome, target):
    """Every row of the file in the table's own columns plus 错误原因, which names what is
    wrong with each rejected row: corrected, the file imports whole (the import ignores the
    extra column, and an import is all or nothing, so the accepted rows must come along)."""
    reasons = {}
    for error in outcome.errors:
        if error.row is not None:
            reasons.setdefault(error.row, []).append(error.message)
    columns = [Column(name, Kind.TEXT, 16) for name in table_import.columns]
    title = _("Error report: %(table)s") % {"table": table_import.title}
    with TableWriter(
        target, title=title, columns=[*columns, Column(ERROR_COLUMN, Kind.TEXT, 60)]
    ) as writer:
        for number, record in outcome.rows:
            cells = [_as_cell(record.get(name, "")) for name in table_import.columns]
            writer.write_row([*cells, "；".join(reasons.get(number, []))])
    return target


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
