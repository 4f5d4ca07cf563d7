"""The tables the reports app owns, one module each; ``ReportsConfig.ready`` registers them."""


def register_all():
    from reports.registration import importing  # noqa: F401  (the registration sheet)
    from reports.tables import (  # noqa: F401
        breakdown,
        dashboard,
        ranking,
        school_counts,
        statistics,
    )
