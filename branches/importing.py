"""Importing the organisation tree from a spreadsheet (``import_orgs`` and the admin's button).

Rows update by 组织代码. A parent may come later in the file or already exist: rows are put in
tree order before any is saved. Unknown parents, codes repeated in the file and cycles are
rejected with their row numbers, and one rejected row rolls back the whole file.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources

from branches import access, services
from branches.models import Organization
from branches.tables import organizations
from branches.validators import normalize_school_code
from spreadsheets.columns import ColumnsResourceMixin
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import ROW_NUMBER, as_text

COLUMNS = organizations.HEADER
REQUIRED = organizations.REQUIRED
CODE, PARENT, SCHOOL_CODE = organizations.CODE, organizations.PARENT, organizations.SCHOOL_CODE


class OrganizationResource(ColumnsResourceMixin, TableResourceMixin, resources.ModelResource):
    # The fields and the column names of messages come from the table's one declaration.
    table_columns = organizations.COLUMNS
    column_fields = organizations.IMPORTED_FIELDS
    column_labels = {"secretary_phone": "联系电话"}

    class Meta:
        model = Organization
        import_id_fields = ["code"]
        fields = list(organizations.IMPORTED_FIELDS)
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def get_queryset(self):
        return Organization.objects.all()

    # --- planning the whole file before any row is saved -------------------------------------

    def before_import(self, dataset, **kwargs):
        """Put parents before children and note, per row, what makes it unacceptable."""
        self.problems = {}
        rows = [dict(zip(dataset.headers, values, strict=True)) for values in dataset]
        codes = [as_text(r[CODE]) for r in rows]
        parents = [as_text(r[PARENT]) for r in rows]
        first_row_of = {}
        for row, code in zip(rows, codes, strict=True):
            number = row[ROW_NUMBER]
            if code in first_row_of:
                self._problem(
                    number,
                    _("The code %(code)s appears again (first at row %(first)d).")
                    % {"code": code, "first": first_row_of[code]},
                )
            else:
                first_row_of[code] = number
        in_file = {code: parent for code, parent in zip(codes, parents, strict=True) if code}
        self._existing = self._existing_parents(set(codes) | set(parents))
        existing = self._existing
        for row, code, parent in zip(rows, codes, parents, strict=True):
            number = row[ROW_NUMBER]
            if parent and parent not in in_file and parent not in existing:
                self._problem(
                    number, _("Parent organisation %(code)s does not exist.") % {"code": parent}
                )
            elif parent and self._forms_cycle(code, in_file):
                self._problem(
                    number,
                    _("Placing %(code)s under %(parent)s would make a cycle.")
                    % {"code": code, "parent": parent},
                )
        order = sorted(range(len(rows)), key=lambda i: self._depth(codes[i], in_file))
        reordered = [dataset[i] for i in order]
        del dataset[:]
        for values in reordered:
            dataset.append(values)

    def _problem(self, number, message):
        self.problems.setdefault(number, message)

    @staticmethod
    def _existing_parents(codes):
        """code -> parent code for the named organisations and all of their ancestors."""
        found = dict(Organization.objects.filter(code__in=codes).values_list("path", "code"))
        prefixes = {
            path[:length]
            for path in found
            for length in range(Organization.steplen, len(path), Organization.steplen)
        }
        found.update(Organization.objects.filter(path__in=prefixes).values_list("path", "code"))
        step = Organization.steplen
        return {code: found.get(path[:-step]) for path, code in found.items()}

    def _chain(self, code, in_file):
        """The codes from ``code`` upwards, with the file's parents overriding the tree's."""
        seen = []
        while code and code not in seen:
            seen.append(code)
            code = in_file.get(code) if code in in_file else self._existing.get(code)
        return seen, code

    def _forms_cycle(self, code, in_file):
        seen, last = self._chain(code, in_file)
        return bool(last) and last in seen

    def _depth(self, code, in_file):
        seen, _last = self._chain(code, in_file)
        return len(seen)

    # --- one row ------------------------------------------------------------------------------

    def before_import_row(self, row, **kwargs):
        problem = self.problems.get(self.excel_row(row))
        if problem:
            raise ValidationError(problem)
        row[SCHOOL_CODE] = normalize_school_code(as_text(row.get(SCHOOL_CODE)))
        row[CODE] = as_text(row[CODE])

    def get_instance(self, instance_loader, row):
        instance = super().get_instance(instance_loader, row)
        if (
            instance is not None
            and self.user is not None
            and not access.is_in_scope(self.user, instance)
        ):
            raise ValidationError(_("The code %(code)s is not available.") % {"code": row[CODE]})
        return instance

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        parent_code = as_text(row.get(PARENT))
        instance._import_parent = (
            Organization.objects.filter(code=parent_code).first() if parent_code else None
        )
        if parent_code and instance._import_parent is None:
            raise ValidationError(
                {
                    "parent": _("Parent organisation %(code)s could not be imported.")
                    % {"code": parent_code}
                }
            )

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if not errors:
            try:
                services.organization_check_placement(
                    organization=instance, parent=instance._import_parent, user=self.user
                )
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        if "school_code" not in errors:
            try:
                services.organization_check_school_code(organization=instance, user=self.user)
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
        try:
            instance.full_clean(exclude=[*services.TREE_FIELDS, *errors])
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        services.organization_save(
            organization=instance, parent=instance._import_parent, user=self.user
        )


ORGANIZATION_IMPORT = TableImport(
    name="orgs",
    title=gettext_lazy("Organisations"),
    columns=COLUMNS,
    required=REQUIRED,
    resource_class=OrganizationResource,
    help_text=gettext_lazy(
        "Rows update by organisation code. A parent may come later in the file. "
        "组织类型: 省级团委, 市级团委, 团工委, 县级团委, 基层团委, 团总支, 团支部, 学生班级团支部."
    ),
)
