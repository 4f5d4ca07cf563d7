"""The COPY of each table of the generated province (see :mod:`bench.generate`): organisations,
ranges, the unused register and moves, each from the plan the generator made."""

import csv
import io
from datetime import datetime, timedelta

from bench.generate_tree import SLACK, STEP, _path_of


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


def copy_organizations(cursor, tree):
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


def copy_ranges(cursor, *, spans, by_path, now, say):
    """A range for every committee around its subtree's numbers; returns their ids by
    ``(path, year)``."""
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
    return range_id


def copy_register(cursor, *, spares, tree, by_path, range_id, rng, now, say):
    """About half the spare numbers registered as unused, voided or lost."""
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


def copy_moves(cursor, *, moves, branches, rng, tz, say):
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


def reset_sequences(cursor):
    """Sequences past the copied ids; members who reported in belong to their new branch."""
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
