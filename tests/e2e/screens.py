"""Screenshots of the browser walks, kept by CI as artifacts.

The overflow check lives in one place, :func:`tests.e2e.walks.overflowing_tables`.

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
