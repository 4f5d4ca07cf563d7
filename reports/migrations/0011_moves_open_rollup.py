"""The moves' roll-ups keep a new figure, ``moved_open`` (pending or expired), which the overdue
count reads: the moves' roll-ups are rebuilt once (a few seconds at 2,000,000 members)."""

from django.db import migrations


def rebuild_moves(apps, schema_editor):
    from reports.metrics.moves import MoveFigures
    from reports.rollups import maintain

    maintain.rebuild([g for g in maintain.rolled_groups() if isinstance(g, MoveFigures)])


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_figure_rollups")]

    operations = [migrations.RunPython(rebuild_moves, migrations.RunPython.noop)]
