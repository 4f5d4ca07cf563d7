"""Importing table 1-1, the roster of new members (``import_members`` and the admin's button).

Every row creates a member; an ID number or a development number that is already in the system,
or that appears twice in the file, rejects its row. Organisations are referenced by code (their
names in the file are for people and are not read), 序号 and 录入时间 are ignored. One rejected
row rolls back the whole file.

The import is built for large files: the file is checked as a whole before any row (duplicates,
organisations by code, numbers already used: a few queries per file, none per row), every row is
validated in memory with the model's own rules (each cell's widget and each field's rules asked
once per distinct value, ``spreadsheets.once``; no uniqueness or constraint query, no savepoint
per row), and accepted rows are inserted together with their history records, the importing
user as their author (``members.bulk_insert``: ``COPY`` on PostgreSQL, ``bulk_create``
elsewhere; the database's constraints stay the backstop for the batch). A dry run writes nothing.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.base import ModelState
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources
from import_export.results import RowResult

from branches import access
from branches.models import Organization
from members import services
from members.models import Member
from members.models.number_rule import NumberBook, check_member_number, in_clause_size
from members.tables import roster
from members.tables.roster import development_number_from_cell, id_number_from_cell
from members.watch import guard_write, member_record
from spreadsheets.columns import ColumnsResourceMixin
from spreadsheets.importing import INFRASTRUCTURE_ERRORS, TableImport, TableResourceMixin
from spreadsheets.once import OncePerValue
from spreadsheets.reader import ROW_NUMBER, as_text


def _chunks(values):
    values = list(values)
    size = in_clause_size()
    for start in range(0, len(values), size):
        yield values[start : start + size]


class MemberResource(ColumnsResourceMixin, TableResourceMixin, resources.ModelResource):
    # The fields and the column names of messages come from the roster's one declaration.
    table_columns = roster.COLUMNS
    column_fields = roster.IMPORTED_FIELDS

    #: columns that must hold a value (发展团员编号 is checked against the join date instead)
    required_fields = ("name", "birth_date", "id_number", "join_date", "phone")

    class Meta:
        model = Member
        fields = list(roster.IMPORTED_FIELDS)
        # Every row is a new member: no look-up per row.
        force_init_instance = True
        use_bulk = True
        # Inserted in batches inside the import's one transaction, so that memory stays flat;
        # once any row is rejected nothing more is inserted and the transaction rolls back.
        # Each batch also recounts the stored counts it touches (ranges span the province), so
        # batches are large: a 10,000-row roster is one.
        batch_size = 10_000
        skip_diff = True
        use_transactions = True

    # --- the whole file, before any row ---------------------------------------------------------

    def before_import(self, dataset, **kwargs):
        """Find duplicates in the file and in the database, and load the named organisations."""
        self.problems = {}
        self.once = OncePerValue()
        self._allowed = {}
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

    def import_field(self, field, instance, row, is_m2m=False, **kwargs):
        """A cell read by its widget once per distinct value of its column (the widgets read
        the cell only, never the rest of the row)."""
        if field.readonly or not field.attribute or field.column_name not in row:
            return
        if type(field).save is not fields.Field.save:
            field.save(instance, row, is_m2m, **kwargs)  # a field that does more than set
            return
        cleaned = self.once.get(
            field.column_name, row[field.column_name], lambda _v: field.clean(row)
        )
        if cleaned is not None or field.saves_null_values:
            setattr(instance, field.attribute, cleaned)

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

    def get_import_fields(self):
        # Asked for every row: the same list each time.
        if not hasattr(self, "_import_fields"):
            self._import_fields = super().get_import_fields()
        return self._import_fields

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
        """Whether the user may name ``organization`` in ``field``: asked once per file and
        organisation (a roster names a few organisations thousands of times)."""
        if self.user is None:
            return True
        key = (field, organization.pk)
        if key not in self._allowed:
            if field == "branch":
                allowed = access.can(self.user, access.Capability.ENTER_MEMBERS, organization)
            else:
                allowed = access.is_in_scope(self.user, organization)
            self._allowed[key] = allowed
        return self._allowed[key]

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The model's own validation, without its per-row queries.

        Uniqueness was checked for the whole file in :meth:`before_import`, the organisations
        were loaded by code, and the database constraints stay as the last guard.
        """
        errors = dict(import_validation_errors or {})
        found = {}
        # full_clean without its uniqueness and constraint checks (no query, no savepoint),
        # each field's own rules asked once per distinct value of the file.
        try:
            instance.clean_fields(
                exclude=["branch", "developing_organization", *errors], once=self.once
            )
        except ValidationError as exc:
            found = exc.update_error_dict(found)
        try:
            instance.clean()
        except ValidationError as exc:
            found = exc.update_error_dict(found)
        for field, messages in ValidationError(found).message_dict.items() if found else ():
            if field not in errors:
                errors[field] = messages
        if "development_number" not in errors:
            # The number rule, as the services and the form ask it, with the facts loaded for
            # the whole file in before_import.
            try:
                check_member_number(instance, facts=self.number_facts)
            except ValidationError as exc:
                errors.update(exc.message_dict)
        if errors:
            raise ValidationError(errors)

    # --- the rows and the writing -----------------------------------------------------------------

    def import_data_inner(
        self, dataset, dry_run, raise_errors, using_transactions, collect_failed_rows, **kwargs
    ):
        """Every row validated in memory, then written in batches (COPY on PostgreSQL) once no
        row has been rejected; import-export's per-row machinery (row results, instance loader,
        diffs) is not needed for rows that are all new. A dry run writes nothing: it validates
        and asks the write guards whether they would refuse, which is all a preview needs."""
        result = self.get_result_class()()
        result.total_rows = len(dataset)
        try:
            self.before_import(dataset, **kwargs)
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
            return result
        headers, pending, records = dataset.headers, [], {}
        for number, values in enumerate(dataset, 1):
            row = dict(zip(headers, values, strict=True))
            instance, errors = self._new_member(), {}
            try:
                self.import_instance(instance, row)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            try:
                self.validate_instance(instance, errors)
            except ValidationError as exc:
                result.append_invalid_row(number, row, exc)
                result.totals[RowResult.IMPORT_TYPE_INVALID] += 1
                pending.clear()
                continue
            result.totals[RowResult.IMPORT_TYPE_NEW] += 1
            if result.has_validation_errors() or result.has_errors():
                continue  # nothing more will be written: the file is rejected
            if dry_run:
                # The guards judge places (branch, year): the first member of each place is
                # enough to know, and to name, what they would refuse; memory stays flat.
                record = member_record(instance)
                records.setdefault(record.places, record)
                continue
            pending.append(instance)
            if len(pending) >= self._meta.batch_size:
                self._write(pending, result, raise_errors)
        if result.has_validation_errors() or result.has_errors():
            return result
        if dry_run:
            self._would_refuse(list(records.values()), result, raise_errors)
        else:
            self._write(pending, result, raise_errors)
        return result

    def _new_member(self):
        """A new member with the model's defaults, copied from one built per file: building
        each with ``Member()`` asks every field for its default, row after row. The entry time
        (a default) is the import's, the same for every row."""
        if not hasattr(self, "_defaults"):
            self._defaults = {k: v for k, v in Member().__dict__.items() if k != "_state"}
        member = Member.__new__(Member)
        member.__dict__.update(self._defaults)
        member._state = ModelState()
        return member

    def _write(self, members, result, raise_errors):
        """Insert ``members`` with their history, counts and guards, in a savepoint per batch:
        a constraint of the database that still refuses them rejects the whole file."""
        try:
            with transaction.atomic():
                services.member_bulk_create(
                    members=members, user=self.user, change_reason=_("Roster import")
                )
        except INFRASTRUCTURE_ERRORS:
            raise
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)
        finally:
            members.clear()

    def _would_refuse(self, records, result, raise_errors):
        try:
            guard_write(
                kind="member", action="created", records=records, user=self.user, check_only=True
            )
        except Exception as exc:
            self.handle_import_error(result, exc, raise_errors)


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
