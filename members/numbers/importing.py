"""Importing number ranges and the unused-number register (``import_ranges``,
``import_unused_numbers`` and the admin's buttons).

Both are all or nothing through :class:`TableImport`, name each rejected row by its Excel row
number and save through the services of :mod:`members.numbers.services`, which also check the user's
scope. Ranges in one file may nest: rows are put in tree order before any is saved, so that a
city's range exists before its counties' ranges are checked against it.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from branches import access
from branches.models import Organization
from members import validators
from members.models import NumberRange, UnusedNumber
from members.numbers import services as numbering
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import ROW_NUMBER, as_text
from spreadsheets.widgets import ChoiceLabelWidget, TextWidget

CODE = "组织代码"
FIRST = "起始编号"
LAST = "终止编号"
RANGE_COLUMNS = (CODE, FIRST, LAST)

SERIAL = "序号"
NUMBER = "发展团员编号"
SPAN = "号段"
OWNER = "所属团组织"
STATUS = "状态"
EXPLANATION = "情况说明"
REGISTERED_AT = "登记时间"
UNUSED_COLUMNS = (SERIAL, NUMBER, SPAN, OWNER, STATUS, EXPLANATION, REGISTERED_AT)
UNUSED_REQUIRED = (NUMBER, STATUS, EXPLANATION)

_SPAN_RE = re.compile(r"^\s*(\S+?)\s*(?:[-–—~～至到]+\s*(\S+))?\s*$")


def parse_span(value):
    """``(first, last)`` from one number or a span ``201935000120–201935000199``."""
    text = as_text(value)
    match = _SPAN_RE.match(text)
    if not text or not match:
        raise ValueError(_("Write a 12-digit number or a span such as 201935000120–201935000199."))
    try:
        first = validators.parse_development_number(match.group(1))
        last = validators.parse_development_number(match.group(2) or match.group(1))
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None
    return first, last


class NumberWidget(widgets.Widget):
    """A development number: 12 digits, as text or as a number Excel made of it."""

    def clean(self, value, row=None, **kwargs):
        try:
            number = validators.parse_development_number(value)
        except ValidationError as exc:
            raise ValueError(exc.messages[0]) from None
        if number is None:
            raise ValueError(_("A development number is required."))
        return number

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:012d}"


class ScopedOrganizationWidget(widgets.Widget):
    """An organisation by code, among those the importing user may see."""

    def __init__(self, resource, **kwargs):
        super().__init__(**kwargs)
        self.resource = resource

    def clean(self, value, row=None, **kwargs):
        code = as_text(value)
        if not code:
            raise ValueError(_("%(column)s is required.") % {"column": CODE})
        organizations = Organization.objects.filter(code=code)
        if self.resource.user is not None:
            organizations = organizations.filter(access.in_scope_q(self.resource.user))
        organization = organizations.first()
        if organization is None:
            raise ValueError(
                _("No organisation with code %(code)s in your scope.") % {"code": code}
            )
        return organization


# --- ranges ------------------------------------------------------------------------------------


class NumberRangeResource(TableResourceMixin, resources.ModelResource):
    first = fields.Field(attribute="first", column_name=FIRST, widget=NumberWidget())
    last = fields.Field(attribute="last", column_name=LAST, widget=NumberWidget())

    column_labels = {"organization": CODE, "first": FIRST, "last": LAST, "__all__": ""}

    class Meta:
        model = NumberRange
        fields = ["organization", "first", "last"]
        import_id_fields = []
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["organization"] = fields.Field(
            attribute="organization", column_name=CODE, widget=ScopedOrganizationWidget(self)
        )

    def before_import(self, dataset, **kwargs):
        """Save parents' ranges before their children's: order rows by the holder's depth."""
        code_at, row_at = dataset.headers.index(CODE), dataset.headers.index(ROW_NUMBER)
        codes = {as_text(values[code_at]) for values in dataset}
        depths = dict(Organization.objects.filter(code__in=codes).values_list("code", "depth"))
        rows = sorted(
            dataset, key=lambda values: (depths.get(as_text(values[code_at]), 0), values[row_at])
        )
        del dataset[:]
        for values in rows:
            dataset.append(values)

    def get_instance(self, instance_loader, row):
        return None

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if "organization" not in errors:
            try:
                numbering.number_range_check_user(
                    organization=instance.organization, user=self.user
                )
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        try:
            instance.full_clean(exclude=list(errors))
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        saved = numbering.number_range_create(
            organization=instance.organization,
            first=instance.first,
            last=instance.last,
            user=self.user,
        )
        instance.pk = saved.pk


