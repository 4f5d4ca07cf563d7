"""Table 1-2, 学校学生团员数量情况表, and the import of the education department's figures.

Both sides are built from one declaration of :class:`~spreadsheets.columns.TableColumn`: the
education department's five columns are columns of table 1-2 and the import's fields come from
them, so the export and the import cannot drift apart.
"""

import functools

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from branches import access
from branches.models import Organization
from members.watch import guard_write
from reports import schools
from reports.models import EducationCount
from reports.models.schools import normalize_education_code
from reports.schools.changes import education_records, education_snapshot
from reports.tables.base import OfficialTable, register
from spreadsheets import columns
from spreadsheets.columns import ColumnsResourceMixin, TableColumn
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import as_text
from spreadsheets.widgets import TextWidget, chinese_label
from spreadsheets.writer import Kind


class CountWidget(TextWidget):
    """A whole number of members, zero or more; Excel may store it as 12.0."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            raise ValueError(
                _("%(column)s must be a whole number.") % {"column": EDUCATION_COUNT.name}
            )
        if isinstance(value, (int, float)):
            number = value
        else:
            text = as_text(value).replace(",", "").replace("，", "")
            if text == "":
                raise ValueError(_("%(column)s is required.") % {"column": EDUCATION_COUNT.name})
            try:
                number = float(text)
            except ValueError:
                number = None
        if number is None or number != int(number) or number < 0:
            raise ValueError(
                _("%(column)s must be a whole number of zero or more, not “%(value)s”.")
                % {"column": EDUCATION_COUNT.name, "value": value}
            )
        return int(number)


SERIAL = TableColumn("序号", kind=Kind.INTEGER, width=6)
SCHOOL_NAME = TableColumn("学校名称", attribute="school_name", width=30, required=True)
SCHOOL_CODE = TableColumn("学校标识码", attribute="school_code", width=16, required=True)
OWNERSHIP = TableColumn(
    "办学性质", attribute="ownership", width=10, choices=Organization.Ownership, required=True
)
CITY = TableColumn("所属设区市", attribute="city_name", width=14, required=True)
EDUCATION_COUNT = TableColumn(
    "教育系统统计数",
    attribute="education_count",
    kind=Kind.INTEGER,
    width=14,
    widget=CountWidget,
    required=True,
)
LEAGUE_COUNT = TableColumn("团内统计数", kind=Kind.INTEGER, width=12)
DIFFERENCE = TableColumn("差额", kind=Kind.INTEGER, width=10)
GAP_RATIO = TableColumn("差距比例", kind=Kind.PERCENT, width=10)
EXPLANATION = TableColumn("情况说明", width=40)

COLUMNS = (
    SERIAL,
    SCHOOL_NAME,
    SCHOOL_CODE,
    OWNERSHIP,
    CITY,
    EDUCATION_COUNT,
    LEAGUE_COUNT,
    DIFFERENCE,
    GAP_RATIO,
    EXPLANATION,
)

#: The education department's file: ``学校标识码, 学校名称, 办学性质, 所属设区市, 教育系统统计数``.
IMPORTED = (SCHOOL_CODE, SCHOOL_NAME, OWNERSHIP, CITY, EDUCATION_COUNT)
IMPORT_COLUMNS = columns.header(IMPORTED)
YEAR = "__year__"  # not a column of the file: the year the whole file is imported for


# --- export ---------------------------------------------------------------------------------------


def _year(year):
    if year in (None, ""):
        return schools.latest_year()
    try:
        return int(year)
    except (TypeError, ValueError):
        return schools.latest_year()


def title(organization, year=None, **options):
    year = _year(year)
    prefix = f"{year}年" if year else ""
    return f"{prefix}学校学生团员数量情况表（{organization.name}）"


def line_cells(index, line):
    """One row of table 1-2 in column order."""
    return [
        index,
        line.name,
        line.school_code,
        chinese_label(Organization.Ownership, line.ownership),
        line.city,
        line.education,
        line.league,
        line.difference,
        line.ratio,
        line.explanation or "",
    ]


def rows(organization, user=None, year=None, **options):
    """Private schools first, then public; schools known only to the education figures too.

    ``organization`` is already in the user's scope (the command and the view check it), and
    every school listed lies in its subtree or, absent from the tree, in one of its cities.
    """
    if user is not None and not access.is_in_scope(user, organization):
        return
    lines = schools.school_lines(organization, _year(year))
    for index, line in enumerate(lines, start=1):
        yield line_cells(index, line)


def count(organization, user=None, year=None, **options):
    return len(schools.school_lines(organization, _year(year), explanations=False))


SCHOOL_COUNTS = register(
    OfficialTable(
        kind="school_counts",
        title=title,
        columns=columns.writer_columns(COLUMNS),
        rows=rows,
        count=count,
        options=("year",),
        label=gettext_lazy("School student members (table 1-2)"),
    )
)


# --- import ---------------------------------------------------------------------------------------


class EducationCountResource(ColumnsResourceMixin, TableResourceMixin, resources.ModelResource):
    """One year's figures; the rows of the file replace the year's previous set. Its fields come
    from the columns of table 1-2 the education department's file shares."""

    table_columns = IMPORTED
    year = fields.Field(attribute="year", column_name=YEAR)

    column_labels = {"year": "年度"}

    class Meta:
        model = EducationCount
        import_id_fields = ["year", "school_code"]
        fields = ["year", "school_code", "school_name", "ownership", "city_name", "education_count"]
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def __init__(self, *, year, **kwargs):
        super().__init__(**kwargs)
        self.year = year

    def before_import(self, dataset, **kwargs):
        if self.user is not None and not access.can(self.user, access.Capability.IMPORT_EDUCATION):
            raise ValidationError(_("Only provincial staff import the education figures."))
        self.first_row_of = {}
        self.imported_at = timezone.now()
        self.figures_before = education_snapshot(self.year)
        dataset.append_col([self.year] * len(dataset), header=YEAR)

    def before_import_row(self, row, **kwargs):
        code = normalize_education_code(as_text(row.get(SCHOOL_CODE.name)))
        row[SCHOOL_CODE.name] = code
        number = self.excel_row(row)
        if not code:
            raise ValidationError(_("%(column)s is required.") % {"column": SCHOOL_CODE.name})
        first = self.first_row_of.setdefault(code, number)
        if first != number:
            raise ValidationError(
                _("The school code %(code)s appears again (first at row %(first)d).")
                % {"code": code, "first": first}
            )
        for column in (SCHOOL_NAME.name, CITY.name):
            if not as_text(row.get(column)):
                raise ValidationError(_("%(column)s is required.") % {"column": column})

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        instance.imported_at = self.imported_at
        instance.imported_by = self.user if getattr(self.user, "pk", None) else None

    def after_import(self, dataset, result, **kwargs):
        """Replace the year's set: schools missing from the file leave it."""
        if result.has_errors() or result.has_validation_errors():
            return
        # Every row of the file was saved with this import's time stamp.
        EducationCount.objects.for_year(self.year).exclude(imported_at=self.imported_at).delete()
        # Schools whose figures changed after a submission holding them was accepted are
        # recorded for the level above, or, under the campaign's lock, refuse the whole import.
        guard_write(
            kind="education_count",
            action="changed",
            records=education_records(
                self.year, self.figures_before, education_snapshot(self.year)
            ),
            user=self.user,
        )


def education_import(year):
    """The import of the education department's figures for ``year``."""
    return TableImport(
        name="education_counts",
        title=gettext_lazy("Education department's school counts"),
        columns=IMPORT_COLUMNS,
        required=IMPORT_COLUMNS,
        resource_class=functools.partial(EducationCountResource, year=year),
        origin=("reports.tables.school_counts.education_import", {"year": year}),
        help_text=gettext_lazy(
            "One year's figures: importing a year again replaces that year's figures. "
            "办学性质: 公办 or 民办. School codes are matched with the organisations' codes, "
            "spaces ignored; a school without an organisation is kept as an organisational blank."
        ),
    )


def current_year():
    return timezone.localdate().year
