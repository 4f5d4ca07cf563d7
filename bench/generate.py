"""Build a province-scale data set in PostgreSQL with COPY, for the benchmarks.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench \\
        python -m bench.generate --members 2000000 --orgs 100000

The shape follows the demo province, scaled: the province, its cities and system committees,
counties, grassroots committees (middle schools public and private, townships, enterprises) and
their branches and class branches; members with valid ID numbers, development numbers numbered in
tree order per join year with spare numbers between organisations; ranges for every committee;
some spares registered as unused, voided or lost, the rest unaccounted; about 20% of post-2019
entries late; moves in every state; the education department's counts for the schools.

Everything is generated in Python and streamed with ``COPY ... FROM STDIN``: two million members
load in a few minutes on two cores. History tables are left empty (they are not read by the
pages measured). The database is emptied first.
"""

import argparse
import random
import sys
import time
from datetime import date, datetime, timedelta

from bench import setup_django
from bench.generate_copy import (
    Writer,
    copy_moves,
    copy_organizations,
    copy_ranges,
    copy_register,
    reset_sequences,
)
from bench.generate_tree import (
    DEADLINE_SINCE,
    GIVEN,
    NUMBERED_SINCE,
    SLACK,
    SPARES,
    STEP,
    SURNAMES,
    YEARS,
    People,
    add_months,
    build_tree,
    valid_regions,
)


