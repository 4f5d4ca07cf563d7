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
import csv
import io
import random
import sys
import time
from datetime import date, datetime, timedelta

from bench import setup_django

YEARS = list(range(2015, 2026))
NUMBERED_SINCE = 2017
SLACK = 3  # numbers a committee holds beyond what its branches used
DEADLINE_SINCE = date(2019, 1, 1)
SPARES = 1  # spare numbers after each organisation's block (the demo uses 8)
STEP = 4
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
SURNAMES = "王李张刘陈杨黄吴林郑赵周徐孙朱马胡郭何高罗梁宋谢唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程魏苏吕丁任沈"
GIVEN = "晓明丽华志强雅婷建国心君子涵浩然欣怡宇轩梓萱俊杰诗雨嘉怡思远佳琪一鸣若曦天佑文博"


def step(n):
    """The 4-character path step of the n-th child (1-based), as treebeard writes it."""
    digits = []
    while n:
        n, rest = divmod(n, 36)
        digits.append(ALPHABET[rest])
    return "".join(reversed(digits)).rjust(STEP, "0")


class Tree:
    """Organisations as tuples, with paths, kinds and codes; children counted as they are added."""

    def __init__(self):
        self.rows = []  # dicts
        self.children = {}

    def add(self, parent, code, name, kind, sector, **extra):
        if parent is None:
            path, depth = step(1), 1
        else:
            self.children[parent["path"]] = self.children.get(parent["path"], 0) + 1
            path, depth = parent["path"] + step(self.children[parent["path"]]), parent["depth"] + 1
        row = {
            "id": len(self.rows) + 1,
            "path": path,
            "depth": depth,
            "code": code,
            "name": name,
            "kind": kind,
            "sector": sector,
            "school_code": extra.get("school_code", ""),
            "ownership": extra.get("ownership", ""),
            "graduation_date": extra.get("graduation_date"),
            "no_graduation_reason": extra.get("no_graduation_reason", ""),
        }
        self.rows.append(row)
        return row


def build_tree(target, rng):
    """About ``target`` organisations: 10 cities x 10 counties x G grassroots x B branches."""
    tree = Tree()
    root = tree.add(None, "350000", "共青团福建省委", "province", "government")
    cities = []
    for index, name in enumerate(
        [
            "福州市",
            "厦门市",
            "莆田市",
            "三明市",
            "泉州市",
            "漳州市",
            "南平市",
            "龙岩市",
            "宁德市",
            "平潭综合实验区",
        ]
    ):
        cities.append(
            tree.add(root, f"35{index + 1:02d}00", f"共青团{name}委员会", "city", "government")
        )
    for code, name, sector in (
        ("35A001", "省直机关团工委", "government"),
        ("35A002", "省教育团工委", "school"),
        ("35A003", "省国资委团工委", "enterprise"),
    ):
        tree.add(root, code, name, "working_committee", sector)
    counties_per_city = 10
    grassroots_per_county = max(1, round(target / (len(cities) * counties_per_city * 10)))
    school_serial = 0
    for city in cities:
        for c in range(counties_per_city):
            county = tree.add(
                city,
                f"{city['code'][:4]}{c + 1:02d}",
                f"{city['name'][3:-3]}第{c + 1}县团委",
                "county",
                "government",
            )
            for g in range(grassroots_per_county):
                code = f"{county['code']}-{g + 1:03d}"
                kind_roll = rng.random()
                if kind_roll < 0.18:
                    school_serial += 1
                    private = rng.random() < 0.25
                    unit = tree.add(
                        county,
                        code,
                        f"第{school_serial}中学团委",
                        "grassroots",
                        "school",
                        school_code=f"31350{school_serial:05d}",
                        ownership="private" if private else "public",
                    )
                    for b in range(9):
                        dated = rng.random() < 0.6
                        tree.add(
                            unit,
                            f"{code}-C{b + 1}",
                            f"{b % 3 + 1}年级{b // 3 + 1}班团支部",
                            "class_branch",
                            "school",
                            graduation_date=date(2026, 6, 30) if dated else None,
                        )
                else:
                    sector = "rural" if kind_roll < 0.6 else "enterprise"
                    unit = tree.add(county, code, f"{code}团委", "grassroots", sector)
                    for b in range(9):
                        tree.add(unit, f"{code}-B{b + 1}", f"第{b + 1}团支部", "branch", sector)
    return tree


def valid_regions():
    from stdnum import numdb

    table = numdb.get("cn/loc")
    regions = []
    for code in range(350102, 350999):
        info = {k: v for _part, props in table.info(str(code)) for k, v in props.items()}
        county = info.get("county", "")
        if county and not county.startswith("["):
            regions.append(str(code))
    return regions


def add_months(day, months):
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


