"""Demo and test data for members: valid ID numbers and plausible people.

:func:`build_members` fills the demo tree's branches with members who joined between 2015 and
the spring of 2019 (the demo's campaign is the 2019 notice). Some joined before 2017 and have no
development number; some of those bound by the one-month entry rule were entered late.

Development numbers follow one scheme, which the demo's number ranges are built around: for each
join year from 2017, the developing organisations are taken in tree order (``path``); each one's
members of that year get consecutive numbers, the first organisation's block starting at
``{year}00010001``, and every block is followed by a gap of :data:`SPARE_NUMBERS` spare numbers.
An organisation with no member in a year takes no block that year. So every subtree's numbers of
a year lie in one interval that holds no number of another subtree.
"""

import random
from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from stdnum.cn import ric

from branches.models import Organization
from members.choices import Education, Ethnicity, Gender, Identity
from members.models import BRANCH_KINDS, Member, entry_deadline_for
from members.services import member_bulk_create

JOIN_FROM = date(2015, 1, 1)
JOIN_UNTIL = date(2019, 5, 31)
PRE_2017_SHARE = 0.12
LATE_SHARE = 0.2
SPARE_NUMBERS = 8

SURNAMES = "王李张刘陈杨黄吴林郑赵周徐孙马朱胡郭何高罗梁宋谢叶许苏蔡曾邱"
GIVEN = "晓明丽华志强雅婷建国心君思远嘉欣子涵宇航佳怡俊杰诗琪浩然梦瑶文博欣怡泽宇雨桐"
# County codes of Fujian that were in use for every birth year the demo draws (ID numbers carry
# the code of the birth place as it was then, and python-stdnum checks it).
REGIONS = [
    "350102",
    "350103",
    "350104",
    "350105",
    "350111",
    "350121",
    "350203",
    "350211",
    "350302",
    "350303",
    "350322",
    "350429",
    "350502",
    "350521",
    "350602",
    "350623",
]
# Fujian's largest minorities after the Han: the She above all.
MINORITIES = [Ethnicity.SHE, Ethnicity.SHE, Ethnicity.HUI, Ethnicity.MIAO, Ethnicity.TUJIA]


def fake_id_number(birth_date, gender, *, region="350102", serial=1):
    """A valid 18-character ID number for ``birth_date`` and ``gender`` (serial 0-499)."""
    sequence = serial % 500 * 2 + (1 if gender == Gender.MALE else 0)
    body = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def first_development_number(year):
    """Where the demo's numbers of ``year`` start."""
    return int(f"{year}00010001")


def assign_development_numbers(members):
    """Number ``members`` (unsaved, joined 2017 or later) by the scheme of this module.

    Each member needs ``join_date`` and ``developing_organization`` (with its ``path``).
    """
    blocks = defaultdict(list)
    since = settings.YOUTHLEAGUE["NEW_MEMBER_SINCE"]
    for member in members:
        if member.join_date >= since:
            blocks[member.join_date.year, member.developing_organization.path].append(member)
    for year in sorted({year for year, _path in blocks}):
        number = first_development_number(year)
        for key in sorted(key for key in blocks if key[0] == year):
            for member in sorted(blocks[key], key=lambda m: (m.join_date, m.id_number)):
                member.development_number = number
                number += 1
            number += SPARE_NUMBERS


