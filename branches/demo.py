"""The demo province's organisation tree and its logins, after the 2019 Fujian notice.

The tree holds the province committee, its nine cities and Pingtan, the four kinds of system
committees beside them, counties, middle schools (public and private), townships, enterprises and
a university whose committee forwarded the notice to its colleges, its independent college and its
administration, as the seed notice shows. Its cadres (:func:`build_cadres`) leave a county and a
school without a secretary and let some terms fall due.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from stdnum.cn import ric

from branches.models import Cadre, Organization, Role
from branches.services import organization_close, organization_save, user_grant

Kind = Organization.Kind
Sector = Organization.Sector

DEMO_PASSWORD = "Tuanyuan-2019"

CITIES = [
    ("350100", "福州市", [("350102", "鼓楼区"), ("350104", "仓山区"), ("350121", "闽侯县")]),
    ("350200", "厦门市", [("350203", "思明区"), ("350206", "湖里区")]),
    ("350300", "莆田市", [("350302", "城厢区"), ("350322", "仙游县")]),
    ("350400", "三明市", [("350404", "三元区"), ("350481", "永安市")]),
    ("350500", "泉州市", [("350502", "鲤城区"), ("350582", "晋江市"), ("350583", "南安市")]),
    ("350600", "漳州市", [("350602", "芗城区"), ("350681", "龙海区")]),
    ("350700", "南平市", [("350702", "延平区"), ("350783", "建瓯市")]),
    ("350800", "龙岩市", [("350802", "新罗区"), ("350823", "上杭县")]),
    ("350900", "宁德市", [("350902", "蕉城区"), ("350981", "福安市")]),
    ("350128", "平潭综合实验区", [("350128-01", "平潭综合实验区潭城片区")]),
]

PRIVATE_SCHOOL_COUNTIES = {"350104", "350206", "350582", "350602", "350902"}

# (code, name, school code, graduation year offsets of its class branches)
UNIVERSITY = ("XMU", "厦门大学团委", "4135010384")
COLLEGES = [
    ("XMU-INF", "厦门大学信息学院团委", ["计算机科学与技术", "软件工程"]),
    ("XMU-ECO", "厦门大学经济学院团委", ["经济学", "金融学"]),
    ("XMU-JG", "厦门大学嘉庚学院团委", ["国际经济与贸易", "环境工程"]),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    code: str
    note: str


DEMO_LOGINS = [
    DemoLogin("province", Role.PROVINCE, "350000", "团省委组织部"),
    DemoLogin("fuzhou", Role.COMMITTEE, "350100", "福州市团委"),
    DemoLogin("xiamen", Role.COMMITTEE, "350200", "厦门市团委"),
    DemoLogin("xmu", Role.COMMITTEE, "XMU", "厦门大学团委（转发通知的校团委）"),
    DemoLogin("gulou", Role.COMMITTEE, "350102", "福州市鼓楼区团委"),
    DemoLogin("school", Role.COMMITTEE, "350102-S1", "福州市鼓楼区第一中学团委"),
    DemoLogin("secretary", Role.SECRETARY, "XMU-INF-C1", "信息学院班级团支部书记"),
    DemoLogin("secretary2", Role.SECRETARY, "350102-E1-B1", "企业团支部书记"),
]


class TreeBuilder:
    def __init__(self, rng):
        self.rng = rng
        self.school_serial = 0

    def add(self, parent, code, name, kind, sector, **extra):
        node = Organization(code=code, name=name, kind=kind, sector=sector, **extra)
        if parent is None:
            return Organization.objects.add_root(instance=node)
        return Organization.objects.add_child(parent, instance=node)

    def school_code(self, prefix):
        self.school_serial += 1
        return f"{prefix}{self.school_serial:04d}"

    def class_branches(self, parent, code_prefix, names, years):
        for index, (name, year) in enumerate(zip(names, years, strict=True), start=1):
            filled = self.rng.random() < 0.55
            self.add(
                parent,
                f"{code_prefix}-C{index}",
                name,
                Kind.CLASS_BRANCH,
                Sector.SCHOOL,
                graduation_date=date(year, 6, 30) if filled else None,
                secretary_name=_secretary_name(self.rng),
            )

    def middle_school(self, county, suffix, name, *, private):
        school = self.add(
            county,
            f"{county.code}-{suffix}",
            name,
            Kind.GRASSROOTS,
            Sector.SCHOOL,
            school_code=self.school_code(f"3135{county.code[2:6]}"),
            ownership=Organization.Ownership.PRIVATE if private else Organization.Ownership.PUBLIC,
        )
        self.class_branches(
            school,
            school.code,
            ["高三（1）班团支部", "高三（2）班团支部", "高二（1）班团支部"],
            [2019, 2019, 2020],
        )
        self.add(
            school,
            f"{school.code}-T",
            f"{name.removesuffix('团委')}教职工团支部",
            Kind.BRANCH,
            Sector.SCHOOL,
        )
        return school

    def county(self, city, code, name):
        county = self.add(city, code, f"共青团{name}委员会", Kind.COUNTY, Sector.GOVERNMENT)
        self.middle_school(county, "S1", f"{name}第一中学团委", private=False)
        if code in PRIVATE_SCHOOL_COUNTIES:
            self.middle_school(county, "S2", f"{name}华侨民办中学团委", private=True)
        town = self.add(county, f"{code}-T1", f"{name}城关镇团委", Kind.GRASSROOTS, Sector.RURAL)
        for index in (1, 2):
            self.add(
                town, f"{code}-T1-B{index}", f"城关镇第{index}村团支部", Kind.BRANCH, Sector.RURAL
            )
        company = self.add(
            county, f"{code}-E1", f"{name}工业园区企业团委", Kind.GRASSROOTS, Sector.ENTERPRISE
        )
        for index in (1, 2):
            self.add(
                company,
                f"{code}-E1-B{index}",
                f"园区企业第{index}团支部",
                Kind.BRANCH,
                Sector.ENTERPRISE,
                secretary_name=_secretary_name(self.rng),
                secretary_phone=f"1390{self.rng.randrange(10**6, 10**7)}",
            )

    def university(self, education):
        code, name, school_code = UNIVERSITY
        university = self.add(
            education,
            code,
            name,
            Kind.GRASSROOTS,
            Sector.SCHOOL,
            school_code=school_code,
            ownership=Organization.Ownership.PUBLIC,
        )
        for college_code, college_name, majors in COLLEGES:
            college = self.add(
                university, college_code, college_name, Kind.GRASSROOTS, Sector.SCHOOL
            )
            years = [year for _major in majors for year in (2019, 2020)]
            names = [f"{major}{year - 4}级团支部" for major in majors for year in (2019, 2020)]
            self.class_branches(college, college_code, names, years)
        office = self.add(
            university, "XMU-ADM", "厦门大学学校机关团委", Kind.GRASSROOTS, Sector.SCHOOL
        )
        self.add(
            office,
            "XMU-ADM-T",
            "学校机关教职工团支部",
            Kind.CLASS_BRANCH,
            Sector.SCHOOL,
            no_graduation_reason=Organization.NoGraduationReason.TEACHERS,
        )
        self.add(
            education,
            "FZU",
            "福州大学团委",
            Kind.GRASSROOTS,
            Sector.SCHOOL,
            school_code="4135010386",
            ownership=Organization.Ownership.PUBLIC,
        )


def _secretary_name(rng):
    return rng.choice("王李张刘陈杨黄吴林郑") + rng.choice(
        ["晓明", "丽华", "志强", "雅婷", "建国", "心君"]
    )


def build_tree(seed=2019):
    """Create the demo tree; returns the root."""
    rng = random.Random(seed)
    builder = TreeBuilder(rng)
    province = builder.add(None, "350000", "共青团福建省委", Kind.PROVINCE, Sector.GOVERNMENT)
    for code, name, counties in CITIES:
        city = builder.add(province, code, f"共青团{name}委员会", Kind.CITY, Sector.GOVERNMENT)
        for county_code, county_name in counties:
            builder.county(city, county_code, county_name)
    builder.add(province, "35A001", "省直机关团工委", Kind.WORKING_COMMITTEE, Sector.GOVERNMENT)
    education = builder.add(
        province, "35A002", "省教育团工委", Kind.WORKING_COMMITTEE, Sector.SCHOOL
    )
    builder.add(province, "35A003", "省国资委团工委", Kind.WORKING_COMMITTEE, Sector.ENTERPRISE)
    builder.add(province, "35A101", "福建省能源集团团委", Kind.GRASSROOTS, Sector.ENTERPRISE)
    builder.university(education)
    return Organization.objects.get(pk=province.pk)


def create_logins(password=DEMO_PASSWORD):
    """Create one user per demo role; returns the list of :class:`DemoLogin`."""
    for login in DEMO_LOGINS:
        organization = Organization.objects.get(code=login.code)
        user_grant(
            username=login.username, organization=organization, role=login.role, password=password
        )
    return DEMO_LOGINS


# --- cadres ---------------------------------------------------------------------------------------

#: organisations left without a secretary on record, for the lists to find
DEMO_WITHOUT_SECRETARY = ("350322", "350404-S1")
#: organisations whose term ends soon (days from today) or is over (negative)
DEMO_TERMS_DUE = {"350300": 45, "350400": -20, "XMU-ECO": 75, "350102-S1": 30}
_COMMITTEE_KINDS = {Kind.PROVINCE, Kind.CITY, Kind.WORKING_COMMITTEE, Kind.COUNTY, Kind.GRASSROOTS}
_ETHNICITIES = ["汉族"] * 8 + ["畲族", "回族"]
_EDUCATION = ["大学本科", "大学本科", "硕士研究生", "大学专科"]
_TERM_YEARS = 5


def _demo_id_number(rng, birth_date, gender, region):
    sequence = rng.randrange(500) * 2 + (1 if gender == Cadre.Gender.MALE else 0)
    body = f"{region}{birth_date:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")


def _demo_cadre(rng, organization, position, *, term_end, term, missing_details=False):
    gender = rng.choice(Cadre.Gender.values)
    birth_date = date(rng.randrange(1978, 1999), rng.randrange(1, 13), rng.randrange(1, 29))
    region = organization.code[:6] if organization.code[:6].isdigit() else "350102"
    start = date(term_end.year - _TERM_YEARS, term_end.month, min(term_end.day, 28))
    committee = organization.kind in _COMMITTEE_KINDS
    return Cadre(
        organization=organization,
        position=position,
        name=_secretary_name(rng),
        id_number="" if missing_details else _demo_id_number(rng, birth_date, gender, region),
        gender=gender,
        birth_date=birth_date,
        ethnicity=rng.choice(_ETHNICITIES),
        education=rng.choice(_EDUCATION),
        phone="" if missing_details else f"139{rng.randrange(10**7, 10**8)}",
        political_status=rng.choice(
            [Cadre.PoliticalStatus.PARTY_MEMBER, Cadre.PoliticalStatus.LEAGUE_MEMBER]
        ),
        nature=Cadre.Nature.FULL_TIME if committee else Cadre.Nature.PART_TIME,
        on_party_committee=committee and position == Cadre.Position.SECRETARY,
        start_date=start,
        term=term,
        term_end=term_end,
    )


def build_cadres(seed=2019, today=None):
    """Cadres of the demo tree: a secretary almost everywhere (not in
    :data:`DEMO_WITHOUT_SECRETARY`), deputies and committee members in the committees, terms
    due or over in :data:`DEMO_TERMS_DUE`, and some school records without phone or ID number.
    Written with their history records; returns how many."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    cadres = []
    for organization in Organization.objects.order_by("path"):
        if organization.code in DEMO_WITHOUT_SECRETARY:
            continue
        if organization.is_branch and rng.random() < 0.25:
            continue  # many branches have not entered their secretary yet
        due = DEMO_TERMS_DUE.get(organization.code)
        term_end = today + timedelta(days=due if due is not None else rng.randrange(120, 1700))
        term = f"第{'一二三四五六七八'[rng.randrange(8)]}届"
        positions = [Cadre.Position.SECRETARY]
        if organization.kind in _COMMITTEE_KINDS:
            positions += [Cadre.Position.DEPUTY_SECRETARY, Cadre.Position.ORGANIZATION]
        for position in positions:
            missing = organization.sector == Sector.SCHOOL and rng.random() < 0.2
            cadres.append(
                _demo_cadre(
                    rng,
                    organization,
                    position,
                    term_end=term_end,
                    term=term,
                    missing_details=missing,
                )
            )
    bulk_create_with_history(cadres, Cadre)
    return len(cadres)


#: a class branch that graduated in 2018, whose members all moved on, closed (撤销) that summer
CLOSED_CLASS = ("XMU-INF", "XMU-INF-C2014", "计算机科学与技术2014级团支部", date(2018, 6, 30))


def build_closed_class():
    """A graduated class branch, emptied and closed: it keeps its record and history but no
    longer appears in pickers or live figures. Built after the members, which avoid it."""
    parent_code, code, name, graduated = CLOSED_CLASS
    branch = organization_save(
        organization=Organization(
            code=code,
            name=name,
            kind=Kind.CLASS_BRANCH,
            sector=Sector.SCHOOL,
            graduation_date=graduated,
            opened_on=date(graduated.year - 4, 9, 1),
        ),
        parent=Organization.objects.get(code=parent_code),
    )
    return organization_close(
        organization=branch,
        on=graduated + timedelta(days=62),
        reason="班级毕业，团员组织关系均已转出",
    )
