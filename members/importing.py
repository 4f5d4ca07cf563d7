"""Importing table 1-1, the roster of new members (``import_members`` and the admin's button).

Every row creates a member; an ID number or a development number that is already in the system,
or that appears twice in the file, rejects its row. Organisations are referenced by code (their
names in the file are for people and are not read), 序号 and 录入时间 are ignored. One rejected
row rolls back the whole file.

The import is built for large files: the file is checked as a whole before any row (duplicates,
organisations by code, numbers already used: a few queries per file, none per row), every row is
validated in memory, and accepted rows are inserted together with their history records
(``bulk_create_with_history``), the importing user as their author.
"""

import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets

from branches import access
from branches.models import Organization
from members import services, validators, vocabularies
from members.choices import Education, Ethnicity, Gender, Identity
from members.models import Member
from members.models.number_rule import NumberBook
from members.tables import roster
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import ROW_NUMBER, as_text
from spreadsheets.widgets import ChoiceLabelWidget, DateWidget, TextWidget

# Excel's display of a long number it has rounded: 1.10105E+17
_SCIENTIFIC = re.compile(r"^\d+(\.\d+)?[eE]\+?\d+$")
# Keeps IN clauses well below every database's limit on query parameters.
_CHUNK = 900


def _excel_number_error():
    return _(
        "Excel stored this ID number as a number and lost its last digits. Format the column "
        "as text and type the ID numbers again."
    )


def id_number_from_cell(value):
    """The ID number of a cell as text; refuses one that Excel turned into a number."""
    if isinstance(value, (int, float)) or _SCIENTIFIC.match(as_text(value)):
        raise ValueError(_excel_number_error())
    return validators.normalize_id_number(as_text(value))


def development_number_from_cell(value):
    """The development number of a cell, or None; ValueError when malformed."""
    try:
        return validators.parse_development_number(value)
    except ValidationError as exc:
        raise ValueError(exc.messages[0]) from None


class IdNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return id_number_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        return value or ""


class DevelopmentNumberWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return development_number_from_cell(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else f"{value:012d}"


def vocabulary_widget(choices, *, label):
    """A fixed list read by its Chinese labels and by what people and 智慧团建 write for them."""
    return ChoiceLabelWidget(
        choices, label=label, synonyms=functools.partial(vocabularies.synonyms_for, choices)
    )


class EthnicityField(fields.Field):
    """民族: a people outside the 56 (穿青人) is recorded as 其他 with its name kept."""

    def save(self, instance, row, is_m2m=False, **kwargs):
        super().save(instance, row, is_m2m, **kwargs)
        text = as_text(row.get(self.column_name))
        instance.ethnicity_note = vocabularies.ethnicity_note(text, instance.ethnicity)


def _chunks(values):
    values = list(values)
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


class MemberResource(TableResourceMixin, resources.ModelResource):
    name = fields.Field(attribute="name", column_name=roster.NAME, widget=TextWidget())
    gender = fields.Field(
        attribute="gender",
        column_name=roster.GENDER,
        widget=vocabulary_widget(Gender, label=roster.GENDER),
    )
    ethnicity = EthnicityField(
        attribute="ethnicity",
        column_name=roster.ETHNICITY,
        widget=vocabulary_widget(Ethnicity, label=roster.ETHNICITY),
    )
    birth_date = fields.Field(
        attribute="birth_date", column_name=roster.BIRTH_DATE, widget=DateWidget()
    )
    id_number = fields.Field(
        attribute="id_number", column_name=roster.ID_NUMBER, widget=IdNumberWidget()
    )
    education = fields.Field(
        attribute="education",
        column_name=roster.EDUCATION,
        widget=vocabulary_widget(Education, label=roster.EDUCATION),
    )
    identity = fields.Field(
        attribute="identity",
        column_name=roster.IDENTITY,
        widget=vocabulary_widget(Identity, label=roster.IDENTITY),
    )
    join_date = fields.Field(
        attribute="join_date", column_name=roster.JOIN_DATE, widget=DateWidget()
    )
    development_number = fields.Field(
        attribute="development_number",
        column_name=roster.DEVELOPMENT_NUMBER,
        widget=DevelopmentNumberWidget(),
    )
    phone = fields.Field(attribute="phone", column_name=roster.PHONE, widget=TextWidget())

    column_labels = {**roster.FIELD_HEADERS, "__all__": ""}

    #: columns that must hold a value (发展团员编号 is checked against the join date instead)
    required_fields = ("name", "birth_date", "id_number", "join_date", "phone")

    class Meta:
        model = Member
        fields = [
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "id_number",
            "education",
            "identity",
            "join_date",
            "development_number",
            "phone",
        ]
        # Every row is a new member: no look-up per row.
        force_init_instance = True
        use_bulk = True
        # Inserted in batches inside the import's one transaction, so that memory stays flat;
        # once any row is rejected nothing more is inserted and the transaction rolls back.
        batch_size = 2000
        skip_diff = True
        use_transactions = True

    # --- the whole file, before any row ---------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Find duplicates in the file and in the database, and load the named organisations."""
        self.problems = {}
        headers = dataset.headers
        position = {name: headers.index(name) for name in headers}
        id_numbers = {}
        numbers = {}
        codes = set()
        for values in dataset:
            row = values[position[ROW_NUMBER]]
            id_number = self._quiet(id_number_from_cell, values[position[roster.ID_NUMBER]])
            if id_number:
                self._note_duplicate(id_numbers, id_number, row, "id_number")
            number = self._quiet(
                development_number_from_cell, values[position[roster.DEVELOPMENT_NUMBER]]
            )
            if number is not None:
                self._note_duplicate(numbers, number, row, "development_number")
            for column in (roster.BRANCH_CODE, roster.DEVELOPER_CODE):
                codes.add(as_text(values[position[column]]))
        self.organizations = {}
        for chunk in _chunks(codes - {""}):
            self.organizations.update(
                (org.code, org) for org in Organization.objects.filter(code__in=chunk)
            )
        self._note_existing(id_numbers, "id_number")
        self._note_existing(numbers, "development_number")
        # The range rule for every number of the file, in a few queries per join year.
        self.number_facts = NumberBook(numbers)

    @staticmethod
    def _quiet(parse, value):
        try:
            return parse(value)
        except ValueError:
            return None

    def _problem(self, row, field, message):
        self.problems.setdefault(row, {}).setdefault(field, []).append(message)

    def _note_duplicate(self, seen, value, row, field):
        if value in seen:
            self._problem(
                row,
                field,
                _("Appears again in this file (first at row %(first)d).") % {"first": seen[value]},
            )
        else:
            seen[value] = row

    def _note_existing(self, first_rows, field):
        message = Member._meta.get_field(field).error_messages["unique"]
        for chunk in _chunks(first_rows):
            existing = Member.objects.filter(**{f"{field}__in": chunk}).values_list(
                field, flat=True
            )
            for value in existing:
                self._problem(first_rows[value], field, str(message))

    # --- one row --------------------------------------------------------------------------------

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        for field in self.required_fields:
            header = roster.FIELD_HEADERS[field]
            if field not in errors and row.get(header) in (None, ""):
                errors[field] = [_("%(column)s is required.") % {"column": header}]
        self._place(instance, row, errors)
        for field, messages in self.problems.get(self.excel_row(row), {}).items():
            errors.setdefault(field, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    def _place(self, instance, row, errors):
        """Set the branch and the developing organisation from their codes, within scope; a
        secretary's roster may leave them out, and then names the secretary's own branch."""
        home = self._home_branch()
        for field, column in (
            ("branch", roster.BRANCH_CODE),
            ("developing_organization", roster.DEVELOPER_CODE),
        ):
            code = as_text(row.get(column))
            organization = self.organizations.get(code)
            if not code and home is not None:
                setattr(instance, field, home)
            elif not code:
                errors[field] = [_("%(column)s is required.") % {"column": column}]
            elif organization is None or not self._may_use(field, organization):
                errors[field] = [
                    _("No organisation with code %(code)s in your scope.") % {"code": code}
                ]
            else:
                setattr(instance, field, organization)

    def _home_branch(self):
        if not hasattr(self, "_home"):
            home = access.home_organization(self.user) if self.user is not None else None
            self._home = home if home is not None and home.is_branch else None
        return self._home

    def _may_use(self, field, organization):
        if self.user is None:
            return True
        if field == "branch":
            return access.can(self.user, access.Capability.ENTER_MEMBERS, organization)
        return access.is_in_scope(self.user, organization)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation, without its per-row queries.

        Uniqueness was checked for the whole file in :meth:`before_import`, the organisations
        were loaded by code, and the database constraints stay as the last guard.
        """
        errors = dict(import_validation_errors or {})
        instance.number_facts = self.number_facts
        try:
            instance.full_clean(
                exclude=["branch", "developing_organization", *errors],
                validate_unique=False,
                validate_constraints=False,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field not in errors:
                    errors[field] = messages
        if errors:
            raise ValidationError(errors)

    # --- saving ---------------------------------------------------------------------------------

    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        """Insert the accepted rows with their history, unless any row was rejected."""
        if not self.create_instances:
            return
        if result is not None and (result.has_errors() or result.has_validation_errors()):
            self.create_instances.clear()
            return
        if not using_transactions and dry_run:
            self.create_instances.clear()
            return
        try:
            services.member_bulk_create(
                members=self.create_instances,
                user=self.user,
                change_reason=_("Roster import"),
            )
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()


ROSTER_IMPORT = TableImport(
    name="members",
    title=gettext_lazy("Roster of new members (table 1-1)"),
    columns=roster.HEADER,
    required=roster.REQUIRED_ON_IMPORT,
    resource_class=MemberResource,
    aliases=roster.ALIASES,
    person_column=roster.NAME,
    # The roster can hold 200,000 rows; MemberResource only iterates them.
    spooled=True,
    help_text=gettext_lazy(
        "One row per member. Organisations are referenced by their codes; a branch "
        "secretary may leave the codes out, and the members join their branch. 序号, 录入时间 "
        "and the organisations' names are ignored, and so is any column the table does not "
        "have. 智慧团建's column names (身份证号, 入团年月, 手机号码, 团员编号, 所在团支部) are "
        "understood. ID numbers and development numbers must be text cells. An ID number or a "
        "development number already in the system is rejected."
    ),
)
