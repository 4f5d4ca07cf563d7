"""Which schools' education figures changed between two readings, as the records an accepted
table 1-2 contains (for the acceptance guard, :mod:`members.watch`)."""

from branches.models import Organization
from members.watch import WatchedRecord
from reports.models import EducationCount
from reports.schools.lines import Cities


def education_snapshot(year, codes=None):
    """``{school_code: (name, ownership, city, count, pk)}`` of ``year``'s education figures."""
    rows = EducationCount.objects.for_year(year)
    if codes is not None:
        rows = rows.filter(school_code__in=codes)
    return {
        row[0]: row[1:]
        for row in rows.values_list(
            "school_code", "school_name", "ownership", "city_name", "education_count", "pk"
        )
    }


def education_records(year, before, after):
    """The :class:`~members.watch.WatchedRecord` of each school whose figures differ between
    two snapshots (:func:`education_snapshot`): it counts in table 1-2 of the organisation with its code,
    or, unclaimed, of the city its row names (the province when none matches). Two queries."""
    changed = sorted(
        code
        for code in before.keys() | after.keys()
        if (before.get(code) or ())[:4] != (after.get(code) or ())[:4]
    )
    if not changed:
        return []
    claimed = dict(
        Organization.objects.filter(school_code__in=changed).values_list("school_code", "pk")
    )
    cities = Cities()
    root = None
    records = []
    for code in changed:
        name, _ownership, city_name, _count, pk = after.get(code) or before[code]
        place = claimed.get(code)
        if place is None:
            city = cities.named(city_name)
            if city is None:
                root = root or Organization.objects.get_first_root_node()
                city = root
            place = city.pk
        records.append(WatchedRecord(pk, f"{name}（{code}）", frozenset({(place, year)})))
    return records