def generate(members, orgs, seed=1):
    setup_django()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from pypinyin import Style, lazy_pinyin

    if connection.vendor != "postgresql":
        sys.exit("The generator writes with COPY: point DATABASE_URL at PostgreSQL.")
    rng = random.Random(seed)
    started = time.perf_counter()

    def say(message):
        print(f"[{time.perf_counter() - started:7.1f}s] {message}", flush=True)

    call_command("migrate", verbosity=0)
    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE branches_organization, members_member, members_numberrange, "
            "members_unusednumber, members_issuednumber, members_move, reports_snapshot, "
            "reports_campaign RESTART IDENTITY CASCADE"
        )
    tree = build_tree(orgs, rng)
    say(f"tree of {len(tree.rows)} organisations")
    with connection.cursor() as cursor:
        copy_organizations(cursor, tree)
    say("organisations copied")

    branches = [r for r in tree.rows if r["kind"] in ("branch", "class_branch")]
    by_path = {r["path"]: r for r in tree.rows}
    regions = valid_regions()
    people = People(regions)
    names = [rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN) for _ in range(4000)]
    initials = {n: "".join(lazy_pinyin(n, style=Style.FIRST_LETTER)).lower() for n in names}
    # Members per branch, then per year in tree order: every subtree's numbers of a year are
    # one interval, with spares between organisations, so ranges can nest around them.
    per_branch = [0] * len(branches)
    for _ in range(members):
        per_branch[rng.randrange(len(branches))] += 1
    plan = {}  # (branch index, year) -> count
    for index, count in enumerate(per_branch):
        for _ in range(count):
            year = rng.choice(YEARS)
            plan[(index, year)] = plan.get((index, year), 0) + 1
    next_number = {year: year * 10**8 + 10001 for year in YEARS if year >= NUMBERED_SINCE}
    spans = {}  # (path, year) -> [first, last] of the subtree's numbers and spares
    spares = []  # (first, last, organisation id, year) of gaps after each branch's block
    numbers = {}  # (branch index, year) -> first number
    previous_grassroots = {}
    for index, branch in enumerate(branches):
        grassroots_path = branch["path"][:-STEP]
        for year in next_number:
            count = plan.get((index, year), 0)
            if not count:
                continue
            if previous_grassroots.get(year) not in (None, grassroots_path):
                next_number[year] += SLACK  # unissued numbers at the end of each committee's range
            previous_grassroots[year] = grassroots_path
            first = next_number[year]
            numbers[(index, year)] = first
            last = first + count - 1 + SPARES
            spares.append((first + count, last, branch["id"], year))
            next_number[year] = last + 1
            for depth in range(1, branch["depth"] + 1):
                key = (branch["path"][: depth * STEP], year)
                span = spans.setdefault(key, [first, last])
                span[1] = last
    say(f"numbering planned for {members} members")

    member_columns = [
        "id",
        "name",
        "gender",
        "ethnicity",
        "ethnicity_note",
        "birth_date",
        "document_type",
        "id_number",
        "education",
        "identity",
        "join_date",
        "development_number",
        "developing_organization_id",
        "branch_id",
        "phone",
        "entered_at",
        "entry_deadline",
        "entered_late",
        "name_initials",
        "status",
    ]
    tz = timezone.get_current_timezone()
    serial = 0
    moves = []
    with connection.cursor() as cursor:
        out = Writer(cursor, "members_member", member_columns)
        for index, branch in enumerate(branches):
            student = branch["kind"] == "class_branch"
            offsets = dict.fromkeys(YEARS, 0)
            years = [year for year in YEARS for _ in range(plan.get((index, year), 0))]
            for year in years:
                serial += 1
                join = date(year, rng.randrange(1, 13), rng.randrange(1, 29))
                birth = join - timedelta(days=365 * rng.randrange(14, 24) + rng.randrange(365))
                gender = "M" if serial % 2 else "F"
                number = None
                if year >= NUMBERED_SINCE:
                    number = numbers[(index, year)] + offsets[year]
                    offsets[year] += 1
                deadline = add_months(join, 1) if join >= DEADLINE_SINCE else None
                late = deadline is not None and rng.random() < 0.2
                entered_on = (
                    deadline + timedelta(days=rng.randrange(1, 120))
                    if late
                    else join + timedelta(days=rng.randrange(0, 28))
                )
                entered = datetime(entered_on.year, entered_on.month, entered_on.day, 10, tzinfo=tz)
                name = names[serial % len(names)]
                out.add(
                    [
                        serial,
                        name,
                        gender,
                        "01" if rng.random() < 0.95 else "22",
                        "",
                        birth,
                        "resident_id",
                        people.id_number(serial, gender, birth),
                        "senior_secondary" if student else "undergraduate",
                        "student"
                        if student
                        else rng.choice(["enterprise_employee", "farmer", "public_servant"]),
                        join,
                        number,
                        branch["id"],
                        branch["id"],
                        f"13{rng.randrange(10**9):09d}",
                        entered.isoformat(),
                        deadline,
                        "t" if late else "f",
                        initials[name],
                        "active",
                    ]
                )
                if year >= 2019 and rng.random() < 0.02:
                    moves.append((serial, branch["id"], join))
        out.flush()
    say(f"{serial} members copied")

    now = timezone.now().isoformat()
    with connection.cursor() as cursor:
        range_id = copy_ranges(cursor, spans=spans, by_path=by_path, now=now, say=say)
        copy_register(
            cursor,
            spares=spares,
            tree=tree,
            by_path=by_path,
            range_id=range_id,
            rng=rng,
            now=now,
            say=say,
        )
        copy_moves(cursor, moves=moves, branches=branches, rng=rng, tz=tz, say=say)
        reset_sequences(cursor)
    finish(rng, say)


def finish(rng, say=print):
    """Logins, campaigns and school figures on top of the bulk data; then fresh statistics."""
    from django.db import connection

    from bench.fixtures import build_extras
    from members.tallies import tally_rebuild

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # without statistics the recount below plans scans per range
    tally_rebuild()  # the COPY went around the ORM and its stored counts
    say("stored counts rebuilt")
    build_extras(rng)
    say("logins, campaigns and education figures added")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    say("analysed; done")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=200_000)
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--extras-only", action="store_true", help="only redo logins, campaigns, school figures"
    )
    options = parser.parse_args(argv)
    if options.extras_only:
        setup_django()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        finish(random.Random(options.seed))
        return
    generate(options.members, options.orgs, options.seed)


if __name__ == "__main__":
    main()
