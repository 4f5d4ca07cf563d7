"""Stored roll-ups of the summable figures: each organisation's own counts and its subtree's.

:mod:`reports.rollups.store` reads and writes the rows (one grouped read per child set, one
upsert per write); :mod:`reports.rollups.maintain` keeps them exact on every write, rebuilds
them set-based and checks them against a full recount.
"""
