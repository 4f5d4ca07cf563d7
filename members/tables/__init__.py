"""The tables the members app owns, one module each; ``MembersConfig.ready`` registers them."""


def register_all():
    from members.moves import table as moves_table  # noqa: F401  (the moved members' list)
    from members.status import table as reaching_28_table  # noqa: F401  (reaching 28)
    from members.tables import lookup, moves, roster, unused_numbers  # noqa: F401
