"""School reconciliation (以教统核团统): the league's count of each school against the education
department's, the gaps that need a written explanation, and the schools left out whole.

Per school:

* league count = student members (身份类别 学生) whose current branch lies in the school's subtree;
* difference = league − education; gap ratio = |league − education| / education;
* a gap above :func:`gap_threshold` needs an explanation (情况说明);
* a school in the education figures that is absent from the tree, or has no league member at
  all, is a whole-unit omission (成建制漏统).

A school of the education figures belongs to the organisation its school code matches; one that
matches nothing belongs to the city whose short name the education department wrote as its
设区市 (or, failing that, to the province). Every read here is a bounded number of queries: the
league counts of all schools of a subtree come from one grouped query per distinct depth at
which schools sit in the tree (a handful), whatever the number of schools.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, OuterRef, Q, Subquery

from branches.models import Organization
from reports.models import EducationCount, Explanation

from .gaps import DEFAULT_GAP_THRESHOLD, GapFigures, city_key, gap_threshold

STEP = Organization.steplen
PRIVATE = Organization.Ownership.PRIVATE
PUBLIC = Organization.Ownership.PUBLIC

LAST = "~"  # sorts after every tree path


def latest_year():
    """The newest year with education figures, or None."""
    return EducationCount.objects.aggregate(year=Max("year"))["year"]


def year_for(campaign=None):
    """The year of education figures read for ``campaign``: its own year when that year's figures
    are loaded, else the newest year before it (None if there is none); without a campaign, the
    newest year."""
    if campaign is None:
        return latest_year()
    return EducationCount.objects.filter(year__lte=campaign.year).aggregate(year=Max("year"))[
        "year"
    ]


def education_years():
    return EducationCount.objects.years()


def unmatched_schools(year):
    """The year's schools whose code matches no organisation: organisational blanks."""
    return list(
        EducationCount.objects.for_year(year)
        .with_match()
        .filter(organization_id__isnull=True)
        .order_by("city_name", "school_code")
    )


@dataclass
class SchoolLine(GapFigures):
    """One school of the reconciliation, in the education figures, the tree, or both."""

    school_code: str
    name: str
    ownership: str
    city: str
    education: int | None
    league: int = 0
    organization_id: int | None = None
    organization_path: str | None = None
    organization_name: str = ""
    organization_code: str = ""
    #: where the school is counted: its organisation, or for a school absent from the tree the
    #: city (or province) it was attributed to
    owner_path: str = ""
    education_city: str = ""
    explanation: str | None = None
    #: the city's place in the tree, so that tables list cities in the tree's order
    city_order: str = LAST

    @classmethod
    def from_education(cls, row, **fields):
        """The line of an :class:`EducationCount` row, as the education department wrote it."""
        return cls(
            school_code=row.school_code,
            name=row.school_name,
            ownership=row.ownership,
            city=row.city_name,
            education=row.education_count,
            education_city=row.city_name,
            **fields,
        )

    @property
    def in_tree(self):
        return self.organization_id is not None

    @property
    def in_education_figures(self):
        return self.education is not None

    @property
    def is_private(self):
        return self.ownership == PRIVATE

    @property
    def difference(self):
        return None if self.education is None else self.league - self.education

    @property
    def is_omission(self):
        """成建制漏统: counted by the education department, but absent or empty in the league."""
        return bool(self.education) and (not self.in_tree or self.league == 0)

    @property
    def is_explained(self):
        return bool(self.explanation)

    @property
    def city_differs(self):
        """The education department places the school in another city than the tree does."""
        return bool(self.education_city) and city_key(self.education_city) != city_key(self.city)

    def sort_key(self):
        """Private schools first (the notice's priority), then by city in tree order."""
        order = {PRIVATE: 0, PUBLIC: 1}
        return (order.get(self.ownership, 2), self.city_order, self.city, self.school_code)


@dataclass
class Summary(GapFigures):
    """A committee's school sector in total, against the education figures."""

    organization: Organization
    year: int | None
    schools: int = 0
    education: int = 0
    league: int = 0
    over_threshold: int = 0
    unexplained: int = 0
    missing: int = 0
    explanation: Explanation | None = None

    @property
    def difference(self):
        return self.league - self.education

    @property
    def is_explained(self):
        return self.explanation is not None


@dataclass
class Reconciliation:
    organization: Organization
    year: int | None
    lines: list = field(default_factory=list)
    summary: Summary | None = None
    threshold: Decimal = DEFAULT_GAP_THRESHOLD


class Cities:
    """The city committees, for naming a school's city and placing unmatched schools."""

    def __init__(self):
        self.by_path = {}
        self.by_key = {}
        for city in Organization.objects.filter(kind=Organization.Kind.CITY).only(
            "path", "name", "depth"
        ):
            self.by_path[city.path] = city
            self.by_key.setdefault(city_key(city.short_name), city)

    def containing(self, path):
        """The city whose subtree holds ``path``, or None (a working committee's school)."""
        for length in range(STEP, len(path) + 1, STEP):
            city = self.by_path.get(path[:length])
            if city is not None:
                return city
        return None

    def named(self, name):
        return self.by_key.get(city_key(name))


