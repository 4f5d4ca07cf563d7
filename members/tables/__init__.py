"""The tables the members app owns, one module each; ``MembersConfig.ready`` registers them."""


def register_all():
    from members.tables import lookup, moves, roster, unused_numbers  # noqa: F401
