"""Factories for the whole suite: build graphs of objects with defaults, never by hand."""

from datetime import date, timedelta

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from branches.models import Cadre, Organization, OrganizationAccess, Role
from members.demo import fake_id_number
from members.models import add_months


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An organisation; pass ``parent=`` to place it, none makes (or reuses) the root."""

    class Meta:
        model = Organization

    code = factory.Sequence(lambda n: f"ORG{n:05d}")
    name = factory.Sequence(lambda n: f"测试团组织{n}")
    kind = Organization.Kind.BRANCH
    sector = Organization.Sector.ENTERPRISE

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        node = model_class(**kwargs)
        if parent is None:
            return Organization.objects.add_root(instance=node)
        return Organization.objects.add_child(parent, instance=node)


def province(**kwargs):
    return OrganizationFactory(
        kind=Organization.Kind.PROVINCE, sector=Organization.Sector.GOVERNMENT, **kwargs
    )


def committee(parent, kind=Organization.Kind.CITY, **kwargs):
    kwargs.setdefault("sector", Organization.Sector.GOVERNMENT)
    return OrganizationFactory(parent=parent, kind=kind, **kwargs)


def branch(parent, **kwargs):
    return OrganizationFactory(parent=parent, kind=Organization.Kind.BRANCH, **kwargs)


def class_branch(parent, **kwargs):
    return OrganizationFactory(
        parent=parent,
        kind=Organization.Kind.CLASS_BRANCH,
        sector=Organization.Sector.SCHOOL,
        **kwargs,
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", "pass-word-123")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(organization, role, **kwargs):
    """A staff user attached to ``organization`` with ``role``."""
    user = UserFactory(**kwargs)
    OrganizationAccess.objects.create(user=user, organization=organization, role=Role(role))
    return user


class MemberFactory(factory.django.DjangoModelFactory):
    """A valid member; give ``branch=`` (the developing organisation defaults to it)."""

    class Meta:
        model = "members.Member"

    class Params:
        serial = factory.Sequence(lambda n: n)

    name = factory.Sequence(lambda n: f"团员{n}")
    gender = factory.LazyAttribute(lambda o: "M" if o.serial % 2 else "F")
    ethnicity = "01"
    birth_date = factory.LazyAttribute(lambda o: date(2000, 1, 1) + timedelta(days=o.serial % 2000))
    id_number = factory.LazyAttribute(
        lambda o: fake_id_number(o.birth_date, o.gender, region="350102", serial=o.serial)
    )
    education = "senior_secondary"
    identity = "student"
    join_date = factory.LazyAttribute(lambda o: add_months(o.birth_date, 17 * 12))
    development_number = factory.LazyAttribute(
        lambda o: (
            None if o.join_date.year < 2017 else int(f"{o.join_date.year}{o.serial % 10**8:08d}")
        )
    )
    developing_organization = factory.LazyAttribute(lambda o: o.branch)
    phone = "13800138000"


# --- development numbers -----------------------------------------------------------------------


class NumberRangeFactory(factory.django.DjangoModelFactory):
    """A range; give ``organization``, ``first`` and ``last`` (saved without the tree checks)."""

    class Meta:
        model = "members.NumberRange"

    first = 201900010001
    last = factory.LazyAttribute(lambda o: o.first + 99)


class UnusedNumberFactory(factory.django.DjangoModelFactory):
    """A register entry in ``number_range``; ``last`` defaults to ``first``."""

    class Meta:
        model = "members.UnusedNumber"

    first = factory.LazyAttribute(lambda o: o.number_range.first)
    last = factory.LazyAttribute(lambda o: o.first)
    organization = factory.LazyAttribute(lambda o: o.number_range.organization)
    status = "unused"
    explanation = "预留编号，尚未使用"


class IssuedNumberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "members.IssuedNumber"

    number = factory.LazyAttribute(lambda o: o.number_range.first)
    organization = factory.LazyAttribute(lambda o: o.number_range.organization)


def new_member(branch, number, *, year=None, developing_organization=None, **kwargs):
    """A member who joined in ``year`` (the number's year by default) holding ``number``."""
    year = year or number // 10**8
    serial = number % 997
    return MemberFactory(
        branch=branch,
        developing_organization=developing_organization or branch,
        development_number=number,
        join_date=date(year, 5, 1),
        birth_date=date(year - 17, 1, 1) + timedelta(days=serial % 300),
        **kwargs,
    )


def members_by_scheme(plan):
    """Members numbered as the demo numbers them; ``plan`` is {year: [(branch, count), ...]}.

    For each year, developing organisations in tree order get consecutive numbers from
    ``{year}00010001``, with 8 spare numbers after each organisation's block.
    """
    members = []
    for year, entries in sorted(plan.items()):
        number = int(f"{year}00010001")
        for branch_, count in sorted(entries, key=lambda entry: entry[0].path):
            for _ in range(count):
                members.append(new_member(branch_, number, year=year))
                number += 1
            number += 8
    return members


# --- a scripted province with known ledger figures -------------------------------------------


class NumberedProvince:
    """P > C1 > K1 > B1 (range), B2 (none); C1 > B3 (none); P > C2 > B4; P > C3 (no range).

    Ranges (2019): P 10001–10300, C1 10001–10100, K1 10001–10040, B1 10001–10020,
    C2 10101–10150. Members: B1 10001–10010, B2 10021–10025, B3 10041–10042,
    B4 10101–10130. Registered: B1 10011–10015 voided, C1 10050 lost, C2 10131–10150 unused.
    Attributes: the organisations by lower-case code (``province``, ``c1`` ...), ``ranges`` by
    code, and users ``province_user``, ``c1_user``, ``k1_user``, ``c2_user``, ``b1_secretary``,
    ``b2_secretary``.
    """

    def __init__(self, **parts):
        self.__dict__.update(parts)


def n2019(suffix):
    """201900010001 from 10001: the scripted province's numbers are all of 2019."""
    return 201900000000 + suffix


def numbered_province():
    """Build the :class:`NumberedProvince`, one user per role."""
    root = province(code="P", name="测试省团委")
    c1 = committee(root, code="C1", name="甲市团委")
    k1 = committee(c1, kind=Organization.Kind.COUNTY, code="K1", name="甲县团委")
    b1 = branch(k1, code="B1", name="甲县第一团支部")
    b2 = branch(k1, code="B2", name="甲县第二团支部")
    b3 = branch(c1, code="B3", name="甲市直属团支部")
    c2 = committee(root, code="C2", name="乙市团委")
    b4 = branch(c2, code="B4", name="乙市第一团支部")
    c3 = committee(root, code="C3", name="丙市团委")
    ranges = {
        code: NumberRangeFactory(organization=org, first=n2019(first), last=n2019(last))
        for code, org, first, last in [
            ("P", root, 10001, 10300),
            ("C1", c1, 10001, 10100),
            ("K1", k1, 10001, 10040),
            ("B1", b1, 10001, 10020),
            ("C2", c2, 10101, 10150),
        ]
    }
    for holder, first, last in [
        (b1, 10001, 10010),
        (b2, 10021, 10025),
        (b3, 10041, 10042),
        (b4, 10101, 10130),
    ]:
        for suffix in range(first, last + 1):
            new_member(holder, n2019(suffix))
    UnusedNumberFactory(
        number_range=ranges["B1"], first=n2019(10011), last=n2019(10015), status="voided"
    )
    UnusedNumberFactory(number_range=ranges["C1"], first=n2019(10050), status="lost")
    UnusedNumberFactory(number_range=ranges["C2"], first=n2019(10131), last=n2019(10150))
    return NumberedProvince(
        province=root,
        c1=c1,
        k1=k1,
        b1=b1,
        b2=b2,
        b3=b3,
        c2=c2,
        b4=b4,
        c3=c3,
        ranges=ranges,
        province_user=user_with_role(root, Role.PROVINCE, username="prov"),
        c1_user=user_with_role(c1, Role.COMMITTEE, username="c1"),
        k1_user=user_with_role(k1, Role.COMMITTEE, username="k1"),
        c2_user=user_with_role(c2, Role.COMMITTEE, username="c2"),
        b1_secretary=user_with_role(b1, Role.SECRETARY, username="b1"),
        b2_secretary=user_with_role(b2, Role.SECRETARY, username="b2"),
    )


class CadreFactory(factory.django.DjangoModelFactory):
    """A cadre in post with a complete record: pass ``organization=``."""

    class Meta:
        model = Cadre
        exclude = ["serial"]

    serial = factory.Sequence(lambda n: n)
    position = Cadre.Position.SECRETARY
    name = factory.Sequence(lambda n: f"干部{n}")
    gender = factory.LazyAttribute(lambda o: "M" if o.serial % 2 else "F")
    birth_date = factory.LazyAttribute(lambda o: date(1990, 1, 1) + timedelta(days=o.serial % 3000))
    id_number = factory.LazyAttribute(
        lambda o: fake_id_number(o.birth_date, o.gender, serial=o.serial)
    )
    ethnicity = "汉族"
    education = "大学本科"
    phone = "13900139000"
    political_status = Cadre.PoliticalStatus.PARTY_MEMBER
    nature = Cadre.Nature.PART_TIME
    start_date = date(2021, 9, 1)
    term = "第一届"
    # Far from any warning: a test that wants a term due says so.
    term_end = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=1000))
