"""Roster export (table 1-1) of 100,000 and 500,000 rows, side by side.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/youthleague_bench python -m bench.export_roster

Each alternative runs in its own process (so its peak memory is its own) and writes the same rows
— the first N new members of the province in roster order — to an .xlsx file:

* ``ours``: the project's export (roster rows from one streamed query into the shared
  XlsxWriter constant-memory writer, formula escaping included);
* ``stock``: a stock django-import-export ``ModelResource`` export (tablib dataset in memory,
  written by tablib's openpyxl normal mode);
* ``xlsxwriter`` / ``openpyxl``: the same values from a raw server-side cursor (no ORM) written
  straight to XlsxWriter constant_memory / openpyxl write-only.
"""

import argparse
import tempfile

from bench import setup_django
from bench.run import Timer, answer, in_child, machine, save

SIZES = (100_000, 500_000)
ALTERNATIVES = ("ours", "stock", "xlsxwriter", "openpyxl")

RAW_SQL = """
SELECT m.name, m.gender, m.ethnicity, m.birth_date, m.id_number, m.education, m.identity,
       m.join_date, m.development_number, d.name, d.code, b.name, b.code, m.phone, m.entered_at
FROM members_member m
JOIN branches_organization b ON b.id = m.branch_id
JOIN branches_organization d ON d.id = m.developing_organization_id
WHERE m.join_date >= %s
ORDER BY m.development_number ASC NULLS FIRST, m.id_number
LIMIT %s
"""


def _raw_rows(rows):
    """The roster's values by a server-side cursor, rendered as the roster shows them."""
    from django.conf import settings
    from django.db import connection, transaction

    from members.choices import Education, Ethnicity, Gender, Identity
    from spreadsheets.widgets import chinese_label

    labels = [
        {v: chinese_label(c, v) for v in c.values} for c in (Gender, Ethnicity, Education, Identity)
    ]
    connection.ensure_connection()
    # A server-side cursor streams the rows (psycopg2 allows one only inside a transaction).
    with transaction.atomic(), connection.connection.cursor(name="raw_roster") as cursor:
        cursor.itersize = 2000
        cursor.execute(RAW_SQL, [settings.YOUTHLEAGUE["NEW_MEMBER_SINCE"], rows])
        for serial, r in enumerate(cursor, start=1):
            yield [
                serial,
                r[0],
                labels[0][r[1]],
                labels[1][r[2]],
                r[3],
                r[4],
                labels[2][r[5]],
                labels[3][r[6]],
                r[7],
                f"{r[8]:012d}" if r[8] else "",
                r[9],
                r[10],
                r[11],
                r[12],
                r[13],
                r[14].date(),
            ]


def run_ours(rows, path):
    from branches.models import Organization
    from members.tables import roster
    from reports.submissions.exporting import export_write
    from reports.tables.base import get_table

    table = get_table("roster")
    limited = type(table)(
        kind=table.kind,
        title=table.title,
        columns=table.columns,
        rows=lambda organization, user=None, **o: roster.roster_rows(
            roster.roster_queryset(organization)[:rows]
        ),
        count=table.count,
    )
    root = Organization.objects.get(depth=1)
    return export_write(table=limited, organization=root, target=path, log=False).rows


def run_stock(rows, path):
    from import_export import fields, resources
    from import_export.widgets import ForeignKeyWidget

    from branches.models import Organization
    from members.models import Member
    from members.tables import roster

    class StockRosterResource(resources.ModelResource):
        branch_code = fields.Field(
            attribute="branch",
            column_name="现所在团支部代码",
            widget=ForeignKeyWidget(Organization, "code"),
        )
        developer_code = fields.Field(
            attribute="developing_organization",
            column_name="发展团组织代码",
            widget=ForeignKeyWidget(Organization, "code"),
        )

        class Meta:
            model = Member
            fields = (
                "name",
                "gender",
                "ethnicity",
                "birth_date",
                "id_number",
                "education",
                "identity",
                "join_date",
                "development_number",
                "developer_code",
                "branch_code",
                "phone",
                "entered_at",
            )

    root = Organization.objects.get(depth=1)
    queryset = roster.roster_queryset(root).select_related("branch", "developing_organization")[
        :rows
    ]
    dataset = StockRosterResource().export(queryset)
    with open(path, "wb") as handle:
        handle.write(dataset.export("xlsx"))
    return len(dataset)


def run_xlsxwriter(rows, path):
    import xlsxwriter

    from members.tables import roster

    workbook = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = workbook.add_worksheet()
    date = workbook.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_string(0, 0, roster.TITLE)
    for col, name in enumerate(roster.HEADER):
        sheet.write_string(1, col, name)
    count = 0
    for row, values in enumerate(_raw_rows(rows), start=2):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, int):
                sheet.write_number(row, col, value)
            elif isinstance(value, str):
                sheet.write_string(row, col, value)
            else:
                sheet.write_datetime(row, col, value, date)
        count += 1
    workbook.close()
    return count


def run_openpyxl(rows, path):
    import openpyxl

    from members.tables import roster

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([roster.TITLE])
    sheet.append(list(roster.HEADER))
    count = 0
    for values in _raw_rows(rows):
        sheet.append(values)
        count += 1
    workbook.save(path)
    return count


def child(alternative, rows):
    setup_django()
    with tempfile.TemporaryDirectory() as folder, Timer() as timer:
        written = globals()[f"run_{alternative}"](rows, f"{folder}/roster.xlsx")
    answer(alternative=alternative, rows=written, seconds=round(timer.seconds, 2))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", nargs=2, metavar=("ALTERNATIVE", "ROWS"))
    parser.add_argument("--sizes", type=int, nargs="*", default=list(SIZES))
    parser.add_argument("--skip", nargs="*", default=[], help="alternatives to leave out")
    options = parser.parse_args()
    if options.child:
        child(options.child[0], int(options.child[1]))
        return
    results = {"machine": machine(), "runs": []}
    # Warm the database's caches once, so that no alternative pays for the first read.
    in_child("bench.export_roster", "--child", "xlsxwriter", max(options.sizes))
    for size in options.sizes:
        for alternative in ALTERNATIVES:
            if alternative in options.skip:
                continue
            result, peak = in_child("bench.export_roster", "--child", alternative, size)
            result.update(
                peak_mb=round(peak, 1), rows_per_s=round(result["rows"] / result["seconds"])
            )
            results["runs"].append(result)
            print(result, flush=True)
    save("export_roster", results)


if __name__ == "__main__":
    main()
