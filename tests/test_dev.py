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


def _pytest_arguments(monkeypatch, extra, cpus):
    sys.path.insert(0, str(ROOT))
    try:
        import dev
    finally:
        sys.path.remove(str(ROOT))
    seen = {}

    def fake_run(*args, **kwargs):
        seen["args"] = [str(a) for a in args]
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setattr(dev, "ensure_virtualenv", lambda: None)
    monkeypatch.setattr(dev, "run", fake_run)
    monkeypatch.setattr(dev.os, "cpu_count", lambda: cpus)
    try:
        dev.test(extra)
    except SystemExit as exit:
        assert exit.code == 0
    return seen["args"][3:]


def test_the_test_command_runs_one_worker_per_core(monkeypatch):
    assert _pytest_arguments(monkeypatch, ["-k", "import"], cpus=2) == [
        "-n",
        "auto",
        "-k",
        "import",
    ]


def test_the_test_command_keeps_a_chosen_worker_count_and_one_core(monkeypatch):
    assert _pytest_arguments(monkeypatch, ["-n", "0"], cpus=2) == ["-n", "0"]
    assert _pytest_arguments(monkeypatch, ["-x"], cpus=1) == ["-x"]
