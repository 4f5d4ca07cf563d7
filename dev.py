#!/usr/bin/env python3
"""The set-up commands of the README.

    python3 dev.py start   # virtualenv, install, migrate, demo data, server + task worker
    python3 dev.py setup   # virtualenv, install, migrate; starts nothing (benchmarks, scripts)
    python3 dev.py test    # virtualenv, install, the whole test suite

Only the standard library is used here, so it runs on a fresh machine with Python 3.11+.
"""

import hashlib
import os
import secrets
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
REQUIREMENTS = ROOT / "requirements-dev.txt"
HOST = os.environ.get("YOUTHLEAGUE_HOST", "127.0.0.1")
PORT = os.environ.get("YOUTHLEAGUE_PORT", "8000")


def say(message):
    print(f"==> {message}", flush=True)


def run(*args, env=None, check=True):
    return subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=check)


def ensure_virtualenv():
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py runs on whatever python3 is
        sys.exit("Python 3.11 or newer is needed.")
    if not PYTHON.exists():
        say(f"Creating the virtualenv in {VENV.name}/")
        venv.EnvBuilder(with_pip=True).create(VENV)
    digest = hashlib.sha256(
        b"".join(p.read_bytes() for p in sorted(ROOT.glob("requirements*.txt")))
    ).hexdigest()
    stamp = VENV / ".requirements.sha256"
    if not stamp.exists() or stamp.read_text() != digest:
        say("Installing the pinned requirements")
        run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        run(PYTHON, "-m", "pip", "install", "--quiet", "-r", REQUIREMENTS)
        stamp.write_text(digest)


def ensure_dotenv():
    """A local .env with development settings; never used in production.

    ``DJANGO_ENV_FILE`` names another file, or (set empty) none, as in the settings.
    """
    name = os.environ.get("DJANGO_ENV_FILE", ".env")
    if not name:
        return
    dotenv = ROOT / name
    if not dotenv.exists():
        dotenv.write_text(
            "# Local development settings written by dev.py; not for production.\n"
            "DJANGO_DEBUG=1\n"
            f"DJANGO_SECRET_KEY={secrets.token_urlsafe(48)}\n"
            f"REPORT_SIGNING_KEYS=dev:{secrets.token_urlsafe(32)}\n",
            encoding="utf-8",
        )


def development_env():
    env = dict(os.environ)
    env.setdefault("DJANGO_DEBUG", "1")
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


def setup():
    """Virtualenv, requirements, migrations: everything but starting the app."""
    ensure_virtualenv()
    ensure_dotenv()
    env = development_env()
    database = "the database of DATABASE_URL" if env.get("DATABASE_URL") else "the SQLite database"
    say(f"Migrating {database}")
    run(PYTHON, "manage.py", "migrate", "--no-input", "-v", "0", env=env)
    return env


def start():
    env = setup()
    manage = [PYTHON, "manage.py"]
    say("Loading the demo province (first run only)")
    run(*manage, "seed_demo", "--if-empty", env=env)
    say("Starting the task worker")
    worker = subprocess.Popen([str(a) for a in (*manage, "db_worker")], cwd=ROOT, env=env)
    say(f"Open http://{HOST}:{PORT}/ and sign in with a login above (Ctrl+C stops)")
    try:
        run(*manage, "runserver", f"{HOST}:{PORT}", env=env, check=False)
    except KeyboardInterrupt:
        pass
    finally:
        worker.send_signal(signal.SIGINT)
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def test(extra):
    ensure_virtualenv()
    env = development_env()
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if (os.cpu_count() or 1) > 1 and not any(
        a == "-n" or a.startswith(("-n", "--numprocesses")) for a in extra
    ):
        # One worker per core (pytest-xdist); `-n 0` runs in one process.
        extra = ["-n", "auto", *extra]
    result = run(PYTHON, "-m", "pytest", *extra, env=env, check=False)
    sys.exit(result.returncode)


def main():
    command, *rest = sys.argv[1:] or ["help"]
    if command == "start":
        start()
    elif command == "setup":
        setup()
        say("Set up; nothing started")
    elif command == "test":
        test(rest)
    else:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)


if __name__ == "__main__":
    main()
