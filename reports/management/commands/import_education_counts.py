from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from reports import schools
from reports.tables.school_counts import current_year, education_import
from spreadsheets.commands import ImportCommand


class Command(ImportCommand):
    help = (
        "Import the education department's school counts for one year "
        "(学校标识码, 学校名称, 办学性质, 所属设区市, 教育系统统计数); "
        "they replace that year's earlier figures."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--year", type=int, default=None, help="the figures' year (default: the current year)"
        )

    def handle(self, *args, **options):
        year = options["year"] or current_year()
        if not 2000 <= year <= 2100:
            raise CommandError(_("%(year)d is not a plausible year.") % {"year": year})
        self.table_import = education_import(year)
        super().handle(*args, **options)
        if not options["dry_run"]:
            blanks = schools.unmatched_schools(year)
            if blanks:
                shown = "、".join(f"{row.school_name}（{row.school_code}）" for row in blanks[:20])
                self.stdout.write(
                    _(
                        "%(count)d school(s) of %(year)d have no organisation in the tree "
                        "(organisational blanks): %(names)s"
                    )
                    % {
                        "count": len(blanks),
                        "year": year,
                        "names": shown + ("……" if len(blanks) > 20 else ""),
                    }
                )