def _years_before(day, years):
    """``day`` moved back whole years (29 February becomes the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


class _People:
    """Draws plausible members for a branch, each with a unique, valid ID number."""

    def __init__(self, rng):
        self.rng = rng
        self.serials = defaultdict(int)
        self.join_span = (JOIN_UNTIL - JOIN_FROM).days
        self.new_since = settings.YOUTHLEAGUE["NEW_MEMBER_SINCE"]

    def profile(self, branch):
        """(youngest, oldest) age at joining, educations and identity for the branch's sector."""
        school = branch.sector == Organization.Sector.SCHOOL
        if (
            school
            and branch.kind == Organization.Kind.CLASS_BRANCH
            and branch.code[:3]
            in {
                "XMU",
                "FZU",
            }
        ):
            if branch.no_graduation_reason:
                return (22, 28), [Education.MASTER, Education.DOCTORATE], Identity.PUBLIC_SERVANT
            return (17, 21), [Education.UNDERGRADUATE], Identity.STUDENT
        if school and branch.kind == Organization.Kind.CLASS_BRANCH:
            return (
                (14, 17),
                [Education.JUNIOR_SECONDARY, Education.SENIOR_SECONDARY],
                (Identity.STUDENT),
            )
        if school:
            return (22, 28), [Education.UNDERGRADUATE, Education.MASTER], Identity.PUBLIC_SERVANT
        if branch.sector == Organization.Sector.RURAL:
            educations = [Education.JUNIOR_SECONDARY, Education.VOCATIONAL_SECONDARY]
            return (16, 28), educations, self.rng.choice([Identity.FARMER, Identity.MIGRANT_WORKER])
        educations = [Education.VOCATIONAL_SECONDARY, Education.JUNIOR_COLLEGE]
        return (18, 28), [*educations, Education.UNDERGRADUATE], Identity.ENTERPRISE_EMPLOYEE

    def join_date(self):
        if self.rng.random() < PRE_2017_SHARE:
            return JOIN_FROM + timedelta(days=self.rng.randrange((self.new_since - JOIN_FROM).days))
        span = (JOIN_UNTIL - self.new_since).days
        return self.new_since + timedelta(days=self.rng.randrange(span + 1))

    def birth_date(self, join_date, youngest, oldest):
        latest = _years_before(join_date, youngest)
        earliest = _years_before(join_date, oldest + 1) + timedelta(days=1)
        return earliest + timedelta(days=self.rng.randrange((latest - earliest).days + 1))

    def id_number(self, birth_date, gender):
        region = self.rng.choice(REGIONS)
        key = (region, birth_date, gender)
        serial = self.serials[key]
        self.serials[key] += 1
        return fake_id_number(birth_date, gender, region=region, serial=serial)

    def entered_at(self, join_date, deadline):
        rng = self.rng
        if deadline is not None:
            if rng.random() < LATE_SHARE:
                day = deadline + timedelta(days=rng.randrange(1, 90))
            else:
                day = join_date + timedelta(days=rng.randrange((deadline - join_date).days + 1))
        else:
            day = join_date + timedelta(days=rng.randrange(0, 400))
        moment = datetime.combine(day, time(rng.randrange(8, 18), rng.randrange(60)))
        return timezone.make_aware(moment)

    def phone(self):
        rng = self.rng
        if rng.random() < 0.1:
            return f"0591-{rng.randrange(2, 9)}{rng.randrange(10**6, 10**7)}"
        return f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"

    def name(self):
        rng = self.rng
        given = "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        return rng.choice(SURNAMES) + given

    def ethnicity(self):
        return self.rng.choice(MINORITIES) if self.rng.random() < 0.06 else Ethnicity.HAN


def build_members(count, seed=2019, *, user=None):
    """Create ``count`` valid members across the demo tree's branches; returns them.

    Inserted in bulk with one history record each (``user`` as their author); a few thousand
    take a second or two.
    """
    branches = list(Organization.objects.filter(kind__in=BRANCH_KINDS).order_by("path"))
    if count <= 0 or not branches:
        return []
    rng = random.Random(seed)
    people = _People(rng)
    members = []
    for _index in range(count):
        branch = rng.choice(branches)
        (youngest, oldest), educations, identity = people.profile(branch)
        join_date = people.join_date()
        gender = rng.choice([Gender.MALE, Gender.FEMALE])
        birth_date = people.birth_date(join_date, youngest, oldest)
        members.append(
            Member(
                name=people.name(),
                gender=gender,
                ethnicity=people.ethnicity(),
                birth_date=birth_date,
                id_number=people.id_number(birth_date, gender),
                education=rng.choice(educations),
                identity=identity,
                join_date=join_date,
                developing_organization=branch,
                branch=branch,
                phone=people.phone(),
                entered_at=people.entered_at(join_date, entry_deadline_for(join_date)),
            )
        )
    assign_development_numbers(members)
    return member_bulk_create(members=members, user=user, change_reason="seed_demo")
