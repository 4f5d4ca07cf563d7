import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from pypinyin import Style, lazy_pinyin
from simple_history.models import HistoricalRecords

from branches import access
from branches.models import Organization
from branches.validators import normalize_phone, validate_phone
from members import id_numbers, validators
from members.choices import DocumentType, Education, Ethnicity, Gender, Identity
from members.models.status import AGE_LIMIT, IN_LEAGUE, MemberStatus
from members.privacy import mask_id_number

BRANCH_KINDS = [Organization.Kind.BRANCH, Organization.Kind.CLASS_BRANCH]


def add_months(day, months):
    """``day`` plus whole months, clamped to the month's last day (Jan 31 + 1 = Feb 28)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def entry_deadline_for(join_date):
    """The last day to enter a member who joined on ``join_date``; None before the rule applied."""
    rules = settings.YOUTHLEAGUE
    if join_date is None or join_date < rules["ENTRY_DEADLINE_SINCE"]:
        return None
    return add_months(join_date, rules["ENTRY_DEADLINE_MONTHS"])


def years_before(day, years):
    """``day`` ``years`` years earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_limit_birth_date(today, days=0):
    """The latest birth date of someone who is 28 on ``today + days``."""
    from datetime import timedelta

    return years_before(today + timedelta(days=days), AGE_LIMIT)


def age_limit_date(birth_date):
    """The day a member born on ``birth_date`` turns 28 (1 March for 29 February)."""
    try:
        return birth_date.replace(year=birth_date.year + AGE_LIMIT)
    except ValueError:
        return date(birth_date.year + AGE_LIMIT, 3, 1)


def name_initials(name):
    """Pinyin initials of a Chinese name (张晓明 -> zxm), for searching."""
    return "".join(lazy_pinyin(name or "", style=Style.FIRST_LETTER, errors="ignore")).lower()[:20]


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members the user may see: their current branch or their developing organisation is
        in the user's scope (the developer keeps following members who moved away)."""
        return self.filter(access.member_visible_q(user))

    def editable_by(self, user):
        """Members whose record the user may change: those currently in a branch of their scope."""
        if not access.can(user, access.Capability.ENTER_MEMBERS):
            return self.none()
        return access.scope_queryset(user, self, via="branch__")

    def new_members(self):
        """Members who joined since the new-member date (新发展团员)."""
        return self.filter(join_date__gte=settings.YOUTHLEAGUE["NEW_MEMBER_SINCE"])

    def under_entry_deadline(self):
        """Members bound by the one-month entry rule."""
        return self.filter(entry_deadline__isnull=False)

    def entered_late(self):
        return self.filter(entered_late=True)

    def in_subtree(self, organization, via="branch__"):
        return self.filter(**{f"{via}path__startswith": organization.path})

    def in_league(self):
        """Members still in the League (在团 or 保留团籍): what live figures and lists count."""
        return self.filter(status__in=IN_LEAGUE)

    def left(self):
        """Members who left the League (超龄离团, 自愿退团, 停止团籍, 开除团籍, 去世)."""
        return self.exclude(status__in=IN_LEAGUE)

    def reaching_age_limit(self, *, today, days):
        """Members in the League who turn 28 within ``days`` days after ``today``, or already
        have: born on or before the day 28 years before ``today + days``."""
        return self.in_league().filter(birth_date__lte=age_limit_birth_date(today, days))


