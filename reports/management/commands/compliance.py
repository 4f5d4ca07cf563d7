import json

from django.core.management.base import BaseCommand, CommandError
from django.http import Http404
from django.utils.translation import gettext as _

from branches import access
from branches.models import Organization
from members import ledger
from youthleague.spreadsheets.commands import user_from_option

#: Each source maps a parent to ``{child id: {figure: value}}`` in a bounded number of queries;
#: further figures are added by appending their source here.
FIGURE_SOURCES = [ledger.ledger_by_child]


def figures_by_child(parent, sources=FIGURE_SOURCES):
    """One dict per child of ``parent`` in tree order: ``code``, ``name`` and every figure."""
    per_source = [source(parent) for source in sources]
    rows = []
    for pk, code, name in Organization.objects.children_of(parent).values_list(
        "pk", "code", "name"
    ):
        row = {"code": code, "name": name}
        for figures in per_source:
            row.update(figures.get(pk, {}))
        rows.append(row)
    return rows


class Command(BaseCommand):
    help = "Print the compliance figures of every organisation directly under --org (default: the root)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="print a JSON list")
        parser.add_argument("--org", help="organisation code (default: the root)")
        parser.add_argument(
            "--as", dest="as_user", metavar="USERNAME", help="only within this user's scope"
        )

    def handle(self, *args, **options):
        user = user_from_option(options["as_user"])
        code = options["org"]
        try:
            if user is not None:
                parent = access.organization_for(user, code or access.home_organization(user).code)
            elif code:
                parent = Organization.objects.get(code=code)
            else:
                parent = Organization.objects.get(depth=1)
        except (Http404, Organization.DoesNotExist, AttributeError):
            raise CommandError(_("No organisation with code %(code)s.") % {"code": code}) from None
        rows = figures_by_child(parent)
        if options["json"]:
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        for row in rows:
            figures = " ".join(f"{k}={v}" for k, v in row.items() if k not in ("code", "name"))
            self.stdout.write(f"{row['code']}\t{row['name']}\t{figures}")
