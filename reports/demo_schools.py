"""The demo's education figures for 2019 (以教统核团统), set against the demo's league counts.

The counts are derived from the members already in the tree, so that the demo shows every
case of the notice whatever the number of members seeded: schools whose figures agree or nearly
agree, schools a little and far above the 5% threshold, a private school with an organisation
but no member at all, and a private school missing from the tree altogether (组织空白点).
"""

from branches.models import Organization
from reports import schools
from reports.models import EducationCount, Explanation

YEAR = 2019
Ownership = Organization.Ownership

#: A private school the league set up but never filled: a whole-unit omission (成建制漏统).
EMPTY_SCHOOL = ("350104-S3", "仓山区育英民办学校团委", "313501049901", 48)
#: A private school the education department counts but the tree does not hold (组织空白点).
ABSENT_SCHOOL = ("313501029902", "福州市鼓楼区东方民办外国语学校", "福州市", 36)
#: Education counts of schools without members in the demo (a seed with no members at all).
BASE_COUNT = 40


def _education_count(index, league):
    """Cycle through agreement, a gap within 5%, a gap just above it and one far above it."""
    if league == 0:
        return BASE_COUNT + index % 7
    case = index % 4
    if case == 0:
        return league
    if case == 1:
        return round(league * 1.03)
    if case == 2:
        return round(league * 1.08) + 1
    return round(league * 1.5) + 5


#: The universities sit under 省教育团工委, beside the cities: their city as education writes it.
UNIVERSITY_CITIES = {"4135010384": "厦门市", "4135010386": "福州市"}
#: The demo's school login: its school shows a gap to explain.
SCHOOL_LOGIN_ORG = "350102-S1"


def _add_empty_school():
    code, name, school_code, _count = EMPTY_SCHOOL
    county = Organization.objects.filter(code=code.split("-")[0]).first()
    if county is None or Organization.objects.filter(code=code).exists():
        return
    school = Organization.objects.add_child(
        county,
        instance=Organization(
            code=code,
            name=name,
            kind=Organization.Kind.GRASSROOTS,
            sector=Organization.Sector.SCHOOL,
            school_code=school_code,
            ownership=Ownership.PRIVATE,
        ),
    )
    Organization.objects.add_child(
        school,
        instance=Organization(
            code=f"{code}-C1",
            name="初三（1）班团支部",
            kind=Organization.Kind.CLASS_BRANCH,
            sector=Organization.Sector.SCHOOL,
        ),
    )


def build_education_counts(year=YEAR):
    """Add the empty private school and the figures of every demo school; returns the rows."""
    _add_empty_school()
    root = Organization.objects.get_first_root_node()
    if root is None:
        return []
    lines = sorted(schools.school_lines(root, None), key=lambda line: line.school_code)
    rows = []
    for index, line in enumerate(lines):
        if line.school_code == EMPTY_SCHOOL[2]:
            education = EMPTY_SCHOOL[3]
        elif line.organization_code == SCHOOL_LOGIN_ORG:
            education = _education_count(3, line.league)
        else:
            education = _education_count(index, line.league)
        rows.append(
            EducationCount(
                year=year,
                school_code=line.school_code,
                school_name=line.name.removesuffix("团委"),
                ownership=line.ownership or Ownership.PUBLIC,
                city_name=line.city or UNIVERSITY_CITIES.get(line.school_code, "福州市"),
                education_count=education,
            )
        )
    code, name, city, count = ABSENT_SCHOOL
    rows.append(
        EducationCount(
            year=year,
            school_code=code,
            school_name=name,
            ownership=Ownership.PRIVATE,
            city_name=city,
            education_count=count,
        )
    )
    for row in rows:
        row.full_clean()
    EducationCount.objects.bulk_create(rows)
    _explain_one(year, lines, {row.school_code: row.education_count for row in rows})
    return rows


def _explain_one(year, lines, education):
    """One school's gap is already explained, as a committee would have written it."""
    for line in lines:
        line.education = education.get(line.school_code)
        if (
            line.is_over_threshold
            and not line.is_omission
            and line.organization_code != SCHOOL_LOGIN_ORG
        ):
            Explanation.objects.create(
                year=year,
                subject=Explanation.Subject.SCHOOL,
                school_code=line.school_code,
                text=(
                    "部分学生团员已转学，组织关系转接尚未完成；"
                    "另有新发展团员尚未录入，已督促各支部于6月10日前录入完毕。"
                ),
            )
            return