class Member(models.Model):
    """A league member (团员) as entered into the system by their branch."""

    # A context keeps this "name" apart from django.contrib.auth's, whose translation wins otherwise.
    name = models.CharField(
        pgettext_lazy("member", "name"), max_length=50, validators=[validators.validate_member_name]
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=Ethnicity.choices)
    ethnicity_note = models.CharField(
        _("ethnicity note"),
        max_length=20,
        blank=True,
        help_text=_("With 其他: the people's own name, such as 穿青人."),
    )
    birth_date = models.DateField(_("date of birth"))
    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.RESIDENT_ID,
        help_text=_(
            "Residence permits (numbers beginning 81, 82, 83) and foreigners' permanent "
            "residence cards (beginning 9) are recognised from the number."
        ),
    )
    id_number = models.CharField(
        _("ID number"),
        max_length=18,
        unique=True,
        help_text=_(
            "18 characters. Full-width digits become half-width, spaces are removed and a "
            "lowercase x becomes X."
        ),
        error_messages={"unique": _("A member with this ID number is already in the system.")},
    )
    education = models.CharField(_("education"), max_length=30, choices=Education.choices)
    identity = models.CharField(_("identity"), max_length=30, choices=Identity.choices)
    join_date = models.DateField(
        _("join date"),
        help_text=_("The day the branch general meeting approved the member (支部大会通过日期)."),
    )
    development_number = models.BigIntegerField(
        _("development number"),
        null=True,
        blank=True,
        unique=True,
        error_messages={"unique": _("This number is already used; contact the committee above.")},
    )
    # Both foreign keys are the first column of a composite index (Meta.indexes), which serves
    # their look-ups; a single-column index of their own would only cost writes.
    developing_organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="developed_members",
        verbose_name=_("developing organisation"),
        db_index=False,
    )
    branch = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        db_index=False,
        related_name="members",
        verbose_name=_("current branch"),
        limit_choices_to={"kind__in": BRANCH_KINDS},
    )
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_phone])
    entered_at = models.DateTimeField(_("entered at"), default=timezone.now, editable=False)
    # Derived from the fields above on every save, so that figures are plain filters.
    entry_deadline = models.DateField(_("entry deadline"), null=True, editable=False)
    entered_late = models.BooleanField(_("entered late"), default=False, editable=False)
    name_initials = models.CharField(max_length=20, blank=True, editable=False)
    # Changed only through members.status.services, which keeps the history of every change.
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=MemberStatus.choices,
        default=MemberStatus.ACTIVE,
        editable=False,
    )
    status_since = models.DateField(_("status since"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["name_initials"])

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["-entered_at", "-id"]
        indexes = [
            models.Index(fields=["join_date"], name="member_join_date_idx"),
            models.Index(fields=["-entered_at", "-id"], name="member_entered_idx"),
            # Searches match the start of a name, of its initials or of an ID number; on
            # PostgreSQL only pattern indexes serve LIKE 'prefix%'.
            models.Index(
                fields=["name"], name="member_name_idx", opclasses=["varchar_pattern_ops"]
            ),
            models.Index(
                fields=["name_initials"],
                name="member_initials_idx",
                opclasses=["varchar_pattern_ops"],
            ),
            # id_number is unique: PostgreSQL already has its pattern index (``..._like``).
            models.Index(fields=["branch", "join_date"], name="member_branch_join_idx"),
            models.Index(fields=["status", "birth_date"], name="member_status_birth_idx"),
            models.Index(
                fields=["developing_organization", "join_date"], name="member_developer_join_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(development_number__isnull=True)
                | Q(development_number__gte=10**11, development_number__lt=10**12),
                name="member_number_twelve_digits",
            ),
            models.CheckConstraint(
                condition=Q(gender__in=Gender.values), name="member_gender_valid"
            ),
            models.CheckConstraint(
                condition=Q(document_type__in=DocumentType.values),
                name="member_document_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(ethnicity__in=Ethnicity.values), name="member_ethnicity_valid"
            ),
            models.CheckConstraint(
                condition=Q(education__in=Education.values), name="member_education_valid"
            ),
            models.CheckConstraint(
                condition=Q(identity__in=Identity.values), name="member_identity_valid"
            ),
            models.CheckConstraint(
                condition=Q(join_date__gt=models.F("birth_date")), name="member_joined_after_birth"
            ),
            models.CheckConstraint(
                condition=Q(status__in=MemberStatus.values), name="member_status_valid"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_derived_fields()
        super().save(*args, **kwargs)

    def refresh_derived_fields(self, derived=None):
        """Recompute the stored derivations; bulk writers call this before inserting, with
        ``derived`` (``members.bulk_insert.DerivedFields``) computing each once per value."""
        self.id_number = validators.normalize_id_number(self.id_number)
        self.phone = normalize_phone(self.phone)
        self.name = (self.name or "").strip()
        if derived is None:
            self.name_initials = name_initials(self.name)
            self.entry_deadline = entry_deadline_for(self.join_date)
        else:
            self.name_initials = derived.initials(self.name)
            self.entry_deadline = derived.deadline(self.join_date)
        entered_on = timezone.localdate(self.entered_at) if self.entered_at else None
        self.entered_late = bool(
            self.entry_deadline and entered_on and entered_on > self.entry_deadline
        )

    def clean_fields(self, exclude=None, once=None):
        # The stated rule applies before any check, and clean() judges the ID number with one
        # clear message (its length included), so the field's own max_length check is skipped.
        # ``once`` (spreadsheets.once.OncePerValue) asks each field once per value: imports.
        self.id_number = validators.normalize_id_number(self.id_number)
        exclude = {*(exclude or ()), "id_number"}
        if once is None:
            super().clean_fields(exclude=exclude)
        else:
            once.clean_fields(self, exclude)

    def clean(self):
        super().clean()
        self.id_number = validators.normalize_id_number(self.id_number)
        errors = {}
        self._check_id_number(errors)
        if self.ethnicity_note and self.ethnicity not in (
            Ethnicity.OTHER,
            Ethnicity.FOREIGN_ORIGIN,
        ):
            errors["ethnicity_note"] = [_("A note is kept only for 其他 (another people).")]
        if self.join_date:
            try:
                validators.check_join_date(self.join_date)
            except ValidationError as exc:
                errors.setdefault("join_date", []).extend(exc.messages)
            if self.birth_date and self.join_date > self.birth_date:
                age = validators.age_on(self.birth_date, self.join_date)
                if not validators.MIN_JOIN_AGE <= age <= validators.MAX_JOIN_AGE:
                    errors.setdefault("join_date", []).append(
                        _(
                            "A member joins between the ages of %(min)d and %(max)d; this one was %(age)d."
                        )
                        % {
                            "min": validators.MIN_JOIN_AGE,
                            "max": validators.MAX_JOIN_AGE,
                            "age": age,
                        }
                    )
            elif self.birth_date:
                errors.setdefault("join_date", []).append(
                    _("The join date must be after the date of birth.")
                )
            self._check_development_number(errors)
        if self.branch_id and self.branch.kind not in BRANCH_KINDS:
            errors["branch"] = [_("A member belongs to a branch or a class branch.")]
        elif self.branch_id and not self.branch.is_open:
            errors["branch"] = [_("This branch is closed; choose a branch still in use.")]
        if errors:
            raise ValidationError(errors)

    def _check_id_number(self, errors):
        """The number against its document, and the birth date and gender it holds."""
        number = self.id_number
        if self.document_type == DocumentType.RESIDENT_ID:
            # A permit's or a foreigner's card's number says what it is; a form or a file that
            # knows no document type still records it rightly.
            self.document_type = id_numbers.infer_document_type(number)
        try:
            id_numbers.validate_id_number(number, self.document_type)
        except ValidationError as exc:
            errors["id_number"] = exc.messages
            return
        if self.document_type == DocumentType.OTHER:
            return
        born = id_numbers.birth_date_of(number)
        if self.birth_date and born != self.birth_date:
            errors.setdefault("birth_date", []).append(
                _("The date of birth does not match the ID number (%(date)s).")
                % {"date": born.isoformat()}
            )
        if self.gender and id_numbers.gender_of(number) != self.gender:
            errors.setdefault("gender", []).append(_("The gender does not match the ID number."))

    def _check_development_number(self, errors):
        if self.development_number is None:
            if validators.number_required(self.join_date):
                errors.setdefault("development_number", []).append(
                    _("A development number is required for members who joined since %(date)s.")
                    % {"date": settings.YOUTHLEAGUE["NEW_MEMBER_SINCE"].isoformat()}
                )
            return
        text = str(self.development_number)
        if len(text) != 12:
            errors.setdefault("development_number", []).append(
                _("A development number has exactly 12 digits.")
            )
            return
        years = validators.development_number_years(self.join_date)
        if int(text[:4]) not in years:
            errors.setdefault("development_number", []).append(
                _("The number must start with the join year (%(years)s).")
                % {"years": "/".join(str(y) for y in sorted(years))}
            )
            return
        # Whether the number may be this member's (in the developer's ranges, not used, not
        # registered) asks about other records: members.models.number_rule.check_member_number,
        # which the services, the form and the import call with the facts they hold.

    @property
    def in_league(self):
        return self.status in IN_LEAGUE

    @property
    def turns_28_on(self):
        return age_limit_date(self.birth_date) if self.birth_date else None

    @property
    def is_new_member(self):
        return validators.number_required(self.join_date)

    @property
    def development_number_text(self):
        return validators.format_development_number(self.development_number)

    @property
    def masked_id_number(self):
        """First six and last four characters; for readers who do not edit the record."""
        return mask_id_number(self.id_number)