RANGE_IMPORT = TableImport(
    name="ranges",
    title=gettext_lazy("Number ranges"),
    columns=RANGE_COLUMNS,
    required=RANGE_COLUMNS,
    resource_class=NumberRangeResource,
    help_text=gettext_lazy(
        "One range per row, handed to the organisation with that code. A range lies inside "
        "one of the parent organisation's ranges; a city's and its counties' ranges may come "
        "in one file."
    ),
)


# --- the unused-number register ------------------------------------------------------------------


class UnusedNumberResource(TableResourceMixin, resources.ModelResource):
    status = fields.Field(
        attribute="status",
        column_name=STATUS,
        widget=ChoiceLabelWidget(UnusedNumber.Status, label=STATUS),
    )
    explanation = fields.Field(
        attribute="explanation", column_name=EXPLANATION, widget=TextWidget()
    )

    column_labels = {
        "first": NUMBER,
        "last": NUMBER,
        "status": STATUS,
        "explanation": EXPLANATION,
        "__all__": "",
    }

    class Meta:
        model = UnusedNumber
        fields = ["status", "explanation"]
        import_id_fields = []
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def get_instance(self, instance_loader, row):
        return None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        try:
            instance.first, instance.last = parse_span(row.get(NUMBER))
        except ValueError as exc:
            errors["first"] = [str(exc)]
        if "first" not in errors:
            try:
                self._locate(instance, row)
            except ValidationError as exc:
                errors["first"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def _locate(self, instance, row):
        """Find the entry's range; the optional 号段 and 所属团组织 must agree with it."""
        first, last = instance.first, instance.last
        number_range = numbering.unused_number_locate(first=first, last=last, user=self.user)
        numbering.unused_number_check_free(first=first, last=last)
        span_text = as_text(row.get(SPAN))
        if span_text:
            try:
                span_first, span_last = parse_span(span_text)
            except ValueError as exc:
                raise ValidationError(f"{SPAN}：{exc}") from None
            if not (span_first <= first and last <= span_last):
                raise ValidationError(
                    _("%(column)s %(span)s does not contain the number.")
                    % {"column": SPAN, "span": span_text}
                )
        owner = as_text(row.get(OWNER))
        if owner:
            holders = NumberRange.objects.containing(first)
            if self.user is not None:
                holders = access.scope_queryset(self.user, holders, via="organization__")
            names = {
                value
                for pair in holders.values_list("organization__code", "organization__name")
                for value in pair
            }
            if owner not in names:
                raise ValidationError(
                    _("%(column)s %(name)s holds no range with this number.")
                    % {"column": OWNER, "name": owner}
                )
        instance.number_range = number_range
        instance.organization = number_range.organization

    def do_instance_save(self, instance, is_create):
        saved = numbering.unused_number_register(
            first=instance.first,
            last=instance.last,
            status=instance.status,
            explanation=instance.explanation,
            user=self.user,
        )
        instance.pk = saved.pk


UNUSED_NUMBER_IMPORT = TableImport(
    name="unused_numbers",
    title=gettext_lazy("Unused-number register"),
    columns=UNUSED_COLUMNS,
    required=UNUSED_REQUIRED,
    resource_class=UnusedNumberResource,
    help_text=gettext_lazy(
        "发展团员编号 holds one number or a span (201935000120–201935000199). 状态: 未使用, 作废 "
        "or 遗失. 情况说明 is required. 序号, 号段, 所属团组织 and 登记时间 may be left out; "
        "the registration time is set by the system."
    ),
)
