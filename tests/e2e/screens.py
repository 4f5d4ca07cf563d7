"""Screenshots of the browser walks, kept by CI as artifacts.

They go to the directory named by ``E2E_SCREENSHOTS`` (default ``tests/e2e/screenshots/``,
which git ignores).
"""

import os
from pathlib import Path

DEFAULT = Path(__file__).resolve().parent / "screenshots"


def screenshot(page, name):
    """Save the whole page as ``<name>.png``; return its path."""
    directory = Path(os.environ.get("E2E_SCREENSHOTS") or DEFAULT)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def overflowing_tables(page):
    """Tables wider than the box that holds them: ``[(id or class, scrollWidth, clientWidth)]``."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll("table")).map((table) => {
            const box = table.parentElement;
            return [table.id || table.className, box.scrollWidth, box.clientWidth];
        }).filter(([, scroll, client]) => scroll > client)"""
    )
