"""A branch's registration results from a spreadsheet, and the sheet to fill in.

One row per member, found by 公民身份号码 among the branch's active members (a masked number,
as committee staff download it, together with the name). 注册结果: 注册, 暂缓注册, 不予注册;
暂缓或不予注册原因 is required for the last two; 评议等次: 优秀, 合格, 基本合格, 不合格. All rows
are saved by the one service the form uses, all or nothing.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources

from branches.models import Organization
from members import privacy
from members.validators import normalize_id_number
from reports.models import Campaign, EvaluationGrade, MemberRegistration, RegistrationResult
from reports.registration import services
from spreadsheets.importing import TableImport, TableResourceMixin
from spreadsheets.reader import as_text
from spreadsheets.tables import OfficialTable, register
from spreadsheets.widgets import ChoiceLabelWidget, TextWidget, chinese_label
from spreadsheets.writer import Column
from spreadsheets.writer import Kind as CellKind

SERIAL = "序号"
NAME = "姓名"
ID_NUMBER = "公民身份号码"
RESULT = "注册结果"
REASON = "暂缓或不予注册原因"
GRADE = "评议等次"

COLUMNS = (SERIAL, NAME, ID_NUMBER, RESULT, REASON, GRADE)
REQUIRED = (NAME, ID_NUMBER, RESULT, GRADE)
ALIASES = {"身份证号": ID_NUMBER, "身份证号码": ID_NUMBER, "原因": REASON, "评议结果": GRADE}

SHEET_COLUMNS = (
    Column(SERIAL, CellKind.INTEGER, 6),
    Column(NAME, width=10),
    Column(ID_NUMBER, width=21),
    Column(RESULT, width=10),
    Column(REASON, width=30),
    Column(GRADE, width=10),
)


class RegistrationResource(TableResourceMixin, resources.ModelResource):
    result = fields.Field(
        attribute="result",
        column_name=RESULT,
        widget=ChoiceLabelWidget(RegistrationResult, label=RESULT),
    )
    reason = fields.Field(attribute="reason", column_name=REASON, widget=TextWidget())
    grade = fields.Field(
        attribute="grade",
        column_name=GRADE,
        widget=ChoiceLabelWidget(EvaluationGrade, label=GRADE),
    )

    column_labels = {
        "member": ID_NUMBER,
        "name": NAME,
        "result": RESULT,
        "reason": REASON,
        "grade": GRADE,
    }

    class Meta:
        model = MemberRegistration
        fields = ["result", "reason", "grade"]
        clean_model_instances = True
        skip_diff = True
        use_transactions = True

    def __init__(self, *, user=None, campaign=None, branch=None, **kwargs):
        super().__init__(user=user, **kwargs)
        self.campaign = campaign
        self.branch = branch
        self.entries = []

    def get_queryset(self):
        return MemberRegistration.objects.none()

    def before_import(self, dataset, **kwargs):
        """The branch's active members and their records, in two queries."""
        members = list(services.members_to_register(self.branch))
        self.members = {m.id_number: m for m in members}
        for member in members:
            self.members.setdefault((member.masked_id_number, member.name), member)
        self.records = services.records_of(self.campaign, self.branch)
        self.entries = []

    def _member(self, row):
        number = normalize_id_number(as_text(row.get(ID_NUMBER)))
        return self.members.get(number) or self.members.get((number, as_text(row.get(NAME))))

    def get_instance(self, instance_loader, row):
        member = self._member(row)
        return self.records.get(member.pk) if member is not None else None

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors = exc.update_error_dict(errors)
        member = self._member(row)
        number = normalize_id_number(as_text(row.get(ID_NUMBER)))
        if member is None:
            raise ValidationError(
                {
                    "member": _("No active member of this branch has ID number %(number)s.")
                    % {"number": number or "—"}
                }
            )
        name = as_text(row.get(NAME))
        if name and name != member.name:
            errors.setdefault("name", []).append(
                _("The name %(name)s does not match the member's name %(actual)s.")
                % {"name": name, "actual": member.name}
            )
        instance.member = member
        instance.campaign = self.campaign
        instance.branch = self.branch
        if errors:
            raise ValidationError(errors)

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if errors:
            raise ValidationError(errors)
        if any(entry["member"].pk == instance.member.pk for entry in self.entries):
            raise ValidationError(
                {"member": _("This member appears in an earlier row of the file.")}
            )
        instance.full_clean(validate_unique=False, validate_constraints=False)

    def do_instance_save(self, instance, is_create):
        # Saved together in after_import, by the service the form uses.
        self.entries.append(
            {
                "member": instance.member,
                "result": instance.result,
                "reason": instance.reason,
                "grade": instance.grade,
            }
        )

    def after_import(self, dataset, result, **kwargs):
        if result.has_errors() or result.has_validation_errors() or not self.entries:
            return
        try:
            services.registrations_save(
                campaign=self.campaign, branch=self.branch, user=self.user, entries=self.entries
            )
        except PermissionDenied as exc:
            raise ValidationError(_("You may not record the registration of this branch.")) from exc


def registration_import(campaign, branch):
    """The import of one branch's results for one registration year; a background worker
    rebuilds it from :func:`registration_import_by_codes` (see ``TableImport.origin``)."""

    class BranchRegistrationResource(RegistrationResource):
        def __init__(self, *, user=None, **kwargs):
            super().__init__(user=user, campaign=campaign, branch=branch, **kwargs)

    return TableImport(
        origin=(
            f"{__name__}.registration_import_by_codes",
            {"slug": campaign.slug, "code": branch.code},
        ),
        name="registration",
        title=gettext_lazy("Registration and evaluation of members"),
        columns=COLUMNS,
        required=REQUIRED,
        resource_class=BranchRegistrationResource,
        aliases=ALIASES,
        person_column=NAME,
        help_text=gettext_lazy(
            "One row per active member of the branch, found by ID number. 注册结果: 注册, "
            "暂缓注册 or 不予注册; 暂缓或不予注册原因 is required for the last two. 评议等次: 优秀, "
            "合格, 基本合格 or 不合格."
        ),
    )


def registration_import_by_codes(slug, code):
    return registration_import(Campaign.objects.get(slug=slug), Organization.objects.get(code=code))


def _sheet_rows(branch, user=None, campaign=""):
    """One row per active member with what is recorded, or 注册 and 合格 where nothing is."""
    year = Campaign.objects.filter(slug=campaign).first()
    records = services.records_of(year, branch) if year is not None else {}
    for serial, member in enumerate(services.members_to_register(branch), start=1):
        record = records.get(member.pk)
        yield [
            serial,
            member.name,
            privacy.id_number_for(user, member),
            chinese_label(
                RegistrationResult, record.result if record else RegistrationResult.REGISTERED
            ),
            record.reason if record else "",
            chinese_label(EvaluationGrade, record.grade if record else EvaluationGrade.QUALIFIED),
        ]


REGISTRATION_SHEET = register(
    OfficialTable(
        kind="registration_sheet",
        title=lambda branch, **options: str(
            _("Registration and evaluation of the members of %(name)s") % {"name": branch.name}
        ),
        columns=SHEET_COLUMNS,
        rows=_sheet_rows,
        count=lambda branch, user=None, **options: services.members_to_register(branch).count(),
        options=("campaign",),
        label=gettext_lazy("Registration and evaluation of a branch's members"),
        public=False,
        stampable=False,
        filename=lambda branch, **options: (
            f"registration-{branch.code}-{timezone.localdate():%Y%m%d}"
        ),
    )
)
