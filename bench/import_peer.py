"""The two yardsticks of the roster import (see :mod:`bench.import_roster`).

* :func:`floor`: the physical floor of importing the file, measured in parts in one process:
  reading it with python-calamine, the ID number checks (check digit, birth date and gender read
  from the number, none already in the system: one query per 900), the pinyin initials of every name, and the ``COPY`` of the member rows and
  their history rows (prepared beforehand; ids reserved from the sequence) into a transaction
  that is rolled back. Nothing else (no other validation, no stored counts) is in it.
* :func:`stock_resource`: a stock django-import-export ``ModelResource`` tuned as its
  documentation's "bulk imports" advises: ``use_bulk`` with a ``batch_size``, ``skip_diff``,
  ``force_init_instance`` (every row is new: no instance look-up), organisations found through
  a cached widget (one query for all, not one per row), and stock validation
  (``clean_model_instances``: ``full_clean`` per row, its uniqueness and constraint queries
  included). It writes no history and keeps no stored counts.
"""

import io

from bench.run import Timer


def _read(path):
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    return workbook.get_sheet_by_index(0).to_python()


def floor(path):
    """(rows, {component: seconds} of the floor with their ``total``)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from branches.models import Organization
    from members import id_numbers
    from members.bulk_insert import _text
    from members.models import Member
    from members.models.member import name_initials
    from members.tables import roster

    parts = {}
    with Timer() as timer:
        rows = _read(path)
    parts["read_calamine"] = timer.seconds
    header_index = next(i for i, r in enumerate(rows) if roster.NAME in r)
    header, data = rows[header_index], rows[header_index + 1 :]
    at = {name: header.index(name) for name in header if name}
    with Timer() as timer:
        facts = []
        for values in data:
            number = str(values[at[roster.ID_NUMBER]]).strip().upper()
            id_numbers.validate_id_number(number)
            facts.append((id_numbers.birth_date_of(number), id_numbers.gender_of(number)))
        numbers = [str(values[at[roster.ID_NUMBER]]).strip().upper() for values in data]
        for start in range(0, len(numbers), 900):  # none of them may be in the system yet
            chunk = numbers[start : start + 900]
            assert not Member.objects.filter(id_number__in=chunk).exists()
    parts["id_checks"] = timer.seconds
    with Timer() as timer:
        initials = [name_initials(values[at[roster.NAME]]) for values in data]
    parts["pinyin_initials"] = timer.seconds
    codes = {str(values[at[roster.BRANCH_CODE]]) for values in data}
    org_ids = dict(Organization.objects.filter(code__in=codes).values_list("code", "id"))
    now = timezone.now()
    members, history = io.StringIO(), io.StringIO()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence('members_member', 'id')) "
                "FROM generate_series(1, %s)",
                [len(data)],
            )
            ids = [pk for (pk,) in cursor.fetchall()]
            for pk, values, (born, gender), letters in zip(ids, data, facts, initials, strict=True):
                org = org_ids[str(values[at[roster.BRANCH_CODE]])]
                common = [
                    pk, values[at[roster.NAME]], gender, "01", "", born, "resident_id",
                    str(values[at[roster.ID_NUMBER]]), "senior_secondary", "student",
                    values[at[roster.JOIN_DATE]], int(values[at[roster.DEVELOPMENT_NUMBER]]),
                    values[at[roster.PHONE]], now, None, False, "active", None, org, org,
                ]  # fmt: skip
                members.write("\t".join(map(_text, [*common, letters])) + "\n")
                history.write("\t".join(map(_text, [*common, now, "", "+", None])) + "\n")
            base = (
                "id, name, gender, ethnicity, ethnicity_note, birth_date, document_type, "
                "id_number, education, identity, join_date, development_number, phone, "
                "entered_at, entry_deadline, entered_late, status, status_since, "
                "developing_organization_id, branch_id"
            )
            members.seek(0)
            history.seek(0)
            with Timer() as timer:
                cursor.cursor.copy_expert(
                    f"COPY members_member ({base}, name_initials) FROM STDIN", members
                )
                cursor.cursor.copy_expert(
                    f"COPY members_historicalmember ({base}, history_date, "
                    "history_change_reason, history_type, history_user_id) FROM STDIN",
                    history,
                )
            parts["copy_members_history"] = timer.seconds
            assert Member.objects.filter(pk__in=ids[:1]).exists()
        transaction.set_rollback(True)
    parts = {name: round(seconds, 3) for name, seconds in parts.items()}
    parts["total"] = round(sum(parts.values()), 3)
    return len(data), parts


def stock_resource():
    from import_export import fields, resources
    from import_export.widgets import CharWidget, DateWidget, ForeignKeyWidget

    from branches.models import Organization
    from members.choices import Education, Ethnicity, Gender, Identity
    from members.models import Member
    from members.tables import roster
    from spreadsheets.widgets import ChoiceLabelWidget

    class CachedForeignKeyWidget(ForeignKeyWidget):
        """Every organisation loaded once: the docs' advice against a query per row."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._cache = None

        def clean(self, value, row=None, **kwargs):
            if self._cache is None:
                self._cache = {o.code: o for o in Organization.objects.all()}
            return self._cache.get(str(value)) if value else None

    def field(attribute, header, widget=None):
        return fields.Field(attribute=attribute, column_name=header, widget=widget or CharWidget())

    def vocabulary(attribute, header, choices):
        return field(attribute, header, ChoiceLabelWidget(choices, label=header))

    class StockMemberResource(resources.ModelResource):
        name = field("name", roster.NAME)
        gender = vocabulary("gender", roster.GENDER, Gender)
        ethnicity = vocabulary("ethnicity", roster.ETHNICITY, Ethnicity)
        birth_date = field("birth_date", roster.BIRTH_DATE, DateWidget("%Y-%m-%d"))
        id_number = field("id_number", roster.ID_NUMBER)
        education = vocabulary("education", roster.EDUCATION, Education)
        identity = vocabulary("identity", roster.IDENTITY, Identity)
        join_date = field("join_date", roster.JOIN_DATE, DateWidget("%Y-%m-%d"))
        development_number = field("development_number", roster.DEVELOPMENT_NUMBER)
        developing_organization = field(
            "developing_organization",
            roster.DEVELOPER_CODE,
            CachedForeignKeyWidget(Organization, "code"),
        )
        branch = field("branch", roster.BRANCH_CODE, CachedForeignKeyWidget(Organization, "code"))
        phone = field("phone", roster.PHONE)

        class Meta:
            model = Member
            import_id_fields = ["id_number"]
            fields = (
                "name", "gender", "ethnicity", "birth_date", "id_number", "education",
                "identity", "join_date", "development_number", "developing_organization",
                "branch", "phone",
            )  # fmt: skip
            clean_model_instances = True
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            skip_unchanged = False
            force_init_instance = True

    return StockMemberResource()
