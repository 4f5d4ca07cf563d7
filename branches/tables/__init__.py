"""The official tables the branches app owns, one module each."""
