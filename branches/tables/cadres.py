"""The cadre register 团干部名册: its columns, declared once, and both directions built from them.

The export (``branches/exports.py``) writes these columns from one ``values_list`` query and the
import (``import_cadres`` and the admin's button) reads them through a resource generated from
the same declaration, so the two cannot drift apart: a register exported from the system imports
back unchanged.

A row is a cadre in post. It is found again by its organisation, position, name and start date:
importing an exported register updates those cadres, a row naming none of them adds a cadre.
Choices are written by their Chinese labels (职务 书记, 任职性质 兼职, ...), dates as Excel dates,
ID numbers, codes and phone numbers as text. 序号 and 组织名称 are for people; the import ignores
them. One rejected row rolls back the whole file.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from branches import access, services
from branches.models import Cadre, Organization
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import as_text
from spreadsheets.widgets import (
    ChoiceLabelWidget,
    DateWidget,
    TextWidget,
    chinese_labels,
)
from spreadsheets.writer import Column, Kind

TITLE = "团干部名册"

SERIAL = "序号"
ORG_CODE = "组织代码"
ORG_NAME = "组织名称"
POSITION = "职务"
NAME = "姓名"
GENDER = "性别"
ID_NUMBER = "公民身份号码"
BIRTH_DATE = "出生日期"
ETHNICITY = "民族"
EDUCATION = "学历"
PHONE = "联系电话"
POLITICAL_STATUS = "政治面貌"
NATURE = "任职性质"
PARTY_COMMITTEE = "是否同级党委委员"
START_DATE = "任职时间"
TERM = "届次"
TERM_END = "届满时间"

YES, NO = "是", "否"


class OrganizationCodeWidget(widgets.Widget):
    """An organisation named by its code, among ``organizations`` (the importing user's scope:
    a code outside it reads as unknown, so the answer does not tell what exists elsewhere)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.organizations = Organization.objects.all()
        self._found = {}

    def clean(self, value, row=None, **kwargs):
        code = as_text(value)
        if not code:
            raise ValueError(_("%(column)s is required.") % {"column": ORG_CODE})
        if code not in self._found:
            self._found[code] = self.organizations.filter(code=code).first()
        if self._found[code] is None:
            raise ValueError(_("Organisation %(code)s does not exist.") % {"code": code})
        return self._found[code]

    def render(self, value, obj=None, **kwargs):
        return value.code if value is not None else ""


class YesNoWidget(widgets.Widget):
    """是 or 否; an empty cell is 否."""

    TRUE = {YES, "Y", "YES", "TRUE", "1"}
    FALSE = {NO, "", "N", "NO", "FALSE", "0"}

    def clean(self, value, row=None, **kwargs):
        text = as_text(value).upper()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(
            _("“%(value)s” is not a valid %(column)s; use one of: %(options)s.")
            % {"value": as_text(value), "column": PARTY_COMMITTEE, "options": f"{YES}、{NO}"}
        )

    def render(self, value, obj=None, **kwargs):
        return YES if value else NO


@dataclass(frozen=True)
class CadreColumn:
    """One column of the register.

    ``source`` is the ``values_list`` lookup the export reads (None for 序号); ``attribute``
    the cadre field the import sets (None for columns only people read); ``widget`` builds the
    django-import-export widget that reads a cell; ``choices`` the ``TextChoices`` written by
    Chinese label.
    """

    header: str
    source: str | None
    attribute: str | None = None
    kind: str = Kind.TEXT
    width: float = 14
    choices: type | None = None
    widget: object = TextWidget
    required: bool = False
    aliases: tuple = field(default=())

    @property
    def writer_column(self):
        return Column(self.header, self.kind, self.width)

    def make_widget(self):
        if self.choices is not None:
            return ChoiceLabelWidget(self.choices, label=self.header, allow_blank=not self.required)
        return self.widget()


COLUMNS = (
    CadreColumn(SERIAL, None, kind=Kind.INTEGER, width=6),
    CadreColumn(
        ORG_CODE,
        "organization__code",
        "organization",
        width=16,
        widget=OrganizationCodeWidget,
        required=True,
        aliases=("团组织代码",),
    ),
    CadreColumn(ORG_NAME, "organization__name", width=28, aliases=("团组织名称", "所在团组织")),
    CadreColumn(POSITION, "position", "position", width=12, choices=Cadre.Position, required=True),
    CadreColumn(NAME, "name", "name", width=10, required=True),
    CadreColumn(GENDER, "gender", "gender", width=6, choices=Cadre.Gender),
    CadreColumn(ID_NUMBER, "id_number", "id_number", width=21, aliases=("身份证号", "身份证号码")),
    CadreColumn(BIRTH_DATE, "birth_date", "birth_date", Kind.DATE, 12, widget=DateWidget),
    CadreColumn(ETHNICITY, "ethnicity", "ethnicity", width=8),
    CadreColumn(EDUCATION, "education", "education", width=10, aliases=("文化程度",)),
    CadreColumn(PHONE, "phone", "phone", width=15, aliases=("手机号码", "手机号")),
    CadreColumn(
        POLITICAL_STATUS,
        "political_status",
        "political_status",
        width=12,
        choices=Cadre.PoliticalStatus,
    ),
    CadreColumn(NATURE, "nature", "nature", width=10, choices=Cadre.Nature, required=True),
    CadreColumn(
        PARTY_COMMITTEE,
        "on_party_committee",
        "on_party_committee",
        width=10,
        widget=YesNoWidget,
    ),
    CadreColumn(
        START_DATE,
        "start_date",
        "start_date",
        Kind.DATE,
        12,
        widget=DateWidget,
        required=True,
        aliases=("任职日期",),
    ),
    CadreColumn(TERM, "term", "term", width=10),
    CadreColumn(TERM_END, "term_end", "term_end", Kind.DATE, 12, widget=DateWidget),
)

