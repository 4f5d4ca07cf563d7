"""A scripted province with schools and education figures whose answers are known.

On top of ``scripted_province`` (P > C1 甲市, C2 乙市, C3 丙市):

    C1 > S1  甲市一中团委 (public, depth 3)      education 12, league 10 (2 + 8 students; 1 teacher)
    C1 > K1 > S2  甲县民办中学团委 (private, depth 4)  education 20, league 19  -> exactly 5%
    C1 > K1 > S6  甲县职业中专团委 (public)        not in the education figures, league 3
    C2 > S3  乙市民办实验学校团委 (private)       education 15, league 0   -> left out whole
    C2 > S4  乙市实验中学团委, renamed (the education department still writes 乙市第二中学)
                                                education 20, league 20
    C3 > S5  丙市外国语学校团委, moved (the education department still writes 甲市)
                                                education 4, league 4
    X1  甲市民办英才学校: absent from the tree, city 甲市, education 30
    X2  丁市技工学校: absent from the tree, a city the tree does not know, education 5
"""

from dataclasses import dataclass

from branches.models import Organization
from reports.models import EducationCount
from tests import factories

YEAR = 2019
PRIVATE = Organization.Ownership.PRIVATE
PUBLIC = Organization.Ownership.PUBLIC

CODES = {
    "S1": "313501010001",
    "S2": "313501020002",
    "S3": "313502030003",
    "S4": "313502030004",
    "S5": "313503040005",
    "S6": "313501020006",
    "X1": "313501019901",
    "X2": "313599990001",
}

# (key, 学校名称, 办学性质, 所属设区市, 教育系统统计数)
EDUCATION_ROWS = [
    ("S1", "甲市第一中学", PUBLIC, "甲市", 12),
    ("S2", "甲县民办中学", PRIVATE, "甲市", 20),
    ("S3", "乙市民办实验学校", PRIVATE, "乙市", 15),
    ("S4", "乙市第二中学", PUBLIC, "乙市", 20),
    ("S5", "丙市外国语学校", PUBLIC, "甲市", 4),
    ("X1", "甲市民办英才学校", PRIVATE, "甲市", 30),
    ("X2", "丁市技工学校", PUBLIC, "丁市", 5),
]


@dataclass
class SchoolProvince:
    scripted: object
    schools: dict

    @property
    def root(self):
        return self.scripted.root


def school(parent, key, name, ownership):
    return factories.committee(
        parent,
        kind=Organization.Kind.GRASSROOTS,
        code=key,
        name=name,
        sector=Organization.Sector.SCHOOL,
        school_code=CODES[key],
        ownership=ownership,
    )


def students(branch, count):
    for _ in range(count):
        factories.MemberFactory(branch=branch)


def build_school_province(scripted, *, education=True):
    """Add the schools, their members and (unless ``education=False``) the 2019 figures."""
    s1 = scripted.s1
    Organization.objects.filter(pk=s1.pk).update(school_code=CODES["S1"], ownership=PUBLIC)
    s1.refresh_from_db()
    students(scripted.cb2, 8)  # CB1 already holds 2 students
    factories.MemberFactory(branch=scripted.cb3, identity="public_servant")  # a teacher
    s2 = school(scripted.k1, "S2", "甲县民办中学团委", PRIVATE)
    students(factories.class_branch(s2, code="S2-C1"), 19)
    s6 = school(scripted.k1, "S6", "甲县职业中专团委", PUBLIC)
    students(factories.class_branch(s6, code="S6-C1"), 3)
    s3 = school(scripted.c2, "S3", "乙市民办实验学校团委", PRIVATE)
    factories.class_branch(s3, code="S3-C1")
    s4 = school(scripted.c2, "S4", "乙市实验中学团委", PUBLIC)
    students(factories.class_branch(s4, code="S4-C1"), 20)
    s5 = school(scripted.c3, "S5", "丙市外国语学校团委", PUBLIC)
    students(factories.class_branch(s5, code="S5-C1"), 4)
    if education:
        for key, name, ownership, city, count in EDUCATION_ROWS:
            EducationCount.objects.create(
                year=YEAR,
                school_code=CODES[key],
                school_name=name,
                ownership=ownership,
                city_name=city,
                education_count=count,
            )
    return SchoolProvince(
        scripted=scripted,
        schools={"S1": s1, "S2": s2, "S3": s3, "S4": s4, "S5": s5, "S6": s6},
    )
