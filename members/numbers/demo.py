"""The demo province's number ranges and unused-number register, derived from its members.

The demo members' numbers follow one scheme: for each join year from 2017, developing
organisations in tree order, each organisation's members of the year numbered consecutively from
``{year}00010001``, with 8 spare numbers after each organisation's block. Every subtree's numbers
of a year are then one interval, so ranges can be built top-down: each organisation with members
of the year, and every committee above it, holds one range covering its subtree's blocks and
spares; the province's range keeps a reserve on top. Some spares are registered as unused, voided
or lost, a few are issued without a member yet, and the rest stay unaccounted.
"""

import random
from datetime import timedelta

from django.db.models import F, Max, Min
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from branches.models import Organization
from members.models import IssuedNumber, Member, NumberRange, NumberStatus, UnusedNumber
from members.models.numbers import YEAR_DIVISOR
from members.tallies import tally_ranges

SPARES = 8
PROVINCE_RESERVE = 100

EXPLANATIONS = {
    NumberStatus.UNUSED: ["预留编号，尚未发展团员", "年度发展计划调整，编号暂未使用"],
    NumberStatus.VOIDED: ["入团志愿书填写错误，编号作废", "重复编号，已作废"],
    NumberStatus.LOST: ["入团志愿书遗失", "编号登记册受潮遗失"],
}


def first_number(year):
    return int(f"{year}00010001")


def member_blocks():
    """{year: [(path, first, last), ...]}: each developing organisation's numbers per year."""
    rows = (
        Member.objects.filter(development_number__isnull=False)
        .annotate(year=F("development_number") / YEAR_DIVISOR)
        .filter(year__gte=2017)
        .values("year", "developing_organization__path")
        .annotate(first=Min("development_number"), last=Max("development_number"))
        .values_list("year", "developing_organization__path", "first", "last")
        .order_by("year", "first")
    )
    blocks = {}
    for year, path, first, last in rows:
        blocks.setdefault(int(year), []).append((path, first, last))
    return blocks


def plan_ranges(blocks, step=Organization.steplen):
    """The ranges of one year: ``({path: (first, last)}, [(path, spare_first, spare_last)])``.

    ``blocks`` are (path, first, last) sorted by first. Each organisation's own part runs to the
    end of its spares; each committee's range covers its whole subtree's parts.
    """
    spans, spares = {}, []
    for index, (path, first, last) in enumerate(blocks):
        following = blocks[index + 1][1] if index + 1 < len(blocks) else None
        end = last + SPARES if following is None else min(last + SPARES, following - 1)
        if end > last:
            spares.append((path, last + 1, end))
        for length in range(step, len(path) + 1, step):
            low, high = spans.get(path[:length], (first, end))
            spans[path[:length]] = (min(low, first), max(high, end))
    by_level = {}
    for path, span in spans.items():
        by_level.setdefault(len(path), []).append(span)
    for level_spans in by_level.values():
        level_spans.sort()
        for (_a, end), (start, _b) in zip(level_spans, level_spans[1:], strict=False):
            if start <= end:
                raise ValueError("The members' numbers do not follow the demo numbering scheme.")
    return spans, spares


def build_numbering(seed=2019):
    """Create the ranges, register entries and issued numbers; returns how many ranges."""
    rng = random.Random(seed)
    root = Organization.objects.get(depth=1)
    now = timezone.now()
    ranges, spares = [], []
    for year, blocks in sorted(member_blocks().items()):
        spans, year_spares = plan_ranges(blocks)
        low, high = spans.get(root.path, (first_number(year), first_number(year)))
        spans[root.path] = (min(low, first_number(year)), high + PROVINCE_RESERVE)
        holders = Organization.objects.in_bulk(list(spans), field_name="path")
        for path, (first, last) in sorted(spans.items()):
            ranges.append(
                NumberRange(
                    organization=holders[path],
                    first=first,
                    last=last,
                    level=holders[path].depth,
                    created_at=now - timedelta(days=rng.randrange(30, 400)),
                )
            )
        spares.extend((holders[path], first, last) for path, first, last in year_spares)
    ranges = bulk_create_with_history(ranges, NumberRange)
    own_range = {(r.organization_id, r.year): r for r in ranges}
    entries, issued = [], []
    for holder, first, last in spares:
        number_range = own_range[holder.pk, first // YEAR_DIVISOR]
        planned, handed_out = _spare_fates(rng, first, last)
        for span_first, span_last, status in planned:
            entries.append(
                UnusedNumber(
                    first=span_first,
                    last=span_last,
                    number_range=number_range,
                    organization=holder,
                    status=status,
                    explanation=rng.choice(EXPLANATIONS[status]),
                    registered_at=now - timedelta(days=rng.randrange(1, 60)),
                )
            )
        issued.extend(
            IssuedNumber(number=n, number_range=number_range, organization=holder)
            for n in handed_out
        )
    bulk_create_with_history(entries, UnusedNumber)
    bulk_create_with_history(issued, IssuedNumber)
    # Bulk inserts send no signals: count the ranges' used and registered numbers here.
    tally_ranges(NumberRange.objects.all())
    return len(ranges)


def _spare_fates(rng, first, last):
    """What becomes of one organisation's spares: register entries and issued numbers.

    A quarter stay wholly unaccounted, a quarter are registered as one unused span, the rest get
    a mix: a span of unused numbers, one voided, one lost, sometimes one issued, the rest left
    unaccounted.
    """
    numbers = list(range(first, last + 1))
    draw = rng.random()
    if draw < 0.25:
        return [], []
    if draw < 0.5 or len(numbers) < 6:
        return [(first, last, NumberStatus.UNUSED)], []
    planned = [
        (numbers[0], numbers[2], NumberStatus.UNUSED),
        (numbers[3], numbers[3], NumberStatus.VOIDED),
        (numbers[4], numbers[4], NumberStatus.LOST),
    ]
    return planned, [numbers[-1]] if draw > 0.8 else []
