"""Moves (转接): services, report-in, transfers, graduating classes, and their pages, forms, admin and import."""
