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
from import_export import fields, resources

from branches.models import Organization
from members import validators
from members.models import Member, Move
from members.models.moves import Reason
from members.moves import services as moves
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import as_text
from spreadsheets.widgets import ChoiceLabelWidget, DateWidget, TextWidget
from spreadsheets.writer import Column
from spreadsheets.writer import Kind as CellKind

SERIAL = "序号"
NAME = "姓名"
ID_NUMBER = "公民身份号码"
REASON = "流动原因"
MOVED_ON = "流动日期"
DESTINATION_CODE = "去向团组织代码"
COUNTY_CODE = "去向县级行政区划代码"
TOWNSHIP = "去向乡镇（街道）"
OTHER_PROVINCE = "去向省外团组织"
NOTE = "备注"

COLUMNS = (
    SERIAL,
    NAME,
    ID_NUMBER,
    REASON,
    MOVED_ON,
    DESTINATION_CODE,
    COUNTY_CODE,
    TOWNSHIP,
    OTHER_PROVINCE,
    NOTE,
)
REQUIRED = (NAME, ID_NUMBER, REASON)

#: the columns as the template download writes them
TEMPLATE_COLUMNS = (
    Column(SERIAL, CellKind.INTEGER, 6),
    Column(NAME, width=10),
    Column(ID_NUMBER, width=21),
    Column(REASON, width=10),
    Column(MOVED_ON, CellKind.DATE, 12),
    Column(DESTINATION_CODE, width=16),
    Column(COUNTY_CODE, width=14),
    Column(TOWNSHIP, width=18),
    Column(OTHER_PROVINCE, width=24),
    Column(NOTE, width=24),
)


def _copy_fields(source, target):
    """Give ``target`` (the import's row instance) every field of ``source`` but its key."""
    for field in Move._meta.concrete_fields:
        if not field.primary_key:
            setattr(target, field.attname, getattr(source, field.attname))
    target.member = source.member
    target.destination_organization = source.destination_organization


class MoveResource(TableResourceMixin, resources.ModelResource):
    reason = fields.Field(
        attribute="reason", column_name=REASON, widget=ChoiceLabelWidget(Reason, label=REASON)
    )
    moved_on = fields.Field(attribute="moved_on", column_name=MOVED_ON, widget=DateWidget())
    destination_county_code = fields.Field(
        attribute="destination_county_code", column_name=COUNTY_CODE, widget=TextWidget()
    )
    destination_township = fields.Field(
        attribute="destination_township", column_name=TOWNSHIP, widget=TextWidget()
    )
    destination_other_province = fields.Field(
        attribute="destination_other_province", column_name=OTHER_PROVINCE, widget=TextWidget()
    )
    note = fields.Field(attribute="note", column_name=NOTE, widget=TextWidget())

    column_labels = {
        "member": ID_NUMBER,
        "name": NAME,
        "reason": REASON,
        "moved_on": MOVED_ON,
        "destination_kind": gettext_lazy("destination"),
        "destination_organization": DESTINATION_CODE,
        "destination_county_code": COUNTY_CODE,
        "destination_township": TOWNSHIP,
        "destination_other_province": OTHER_PROVINCE,
        "note": NOTE,
        "from_branch": ID_NUMBER,
    }

    class Meta:
        model = Move
        fields = [
            "reason",
            "moved_on",
            "destination_county_code",
            "destination_township",
            "destination_other_province",
            "note",
        ]
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