class Writer:
    """COPY rows into a table, in batches, from CSV text."""

    def __init__(self, cursor, table, columns):
        self.cursor, self.table, self.columns = cursor, table, columns
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer)
        self.count = 0

    def add(self, row):
        self.csv.writerow("\\N" if v is None else v for v in row)
        self.count += 1
        if self.count % 100_000 == 0:
            self.flush()

    def flush(self):
        self.buffer.seek(0)
        self.cursor.copy_expert(
            f"COPY {self.table} ({', '.join(self.columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
            self.buffer,
        )
        self.buffer = io.StringIO()
        self.csv = csv.writer(self.buffer)


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
    org_columns = [
        "id",
        "path",
        "depth",
        "numchild",
        "code",
        "name",
        "kind",
        "sector",
        "school_code",
        "ownership",
        "graduation_date",
        "no_graduation_reason",
        "secretary_name",
        "secretary_phone",
        "status",
        "closing_reason",
    ]
    with connection.cursor() as cursor:
        out = Writer(cursor, "branches_organization", org_columns)
        for row in tree.rows:
            out.add(
                [
                    row["id"],
                    row["path"],
                    row["depth"],
                    tree.children.get(row["path"], 0),
                    row["code"],
                    row["name"],
                    row["kind"],
                    row["sector"],
                    row["school_code"],
                    row["ownership"],
                    row["graduation_date"],
                    row["no_graduation_reason"],
                    "",
                    "",
                    "open",
                    "",
                ]
            )
        out.flush()
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
        ranges = Writer(
            cursor,
            "members_numberrange",
            # The stored counts start at zero; finish() recounts them (tally_rebuild).
            [
                "id",
                "first",
                "last",
                "organization_id",
                "level",
                "created_at",
                "used_count",
                "explained_count",
            ],
        )
        range_id = {}
        for (path, year), (first, last) in sorted(
            spans.items(), key=lambda item: (item[0][1], len(item[0][0]), item[0][0])
        ):
            organization = by_path[path]
            if organization["kind"] in ("branch", "class_branch"):
                continue
            if organization["depth"] == 1:
                first, last = year * 10**8 + 1, year * 10**8 + 99_999_999
            else:
                last += SLACK  # the committee's unissued numbers (its last child's too)
            range_id[(path, year)] = len(range_id) + 1
            ranges.add(
                [
                    range_id[(path, year)],
                    first,
                    last,
                    organization["id"],
                    organization["depth"],
                    now,
                    0,
                    0,
                ]
            )
        ranges.flush()
        say(f"{len(range_id)} ranges copied")
        unused = Writer(
            cursor,
            "members_unusednumber",
            [
                "first",
                "last",
                "number_range_id",
                "organization_id",
                "status",
                "explanation",
                "registered_at",
            ],
        )
        for first, last, organization_id, year in spares:
            if rng.random() < 0.5:
                grassroots = by_path[_path_of(tree, organization_id)[:-STEP]]
                status = rng.choice(["unused", "voided", "lost"])
                unused.add(
                    [
                        first,
                        last,
                        range_id[(grassroots["path"], year)],
                        grassroots["id"],
                        status,
                        "生成的测试说明",
                        now,
                    ]
                )
        unused.flush()
        say(f"{unused.count} register entries copied")
        move_columns = [
            "member_id",
            "from_branch_id",
            "reason",
            "moved_on",
            "destination_kind",
            "destination_organization_id",
            "destination_county_code",
            "destination_township",
            "destination_other_province",
            "note",
            "state",
            "contact_note",
            "contacted_at",
            "received_branch_id",
            "report_note",
            "reported_at",
            "close_reason",
            "close_note",
            "closed_at",
            "sent_on",
            "refusal_reason",
            "refusal_note",
            "withdrawal_note",
            "created_at",
            "updated_at",
        ]
        moved = Writer(cursor, "members_move", move_columns)
        for member_id, branch_id, join in moves:
            state = rng.choice(["moved", "moved", "contacted", "reported"])
            moved_on = join + timedelta(days=rng.randrange(30, 700))
            target = rng.choice(branches)["id"]
            stamp = datetime(moved_on.year, moved_on.month, moved_on.day, 12, tzinfo=tz).isoformat()
            moved.add(
                [
                    member_id,
                    branch_id,
                    "employment",
                    moved_on,
                    "organization",
                    target,
                    "",
                    "",
                    "",
                    "",
                    state,
                    "已电话联系" if state != "moved" else "",
                    stamp if state != "moved" else None,
                    target if state == "reported" else None,
                    "",
                    stamp if state == "reported" else None,
                    "",
                    "",
                    None,
                    moved_on,
                    "",
                    "",
                    "",
                    stamp,
                    stamp,
                ]
            )
        moved.flush()
        say(f"{moved.count} moves copied")
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('branches_organization', 'id'), (SELECT MAX(id) FROM branches_organization))"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('members_member', 'id'), (SELECT MAX(id) FROM members_member))"
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('members_numberrange', 'id'), (SELECT MAX(id) FROM members_numberrange))"
        )
        cursor.execute(
            "UPDATE members_member m SET branch_id = v.received_branch_id FROM members_move v WHERE v.member_id = m.id AND v.state = 'reported'"
        )
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


class People:
    """Valid, unique ID numbers: region, birth date and an odd (men) or even (women) sequence."""

    def __init__(self, regions):
        self.regions = regions
        self.used = set()

    def id_number(self, serial, gender, birth):
        from stdnum.cn import ric

        region_index = serial % len(self.regions)
        sequence = 1 if gender == "M" else 0
        while (key := (region_index * 10**6 + birth.toordinal()) * 1000 + sequence) in self.used:
            sequence += 2
        self.used.add(key)
        body = f"{self.regions[region_index]}{birth:%Y%m%d}{sequence:03d}"
        return body + ric.calc_check_digit(body + "0")


def _path_of(tree, organization_id):
    return tree.rows[organization_id - 1]["path"]


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
