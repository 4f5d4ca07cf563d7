"""Moves of many members from a spreadsheet: a class's graduates (学社衔接) or anyone in scope.

One row per member, found by 公民身份号码 among the members the importing user may record moves
for (on a class's page: among that class's members only). The destination is the filled one of
去向团组织代码 (an organisation in this system), 去向县级行政区划代码 with 去向乡镇（街道） (outside it)
or 去向省外团组织 (another province's system). 流动日期 left empty takes the class's graduation
date. All or nothing, as every import: one rejected row saves no row.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources

from branches.models import Organization
from members import validators
from members.models import Member, Move
from members.moves import services as moves
from members.tables import moves as move_table
from spreadsheets.columns import ColumnsResourceMixin
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import as_text

COLUMNS = move_table.HEADER
REQUIRED = move_table.REQUIRED
TEMPLATE_COLUMNS = move_table.WRITER_COLUMNS
NAME, ID_NUMBER = move_table.NAME, move_table.ID_NUMBER
DESTINATION_CODE, COUNTY_CODE = move_table.DESTINATION_CODE, move_table.COUNTY_CODE
TOWNSHIP, OTHER_PROVINCE = move_table.TOWNSHIP, move_table.OTHER_PROVINCE
REASON, MOVED_ON = move_table.REASON, move_table.MOVED_ON


def _copy_fields(source, target):
    """Give ``target`` (the import's row instance) every field of ``source`` but its key."""
    for field in Move._meta.concrete_fields:
        if not field.primary_key:
            setattr(target, field.attname, getattr(source, field.attname))
    target.member = source.member
    target.destination_organization = source.destination_organization


class MoveResource(ColumnsResourceMixin, TableResourceMixin, resources.ModelResource):
    # The fields and the column names of messages come from the table's one declaration.
    table_columns = move_table.COLUMNS
    column_fields = move_table.IMPORTED_FIELDS
    column_labels = {
        "destination_kind": gettext_lazy("destination"),
        "from_branch": move_table.ID_NUMBER,
    }

    class Meta:
        model = Move
        fields = list(move_table.IMPORTED_FIELDS)
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def __init__(self, *, user=None, branch=None, **kwargs):
        super().__init__(user=user, **kwargs)
        #: a class branch: only its members may be named
        self.branch = branch

    def get_queryset(self):
        return Move.objects.none()

    def get_instance(self, instance_loader, row):
        return None  # every row records a new move

    def before_import(self, dataset, **kwargs):
        """Look every member and destination up in two queries."""
        numbers = {validators.normalize_id_number(as_text(n)) for n in dataset[ID_NUMBER]}
        members = Member.objects.select_related("branch", "developing_organization")
        if self.user is not None:
            members = members.visible_to(self.user)
        if self.branch is not None:
            members = members.filter(branch=self.branch)
        self.members = {m.id_number: m for m in members.filter(id_number__in=numbers)}
        if self.branch is not None and any("*" in number for number in numbers):
            # The class template gives masked numbers to those who do not edit the records: a
            # masked number names a member of this class together with the name.
            for member in members:
                self.members.setdefault((member.masked_id_number, member.name), member)
        codes = {as_text(code) for code in dataset[DESTINATION_CODE]} - {""}
        self.destinations = {o.code: o for o in Organization.objects.filter(code__in=codes)}

    def before_import_row(self, row, **kwargs):
        # 出国(境) is often typed with full-width brackets.
        row[REASON] = as_text(row.get(REASON)).replace("（", "(").replace("）", ")")

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        number = validators.normalize_id_number(as_text(row.get(ID_NUMBER)))
        name = as_text(row.get(NAME))
        member = self.members.get(number) or self.members.get((number, name))
        if member is None:
            where = _("in this class") if self.branch is not None else _("in your scope")
            raise ValidationError(
                {
                    "member": _("No member with ID number %(number)s %(where)s.")
                    % {"number": number or "—", "where": where}
                }
            )
        if name and name != member.name:
            errors.setdefault("name", []).append(
                _("The name %(name)s does not match the member's name %(actual)s.")
                % {"name": name, "actual": member.name}
            )
        code = as_text(row.get(DESTINATION_CODE))
        destination = None
        if code:
            destination = self.destinations.get(code)
            if destination is None:
                errors.setdefault("destination_organization", []).append(
                    _("No organisation has the code %(code)s.") % {"code": code}
                )
        moved_on = instance.moved_on
        if "moved_on" not in errors and moved_on is None and member.branch.graduation_date:
            moved_on = member.branch.graduation_date
        if not errors.get("destination_organization"):
            try:
                # Built by the one service, so that the move carries what every move carries
                # (its member's developing organisation, the branch it leaves).
                built = moves.move_build(
                    member=member,
                    reason=instance.reason,
                    moved_on=moved_on,
                    destination_organization=destination,
                    destination_county_code=instance.destination_county_code,
                    destination_township=instance.destination_township,
                    destination_other_province=instance.destination_other_province,
                    note=instance.note,
                )
            except ValidationError as exc:
                errors = exc.update_error_dict(errors)
            else:
                _copy_fields(built, instance)
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if errors:
            raise ValidationError(errors)
        try:
            moves.move_validate_new(move=instance, user=self.user)
        except PermissionDenied as exc:
            raise ValidationError(_("You may not record moves for this member.")) from exc

    def do_instance_save(self, instance, is_create):
        moves.move_save_new(move=instance, user=self.user)


MOVE_IMPORT = TableImport(
    name="moves",
    title=gettext_lazy("Moves of members"),
    columns=COLUMNS,
    required=REQUIRED,
    resource_class=MoveResource,
    help_text=gettext_lazy(
        "One row per member, found by ID number. Fill one destination: 去向团组织代码 for an "
        "organisation in this system, 去向县级行政区划代码 and 去向乡镇（街道） outside it, or "
        "去向省外团组织. 流动原因: 升学, 就业, 参军, 待业, 出国(境), 其他. An empty 流动日期 takes the "
        "class's graduation date."
    ),
)


def class_import(branch):
    """The same import, limited to the members of one class branch."""

    class ClassMoveResource(MoveResource):
        def __init__(self, *, user=None, **kwargs):
            super().__init__(user=user, branch=branch, **kwargs)

    return TableImport(
        name=MOVE_IMPORT.name,
        title=MOVE_IMPORT.title,
        columns=MOVE_IMPORT.columns,
        required=MOVE_IMPORT.required,
        resource_class=ClassMoveResource,
        help_text=MOVE_IMPORT.help_text,
    )