def education_places(code):
    """Where the education department counts school ``code`` when no organisation claims it:
    the city each of its rows names (the root when a name matches no city), over every year.
    Two or three queries; registered with :mod:`branches.services` to guard school codes."""
    names = set(EducationCount.objects.filter(school_code=code).values_list("city_name", flat=True))
    if not names:
        return []
    cities = Cities()
    places = [cities.named(name) for name in names]
    if None in places:
        root = Organization.objects.get_first_root_node()
        places = [place or root for place in places]
    return places


def school_lines(root, year, *, explanations=True):
    """Every school of ``root``'s subtree for ``year``, private schools first.

    That is: the education figures' schools matched inside the subtree, the unmatched ones
    attributed to a city in the subtree (or to the province, when ``root`` is the tree's root),
    and the school organisations of the subtree that the education figures do not list.
    A bounded number of queries: cities, education rows, school organisations, and one read of
    the schools' student counts from the roll-ups.
    """
    cities = Cities()
    tree_root = root.path[:STEP]
    lines = []
    if year is not None:
        rows = (
            EducationCount.objects.for_year(year)
            .with_match()
            .filter(Q(organization_path__startswith=root.path) | Q(organization_path__isnull=True))
        )
        if explanations:
            rows = rows.with_explanation()
        for row in rows.order_by():
            line = SchoolLine.from_education(
                row,
                organization_id=row.organization_id,
                organization_path=row.organization_path,
                organization_name=row.organization_name or "",
                organization_code=row.organization_code or "",
                explanation=getattr(row, "explanation_text", None),
            )
            if line.in_tree:
                line.owner_path = line.organization_path
                city = cities.containing(line.owner_path)
            else:
                city = cities.named(row.city_name)
                line.owner_path = city.path if city is not None else tree_root
                if not line.owner_path.startswith(root.path):
                    continue
            if city is not None:
                line.city, line.city_order = city.short_name, city.path
            lines.append(line)
    listed = {line.school_code for line in lines}
    schools = Organization.objects.schools().filter(path__startswith=root.path).order_by()
    if explanations and year is not None:
        schools = schools.annotate(
            explanation_text=Subquery(
                Explanation.objects.filter(
                    year=year,
                    subject=Explanation.Subject.SCHOOL,
                    school_code=OuterRef("school_code"),
                )
                .order_by()
                .values("text")[:1]
            )
        )
    school_ids = []
    for school in schools.only("pk", "path", "depth", "code", "name", "school_code", "ownership"):
        school_ids.append(school.pk)
        if school.school_code in listed:
            continue
        city = cities.containing(school.path)
        lines.append(
            SchoolLine(
                school_code=school.school_code,
                name=school.name,
                ownership=school.ownership,
                city=city.short_name if city is not None else "",
                city_order=city.path if city is not None else LAST,
                education=None,
                organization_id=school.pk,
                organization_path=school.path,
                organization_name=school.name,
                organization_code=school.code,
                owner_path=school.path,
                explanation=getattr(school, "explanation_text", None),
            )
        )
    league = league_of(school_ids)
    for line in lines:
        if line.in_tree:
            line.league = league.get(line.organization_path, 0)
    lines.sort(key=SchoolLine.sort_key)
    return lines


def league_counts(root, depths):
    """``{school path: student members in the League in its subtree}`` for the schools of
    ``root``'s subtree at ``depths`` (the depths at which schools sit).

    Read from the figure roll-ups (each organisation's subtree count of students in the
    League, :mod:`reports.metrics.status`): one query whatever the number of schools or
    members. A school nested in another school counts in both, as both subtrees hold it.
    """
    schools = Organization.objects.schools().filter(path__startswith=root.path, depth__in=depths)
    return league_of(list(schools.values_list("pk", flat=True)))


def league_of(school_ids):
    """``{school path: student members in the League in its subtree}`` of the schools with
    ``school_ids``: one query by the roll-ups' unique index (organisation, figure, period).
    Given as ids, not as a subquery, so that the database reads only these schools' rows
    rather than every organisation's row of the figure."""
    from reports.metrics.status import students_in_league

    return students_in_league(school_ids)


def summarize(organization, year, lines):
    """The committee's totals over its schools, and its own explanation (one query)."""
    summary = Summary(organization=organization, year=year)
    for line in lines:
        summary.schools += 1
        summary.league += line.league
        if line.education is not None:
            summary.education += line.education
        summary.over_threshold += line.is_over_threshold
        summary.unexplained += line.needs_explanation
        summary.missing += line.is_omission
    if year is not None:
        summary.explanation = (
            Explanation.objects.filter(
                year=year, subject=Explanation.Subject.COMMITTEE, organization=organization
            )
            .select_related("written_by")
            .first()
        )
    return summary


def reconciliation(organization, year=None):
    """Everything the reconciliation page and table 1-2 show for ``organization``."""
    year = year if year is not None else latest_year()
    lines = school_lines(organization, year)
    return Reconciliation(
        organization=organization,
        year=year,
        lines=lines,
        summary=summarize(organization, year, lines),
        threshold=gap_threshold(),
    )
