from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from branches.cadre_queries import CadreQuerySet, Gender, Nature, PoliticalStatus, Position
from branches.organization_queries import (  # noqa: F401
    DEPTH_OPS,
    REPEATING_NAME_KINDS,
    Kind,
    NoGraduationReason,
    OrganizationManager,
    OrganizationQuerySet,
    Ownership,
    Role,
    Sector,
    Status,
)
from branches.validators import (
    id_number_birth_date,
    normalize_id_number,
    normalize_phone,
    normalize_school_code,
    validate_id_number,
    validate_phone,
)
from youthleague.text import VisibleTextValidator


class Organization(MP_Node):
    """A node of the league's organisation tree (团组织), from the province down to a branch.

    An organisation is never deleted once it holds records: it is closed (撤销) or merged into
    another, and stays in the tree with its history, out of pickers and live figures.
    """

    Kind = Kind
    Status = Status
    Sector = Sector
    Ownership = Ownership
    NoGraduationReason = NoGraduationReason

    code = models.CharField(_("organisation code"), max_length=32, unique=True)
    name = models.CharField(
        _("organisation name"),
        max_length=100,
        validators=[VisibleTextValidator(_("organisation name"))],
    )
    kind = models.CharField(_("organisation type"), max_length=20, choices=Kind.choices)
    sector = models.CharField(_("sector"), max_length=20, choices=Sector.choices)
    school_code = models.CharField(
        _("school code"),
        max_length=20,
        blank=True,
        help_text=_("The education department's identifier of the school (学校标识码)."),
    )
    ownership = models.CharField(
        _("school ownership"), max_length=10, choices=Ownership.choices, blank=True
    )
    graduation_date = models.DateField(_("graduation date"), null=True, blank=True)
    no_graduation_reason = models.CharField(
        _("reason for no graduation date"),
        max_length=10,
        choices=NoGraduationReason.choices,
        blank=True,
    )
    secretary_name = models.CharField(
        _("secretary"),
        max_length=50,
        blank=True,
        validators=[VisibleTextValidator(_("secretary"))],
    )
    secretary_phone = models.CharField(
        _("secretary's phone"), max_length=20, blank=True, validators=[validate_phone]
    )

    opened_on = models.DateField(_("opened on"), null=True, blank=True)
    status = models.CharField(
        _("organisation status"),
        max_length=10,
        choices=Status.choices,
        default=Status.OPEN,
        editable=False,
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)
    closing_reason = models.CharField(
        _("reason for the closure"), max_length=200, blank=True, editable=False
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="merged_from",
        verbose_name=_("merged into"),
    )

    history = HistoricalRecords(excluded_fields=["numchild"])

    objects = OrganizationManager()

    node_order_by = []

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        indexes = [
            # A subtree is `path LIKE 'prefix%'`; on PostgreSQL only a pattern index serves it.
            models.Index(
                fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(fields=["kind", "path"], name="org_kind_path_idx"),
            # One level of a subtree (the dashboards' roll-up reads): a range, not a scan.
            models.Index(fields=["depth", "path"], name="org_depth_path_idx", opclasses=DEPTH_OPS),
        ]
        constraints = [
            models.CheckConstraint(condition=~Q(code=""), name="org_code_not_empty"),
            models.CheckConstraint(condition=Q(kind__in=Kind.values), name="org_kind_valid"),
            models.CheckConstraint(condition=Q(sector__in=Sector.values), name="org_sector_valid"),
            models.CheckConstraint(
                condition=Q(ownership__in=["", *Ownership.values]), name="org_ownership_valid"
            ),
            models.CheckConstraint(
                condition=Q(ownership="") | ~Q(school_code=""),
                name="org_ownership_only_for_schools",
            ),
            models.CheckConstraint(
                condition=Q(graduation_date__isnull=True, no_graduation_reason="")
                | Q(kind="class_branch"),
                name="org_graduation_only_for_class_branches",
            ),
            models.CheckConstraint(
                condition=Q(graduation_date__isnull=True) | Q(no_graduation_reason=""),
                name="org_graduation_date_or_reason",
            ),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="org_status_valid"),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | (~Q(status="open") & Q(closed_on__isnull=False)),
                name="org_closed_on_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(status="merged", merged_into__isnull=False)
                | (~Q(status="merged") & Q(merged_into__isnull=True)),
                name="org_merged_into_when_merged",
            ),
            models.CheckConstraint(
                condition=Q(opened_on__isnull=True)
                | Q(closed_on__isnull=True)
                | Q(closed_on__gte=F("opened_on")),
                name="org_closed_after_opened",
            ),
            models.UniqueConstraint(
                fields=["school_code"],
                condition=~Q(school_code=""),
                name="org_school_code_unique",
                violation_error_message=_("Another organisation already has this school code."),
            ),
        ]

    def __str__(self):
        parent_name = getattr(self, "parent_name", "")
        return f"{self.name} · {parent_name}" if parent_name else self.name

    def clean(self):
        super().clean()
        self.school_code = normalize_school_code(self.school_code)
        errors = {}
        if self.ownership and not self.school_code:
            errors["ownership"] = _("Only a school (with a school code) has an ownership.")
        if self.kind != self.Kind.CLASS_BRANCH:
            if self.graduation_date:
                errors["graduation_date"] = _("Only a student class branch has a graduation date.")
            if self.no_graduation_reason:
                errors["no_graduation_reason"] = _(
                    "Only a student class branch needs a reason for having no graduation date."
                )
        elif self.graduation_date and self.no_graduation_reason:
            errors["no_graduation_reason"] = _(
                "Give either a graduation date or a reason for having none, not both."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def short_name(self):
        """The name as notices write it: 共青团福州市委员会 -> 福州市, 省直机关团工委 stays."""
        name = self.name.removeprefix("共青团")
        for suffix in ("委员会", "团委"):
            if name.endswith(suffix) and len(name) > len(suffix):
                return name.removesuffix(suffix)
        return name

    @property
    def is_open(self):
        return self.status == self.Status.OPEN

    @property
    def is_branch(self):
        return self.kind in (self.Kind.BRANCH, self.Kind.CLASS_BRANCH)

    @property
    def is_school(self):
        return bool(self.school_code)

    def contains(self, other):
        """Whether ``other`` is this organisation or lies below it."""
        return other.path.startswith(self.path)

    def ancestor_paths(self):
        """Paths of the ancestors, root first (no query)."""
        step = self.steplen
        return [self.path[: step * level] for level in range(1, self.depth)]


class OrganizationAccess(models.Model):
    """Attaches a user to one organisation with one role; the base of every scoping decision."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organization_access",
        verbose_name=_("user"),
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="accesses",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation access")
        verbose_name_plural = _("organisation access")
        constraints = [
            models.CheckConstraint(condition=Q(role__in=Role.values), name="access_role_valid"),
        ]

    def __str__(self):
        return f"{self.user} · {self.organization} · {self.get_role_display()}"

    def clean(self):
        super().clean()
        if self.role == Role.SECRETARY and self.organization_id and not self.organization.is_branch:
            raise ValidationError(
                {"organization": _("A branch secretary must be attached to a branch.")}
            )
        if self.role == Role.PROVINCE and self.organization_id and not self.organization.is_root():
            raise ValidationError(
                {
                    "organization": _(
                        "Provincial staff must be attached to the provincial committee."
                    )
                }
            )


def secretary_on_record():
    """True for an organisation (the outer row) with a 书记 in post."""
    return Exists(Cadre.objects.active().secretaries().filter(organization=OuterRef("pk")))


def cadre_records_complete():
    """True for an organisation with a 书记 in post and no cadre in post missing a phone or an
    ID number: what the notice means by complete cadre records."""
    return secretary_on_record() & ~Exists(
        Cadre.objects.active().incomplete().filter(organization=OuterRef("pk"))
    )


class Cadre(models.Model):
    """A person holding a post in an organisation for a term (团干部).

    A cadre need not be a member (cadres are often over 28), so the record carries the person
    itself. A post in force has no ``ended_on``; an organisation has at most one 书记 in post.
    """

    Position = Position
    Gender = Gender
    PoliticalStatus = PoliticalStatus
    Nature = Nature

    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="cadres",
        verbose_name=_("organisation"),
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    id_number = models.CharField(
        _("ID number"), max_length=18, blank=True, validators=[validate_id_number]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    ethnicity = models.CharField(_("ethnicity"), max_length=20, blank=True)
    education = models.CharField(_("education"), max_length=20, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    political_status = models.CharField(
        _("political status"), max_length=20, choices=PoliticalStatus.choices, blank=True
    )
    nature = models.CharField(_("nature of the post"), max_length=20, choices=Nature.choices)
    on_party_committee = models.BooleanField(_("on the same-level party committee"), default=False)
    start_date = models.DateField(_("in post since"))
    term = models.CharField(
        _("term"), max_length=20, blank=True, help_text=_("The term of office, such as 第三届.")
    )
    term_end = models.DateField(_("term ends"), null=True, blank=True)
    ended_on = models.DateField(_("left the post on"), null=True, blank=True)

    history = HistoricalRecords()

    objects = CadreQuerySet.as_manager()

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        ordering = ["organization__path", "position", "start_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(position__in=Position.values), name="cadre_position_valid"
            ),
            models.CheckConstraint(
                condition=Q(gender__in=["", *Gender.values]), name="cadre_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(political_status__in=["", *PoliticalStatus.values]),
                name="cadre_political_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(nature__in=Nature.values), name="cadre_nature_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="cadre_name_not_empty"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=F("start_date")),
                name="cadre_term_end_after_start",
                violation_error_message=_("The term must end after the start date."),
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("start_date")),
                name="cadre_ended_after_start",
                violation_error_message=_("A post cannot end before it started."),
            ),
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(position="secretary", ended_on__isnull=True),
                name="cadre_one_secretary_in_post",
                violation_error_message=_(
                    "This organisation already has a secretary in post; end that post first."
                ),
            ),
        ]
        indexes = [
            models.Index(fields=["organization", "position"], name="cadre_org_position_idx"),
            models.Index(fields=["term_end"], name="cadre_term_end_idx"),
        ]

    def __str__(self):
        return f"{self.organization} · {self.get_position_display()} · {self.name}"

    def clean_fields(self, exclude=None):
        # One written form before the length and format checks: spreadsheets carry spaces,
        # full-width digits and a lower-case x.
        self.id_number = normalize_id_number(self.id_number)
        self.phone = normalize_phone(self.phone) if self.phone else ""
        self.name = (self.name or "").strip()
        super().clean_fields(exclude)

    def clean(self):
        super().clean()
        errors = {}
        born = None
        if len(self.id_number) == 18 and self.id_number[:17].isdigit():
            born = id_number_birth_date(self.id_number)
        if born is not None:
            if self.birth_date is None:
                self.birth_date = born
            elif self.birth_date != born:
                errors["birth_date"] = _("The date of birth differs from the ID number's.")
            gender = Gender.MALE if int(self.id_number[16]) % 2 else Gender.FEMALE
            if not self.gender:
                self.gender = gender
            elif self.gender != gender:
                errors["gender"] = _("The gender differs from the ID number's.")
        if errors:
            raise ValidationError(errors)

    @property
    def is_active(self):
        return self.ended_on is None
