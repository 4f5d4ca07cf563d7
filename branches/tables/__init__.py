"""The tables the branches app owns, one module each; ``BranchesConfig.ready`` registers them."""


def register_all():
    from branches.tables import cadres, organizations  # noqa: F401
