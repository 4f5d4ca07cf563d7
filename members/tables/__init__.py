"""The official tables the members app owns, one module each."""
