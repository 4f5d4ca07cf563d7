"""Province-scale data and the benchmarks behind BENCHMARKS.md (run with ``python -m bench.X``)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    """Configure Django from the environment (DATABASE_URL names the benchmark database)."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "youthleague.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmarks-only-secret-key-not-for-production-use")
    os.environ.setdefault("REPORT_SIGNING_KEYS", "bench:benchmarks-only-signing-key")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_ENV_FILE", "")
    os.environ.setdefault("DJANGO_STATIC_ROOT", str(ROOT / "var" / "bench-static"))
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    import django

    django.setup()
    # Production settings serve hashed static files from a manifest: collect them once.
    if not (Path(os.environ["DJANGO_STATIC_ROOT"]) / "staticfiles.json").exists():
        from django.core.management import call_command

        call_command("collectstatic", "--no-input", verbosity=0)
