"""The README's set-up commands (dev.py)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_setup_installs_and_migrates_without_starting_anything(tmp_path):
    database = tmp_path / "setup.sqlite3"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update({"DATABASE_URL": f"sqlite:///{database}", "DJANGO_ENV_FILE": ""})
    # A server or worker left running would keep the pipes open and the run from ending.
    result = subprocess.run(
        [sys.executable, "dev.py", "setup"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Set up; nothing started" in result.stdout
    assert "Starting" not in result.stdout
    with sqlite3.connect(database) as db:
        applied = {app for (app,) in db.execute("SELECT app FROM django_migrations")}
    assert {"branches", "members", "reports"} <= applied
