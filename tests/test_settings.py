"""Production settings come from the environment and pass Django's deployment checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "x7$Kq!3vLm9#Tz2@Wd8^Rb5&Yp1*Hc6(Nf4)Gs0_Ju-Ae+Io=Ux~Ov|Ey;Pr",
    "DJANGO_ALLOWED_HOSTS": "tuan.example.org",
    "REPORT_SIGNING_KEYS": "k2026:a-production-signing-key-of-enough-length",
    "DJANGO_SETTINGS_MODULE": "youthleague.settings",
    "DJANGO_ENV_FILE": "",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    clean.pop("DATABASE_URL", None)
    clean.pop("DATABASE_REPLICA_URLS", None)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_passes_with_production_settings():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_deploy_passes_behind_a_tls_proxy():
    env = {**PRODUCTION, "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_BEHIND_TLS_PROXY": "1"}
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_without_secret_key_fails_at_start():
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_seed_demo_refuses_production_settings_without_force():
    result = manage("seed_demo", env=PRODUCTION)
    assert result.returncode != 0
    assert "--force" in result.stderr


def test_migrations_are_complete():
    env = {
        "DJANGO_DEBUG": "1",
        "DJANGO_ENV_FILE": "",
        "DJANGO_SETTINGS_MODULE": "youthleague.settings",
    }
    result = manage("makemigrations", "--check", "--dry-run", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


def test_time_zone_and_languages():
    from django.conf import settings

    assert settings.TIME_ZONE == "Asia/Shanghai"
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert "en" in dict(settings.LANGUAGES)


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r")):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_replica_urls_add_replica_aliases_and_the_router():
    show = (
        "from django.conf import settings as s; d = s.DATABASES;"
        "print(s.REPLICA_DATABASES, d['replica2']['PORT'], d['replica1']['TEST']['MIRROR'],"
        " d['replica1']['OPTIONS'], s.DATABASE_ROUTERS)"
    )
    env = {
        **PRODUCTION,
        "DATABASE_URL": "postgres://app@db:5432/yl",
        "DATABASE_REPLICA_URLS": "postgres://app@r1:5432/yl, postgres://app@r2:6432/yl",
    }
    result = manage("shell", "--no-imports", "-c", show, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[0] == (
        "['replica1', 'replica2'] 6432 default {'connect_timeout': 2, 'options': '-c jit=off'}"
        " ['youthleague.db_router.ReplicaRouter']"
    )


def test_without_replicas_there_is_no_router():
    result = manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings as s; print(list(s.DATABASES), s.DATABASE_ROUTERS)",
        env=PRODUCTION,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['default'] []"
