"""Importing this module registers every official table with :mod:`reports.spreadsheets.base`."""
