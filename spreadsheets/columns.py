"""A column of an official table, declared once: what both the export and the import build on.

A table module (``members/tables/roster.py``, ``branches/tables/organizations.py``, ...) lists
its :class:`TableColumn` objects once. From that one list come the writer's columns, the header,
the aliases and the required columns an import reads, the django-import-export fields of its
resource (:func:`resource_fields`) and the cells of an exported row (:func:`rows_from_values`).
"""

from dataclasses import dataclass, field

from import_export import fields

from spreadsheets.widgets import ChoiceLabelWidget, TextWidget, chinese_labels
from spreadsheets.writer import Column, Kind


def _plain(value):
    return value


def _text(value):
    return "" if value is None else str(value)


@dataclass(frozen=True)
class TableColumn:
    """One column: its header text, the type and width of its cells, and how it is read and
    written.

    ``source`` is the ``values_list`` lookup the export reads (None when the export computes the
    cell); ``attribute`` the model field the import sets and that messages name by this column
    (None for columns only people read); ``choices`` the ``TextChoices`` written by Chinese label;
    ``widget`` builds the django-import-export widget that cleans a cell (default: by label for
    choices, else text); ``render`` turns a stored value into its cell (default: by label for
    choices, dates as they are, anything else as text); ``aliases`` what other templates
    (智慧团建's among them) call the same column.
    """

    name: str
    source: str | None = None
    attribute: str | None = None
    kind: str = Kind.TEXT
    width: float = 14
    choices: type | None = None
    widget: object = None
    field_class: type = fields.Field
    render: object = None
    required: bool = False
    aliases: tuple = field(default=())

    @property
    def header(self):
        return self.name

    @property
    def writer_column(self):
        return Column(self.name, self.kind, self.width)

    def make_widget(self):
        if self.widget is not None:
            return self.widget()
        if self.choices is not None:
            return ChoiceLabelWidget(self.choices, label=self.name, allow_blank=not self.required)
        return TextWidget()

    def import_field(self):
        return self.field_class(
            attribute=self.attribute, column_name=self.name, widget=self.make_widget()
        )

    def renderer(self):
        if self.render is not None:
            return self.render
        if self.choices is not None:
            labels = {value: label for label, value in chinese_labels(self.choices).items()}
            return lambda value: labels.get(value, "")
        if self.kind in (Kind.DATE, Kind.DATETIME, Kind.INTEGER, Kind.PERCENT, Kind.DECIMAL):
            return _plain
        return _text


def header(columns):
    return tuple(column.name for column in columns)


def writer_columns(columns):
    return tuple(column.writer_column for column in columns)


def required(columns):
    return tuple(column.name for column in columns if column.required)


def aliases(columns):
    """Alias -> column name, for every column."""
    return {alias: column.name for column in columns for alias in column.aliases}


def field_headers(columns):
    """Model attribute -> column name, so that messages name the column the user sees."""
    return {column.attribute: column.name for column in columns if column.attribute}


def resource_fields(columns, *, only=None):
    """The import resource's fields of ``columns`` (those with an attribute), by attribute.

    A resource copies them in its ``__init__`` (see :class:`ColumnsResourceMixin`) or its class
    is built with them (``type(name, bases, resource_fields(...))``).
    """
    return {
        column.attribute: column.import_field()
        for column in columns
        if column.attribute and (only is None or column.attribute in only)
    }


class ColumnsResourceMixin:
    """For a resource whose fields come from a table's declaration: set ``table_columns`` (and
    optionally ``column_fields``, the attributes to take from it; default all with a widget).

    The declared fields replace the ones django-import-export derived from the model; messages
    name the columns (``column_labels``) from the same declaration.
    """

    table_columns = ()
    column_fields = None

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields.update(resource_fields(self.table_columns, only=self.column_fields))
        self.column_labels = {
            **field_headers(self.table_columns),
            "__all__": "",
            **type(self).column_labels,
        }


def rows_from_values(columns, records, *, serial=True):
    """Rows in column order from ``records`` (tuples of the sources of ``columns``, in order,
    without the serial column); with ``serial`` the first column numbers the rows from 1."""
    body = columns[1:] if serial else columns
    renderers = [column.renderer() for column in body]
    for number, record in enumerate(records, start=1):
        cells = [render(value) for render, value in zip(renderers, record, strict=True)]
        yield [number, *cells] if serial else cells


def sources(columns, *, serial=True):
    body = columns[1:] if serial else columns
    return [column.source for column in body]
