"""A year of a small province with known annual statistics (used by the statistics tests and
the browser test)."""

from datetime import date

from members.models import MemberStatus
from members.status.services import member_exit_propose
from tests.factories import CadreFactory, MemberFactory


def member(org, joined, **kwargs):
    values = {
        "gender": "M",
        "ethnicity": "01",
        "education": "senior_secondary",
        "identity": "farmer",
        "birth_date": date(2001, 5, 5),
        "join_date": joined,
    }
    values.update(kwargs)
    return MemberFactory(branch=org, **values)


def leave(person, status, on):
    return member_exit_propose(member=person, status=status, effective_on=on, reason="测试")


def build_year(small_province):
    """2025 in 甲县: B1 keeps m1 (2020) and m4 (2020, withdrew 2026-01-02), develops m2 (2025)
    and m3 (2025, withdrew 2025-09-01); m5 joined 2026-01-01. B2 keeps m6 (2019, a 回族 woman
    undergraduate student) and loses m7 (2019, died 2025-12-31). 乙县 B1 keeps m8. Cadres: the
    city's secretary since 2024, B1's secretary 2023 to 2025-06-30, the county's from 2026."""
    p = small_province
    member(p.branch, date(2020, 5, 4))
    member(p.branch, date(2025, 3, 1))
    leave(member(p.branch, date(2025, 6, 1)), MemberStatus.WITHDRAWN, date(2025, 9, 1))
    leave(member(p.branch, date(2020, 5, 4)), MemberStatus.WITHDRAWN, date(2026, 1, 2))
    member(p.branch, date(2026, 1, 1))
    member(
        p.other_branch,
        date(2019, 5, 4),
        gender="F",
        ethnicity="03",
        education="undergraduate",
        identity="student",
    )
    leave(member(p.other_branch, date(2019, 5, 4)), MemberStatus.DECEASED, date(2025, 12, 31))
    member(p.foreign_branch, date(2018, 5, 4))
    CadreFactory(organization=p.city, start_date=date(2024, 1, 1))
    CadreFactory(organization=p.branch, start_date=date(2023, 1, 1), ended_on=date(2025, 6, 30))
    CadreFactory(organization=p.county, start_date=date(2026, 1, 1))
    return p
