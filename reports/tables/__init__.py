"""The tables the reports app owns, one module each; ``ReportsConfig.ready`` registers them."""


def register_all():
    from reports.tables import ranking, school_counts  # noqa: F401