HEADER = tuple(column.header for column in COLUMNS)
WRITER_COLUMNS = tuple(column.writer_column for column in COLUMNS)
REQUIRED = tuple(column.header for column in COLUMNS if column.required)
ALIASES = {alias: column.header for column in COLUMNS for alias in column.aliases}
IMPORTED = tuple(column for column in COLUMNS if column.attribute)
#: cadre field -> its column, so that messages name the column the user sees
FIELD_HEADERS = {column.attribute: column.header for column in IMPORTED}


# --- export -------------------------------------------------------------------------------------


def register_queryset(organization, *, user=None):
    """Cadres in post in ``organization``'s subtree, within ``user``'s scope when given."""
    queryset = Cadre.objects.active().in_subtree(organization)
    if user is not None:
        queryset = access.scope_queryset(user, queryset, via="organization__")
    # Ordered by content alone, so that a register imported elsewhere exports in the same order.
    rank = Case(
        *(
            When(position=value, then=Value(index))
            for index, value in enumerate(Cadre.Position.values)
        )
    )
    return queryset.order_by("organization__code", rank, "start_date", "name", "id_number")


def register_title(organization):
    return f"{TITLE}（{organization.name}）"


def _renderers():
    """One function per column (序号 aside) turning a stored value into its cell."""
    renderers = []
    for column in COLUMNS[1:]:
        if column.choices is not None:
            labels = {value: label for label, value in chinese_labels(column.choices).items()}
            renderers.append(lambda value, labels=labels: labels.get(value, ""))
        elif column.widget is YesNoWidget:
            renderers.append(YesNoWidget().render)
        elif column.kind == Kind.DATE:
            renderers.append(lambda value: value)
        else:
            renderers.append(lambda value: "" if value is None else str(value))
    return renderers


def register_rows(queryset, *, chunk_size=2000):
    """The register's rows, in column order, from ONE query over ``queryset``."""
    sources = [column.source for column in COLUMNS[1:]]
    renderers = _renderers()
    values = queryset.values_list(*sources).iterator(chunk_size=chunk_size)
    for serial, record in enumerate(values, start=1):
        yield [serial, *(render(value) for render, value in zip(renderers, record, strict=True))]


# --- import -------------------------------------------------------------------------------------


class CadreResourceBase(TableResourceMixin, resources.ModelResource):
    column_labels = {**FIELD_HEADERS, "__all__": ""}

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.user is not None:
            self.fields["organization"].widget.organizations = access.pickable_organizations(
                self.user
            )

    def get_queryset(self):
        return Cadre.objects.active()

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if "organization" not in errors:
            try:
                services.cadre_check_scope(cadre=instance, user=self.user)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        try:
            instance.full_clean(exclude=list(errors))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        services.cadre_save(cadre=instance, user=self.user)


def _resource_class():
    """The import resource, its fields generated from :data:`COLUMNS`."""
    attrs = {
        column.attribute: fields.Field(
            attribute=column.attribute, column_name=column.header, widget=column.make_widget()
        )
        for column in IMPORTED
    }
    attrs["Meta"] = type(
        "Meta",
        (),
        {
            "model": Cadre,
            "fields": [column.attribute for column in IMPORTED],
            "import_id_fields": ["organization", "position", "name", "start_date"],
            "clean_model_instances": True,
            "skip_diff": True,
            "use_transactions": True,
        },
    )
    attrs["__module__"] = __name__
    return type("CadreResource", (CadreResourceBase,), attrs)


CadreResource = _resource_class()

CADRE_IMPORT = TableImport(
    name="cadres",
    title=gettext_lazy("Cadre register"),
    columns=HEADER,
    required=REQUIRED,
    resource_class=CadreResource,
    aliases=ALIASES,
    person_column=NAME,
    help_text=gettext_lazy(
        "A row updates the cadre in post with the same organisation, position, name and start "
        "date, or adds a cadre. 职务: 书记, 副书记, 组织委员, 宣传委员, 纪检委员, 委员; "
        "任职性质: 专职, 兼职, 挂职; 是否同级党委委员: 是 or 否."
    ),
)
